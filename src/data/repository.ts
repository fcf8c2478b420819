/**
 * Every local write goes through `commit`: in ONE IndexedDB transaction it
 * writes the records, their per-field clocks (syncMeta) and one outbox row per
 * change, so a change is either fully saved and queued for sync, or not at all.
 * The returned promise resolves only after the transaction committed (with
 * strict durability), which is when the UI may say "saved".
 *
 * Each change is applied with the domain's own merge (`applyMutation`, the
 * function the server runs on the pushed mutation), against the record as
 * stored here and the records it refers to. So the tablet refuses, with a
 * StorageError, exactly what the server would refuse: another unit's record,
 * a dangling or cross-unit reference, a rewrite of an append-only record or
 * a published decision, an unknown field. Derived fields (an idea's status)
 * are recomputed in the same transaction (rules/ideaStatus.ts) and never queued.
 */
import { z } from 'zod';
import {
  HLC_ZERO,
  MUTATION_SCHEMA_VERSION,
  Mutation,
  STATUS_SOURCE_TABLES,
  TABLE_NAMES,
  TABLE_SCHEMAS,
  applyMutation,
  ideaStatusFrom,
  isDerivedField,
  newId,
  referencesOf,
  statusIdeaOf,
  type Hlc,
  type StoredRecord,
  type TableName,
  type TableRecords,
} from '../domain';
import { DEVICE_KEY, loadClock } from './clock';
import type { BlobRow, NedenfraDb, OutboxRow } from './db';
import { StorageError, isRetryable, refusedWrite, toStorageError } from './errors';

export type Change =
  | { op: 'create'; table: TableName; data: Record<string, unknown> }
  | { op: 'patch'; table: TableName; id: string; fields: Record<string, unknown> }
  | { op: 'delete'; table: TableName; id: string }
  /** The act of publishing a decision: `fields` is its full content as the publisher saw it (rules/decision.ts: publish). */
  | { op: 'publish'; table: 'unitDecisions'; id: string; fields: Record<string, unknown> };

export interface CommitOptions {
  /** Photos saved in the same transaction as the idea that shows them. */
  blobs?: BlobRow[];
  /** Photos deleted in the same transaction as the change that drops them from their idea. */
  deleteBlobs?: string[];
  /** Form drafts the saved record replaces, cleared in the same transaction. */
  draftKeysToClear?: string[];
}

export const metaKey = (table: TableName, id: string) => `${table}/${id}`;

/** The kv key of the unit this tablet serves (set at first run and by enrollment). */
export const CURRENT_UNIT_KEY = 'currentUnitId';

const SYNC_TABLES = ['syncMeta', 'outbox', 'kv', 'blobs', 'drafts'] as const;

/** Validate and apply local changes atomically; returns the records as stored. */
export async function commit(db: NedenfraDb, changes: Change[], options: CommitOptions = {}): Promise<Record<string, unknown>[]> {
  const clock = await loadClock(db);
  const run = () =>
    db.transaction('rw', [...TABLE_NAMES, ...SYNC_TABLES], async () => {
      const unitId = await deviceUnit(db);
      const stored: StoredRecord[] = [];
      for (const change of changes) stored.push(await applyChange(db, change, clock.send(), unitId));
      const ideas = await recomputeIdeaStatus(db, stored.flatMap((r) => statusIdeaOf(r) ?? []), unitId);
      if (options.blobs?.length) await db.blobs.bulkPut(options.blobs);
      if (options.deleteBlobs?.length) await db.blobs.bulkDelete(options.deleteBlobs);
      if (options.draftKeysToClear?.length) await db.drafts.bulkDelete(options.draftKeysToClear);
      await db.kv.put({ key: DEVICE_KEY, value: { installId: clock.node, hlc: clock.current() } });
      return stored.map((r) => (r.table === 'ideas' ? (ideas.get(r.id) ?? r.data) : r.data));
    });
  return withReopen(db, run);
}

/** The unit this tablet writes for; null before the first run (then the change's own unit is taken). */
async function deviceUnit(db: NedenfraDb): Promise<string | null> {
  const id = (await db.kv.get(CURRENT_UNIT_KEY))?.value;
  return typeof id === 'string' ? id : null;
}

/** A record as the merge sees it: its row, its clocks and tombstone flag from syncMeta. Local tombstones have no row. */
export async function storedRecord(db: NedenfraDb, table: TableName, id: string): Promise<StoredRecord | undefined> {
  const [row, meta] = await Promise.all([db.table(table).get(id) as Promise<Record<string, unknown> | undefined>, db.syncMeta.get(metaKey(table, id))]);
  if (!row) return undefined;
  return { table, id, unitId: String(row.unitId), data: row, clocks: meta?.clocks ?? {}, deleted: meta?.deleted ?? false };
}

async function applyChange(db: NedenfraDb, change: Change, hlc: Hlc, deviceUnitId: string | null): Promise<StoredRecord> {
  const id = change.op === 'create' ? String(change.data.id) : change.id;
  const existing = await storedRecord(db, change.table, id);
  if (change.op !== 'create' && !existing) throw new StorageError('invalidData', `No ${change.table} record ${id} on this tablet.`);
  const unitId = deviceUnitId ?? existing?.unitId ?? String(change.op === 'create' ? change.data.unitId : '');
  if (change.op === 'create' && change.data.unitId !== unitId) throw refusedWrite('forbidden', 'a tablet writes only for its own unit');

  const fields = change.op === 'delete' ? {} : withoutDerived(change.table, change.op === 'create' ? change.data : change.fields);
  const base =
    change.op === 'patch' && existing
      ? Object.fromEntries(Object.keys(fields).map((f) => [f, Object.hasOwn(existing.clocks, f) ? existing.clocks[f]! : HLC_ZERO]))
      : undefined;
  const parsed = Mutation.safeParse({
    mutationId: newId(),
    seq: 1, // the outbox numbers it
    table: change.table,
    recordId: id,
    op: change.op,
    fields,
    hlc,
    ...(base ? { base } : {}),
    schemaVersion: MUTATION_SCHEMA_VERSION,
  });
  if (!parsed.success) throw new StorageError('invalidData', z.prettifyError(parsed.error), parsed.error);
  const mutation = parsed.data;

  const referenced = new Map<string, StoredRecord>();
  for (const ref of [...referencesOf(change.table, existing?.data ?? {}), ...referencesOf(change.table, fields)]) {
    const record = await storedRecord(db, ref.table, ref.id);
    if (record) referenced.set(metaKey(ref.table, ref.id), record);
  }
  const result = applyMutation(existing, mutation, { unitId, find: (table, refId) => referenced.get(metaKey(table, refId)) });
  if (!result.ok) throw refusedWrite(result.reason, result.detail);
  if (!result.changed) return result.record; // a repeat of what is stored: nothing to save or send

  const { record } = result;
  const table = db.table(change.table);
  if (record.deleted) await table.delete(id);
  else await table.put(record.data);
  await db.syncMeta.put({ key: metaKey(change.table, id), table: change.table, id, clocks: record.clocks, deleted: record.deleted });
  // Queue the stored values (trimmed, defaulted): a create or publish sends the whole record, a patch its fields.
  const sent =
    change.op === 'patch'
      ? Object.fromEntries(Object.keys(fields).map((f) => [f, record.data[f]]))
      : change.op === 'delete'
        ? {}
        : withoutDerived(change.table, record.data);
  await queue(db, change.table, id, change.op, sent, hlc, base);
  return record;
}

const withoutDerived = (table: TableName, fields: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(fields).filter(([f]) => !isDerivedField(table, f)));

/**
 * Derive the status of these ideas from the decisions, evaluations and
 * follow-ups stored here (rules/ideaStatus.ts) and store it: inside the caller's transaction,
 * so a decision and the status it gives its idea are saved together. Ideas
 * of other units keep the status their server gave them (this tablet does
 * not hold their evaluations). Returns the ideas whose status changed.
 */
export async function recomputeIdeaStatus(db: NedenfraDb, ideaIds: Iterable<string>, unitId: string | null): Promise<Map<string, Record<string, unknown>>> {
  const updated = new Map<string, Record<string, unknown>>();
  for (const id of new Set(ideaIds)) {
    const idea = (await db.ideas.get(id)) as Record<string, unknown> | undefined;
    if (!idea || (unitId !== null && idea.unitId !== unitId)) continue;
    const related = await Promise.all(
      STATUS_SOURCE_TABLES.map(async (table) =>
        (await db.table(table).where('ideaId').equals(id).toArray()).map((data: Record<string, unknown>) => ({
          table,
          unitId: String(data.unitId),
          data,
          deleted: false,
        })),
      ),
    );
    const status = ideaStatusFrom({ id, unitId: String(idea.unitId) }, related.flat());
    if (idea.status === status) continue;
    const next = { ...idea, status };
    await db.ideas.put(next as TableRecords['ideas']);
    updated.set(id, next);
  }
  return updated;
}

async function queue(
  db: NedenfraDb,
  table: TableName,
  recordId: string,
  op: OutboxRow['op'],
  fields: Record<string, unknown>,
  hlc: Hlc,
  base?: Record<string, Hlc>,
) {
  await db.outbox.add({
    mutationId: newId(),
    table,
    recordId,
    op,
    fields,
    hlc,
    ...(base ? { base } : {}),
    schemaVersion: MUTATION_SCHEMA_VERSION,
    createdAt: Date.now(),
    attempts: 0,
    lastError: null,
  });
}

/**
 * Run an IndexedDB operation; if the connection was lost (the browser closed
 * it, or another tab upgraded the schema), reopen once and retry. The retry is
 * safe: the failed transaction was rolled back as a whole.
 */
export async function withReopen<T>(db: NedenfraDb, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    const storageError = toStorageError(err);
    if (!isRetryable(storageError)) throw storageError;
    try {
      db.close();
      await db.open();
      return await run();
    } catch (retryErr) {
      throw toStorageError(retryErr);
    }
  }
}

/** What a caller supplies for a new record: id and createdAt are filled in when absent. */
export type NewRecord<T extends TableName> = Omit<z.input<(typeof TABLE_SCHEMAS)[T]>, 'id' | 'createdAt'> & {
  id?: string;
  createdAt?: string;
};

/** Convenience wrappers for the common single-record cases. */
export async function createRecord<T extends TableName>(
  db: NedenfraDb,
  table: T,
  data: NewRecord<T>,
  options?: CommitOptions,
): Promise<TableRecords[T]> {
  const full = { ...data, id: data.id ?? newId(), createdAt: data.createdAt ?? new Date().toISOString() };
  const [stored] = await commit(db, [{ op: 'create', table, data: full }], options);
  return stored as TableRecords[T];
}

export async function patchRecord<T extends TableName>(
  db: NedenfraDb,
  table: T,
  id: string,
  fields: Partial<TableRecords[T]>,
): Promise<TableRecords[T]> {
  const [stored] = await commit(db, [{ op: 'patch', table, id, fields: fields }]);
  return stored as TableRecords[T];
}

export async function deleteRecord(db: NedenfraDb, table: TableName, id: string): Promise<void> {
  await commit(db, [{ op: 'delete', table, id }]);
}

/**
 * Read a table and validate every record against the current schema. Records
 * that fail are reported, never silently dropped or deleted.
 */
export async function readValid<T extends TableName>(
  db: NedenfraDb,
  table: T,
  rows?: unknown[],
): Promise<{ records: TableRecords[T][]; invalid: { id: unknown; error: string }[] }> {
  const raw = rows ?? (await withReopen(db, () => db.table(table).toArray()));
  const schema = TABLE_SCHEMAS[table];
  const records: TableRecords[T][] = [];
  const invalid: { id: unknown; error: string }[] = [];
  for (const row of raw) {
    const parsed = schema.safeParse(row);
    if (parsed.success) records.push(parsed.data as TableRecords[T]);
    else invalid.push({ id: (row as { id?: unknown }).id, error: z.prettifyError(parsed.error) });
  }
  return { records, invalid };
}
