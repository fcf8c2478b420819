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
 * Both are typed from the bokmål catalogs (declared `as const`): `t('key')` for
 * a message with a placeholder, or `t('key.one')`, does not compile (types.ts).
 */
import type { Language } from '../../domain';
import { agoParts, formatDate, type DateStyle } from './dates';
import type { ParamArgs, Placeholders } from './types';
import type { changeNb } from './catalogs/change.nb';
import { coreNb } from './catalogs/core.nb';
import { libraryNb } from './catalogs/library.nb';
import type { methodNb } from './catalogs/method.nb';
import { networkNb } from './catalogs/network.nb';
import { syncNb } from './catalogs/sync.nb';

/** Bokmål as the first bundle has it: the method's and the change follow-up's strings join when a screen that needs them loads (methodStrings.ts). */
const nbMessages: Partial<Messages> = { ...coreNb, ...syncNb, ...networkNb, ...libraryNb };
type Reference = typeof coreNb & typeof syncNb & typeof methodNb & typeof networkNb & typeof changeNb & typeof libraryNb;
/** Every key in the catalogs, plural forms included. */
export type MessageKey = keyof Reference;
type Messages = Record<MessageKey, string>;
type Params = Record<string, string | number>;

/** Keys read with `t.plural(key, count)`: both `key.one` and `key.other` exist. */
export type PluralKey = {
  [K in MessageKey]: K extends `${infer Base}.one` ? (`${Base}.other` extends MessageKey ? Base : never) : never;
}[MessageKey];
/** Keys read with `t(key)`: every message except the plural forms. */
export type TextKey = Exclude<MessageKey, `${PluralKey}.one` | `${PluralKey}.other`>;
/** A message without placeholders: what a screen keeps in state to show later (an error, a label). */
export type PlainKey = { [K in TextKey]: [Placeholders<Reference[K]>] extends [never] ? K : never }[TextKey];

/**
 * A call's key and what it needs after it. Generic over any string so that a
 * wrong key reads "not assignable to TextKey" (not a confusing argument count);
 * a union of keys needs the placeholders of all of them.
 */
type KeyArg<K extends string, Keys extends string> = [K] extends [Keys] ? K : Keys;
/** What may follow a key that is not one (the key alone is then the error). */
type AnyParams = [params?: Params];
/** After the key of `t(key, …)`: the values of the message's placeholders, if it has any. */
export type TextParams<K extends string> = [K] extends [TextKey] ? ParamArgs<Placeholders<Reference[K & TextKey]>> : AnyParams;
/** After the count of `t.plural(key, count, …)`: the values of the placeholders other than `{count}`. */
export type PluralParams<K extends string> = [K] extends [PluralKey]
  ? ParamArgs<Exclude<Placeholders<Reference[`${K & PluralKey}.one` | `${K & PluralKey}.other`]>, 'count'>>
  : AnyParams;

/** A message and its parameters, kept to be shown later (e.g. a notice for the next screen). */
export type Message = { [K in TextKey]: TextParams<K> extends [] ? { key: K } : { key: K; params: TextParams<K>[0] } }[TextKey];

export const LANGUAGES: readonly Language[] = ['nb', 'nn', 'en'];
export const DEFAULT_LANGUAGE: Language = 'nb';

interface LoadedLanguage {
  messages: Partial<Messages>;
}

const loaded: Partial<Record<Language, LoadedLanguage>> = { nb: { messages: nbMessages } };
const loaders: Record<Exclude<Language, 'nb'>, () => Promise<LoadedLanguage>> = {
  nn: () => import('./languages/nn'),
  en: () => import('./languages/en'),
};

/** Add bokmål strings that are not in the first bundle (a catalog's chunk calls this when it loads). */
export function addBokmalStrings(messages: Partial<Messages>): void {
  Object.assign(nbMessages, messages);
}

/** Make a language's strings available (a no-op once loaded). Rejects if its chunk cannot be fetched. */
export async function loadLanguage(language: Language): Promise<void> {
  if (loaded[language]) return;
  const { messages } = await loaders[language as Exclude<Language, 'nb'>]();
  loaded[language] = { messages };
}

export function isLanguageLoaded(language: Language): boolean {
  return loaded[language] !== undefined;
}

/** BCP 47 tags for the `lang` attribute and Intl. */
export const htmlLang: Record<Language, string> = { nb: 'nb', nn: 'nn', en: 'en' };

/** A language not loaded yet reads as bokmål (never a bare key). */
function fill(language: Language, key: MessageKey, params: Params | undefined): string {
  const template = loaded[language]?.messages[key] ?? nbMessages[key] ?? key;
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

export function translate<K extends string>(language: Language, key: KeyArg<K, TextKey>, ...[params]: TextParams<K>): string {
  return fill(language, key, params);
}

export function translatePlural<K extends string>(
  language: Language,
  key: KeyArg<K, PluralKey>,
  count: number,
  ...[params]: PluralParams<K>
): string {
  const form = new Intl.PluralRules(htmlLang[language]).select(count) === 'one' ? 'one' : 'other';
  return fill(language, `${key}.${form}`, { ...params, count });
}

export interface Translator {
  <K extends string>(key: KeyArg<K, TextKey>, ...params: TextParams<K>): string;
  plural<K extends string>(key: KeyArg<K, PluralKey>, count: number, ...params: PluralParams<K>): string;
  /** A message kept with its parameters (see Message). */
  message(message: Message): string;
  /** A date (or an ISO string; a yyyy-mm-dd date is read as that day) in this language (dates.ts). */
  date(at: Date | number | string, style: DateStyle): string;
  /** "for 3 minutter siden": how long ago, from `now` (default: the current time). */
  ago(at: Date | number | string, now?: number): string;
  language: Language;
}

export function translator(language: Language): Translator {
  return Object.assign(<K extends string>(key: KeyArg<K, TextKey>, ...params: TextParams<K>) => translate<K>(language, key, ...params), {
    plural: <K extends string>(key: KeyArg<K, PluralKey>, count: number, ...params: PluralParams<K>) =>
      translatePlural<K>(language, key, count, ...params),
    message: (message: Message) => fill(language, message.key, 'params' in message ? message.params : undefined),
    date: (at: Date | number | string, style: DateStyle) => formatDate(language, at, style),
    ago: (at: Date | number | string, now = Date.now()) => {
      const parts = agoParts(at, now);
      return parts.key === 'time.justNow' ? fill(language, parts.key, undefined) : translatePlural(language, parts.key, parts.count);
    },
    language,
  });
}
