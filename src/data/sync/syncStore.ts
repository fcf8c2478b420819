/**
 * What the sync bar shows, as a vanilla zustand store: readable and writable
 * from plain functions (the scheduler, the engine's callers), with a thin hook
 * binding in the UI. Counts come live from Dexie (the source of truth); errors
 * are codes the UI translates, never text.
 */
import { liveQuery } from 'dexie';
import { createStore } from 'zustand/vanilla';
import type { NedenfraDb } from '../db';
import type { SyncIssueCode } from './errors';
import { ENROLLMENT_KEY, SYNC_STATE_KEY, type Enrollment, type SyncState } from './state';

export type SyncPhase = 'idle' | 'syncing' | 'error' | 'offline';
export type EnrollmentState = 'unknown' | 'enrolled' | 'notEnrolled' | 'needsReenroll';

export interface SyncStatus {
  phase: SyncPhase;
  /** Outbox rows not yet acknowledged by the server. */
  unsent: number;
  /** While pushing: acknowledged so far of the queue at start. */
  progress: { pushed: number; total: number } | null;
  lastSyncedAt: number | null;
  lastError: SyncIssueCode | null;
  /** Changes the server refused for good (shown with their reasons elsewhere). */
  rejections: number;
  enrollment: EnrollmentState;
  unitName: string | null;
  serverUrl: string | null;
}

export const INITIAL_SYNC_STATUS: SyncStatus = {
  phase: 'idle',
  unsent: 0,
  progress: null,
  lastSyncedAt: null,
  lastError: null,
  rejections: 0,
  enrollment: 'unknown',
  unitName: null,
  serverUrl: null,
};

export const syncStore = createStore<SyncStatus>(() => INITIAL_SYNC_STATUS);

// Actions: plain functions, callable from the scheduler, the service-worker bridge or tests.

export function syncStarted(): void {
  syncStore.setState({ phase: 'syncing', progress: null });
}

export function syncProgressed(progress: { pushed: number; total: number }): void {
  syncStore.setState({ progress });
}

export function syncSucceeded(at: number): void {
  syncStore.setState({ phase: 'idle', progress: null, lastSyncedAt: at, lastError: null });
}

export function syncFailed(code: SyncIssueCode): void {
  syncStore.setState({ phase: code === 'offline' ? 'offline' : 'error', progress: null, lastError: code });
}

/** A failure the user must see even though syncs are otherwise retried (e.g. the queue stopped draining). */
export function syncFlagged(code: SyncIssueCode): void {
  syncStore.setState({ phase: 'error', lastError: code });
}

/** Keep counts, enrollment and last-synced time live from the database. Returns the unsubscribe function. */
export function bindSyncStore(db: NedenfraDb): () => void {
  const subscription = liveQuery(async () => {
    const [unsent, rejections, enrollment, state] = await Promise.all([
      db.outbox.count(),
      db.rejections.count(),
      db.kv.get(ENROLLMENT_KEY),
      db.kv.get(SYNC_STATE_KEY),
    ]);
    return {
      unsent,
      rejections,
      enrollment: enrollment?.value as Enrollment | undefined,
      lastSyncedAt: (state?.value as SyncState | undefined)?.lastSyncedAt ?? null,
    };
  }).subscribe({
    next: ({ unsent, rejections, enrollment, lastSyncedAt }) => {
      const current = syncStore.getState();
      syncStore.setState({
        unsent,
        rejections,
        enrollment: !enrollment ? 'notEnrolled' : enrollment.needsReenroll ? 'needsReenroll' : 'enrolled',
        unitName: enrollment?.unitName ?? null,
        serverUrl: enrollment?.serverUrl ?? null,
        lastSyncedAt: Math.max(lastSyncedAt ?? 0, current.lastSyncedAt ?? 0) || null,
        ...(enrollment?.needsReenroll ? { lastError: 'unauthorized' as const, phase: 'error' as const } : {}),
      });
    },
    error: () => syncFailed('storage'),
  });
  return () => subscription.unsubscribe();
}
