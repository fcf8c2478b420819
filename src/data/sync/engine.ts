/**
 * The sync engine: one pass of push → pull → photos. Platform-neutral (window,
 * service worker, Node tests on fake-indexeddb); the network is a Transport.
 * Callers serialize passes (scheduler.ts holds a cross-tab lock).
 *
 * Each step is a module around one shared context (context.ts: the pass, its
 * requests to the server, its local storage work), and states its own
 * guarantees in its header:
 *   push.ts    the outbox in seq order, each batch acknowledged in ONE transaction;
 *   pull.ts    pages from the cursor, each applied in ONE transaction with the new cursor;
 *   resync.ts  a full-state snapshot when the server lost what it acknowledged;
 *   blobs.ts   photos up (resumable, marked uploaded only when complete) and down;
 *   lostEdits.ts  notices of this tablet's edits that lost to another tablet's.
 */
import type { NedenfraDb } from '../db';
import { downloadBlobs, uploadBlobs } from './blobs';
import { ResyncRequired, storage, type SyncContext, type SyncOptions, type SyncResult } from './context';
import { SyncFailure } from './errors';
import { pullAll } from './pull';
import { pushAll } from './push';
import { beginResync } from './resync';
import { getEnrollment, getSyncState, putSyncState } from './state';
import type { Transport } from './transport';

export type { SyncOptions, SyncResult, SyncStep } from './context';

/** One full sync pass. Throws SyncFailure; `retryable` ones the caller retries with backoff. */
export async function syncOnce(db: NedenfraDb, transport: Transport, opts: SyncOptions = {}): Promise<SyncResult> {
  const enrollment = await storage(db, () => getEnrollment(db));
  if (!enrollment) throw new SyncFailure('notEnrolled', 'this tablet is not enrolled', false);
  if (enrollment.needsReenroll) throw new SyncFailure('unauthorized', 'the server refused this tablet; enroll again', false);
  const ctx: SyncContext = {
    db,
    transport,
    enrollment,
    opts,
    now: opts.now ?? (() => Date.now()),
    result: { pushed: 0, rejected: 0, pulled: 0, uploaded: 0, resynced: false },
  };
  for (;;) {
    try {
      await pushAll(ctx);
      // Deletions re-queued by the pull go out in the same pass (once).
      if ((await pullAll(ctx)) > 0) {
        await pushAll(ctx);
        await pullAll(ctx);
      }
      break;
    } catch (err) {
      if (!(err instanceof ResyncRequired)) throw err;
      if (ctx.result.resynced) throw new SyncFailure('serverError', 'the server asked for a second resync in one pass', true);
      ctx.result.resynced = true;
      await beginResync(ctx, err.epoch);
    }
  }
  await uploadBlobs(ctx);
  await downloadBlobs(ctx);
  await storage(db, async () => {
    const state = await getSyncState(db);
    await putSyncState(db, { ...state, lastSyncedAt: ctx.now() });
  });
  return ctx.result;
}
