/**
 * The app's one sync scheduler: started once by the shell's SyncBar, bound to
 * the app database and the browser's fetch. Screens call `syncNow()` and read
 * `syncStore` (with useStore); nothing in the UI talks to the engine directly.
 */
import { APP_VERSION } from '../../data/appVersion';
import type { SchedulerEnv, SyncScheduler } from '../../data/sync/scheduler';
import { bindSyncStore } from '../../data/sync/syncStore';
import { appDb } from '../appDb';

let scheduler: Promise<SyncScheduler> | null = null;
let statusBound = false;

/**
 * Start the scheduler once. The sync status (counts, last synced) is bound at
 * once; the engine itself is a separate chunk loaded here, after the first
 * paint, so it stays out of the bundle a tablet must parse before the capture
 * form shows (bench P1/P2).
 */
export function startSync(): Promise<SyncScheduler> {
  if (!scheduler) {
    const db = appDb();
    if (!statusBound) bindSyncStore(db);
    statusBound = true;
    scheduler = Promise.all([import('../../data/sync/scheduler'), import('../../data/sync/transport')]).then(
      ([{ SyncScheduler }, { browserTransport }]) => {
        const started = new SyncScheduler(db, browserTransport, { appVersion: APP_VERSION, env: pageEnv() });
        started.start();
        return started;
      },
    );
    // A chunk that failed to load (e.g. mid-update) is tried again on the next trigger.
    scheduler.catch(() => {
      scheduler = null;
    });
  }
  return scheduler;
}

/** What the scheduler listens to in the page: online, visibility, timers and the service worker's Background Sync. */
function pageEnv(): SchedulerEnv {
  return {
    addEventListener: (type, fn) => window.addEventListener(type, fn),
    removeEventListener: (type, fn) => window.removeEventListener(type, fn),
    document,
    isOnline: () => navigator.onLine,
    registration: async () =>
      'serviceWorker' in navigator
        ? ((await navigator.serviceWorker.getRegistration()) as { sync?: { register(tag: string): Promise<void> } } | undefined)
        : undefined,
    setTimeout: (fn, ms) => window.setTimeout(fn, ms),
    clearTimeout: (handle) => window.clearTimeout(handle as number),
    random: Math.random,
  };
}

/** The "End of shift — sync now" button, and the first pass after enrolling. Errors land in the store. */
export function syncNow(): Promise<unknown> {
  return startSync()
    .then((s) => s.syncNow('manual'))
    .catch(() => undefined);
}
