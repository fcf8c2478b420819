/**
 * After the decision: the data path of a change (an adopted idea or a pilot)
 * — its expected benefits, learning log, anchoring ladder, follow-ups with
 * their results, and what is due. Reads are validated (`readValid`) and keep
 * to the idea's own unit; every write goes through `commit`, so the records a
 * follow-up writes (the follow-up, a result per benefit, a ladder step) are
 * saved and queued together or not at all, and the idea's status (open,
 * new practice, stopped) is derived in the same transaction.
 */
import {
  assertOpenChange,
  changeOf,
  currentDecision,
  currentStep,
  dueItems,
  inWrittenOrder,
  newId,
  realisation,
  type AnchoringStep,
  type Benefit,
  type BenefitEvidence,
  type BenefitGroup,
  type BenefitKind,
  type BenefitResult,
  type Change,
  type DueItem,
  type FollowUp,
  type FollowUpOutcome,
  type Idea,
  type IdeaStatus,
  type LadderStep,
  type Learning,
  type RealisationSummary,
  type Realisation,
  type TableName,
  type TableRecords,
} from '../domain';
import type { BlobRow, NedenfraDb } from './db';
import { StorageError } from './errors';
import { commit, readValid, withReopen, type Change as RepositoryChange } from './repository';

/** The tables that hang off an idea once it is decided. */
type IdeaTable = 'unitDecisions' | 'followUps' | 'benefits' | 'benefitResults' | 'ladderSteps' | 'learnings';

/**
 * Records of `table` about these ideas. The read starts when this is called, so
 * callers start every read before their first await: a live query only
 * watches the tables read while its context lasts (which an await of
 * anything but Dexie ends). Callers keep to the idea's own unit.
 */
async function ofIdeas<T extends IdeaTable>(db: NedenfraDb, table: T, ideaIds: readonly string[]): Promise<TableRecords[T][]> {
  if (ideaIds.length === 0) return [];
  const rows: unknown[] = await withReopen(db, () => db.table(table).where('ideaId').anyOf([...ideaIds]).toArray());
  return (await readValid(db, table, rows)).records;
}

/** Only the records of `unitId` (another unit's record naming an idea is not its business). */
const ofUnit = <T extends { unitId: string }>(records: readonly T[], unitId: string) => records.filter((r) => r.unitId === unitId);

const byIdea = <T extends { ideaId: string }>(records: readonly T[]) => {
  const map = new Map<string, T[]>();
  for (const r of records) map.set(r.ideaId, [...(map.get(r.ideaId) ?? []), r]);
  return map;
};

// ── One change ───────────────────────────────────────────────────────────────

export interface ChangeDetail {
  idea: Idea;
  /** The change in force (open or closed); null when the idea is not adopted or in pilot now. */
  change: Change | null;
  /** Expected benefits, in the order they were stated. */
  benefits: Benefit[];
  /** Every result recorded, oldest first (rules/change.ts: latestResults). */
  results: BenefitResult[];
  /** The ladder's history, oldest first. */
  ladder: LadderStep[];
  /** The learning log, newest first. */
  learnings: Learning[];
}

export async function changeDetail(db: NedenfraDb, ideaId: string): Promise<ChangeDetail | null> {
  const ids = [ideaId];
  // Every read starts before the first await, so a live query watches every table.
  const [row, ...read] = await Promise.all([
    withReopen(db, () => db.ideas.get(ideaId)),
    ofIdeas(db, 'unitDecisions', ids),
    ofIdeas(db, 'followUps', ids),
    ofIdeas(db, 'benefits', ids),
    ofIdeas(db, 'benefitResults', ids),
    ofIdeas(db, 'ladderSteps', ids),
    ofIdeas(db, 'learnings', ids),
  ]);
  const [idea] = row ? (await readValid(db, 'ideas', [row])).records : [];
  if (!idea) return null;
  const [decisions, followUps, benefits, results, ladder, learnings] = [
    ofUnit(read[0], idea.unitId),
    ofUnit(read[1], idea.unitId),
    ofUnit(read[2], idea.unitId),
    ofUnit(read[3], idea.unitId),
    ofUnit(read[4], idea.unitId),
    ofUnit(read[5], idea.unitId),
  ];
  return {
    idea,
    change: changeOf(decisions, followUps),
    benefits: inWrittenOrder(benefits),
    results: inWrittenOrder(results),
    ladder: inWrittenOrder(ladder),
    learnings: inWrittenOrder(learnings).reverse(),
  };
}

// ── A unit's changes and what is due ─────────────────────────────────────────

export interface ChangeSummary {
  idea: Idea;
  change: Change;
  step: AnchoringStep | null;
  /** The latest learning-log entry's time, or the decision's publication before the first entry. */
  lastEntryAt: string;
  realisation: RealisationSummary;
}

export interface DueEntry extends DueItem {
  idea: Idea;
}

export interface UnitChanges {
  /** Open changes, the nearest follow-up first. */
  open: ChangeSummary[];
  /** Closed changes, the latest closed first. */
  closed: ChangeSummary[];
  /** What the leader must look at now (rules/due.ts), the longest overdue first. */
  due: DueEntry[];
}

/** A stored row of this unit with an id, before it is validated (what the reads by idea need). */
const isOfUnit = (row: unknown, unitId: string): row is { id: string } =>
  typeof row === 'object' && row !== null && 'unitId' in row && row.unitId === unitId && 'id' in row && typeof row.id === 'string';

/** Statuses of ideas that carry a change (open or closed) or wait parked: what the leader follows up. */
const FOLLOWED_STATUSES: readonly IdeaStatus[] = ['adopted', 'pilot', 'practice', 'stopped', 'parked'];
const OPEN_STATUSES: ReadonlySet<IdeaStatus> = new Set(['adopted', 'pilot']);

/** Every change of the unit and what is due: read through the status index, then each table by those ideas only. */
export async function unitChanges(db: NedenfraDb, unitId: string, now = new Date()): Promise<UnitChanges> {
  const rows: unknown[] = await withReopen(db, () => db.ideas.where('status').anyOf(FOLLOWED_STATUSES).toArray());
  // The reads by idea start right after a Dexie read (no other await between), so a live query watches them too.
  const ids = rows.flatMap((r) => (isOfUnit(r, unitId) ? [r.id] : []));
  const [valid, ...read] = await Promise.all([
    readValid(db, 'ideas', rows),
    ofIdeas(db, 'unitDecisions', ids),
    ofIdeas(db, 'followUps', ids),
    ofIdeas(db, 'benefits', ids),
    ofIdeas(db, 'benefitResults', ids),
    ofIdeas(db, 'ladderSteps', ids),
    ofIdeas(db, 'learnings', ids),
  ]);
  const ideas = ofUnit(valid.records, unitId);
  const [decisions, followUps, benefits, results, ladder, learnings] = [
    ofUnit(read[0], unitId),
    ofUnit(read[1], unitId),
    ofUnit(read[2], unitId),
    ofUnit(read[3], unitId),
    ofUnit(read[4], unitId),
    ofUnit(read[5], unitId),
  ];
  const [decisionsOf, followUpsOf, benefitsOf] = [byIdea(decisions), byIdea(followUps), byIdea(benefits)];
  const [resultsOf, ladderOf, learningsOf] = [byIdea(results), byIdea(ladder), byIdea(learnings)];

  const summaries: ChangeSummary[] = [];
  const parked: Array<{ ideaId: string; parkUntil: string }> = [];
  for (const idea of ideas) {
    const ideaDecisions = decisionsOf.get(idea.id) ?? [];
    if (idea.status === 'parked') {
      const inForce = currentDecision(ideaDecisions);
      if (inForce?.parkUntil) parked.push({ ideaId: idea.id, parkUntil: inForce.parkUntil });
      continue;
    }
    const change = changeOf(ideaDecisions, followUpsOf.get(idea.id) ?? []);
    if (!change) continue;
    const entries = learningsOf.get(idea.id) ?? [];
    const lastEntry = inWrittenOrder(entries).at(-1);
    summaries.push({
      idea,
      change,
      step: currentStep(ladderOf.get(idea.id) ?? []),
      lastEntryAt: lastEntry?.createdAt ?? change.decision.publishedAt ?? change.decision.createdAt,
      realisation: realisation(benefitsOf.get(idea.id) ?? [], resultsOf.get(idea.id) ?? []),
    });
  }
  const open = summaries
    .filter((s) => s.change.state === 'open' && OPEN_STATUSES.has(s.idea.status))
    .sort((a, b) => (a.change.nextFollowUp ?? '9999') .localeCompare(b.change.nextFollowUp ?? '9999') || a.idea.id.localeCompare(b.idea.id));
  const closed = summaries
    .filter((s) => s.change.state !== 'open')
    .sort((a, b) => b.change.closing!.createdAt.localeCompare(a.change.closing!.createdAt));
  const ideaById = new Map(ideas.map((i) => [i.id, i]));
  const due = dueItems(
    { changes: open.map((s) => ({ ideaId: s.idea.id, nextFollowUp: s.change.nextFollowUp, lastEntryAt: s.lastEntryAt })), parked },
    now,
  ).map((item) => ({ ...item, idea: ideaById.get(item.ideaId)! }));
  return { open, closed, due };
}

// ── Writes ───────────────────────────────────────────────────────────────────

type IdeaRef = Pick<Idea, 'id' | 'unitId'>;

const create = (table: TableName, data: Record<string, unknown>, now: Date): RepositoryChange => ({
  op: 'create',
  table,
  data: { id: newId(now.getTime()), createdAt: now.toISOString(), ...data },
});

export interface BenefitInput {
  forWhom: BenefitGroup[];
  kind: BenefitKind;
  description: string;
  evidence: BenefitEvidence;
  indicator: string;
  baseline: number | null;
  target: number | null;
}

/** State an expected benefit of the change on `idea`. */
export async function addBenefit(db: NedenfraDb, idea: IdeaRef, input: BenefitInput, now = new Date()): Promise<Benefit> {
  const [stored] = await commit(db, [create('benefits', { unitId: idea.unitId, ideaId: idea.id, ...input }, now)]);
  return stored as Benefit;
}

/** Take back a benefit stated in error (a tombstone that syncs like any delete); one with results stays. */
export async function removeBenefit(db: NedenfraDb, benefitId: string): Promise<void> {
  const recorded = await withReopen(db, () => db.benefitResults.filter((r) => r.benefitId === benefitId).count());
  if (recorded > 0) throw new StorageError('invalidData', 'A benefit with results stays: what was found for it is part of the change.');
  await commit(db, [{ op: 'delete', table: 'benefits', id: benefitId }]);
}

export interface LearningInput {
  happened: string | null;
  learned: string | null;
  adjusted: string | null;
  author: string | null;
}

/** A learning-log entry, by anyone at the tablet; its photo is saved in the same transaction. */
export async function writeLearning(db: NedenfraDb, idea: IdeaRef, input: LearningInput, photo: BlobRow | null = null, now = new Date()) {
  const data = { unitId: idea.unitId, ideaId: idea.id, ...input, photo: photo?.sha256 ?? null };
  const [stored] = await commit(db, [create('learnings', data, now)], photo ? { blobs: [photo] } : {});
  return stored as Learning;
}

/** The open change on this idea, or a refusal in the domain's words (no change, or closed). */
async function openChange(db: NedenfraDb, ideaId: string): Promise<{ idea: Idea; change: Change }> {
  const detail = await changeDetail(db, ideaId);
  if (!detail) throw new StorageError('invalidData', `No idea ${ideaId} on this tablet.`);
  return { idea: detail.idea, change: assertOpenChange(detail.change) };
}

/** Where the change stands on the anchoring ladder now. */
export async function setLadderStep(db: NedenfraDb, ideaId: string, step: AnchoringStep, note: string | null, setBy: string | null, now = new Date()) {
  const { idea } = await openChange(db, ideaId);
  const [stored] = await commit(db, [create('ladderSteps', { unitId: idea.unitId, ideaId, step, note, setBy }, now)]);
  return stored as LadderStep;
}

export interface ResultInput {
  benefitId: string;
  realised: Realisation;
  measured: number | null;
  observed: string | null;
}

export interface FollowUpInput {
  outcome: FollowUpOutcome;
  nextDate: string | null;
  note: string | null;
  by: string | null;
  /** Where the change stands on the ladder now, if the follow-up set it. */
  step: AnchoringStep | null;
  /** What was found for the benefits (none need be). */
  results: ResultInput[];
}

/**
 * A follow-up of the open change on `ideaId`, in one commit: the follow-up
 * (next date, or the closing), a result per benefit, and the ladder step. A
 * closing gives the idea its status `practice` or `stopped` in the same
 * transaction, which frees its slot under the unit's limit.
 */
export async function recordFollowUp(db: NedenfraDb, ideaId: string, input: FollowUpInput, now = new Date()): Promise<FollowUp> {
  const { idea, change } = await openChange(db, ideaId);
  const owner = { unitId: idea.unitId, ideaId };
  const followUp = create(
    'followUps',
    { ...owner, decisionId: change.decision.id, outcome: input.outcome, nextDate: input.nextDate, note: input.note, by: input.by },
    now,
  );
  const followUpId = followUp.op === 'create' ? String(followUp.data.id) : '';
  const changes: RepositoryChange[] = [
    followUp,
    ...input.results.map((r) => create('benefitResults', { ...owner, followUpId, ...r }, now)),
    ...(input.step ? [create('ladderSteps', { ...owner, step: input.step, note: null, setBy: input.by }, now)] : []),
  ];
  const [stored] = await commit(db, changes);
  return stored as FollowUp;
}
