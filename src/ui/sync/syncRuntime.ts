/**
 * The app's one sync scheduler: started once by the shell's SyncBar, bound to
 * the app database and the browser's fetch. Screens call `syncNow()` and read
 * `useSyncStatus`; nothing in the UI talks to the engine directly.
 */
import { useEffect, useReducer, useRef } from 'preact/hooks';
import { bindSyncStore, syncStore, type SyncStatus } from '../../data/sync/syncStore';
import { SyncScheduler } from '../../data/sync/scheduler';
import { browserTransport } from '../../data/sync/transport';
import { appDb } from '../appDb';

let scheduler: SyncScheduler | null = null;

export function startSync(): SyncScheduler {
  if (!scheduler) {
    const db = appDb();
    bindSyncStore(db);
    scheduler = new SyncScheduler(db, browserTransport, { appVersion: import.meta.env?.VITE_APP_VERSION ?? 'dev' });
    scheduler.start();
  }
  return scheduler;
}

/** The "End of shift — sync now" button, and the first pass after enrolling. Errors land in the store. */
export function syncNow(): Promise<unknown> {
  return startSync()
    .syncNow('manual')
    .catch(() => undefined);
}

export function useSyncStatus<T>(select: (s: SyncStatus) => T): T {
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  const selected = select(syncStore.getState());
  const latest = useRef({ select, selected });
  latest.current = { select, selected };
  useEffect(
    () =>
      syncStore.subscribe((state) => {
        if (!Object.is(latest.current.select(state), latest.current.selected)) rerender(0);
      }),
    [],
  );
  return selected;
}
