/**
 * Merging mutations into records: the one place that decides what a write does.
 * Pure, shared by the server (applying pushed mutations) and the client
 * (applying pulled records), so both sides reach the same state.
 *
 * A stored record is its validated data plus one HLC per field. Rules:
 *   - create: insert-if-absent; on an existing record it merges like a patch,
 *     so replays and full-state re-pushes are no-ops;
 *   - patch: last-writer-wins per field by HLC; when two devices wrote a field
 *     concurrently (see Mutation.base), the losing value goes to the conflict log;
 *   - delete: a tombstone, final (remove wins over concurrent patches);
 *   - append-only tables refuse patches; a published decision refuses any change;
 *   - the merged data must pass the table's schema, or the mutation is rejected.
 */
import { z } from 'zod';
import { compareHlc, Hlc, HLC_ZERO, parseHlc } from './hlc';
import { Id } from './ids';
import { APPEND_ONLY, DELETABLE, IDENTITY_FIELDS, TABLE_SCHEMAS, TableName, UNIT_EDITABLE_FIELDS } from './tables';

export const MutationOp = z.enum(['create', 'patch', 'delete']);
export type MutationOp = z.infer<typeof MutationOp>;

/** Current shape of mutation fields; older tablets send older versions (see upcastFields). */
export const MUTATION_SCHEMA_VERSION = 1;

export const Mutation = z.object({
  mutationId: Id,
  /** The device's own monotonic number for this mutation (1, 2, 3, …). */
  seq: z.number().int().min(1),
  table: TableName,
  recordId: Id,
  op: MutationOp,
  fields: z.record(z.string(), z.unknown()),
  hlc: Hlc,
  /**
   * Per-field clocks where they differ from `hlc`: set only when a tablet
   * re-pushes its full state after a server restore, so old writes keep their
   * original clocks and lose to anything newer.
   */
  clocks: z.record(z.string(), Hlc).optional(),
  /**
   * For patches: each field's clock as the device saw it when editing. If the
   * server's clock differs, someone else wrote the field concurrently: that is
   * a conflict worth logging (a plain later edit is not).
   */
  base: z.record(z.string(), Hlc).optional(),
  schemaVersion: z.number().int().min(1).default(1),
});
export type Mutation = z.infer<typeof Mutation>;
export type MutationInput = z.input<typeof Mutation>;

export const StoredRecord = z.object({
  table: TableName,
  id: Id,
  unitId: Id,
  data: z.record(z.string(), z.unknown()),
  clocks: z.record(z.string(), Hlc),
  deleted: z.boolean(),
});
export type StoredRecord = z.infer<typeof StoredRecord>;

export const Conflict = z.object({
  table: TableName,
  recordId: Id,
  field: z.string(),
  winnerHlc: Hlc,
  loserHlc: Hlc,
  loserValue: z.unknown(),
});
export type Conflict = z.infer<typeof Conflict>;

export const RejectReason = z.enum([
  'invalid',
  'forbidden',
  'unknownRecord',
  'appendOnly',
  'publishedImmutable',
  'notDeletable',
  'unsupportedSchemaVersion',
]);
export type RejectReason = z.infer<typeof RejectReason>;

export type MergeResult =
  { ok: true; record: StoredRecord; conflicts: Conflict[]; changed: boolean } | { ok: false; reason: RejectReason; detail: string };

export interface MergeContext {
  /** The unit the writing device is enrolled in (from its token). */
  unitId: Id;
}

const reject = (reason: RejectReason, detail: string): MergeResult => ({ ok: false, reason, detail });

/**
 * Bring fields written by an older app version up to the current shape. Add a
 * case here whenever MUTATION_SCHEMA_VERSION goes up, never edit old ones.
 */
export function upcastFields(_table: TableName, schemaVersion: number, fields: Record<string, unknown>) {
  if (schemaVersion > MUTATION_SCHEMA_VERSION) return null;
  return fields;
}

export function applyMutation(existing: StoredRecord | undefined, m: Mutation, ctx: MergeContext): MergeResult {
  const fields = upcastFields(m.table, m.schemaVersion, m.fields);
  if (!fields) return reject('unsupportedSchemaVersion', `schema version ${m.schemaVersion} is newer than this server`);
  if (existing && existing.unitId !== ctx.unitId) return reject('forbidden', 'record belongs to another unit');
  if (m.table === 'units') {
    if (m.recordId !== ctx.unitId) return reject('forbidden', 'a device may only change its own unit');
    if (m.op !== 'patch') return reject('forbidden', 'units are created and removed by the administrator');
    const extra = Object.keys(fields).filter((f) => !UNIT_EDITABLE_FIELDS.has(f));
    if (extra.length) return reject('forbidden', `unit fields not editable: ${extra.join(', ')}`);
  }

  if (m.op === 'delete') {
    if (!DELETABLE.has(m.table)) return reject('notDeletable', `${m.table} cannot be deleted`);
    if (!existing) return reject('unknownRecord', 'nothing to delete');
    if (existing.deleted) return { ok: true, record: existing, conflicts: [], changed: false };
    if (m.table === 'unitDecisions' && existing.data.state === 'published')
      return reject('publishedImmutable', 'a published decision cannot be deleted');
    return {
      ok: true,
      record: { ...existing, deleted: true, clocks: { ...existing.clocks, _deleted: m.hlc } },
      conflicts: [],
      changed: true,
    };
  }

  if (!existing) {
    if (m.op === 'patch') return reject('unknownRecord', 'patch of a record the server does not have');
    const parsed = TABLE_SCHEMAS[m.table].safeParse({ ...fields, id: m.recordId, unitId: ctx.unitId });
    if (!parsed.success) return reject('invalid', z.prettifyError(parsed.error));
    const data = parsed.data as Record<string, unknown>;
    const clocks = Object.fromEntries(Object.keys(data).map((f) => [f, m.clocks?.[f] ?? m.hlc]));
    return {
      ok: true,
      record: { table: m.table, id: m.recordId, unitId: ctx.unitId, data, clocks, deleted: false },
      conflicts: [],
      changed: true,
    };
  }

  if (existing.deleted) return { ok: true, record: existing, conflicts: [], changed: false };
  const incoming = Object.fromEntries(Object.entries(fields).filter(([f]) => !IDENTITY_FIELDS.has(f)));
  const { data, clocks, conflicts, changed } = mergeFields(existing, incoming, m);
  if (!changed) return { ok: true, record: existing, conflicts, changed: false };
  if (m.op === 'patch' && APPEND_ONLY.has(m.table)) return reject('appendOnly', `${m.table} are never changed after creation`);
  if (m.table === 'unitDecisions' && existing.data.state === 'published')
    return reject('publishedImmutable', 'a published decision never changes; write a new one that supersedes it');
  const parsed = TABLE_SCHEMAS[m.table].safeParse(data);
  if (!parsed.success) return reject('invalid', z.prettifyError(parsed.error));
  return { ok: true, record: { ...existing, data: parsed.data, clocks }, conflicts, changed };
}

/**
 * Merge a record pulled from the server into the local copy (client side). The
 * server's record already holds every acknowledged write, but the local copy
 * may have newer, still-queued edits: per field, the later clock wins.
 */
export function mergeRemoteRecord(local: StoredRecord | undefined, remote: StoredRecord): StoredRecord {
  if (!local) return remote;
  if (local.deleted || remote.deleted) {
    return { ...remote, deleted: true, data: remote.deleted ? remote.data : local.data };
  }
  const data: Record<string, unknown> = { ...remote.data };
  const clocks: Record<string, Hlc> = { ...remote.clocks };
  for (const [field, localClock] of Object.entries(local.clocks)) {
    if (compareHlc(localClock, remote.clocks[field] ?? HLC_ZERO) > 0) {
      data[field] = local.data[field];
      clocks[field] = localClock;
    }
  }
  return { ...remote, data, clocks };
}

function mergeFields(existing: StoredRecord, incoming: Record<string, unknown>, m: Mutation) {
  const data: Record<string, unknown> = { ...existing.data };
  const clocks: Record<string, Hlc> = { ...existing.clocks };
  const conflicts: Conflict[] = [];
  let changed = false;
  for (const [field, value] of Object.entries(incoming)) {
    const hlc = m.clocks?.[field] ?? m.hlc;
    const current = clocks[field] ?? HLC_ZERO;
    const order = compareHlc(hlc, current);
    if (order === 0) continue; // the same write again
    const same = sameValue(value, data[field]);
    const concurrent =
      current !== HLC_ZERO &&
      parseHlc(current).node !== parseHlc(hlc).node &&
      (m.base === undefined || (m.base[field] ?? HLC_ZERO) !== current);
    if (order > 0) {
      if (!same && concurrent)
        conflicts.push({ table: m.table, recordId: existing.id, field, winnerHlc: hlc, loserHlc: current, loserValue: data[field] });
      data[field] = value;
      clocks[field] = hlc;
      changed = true; // a newer clock is worth storing even on an equal value
    } else if (!same && concurrent) {
      conflicts.push({ table: m.table, recordId: existing.id, field, winnerHlc: current, loserHlc: hlc, loserValue: value });
    }
  }
  return { data, clocks, conflicts, changed };
}

/** Structural equality for JSON values (records hold only JSON). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null) return false;
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  return JSON.stringify(a) === JSON.stringify(b);
}
