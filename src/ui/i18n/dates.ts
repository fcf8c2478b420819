/**
 * Dates and times as the UI shows them, through the browser's own Intl (no
 * date library in the first bundle). Chromium ships no nynorsk date data, so
 * nynorsk asks for nn and falls back to bokmål (the month names are the same);
 * "x minutes ago" comes from our own catalogs (time.*), which do have nynorsk.
 */
import type { Language } from '../../domain';

/** 'date': 30. november 2026; 'dateTime': 30. nov. 2026, 14:05; 'shortDateTime': 30.11.2026, 14:05; 'time': 14:05. */
export type DateStyle = 'date' | 'dateTime' | 'shortDateTime' | 'time';

const LOCALES: Record<Language, string[]> = { nb: ['nb'], nn: ['nn', 'nb'], en: ['en-GB'] };
const OPTIONS: Record<DateStyle, Intl.DateTimeFormatOptions> = {
  date: { dateStyle: 'long' },
  dateTime: { dateStyle: 'medium', timeStyle: 'short' },
  shortDateTime: { dateStyle: 'short', timeStyle: 'short' },
  time: { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' },
};
const formats = new Map<string, Intl.DateTimeFormat>();

/** A date-only ISO string (yyyy-mm-dd) is read as noon local time, so no time zone moves it to another day. */
function toDate(at: Date | number | string): Date {
  if (typeof at === 'string') return new Date(at.length === 10 ? `${at}T12:00:00` : at);
  return new Date(at);
}

export function formatDate(language: Language, at: Date | number | string, style: DateStyle): string {
  const key = `${language}/${style}`;
  let format = formats.get(key);
  if (!format) formats.set(key, (format = new Intl.DateTimeFormat(LOCALES[language], OPTIONS[style])));
  return format.format(toDate(at));
}

/** Which catalog message says how long ago `at` was, and its count (thresholds as people round: 45 s, 45 min, 22 h, 26 days, 11 months). */
export function agoParts(
  at: Date | number | string,
  now: number,
):
  | { key: 'time.justNow' }
  | { key: 'time.minutesAgo' | 'time.hoursAgo' | 'time.daysAgo' | 'time.monthsAgo' | 'time.yearsAgo'; count: number } {
  const seconds = Math.max(0, (now - toDate(at).getTime()) / 1000);
  if (seconds < 45) return { key: 'time.justNow' };
  const minutes = seconds / 60;
  if (minutes < 45) return { key: 'time.minutesAgo', count: Math.max(1, Math.round(minutes)) };
  const hours = minutes / 60;
  if (hours < 22) return { key: 'time.hoursAgo', count: Math.max(1, Math.round(hours)) };
  const days = hours / 24;
  if (days < 26) return { key: 'time.daysAgo', count: Math.max(1, Math.round(days)) };
  const months = days / 30.44;
  if (months < 11) return { key: 'time.monthsAgo', count: Math.max(1, Math.round(months)) };
  return { key: 'time.yearsAgo', count: Math.max(1, Math.round(months / 12)) };
}
