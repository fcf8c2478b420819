/**
 * The method's data path (sessions, procedures, evaluations, decisions, unit
 * settings): reads validated through `readValid`, every synced write through
 * `commit`, with the rules from the domain. An idea's status is never written
 * here: `commit` derives it from the idea's decisions and evaluations in the
 * same transaction (rules/ideaStatus.ts). Reads by idea keep to the idea's
 * unit: another unit's record naming it is not this idea's business.
 */
import {
  DECIDED_STATUSES,
  UnitDecision,
  assertCanSupersede,
  assertCanVote,
  currentDecision,
  currentProcedure,
  firstProcedure,
  newId,
  nextProcedureVersion,
  outcomeFields,
  parkedIdeaReturns,
  procedureHistory,
  publish,
  rankIdeas,
  responseClock,
  voteToWithdraw,
  type Criterion,
  type DecisionOutcome,
  type EvaluationInput,
  type EvaluationProcedure,
  type Idea,
  type Party,
  type PromptSession,
  type ResponseClock,
  type TableName,
  type TableRecords,
  type Unit,
  steeringAnswer,
  type SteeringDecision,
} from '../domain';
import { differenceInCalendarDays, parseISO } from 'date-fns';
import type { NedenfraDb } from './db';
import { StorageError } from './errors';
import { newIdeaId } from './ideas';
import { commit, createRecord, deleteRecord, patchRecord, readValid, withReopen } from './repository';

async function rowsWhere<T extends TableName>(db: NedenfraDb, table: T, index: string, value: string): Promise<TableRecords[T][]> {
  const rows = await withReopen(db, () => db.table(table).where(index).equals(value).toArray());
  return (await readValid(db, table, rows)).records;
}

async function rowsIn<T extends TableName>(db: NedenfraDb, table: T, index: string, values: string[]): Promise<TableRecords[T][]> {
  const rows = await withReopen(db, () => db.table(table).where(index).anyOf(values).toArray());
  return (await readValid(db, table, rows)).records;
}

async function one<T extends TableName>(db: NedenfraDb, table: T, id: string): Promise<TableRecords[T]> {
  const row: unknown = await withReopen(db, () => db.table(table).get(id));
  const [record] = row ? (await readValid(db, table, [row])).records : [];
  if (!record) throw new StorageError('invalidData', `No valid ${table} record ${id} on this tablet.`);
  return record;
}

export const getIdea = (db: NedenfraDb, id: string) => one(db, 'ideas', id);
export const unitIdeas = (db: NedenfraDb, unitId: string) => rowsWhere(db, 'ideas', 'unitId', unitId);

// ── Prompt sessions ──────────────────────────────────────────────────────────

export interface SessionStart {
  unitId: string;
  date: string;
  facilitator: string | null;
  question: string;
  timerMinutes: number;
  votesPerParticipant: number;
}

export function startSession(db: NedenfraDb, input: SessionStart, now = new Date()): Promise<PromptSession> {
  return createRecord(db, 'promptSessions', { ...input, startedAt: now.toISOString() });
}

export const getSession = (db: NedenfraDb, id: string) => one(db, 'promptSessions', id);

/** Sessions of a unit, newest first. */
export async function listSessions(db: NedenfraDb, unitId: string): Promise<PromptSession[]> {
  const sessions = await rowsWhere(db, 'promptSessions', 'unitId', unitId);
  return sessions.sort((a, b) => (a.startedAt < b.startedAt ? 1 : -1));
}

/** An idea raised in the session, saved as an ordinary idea linked to it. */
export async function addSessionIdea(db: NedenfraDb, session: Pick<PromptSession, 'id' | 'unitId'>, impossibleNow: string): Promise<Idea> {
  const id = await newIdeaId(db, session.unitId);
  return createRecord(db, 'ideas', { id, unitId: session.unitId, impossibleNow, sessionId: session.id });
}

export function setSessionParticipants(db: NedenfraDb, sessionId: string, participantCount: number | null, participantNames: string[]) {
  return patchRecord(db, 'promptSessions', sessionId, { participantCount, participantNames });
}

export function closeSession(db: NedenfraDb, sessionId: string, now = new Date()) {
  return patchRecord(db, 'promptSessions', sessionId, { closedAt: now.toISOString() });
}

/** One vote by one of the session's participants; refuses others, votes beyond the allocation, other sessions' ideas, or after closing. */
export async function castVote(db: NedenfraDb, sessionId: string, ideaId: string, voter: string) {
  const session = await getSession(db, sessionId);
  const idea = await getIdea(db, ideaId);
  const votes = await rowsWhere(db, 'sessionVotes', 'sessionId', sessionId);
  const participant = assertCanVote(session, idea, votes, voter);
  return createRecord(db, 'sessionVotes', { unitId: session.unitId, sessionId, ideaId, voter: participant });
}

/** Take back one of this participant's votes on an idea (while the session is open); the delete syncs like any other. */
export async function withdrawVote(db: NedenfraDb, sessionId: string, ideaId: string, voter: string): Promise<void> {
  const session = await getSession(db, sessionId);
  const votes = await rowsWhere(db, 'sessionVotes', 'sessionId', sessionId);
  await deleteRecord(db, 'sessionVotes', voteToWithdraw(session, votes, ideaId, voter.trim()).id);
}

/** The session's ideas ranked by votes, with the votes themselves. */
export async function sessionResults(db: NedenfraDb, sessionId: string) {
  // Both reads start before any await, so a liveQuery observes both tables.
  const [ideas, votes] = await Promise.all([rowsWhere(db, 'ideas', 'sessionId', sessionId), rowsWhere(db, 'sessionVotes', 'sessionId', sessionId)]);
  return { ranked: rankIdeas(ideas, votes), votes };
}

// ── Evaluation procedures ────────────────────────────────────────────────────

export async function procedureVersions(db: NedenfraDb, unitId: string): Promise<EvaluationProcedure[]> {
  return procedureHistory(await rowsWhere(db, 'evaluationProcedures', 'unitId', unitId));
}

/** The unit's current procedure; on first use, version 1 with the built-in criteria is written. */
export async function ensureProcedure(db: NedenfraDb, unitId: string, now = new Date()): Promise<EvaluationProcedure> {
  const current = currentProcedure(await procedureVersions(db, unitId));
  if (current) return current;
  const first = firstProcedure(unitId, newId(), now);
  await commit(db, [{ op: 'create', table: 'evaluationProcedures', data: first }]);
  return first;
}

/** An edit of the procedure: always a NEW record (version + 1), never a patch. */
export async function editProcedure(db: NedenfraDb, previous: EvaluationProcedure, criteria: Criterion[], now = new Date()) {
  const next = nextProcedureVersion(previous, criteria, newId(), now);
  await commit(db, [{ op: 'create', table: 'evaluationProcedures', data: next }]);
  return next;
}

// ── Evaluations ──────────────────────────────────────────────────────────────

/** Record an evaluation against the given procedure version (a `new` idea is then under evaluation: derived in the same commit). */
export async function recordEvaluation(db: NedenfraDb, idea: Idea, procedure: EvaluationProcedure, input: EvaluationInput, now = new Date()) {
  const data = {
    id: newId(),
    unitId: idea.unitId,
    createdAt: now.toISOString(),
    ideaId: idea.id,
    procedureId: procedure.id,
    procedureVersion: procedure.version,
    ...input,
  };
  await commit(db, [{ op: 'create', table: 'evaluations', data }]);
}

/** Records of `table` about one idea, of the idea's own unit only. */
async function ofIdea<T extends 'evaluations' | 'unitDecisions' | 'steeringDecisions'>(db: NedenfraDb, table: T, ideaId: string): Promise<TableRecords[T][]> {
  // Both reads start before any await, so a liveQuery observes both tables.
  const [idea, rows] = await Promise.all([withReopen(db, () => db.ideas.get(ideaId)), rowsWhere(db, table, 'ideaId', ideaId)]);
  return idea ? rows.filter((r) => r.unitId === idea.unitId) : [];
}

export async function ideaEvaluations(db: NedenfraDb, ideaId: string) {
  const evaluations = await ofIdea(db, 'evaluations', ideaId);
  return evaluations.sort((a, b) => (a.createdAt < b.createdAt ? -1 : 1));
}

/** The procedure versions an idea's evaluations used (to show their criteria). */
export async function proceduresByIds(db: NedenfraDb, ids: string[]): Promise<EvaluationProcedure[]> {
  const rows = await withReopen(db, () => db.evaluationProcedures.bulkGet([...new Set(ids)]));
  return (await readValid(db, 'evaluationProcedures', rows.filter(Boolean))).records;
}

// ── Unit decisions ───────────────────────────────────────────────────────────

export interface DecisionInput {
  outcome: DecisionOutcome;
  rationale: string;
  responsible: string | null;
  followUpDate: string | null;
  parkUntil: string | null;
  mergeIntoIdeaId: string | null;
  participants: Party[];
}

export async function ideaDecisions(db: NedenfraDb, ideaId: string): Promise<UnitDecision[]> {
  return ofIdea(db, 'unitDecisions', ideaId);
}

/**
 * Save a draft: a new one (superseding the decision in force, if any) or an
 * edit of an existing draft (the repository refuses edits of published ones).
 */
export async function saveDecisionDraft(db: NedenfraDb, idea: Idea, input: DecisionInput, draftId: string | null = null): Promise<UnitDecision> {
  const fields = outcomeFields(input);
  if (draftId) return patchRecord(db, 'unitDecisions', draftId, fields);
  const inForce = currentDecision(await ideaDecisions(db, idea.id));
  if (inForce) assertCanSupersede(inForce, { ideaId: idea.id });
  return createRecord(db, 'unitDecisions', { unitId: idea.unitId, ideaId: idea.id, ...fields, state: 'draft', supersedesId: inForce?.id ?? null });
}

/**
 * The explicit act: freeze the decision (who, when). One `publish` change
 * carrying the full content as read here, so what is published, here and on
 * the server, is exactly the draft the leader saw; if the server's draft has
 * changed meanwhile, it refuses and publishes nothing (`draftChanged`). The
 * idea's status follows in the same commit.
 */
export async function publishDecision(db: NedenfraDb, decisionId: string, publishedBy: string, now = new Date()): Promise<UnitDecision> {
  const draft = await one(db, 'unitDecisions', decisionId);
  const published = publish(draft, publishedBy, now, UnitDecision);
  await commit(db, [{ op: 'publish', table: 'unitDecisions', id: decisionId, fields: published }]);
  return published;
}

/** The steering group's published answers on an idea (written on the server, pulled like any record). */
export async function ideaSteeringDecisions(db: NedenfraDb, ideaId: string): Promise<SteeringDecision[]> {
  return (await ofIdea(db, 'steeringDecisions', ideaId)).filter((d) => d.state === 'published');
}

export interface DecidedIdea {
  idea: Idea;
  /** The answer in force: the unit's, or the steering group's answer to the unit's forward in force. */
  decision: UnitDecision | SteeringDecision;
  level: 'unit' | 'steeringGroup';
}

export async function recentlyDecided(db: NedenfraDb, unitId: string, limit = 5): Promise<DecidedIdea[]> {
  // Only decided ideas (status index), not all of the unit's: the board shows this strip beside its own read
  // of up to 10,000 ideas (bench P4). All reads start before any await, so a liveQuery observes every table.
  const [published, steering, decidedRows] = await Promise.all([
    rowsWhere(db, 'unitDecisions', 'state', 'published'),
    rowsWhere(db, 'steeringDecisions', 'state', 'published'),
    withReopen(db, () => db.ideas.where('status').anyOf(DECIDED_STATUSES).toArray()),
  ]);
  const byIdea = new Map<string, UnitDecision[]>();
  for (const d of published) if (d.unitId === unitId) byIdea.set(d.ideaId, [...(byIdea.get(d.ideaId) ?? []), d]);
  const { records: ideas } = await readValid(db, 'ideas', decidedRows);
  const ideaById = new Map(ideas.filter((i) => i.unitId === unitId).map((i) => [i.id, i]));
  const ownSteering = steering.filter((d) => d.unitId === unitId);
  return [...byIdea.values()]
    .flatMap((ds): Array<Omit<DecidedIdea, 'idea'>> => {
      const unit = currentDecision(ds);
      if (!unit) return [];
      const answer = steeringAnswer(unit, ownSteering);
      return [answer ? { decision: answer, level: 'steeringGroup' } : { decision: unit, level: 'unit' }];
    })
    .sort((a, b) => (a.decision.publishedAt! < b.decision.publishedAt! ? 1 : -1))
    .flatMap((d) => {
      const idea = ideaById.get(d.decision.ideaId);
      return idea ? [{ idea, ...d }] : [];
    })
    .slice(0, limit);
}

export interface AwaitingIdea {
  idea: Idea;
  clock: ResponseClock;
  /** For a parked idea whose "look at again" date has come: that date (it waits for an answer again, due that day). */
  parkedUntil: string | null;
}

/**
 * Ideas waiting for an answer, the nearest (or most overdue) deadline first:
 * those without a published decision, and parked ones whose "look at again"
 * date has come (rules/due.ts), due on that date.
 */
export async function awaitingAnswer(db: NedenfraDb, unit: Pick<Unit, 'id' | 'responseTargetDays'>, now = new Date()): Promise<AwaitingIdea[]> {
  const ideas = await unitIdeas(db, unit.id);
  const parked = ideas.filter((i) => i.status === 'parked');
  const decisions = parked.length ? await rowsIn(db, 'unitDecisions', 'ideaId', parked.map((i) => i.id)) : [];
  const waiting: AwaitingIdea[] = [];
  for (const idea of ideas) {
    const clock = responseClock(idea, unit, now);
    if (!clock.answered) waiting.push({ idea, clock, parkedUntil: null });
    else if (idea.status === 'parked') {
      const parkUntil = currentDecision(decisions.filter((d) => d.ideaId === idea.id && d.unitId === idea.unitId))?.parkUntil;
      if (!parkUntil || !parkedIdeaReturns(parkUntil, now)) continue;
      const deadline = parseISO(parkUntil);
      const daysLeft = differenceInCalendarDays(deadline, now);
      waiting.push({ idea, clock: { deadline, daysLeft, overdue: daysLeft < 0, answered: false }, parkedUntil: parkUntil });
    }
  }
  return waiting.sort((a, b) => a.clock.deadline.getTime() - b.clock.deadline.getTime());
}

// ── Unit settings ────────────────────────────────────────────────────────────

export function updateUnitSettings(db: NedenfraDb, unitId: string, settings: Pick<Unit, 'responseTargetDays' | 'activeChangeLimit'>) {
  return patchRecord(db, 'units', unitId, { responseTargetDays: settings.responseTargetDays, activeChangeLimit: settings.activeChangeLimit });
}
