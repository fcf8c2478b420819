/**
 * Decisions, at either level (the unit's, and the steering group's answer to
 * a forwarded idea): publishing, superseding, the decision in force and what
 * an idea's status becomes. One set of rules for both (records/decision.ts).
 * "Not until then [published] is a decision valid and binding."
 */
import type { DecisionState } from '../records/decision';
import type { DecisionOutcome } from '../records/evaluation';
import type { IdeaStatus } from '../records/idea';
import type { SteeringOutcome } from '../records/steeringDecision';

const STATUS_FOR_OUTCOME: Record<DecisionOutcome, IdeaStatus> = {
  adopt: 'adopted',
  pilot: 'pilot',
  park: 'parked',
  forward: 'forwarded',
  decline: 'declined',
  merge: 'merged',
};

const STATUS_FOR_STEERING_OUTCOME: Record<SteeringOutcome, IdeaStatus> = {
  adopt: 'adopted',
  pilot: 'pilot',
  park: 'parked',
  decline: 'declined',
  sendBack: 'sentBack',
  merge: 'merged',
};

/**
 * The statuses a published decision (of either level) gives an idea, and those
 * of an adopted idea or pilot whose change was closed (rules/change.ts).
 */
export const DECIDED_STATUSES: readonly IdeaStatus[] = [
  ...new Set([
    ...Object.values(STATUS_FOR_OUTCOME),
    ...Object.values(STATUS_FOR_STEERING_OUTCOME),
    'practice' as const,
    'stopped' as const,
  ]),
];

export function statusForOutcome(outcome: DecisionOutcome): IdeaStatus {
  return STATUS_FOR_OUTCOME[outcome];
}

export function statusForSteeringOutcome(outcome: SteeringOutcome): IdeaStatus {
  return STATUS_FOR_STEERING_OUTCOME[outcome];
}

export class DecisionRuleError extends Error {
  constructor(readonly code: 'publishedImmutable' | 'notPublished' | 'otherIdea') {
    super(code);
  }
}

/** What publishing, superseding and choosing the decision in force read of a decision, whatever its level. */
export interface Publishable {
  id: string;
  ideaId: string;
  state: DecisionState;
  publishedAt: string | null;
  publishedBy: string | null;
  supersedesId: string | null;
}

export function isEditable(d: Pick<Publishable, 'state'>): boolean {
  return d.state === 'draft';
}

/** The explicit act of publishing: records who and when (checked by the level's schema), then the decision is frozen. */
export function publish<D extends Publishable>(d: D, by: string, now: Date, schema: { parse(value: unknown): D }): D {
  if (!isEditable(d)) throw new DecisionRuleError('publishedImmutable');
  return schema.parse({ ...d, state: 'published', publishedAt: now.toISOString(), publishedBy: by });
}

/** Newest publication first; equal times by id, so every replica picks the same decision whatever order it read them in. */
const newestPublishedFirst = (a: Publishable, b: Publishable) =>
  a.publishedAt! < b.publishedAt! ? 1 : a.publishedAt! > b.publishedAt! ? -1 : a.id < b.id ? 1 : a.id > b.id ? -1 : 0;

/**
 * The decision in force for an idea: the latest published one that no other
 * published decision supersedes. Drafts never count.
 */
export function currentDecision<D extends Publishable>(decisions: readonly D[]): D | undefined {
  const published = decisions.filter((d) => d.state === 'published');
  const superseded = new Set(published.map((d) => d.supersedesId).filter(Boolean));
  return published.filter((d) => !superseded.has(d.id)).sort(newestPublishedFirst)[0];
}

/** Published decisions on one idea, newest first, each marked if a later one superseded it. */
export function decisionHistory<D extends Publishable>(decisions: readonly D[]): Array<{ decision: D; supersededBy: string | null }> {
  const published = decisions.filter((d) => d.state === 'published');
  const supersededBy = new Map(published.filter((d) => d.supersedesId).map((d) => [d.supersedesId!, d.id]));
  return published
    .slice()
    .sort(newestPublishedFirst)
    .map((d) => ({ decision: d, supersededBy: supersededBy.get(d.id) ?? null }));
}

/** Check that a new decision may supersede `previous`. */
export function assertCanSupersede(previous: Publishable, next: Pick<Publishable, 'ideaId'>): void {
  if (previous.state !== 'published') throw new DecisionRuleError('notPublished');
  if (previous.ideaId !== next.ideaId) throw new DecisionRuleError('otherIdea');
}
