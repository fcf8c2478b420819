import 'fake-indexeddb/auto';
import { liveQuery } from 'dexie';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_SESSION_QUESTION, newId, type Idea } from '../../src/domain';
import { NedenfraDb } from '../../src/data/db';
import { StorageError } from '../../src/data/errors';
import { createRecord, patchRecord } from '../../src/data/repository';
import {
  addSessionIdea,
  awaitingAnswer,
  castVote,
  withdrawVote,
  closeSession,
  editProcedure,
  ensureProcedure,
  ideaEvaluations,
  procedureVersions,
  publishDecision,
  recentlyDecided,
  recordEvaluation,
  saveDecisionDraft,
  sessionResults,
  setSessionParticipants,
  startSession,
  updateUnitSettings,
} from '../../src/data/method';
import { createLocalUnit } from '../../src/data/local';
import {
  LEADER_PIN_KEY,
  LEADER_PIN_THROTTLE_KEY,
  clearLeaderPin,
  hasLeaderPin,
  setLeaderPin,
  verifyLeaderPin,
} from '../../src/data/leaderPin';

let db: NedenfraDb;
const unitId = newId();

beforeEach(async () => {
  db = new NedenfraDb(`test-${newId()}`);
  await db.open();
});
afterEach(async () => {
  await db.delete();
});

const newIdea = (text = 'Lifting residents alone'): Promise<Idea> => createRecord(db, 'ideas', { unitId, impossibleNow: text });
const adopt = {
  outcome: 'adopt' as const,
  rationale: 'Clear need',
  responsible: 'Ola',
  followUpDate: '2026-05-01',
  parkUntil: null,
  mergeIntoIdeaId: null,
  participants: [{ role: 'leader' as const, name: 'Kari' }],
};

describe('sessions', () => {
  it('saves session ideas with the session id and ranks them by votes within each allocation', async () => {
    const session = await startSession(db, {
      unitId,
      date: '2026-03-10',
      facilitator: 'Kari',
      question: DEFAULT_SESSION_QUESTION.nb,
      timerMinutes: 15,
      votesPerParticipant: 2,
    });
    const a = await addSessionIdea(db, session, 'Night shift alone');
    const b = await addSessionIdea(db, session, 'No lift in wing B');
    expect(a.sessionId).toBe(session.id);
    // Only the participants vote.
    await expect(castVote(db, session.id, b.id, '1')).rejects.toThrow(/notParticipant/);
    await setSessionParticipants(db, session.id, 3, []);
    await castVote(db, session.id, b.id, '1');
    await castVote(db, session.id, b.id, '1');
    await expect(castVote(db, session.id, a.id, '1')).rejects.toThrow(/voteLimit/);
    await castVote(db, session.id, a.id, '2');
    const { ranked } = await sessionResults(db, session.id);
    expect(ranked.map((r) => [r.idea.id, r.votes])).toEqual([
      [b.id, 2],
      [a.id, 1],
    ]);
    await closeSession(db, session.id);
    await expect(castVote(db, session.id, a.id, '3')).rejects.toThrow(/sessionClosed/);
  });

  it('a vote taken back frees it for another idea, and the delete is queued for sync', async () => {
    const session = await startSession(db, {
      unitId,
      date: '2026-03-10',
      facilitator: 'Kari',
      question: DEFAULT_SESSION_QUESTION.nb,
      timerMinutes: 0,
      votesPerParticipant: 1,
    });
    const a = await addSessionIdea(db, session, 'Night shift alone');
    const b = await addSessionIdea(db, session, 'No lift in wing B');
    await setSessionParticipants(db, session.id, null, ['Per', 'Kari']);
    const given = await castVote(db, session.id, a.id, 'Per');
    await expect(castVote(db, session.id, b.id, 'Per')).rejects.toThrow(/voteLimit/);
    await expect(withdrawVote(db, session.id, b.id, 'Per')).rejects.toThrow(/noVoteToWithdraw/);
    await withdrawVote(db, session.id, a.id, ' Per ');
    await castVote(db, session.id, b.id, 'Per');
    const { ranked } = await sessionResults(db, session.id);
    expect(ranked.map((r) => [r.idea.id, r.votes])).toEqual([
      [b.id, 1],
      [a.id, 0],
    ]);
    expect(await db.outbox.where('[table+recordId]').equals(['sessionVotes', given.id]).toArray()).toMatchObject([
      { op: 'create' },
      { op: 'delete' },
    ]);
    await closeSession(db, session.id);
    await expect(withdrawVote(db, session.id, b.id, 'Per')).rejects.toThrow(/sessionClosed/);
  });
});

describe('procedures and evaluations', () => {
  it('creates version 1 on first use and an edit appends version 2 without touching version 1', async () => {
    const v1 = await ensureProcedure(db, unitId);
    expect((await ensureProcedure(db, unitId)).id).toBe(v1.id);
    const v2 = await editProcedure(db, v1, v1.criteria.slice(0, 4));
    expect(v2).toMatchObject({ version: 2, previousId: v1.id });
    const versions = await procedureVersions(db, unitId);
    expect(versions.map((p) => p.version)).toEqual([2, 1]);
    expect(versions[1]!.criteria).toHaveLength(7);
    const rows = (await db.outbox.toArray()).filter((r) => r.table === 'evaluationProcedures');
    expect(rows.map((r) => r.op)).toEqual(['create', 'create']);
  });

  it('the first evaluation puts the idea under evaluation in the same commit and records the procedure version', async () => {
    const idea = await newIdea();
    const procedure = await ensureProcedure(db, unitId);
    const before = await db.outbox.count();
    await recordEvaluation(db, idea, procedure, {
      participants: [
        { role: 'leader', name: 'Kari' },
        { role: 'employeeRep', name: null },
      ],
      scores: [{ key: 'need', score: 5, note: 'Every night' }],
      kind: 'technology',
      recommendation: 'adopt',
      note: null,
    });
    expect((await db.ideas.get(idea.id))!.status).toBe('underEvaluation');
    // The status is derived, never queued: the server derives it from the evaluation too.
    const rows = (await db.outbox.toArray()).slice(before);
    expect(rows.map((r) => [r.table, r.op])).toEqual([['evaluations', 'create']]);
    const [evaluation] = await ideaEvaluations(db, idea.id);
    expect(evaluation).toMatchObject({ procedureId: procedure.id, procedureVersion: 1 });
  });
});

describe('decisions', () => {
  it('publishing is one change carrying the full content, the idea status follows in the same commit, and edits are refused', async () => {
    const idea = await newIdea();
    const draft = await saveDecisionDraft(db, idea, adopt);
    expect(draft.state).toBe('draft');
    const edited = await saveDecisionDraft(db, idea, { ...adopt, rationale: 'Clear need, cheap' }, draft.id);
    expect(edited.rationale).toBe('Clear need, cheap');
    const before = await db.outbox.count();
    const published = await publishDecision(db, draft.id, 'Kari Leder', new Date('2026-03-12T10:00:00Z'));
    expect(published).toMatchObject({ state: 'published', publishedBy: 'Kari Leder' });
    expect((await db.ideas.get(idea.id))!.status).toBe('adopted');
    const rows = (await db.outbox.toArray()).slice(before);
    expect(rows.map((r) => [r.table, r.op])).toEqual([['unitDecisions', 'publish']]);
    expect(rows[0]!.fields).toMatchObject({ ...adopt, rationale: 'Clear need, cheap', state: 'published', publishedBy: 'Kari Leder' });
    await expect(saveDecisionDraft(db, idea, { ...adopt, rationale: 'rewritten' }, draft.id)).rejects.toThrow();
    await expect(publishDecision(db, draft.id, 'Again')).rejects.toThrow();
    expect((await db.unitDecisions.get(draft.id))!.rationale).toBe('Clear need, cheap');
  });

  it('a new decision supersedes the one in force and the board lists only the decision in force', async () => {
    const idea = await newIdea();
    const first = await saveDecisionDraft(db, idea, { ...adopt, outcome: 'park', parkUntil: '2026-09-01', responsible: 'ignored' });
    expect(first.responsible).toBeNull();
    await publishDecision(db, first.id, 'Kari', new Date('2026-03-12T10:00:00Z'));
    const second = await saveDecisionDraft(db, idea, adopt);
    expect(second.supersedesId).toBe(first.id);
    await publishDecision(db, second.id, 'Kari', new Date('2026-09-02T10:00:00Z'));
    const decided = await recentlyDecided(db, unitId);
    expect(decided.map((d) => d.decision.id)).toEqual([second.id]);
  });

  it('"recently decided" reads decided ideas only, and stays live when one of them changes', async () => {
    const idea = await newIdea();
    await newIdea(); // undecided: not read
    const draft = await saveDecisionDraft(db, idea, adopt);
    await publishDecision(db, draft.id, 'Kari', new Date('2026-03-12T10:00:00Z'));
    const seen: string[][] = [];
    const subscription = liveQuery(() => recentlyDecided(db, unitId)).subscribe((list) => seen.push(list.map((d) => d.idea.impossibleNow)));
    await vi.waitFor(() => expect(seen.at(-1)).toEqual([idea.impossibleNow]));
    await patchRecord(db, 'ideas', idea.id, { impossibleNow: 'Rewritten after the decision' });
    await vi.waitFor(() => expect(seen.at(-1)).toEqual(['Rewritten after the decision']));
    subscription.unsubscribe();
  });

  it('a draft missing what adopt requires is refused', async () => {
    const idea = await newIdea();
    await expect(saveDecisionDraft(db, idea, { ...adopt, responsible: null })).rejects.toBeInstanceOf(StorageError);
  });

  it('lists unanswered ideas by deadline', async () => {
    const old = await createRecord(db, 'ideas', { unitId, impossibleNow: 'old', createdAt: '2026-01-01T10:00:00Z' });
    const recent = await createRecord(db, 'ideas', { unitId, impossibleNow: 'recent', createdAt: '2026-03-01T10:00:00Z' });
    const answered = await createRecord(db, 'ideas', { unitId, impossibleNow: 'done', createdAt: '2025-12-01T10:00:00Z' });
    await publishDecision(db, (await saveDecisionDraft(db, answered, { ...adopt, outcome: 'decline' })).id, 'Kari');
    const waiting = await awaitingAnswer(db, { id: unitId, responseTargetDays: 30 }, new Date('2026-03-10T10:00:00Z'));
    expect(waiting.map((w) => [w.idea.id, w.clock.overdue])).toEqual([
      [old.id, true],
      [recent.id, false],
    ]);
  });
});

describe('unit settings', () => {
  it('patches only the response target and active-change limit', async () => {
    const unit = await createLocalUnit(db, { municipality: 'Sørum', name: 'Hjemmetjenesten' });
    expect(unit).toMatchObject({ responseTargetDays: 30, activeChangeLimit: 3 });
    const updated = await updateUnitSettings(db, unit.id, { responseTargetDays: 14, activeChangeLimit: 2 });
    expect(updated).toMatchObject({ responseTargetDays: 14, activeChangeLimit: 2, name: 'Hjemmetjenesten' });
    const [row] = await db.outbox.toArray();
    expect(row).toMatchObject({ table: 'units', op: 'patch', fields: { responseTargetDays: 14, activeChangeLimit: 2 } });
    await expect(updateUnitSettings(db, unit.id, { responseTargetDays: 0, activeChangeLimit: 2 })).rejects.toBeInstanceOf(StorageError);
  });
});

describe('leader PIN', () => {
  it('stores only a salted PBKDF2 hash, locally, and verifies', async () => {
    expect(await hasLeaderPin(db)).toBe(false);
    await expect(setLeaderPin(db, '12a4')).rejects.toThrow();
    await expect(setLeaderPin(db, '123')).rejects.toThrow();
    await setLeaderPin(db, '482915');
    const stored = (await db.kv.get(LEADER_PIN_KEY))!.value as Record<string, unknown>;
    expect(JSON.stringify(stored)).not.toContain('482915');
    expect(stored).toMatchObject({ algorithm: 'PBKDF2-SHA-256' });
    expect(stored.iterations as number).toBeGreaterThanOrEqual(100_000);
    expect(atob(stored.salt as string)).toHaveLength(16);
    expect(await db.outbox.count()).toBe(0);
    expect(await verifyLeaderPin(db, '482915')).toEqual({ ok: true });
    expect(await verifyLeaderPin(db, '000000')).toEqual({ ok: false, reason: 'wrong', attemptsLeft: 2 });
  });

  it('a forgotten PIN is cleared with its lock, and a new one can be set', async () => {
    await setLeaderPin(db, '1234');
    for (let i = 0; i < 4; i++) await verifyLeaderPin(db, '9999');
    expect(await db.kv.get(LEADER_PIN_THROTTLE_KEY)).toBeDefined();
    await clearLeaderPin(db);
    expect(await hasLeaderPin(db)).toBe(false);
    expect(await db.kv.get(LEADER_PIN_THROTTLE_KEY)).toBeUndefined();
    expect(await verifyLeaderPin(db, '1234')).toEqual({ ok: false, reason: 'noPin' });
    await setLeaderPin(db, '5678');
    expect(await verifyLeaderPin(db, '5678')).toEqual({ ok: true });
  });

  it('the same PIN gets a different salt and hash each time', async () => {
    await setLeaderPin(db, '1234');
    const first = (await db.kv.get(LEADER_PIN_KEY))!.value as { salt: string; hash: string };
    await setLeaderPin(db, '1234');
    const second = (await db.kv.get(LEADER_PIN_KEY))!.value as { salt: string; hash: string };
    expect(second.salt).not.toBe(first.salt);
    expect(second.hash).not.toBe(first.hash);
  });

  it('locks after repeated wrong PINs, even for the right one, until the lock ends', async () => {
    await setLeaderPin(db, '1234');
    const t0 = 1_000_000;
    await verifyLeaderPin(db, '0000', t0);
    await verifyLeaderPin(db, '0000', t0);
    const third = await verifyLeaderPin(db, '0000', t0);
    expect(third).toMatchObject({ ok: false, reason: 'locked', until: t0 + 30_000 });
    expect(await verifyLeaderPin(db, '1234', t0 + 1000)).toMatchObject({ reason: 'locked' });
    expect(await verifyLeaderPin(db, '1234', t0 + 30_001)).toEqual({ ok: true });
  });
});
