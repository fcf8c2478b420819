/**
 * Merging mutations into records: the one place that decides what a write does.
 * Pure, shared by the server (applying pushed mutations), the tablet's
 * repository (applying local writes, so it refuses exactly what the server
 * would) and the sync client (applying pulled records), so all reach the same
 * state.
 *
 * A stored record is its validated data plus one HLC per field. Rules:
 *   - fields: only those of the table's schema (tables.ts: TABLE_FIELDS);
 *     each incoming value must pass its field's schema, and the merged record
 *     the table's schema. Derived fields (an idea's status) are dropped: no
 *     device writes them. Fields fixed at creation may be repeated, never changed;
 *   - references (rules/references.ts) must name records of the same unit;
 *   - create: insert-if-absent; on an existing record it merges like a patch,
 *     so replays and full-state re-pushes are no-ops;
 *   - patch: last-writer-wins per field by HLC; when two devices wrote a field
 *     concurrently (see Mutation.base), the losing value goes to the conflict
 *     log, and a losing incoming field is reported (`lost`);
 *   - delete: a tombstone, final (remove wins over concurrent patches);
 *   - append-only tables and published decisions: a write identical to what is
 *     stored is a no-op, any other write is refused;
 *   - tables the server writes (steering-group decisions, erasure
 *     instructions: tables.ts, SERVER_AUTHORED) refuse every device's write;
 *   - publish (decisions of either level, tables.ts: DECISION_TABLES): one
 *     atomic act on the exact content the publisher saw. The
 *     mutation carries the decision's full content; if the stored draft's
 *     content differs (another tablet edited it meanwhile), or it is gone,
 *     the publish is refused (`draftChanged`) and nothing is published.
 *     Content, not clocks, is compared: the server may re-stamp clocks (skew guard).
 */
import { z } from 'zod';
import { compareHlc, Hlc, HLC_ZERO, parseHlc } from './hlc';
import { Id } from './ids';
import { upcastFields } from './migrations';
import { checkReferences, type FindRecord } from './rules/references';
import {
  APPEND_ONLY,
  DELETABLE,
  fieldSchema,
  FIXED_FIELDS,
  isDecisionTable,
  isDerivedField,
  SERVER_AUTHORED,
  TABLE_FIELDS,
  TABLE_SCHEMAS,
  TableName,
  UNIT_EDITABLE_FIELDS,
} from './tables';
import { jsonProblem, sameValue } from './text';

export const MutationOp = z.enum(['create', 'patch', 'delete', 'publish']);
export type MutationOp = z.infer<typeof MutationOp>;

/** More than any record has (the largest has 17 fields). */
export const MAX_MUTATION_FIELDS = 64;

const FieldName = z.string().min(1).max(64);

/** A field map as sent: bounded in keys, depth and size, text storable (text.ts). */
const FieldMap = <T extends z.ZodType>(value: T) =>
  z
    .record(FieldName, value)
    .refine((m) => Object.keys(m).length <= MAX_MUTATION_FIELDS, `at most ${MAX_MUTATION_FIELDS} fields`)
    .superRefine((m, ctx) => {
      const problem = jsonProblem(m);
      if (problem) ctx.addIssue({ code: 'custom', message: `fields: ${problem}` });
    });

/** The record parser drops a `__proto__` key silently; a write must be taken whole or refused, so it is refused. */
const namesProto = (raw: unknown) =>
  typeof raw === 'object' &&
  raw !== null &&
  ['fields', 'clocks', 'base'].some((k) => {
    const map = (raw as Record<string, unknown>)[k];
    return typeof map === 'object' && map !== null && Object.hasOwn(map, '__proto__');
  });

const MutationObject = z.object({
  mutationId: Id,
  /** The device's own monotonic number for this mutation (1, 2, 3, …). */
  seq: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  table: TableName,
  recordId: Id,
  op: MutationOp,
  fields: FieldMap(z.unknown()),
  hlc: Hlc,
  /**
   * Per-field clocks where they differ from `hlc`: set only when a tablet
   * re-pushes its full state after a server restore, so old writes keep their
   * original clocks and lose to anything newer.
   */
  clocks: FieldMap(Hlc).optional(),
  /**
   * For patches: each field's clock as the device saw it when editing. If the
   * server's clock differs, someone else wrote the field concurrently: that is
   * a conflict worth logging (a plain later edit is not).
   */
  base: FieldMap(Hlc).optional(),
  schemaVersion: z.number().int().min(1).max(1000).default(1),
});
export const Mutation = z
  .custom<z.input<typeof MutationObject>>((raw) => !namesProto(raw), '"__proto__" is not a field name')
  .pipe(MutationObject);
export type Mutation = z.infer<typeof MutationObject>;
export type MutationInput = z.input<typeof MutationObject>;

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
  /** A publish whose draft changed (or was deleted) on another tablet before it arrived: nothing was published. */
  'draftChanged',
]);
export type RejectReason = z.infer<typeof RejectReason>;

export type MergeResult =
  | {
      ok: true;
      record: StoredRecord;
      conflicts: Conflict[];
      /** Fields of this mutation whose value lost to a concurrent, newer write (the writer is told). */
      lost: string[];
      changed: boolean;
    }
  | { ok: false; reason: RejectReason; detail: string };

export interface MergeContext {
  /** The unit the writing device is enrolled in (from its token); for the server's own writes, the record's unit. */
  unitId: Id;
  /** Who writes: a tablet (the default), or the server itself (the console: steering-group decisions, erasures). */
  author?: 'device' | 'server';
  /** Finds the records a write refers to (rules/references.ts), as stored or written earlier in the same batch. */
  find: FindRecord;
}

const reject = (reason: RejectReason, detail: string): MergeResult => ({ ok: false, reason, detail });
const unchanged = (record: StoredRecord, conflicts: Conflict[] = [], lost: string[] = []): MergeResult => ({
  ok: true,
  record,
  conflicts,
  lost,
  changed: false,
});

/** The decision fields the act of publishing sets; every other field is the content the publisher saw. */
const PUBLISH_FIELDS: ReadonlySet<string> = new Set(['state', 'publishedAt', 'publishedBy']);

const listed = (names: string[]) => (names.length > 5 ? `${names.slice(0, 5).join(', ')} …` : names.join(', '));

/**
 * The incoming fields a write may apply: schema fields only (in `fields`,
 * `clocks` and `base` alike), each valid on its own, derived ones dropped.
 * A string is the reason to refuse.
 */
function incomingFields(
  table: TableName,
  m: Pick<Mutation, 'clocks' | 'base'>,
  fields: Record<string, unknown>,
): Record<string, unknown> | string {
  const known = TABLE_FIELDS[table];
  for (const [what, map] of [
    ['fields', fields],
    ['clocks', m.clocks ?? {}],
    ['base', m.base ?? {}],
  ] as const) {
    const unknown = Object.keys(map).filter((f) => !known.has(f));
    if (unknown.length) return `unknown ${what} for ${table}: ${listed(unknown)}`;
  }
  const incoming: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(fields)) {
    if (isDerivedField(table, field)) continue;
    const parsed = fieldSchema(table, field)!.safeParse(value);
    if (!parsed.success) return `${field}: ${z.prettifyError(parsed.error)}`;
    incoming[field] = parsed.data;
  }
  return incoming;
}

/** A whole record of `table` from fields (identity from the mutation and the device), or the reason it is invalid. */
function parseRecord(table: TableName, fields: Record<string, unknown>, id: string, unitId: string) {
  const parsed = TABLE_SCHEMAS[table].safeParse({ ...fields, id, unitId });
  return parsed.success ? { data: parsed.data as Record<string, unknown> } : { problem: z.prettifyError(parsed.error) };
}

/** Fields (other than derived ones) whose value in `a` differs from `b`. */
function differingFields(table: TableName, a: Record<string, unknown>, b: Record<string, unknown>, skip: ReadonlySet<string> = new Set()) {
  return [...TABLE_FIELDS[table]].filter(
    (f) =>
      !isDerivedField(table, f) &&
      !skip.has(f) &&
      !sameValue(Object.hasOwn(a, f) ? a[f] : undefined, Object.hasOwn(b, f) ? b[f] : undefined),
  );
}

const clockFor = (m: Mutation, field: string): Hlc => (m.clocks && Object.hasOwn(m.clocks, field) ? m.clocks[field]! : m.hlc);

export function applyMutation(existing: StoredRecord | undefined, m: Mutation, ctx: MergeContext): MergeResult {
  const fields = upcastFields(m.table, m.schemaVersion, m.fields);
  if (!fields) return reject('unsupportedSchemaVersion', `schema version ${m.schemaVersion} is newer than this server`);
  if (existing && existing.unitId !== ctx.unitId) return reject('forbidden', 'record belongs to another unit');
  if (SERVER_AUTHORED.has(m.table) && ctx.author !== 'server')
    return reject('forbidden', `${m.table} are written by the municipality's server`);
  if (m.table === 'units') {
    if (m.recordId !== ctx.unitId) return reject('forbidden', 'a device may only change its own unit');
    if (m.op !== 'patch') return reject('forbidden', 'units are created and removed by the administrator');
    const extra = Object.keys(fields).filter((f) => !UNIT_EDITABLE_FIELDS.has(f));
    if (extra.length) return reject('forbidden', `unit fields not editable: ${listed(extra)}`);
  }
  if (m.op === 'publish' && !isDecisionTable(m.table)) return reject('invalid', 'only decisions are published');

  if (m.op === 'delete') {
    if (!DELETABLE.has(m.table)) return reject('notDeletable', `${m.table} cannot be deleted`);
    if (!existing) return reject('unknownRecord', 'nothing to delete');
    if (existing.deleted) return unchanged(existing);
    if (isDecisionTable(m.table) && existing.data.state === 'published')
      return reject('publishedImmutable', 'a published decision cannot be deleted');
    return {
      ok: true,
      record: { ...existing, deleted: true, clocks: { ...existing.clocks, _deleted: m.hlc } },
      conflicts: [],
      lost: [],
      changed: true,
    };
  }

  const incoming = incomingFields(m.table, m, fields);
  if (typeof incoming === 'string') return reject('invalid', incoming);

  if (!existing) {
    if (m.op === 'patch') return reject('unknownRecord', 'patch of a record the server does not have');
    if (m.op === 'publish') return reject('unknownRecord', 'publish of a draft the server does not have');
    const parsed = parseRecord(m.table, incoming, m.recordId, ctx.unitId);
    if (!parsed.data) return reject('invalid', parsed.problem);
    const data = parsed.data;
    const clocks: Record<string, Hlc> = {};
    for (const f of Object.keys(data)) if (!isDerivedField(m.table, f)) clocks[f] = clockFor(m, f);
    const record: StoredRecord = { table: m.table, id: m.recordId, unitId: ctx.unitId, data, clocks, deleted: false };
    const refs = checkReferences(record, ctx.find);
    if (!refs.ok) return reject(refs.reason, refs.detail);
    return { ok: true, record, conflicts: [], lost: [], changed: true };
  }

  if (existing.deleted) {
    if (m.op === 'publish') return reject('draftChanged', 'the draft was deleted on another tablet; nothing was published');
    return unchanged(existing);
  }

  // Written once: a write that changes nothing is a no-op (a replay, a re-push), any other is refused.
  const frozen = APPEND_ONLY.has(m.table)
    ? 'appendOnly'
    : isDecisionTable(m.table) && existing.data.state === 'published'
      ? 'publishedImmutable'
      : null;
  if (frozen) {
    const differing = Object.keys(incoming).filter((f) => !sameValue(incoming[f], existing.data[f]));
    if (!differing.length) return unchanged(existing);
    return reject(
      frozen,
      frozen === 'appendOnly'
        ? `${m.table} are never changed after creation (${listed(differing)})`
        : `a published decision never changes; write a new one that supersedes it (${listed(differing)})`,
    );
  }

  for (const f of FIXED_FIELDS[m.table]) {
    if (!Object.hasOwn(incoming, f)) continue;
    const expected = f === 'unitId' ? existing.unitId : f === 'id' ? existing.id : existing.data[f];
    if (!sameValue(incoming[f], expected)) return reject('invalid', `${f} is fixed when the record is created`);
  }

  if (isDecisionTable(m.table) && (m.op === 'publish' || incoming.state === 'published')) {
    if (m.op === 'patch') return reject('invalid', 'a decision is published with the publish operation, carrying its full content');
    return publishDraft(existing, m, incoming);
  }

  const { data, clocks, conflicts, lost, changed } = mergeFields(existing, incoming, m);
  if (!changed) return unchanged(existing, conflicts, lost);
  const parsed = TABLE_SCHEMAS[m.table].safeParse(data);
  if (!parsed.success) return reject('invalid', z.prettifyError(parsed.error));
  const record: StoredRecord = { ...existing, data: parsed.data, clocks };
  const moved = new Set(Object.keys(incoming).filter((f) => !sameValue(record.data[f], existing.data[f])));
  const refs = checkReferences(record, ctx.find, moved);
  if (!refs.ok) return reject(refs.reason, refs.detail);
  return { ok: true, record, conflicts, lost, changed };
}

/**
 * Publish a stored draft: only if its content is exactly what the publisher
 * saw (see the header). A `create` (a tablet re-pushing its full state after
 * a server restore) first restates its content writes with their own clocks,
 * as any re-pushed record does; it publishes only if the draft then holds
 * exactly its content, i.e. no newer edit it never saw is in the way.
 */
function publishDraft(existing: StoredRecord, m: Mutation, incoming: Record<string, unknown>): MergeResult {
  const parsed = parseRecord(m.table, { createdAt: existing.data.createdAt, ...incoming }, existing.id, existing.unitId);
  if (!parsed.data) return reject('invalid', parsed.problem);
  if (parsed.data.state !== 'published') return reject('invalid', 'a publish must carry state "published"');
  let draft = existing;
  if (m.op === 'create') {
    const content = Object.fromEntries(Object.entries(incoming).filter(([f]) => !PUBLISH_FIELDS.has(f)));
    const restated = mergeFields(existing, content, m);
    draft = { ...existing, data: restated.data, clocks: restated.clocks };
  }
  const changedUnderneath = differingFields(m.table, parsed.data, draft.data, PUBLISH_FIELDS);
  if (changedUnderneath.length)
    return reject(
      'draftChanged',
      `the draft changed on another tablet before this publish arrived (${listed(changedUnderneath)}); nothing was published`,
    );
  const clocks = { ...draft.clocks };
  for (const f of PUBLISH_FIELDS) clocks[f] = clockFor(m, f);
  return { ok: true, record: { ...existing, data: parsed.data, clocks }, conflicts: [], lost: [], changed: true };
}

/**
 * Merge a record pulled from the server into the local copy (client side). The
 * server's record already holds every acknowledged write, but the local copy
 * may have newer, still-queued edits: per field, the later clock wins.
 * Derived fields are the server's (the tablet recomputes them right after).
 * A decision is never merged field by field once either side is published:
 * a local publish on its way keeps the local record whole until the server
 * has answered it; a published remote one replaces a local draft whole.
 */
export function mergeRemoteRecord(local: StoredRecord | undefined, remote: StoredRecord): StoredRecord {
  if (!local) return remote;
  if (local.deleted || remote.deleted) {
    return { ...remote, deleted: true, data: remote.deleted ? remote.data : local.data };
  }
  if (isDecisionTable(remote.table)) {
    if (local.data.state === 'published') return local;
    if (remote.data.state === 'published') return remote;
  }
  const data: Record<string, unknown> = { ...remote.data };
  const clocks: Record<string, Hlc> = { ...remote.clocks };
  for (const [field, localClock] of Object.entries(local.clocks)) {
    if (isDerivedField(remote.table, field) || !TABLE_FIELDS[remote.table].has(field)) continue;
    const remoteClock = Object.hasOwn(remote.clocks, field) ? remote.clocks[field]! : HLC_ZERO;
    if (compareHlc(localClock, remoteClock) > 0) {
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
  const lost: string[] = [];
  let changed = false;
  for (const [field, value] of Object.entries(incoming)) {
    if (FIXED_FIELDS[m.table].has(field)) continue; // checked equal above
    const hlc = clockFor(m, field);
    const current = Object.hasOwn(clocks, field) ? clocks[field]! : HLC_ZERO;
    const order = compareHlc(hlc, current);
    if (order === 0) continue; // the same write again
    const stored = Object.hasOwn(data, field) ? data[field] : undefined;
    const same = sameValue(value, stored);
    const seen = m.base && Object.hasOwn(m.base, field) ? m.base[field] : HLC_ZERO;
    const concurrent = current !== HLC_ZERO && parseHlc(current).node !== parseHlc(hlc).node && (m.base === undefined || seen !== current);
    if (order > 0) {
      if (!same && concurrent)
        conflicts.push({ table: m.table, recordId: existing.id, field, winnerHlc: hlc, loserHlc: current, loserValue: stored });
      data[field] = value;
      clocks[field] = hlc;
      changed = true; // a newer clock is worth storing even on an equal value
    } else if (!same && concurrent) {
      conflicts.push({ table: m.table, recordId: existing.id, field, winnerHlc: current, loserHlc: hlc, loserValue: value });
      lost.push(field);
    }
  }
  return { data, clocks, conflicts, lost, changed };
}
