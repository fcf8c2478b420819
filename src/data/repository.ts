/**
 * Every local write goes through `commit`: in ONE IndexedDB transaction it
 * writes the records, their per-field clocks (syncMeta) and one outbox row per
 * change, so a change is either fully saved and queued for sync, or not at all.
 * The returned promise resolves only after the transaction committed (with
 * strict durability), which is when the UI may say "saved".
 */
import { z } from 'zod';
import {
  HLC_ZERO,
  MUTATION_SCHEMA_VERSION,
  TABLE_SCHEMAS,
  assertEditable,
  newId,
  type Hlc,
  type TableName,
  type TableRecords,
} from '../domain';
import { DEVICE_KEY, loadClock } from './clock';
import type { BlobRow, NedenfraDb, OutboxRow, SyncMetaRow } from './db';
import { StorageError, isRetryable, toStorageError } from './errors';

export type Change =
  | { op: 'create'; table: TableName; data: Record<string, unknown> }
  | { op: 'patch'; table: TableName; id: string; fields: Record<string, unknown> }
  | { op: 'delete'; table: TableName; id: string };

export interface CommitOptions {
  /** Photos saved in the same transaction as the idea that shows them. */
  blobs?: BlobRow[];
  /** Form drafts the saved record replaces, cleared in the same transaction. */
  draftKeysToClear?: string[];
}

export const metaKey = (table: TableName, id: string) => `${table}/${id}`;

const SYNC_TABLES = ['syncMeta', 'outbox', 'kv', 'blobs', 'drafts'] as const;

/** Validate and apply local changes atomically; returns the records as stored. */
export async function commit(db: NedenfraDb, changes: Change[], options: CommitOptions = {}): Promise<Record<string, unknown>[]> {
  const clock = await loadClock(db);
  const tables = [...new Set(changes.map((c) => c.table)), ...SYNC_TABLES];
  const run = () =>
    db.transaction('rw', tables, async () => {
      const stored: Record<string, unknown>[] = [];
      for (const change of changes) stored.push(await applyChange(db, change, clock.send()));
      if (options.blobs?.length) await db.blobs.bulkPut(options.blobs);
      if (options.draftKeysToClear?.length) await db.drafts.bulkDelete(options.draftKeysToClear);
      await db.kv.put({ key: DEVICE_KEY, value: { installId: clock.node, hlc: clock.current() } });
      return stored;
    });
  return withReopen(db, run);
}

async function applyChange(db: NedenfraDb, change: Change, hlc: Hlc): Promise<Record<string, unknown>> {
  const schema = TABLE_SCHEMAS[change.table] as z.ZodType<Record<string, unknown>>;
  const table = db.table(change.table);
  const key = metaKey(change.table, change.op === 'create' ? String(change.data.id) : change.id);
  if (change.op === 'create') {
    const data = parseOrThrow(schema, change.data);
    await table.put(data);
    const clocks = Object.fromEntries(Object.keys(data).map((f) => [f, hlc]));
    await db.syncMeta.put({ key, table: change.table, id: String(data.id), clocks, deleted: false });
    await queue(db, change.table, String(data.id), 'create', data, hlc);
    return data;
  }
  const existing = (await table.get(change.id)) as Record<string, unknown> | undefined;
  if (!existing) throw new StorageError('invalidData', `No ${change.table} record ${change.id} on this tablet.`);
  if (change.table === 'unitDecisions') assertEditable(existing as { state: 'draft' | 'published' });
  const meta: SyncMetaRow = (await db.syncMeta.get(key)) ?? { key, table: change.table, id: change.id, clocks: {}, deleted: false };
  if (change.op === 'delete') {
    await table.delete(change.id);
    await db.syncMeta.put({ ...meta, deleted: true, clocks: { ...meta.clocks, _deleted: hlc } });
    await queue(db, change.table, change.id, 'delete', {}, hlc);
    return existing;
  }
  const { id: _id, unitId: _unit, createdAt: _created, ...fields } = change.fields;
  const data = parseOrThrow(schema, { ...existing, ...fields });
  await table.put(data);
  const clocks = { ...meta.clocks, ...Object.fromEntries(Object.keys(fields).map((f) => [f, hlc])) };
  await db.syncMeta.put({ ...meta, clocks });
  // Queue the parsed values (trimmed, defaulted), exactly what is stored locally.
  const base = Object.fromEntries(Object.keys(fields).map((f) => [f, meta.clocks[f] ?? HLC_ZERO]));
  await queue(db, change.table, change.id, 'patch', Object.fromEntries(Object.keys(fields).map((f) => [f, data[f]])), hlc, base);
  return data;
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

function parseOrThrow(schema: z.ZodType<Record<string, unknown>>, value: unknown): Record<string, unknown> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new StorageError('invalidData', z.prettifyError(parsed.error), parsed.error);
  return parsed.data;
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
