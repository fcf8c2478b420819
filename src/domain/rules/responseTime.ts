/**
 * Serious consideration: every idea bearer gets an answer within the unit's
 * response target (default 30 days from idea to published decision).
 */
import { addDays, differenceInCalendarDays } from 'date-fns';
import type { Idea } from '../records/idea';
import type { Unit } from '../records/unit';

export interface ResponseClock {
  deadline: Date;
  /** Whole days left; negative when overdue. */
  daysLeft: number;
  overdue: boolean;
  answered: boolean;
}

/** An idea is answered once its status reflects a published decision. */
export function isAnswered(idea: Pick<Idea, 'status'>): boolean {
  return idea.status !== 'new' && idea.status !== 'underEvaluation';
}

export function responseClock(idea: Pick<Idea, 'createdAt' | 'status'>, unit: Pick<Unit, 'responseTargetDays'>, now: Date): ResponseClock {
  const deadline = addDays(new Date(idea.createdAt), unit.responseTargetDays);
  const daysLeft = differenceInCalendarDays(deadline, now);
  const answered = isAnswered(idea);
  return { deadline, daysLeft, answered, overdue: !answered && now.getTime() > deadline.getTime() };
}
