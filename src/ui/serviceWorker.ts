/**
 * Registers the service worker (production builds only) and applies waiting
 * versions following updateRule.ts. UpdatePrompt.tsx is the only UI for it.
 * workbox-window is loaded after the first paint (a precached chunk), not in
 * the first bundle (bench P1).
 */
import type { Workbox } from 'workbox-window';
import { decideUpdate, type UpdateDecision, type UpdateTrigger } from './updateRule';
import { hasDirtyInput, setUpdateWaiting, uiStore } from './store';

let workbox: Workbox | null = null;
let started = false;

export function registerServiceWorker(): void {
  if (started || !('serviceWorker' in navigator) || !import.meta.env.PROD) return;
  started = true;
  const startedAt = performance.now();
  void import('workbox-window').then(({ Workbox }) => register(new Workbox('/sw.js'), startedAt));
}

function register(wb: Workbox, startedAt: number): void {
  workbox = wb;
  workbox.addEventListener('waiting', () => {
    setUpdateWaiting(true);
    // A version found waiting right at start: the tablet was closed with an update pending.
    if (performance.now() - startedAt < 5000) requestUpdate('coldStart');
  });
  // An updated worker took over (after SKIP_WAITING): reload into the new version.
  // The very first install also takes control (clientsClaim) but must not reload.
  // Decided by whether a worker controlled the page before, not by workbox's
  // `isUpdate`: that is only set when the page was controlled at registration,
  // so a tablet still open since the app was installed never reloaded.
  let controlled = Boolean(navigator.serviceWorker.controller);
  workbox.addEventListener('controlling', () => {
    if (controlled) window.location.reload();
    controlled = true;
  });
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') requestUpdate('hidden');
  });
  void workbox.register();
}

export function requestUpdate(trigger: UpdateTrigger): UpdateDecision {
  const decision = decideUpdate({ waiting: uiStore.getState().updateWaiting, dirty: hasDirtyInput(), trigger });
  if (decision === 'apply') workbox?.messageSkipWaiting();
  return decision;
}
