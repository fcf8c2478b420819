import { describe, expect, it } from 'vitest';
import {
  DecisionRuleError,
  Evaluation,
  SessionRuleError,
  UnitDecision,
  assertCanSupersede,
  assertCanVote,
  checkLoad,
  currentDecision,
  currentProcedure,
  decisionHistory,
  firstProcedure,
  newId,
  nextProcedureVersion,
  procedureHistory,
  publish,
  rankIdeas,
  responseClock,
  sessionTimer,
  statusForOutcome,
  summariseEvaluations,
  voteToWithdraw,
  votesLeft,
  sessionVoters,
  type SessionVote,
} from '../../src/domain';

const unitId = newId();
const ideaId = newId();
const now = new Date('2026-03-10T10:00:00Z');

function draft(fields: Partial<UnitDecision> = {}) {
  return UnitDecision.parse({
    id: newId(),
    unitId,
    createdAt: now.toISOString(),
    ideaId,
    outcome: 'decline',
    rationale: 'Not within our budget this year',
    participants: [{ role: 'leader', name: 'Kari' }],
    ...fields,
  });
}

describe('unit decisions', () => {
  it('requires a rationale for every outcome', () => {
    expect(UnitDecision.safeParse({ ...draft(), rationale: '   ' }).success).toBe(false);
  });

  it('requires a responsible person and follow-up date for adopt and pilot, a date for park and a target for merge', () => {
    for (const outcome of ['adopt', 'pilot'] as const) {
      const r = UnitDecision.safeParse({ ...draft(), outcome });
      expect(r.success).toBe(false);
      const paths = r.error!.issues.map((i) => i.path[0]);
      expect(paths).toEqual(expect.arrayContaining(['responsible', 'followUpDate']));
      expect(UnitDecision.safeParse({ ...draft(), outcome, responsible: 'Ola', followUpDate: '2026-04-01' }).success).toBe(true);
    }
    expect(UnitDecision.safeParse({ ...draft(), outcome: 'park' }).success).toBe(false);
    expect(UnitDecision.safeParse({ ...draft(), outcome: 'park', parkUntil: '2026-09-01' }).success).toBe(true);
    expect(UnitDecision.safeParse({ ...draft(), outcome: 'merge' }).success).toBe(false);
    expect(UnitDecision.safeParse({ ...draft(), outcome: 'merge', mergeIntoIdeaId: ideaId }).success).toBe(false);
    expect(UnitDecision.safeParse({ ...draft(), outcome: 'merge', mergeIntoIdeaId: newId() }).success).toBe(true);
  });

  it('publishing records who and when, and a published decision cannot be published again', () => {
    const published = publish(draft(), 'Kari Leder', now, UnitDecision);
    expect(published).toMatchObject({ state: 'published', publishedBy: 'Kari Leder', publishedAt: now.toISOString() });
    expect(() => publish(published, 'Someone else', now, UnitDecision)).toThrow(DecisionRuleError);
  });

  it('a later published decision supersedes the earlier one; drafts never count', () => {
    const first = publish(draft({ outcome: 'park', parkUntil: '2026-06-01' }), 'Kari', now, UnitDecision);
    const second = publish(
      draft({ outcome: 'adopt', responsible: 'Ola', followUpDate: '2026-07-01', supersedesId: first.id }),
      'Kari',
      new Date('2026-06-02T08:00:00Z'),
      UnitDecision,
    );
    const pending = draft({ outcome: 'decline' });
    expect(() => assertCanSupersede(first, { ideaId })).not.toThrow();
    expect(() => assertCanSupersede(pending, { ideaId })).toThrow(DecisionRuleError);
    expect(() => assertCanSupersede(first, { ideaId: newId() })).toThrow(DecisionRuleError);
    expect(currentDecision([first, second, pending])?.id).toBe(second.id);
    const history = decisionHistory([first, second, pending]);
    expect(history.map((h) => [h.decision.id, h.supersededBy])).toEqual([
      [second.id, null],
      [first.id, second.id],
    ]);
    expect(statusForOutcome(second.outcome)).toBe('adopted');
  });
});

describe('overload guard', () => {
  const ideas = [
    { id: 'a', status: 'adopted' as const },
    { id: 'b', status: 'pilot' as const },
    { id: 'c', status: 'adopted' as const },
    { id: 'd', status: 'underEvaluation' as const },
  ];
  it('warns when adopting or piloting beyond the limit, never for park or decline', () => {
    expect(checkLoad({ activeChangeLimit: 3 }, ideas, 'adopt', 'd')).toEqual({ active: 3, limit: 3, overloaded: true });
    expect(checkLoad({ activeChangeLimit: 3 }, ideas, 'pilot', 'd').overloaded).toBe(true);
    expect(checkLoad({ activeChangeLimit: 3 }, ideas, 'park', 'd').overloaded).toBe(false);
    expect(checkLoad({ activeChangeLimit: 4 }, ideas, 'adopt', 'd').overloaded).toBe(false);
  });
  it('does not count the idea being decided twice', () => {
    expect(checkLoad({ activeChangeLimit: 3 }, ideas, 'adopt', 'a').overloaded).toBe(false);
  });
});

describe('response-time clock', () => {
  const unit = { responseTargetDays: 30 };
  it('counts days left from the idea and flags unanswered ideas past the target', () => {
    const idea = { createdAt: '2026-03-01T09:00:00Z', status: 'new' as const };
    expect(responseClock(idea, unit, now)).toMatchObject({ daysLeft: 21, overdue: false, answered: false });
    const late = responseClock(idea, unit, new Date('2026-04-05T09:00:00Z'));
    expect(late.overdue).toBe(true);
    expect(late.daysLeft).toBe(-5);
    expect(responseClock({ ...idea, status: 'declined' }, unit, new Date('2026-04-05T09:00:00Z')).overdue).toBe(false);
  });
});

describe('procedure versioning', () => {
  it('an edit is a new version linked to the previous one, the newest being current', () => {
    const v1 = firstProcedure(unitId, newId(), now);
    expect(v1.version).toBe(1);
    expect(v1.criteria.map((c) => c.key)).toEqual(['need', 'competence', 'ownership', 'management', 'userBenefit', 'ownBudget', 'load']);
    const edited = [...v1.criteria.slice(0, 6), { key: 'safety', label: 'Safe for residents', guidance: null, scaleMin: 1, scaleMax: 3 }];
    const v2 = nextProcedureVersion(v1, edited, newId(), new Date('2026-03-11T10:00:00Z'));
    expect(v2).toMatchObject({ version: 2, previousId: v1.id, unitId });
    expect(v1.criteria).toHaveLength(7);
    expect(v1.criteria[6]!.key).toBe('load');
    expect(currentProcedure([v1, v2])?.id).toBe(v2.id);
    expect(procedureHistory([v1, v2]).map((p) => p.version)).toEqual([2, 1]);
  });
  it('refuses a custom criterion without a label and duplicate keys', () => {
    const v1 = firstProcedure(unitId, newId(), now);
    expect(() => nextProcedureVersion(v1, [{ key: 'x', label: null, guidance: null, scaleMin: 1, scaleMax: 5 }], newId(), now)).toThrow();
    expect(() => nextProcedureVersion(v1, [v1.criteria[0]!, v1.criteria[0]!], newId(), now)).toThrow();
  });
});

describe('evaluation summary', () => {
  const evaluation = (role: 'leader' | 'employeeRep', scores: [string, number | null][]) =>
    Evaluation.parse({
      id: newId(),
      unitId,
      createdAt: now.toISOString(),
      ideaId,
      procedureId: newId(),
      procedureVersion: 1,
      participants: [{ role, name: null }],
      scores: scores.map(([key, score]) => ({ key, score, note: null })),
    });
  it('shows where parties agree (spread ≤ 1) and differ, with who said what', () => {
    const a = evaluation('leader', [
      ['need', 4],
      ['load', 1],
      ['ownBudget', null],
    ]);
    const b = evaluation('employeeRep', [
      ['need', 5],
      ['load', 4],
      ['ownBudget', null],
    ]);
    const [need, load, budget, competence] = summariseEvaluations([a, b], ['need', 'load', 'ownBudget', 'competence']);
    expect(need).toMatchObject({ agreement: 'agree', min: 4, max: 5, mean: 4.5 });
    expect(load).toMatchObject({ agreement: 'differ', min: 1, max: 4, mean: 2.5 });
    expect(load!.scores.map((s) => [s.participants[0]!.role, s.score])).toEqual([
      ['leader', 1],
      ['employeeRep', 4],
    ]);
    expect(budget).toMatchObject({ agreement: 'unscored', unscored: 2, mean: null });
    expect(competence!.agreement).toBe('unscored');
    expect(summariseEvaluations([a], ['need'])[0]!.agreement).toBe('single');
  });
});

describe('prompt session', () => {
  const session = {
    id: newId(),
    votesPerParticipant: 3,
    closedAt: null,
    startedAt: now.toISOString(),
    timerMinutes: 20,
    participantCount: 3,
    participantNames: [] as string[],
  };
  const vote = (ideaId: string, voter: string): SessionVote => ({
    id: newId(),
    unitId,
    createdAt: now.toISOString(),
    sessionId: session.id,
    ideaId,
    voter,
  });

  it('counts the timer down and ends it', () => {
    expect(sessionTimer(session, new Date(now.getTime() + 60_000))).toEqual({ secondsLeft: 19 * 60, ended: false });
    expect(sessionTimer(session, new Date(now.getTime() + 21 * 60_000))).toEqual({ secondsLeft: 0, ended: true });
    expect(sessionTimer({ ...session, timerMinutes: 0 }, now).secondsLeft).toBeNull();
  });

  it('limits each participant to their votes, only for the session’s ideas, only while open', () => {
    const idea = { sessionId: session.id };
    const votes = [vote('i1', '1'), vote('i1', '1'), vote('i2', '1'), vote('i2', '2')];
    expect(votesLeft(session, votes, '1')).toBe(0);
    expect(votesLeft(session, votes, '2')).toBe(2);
    expect(() => assertCanVote(session, idea, votes, '1')).toThrow(SessionRuleError);
    expect(() => assertCanVote(session, idea, votes, '2')).not.toThrow();
    expect(() => assertCanVote(session, { sessionId: newId() }, votes, '2')).toThrow(/ideaNotInSession/);
    expect(() => assertCanVote({ ...session, closedAt: now.toISOString() }, idea, votes, '2')).toThrow(/sessionClosed/);
  });

  // Issue #11 point 8: "Kari", "kari" and "KARI" are one voter, and only the session's participants vote.
  it('lets only the participants vote: named ones first, then numbered up to the count, names case-insensitive', () => {
    expect(sessionVoters({ participantCount: 4, participantNames: ['Kari', 'Per', 'kari '] })).toEqual(['Kari', 'Per', '3', '4']);
    expect(sessionVoters({ participantCount: null, participantNames: ['Åse'] })).toEqual(['Åse']);
    expect(sessionVoters({ participantCount: 2, participantNames: [] })).toEqual(['1', '2']);
    expect(sessionVoters({ participantCount: null, participantNames: [] })).toEqual([]);

    const named = { ...session, participantCount: 2, participantNames: ['Kari', 'Per'] };
    const idea = { sessionId: session.id };
    expect(() => assertCanVote(named, idea, [], 'Ola')).toThrow(/notParticipant/);
    expect(() => assertCanVote(named, idea, [], '3')).toThrow(/notParticipant/);
    expect(assertCanVote(named, idea, [], ' kari ')).toBe('Kari');
    const votes = [vote('i1', 'Kari'), vote('i1', 'kari'), vote('i2', 'KARI')];
    expect(votesLeft(named, votes, 'Kari')).toBe(0);
    expect(() => assertCanVote(named, idea, votes, 'kArI')).toThrow(/voteLimit/);
    expect(voteToWithdraw(named, votes, 'i2', 'Kari')).toBe(votes[2]);
  });

  it('a session of two participants gives at most twice the budget, however the names are typed', () => {
    const two = { ...session, participantCount: 2, participantNames: [] };
    const idea = { sessionId: session.id };
    const votes: SessionVote[] = [];
    for (const voter of ['1', '2', '1', '2', '1', '2', '1', '2', '3', 'Kari', 'kari'])
      try {
        votes.push(vote('i1', assertCanVote(two, idea, votes, voter)));
      } catch (err) {
        expect(err).toBeInstanceOf(SessionRuleError);
      }
    expect(votes).toHaveLength(6);
  });

  it('takes back only a vote this participant gave that idea, the latest first, only while open', () => {
    const older = { ...vote('i1', '1'), createdAt: '2026-03-10T10:00:00Z' };
    const newer = { ...vote('i1', '1'), createdAt: '2026-03-10T10:05:00Z' };
    const votes = [older, newer, vote('i2', '2')];
    expect(voteToWithdraw(session, votes, 'i1', '1')).toBe(newer);
    expect(() => voteToWithdraw(session, votes, 'i2', '1')).toThrow(/noVoteToWithdraw/);
    expect(() => voteToWithdraw(session, votes, 'i1', '2')).toThrow(/noVoteToWithdraw/);
    expect(() => voteToWithdraw({ ...session, closedAt: now.toISOString() }, votes, 'i1', '1')).toThrow(/sessionClosed/);
  });

  it('ranks ideas by votes with shared ranks for ties', () => {
    const ideas = [
      { id: 'i1', createdAt: '2026-03-10T10:01:00Z' },
      { id: 'i2', createdAt: '2026-03-10T10:02:00Z' },
      { id: 'i3', createdAt: '2026-03-10T10:03:00Z' },
    ];
    const ranked = rankIdeas(ideas, [vote('i3', '1'), vote('i3', '2'), vote('i1', '1'), vote('i2', '3')]);
    expect(ranked.map((r) => [r.idea.id, r.votes, r.rank])).toEqual([
      ['i3', 2, 1],
      ['i1', 1, 2],
      ['i2', 1, 2],
    ]);
  });
});
