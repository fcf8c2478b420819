/**
 * Pull. Pages from the cursor; each page is applied in ONE transaction with
 * the new cursor. A record with queued local changes is merged with
 * mergeRemoteRecord (newer local fields survive until pushed); otherwise the
 * server's version, which holds every acknowledged write, replaces the local
 * one — including clocks, so a tablet whose clock was wrong converges. If the
 * transaction fails (e.g. quota), the cursor stays and nothing is lost.
 */
import {
  MUTATION_SCHEMA_VERSION,
  PROTOCOL_VERSION,
  PullResponse,
  TABLE_NAMES,
  applyMutation,
  mergeRemoteRecord,
  statusIdeaOf,
  type StoredRecord,
} from '../../domain';
import { DEVICE_KEY, loadClock } from '../clock';
import type { NedenfraDb } from '../db';
import { metaKey, recomputeIdeaStatus } from '../repository';
import { call, maxClock, putRecord, readJson, storage, type SyncContext } from './context';
import { photoShownElsewhere } from '../ideas';
import { applyErasuresLocally, erasureStores, erasuresIn } from './erasures';
import { noteOwnLosses } from './lostEdits';
import { isStoragePersisted } from '../persisted';
import { getSyncState, putSyncState } from './state';

/** Pull every page; returns how many deletions it re-queued (see reassertTombstone). */
export async function pullAll(ctx: SyncContext): Promise<number> {
  const { db } = ctx;
  const clock = await loadClock(db);
  const tables = [...TABLE_NAMES.map((t) => db.table(t)), db.syncMeta, db.blobs, ...erasureStores(db)];
  let requeued = 0;
  // The tablet's report (see pushAll), once per pull.
  const persisted = await isStoragePersisted();
  const report = { unsent: String(await storage(db, () => db.outbox.count())), appVersion: ctx.opts.appVersion ?? 'unknown' };
  for (;;) {
    const state = await storage(db, () => getSyncState(db));
    const query = new URLSearchParams({ protocol: String(PROTOCOL_VERSION), cursor: String(state.cursor), limit: String(ctx.opts.pullLimit ?? 500), ...report });
    if (persisted !== null) query.set('persisted', String(persisted));
    if (state.epoch) query.set('epoch', state.epoch);
    const page = await readJson(await call(ctx, 'GET', `pull?${query}`), PullResponse);
    await ctx.opts.checkpoint?.('beforePullApply');
    requeued += await storage(db, () =>
      db.transaction('rw', tables, async () => {
        let reasserted = 0;
        const ideas: string[] = [];
        const unshown: string[] = [];
        for (const change of page.changes) {
          const { serverSeq: _seq, lostEdits, ...remote } = change;
          const before = remote.table === 'ideas' ? await db.ideas.get(remote.id) : undefined;
          await noteOwnLosses(db, { unitId: ctx.enrollment.unitId, node: clock.node, at: ctx.now() }, remote, lostEdits);
          let merged = await mergeWithLocal(db, remote);
          if (!merged.deleted) {
            const tombstone = await reassertTombstone(ctx, remote);
            if (tombstone) {
              merged = tombstone;
              reasserted++;
            }
          }
          await putRecord(db, merged);
          // Photos the idea no longer shows (deleted on the server or another tablet): candidates to drop here too.
          if (before?.photos?.length) {
            const now: unknown = merged.deleted ? [] : merged.data.photos;
            unshown.push(...before.photos.filter((p) => !(Array.isArray(now) && now.includes(p))));
          }
          for (const c of Object.values(remote.clocks)) clock.receive(c);
          const ideaId = statusIdeaOf(merged);
          if (ideaId) ideas.push(ideaId);
        }
        // Derived from what this tablet now holds (its own queued writes included), as the server will.
        await recomputeIdeaStatus(db, ideas, ctx.enrollment.unitId);
        // A name erased on the server goes from what only this tablet holds too (erasures.ts).
        await applyErasuresLocally(db, erasuresIn(page.changes));
        for (const sha256 of new Set(unshown)) if (!(await photoShownElsewhere(db, sha256))) await db.blobs.delete(sha256);
        await db.kv.put({ key: DEVICE_KEY, value: { installId: clock.node, hlc: clock.current() } });
        const current = await getSyncState(db);
        await putSyncState(db, { ...current, epoch: page.epoch, cursor: page.cursor });
        return reasserted;
      }),
    );
    ctx.result.pulled += page.changes.length;
    if (!page.hasMore) return requeued;
  }
}

async function mergeWithLocal(db: NedenfraDb, remote: StoredRecord): Promise<StoredRecord> {
  const queued = await db.outbox.where('[table+recordId]').equals([remote.table, remote.id]).count();
  if (queued === 0) return remote;
  const meta = await db.syncMeta.get(metaKey(remote.table, remote.id));
  if (!meta) return remote;
  const data = ((await db.table(remote.table).get(remote.id)) as Record<string, unknown> | undefined) ?? {};
  return mergeRemoteRecord({ table: remote.table, id: remote.id, unitId: remote.unitId, data, clocks: meta.clocks, deleted: meta.deleted }, remote);
}

/**
 * Deletes are final, but a server restored from a backup can lose one (a
 * `delete` of a record the restored server lacks is refused) and then get the
 * record back from another tablet's resync snapshot. A tablet that holds the
 * tombstone and pulls the record alive therefore keeps its tombstone and
 * queues the delete again — unless the server would refuse that delete anyway
 * (e.g. a published decision), in which case the server's record wins.
 */
async function reassertTombstone(ctx: SyncContext, remote: StoredRecord): Promise<StoredRecord | null> {
  const { db } = ctx;
  const meta = await db.syncMeta.get(metaKey(remote.table, remote.id));
  if (!meta?.deleted) return null;
  const hlc = meta.clocks._deleted ?? maxClock(meta.clocks);
  const mutation = { mutationId: crypto.randomUUID(), seq: 1, table: remote.table, recordId: remote.id, op: 'delete' as const, fields: {}, hlc, schemaVersion: MUTATION_SCHEMA_VERSION };
  const check = applyMutation(remote, mutation, { unitId: remote.unitId, find: () => undefined });
  if (!check.ok || remote.unitId !== ctx.enrollment.unitId) return null;
  const { seq: _seq, ...row } = mutation;
  await db.outbox.add({ ...row, createdAt: ctx.now(), attempts: 0, lastError: null, snapshot: true });
  return check.record;
}
