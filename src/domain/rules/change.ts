/**
 * After the decision: an adopted idea or a pilot is a *change*, followed up
 * until it becomes the new practice or is stopped (seed 004: benefits
 * realisation and the anchoring ladder; the memo's formative evaluation).
 *
 * A change belongs to the decision in force on its idea (rules/decision.ts:
 * currentDecision). Its follow-ups name that decision; the first follow-up
 * that closes it (new practice, or stopped) closes it for good, and a later
 * decision on the idea starts a new change. Benefits, results, ladder steps
 * and the learning log belong to the idea, so they carry over when a pilot is
 * followed by a decision to adopt.
 */
import type { Benefit } from '../records/benefit';
import type { BenefitResult, Realisation } from '../records/benefitResult';
import type { DecisionOutcome } from '../records/evaluation';
import type { FollowUp, FollowUpOutcome } from '../records/followUp';
import type { AnchoringStep, LadderStep } from '../records/ladderStep';
import { ANCHORING_STEPS } from '../records/ladderStep';
import type { UnitDecision } from '../records/unitDecision';
import { ACTIVE_CHANGE_OUTCOMES } from '../records/decision';
import { currentDecision } from './decision';

/** Oldest first; equal times by id, so every replica orders a history the same way whatever order it read it in. */
export function inWrittenOrder<T extends { createdAt: string; id: string }>(records: readonly T[]): T[] {
  return records
    .slice()
    .sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export type ChangeState = 'open' | 'practice' | 'stopped';
export type ClosingOutcome = Exclude<FollowUpOutcome, 'continue'>;

export interface Change {
  /** The published adopt or pilot decision in force. */
  decision: UnitDecision;
  kind: Extract<DecisionOutcome, 'adopt' | 'pilot'>;
  state: ChangeState;
  /** The follow-up that closed it, if any. */
  closing: FollowUp | null;
  /** When to follow up next (open changes only): the latest follow-up's next date, else the decision's. */
  nextFollowUp: string | null;
  /** This change's follow-ups, oldest first (none after the closing one). */
  followUps: FollowUp[];
}

const isClosing = (f: Pick<FollowUp, 'outcome'>) => f.outcome !== 'continue';

/** The follow-up that closed the change of `decision`: the first one written that closes it (equal times by id). */
export function closingFollowUp(decision: Pick<UnitDecision, 'id'>, followUps: readonly FollowUp[]): FollowUp | null {
  return inWrittenOrder(followUps.filter((f) => f.decisionId === decision.id)).find(isClosing) ?? null;
}

/** The change an idea carries now, or null when no published adopt or pilot decision is in force. */
export function changeOf(decisions: readonly UnitDecision[], followUps: readonly FollowUp[]): Change | null {
  const decision = currentDecision(decisions);
  if (!decision || !ACTIVE_CHANGE_OUTCOMES.has(decision.outcome)) return null;
  const own = inWrittenOrder(followUps.filter((f) => f.decisionId === decision.id));
  const closedAt = own.findIndex(isClosing);
  const held = closedAt === -1 ? own : own.slice(0, closedAt + 1);
  const closing = closedAt === -1 ? null : own[closedAt]!;
  const lastContinue = held.filter((f) => f.outcome === 'continue').at(-1);
  return {
    decision,
    kind: decision.outcome as Change['kind'],
    state: closing ? (closing.outcome as ClosingOutcome) : 'open',
    closing,
    nextFollowUp: closing ? null : (lastContinue?.nextDate ?? decision.followUpDate),
    followUps: held,
  };
}

export class ChangeRuleError extends Error {
  constructor(readonly code: 'noChange' | 'changeClosed') {
    super(code);
  }
}

/** Guard for anything that moves a change on (a follow-up, a ladder step): there is one, and it is still open. */
export function assertOpenChange(change: Change | null): Change {
  if (!change) throw new ChangeRuleError('noChange');
  if (change.state !== 'open') throw new ChangeRuleError('changeClosed');
  return change;
}

// ── The anchoring ladder ─────────────────────────────────────────────────────

/** Rung 1–4 of a step (awareness = 1 … new practice = 4), for charts and "step 2 of 4". */
export const stepRung = (step: AnchoringStep): number => ANCHORING_STEPS.indexOf(step) + 1;

/** The ladder's history, oldest first. A step may go down as well as up: the history shows both. */
export const ladderHistory = (steps: readonly LadderStep[]): LadderStep[] => inWrittenOrder(steps);

/** Where the change stands now: the latest step set, or null before the first. */
export function currentStep(steps: readonly LadderStep[]): AnchoringStep | null {
  return ladderHistory(steps).at(-1)?.step ?? null;
}

// ── Benefits realisation ─────────────────────────────────────────────────────

/** The newest result per benefit (a later follow-up's result replaces an earlier one as what holds now). */
export function latestResults(results: readonly BenefitResult[]): Map<string, BenefitResult> {
  const latest = new Map<string, BenefitResult>();
  for (const r of inWrittenOrder(results)) latest.set(r.benefitId, r);
  return latest;
}

/**
 * Whether a measured value reached the benefit's target, going from the
 * baseline towards it (fewer falls: down; more time with residents: up).
 * Null when it cannot be told: no target, or no baseline to tell the direction.
 */
export function targetReached(benefit: Pick<Benefit, 'baseline' | 'target'>, measured: number): boolean | null {
  const { baseline, target } = benefit;
  if (target === null || baseline === null || baseline === target) return null;
  return baseline < target ? measured >= target : measured <= target;
}

export type BenefitStanding = Realisation | 'notRecorded';

export interface RealisationSummary {
  benefits: number;
  /** How many benefits stand where, by their latest result. */
  counts: Record<BenefitStanding, number>;
  /** Realised in full: latest result `yes`. */
  realised: number;
}

/** Where a change's benefits stand, by the latest result of each (removed benefits, and results of other ideas' benefits, do not count). */
export function realisation(benefits: readonly Pick<Benefit, 'id'>[], results: readonly BenefitResult[]): RealisationSummary {
  const latest = latestResults(results);
  const counts: Record<BenefitStanding, number> = { yes: 0, partly: 0, notYet: 0, no: 0, notRecorded: 0 };
  for (const b of benefits) counts[latest.get(b.id)?.realised ?? 'notRecorded']++;
  return { benefits: benefits.length, counts, realised: counts.yes };
}
