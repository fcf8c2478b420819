/**
 * The merge against input no tablet of ours sends but any client can: field
 * names that are Object.prototype members or `__proto__`, values nested far
 * too deep, NUL and lone surrogates, huge strings, numbers JSON cannot carry.
 * Through the same path as the server (Mutation schema, then applyMutation):
 * it never throws, never stores or clocks a field outside the table's schema,
 * and never changes a published decision (nor an append-only record's data).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyMutation,
  formatHlc,
  mergeRemoteRecord,
  Mutation,
  newId,
  TABLE_FIELDS,
  TABLE_NAMES,
  type StoredRecord,
  type TableName,
} from '../../src/domain';

const unitId = newId();
const ideaId = newId();
const hlc = (wall: number, node = 'a') => formatHlc({ wall, counter: 0, node });

const idea: StoredRecord = {
  table: 'ideas',
  id: ideaId,
  unitId,
  data: {
    id: ideaId,
    unitId,
    createdAt: '2026-11-23T10:00:00.000Z',
    impossibleNow: 'Løfte alene',
    wouldChange: null,
    beneficiaries: [],
    kind: null,
    bearerName: null,
    photos: [],
    status: 'new',
    sessionId: null,
  },
  clocks: { impossibleNow: hlc(1) },
  deleted: false,
};
const decision = (state: 'draft' | 'published'): StoredRecord => {
  const id = newId();
  return {
    table: 'unitDecisions',
    id,
    unitId,
    data: {
      id,
      unitId,
      createdAt: '2026-11-23T10:00:00.000Z',
      ideaId,
      outcome: 'decline',
      rationale: 'Ikke nå',
      responsible: null,
      followUpDate: null,
      parkUntil: null,
      mergeIntoIdeaId: null,
      participants: [{ role: 'leader', name: 'Kari' }],
      state,
      publishedAt: state === 'published' ? '2026-11-23T12:00:00.000Z' : null,
      publishedBy: state === 'published' ? 'Kari' : null,
      supersedesId: null,
    },
    clocks: { rationale: hlc(1), state: hlc(2) },
    deleted: false,
  };
};
const supportId = newId();
const support: StoredRecord = {
  table: 'supports',
  id: supportId,
  unitId,
  data: { id: supportId, unitId, createdAt: '2026-11-23T10:00:00.000Z', ideaId },
  clocks: { ideaId: hlc(1) },
  deleted: false,
};
const records = [idea, decision('draft'), decision('published'), support];
const find = (table: TableName, id: string) => records.find((r) => r.table === table && r.id === id);

const PROTOTYPE_NAMES = [...Object.getOwnPropertyNames(Object.prototype), '__proto__', 'prototype', 'then'];
const SCHEMA_NAMES = [...new Set(TABLE_NAMES.flatMap((t) => [...TABLE_FIELDS[t]]))];
const fieldName = fc.oneof(fc.constantFrom(...PROTOTYPE_NAMES), fc.constantFrom(...SCHEMA_NAMES), fc.string({ maxLength: 80 }));

const hostileText = fc.oneof(
  fc.string(),
  fc.constantFrom('\u0000', 'a\u0000b', '\ud800', 'x\udc00', '\udfff\ud800', 'ok 👍', ' '.repeat(50)),
  fc.nat({ max: 300_000 }).map((n) => 'x'.repeat(n)),
);
/** A value nested `depth` levels deep, as an array or an object chain. */
const deep = fc.tuple(fc.nat({ max: 20_000 }), fc.boolean()).map(([depth, asArray]) => {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = asArray ? [v] : { v };
  return v;
});
const value: fc.Arbitrary<unknown> = fc.oneof(
  hostileText,
  deep,
  fc.constantFrom(null, undefined, true, 0, -1, NaN, Infinity, 1e308, 'decline', 'published', 'adopt', ideaId, newId()),
  fc.array(fc.oneof(hostileText, fc.constant({ role: 'leader', name: null })), { maxLength: 30 }),
  fc.dictionary(fieldName, hostileText, { maxKeys: 5 }),
);
/** Own properties even for `__proto__` (Object.fromEntries defines, it does not assign). */
const fieldMap = (values: fc.Arbitrary<unknown>) =>
  fc.array(fc.tuple(fieldName, values), { maxLength: 12 }).map((entries) => Object.fromEntries(entries) as Record<string, unknown>);

const rawMutation = fc.record({
  table: fc.constantFrom(...TABLE_NAMES),
  op: fc.constantFrom('create', 'patch', 'delete', 'publish'),
  target: fc.nat({ max: records.length }),
  fields: fieldMap(value),
  clocks: fc.option(fieldMap(fc.oneof(fc.constant(hlc(9, 'b')), hostileText)), { nil: undefined }),
  base: fc.option(fieldMap(fc.constant(hlc(1))), { nil: undefined }),
  wall: fc.integer({ min: 0, max: 20 }),
});

describe('the merge under adversarial input', () => {
  it('never throws, never stores an unknown field, never changes a published decision', () => {
    fc.assert(
      fc.property(rawMutation, ({ table, op, target, fields, clocks, base, wall }) => {
        const existing = records[target];
        const raw = {
          mutationId: newId(),
          seq: 1,
          table: existing?.table ?? table,
          recordId: existing?.id ?? newId(),
          op,
          fields,
          hlc: hlc(wall, 'b'),
          ...(clocks ? { clocks } : {}),
          ...(base ? { base } : {}),
        };
        const parsed = Mutation.safeParse(raw);
        if (!parsed.success) return;
        const result = applyMutation(existing, parsed.data, { unitId, find });
        if (!result.ok) return;
        const { record } = result;
        const known = TABLE_FIELDS[record.table];
        expect(Object.getPrototypeOf(record.data)).toBe(Object.prototype);
        expect(Object.keys(record.data).filter((f) => !known.has(f))).toEqual([]);
        expect(Object.keys(record.clocks).filter((f) => !known.has(f) && f !== '_deleted')).toEqual([]);
        if (existing?.data.state === 'published') {
          expect(result.changed).toBe(false);
          expect(record).toEqual(existing);
        }
        if (existing?.table === 'supports') expect(record.data).toEqual(existing.data); // append-only (a support may be withdrawn: deleted)
        // and the client's pull merge takes the result without trouble either
        expect(() => mergeRemoteRecord(existing, record)).not.toThrow();
      }),
      { numRuns: 2_000 },
    );
  });

  it('a pulled record with hostile clocks or data never throws in the client merge, nor gives an unknown field a clock', () => {
    fc.assert(
      fc.property(fieldMap(value), fieldMap(fc.oneof(fc.constant(hlc(9, 'b')), hostileText)), (data, clocks) => {
        const remote: StoredRecord = { ...idea, data: { ...idea.data, ...data }, clocks: clocks as Record<string, string> };
        const local: StoredRecord = { ...idea, clocks: { ...idea.clocks, ...(clocks as Record<string, string>), wouldChange: hlc(99) } };
        const merged = mergeRemoteRecord(local, remote);
        for (const f of Object.keys(merged.clocks)) if (!Object.hasOwn(remote.clocks, f)) expect(TABLE_FIELDS.ideas.has(f)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
