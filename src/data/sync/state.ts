/**
 * The sync bookkeeping kept in the tablet's `kv` table: enrollment (server,
 * token, unit) and progress (epoch, ackedThrough, pull cursor). Read and
 * written only inside the engine's and enrollment's transactions.
 */
import type { NedenfraDb } from '../db';

export { CURRENT_UNIT_KEY } from '../repository';
export const ENROLLMENT_KEY = 'enrollment';
export const SYNC_STATE_KEY = 'syncState';

export interface Enrollment {
  serverUrl: string;
  token: string;
  deviceId: string;
  unitId: string;
  unitName: string;
  enrolledAt: number;
  /** The name the tablet was given when enrolled ("Pauserommet 2. etasje"); absent on enrollments from before 0.1.1. */
  deviceLabel?: string;
  /** Set when the server refused the token (401): keep the queue, ask for a new code. */
  needsReenroll: boolean;
}

export interface SyncState {
  /** The server epoch last synced with; a different one means the server was restored. */
  epoch: string | null;
  /** Highest seq the server has acknowledged (stored in the same transaction that drops the rows). */
  ackedThrough: number;
  /** The server counter of the last pulled change applied here. */
  cursor: number;
  /**
   * Push with `resync: true` until the next acknowledged batch: after enrolling
   * (the outbox numbering started before this device id existed) and after a
   * server restore.
   */
  resync: boolean;
  lastSyncedAt: number | null;
}

export const INITIAL_SYNC_STATE: SyncState = { epoch: null, ackedThrough: 0, cursor: 0, resync: true, lastSyncedAt: null };

export async function getEnrollment(db: NedenfraDb): Promise<Enrollment | undefined> {
  return (await db.kv.get(ENROLLMENT_KEY))?.value as Enrollment | undefined;
}

export async function getSyncState(db: NedenfraDb): Promise<SyncState> {
  return { ...INITIAL_SYNC_STATE, ...((await db.kv.get(SYNC_STATE_KEY))?.value as Partial<SyncState> | undefined) };
}

export async function putSyncState(db: NedenfraDb, state: SyncState): Promise<void> {
  await db.kv.put({ key: SYNC_STATE_KEY, value: state });
}
