/**
 * The console's translations: bokmål (reference), nynorsk, English, all in
 * the console's bundle (it is not precached on tablets, and three small
 * catalogs cost less than a round trip). `{name}` placeholders are filled
 * from params; dates are formatted in Oslo time.
 */
import type { Language } from '../../domain';
import { en } from './en';
import { nb, type MessageKey } from './nb';
import { nn } from './nn';
import type { Catalog } from './types';

export type { MessageKey };
export const CONSOLE_LANGUAGES: readonly Language[] = ['nb', 'nn', 'en'];
export const CATALOGS: Record<Language, Catalog> = { nb, nn, en };

export type Params = Record<string, string | number>;

export interface Translator {
  (key: MessageKey, params?: Params): string;
  language: Language;
  /** dd.mm.yyyy (nb/nn) or d Mon yyyy (en), in Oslo. */
  date(ms: number): string;
  dateTime(ms: number): string;
  number(n: number, digits?: number): string;
}

const LOCALE: Record<Language, string> = { nb: 'nb-NO', nn: 'nn-NO', en: 'en-GB' };

export function translator(language: Language): Translator {
  const catalog = CATALOGS[language];
  const t = ((key: MessageKey, params?: Params) => {
    const template = catalog[key] ?? nb[key] ?? key;
    return params ? template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole)) : template;
  }) as Translator;
  t.language = language;
  const date = new Intl.DateTimeFormat(LOCALE[language], { timeZone: 'Europe/Oslo', day: '2-digit', month: '2-digit', year: 'numeric' });
  const dateTime = new Intl.DateTimeFormat(LOCALE[language], {
    timeZone: 'Europe/Oslo',
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
  t.date = (ms) => date.format(ms);
  t.dateTime = (ms) => dateTime.format(ms);
  t.number = (n, digits = 0) =>
    new Intl.NumberFormat(LOCALE[language], { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(n);
  return t;
}
