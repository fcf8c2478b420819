/** After the decision (issue #12): the change, its follow-ups, the ladder, benefits realisation, what is due, receipt codes. */
import { describe, expect, it } from 'vitest';
import {
  Benefit,
  BenefitResult,
  ChangeRuleError,
  Evaluation,
  FollowUp,
  LadderStep,
  Learning,
  UnitDecision,
  applyMutation,
  assertOpenChange,
  changeOf,
  checkLoad,
  currentStep,
  deriveIdeaStatus,
  dueItems,
  formatHlc,
  isSharedWithOtherUnits,
  ladderHistory,
  latestResults,
  newId,
  readReceiptCode,
  realisation,
  receiptCode,
  redactForOtherUnits,
  stepRung,
  summariseRecommendations,
  targetReached,
  type Idea,
  type MergeContext,
  type Mutation,
  type StoredRecord,
} from '../../src/domain';

const unitId = newId();
const ideaId = newId();
const at = (day: string, time = '10:00:00') => new Date(`${day}T${time}`).toISOString();

function decision(fields: Partial<UnitDecision> = {}): UnitDecision {
  return UnitDecision.parse({
    id: newId(),
    unitId,
    createdAt: at('2026-03-01'),
    ideaId,
    outcome: 'adopt',
    rationale: 'Tydelig behov',
    responsible: 'Ola',
    followUpDate: '2026-04-01',
    participants: [{ role: 'leader', name: 'Kari' }],
    state: 'published',
    publishedAt: at('2026-03-01'),
    publishedBy: 'Kari',
    ...fields,
  });
}

function followUp(decisionId: string, fields: Partial<FollowUp> = {}): FollowUp {
  return FollowUp.parse({
    id: newId(),
    unitId,
    createdAt: at('2026-04-01'),
    ideaId,
    decisionId,
    outcome: 'continue',
    nextDate: '2026-05-01',
    ...fields,
  });
}

const step = (s: LadderStep['step'], createdAt: string, id = newId()) => LadderStep.parse({ id, unitId, createdAt, ideaId, step: s });

describe('a change and its follow-ups', () => {
  it('exists only while a published adopt or pilot decision is in force', () => {
    expect(changeOf([decision({ outcome: 'decline', responsible: null, followUpDate: null })], [])).toBeNull();
    expect(changeOf([decision({ state: 'draft', publishedAt: null, publishedBy: null })], [])).toBeNull();
    const pilot = decision({ outcome: 'pilot' });
    expect(changeOf([pilot], [])).toMatchObject({ kind: 'pilot', state: 'open', nextFollowUp: '2026-04-01', closing: null });
  });

  it('takes the next follow-up date from the latest follow-up, else from the decision', () => {
    const d = decision();
    const first = followUp(d.id, { createdAt: at('2026-04-01'), nextDate: '2026-05-01' });
    const second = followUp(d.id, { createdAt: at('2026-05-02'), nextDate: '2026-06-15' });
    expect(changeOf([d], [second, first])?.nextFollowUp).toBe('2026-06-15');
    // Follow-ups of an earlier, superseded decision do not count for the change in force.
    const next = decision({ outcome: 'adopt', supersedesId: d.id, publishedAt: at('2026-05-10'), followUpDate: '2026-09-01' });
    expect(changeOf([d, next], [first, second])).toMatchObject({ decision: { id: next.id }, nextFollowUp: '2026-09-01', followUps: [] });
  });

  it('the first closing follow-up closes the change for good; an idea then stands as new practice or stopped', () => {
    const d = decision();
    const keepGoing = followUp(d.id, { createdAt: at('2026-04-01') });
    const practice = followUp(d.id, { createdAt: at('2026-05-01'), outcome: 'practice', nextDate: null });
    // Written offline on another tablet, later: the change was already closed.
    const stopped = followUp(d.id, { createdAt: at('2026-05-03'), outcome: 'stopped', nextDate: null, note: 'Too much' });
    const change = changeOf([d], [stopped, practice, keepGoing])!;
    expect(change).toMatchObject({ state: 'practice', closing: { id: practice.id }, nextFollowUp: null });
    expect(change.followUps.map((f) => f.id)).toEqual([keepGoing.id, practice.id]);
    expect(deriveIdeaStatus({ unitDecisions: [d], steeringDecisions: [], evaluated: true, followUps: [stopped, practice] })).toBe(
      'practice',
    );
    expect(deriveIdeaStatus({ unitDecisions: [d], steeringDecisions: [], evaluated: true, followUps: [stopped] })).toBe('stopped');
    expect(deriveIdeaStatus({ unitDecisions: [d], steeringDecisions: [], evaluated: true, followUps: [keepGoing] })).toBe('adopted');
    expect(() => assertOpenChange(change)).toThrow(ChangeRuleError);
    expect(() => assertOpenChange(null)).toThrow(/noChange/);
  });

  it('a closing of an earlier decision does not close the change a later decision started', () => {
    const pilot = decision({ outcome: 'pilot' });
    const stopped = followUp(pilot.id, { outcome: 'stopped', nextDate: null, note: 'Ikke nok folk' });
    expect(deriveIdeaStatus({ unitDecisions: [pilot], steeringDecisions: [], evaluated: true, followUps: [stopped] })).toBe('stopped');
    const readopted = decision({ supersedesId: pilot.id, publishedAt: at('2026-06-01') });
    expect(deriveIdeaStatus({ unitDecisions: [pilot, readopted], steeringDecisions: [], evaluated: true, followUps: [stopped] })).toBe(
      'adopted',
    );
    expect(changeOf([pilot, readopted], [stopped])?.state).toBe('open');
  });

  it('a follow-up says what comes next: a date to go on, nothing once closed, a reason to stop', () => {
    const base = { id: newId(), unitId, createdAt: at('2026-04-01'), ideaId, decisionId: newId() };
    expect(FollowUp.safeParse({ ...base, outcome: 'continue', nextDate: null }).success).toBe(false);
    expect(FollowUp.safeParse({ ...base, outcome: 'practice', nextDate: '2026-05-01' }).success).toBe(false);
    expect(FollowUp.safeParse({ ...base, outcome: 'stopped', nextDate: null, note: '  ' }).success).toBe(false);
    expect(FollowUp.safeParse({ ...base, outcome: 'stopped', nextDate: null, note: 'Ingen effekt' }).success).toBe(true);
  });

  it('closing frees a slot under the overload guard', () => {
    const unit = { activeChangeLimit: 1 };
    const running: Pick<Idea, 'id' | 'status'> = { id: ideaId, status: 'adopted' };
    const next = newId();
    expect(checkLoad(unit, [running, { id: next, status: 'new' }], 'adopt', next).overloaded).toBe(true);
    const d = decision();
    const closed = deriveIdeaStatus({
      unitDecisions: [d],
      steeringDecisions: [],
      evaluated: true,
      followUps: [followUp(d.id, { outcome: 'practice', nextDate: null })],
    });
    expect(closed).toBe('practice');
    expect(
      checkLoad(
        unit,
        [
          { id: ideaId, status: closed },
          { id: next, status: 'new' },
        ],
        'adopt',
        next,
      ),
    ).toMatchObject({
      active: 0,
      overloaded: false,
    });
    expect(checkLoad(unit, [{ id: ideaId, status: 'stopped' }], 'pilot', next).overloaded).toBe(false);
  });
});

describe('the anchoring ladder', () => {
  it('keeps its history in the order it was set, whatever order it is read in, and stands at the latest step', () => {
    const a = step('awareness', at('2026-03-05'));
    const b = step('acceptance', at('2026-03-20'));
    const c = step('ownership', at('2026-04-02'));
    const back = step('acceptance', at('2026-04-20'));
    expect(ladderHistory([back, c, a, b]).map((s) => s.step)).toEqual(['awareness', 'acceptance', 'ownership', 'acceptance']);
    expect(currentStep([c, back, a])).toBe('acceptance');
    expect(currentStep([])).toBeNull();
    // Two tablets at the same instant: the id decides, the same way everywhere.
    const t = at('2026-05-01');
    const [x, y] = [
      step('ownership', t, '00000000-0000-7000-8000-000000000001'),
      step('practice', t, '00000000-0000-7000-8000-000000000002'),
    ];
    expect(currentStep([y, x])).toBe('practice');
    expect(currentStep([x, y])).toBe('practice');
    expect(['awareness', 'acceptance', 'ownership', 'practice'].map((s) => stepRung(s as LadderStep['step']))).toEqual([1, 2, 3, 4]);
  });
});

describe('benefits realisation', () => {
  const benefit = (fields: Partial<Benefit> = {}) =>
    Benefit.parse({
      id: newId(),
      unitId,
      createdAt: at('2026-03-01'),
      ideaId,
      forWhom: ['staff'],
      kind: 'workEnvironment',
      description: 'Færre tunge løft alene',
      evidence: 'measure',
      indicator: 'Løft alene per uke',
      baseline: 12,
      target: 2,
      ...fields,
    });
  const result = (b: Benefit, realised: BenefitResult['realised'], createdAt: string, fields: Partial<BenefitResult> = {}) =>
    BenefitResult.parse({ id: newId(), unitId, createdAt, ideaId, benefitId: b.id, realised, observed: 'Sett på vakt', ...fields });

  it('non-money benefits are first-class; an observation has no numbers; a benefit is for someone', () => {
    expect(
      benefit({ kind: 'quality', evidence: 'observation', indicator: 'Beboerne velger selv', baseline: null, target: null }),
    ).toBeTruthy();
    expect(Benefit.safeParse({ ...benefit(), evidence: 'observation' }).success).toBe(false);
    expect(Benefit.safeParse({ ...benefit(), forWhom: [] }).success).toBe(false);
    expect(Benefit.safeParse({ ...benefit(), forWhom: ['staff', 'staff'] }).success).toBe(false);
    expect(Benefit.safeParse({ ...benefit(), baseline: Number.POSITIVE_INFINITY }).success).toBe(false);
  });

  it('a result says what was observed or measured', () => {
    const b = benefit();
    expect(BenefitResult.safeParse({ ...result(b, 'yes', at('2026-04-01')), observed: null, measured: null }).success).toBe(false);
    expect(BenefitResult.safeParse({ ...result(b, 'yes', at('2026-04-01')), observed: null, measured: 3 }).success).toBe(true);
  });

  it('counts realised and not realised by the latest result of each benefit', () => {
    const [fewer, calmer, cheaper] = [benefit(), benefit({ kind: 'quality' }), benefit({ kind: 'money' })];
    const results = [
      result(fewer, 'notYet', at('2026-04-01')),
      result(fewer, 'yes', at('2026-06-01')),
      result(calmer, 'partly', at('2026-06-01')),
      result(calmer, 'no', at('2026-04-01')),
    ];
    expect(latestResults(results).get(fewer.id)?.realised).toBe('yes');
    expect(latestResults(results).get(calmer.id)?.realised).toBe('partly');
    expect(realisation([fewer, calmer, cheaper], results)).toEqual({
      benefits: 3,
      realised: 1,
      counts: { yes: 1, partly: 1, notYet: 0, no: 0, notRecorded: 1 },
    });
    // A removed benefit's results no longer count.
    expect(realisation([calmer], results).counts).toMatchObject({ yes: 0, partly: 1 });
  });

  it('tells whether a measure reached its target in the direction it should move', () => {
    expect(targetReached({ baseline: 12, target: 2 }, 2)).toBe(true);
    expect(targetReached({ baseline: 12, target: 2 }, 5)).toBe(false);
    expect(targetReached({ baseline: 10, target: 40 }, 45)).toBe(true);
    expect(targetReached({ baseline: 10, target: 40 }, 30)).toBe(false);
    expect(targetReached({ baseline: null, target: 40 }, 45)).toBeNull();
    expect(targetReached({ baseline: 10, target: null }, 45)).toBeNull();
  });
});

describe('what is due', () => {
  const now = new Date('2026-05-10T09:00:00');
  const change = (nextFollowUp: string | null, lastEntryAt = at('2026-05-01')) => ({ ideaId: newId(), nextFollowUp, lastEntryAt });

  it('follow-ups whose date has come or is within 7 days; not later ones', () => {
    const overdue = change('2026-05-02');
    const today = change('2026-05-10');
    const inSeven = change('2026-05-17');
    const inEight = change('2026-05-18');
    const items = dueItems({ changes: [inEight, inSeven, today, overdue], parked: [] }, now);
    expect(items.map((i) => [i.ideaId, i.reason, i.daysLeft])).toEqual([
      [overdue.ideaId, 'followUp', -8],
      [today.ideaId, 'followUp', 0],
      [inSeven.ideaId, 'followUp', 7],
    ]);
  });

  it('parked ideas whose "look at again" date has come, not before', () => {
    const back = { ideaId: newId(), parkUntil: '2026-05-10' };
    const later = { ideaId: newId(), parkUntil: '2026-05-11' };
    expect(dueItems({ changes: [], parked: [later, back] }, now)).toEqual([
      { reason: 'parkedReturns', ideaId: back.ideaId, dueOn: '2026-05-10', daysLeft: 0 },
    ]);
  });

  it('changes with no log entry for 30 days', () => {
    const quiet = change('2026-09-01', at('2026-04-10'));
    const writtenIn = change('2026-09-01', at('2026-04-11'));
    expect(dueItems({ changes: [quiet, writtenIn], parked: [] }, now)).toEqual([
      { reason: 'quiet', ideaId: quiet.ideaId, dueOn: '2026-05-10', daysLeft: 0 },
    ]);
  });

  it('the longest overdue first, whatever the reason', () => {
    const c = change('2026-05-05', at('2026-03-01'));
    const p = { ideaId: newId(), parkUntil: '2026-04-01' };
    expect(dueItems({ changes: [c], parked: [p] }, now).map((i) => [i.reason, i.dueOn])).toEqual([
      ['quiet', '2026-03-31'],
      ['parkedReturns', '2026-04-01'],
      ['followUp', '2026-05-05'],
    ]);
  });
});

describe('the learning log', () => {
  it('an entry says something: what happened, was learned or is adjusted', () => {
    const base = { id: newId(), unitId, createdAt: at('2026-03-05'), ideaId };
    expect(Learning.safeParse({ ...base, happened: ' ', learned: null }).success).toBe(false);
    expect(Learning.safeParse({ ...base, adjusted: 'Vi bytter vakt' }).success).toBe(true);
  });
});

describe('the evaluation in front of the leader', () => {
  const evaluation = (recommendation: Evaluation['recommendation'], role: 'leader' | 'employeeRep' = 'leader') =>
    Evaluation.parse({
      id: newId(),
      unitId,
      createdAt: at('2026-02-20'),
      ideaId,
      procedureId: newId(),
      procedureVersion: 1,
      participants: [{ role, name: null }],
      scores: [],
      recommendation,
      note: recommendation ? `Vi anbefaler ${recommendation}` : null,
    });

  it('shows each party its recommendation and whether they agree', () => {
    const adopt = evaluation('adopt');
    const alsoAdopt = evaluation('adopt', 'employeeRep');
    expect(summariseRecommendations([adopt, alsoAdopt])).toMatchObject({ agreement: 'agree', agreedOn: 'adopt' });
    expect(summariseRecommendations([adopt, evaluation('pilot', 'employeeRep')])).toMatchObject({ agreement: 'differ', agreedOn: null });
    expect(summariseRecommendations([adopt, evaluation(null)])).toMatchObject({ agreement: 'single', agreedOn: 'adopt' });
    const none = summariseRecommendations([evaluation(null)]);
    expect(none).toMatchObject({ agreement: 'unscored', agreedOn: null });
    expect(summariseRecommendations([adopt]).by).toEqual([
      { evaluationId: adopt.id, participants: [{ role: 'leader', name: null }], recommendation: 'adopt', note: 'Vi anbefaler adopt' },
    ]);
  });
});

describe('receipt codes', () => {
  it('are four characters without look-alikes, the same for the same id everywhere', () => {
    const ids = Array.from({ length: 2000 }, () => newId());
    for (const id of ids) expect(receiptCode(id)).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}$/);
    expect(receiptCode('0190a4c2-7b1e-7c3d-8e5f-0000000fffff')).toBe('ZZZZ');
    expect(receiptCode('0190a4c2-7b1e-7c3d-8e5f-000000000000')).toBe('0000');
    expect(receiptCode('0190a4c2-7b1e-7c3d-8e5f-000000000021')).toBe('0011');
    // Spread over the code space: 2,000 random ids rarely share a code.
    expect(new Set(ids.map(receiptCode)).size).toBeGreaterThan(1990);
  });

  it('are read back however they are typed', () => {
    expect(readReceiptCode('k7f3')).toBe('K7F3');
    expect(readReceiptCode(' K7-F3 ')).toBe('K7F3');
    expect(readReceiptCode('1o2l')).toBe('1021');
    expect(readReceiptCode('lift')).toBe('11FT'); // a word can read as a code: the board's search then matches the text or the code
    expect(readReceiptCode('K7F')).toBeNull();
    expect(readReceiptCode('K7F3X')).toBeNull();
    expect(readReceiptCode('KU7F')).toBeNull();
    expect(readReceiptCode('ÆØÅ1')).toBeNull();
  });
});

describe('sync rules for the after-decision records', () => {
  const hlc = (wall: number) => formatHlc({ wall, counter: 0, node: 'a' });
  const stored = new Map<string, StoredRecord>();
  const ctx: MergeContext = { unitId, find: (table, id) => stored.get(`${table}/${id}`) };
  const put = (table: StoredRecord['table'], data: { id: string } & Record<string, unknown>) =>
    stored.set(`${table}/${data.id}`, { table, id: data.id, unitId, data, clocks: {}, deleted: false });
  const create = (table: Mutation['table'], fields: Record<string, unknown>): Mutation => ({
    mutationId: newId(),
    seq: 1,
    table,
    recordId: String(fields.id),
    op: 'create',
    fields: { unitId, createdAt: at('2026-04-01'), ...fields },
    hlc: hlc(1),
    schemaVersion: 1,
  });
  const otherIdea = newId();
  put('ideas', { id: ideaId, unitId, impossibleNow: 'Løfte alene', status: 'adopted' });
  put('ideas', { id: otherIdea, unitId, impossibleNow: 'Noe annet', status: 'adopted' });
  const published = decision();
  put('unitDecisions', published);
  const draftDecision = decision({ state: 'draft', publishedAt: null, publishedBy: null });
  put('unitDecisions', draftDecision);
  const declined = decision({ outcome: 'decline', responsible: null, followUpDate: null });
  put('unitDecisions', declined);
  const elsewhere = decision({ ideaId: otherIdea });
  put('unitDecisions', elsewhere);

  it('a follow-up names a published adopt or pilot decision on its own idea', () => {
    const f = (decisionId: string) => create('followUps', { id: newId(), ideaId, decisionId, outcome: 'continue', nextDate: '2026-06-01' });
    expect(applyMutation(undefined, f(published.id), ctx).ok).toBe(true);
    for (const wrong of [draftDecision.id, declined.id, elsewhere.id])
      expect(applyMutation(undefined, f(wrong), ctx)).toMatchObject({ ok: false, reason: 'invalid' });
    expect(applyMutation(undefined, f(newId()), ctx)).toMatchObject({ ok: false, reason: 'unknownRecord' });
  });

  it('a result names a benefit of its own idea', () => {
    const mine = { id: newId(), ideaId };
    const theirs = { id: newId(), ideaId: otherIdea };
    put('benefits', mine);
    put('benefits', theirs);
    const r = (benefitId: string) => create('benefitResults', { id: newId(), ideaId, benefitId, realised: 'yes', observed: 'Færre løft' });
    expect(applyMutation(undefined, r(mine.id), ctx).ok).toBe(true);
    expect(applyMutation(undefined, r(theirs.id), ctx)).toMatchObject({ ok: false, reason: 'invalid' });
  });

  it('log entries, benefits, results, ladder steps and follow-ups are never rewritten', () => {
    const entry = create('learnings', { id: newId(), ideaId, learned: 'Vi lærte' });
    const first = applyMutation(undefined, entry, ctx);
    if (!first.ok) throw new Error(first.detail);
    expect(applyMutation(first.record, entry, ctx)).toMatchObject({ ok: true, changed: false });
    const edit: Mutation = { ...entry, op: 'patch', fields: { learned: 'Vi lærte noe annet' }, hlc: hlc(2) };
    expect(applyMutation(first.record, edit, ctx)).toMatchObject({ ok: false, reason: 'appendOnly' });
    const step = create('ladderSteps', { id: newId(), ideaId, step: 'ownership' });
    const set = applyMutation(undefined, step, ctx);
    if (!set.ok) throw new Error(set.detail);
    expect(applyMutation(set.record, { ...step, op: 'delete', fields: {}, hlc: hlc(3) }, ctx)).toMatchObject({ reason: 'notDeletable' });
  });

  it('other units read the learning log without its authors, results and the ladder without who set it; never the follow-up plans', () => {
    expect(isSharedWithOtherUnits('learnings', {})).toBe(true);
    expect(isSharedWithOtherUnits('benefits', {})).toBe(true);
    expect(isSharedWithOtherUnits('benefitResults', {})).toBe(true);
    expect(isSharedWithOtherUnits('ladderSteps', {})).toBe(true);
    expect(redactForOtherUnits('ladderSteps', { step: 'ownership', setBy: 'Kari' })).toEqual({ step: 'ownership', setBy: null });
    expect(isSharedWithOtherUnits('followUps', {})).toBe(false);
    expect(redactForOtherUnits('learnings', { learned: 'x', author: 'Kari' })).toEqual({ learned: 'x', author: null });
  });
});
