/** How the change screens write dates and numbers, and read numbers typed the Norwegian way ("2,5", "1 200"). */
import type { Translator } from '../i18n';

/** A calendar date (YYYY-MM-DD, taken at noon so no time zone moves it) or an instant, as "1. april 2026". */
export function longDate(isoDateOrTime: string, t: Translator): string {
  return t.date(isoDateOrTime, 'date');
}

export function numberText(value: number, t: Translator): string {
  return new Intl.NumberFormat(t.language === 'en' ? 'en-GB' : 'nb-NO', { maximumFractionDigits: 2 }).format(value);
}

/** A typed number: empty is null, something else that is no number is NaN (the form says so). */
export function readNumber(typed: string): number | null {
  const compact = typed
    .replace(/[\s\u00a0\u202f]/g, '')
    .replace('−', '-')
    .replace(',', '.');
  if (compact === '') return null;
  return /^-?\d+(\.\d+)?$/.test(compact) ? Number(compact) : NaN;
}
