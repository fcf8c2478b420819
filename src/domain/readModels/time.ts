/**
 * Calendar arithmetic for the municipality's figures. Months are Norwegian
 * months (Europe/Oslo), whatever zone the server or database runs in, so
 * SQLite and PostgreSQL group an idea into the same month, and a period
 * "2026-01 … 2026-06" starts and ends at Oslo midnight.
 */
import { z } from 'zod';

export const TIME_ZONE = 'Europe/Oslo';
export const DAY_MS = 86_400_000;

/** A calendar month, `YYYY-MM`. */
export const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected a month as YYYY-MM');
export type Month = z.infer<typeof Month>;

/** Whole months, both ends included. */
export const Period = z
  .object({ from: Month, to: Month })
  .refine((p) => p.from <= p.to, { message: 'the period ends before it starts', path: ['to'] })
  .refine((p) => monthsBetween(p.from, p.to).length <= 120, { message: 'a period is at most ten years', path: ['from'] });
export type Period = z.infer<typeof Period>;

const parts = new Intl.DateTimeFormat('en-CA', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** The wall-clock fields in Oslo of an instant. */
export function osloParts(ms: number): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  const p = Object.fromEntries(parts.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  return {
    year: Number(p.year),
    month: Number(p.month),
    day: Number(p.day),
    hour: Number(p.hour),
    minute: Number(p.minute),
    second: Number(p.second),
  };
}

/** The Oslo month an instant falls in. */
export function osloMonth(ms: number): Month {
  const { year, month } = osloParts(ms);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;
}

/** `dd.mm.yyyy` in Oslo: how Norwegian Excel and people read a date. */
export function osloDate(ms: number): string {
  const { year, month, day } = osloParts(ms);
  return `${String(day).padStart(2, '0')}.${String(month).padStart(2, '0')}.${year}`;
}

/** The instant an Oslo calendar day starts (month 1–12; day may overflow into the next month). */
export function osloMidnight(year: number, month: number, day = 1): number {
  const guess = Date.UTC(year, month - 1, day);
  // Oslo is UTC+1 or UTC+2; read the offset at the guess and correct once (DST never switches at midnight).
  const p = osloParts(guess);
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return guess - (wall - guess);
}

export function nextMonth(month: Month): Month {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/** Every month from `from` to `to`, both included. */
export function monthsBetween(from: Month, to: Month): Month[] {
  const out: Month[] = [];
  for (let m = from; m <= to && out.length <= 1200; m = nextMonth(m)) out.push(m);
  return out;
}

/** The period as instants: [start of its first month, start of the month after its last). */
export function periodRange(period: Period): { start: number; end: number } {
  const [fy, fm] = period.from.split('-').map(Number) as [number, number];
  const [ty, tm] = nextMonth(period.to).split('-').map(Number) as [number, number];
  return { start: osloMidnight(fy, fm), end: osloMidnight(ty, tm) };
}

/** The last `months` months up to and including the one `now` falls in. */
export function recentPeriod(now: number, months = 12): Period {
  const to = osloMonth(now);
  let from = to;
  for (let i = 1; i < months; i++) {
    const [y, m] = from.split('-').map(Number) as [number, number];
    from = m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
  }
  return { from, to };
}

/**
 * Days from an idea to its answer, counted as days begun: a decision two
 * hours after the idea took 1 day, one exactly 30 days after took 30. So
 * "within a promise of N days" is exactly `answerDays <= N`, the same rule
 * as the tablet's response clock (overdue once more than N days have passed).
 */
export function answerDays(createdAt: number, answeredAt: number): number {
  return Math.max(0, Math.ceil((answeredAt - createdAt) / DAY_MS));
}
