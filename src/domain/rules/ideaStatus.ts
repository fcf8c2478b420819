/**
 * An idea's status is DERIVED, never written: the outcome of the unit's
 * published decision in force on it (rules/decision.ts: currentDecision) — or,
 * once a follow-up closed the change that decision started (rules/change.ts),
 * how it closed: `practice` or `stopped` — otherwise `underEvaluation` once
 * anyone evaluated it, otherwise `new`. When the unit's decision in force
 * forwards the idea, the steering group's answer to THAT decision decides:
 * its published answer in force, else `forwarded`. A later unit decision
 * (e.g. after the steering group sent the idea back) supersedes the forward,
 * and with it the answer. No device can set the
 * status, so no ordering of offline writes can move an answered idea back to
 * "waiting".
 *
 * The server materializes it in the idea's stored data in the same
 * transaction as any write to the idea, its decisions or its evaluations
 * (pulls, the dissemination filter and the console read `data.status`); each
 * tablet recomputes it in the same IndexedDB transaction as any local write or
 * pulled change of those records. Both run this function on the same records,
 * so they agree. Only records of the idea's own unit count: another unit
 * cannot decide (or evaluate) someone else's idea.
 */
import type { StoredRecord } from '../merge';
import { FollowUp } from '../records/followUp';
import type { IdeaStatus } from '../records/idea';
import { SteeringDecision } from '../records/steeringDecision';
import { UnitDecision } from '../records/unitDecision';
import { closingFollowUp } from './change';
import { ACTIVE_CHANGE_OUTCOMES } from '../records/decision';
import { currentDecision, statusForOutcome, statusForSteeringOutcome } from './decision';

export interface StatusSources {
  unitDecisions: readonly UnitDecision[];
  steeringDecisions: readonly SteeringDecision[];
  evaluated: boolean;
  followUps?: readonly FollowUp[];
}

/** The steering group's answer in force to the unit's decision in force, if that decision forwarded the idea. */
export function steeringAnswer(
  unitInForce: Pick<UnitDecision, 'id' | 'outcome'> | undefined,
  steeringDecisions: readonly SteeringDecision[],
): SteeringDecision | undefined {
  if (unitInForce?.outcome !== 'forward') return undefined;
  return currentDecision(steeringDecisions.filter((d) => d.answersDecisionId === unitInForce.id));
}

export function deriveIdeaStatus({ unitDecisions, steeringDecisions, evaluated, followUps = [] }: StatusSources): IdeaStatus {
  const inForce = currentDecision(unitDecisions);
  if (!inForce) return evaluated ? 'underEvaluation' : 'new';
  const answer = steeringAnswer(inForce, steeringDecisions);
  if (answer) return statusForSteeringOutcome(answer.outcome);
  const closing = ACTIVE_CHANGE_OUTCOMES.has(inForce.outcome) ? closingFollowUp(inForce, followUps) : null;
  return closing ? (closing.outcome as 'practice' | 'stopped') : statusForOutcome(inForce.outcome);
}

export type RelatedRecord = Pick<StoredRecord, 'table' | 'unitId' | 'data' | 'deleted'>;

/** The tables whose records an idea's status is derived from. */
export const STATUS_SOURCE_TABLES = ['unitDecisions', 'steeringDecisions', 'evaluations', 'followUps'] as const;
const isStatusSource = (table: string): boolean => (STATUS_SOURCE_TABLES as readonly string[]).includes(table);

/**
 * The status of `idea` given records that may concern it (any mix: those of
 * other ideas, other units, tombstones and unreadable ones are ignored).
 */
export function ideaStatusFrom(idea: { id: string; unitId: string }, related: Iterable<RelatedRecord>): IdeaStatus {
  const unitDecisions: UnitDecision[] = [];
  const steeringDecisions: SteeringDecision[] = [];
  const followUps: FollowUp[] = [];
  let evaluated = false;
  for (const r of related) {
    if (r.deleted || r.unitId !== idea.unitId || r.data.ideaId !== idea.id) continue;
    if (r.table === 'evaluations') evaluated = true;
    else if (r.table === 'unitDecisions') {
      const parsed = UnitDecision.safeParse(r.data);
      if (parsed.success) unitDecisions.push(parsed.data);
    } else if (r.table === 'steeringDecisions') {
      const parsed = SteeringDecision.safeParse(r.data);
      if (parsed.success) steeringDecisions.push(parsed.data);
    } else if (r.table === 'followUps') {
      const parsed = FollowUp.safeParse(r.data);
      if (parsed.success) followUps.push(parsed.data);
    }
  }
  return deriveIdeaStatus({ unitDecisions, steeringDecisions, evaluated, followUps });
}

/** The idea whose status a change of this record may move, if any. */
export function statusIdeaOf(record: Pick<StoredRecord, 'table' | 'id' | 'data'>): string | null {
  if (record.table === 'ideas') return record.id;
  if (isStatusSource(record.table) && typeof record.data.ideaId === 'string') return record.data.ideaId;
  return null;
}

/**
 * The idea record carrying `status`. Derived fields have no clock (no device
 * writes them; a clock from an older app is dropped), so a pull can never
 * decide them by last-writer-wins.
 */
export function withDerivedStatus(idea: StoredRecord, status: IdeaStatus): StoredRecord {
  const hasClock = Object.hasOwn(idea.clocks, 'status');
  if (idea.data.status === status && !hasClock) return idea;
  const { status: _dropped, ...clocks } = idea.clocks;
  return { ...idea, data: { ...idea.data, status }, clocks };
}
