/**
 * What every step of a sync pass (push.ts, pull.ts, resync.ts, blobs.ts)
 * shares: the pass's context, the one way it talks to the server (`call`,
 * which turns every HTTP answer the steps do not handle themselves into a
 * SyncFailure), reading an answer through its schema, local storage work, and
 * storing a record as merged.
 */
import { HLC_ZERO, SyncErrorBody, compareHlc, type Hlc, type StoredRecord } from '../../domain';
import type { NedenfraDb } from '../db';
import { StorageError, toStorageError } from '../errors';
import { metaKey, withReopen } from '../repository';
import { SyncFailure } from './errors';
import { ENROLLMENT_KEY, getEnrollment, type Enrollment } from './state';
import type { Transport } from './transport';

export type SyncStep = 'beforeAck' | 'afterAck' | 'beforePullApply';

export interface SyncOptions {
  appVersion?: string;
  /** Push progress: mutations acknowledged so far in this pass, of the queue length when it started. */
  onProgress?: (progress: { pushed: number; total: number }) => void;
  /** Called between steps; a throw here behaves like the tab dying at that point (used by crash tests). */
  checkpoint?: (step: SyncStep) => void | Promise<void>;
  pullLimit?: number;
  chunkBytes?: number;
  now?: () => number;
}

export interface SyncResult {
  pushed: number;
  rejected: number;
  pulled: number;
  uploaded: number;
  resynced: boolean;
}

/** One pass: where it syncs to and as whom, its options, and what it did so far. */
export interface SyncContext {
  db: NedenfraDb;
  transport: Transport;
  enrollment: Enrollment;
  opts: SyncOptions;
  now: () => number;
  result: SyncResult;
}

/** The server lost what this tablet saw acknowledged, or was restored from a backup: restate everything (resync.ts). */
export class ResyncRequired extends Error {
  constructor(readonly epoch: string | undefined) {
    super('resync required');
  }
}

/** An authenticated API request. Answers other than 2xx become SyncFailures, except those its caller handles (seqGap, hashMismatch). */
export async function call(ctx: SyncContext, method: string, path: string, body?: BodyInit, contentType?: string): Promise<Response> {
  const url = apiUrl(ctx, path);
  const headers: Record<string, string> = { authorization: `Bearer ${ctx.enrollment.token}` };
  if (contentType) headers['content-type'] = contentType;
  let res: Response;
  try {
    res = await ctx.transport.fetch(new Request(url, { method, headers, ...(body !== undefined ? { body } : {}) }));
  } catch (err) {
    throw unreachable(ctx.transport, err);
  }
  if (res.ok) return res;
  const parsed = SyncErrorBody.safeParse(await res.json().catch(() => null));
  const error = parsed.success ? parsed.data : undefined;
  if (res.status === 401) {
    await storage(ctx.db, async () => {
      const current = await getEnrollment(ctx.db);
      // Only the token that was refused: a re-enrollment meanwhile must not be undone.
      if (current?.token === ctx.enrollment.token) await ctx.db.kv.put({ key: ENROLLMENT_KEY, value: { ...current, needsReenroll: true } });
    });
    throw new SyncFailure('unauthorized', error?.message ?? 'unauthorized', false);
  }
  if (error?.error === 'resyncRequired') throw new ResyncRequired(error.epoch);
  if (error?.error === 'clientTooOld') throw new SyncFailure('clientTooOld', error.message, false);
  if (error?.error === 'serverTooOld') throw new SyncFailure('serverTooOld', error.message, false);
  if (error?.error === 'seqGap') return res; // the push loop handles it
  if (error?.error === 'hashMismatch') return res; // the photo upload handles it
  if (error?.error === 'quotaExceeded') throw new SyncFailure('photoQuota', error.message, true);
  throw new SyncFailure('serverError', error?.message ?? `HTTP ${res.status}`, true);
}

/** The address of an API path on this tablet's server. */
export const apiUrl = (ctx: SyncContext, path: string) => `${ctx.enrollment.serverUrl.replace(/\/+$/, '')}/api/v1/${path}`;

/** A request that never got an answer: no network at all, or a server that does not answer. */
export function unreachable(transport: Transport, cause: unknown): SyncFailure {
  return transport.online?.()
    ? new SyncFailure('unreachable', 'the network is up but the server did not answer', true, cause)
    : new SyncFailure('offline', 'the device is offline', true, cause);
}

/** An answer read through its schema; one the app cannot read is a (retryable) server error. */
export async function readJson<T>(
  res: Response,
  schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } },
): Promise<T> {
  const parsed = schema.safeParse(await res.json().catch(() => undefined));
  if (!parsed.success) throw new SyncFailure('serverError', 'the server sent an answer this app cannot read', true);
  return parsed.data;
}

/** Local storage work; quota and other IndexedDB failures become SyncFailures the UI can name. */
export async function storage<T>(db: NedenfraDb, run: () => Promise<T>): Promise<T> {
  try {
    return await withReopen(db, run);
  } catch (err) {
    const e = err instanceof StorageError ? err : toStorageError(err);
    throw new SyncFailure(e.kind === 'quota' ? 'quota' : 'storage', e.message, e.kind !== 'quota', e);
  }
}

/** Store a record as merged (row and clocks; a tombstone keeps only its clocks). */
export async function putRecord(db: NedenfraDb, record: StoredRecord): Promise<void> {
  const table = db.table(record.table);
  if (record.deleted) await table.delete(record.id);
  else await table.put(record.data);
  await db.syncMeta.put({ key: metaKey(record.table, record.id), table: record.table, id: record.id, clocks: record.clocks, deleted: record.deleted });
}

/** The latest of a record's field clocks (the clock a restated write carries). */
export const maxClock = (clocks: Record<string, Hlc>): Hlc =>
  Object.values(clocks).reduce((a, b) => (compareHlc(a, b) >= 0 ? a : b), HLC_ZERO);
