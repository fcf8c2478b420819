/**
 * Nothing falls through: what a unit's leader must look at now, as one list.
 *   - a follow-up whose date has come, or comes within DUE_SOON_DAYS;
 *   - a parked idea whose "look at again" date has come: it is waiting for an
 *     answer again;
 *   - a change nobody wrote in the learning log for QUIET_DAYS (counted from
 *     its latest entry, or from the decision before the first).
 * Days are calendar days on the tablet's clock (Norway: one time zone), the
 * way the dates were chosen.
 */
import { addDays, differenceInCalendarDays, format, parseISO } from 'date-fns';

export const DUE_SOON_DAYS = 7;
export const QUIET_DAYS = 30;

export type DueReason = 'followUp' | 'parkedReturns' | 'quiet';

export interface DueItem {
  reason: DueReason;
  ideaId: string;
  /** The calendar day (YYYY-MM-DD) it is or became due. */
  dueOn: string;
  /** Days from today to `dueOn`: 0 today, negative once past. */
  daysLeft: number;
}

export interface OpenChangeDates {
  ideaId: string;
  /** The next follow-up date (rules/change.ts: Change.nextFollowUp). */
  nextFollowUp: string | null;
  /** When someone last wrote in its learning log (ISO time), or when the decision was published before the first entry. */
  lastEntryAt: string;
}

export interface ParkedDates {
  ideaId: string;
  parkUntil: string;
}

const daysFrom = (now: Date, day: string) => differenceInCalendarDays(parseISO(day), now);

/** Whether a parked idea's "look at again" date has come (it then waits for an answer again). */
export function parkedIdeaReturns(parkUntil: string, now: Date): boolean {
  return daysFrom(now, parkUntil) <= 0;
}

/** Everything due, the longest overdue first. */
export function dueItems(input: { changes: readonly OpenChangeDates[]; parked: readonly ParkedDates[] }, now: Date): DueItem[] {
  const items: DueItem[] = [];
  const add = (reason: DueReason, ideaId: string, dueOn: string) => items.push({ reason, ideaId, dueOn, daysLeft: daysFrom(now, dueOn) });
  for (const c of input.changes) {
    if (c.nextFollowUp && daysFrom(now, c.nextFollowUp) <= DUE_SOON_DAYS) add('followUp', c.ideaId, c.nextFollowUp);
    const quietFrom = format(addDays(new Date(c.lastEntryAt), QUIET_DAYS), 'yyyy-MM-dd');
    if (daysFrom(now, quietFrom) <= 0) add('quiet', c.ideaId, quietFrom);
  }
  for (const p of input.parked) if (parkedIdeaReturns(p.parkUntil, now)) add('parkedReturns', p.ideaId, p.parkUntil);
  const order: readonly DueReason[] = ['followUp', 'parkedReturns', 'quiet'];
  return items.sort(
    (a, b) =>
      (a.dueOn < b.dueOn ? -1 : a.dueOn > b.dueOn ? 1 : 0) ||
      order.indexOf(a.reason) - order.indexOf(b.reason) ||
      (a.ideaId < b.ideaId ? -1 : a.ideaId > b.ideaId ? 1 : 0),
  );
}
