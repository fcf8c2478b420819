/**
 * Resync (server restored from a backup, or it lost acknowledged seqs):
 *   1. in one transaction, replace the outbox by a full-state snapshot of
 *      every record of this unit — `create` with the per-field clocks from
 *      syncMeta (units: a `patch` of the editable fields; tombstones: a
 *      `delete` at their `_deleted` clock) — and set resync=true, cursor=0, the
 *      new epoch. The snapshot holds every still-unacknowledged change (local
 *      writes update the record and its clocks with the outbox row), so it
 *      re-pushes them; sending the old rows first instead would get patches
 *      of records the restored server lost rejected as unknown;
 *   2. push it with `resync: true` on the first batch, so the server accepts
 *      this device's numbering. Replays are no-ops by per-field LWW. Such a
 *      push skips the server's epoch check, so the push first compares the
 *      epoch from GET health itself (push.ts);
 *   3. pull from cursor 0.
 */
import { MUTATION_SCHEMA_VERSION, SERVER_AUTHORED, TABLE_FIELDS, TABLE_NAMES, UNIT_EDITABLE_FIELDS, isDerivedField, orderByReferences, type Hlc, type TableName } from '../../domain';
import type { NewOutboxRow } from '../db';
import { maxClock, storage, type SyncContext } from './context';
import { getSyncState, putSyncState } from './state';

/** What every row of the snapshot carries besides its change. */
type SnapshotRow = Omit<NewOutboxRow, 'op' | 'fields' | 'hlc'>;

/** Step 1: the outbox becomes a snapshot of this tablet's state, to be pushed as a resync. */
export async function beginResync(ctx: SyncContext, epoch: string | undefined): Promise<void> {
  const { db } = ctx;
  const unitId = ctx.enrollment.unitId;
  const tables = [...TABLE_NAMES.map((t) => db.table(t)), db.syncMeta, db.outbox, db.kv];
  await storage(db, () =>
    db.transaction('rw', tables, async () => {
      const now = ctx.now();
      await db.outbox.clear();
      const base = { schemaVersion: MUTATION_SCHEMA_VERSION, createdAt: now, attempts: 0, lastError: null, snapshot: true };
      const live: Array<{ queued: SnapshotRow; table: TableName; id: string; data: Record<string, unknown>; clocks: Record<string, Hlc> }> = [];
      for (const meta of await db.syncMeta.toArray()) {
        const row = (await db.table(meta.table).get(meta.id)) as Record<string, unknown> | undefined;
        const queued: SnapshotRow = { ...base, mutationId: crypto.randomUUID(), table: meta.table, recordId: meta.id };
        if (meta.deleted) {
          const hlc = meta.clocks._deleted ?? maxClock(meta.clocks);
          await db.outbox.add({ ...queued, op: 'delete', fields: {}, hlc });
        } else if (row && meta.table === 'units' && meta.id === unitId) {
          const fields = Object.fromEntries(Object.entries(row).filter(([f]) => UNIT_EDITABLE_FIELDS.has(f)));
          const clocks = Object.fromEntries(Object.keys(fields).flatMap((f) => (meta.clocks[f] ? [[f, meta.clocks[f]]] : [])));
          await db.outbox.add({ ...queued, op: 'patch', fields, clocks, hlc: maxClock(clocks) });
        } else if (row && meta.table !== 'units' && !SERVER_AUTHORED.has(meta.table) && row.unitId === unitId) {
          live.push({ queued, table: meta.table, id: meta.id, data: row, clocks: meta.clocks });
        }
      }
      // References first (a vote after its session and idea, a decision after the one it supersedes): the
      // server refuses a record naming one it does not have. Only schema fields, no derived ones.
      for (const r of orderByReferences(live)) {
        const writable = (f: string) => TABLE_FIELDS[r.table].has(f) && !isDerivedField(r.table, f);
        const fields = Object.fromEntries(Object.entries(r.data).filter(([f]) => writable(f)));
        const clocks = Object.fromEntries(Object.entries(r.clocks).filter(([f]) => writable(f)));
        await db.outbox.add({ ...r.queued, op: 'create', fields, clocks, hlc: maxClock(clocks) });
      }
      const state = await getSyncState(db);
      await putSyncState(db, { ...state, epoch: epoch ?? state.epoch, cursor: 0, resync: true });
    }),
  );
}
