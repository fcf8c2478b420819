/**
 * Edits of this tablet that lost to a concurrent edit from another tablet.
 * Per-field last-writer-wins keeps one value; the other tablet's person must
 * not lose their text without a word. The engine notes a loss when the
 * server says so: in the push answer (`lostFields`: this write lost at once)
 * or in a pull (`lostEdits`: a write of this tablet, acknowledged earlier,
 * was overwritten by a concurrent one). The record's own screen shows the
 * text with a way to copy it back; dismissing only removes the notice.
 */
import { z } from 'zod';
import { Hlc, TableName, parseHlc, type RecordChange, type StoredRecord } from '../../domain';
import type { LostEditRow, NedenfraDb, OutboxRow } from '../db';
import { storedRecord, withReopen } from '../repository';

/** A notice as read back (IndexedDB is a boundary: rows are validated). */
const StoredLostEdit = z.object({
  table: TableName,
  recordId: z.string(),
  field: z.string(),
  loserHlc: Hlc,
  value: z.unknown(),
  at: z.number(),
});
export type LostEdit = z.infer<typeof StoredLostEdit>;

/** Record notices (inside the caller's transaction, which must include `lostEdits`). */
export async function noteLostEdits(db: NedenfraDb, rows: LostEditRow[]): Promise<void> {
  if (rows.length) await db.lostEdits.bulkPut(rows);
}

/** The push answer named fields of this queued write that lost at once (none for a restatement the engine wrote). */
export function lostInPush(row: OutboxRow, lostFields: readonly string[], at: number): LostEditRow[] {
  if (row.snapshot) return [];
  return lostFields.map((field) => ({
    table: row.table,
    recordId: row.recordId,
    field,
    loserHlc: row.clocks?.[field] ?? row.hlc,
    value: row.fields[field],
    at,
  }));
}

/**
 * A pulled record names writes of its unit that lost to concurrent ones. One
 * of them is this tablet's own if its clock is the one this tablet still holds
 * for the field (nothing newer reached it since): tell the person. Inside the
 * pull's transaction.
 */
export async function noteOwnLosses(
  db: NedenfraDb,
  tablet: { unitId: string; node: string; at: number },
  remote: StoredRecord,
  lost: RecordChange['lostEdits'],
): Promise<void> {
  if (!lost?.length || remote.unitId !== tablet.unitId) return;
  const local = await storedRecord(db, remote.table, remote.id);
  if (!local) return;
  const mine = lost.filter(
    (l) =>
      Object.hasOwn(local.clocks, l.field) &&
      local.clocks[l.field] === l.loserHlc &&
      parseHlc(l.loserHlc).node === tablet.node &&
      remote.clocks[l.field] !== l.loserHlc,
  );
  await noteLostEdits(
    db,
    mine.map((l) => ({ table: remote.table, recordId: remote.id, field: l.field, loserHlc: l.loserHlc, value: l.loserValue, at: tablet.at })),
  );
}

/** The notices for one record, oldest first. */
export async function lostEdits(db: NedenfraDb, table: TableName, recordId: string): Promise<LostEdit[]> {
  const rows = await withReopen(db, () => db.lostEdits.where('[table+recordId]').equals([table, recordId]).toArray());
  return rows
    .flatMap((row) => {
      const parsed = StoredLostEdit.safeParse(row);
      return parsed.success ? [parsed.data] : [];
    })
    .sort((a, b) => a.at - b.at || (a.loserHlc < b.loserHlc ? -1 : 1));
}

/** The person has seen it (and copied the text back, or not). */
export async function dismissLostEdit(db: NedenfraDb, edit: Pick<LostEdit, 'table' | 'recordId' | 'field' | 'loserHlc'>): Promise<void> {
  await withReopen(db, () => db.lostEdits.delete([edit.table, edit.recordId, edit.field, edit.loserHlc]));
}

/** A lost value as text to show and copy: text as typed, anything else as readable JSON. */
export function lostText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  return JSON.stringify(value, null, 1);
}
