/**
 * Translations: bokmål (default), nynorsk and English. Each feature keeps its
 * strings in catalogs/<feature>.<language>.ts; bokmål is the reference, and a
 * translation missing or adding a key is a type error (tests/ui/i18n.test.ts
 * also checks every key and placeholder at run time).
 *
 * Only bokmål ships in the first bundle. Nynorsk and English are separate
 * chunks (precached by the service worker, so they load offline too), loaded
 * by `loadLanguage` before the UI switches to them: at start for a stored
 * choice (src/main.tsx, App), and when someone picks one (store.setLanguage).
 *
 * Placeholders: `{name}` in a message is replaced by params.name.
 * Plurals: `t.plural('key', n)` reads `key.one` / `key.other` (Intl.PluralRules).
 */
import type { Locale } from 'date-fns';
import { nb as nbDateLocale } from 'date-fns/locale/nb';
import type { Language } from '../../domain';
import { coreNb } from './catalogs/core.nb';
import { methodNb } from './catalogs/method.nb';
import { networkNb } from './catalogs/network.nb';
import { syncNb } from './catalogs/sync.nb';

const nbMessages = { ...coreNb, ...syncNb, ...methodNb, ...networkNb };
export type MessageKey = keyof typeof nbMessages;
type Messages = Record<MessageKey, string>;

export const LANGUAGES: readonly Language[] = ['nb', 'nn', 'en'];
export const DEFAULT_LANGUAGE: Language = 'nb';

interface LoadedLanguage {
  messages: Messages;
  dateLocale: Locale;
}

const loaded: Partial<Record<Language, LoadedLanguage>> = { nb: { messages: nbMessages, dateLocale: nbDateLocale } };
const loaders: Record<Exclude<Language, 'nb'>, () => Promise<LoadedLanguage>> = {
  nn: () => import('./languages/nn'),
  en: () => import('./languages/en'),
};

/** Make a language's strings available (a no-op once loaded). Rejects if its chunk cannot be fetched. */
export async function loadLanguage(language: Language): Promise<void> {
  if (loaded[language]) return;
  const { messages, dateLocale } = await loaders[language as Exclude<Language, 'nb'>]();
  loaded[language] = { messages, dateLocale };
}

export function isLanguageLoaded(language: Language): boolean {
  return loaded[language] !== undefined;
}

/** BCP 47 tags for the `lang` attribute and Intl. */
export const htmlLang: Record<Language, string> = { nb: 'nb', nn: 'nn', en: 'en' };

export type Params = Record<string, string | number>;

/** A language not loaded yet reads as bokmål (never a bare key). */
export function translate(language: Language, key: MessageKey, params?: Params): string {
  const template = loaded[language]?.messages[key] ?? nbMessages[key] ?? key;
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
  t.dateLocale = loaded[language]?.dateLocale ?? nbDateLocale;
  return t;
}
