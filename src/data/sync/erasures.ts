/**
 * Erasure instructions pulled from the server (records/erasure.ts): an
 * administrator erased a person's name, and the server rewrote every record
 * it holds. What only this tablet holds, the server cannot reach, so it is
 * rewritten here, in the pull's own transaction: records still waiting to be
 * sent and their queued changes (so the name cannot go back to the server),
 * refused changes, lost-edit notices, the leader name remembered for leader
 * mode, and form drafts (deleted: a draft naming the person is abandoned).
 * The name is recognised by the instruction's salted hash; the tablet is
 * never told it (rules/personalData.ts).
 */
import {
  applyErasures,
  Erasure,
  mentionsErasedName,
  PERSON_FIELDS,
  TABLE_NAMES,
  type TableName,
} from '../../domain';
import type { NedenfraDb } from '../db';
import { LEADER_NAME_KEY } from '../leaderPin';

/** The stores a pull page's transaction must include for applyErasuresLocally. */
export const erasureStores = (db: NedenfraDb) => [db.outbox, db.rejections, db.lostEdits, db.drafts, db.kv];

/** Erasure instructions among pulled records (invalid ones are ignored: they cannot be matched). */
export function erasuresIn(records: ReadonlyArray<{ table: TableName; data: Record<string, unknown>; deleted: boolean }>): Erasure[] {
  return records.flatMap((r) => {
    if (r.table !== 'erasures' || r.deleted) return [];
    const parsed = Erasure.safeParse(r.data);
    return parsed.success ? [parsed.data] : [];
  });
}

/** Rewrite this tablet's own copies of the erased names; call inside a transaction over every record table and erasureStores. */
export async function applyErasuresLocally(db: NedenfraDb, erasures: readonly Erasure[]): Promise<void> {
  if (erasures.length === 0) return;
  for (const table of TABLE_NAMES) {
    if (Object.keys(PERSON_FIELDS[table]).length === 0) continue;
    await db
      .table(table)
      .toCollection()
      .modify((row: Record<string, unknown>) => {
        const { data, changed } = applyErasures(table, row, erasures);
        if (changed) Object.assign(row, data);
      });
  }
  const scrubFields = (row: { table: TableName; fields?: Record<string, unknown> }) => {
    if (!row.fields) return;
    const { data, changed } = applyErasures(row.table, row.fields, erasures);
    if (changed) row.fields = data;
  };
  await db.outbox.toCollection().modify(scrubFields);
  await db.rejections.toCollection().modify(scrubFields);
  await db.lostEdits
    .filter((row) => Object.hasOwn(PERSON_FIELDS[row.table] ?? {}, row.field) && mentionsErasedName(row.value, erasures))
    .delete();
  await db.drafts.filter((row) => mentionsErasedName(row.value, erasures)).delete();
  const leaderName = (await db.kv.get(LEADER_NAME_KEY))?.value;
  if (typeof leaderName === 'string' && mentionsErasedName(leaderName, erasures)) await db.kv.delete(LEADER_NAME_KEY);
}
