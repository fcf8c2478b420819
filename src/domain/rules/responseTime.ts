/**
 * Serious consideration: every idea bearer gets an answer within the unit's
 * response target (default 30 days from idea to published decision). An idea
 * the unit forwarded to the steering group, or that the steering group sent
 * back, is not answered yet: its clock keeps running.
 */
import { addDays, differenceInCalendarDays } from 'date-fns';
import type { Idea, IdeaStatus } from '../records/idea';
import type { Unit } from '../records/unit';

export interface ResponseClock {
  deadline: Date;
  /** Whole days left; negative when overdue. */
  daysLeft: number;
  overdue: boolean;
  answered: boolean;
}

/** Statuses of ideas still waiting for their answer. */
export const AWAITING_ANSWER: readonly IdeaStatus[] = ['new', 'underEvaluation', 'forwarded', 'sentBack'];

/** An idea is answered once its status reflects a published decision that settles it (not a forward to the steering group). */
export function isAnswered(idea: Pick<Idea, 'status'>): boolean {
  return !AWAITING_ANSWER.includes(idea.status);
}

export function responseClock(idea: Pick<Idea, 'createdAt' | 'status'>, unit: Pick<Unit, 'responseTargetDays'>, now: Date): ResponseClock {
  const deadline = addDays(new Date(idea.createdAt), unit.responseTargetDays);
  const daysLeft = differenceInCalendarDays(deadline, now);
  const answered = isAnswered(idea);
  return { deadline, daysLeft, answered, overdue: !answered && now.getTime() > deadline.getTime() };
}
