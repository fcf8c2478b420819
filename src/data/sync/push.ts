/**
 * Push. Outbox rows go out in seq order, ≤ MAX_PUSH_BATCH at a time, with the
 * epoch and `ackedThrough` from kv. The ack transaction (ONE IndexedDB
 * transaction, strict durability) deletes the rows the server answered
 * applied/duplicate, moves rejected ones to `rejections`, and stores
 * ackedThrough = lastAppliedSeq and the epoch. A crash before that transaction
 * leaves the rows queued; re-sending them is answered `duplicate`. Failures
 * before the ack change nothing locally.
 */
import {
  HealthResponse,
  MAX_PUSH_BATCH,
  PROTOCOL_VERSION,
  PushResponse,
  TABLE_NAMES,
  statusIdeaOf,
  type MutationInput,
  type PushRequest,
  type StoredRecord,
} from '../../domain';
import type { LostEditRow, NewRejectionRow, OutboxRow } from '../db';
import { metaKey, recomputeIdeaStatus, withReopen } from '../repository';
import { ResyncRequired, call, putRecord, readJson, storage, type SyncContext } from './context';
import { SyncFailure } from './errors';
import { lostInPush, noteLostEdits } from './lostEdits';
import { isStoragePersisted } from '../persisted';
import { getSyncState, putSyncState } from './state';

function toMutation(row: OutboxRow): MutationInput {
  return {
    mutationId: row.mutationId,
    seq: row.seq,
    table: row.table,
    recordId: row.recordId,
    op: row.op,
    fields: row.fields,
    hlc: row.hlc,
    schemaVersion: row.schemaVersion,
    ...(row.clocks ? { clocks: row.clocks } : {}),
    ...(row.base ? { base: row.base } : {}),
  };
}

/** Push the whole outbox, batch by batch, each acknowledged in its own transaction. */
export async function pushAll(ctx: SyncContext): Promise<void> {
  const { db } = ctx;
  const total = await storage(db, () => db.outbox.count());
  let gaps = 0;
  let epochChecked = false;
  for (;;) {
    const rows = await storage(db, () => db.outbox.orderBy('seq').limit(MAX_PUSH_BATCH).toArray());
    if (rows.length === 0) return;
    const state = await storage(db, () => getSyncState(db));
    const body: PushRequest = {
      protocol: PROTOCOL_VERSION,
      epoch: state.epoch,
      ackedThrough: state.ackedThrough,
      resync: state.resync,
      appVersion: ctx.opts.appVersion ?? 'unknown',
      mutations: rows.map(toMutation),
      // The tablet's report for the municipal console's list of tablets.
      unsent: await storage(db, () => db.outbox.count()),
      storagePersisted: await isStoragePersisted(),
    };
    let res: Response;
    try {
      if (state.resync && !epochChecked) {
        // A `resync: true` push skips the server's epoch check, so make it here:
        // a server restored since enrollment (or since the resync began) needs a new snapshot first.
        const health = await readJson(await call(ctx, 'GET', 'health'), HealthResponse);
        if (state.epoch !== null && health.epoch !== state.epoch) throw new ResyncRequired(health.epoch);
        epochChecked = true;
      }
      res = await call(ctx, 'POST', 'push', JSON.stringify(body), 'application/json');
    } catch (err) {
      if (err instanceof SyncFailure) await noteAttempt(ctx, rows[0]!, err.code);
      throw err;
    }
    if (res.status === 409) {
      // seqGap: an earlier batch is still on its way (two senders). Retry once from
      // the head; if the server still misses seqs this tablet already saw
      // acknowledged, it lost them: restate everything.
      if (++gaps > 1) throw new ResyncRequired(state.epoch ?? undefined);
      continue;
    }
    const answer = await readJson(res, PushResponse);
    await ctx.opts.checkpoint?.('beforeAck');
    await ack(ctx, rows, answer);
    await ctx.opts.checkpoint?.('afterAck');
    ctx.result.pushed += rows.length;
    ctx.opts.onProgress?.({ pushed: ctx.result.pushed, total: Math.max(total, ctx.result.pushed) });
  }
}

/**
 * The ack transaction (see header): rows out, rejections in, ackedThrough stored — all or nothing.
 * Also in it: notices of fields whose value lost to a concurrent write (lostEdits.ts), and for a
 * refused change the record as the server now holds it, which replaces what this tablet showed
 * (unless more changes of it are still queued), so a refused write does not linger on screen.
 */
async function ack(ctx: SyncContext, rows: OutboxRow[], answer: PushResponse): Promise<void> {
  const { db } = ctx;
  const tables = [...TABLE_NAMES.map((t) => db.table(t)), db.outbox, db.rejections, db.kv, db.syncMeta, db.lostEdits];
  await storage(db, () =>
    db.transaction('rw', tables, async () => {
      const bySeq = new Map(answer.results.map((r) => [r.seq, r]));
      const answered: number[] = [];
      const rejections: NewRejectionRow[] = [];
      const lost: LostEditRow[] = [];
      const current: StoredRecord[] = [];
      const orphans: OutboxRow[] = [];
      for (const row of rows) {
        const r = bySeq.get(row.seq);
        if (!r || r.mutationId !== row.mutationId) continue; // unanswered: stays queued
        answered.push(row.seq);
        lost.push(...lostInPush(row, r.lostFields ?? [], ctx.now()));
        if (r.status !== 'rejected') continue;
        if (r.current) current.push(r.current);
        ctx.result.rejected++;
        const restatement = row.snapshot && (r.reason === 'unknownRecord' || r.reason === 'forbidden');
        // A restated record naming one that is gone (deleted here, and lost in the server's restore) is an
        // orphan nobody can see: the server will never hold it, so neither does this tablet.
        if (restatement && row.op === 'create' && !r.current) orphans.push(row);
        if (!restatement)
          rejections.push({
            mutationId: row.mutationId,
            table: row.table,
            recordId: row.recordId,
            reason: r.reason ?? 'invalid',
            detail: r.detail ?? '',
            at: ctx.now(),
            op: row.op,
            fields: row.fields,
          });
      }
      // One bulk call each: row-by-row deletes made the ack most of a push's time (bench P5).
      await db.rejections.bulkAdd(rejections);
      await db.outbox.bulkDelete(answered);
      await noteLostEdits(db, lost);
      const ideas: string[] = [];
      for (const record of current) {
        if (record.unitId !== ctx.enrollment.unitId) continue;
        if ((await db.outbox.where('[table+recordId]').equals([record.table, record.id]).count()) > 0) continue;
        await putRecord(db, record);
        const ideaId = statusIdeaOf(record);
        if (ideaId) ideas.push(ideaId);
      }
      for (const orphan of orphans) {
        await db.table(orphan.table).delete(orphan.recordId);
        await db.syncMeta.delete(metaKey(orphan.table, orphan.recordId));
        const ideaId = statusIdeaOf({ table: orphan.table, id: orphan.recordId, data: orphan.fields });
        if (ideaId) ideas.push(ideaId);
      }
      await recomputeIdeaStatus(db, ideas, ctx.enrollment.unitId);
      const state = await getSyncState(db);
      await putSyncState(db, { ...state, epoch: answer.epoch, ackedThrough: answer.lastAppliedSeq, resync: false });
    }),
  );
}

/** Count failed attempts on the queue head, so a queue that stops draining can be detected. */
async function noteAttempt(ctx: SyncContext, head: OutboxRow, code: string): Promise<void> {
  await withReopen(ctx.db, () => ctx.db.outbox.update(head.seq, { attempts: head.attempts + 1, lastError: code })).catch(
    () => undefined, // best effort: the sync already failed for a better-reported reason
  );
}
