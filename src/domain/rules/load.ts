/**
 * The overload guard: "too many changes at once kill change work". A unit has
 * a limit on active changes (adopted or in pilot); adopting beyond it warns and
 * offers to park instead.
 */
import type { Idea } from '../records/idea';
import type { DecisionOutcome } from '../records/evaluation';
import type { Unit } from '../records/unit';
import { ACTIVE_CHANGE_OUTCOMES } from '../records/decision';

export function activeChangeCount(ideas: readonly Pick<Idea, 'status'>[]): number {
  return ideas.filter((i) => i.status === 'adopted' || i.status === 'pilot').length;
}

export interface LoadCheck {
  active: number;
  limit: number;
  /** True when this outcome would take the unit past its limit. */
  overloaded: boolean;
}

export function checkLoad(
  unit: Pick<Unit, 'activeChangeLimit'>,
  ideas: readonly Pick<Idea, 'id' | 'status'>[],
  outcome: DecisionOutcome,
  ideaId: string,
): LoadCheck {
  // The idea being decided does not count twice if it is already active.
  const active = activeChangeCount(ideas.filter((i) => i.id !== ideaId));
  const limit = unit.activeChangeLimit;
  return { active, limit, overloaded: ACTIVE_CHANGE_OUTCOMES.has(outcome) && active + 1 > limit };
}
