/**
 * Unit decisions: publishing, superseding and what an idea's status becomes.
 * "Not until then [published] is a decision valid and binding."
 */
import type { IdeaStatus } from '../records/idea';
import type { DecisionOutcome } from '../records/evaluation';
import { UnitDecision } from '../records/unitDecision';

const STATUS_FOR_OUTCOME: Record<DecisionOutcome, IdeaStatus> = {
  adopt: 'adopted',
  pilot: 'pilot',
  park: 'parked',
  forward: 'forwarded',
  decline: 'declined',
  merge: 'merged',
};

/** The statuses a published decision gives an idea, and those of an adopted idea or pilot whose change was closed (rules/change.ts). */
export const DECIDED_STATUSES: readonly IdeaStatus[] = [...Object.values(STATUS_FOR_OUTCOME), 'practice', 'stopped'];

export function statusForOutcome(outcome: DecisionOutcome): IdeaStatus {
  return STATUS_FOR_OUTCOME[outcome];
}

/** Outcomes that start a change the unit must carry (counted against the load limit). */
export const ACTIVE_CHANGE_OUTCOMES: ReadonlySet<DecisionOutcome> = new Set(['adopt', 'pilot']);

/**
 * A decision's fields with those its outcome does not use cleared, so a draft
 * never carries stale ones (a park date on an adoption, a merge target on a
 * decline).
 */
export function outcomeFields<
  T extends Pick<UnitDecision, 'responsible' | 'followUpDate' | 'parkUntil' | 'mergeIntoIdeaId'> & { outcome: string },
>(d: T): T {
  const active = (ACTIVE_CHANGE_OUTCOMES as ReadonlySet<string>).has(d.outcome);
  return {
    ...d,
    responsible: active ? d.responsible : null,
    followUpDate: active ? d.followUpDate : null,
    parkUntil: d.outcome === 'park' ? d.parkUntil : null,
    mergeIntoIdeaId: d.outcome === 'merge' ? d.mergeIntoIdeaId : null,
  };
}

export class DecisionRuleError extends Error {
  constructor(readonly code: 'publishedImmutable' | 'notPublished' | 'otherIdea') {
    super(code);
  }
}

export function isEditable(d: Pick<UnitDecision, 'state'>): boolean {
  return d.state === 'draft';
}

/** The explicit act of publishing: records who and when, then the decision is frozen. */
export function publish(d: UnitDecision, by: string, now: Date): UnitDecision {
  if (!isEditable(d)) throw new DecisionRuleError('publishedImmutable');
  return UnitDecision.parse({ ...d, state: 'published', publishedAt: now.toISOString(), publishedBy: by });
}

/** Newest publication first; equal times by id, so every replica picks the same decision whatever order it read them in. */
const newestPublishedFirst = (a: UnitDecision, b: UnitDecision) =>
  a.publishedAt! < b.publishedAt! ? 1 : a.publishedAt! > b.publishedAt! ? -1 : a.id < b.id ? 1 : a.id > b.id ? -1 : 0;

/**
 * The decision in force for an idea: the latest published one that no other
 * published decision supersedes. Drafts never count.
 */
export function currentDecision(decisions: readonly UnitDecision[]): UnitDecision | undefined {
  const published = decisions.filter((d) => d.state === 'published');
  const superseded = new Set(published.map((d) => d.supersedesId).filter(Boolean));
  return published.filter((d) => !superseded.has(d.id)).sort(newestPublishedFirst)[0];
}

/** Published decisions on one idea, newest first, each marked if a later one superseded it. */
export function decisionHistory(decisions: readonly UnitDecision[]) {
  const published = decisions.filter((d) => d.state === 'published');
  const supersededBy = new Map(published.filter((d) => d.supersedesId).map((d) => [d.supersedesId!, d.id]));
  return published
    .slice()
    .sort(newestPublishedFirst)
    .map((d) => ({ decision: d, supersededBy: supersededBy.get(d.id) ?? null }));
}

/** Check that a new decision may supersede `previous`. */
export function assertCanSupersede(previous: UnitDecision, next: Pick<UnitDecision, 'ideaId'>): void {
  if (previous.state !== 'published') throw new DecisionRuleError('notPublished');
  if (previous.ideaId !== next.ideaId) throw new DecisionRuleError('otherIdea');
}
