/**
 * UI state (zustand, vanilla): language, current route, unit, which forms hold
 * unsaved input, and whether a new app version waits. Data lives in Dexie;
 * this store only holds what the screens need to coordinate. Actions are plain
 * functions so non-UI code (sync, the service worker glue) can call them;
 * components read it with useStore (./useStore.ts).
 */
import { createStore } from 'zustand/vanilla';
import type { Language, Unit } from '../domain';
import { DEFAULT_LANGUAGE, LANGUAGES, htmlLang, loadLanguage, type Message } from './i18n';
import { storeLanguage } from '../data/local';
import { appDb } from './appDb';
import type { RouteId } from './navigation';

export const LANGUAGE_STORAGE_KEY = 'nedenfra.language';

export interface UiState {
  language: Language;
  /** undefined while loading from IndexedDB; null before first run. */
  unit: Unit | null | undefined;
  /** Forms with input that is not yet committed; the update flow never reloads them away. */
  dirtyForms: ReadonlySet<string>;
  updateWaiting: boolean;
  /** A message for the screen a flow ends on (e.g. "connected" on capture after enrolling); gone once another screen opens. */
  notice: { route: RouteId; message: Message } | null;
}

function initialLanguage(): Language {
  try {
    const stored = globalThis.localStorage?.getItem(LANGUAGE_STORAGE_KEY);
    if (stored && (LANGUAGES as readonly string[]).includes(stored)) return stored as Language;
  } catch {
    // localStorage may be unavailable (private mode); kv still holds the choice.
  }
  return DEFAULT_LANGUAGE;
}

export const uiStore = createStore<UiState>(() => ({
  language: initialLanguage(),
  unit: undefined,
  dirtyForms: new Set<string>(),
  updateWaiting: false,
  notice: null,
}));

/**
 * Switch language (once its strings are loaded, also for the next start) and
 * remember it on the device. If its strings cannot be loaded, nothing changes.
 */
export async function setLanguage(language: Language): Promise<void> {
  try {
    await loadLanguage(language);
  } catch {
    return; // e.g. a chunk missing after an interrupted update: keep the language that works
  }
  uiStore.setState({ language });
  applyHtmlLang(language);
  try {
    globalThis.localStorage?.setItem(LANGUAGE_STORAGE_KEY, language);
  } catch {
    // see initialLanguage
  }
  await storeLanguage(appDb(), language);
}

export function applyHtmlLang(language: Language): void {
  if (typeof document !== 'undefined') document.documentElement.lang = htmlLang[language];
}

export function setUnit(unit: Unit | null): void {
  uiStore.setState({ unit });
}

export function setDirty(formId: string, dirty: boolean): void {
  const current = uiStore.getState().dirtyForms;
  if (current.has(formId) === dirty) return;
  const next = new Set(current);
  if (dirty) next.add(formId);
  else next.delete(formId);
  uiStore.setState({ dirtyForms: next });
}

export function hasDirtyInput(): boolean {
  return uiStore.getState().dirtyForms.size > 0;
}

export function setUpdateWaiting(updateWaiting: boolean): void {
  uiStore.setState({ updateWaiting });
}

export function showNotice(route: RouteId, message: Message): void {
  uiStore.setState({ notice: { route, message } });
}

/** Close the notice (a person did), or drop it once `route` is not the screen it was for. */
export function clearNotice(route?: RouteId): void {
  const { notice } = uiStore.getState();
  if (notice && notice.route !== route) uiStore.setState({ notice: null });
}
