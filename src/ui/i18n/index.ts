/**
 * Translations: bokmål (default), nynorsk and English. Each feature keeps its
 * own catalog in catalogs/; this module merges them. Missing keys are a type
 * error, and tests/ui/i18n.test.ts fails on any key absent in any language.
 *
 * Placeholders: `{name}` in a message is replaced by params.name.
 * Plurals: `t.plural('key', n)` reads `key.one` / `key.other` (Intl.PluralRules).
 */
import { enGB, nb, nn, type Locale } from 'date-fns/locale';
import type { Language } from '../../domain';
import { coreCatalog } from './catalogs/core';
import { methodCatalog } from './catalogs/method';
import { syncCatalog } from './catalogs/sync';

const catalogs = [coreCatalog, syncCatalog, methodCatalog] as const;

type Merge<C> = C extends { nb: infer N } ? keyof N : never;
export type MessageKey = Merge<(typeof catalogs)[number]> & string;

export const LANGUAGES: readonly Language[] = ['nb', 'nn', 'en'];
export const DEFAULT_LANGUAGE: Language = 'nb';

export const messages: Record<Language, Record<string, string>> = {
  nb: Object.assign({}, ...catalogs.map((c) => c.nb)),
  nn: Object.assign({}, ...catalogs.map((c) => c.nn)),
  en: Object.assign({}, ...catalogs.map((c) => c.en)),
};

export const dateLocales: Record<Language, Locale> = { nb, nn, en: enGB };

/** BCP 47 tags for the `lang` attribute and Intl. */
export const htmlLang: Record<Language, string> = { nb: 'nb', nn: 'nn', en: 'en' };

export type Params = Record<string, string | number>;

export function translate(language: Language, key: MessageKey, params?: Params): string {
  const template = messages[language][key] ?? messages[DEFAULT_LANGUAGE][key] ?? key;
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

export function translatePlural(language: Language, key: string, count: number, params?: Params): string {
  const form = new Intl.PluralRules(htmlLang[language]).select(count) === 'one' ? 'one' : 'other';
  return translate(language, `${key}.${form}` as MessageKey, { count, ...params });
}

export interface Translator {
  (key: MessageKey, params?: Params): string;
  plural: (key: string, count: number, params?: Params) => string;
  language: Language;
  dateLocale: Locale;
}

export function translator(language: Language): Translator {
  const t = ((key: MessageKey, params?: Params) => translate(language, key, params)) as Translator;
  t.plural = (key, count, params) => translatePlural(language, key, count, params);
  t.language = language;
  t.dateLocale = dateLocales[language];
  return t;
}
