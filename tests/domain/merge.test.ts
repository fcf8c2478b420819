import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyMutation, formatHlc, mergeRemoteRecord, newId, type MergeContext, type Mutation, type StoredRecord } from '../../src/domain';

const unitId = newId();
/** Records writes may refer to (rules/references.ts): the idea decisions and supports below name. */
const known = new Map<string, StoredRecord>();
const ctx: MergeContext = { unitId, find: (table, id) => known.get(`${table}/${id}`) };
const hlc = (wall: number, node = 'a') => formatHlc({ wall, counter: 0, node });
let seq = 0;
const m = (partial: Partial<Mutation> & Pick<Mutation, 'op' | 'fields' | 'hlc'>): Mutation => ({
  mutationId: newId(),
  seq: ++seq,
  table: 'ideas',
  recordId: ideaId,
  schemaVersion: 1,
  ...partial,
});
const ideaId = newId();
const createIdea = (at = 1) =>
  m({ op: 'create', hlc: hlc(at), fields: { id: ideaId, unitId, createdAt: '2026-11-23T10:00:00.000Z', impossibleNow: 'Lifting alone' } });

function ok(result: ReturnType<typeof applyMutation>) {
  if (!result.ok) throw new Error(`${result.reason}: ${result.detail}`);
  return result;
}
known.set(`ideas/${ideaId}`, ok(applyMutation(undefined, createIdea(), ctx)).record);

describe('applyMutation', () => {
  it('create is insert-if-absent and a replay is a no-op', () => {
    const first = ok(applyMutation(undefined, createIdea(), ctx));
    expect(first.record.data.impossibleNow).toBe('Lifting alone');
    expect(first.record.data.status).toBe('new');
    const replay = ok(applyMutation(first.record, createIdea(), ctx));
    expect(replay.changed).toBe(false);
    expect(replay.record).toEqual(first.record);
  });

  it('takes the unit from the device token, not from the payload', () => {
    const other = newId();
    const r = ok(applyMutation(undefined, m({ op: 'create', hlc: hlc(1), fields: { ...createIdea().fields, unitId: other } }), ctx));
    expect(r.record.unitId).toBe(unitId);
    expect(r.record.data.unitId).toBe(unitId);
  });

  it('last writer wins per field, and the losing value from another device is logged', () => {
    const base = ok(applyMutation(undefined, createIdea(1), ctx)).record;
    // Both tablets edited the version they had (base = the create's clocks).
    const base1 = { wouldChange: hlc(1), kind: hlc(1) };
    const fromA = m({ op: 'patch', hlc: hlc(10, 'a'), fields: { wouldChange: 'A' }, base: base1 });
    const fromB = m({ op: 'patch', hlc: hlc(20, 'b'), fields: { wouldChange: 'B', kind: 'technology' }, base: base1 });
    const ab = ok(applyMutation(ok(applyMutation(base, fromA, ctx)).record, fromB, ctx));
    const baResult1 = ok(applyMutation(base, fromB, ctx));
    const ba = ok(applyMutation(baResult1.record, fromA, ctx));
    expect(ab.record.data).toEqual(ba.record.data);
    expect(ab.record.data.wouldChange).toBe('B');
    expect(ab.conflicts).toEqual([expect.objectContaining({ field: 'wouldChange', loserValue: 'A' })]);
    expect(ba.conflicts).toEqual([expect.objectContaining({ field: 'wouldChange', loserValue: 'A' })]);
  });

  it('a later edit made on top of what the device saw is not a conflict', () => {
    const base = ok(applyMutation(undefined, createIdea(1), ctx)).record;
    const fromA = ok(
      applyMutation(base, m({ op: 'patch', hlc: hlc(10, 'a'), fields: { wouldChange: 'A' }, base: { wouldChange: hlc(1) } }), ctx),
    );
    const fromB = ok(
      applyMutation(
        fromA.record,
        m({ op: 'patch', hlc: hlc(20, 'b'), fields: { wouldChange: 'B' }, base: { wouldChange: hlc(10, 'a') } }),
        ctx,
      ),
    );
    expect(fromB.record.data.wouldChange).toBe('B');
    expect(fromB.conflicts).toEqual([]);
  });

  it('converges whatever order patches arrive in (property)', () => {
    const patch = fc.record({
      wall: fc.integer({ min: 2, max: 50 }),
      node: fc.constantFrom('a', 'b', 'c'),
      field: fc.constantFrom('wouldChange', 'bearerName'),
      value: fc.string({ minLength: 1, maxLength: 5 }).filter((s) => s.trim().length > 0),
    });
    fc.assert(
      fc.property(fc.array(patch, { maxLength: 8 }), fc.nat(), (patches, shuffleSeed) => {
        // A device never issues the same timestamp twice: the counter makes each unique.
        const muts = patches.map((p, i) =>
          m({ op: 'patch', hlc: formatHlc({ wall: p.wall, counter: i, node: p.node }), fields: { [p.field]: p.value } }),
        );
        const shuffled = [...muts].sort((x, y) => ((x.seq * 7919 + shuffleSeed) % 101) - ((y.seq * 7919 + shuffleSeed) % 101));
        const run = (list: Mutation[]) =>
          list.reduce<StoredRecord>(
            (rec, mu) => ok(applyMutation(rec, mu, ctx)).record,
            ok(applyMutation(undefined, createIdea(1), ctx)).record,
          );
        expect(run(shuffled).data).toEqual(run(muts).data);
      }),
    );
  });

  it('rejects invalid data with a readable reason', () => {
    const r = applyMutation(undefined, m({ op: 'create', hlc: hlc(1), fields: { impossibleNow: '' } }), ctx);
    expect(r).toMatchObject({ ok: false, reason: 'invalid' });
  });

  it('refuses records of another unit', () => {
    const rec = ok(applyMutation(undefined, createIdea(), ctx)).record;
    expect(applyMutation(rec, m({ op: 'patch', hlc: hlc(5), fields: { kind: 'social' } }), { ...ctx, unitId: newId() })).toMatchObject({
      ok: false,
      reason: 'forbidden',
    });
  });

  it('delete is a final tombstone: later patches do not resurrect', () => {
    const rec = ok(applyMutation(undefined, createIdea(), ctx)).record;
    const deleted = ok(applyMutation(rec, m({ op: 'delete', hlc: hlc(5), fields: {} }), ctx)).record;
    expect(deleted.deleted).toBe(true);
    const after = ok(applyMutation(deleted, m({ op: 'patch', hlc: hlc(9), fields: { kind: 'social' } }), ctx));
    expect(after.record.deleted).toBe(true);
    expect(after.changed).toBe(false);
  });

  it('a published decision never changes; an identical re-push is accepted', () => {
    const decisionId = newId();
    const fields = {
      ideaId,
      outcome: 'decline',
      rationale: 'Outside our budget',
      participants: [{ role: 'leader', name: 'Kari' }],
      state: 'published',
      publishedAt: '2026-11-23T12:00:00.000Z',
      publishedBy: 'Kari',
      createdAt: '2026-11-23T11:00:00.000Z',
    };
    const create = m({ table: 'unitDecisions', recordId: decisionId, op: 'create', hlc: hlc(1), fields });
    const rec = ok(applyMutation(undefined, create, ctx)).record;
    expect(applyMutation(rec, { ...create, op: 'patch', hlc: hlc(9), fields: { rationale: 'changed' } }, ctx)).toMatchObject({
      ok: false,
      reason: 'publishedImmutable',
    });
    expect(applyMutation(rec, { ...create, op: 'delete', hlc: hlc(9), fields: {} }, ctx)).toMatchObject({
      ok: false,
      reason: 'publishedImmutable',
    });
    expect(ok(applyMutation(rec, create, ctx)).changed).toBe(false);
  });

  it('a decision without rationale, or an adoption without responsible person, is invalid', () => {
    const base = { ideaId, participants: [{ role: 'leader', name: null }], createdAt: '2026-11-23T11:00:00.000Z' };
    const noRationale = m({
      table: 'unitDecisions',
      recordId: newId(),
      op: 'create',
      hlc: hlc(1),
      fields: { ...base, outcome: 'decline', rationale: ' ' },
    });
    const noResponsible = m({
      table: 'unitDecisions',
      recordId: newId(),
      op: 'create',
      hlc: hlc(1),
      fields: { ...base, outcome: 'adopt', rationale: 'Good' },
    });
    expect(applyMutation(undefined, noRationale, ctx)).toMatchObject({ ok: false, reason: 'invalid' });
    const r = applyMutation(undefined, noResponsible, ctx);
    expect(r).toMatchObject({ ok: false, reason: 'invalid' });
    expect(r.ok ? '' : r.detail).toMatch(/responsibleRequired/);
  });

  it('append-only tables refuse patches', () => {
    const supportId = newId();
    const create = m({
      table: 'supports',
      recordId: supportId,
      op: 'create',
      hlc: hlc(1),
      fields: { ideaId, createdAt: '2026-11-23T11:00:00.000Z' },
    });
    const rec = ok(applyMutation(undefined, create, ctx)).record;
    expect(applyMutation(rec, { ...create, op: 'patch', hlc: hlc(2), fields: { ideaId: newId() } }, ctx)).toMatchObject({
      ok: false,
      reason: 'appendOnly',
    });
  });

  it('a device may edit its unit settings but not create units or rename the municipality', () => {
    const unit: StoredRecord = {
      table: 'units',
      id: unitId,
      unitId,
      data: {
        id: unitId,
        unitId,
        createdAt: '2026-11-23T10:00:00.000Z',
        municipality: 'Steinkjer',
        name: 'Renovasjon',
        responseTargetDays: 30,
        activeChangeLimit: 3,
      },
      clocks: { name: hlc(0, 'server') },
      deleted: false,
    };
    const ok1 = applyMutation(
      unit,
      m({ table: 'units', recordId: unitId, op: 'patch', hlc: hlc(3), fields: { responseTargetDays: 14 } }),
      ctx,
    );
    expect(ok1).toMatchObject({ ok: true });
    expect(
      applyMutation(unit, m({ table: 'units', recordId: unitId, op: 'patch', hlc: hlc(3), fields: { municipality: 'Oslo' } }), ctx),
    ).toMatchObject({ ok: false, reason: 'forbidden' });
    expect(applyMutation(undefined, m({ table: 'units', recordId: newId(), op: 'create', hlc: hlc(3), fields: {} }), ctx)).toMatchObject({
      ok: false,
      reason: 'forbidden',
    });
  });

  it('full-state re-push keeps original per-field clocks, so it never overrides newer writes', () => {
    const rec = ok(applyMutation(undefined, createIdea(1), ctx)).record;
    const newer = ok(applyMutation(rec, m({ op: 'patch', hlc: hlc(30, 'b'), fields: { wouldChange: 'newer' } }), ctx)).record;
    const snapshot = m({
      op: 'create',
      hlc: hlc(40, 'a'),
      fields: { ...rec.data, wouldChange: 'older' },
      clocks: { ...rec.clocks, wouldChange: hlc(20, 'a') },
    });
    expect(ok(applyMutation(newer, snapshot, ctx)).record.data.wouldChange).toBe('newer');
  });

  it('rejects mutations from a newer app version it cannot read', () => {
    expect(applyMutation(undefined, { ...createIdea(), schemaVersion: 99 }, ctx)).toMatchObject({
      ok: false,
      reason: 'unsupportedSchemaVersion',
    });
  });
});

describe('mergeRemoteRecord', () => {
  it('keeps a still-queued local edit that is newer than the server copy', () => {
    const server = ok(applyMutation(undefined, createIdea(1), ctx)).record;
    const local: StoredRecord = {
      ...server,
      data: { ...server.data, wouldChange: 'local' },
      clocks: { ...server.clocks, wouldChange: hlc(50, 'a') },
    };
    const remote: StoredRecord = {
      ...server,
      data: { ...server.data, wouldChange: 'remote', kind: 'social' },
      clocks: { ...server.clocks, wouldChange: hlc(20, 'b'), kind: hlc(20, 'b') },
    };
    const merged = mergeRemoteRecord(local, remote);
    expect(merged.data.wouldChange).toBe('local');
    expect(merged.data.kind).toBe('social');
  });

  it('a remote tombstone deletes the local record', () => {
    const server = ok(applyMutation(undefined, createIdea(1), ctx)).record;
    expect(mergeRemoteRecord(server, { ...server, deleted: true }).deleted).toBe(true);
  });
});

describe('publishing', () => {
  const draftId = newId();
  const content = {
    ideaId,
    createdAt: '2026-11-23T11:00:00.000Z',
    outcome: 'decline',
    rationale: 'Ikke nå',
    participants: [{ role: 'leader', name: 'Kari' }],
  };
  const published = { state: 'published', publishedAt: '2026-11-23T12:00:00.000Z', publishedBy: 'Kari' };
  const draft = () =>
    ok(applyMutation(undefined, m({ table: 'unitDecisions', recordId: draftId, op: 'create', hlc: hlc(1), fields: content }), ctx)).record;

  it('a re-pushed published decision (resync) restates its older edits, then publishes if nothing newer is in the way', () => {
    const edited = { ...content, rationale: 'Ikke i år' };
    const restated = m({
      table: 'unitDecisions',
      recordId: draftId,
      op: 'create',
      hlc: hlc(5),
      fields: { ...edited, ...published },
      clocks: { rationale: hlc(3), outcome: hlc(1), participants: hlc(1) },
    });
    const result = ok(applyMutation(draft(), restated, ctx));
    expect(result.record.data).toMatchObject({ rationale: 'Ikke i år', state: 'published' });
    // … but not over an edit made after the one it restates
    const newer = ok(
      applyMutation(
        draft(),
        m({ table: 'unitDecisions', recordId: draftId, op: 'patch', hlc: hlc(4, 'b'), fields: { rationale: 'B' } }),
        ctx,
      ),
    );
    expect(applyMutation(newer.record, restated, ctx)).toMatchObject({ ok: false, reason: 'draftChanged' });
  });

  it('the publish operation compares content only: its clock never overrides a newer edit', () => {
    const newer = ok(
      applyMutation(
        draft(),
        m({ table: 'unitDecisions', recordId: draftId, op: 'patch', hlc: hlc(4, 'b'), fields: { rationale: 'B' } }),
        ctx,
      ),
    );
    const publish = m({ table: 'unitDecisions', recordId: draftId, op: 'publish', hlc: hlc(50), fields: { ...content, ...published } });
    expect(applyMutation(newer.record, publish, ctx)).toMatchObject({ ok: false, reason: 'draftChanged' });
    expect(ok(applyMutation(draft(), publish, ctx)).record.data).toMatchObject({ ...content, ...published });
  });
});
