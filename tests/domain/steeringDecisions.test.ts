/**
 * The steering group's answers (issue #14 part 1) follow the unit decision's
 * rules, not a copy of them: the same publishing, freezing and superseding in
 * the merge, and the idea's derived status reads them through the unit's
 * forward decision. Tablets cannot write them.
 */
import { describe, expect, it } from 'vitest';
import {
  applyMutation,
  deriveIdeaStatus,
  formatHlc,
  isAnswered,
  newId,
  publish,
  responseClock,
  SteeringDecision,
  UnitDecision,
  type MergeContext,
  type Mutation,
  type StoredRecord,
} from '../../src/domain';
import { recordsNaming } from '../fixtures/records';

const at = (day: number) => new Date(Date.UTC(2026, 10, day, 12)).toISOString();
const { records } = recordsNaming('Kari');
const unitId = records.units.id;
const forward = UnitDecision.parse({ ...records.unitDecisions, publishedAt: at(2) });
const answer = (over: Partial<SteeringDecision> = {}) =>
  SteeringDecision.parse({ ...records.steeringDecisions, id: newId(), publishedAt: at(5), ...over });

describe('the derived status of a forwarded idea', () => {
  it('is forwarded until the steering group publishes an answer, then the answer decides', () => {
    expect(deriveIdeaStatus({ unitDecisions: [forward], steeringDecisions: [], evaluated: true })).toBe('forwarded');
    const draft = answer({ state: 'draft', publishedAt: null, publishedBy: null });
    expect(deriveIdeaStatus({ unitDecisions: [forward], steeringDecisions: [draft], evaluated: true })).toBe('forwarded');
    expect(deriveIdeaStatus({ unitDecisions: [forward], steeringDecisions: [answer()], evaluated: true })).toBe('adopted');
    const back = answer({ outcome: 'sendBack', responsible: null, followUpDate: null });
    expect(deriveIdeaStatus({ unitDecisions: [forward], steeringDecisions: [back], evaluated: true })).toBe('sentBack');
  });

  it('follows a later answer that supersedes an earlier one', () => {
    const first = answer({ outcome: 'park', parkUntil: '2027-06-01', responsible: null, followUpDate: null });
    const second = answer({ publishedAt: at(9), supersedesId: first.id });
    expect(deriveIdeaStatus({ unitDecisions: [forward], steeringDecisions: [second, first], evaluated: true })).toBe('adopted');
  });

  it('no longer counts an answer once the unit decided anew (after being sent back)', () => {
    const back = answer({ outcome: 'sendBack', responsible: null, followUpDate: null });
    const local = UnitDecision.parse({
      ...forward,
      id: newId(),
      outcome: 'pilot',
      responsible: 'Ola',
      followUpDate: '2027-01-10',
      publishedAt: at(12),
      supersedesId: forward.id,
    });
    expect(deriveIdeaStatus({ unitDecisions: [forward, local], steeringDecisions: [back], evaluated: true })).toBe('pilot');
  });

  it('ignores an answer to another forward than the one in force', () => {
    const stale = answer({ answersDecisionId: newId() });
    expect(deriveIdeaStatus({ unitDecisions: [forward], steeringDecisions: [stale], evaluated: true })).toBe('forwarded');
  });

  it("keeps the unit's answer clock running while forwarded or sent back", () => {
    const unit = { responseTargetDays: 30 };
    for (const status of ['forwarded', 'sentBack'] as const) {
      expect(isAnswered({ status })).toBe(false);
      expect(responseClock({ status, createdAt: at(1) }, unit, new Date(Date.UTC(2027, 0, 20))).overdue).toBe(true);
    }
    expect(isAnswered({ status: 'adopted' })).toBe(true);
  });

  it('publishes with the same rule as a unit decision: who and when, then frozen', () => {
    const draft = answer({ state: 'draft', publishedAt: null, publishedBy: null });
    const published = publish(draft, 'Styringsgruppa', new Date(at(6)), SteeringDecision);
    expect(published).toMatchObject({ state: 'published', publishedBy: 'Styringsgruppa', publishedAt: at(6) });
    expect(() => publish(published, 'X', new Date(), SteeringDecision)).toThrow('publishedImmutable');
  });
});

describe('the merge, for steering-group decisions', () => {
  const stored = (table: StoredRecord['table'], data: Record<string, unknown>): StoredRecord => ({
    table,
    id: String(data.id),
    unitId,
    data,
    clocks: {},
    deleted: false,
  });
  const known = new Map<string, StoredRecord>([
    [`ideas/${records.ideas.id}`, stored('ideas', records.ideas)],
    [`unitDecisions/${forward.id}`, stored('unitDecisions', forward)],
  ]);
  const server: MergeContext = { unitId, author: 'server', find: (t, id) => known.get(`${t}/${id}`) };
  const device: MergeContext = { ...server, author: 'device' };
  let seq = 0;
  const m = (over: Partial<Mutation> & Pick<Mutation, 'op' | 'recordId' | 'fields'>): Mutation => ({
    mutationId: newId(),
    seq: ++seq,
    table: 'steeringDecisions',
    hlc: formatHlc({ wall: Date.parse(at(5)) + seq, counter: 0, node: 'server' }),
    schemaVersion: 1,
    ...over,
  });
  const draftFields = () => {
    const { id: _id, ...rest } = answer({ state: 'draft', publishedAt: null, publishedBy: null });
    return rest;
  };

  it('refuses every write from a tablet', () => {
    const id = newId();
    const result = applyMutation(undefined, m({ op: 'create', recordId: id, fields: draftFields() }), device);
    expect(result).toMatchObject({ ok: false, reason: 'forbidden' });
  });

  it('publishes atomically on the content the publisher saw, and then never changes', () => {
    const id = newId();
    const created = applyMutation(undefined, m({ op: 'create', recordId: id, fields: draftFields() }), server);
    if (!created.ok) throw new Error(created.detail);
    const edited = applyMutation(created.record, m({ op: 'patch', recordId: id, fields: { rationale: 'Endret underveis.' } }), server);
    if (!edited.ok) throw new Error(edited.detail);
    // The publisher saw the first text: refused, nothing published.
    const seen = { ...draftFields(), state: 'published', publishedAt: at(6), publishedBy: 'Leder av styringsgruppa' };
    const stale = applyMutation(edited.record, m({ op: 'publish', recordId: id, fields: seen }), server);
    expect(stale).toMatchObject({ ok: false, reason: 'draftChanged' });
    const fresh = applyMutation(
      edited.record,
      m({ op: 'publish', recordId: id, fields: { ...seen, rationale: 'Endret underveis.' } }),
      server,
    );
    if (!fresh.ok) throw new Error(fresh.detail);
    expect(fresh.record.data.state).toBe('published');
    const again = applyMutation(fresh.record, m({ op: 'patch', recordId: id, fields: { rationale: 'Nei.' } }), server);
    expect(again).toMatchObject({ ok: false, reason: 'publishedImmutable' });
    expect(applyMutation(fresh.record, m({ op: 'delete', recordId: id, fields: {} }), server)).toMatchObject({
      ok: false,
      reason: 'publishedImmutable',
    });
  });

  it('answers only a published forward of the same idea', () => {
    const otherDecision = { ...forward, id: newId(), outcome: 'decline' };
    known.set(`unitDecisions/${otherDecision.id}`, stored('unitDecisions', otherDecision));
    const result = applyMutation(
      undefined,
      m({ op: 'create', recordId: newId(), fields: { ...draftFields(), answersDecisionId: otherDecision.id } }),
      server,
    );
    expect(result).toMatchObject({ ok: false, reason: 'invalid' });
  });
});

describe("taking up another unit's change (a cross-unit reference by design)", () => {
  const other = recordsNaming('Ola');
  const sourceIdea = (status: string): StoredRecord => ({
    table: 'ideas',
    id: other.records.ideas.id,
    unitId: other.records.units.id,
    data: { ...other.records.ideas, status },
    clocks: {},
    deleted: false,
  });
  const create = (find: MergeContext['find']) =>
    applyMutation(
      undefined,
      {
        mutationId: newId(),
        seq: 1,
        table: 'ideas',
        recordId: newId(),
        op: 'create',
        fields: { createdAt: at(3), impossibleNow: 'Løftearm her også', sourceIdeaId: other.records.ideas.id },
        hlc: formatHlc({ wall: Date.parse(at(3)), counter: 0, node: 'tablet' }),
        schemaVersion: 1,
      },
      { unitId, find },
    );

  it("may name another unit's idea that is shared (decided)", () => {
    expect(create(() => sourceIdea('adopted'))).toMatchObject({ ok: true });
  });

  it('may not name one the unit cannot see (not decided yet)', () => {
    expect(create(() => sourceIdea('underEvaluation'))).toMatchObject({ ok: false, reason: 'forbidden' });
  });
});
