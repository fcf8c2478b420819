/** Every catalog (core, sync, method, network, change) must be complete in every language, with the same placeholders. */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SESSION_QUESTION, PartyRole } from '../../src/domain';
import { changeEn } from '../../src/ui/i18n/catalogs/change.en';
import { changeNb } from '../../src/ui/i18n/catalogs/change.nb';
import { changeNn } from '../../src/ui/i18n/catalogs/change.nn';
import { coreEn } from '../../src/ui/i18n/catalogs/core.en';
import { coreNb } from '../../src/ui/i18n/catalogs/core.nb';
import { coreNn } from '../../src/ui/i18n/catalogs/core.nn';
import { methodEn } from '../../src/ui/i18n/catalogs/method.en';
import { methodNb } from '../../src/ui/i18n/catalogs/method.nb';
import { methodNn } from '../../src/ui/i18n/catalogs/method.nn';
import { networkEn } from '../../src/ui/i18n/catalogs/network.en';
import { networkNb } from '../../src/ui/i18n/catalogs/network.nb';
import { networkNn } from '../../src/ui/i18n/catalogs/network.nn';
import { syncEn } from '../../src/ui/i18n/catalogs/sync.en';
import { syncNb } from '../../src/ui/i18n/catalogs/sync.nb';
import { syncNn } from '../../src/ui/i18n/catalogs/sync.nn';
import { LANGUAGES, isLanguageLoaded, loadLanguage, translate, translator } from '../../src/ui/i18n';
import type { Translation } from '../../src/ui/i18n/types';
// The method's bokmål strings arrive with the screens that show them (not in the first bundle); these tests read them too.
import '../../src/ui/i18n/methodStrings';

const catalogs = {
  core: { nb: coreNb, nn: coreNn, en: coreEn },
  sync: { nb: syncNb, nn: syncNn, en: syncEn },
  method: { nb: methodNb, nn: methodNn, en: methodEn },
  network: { nb: networkNb, nn: networkNn, en: networkEn },
  change: { nb: changeNb, nn: changeNn, en: changeEn },
} as Record<string, Record<string, Record<string, string>>>;
const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

it('names no method or change string outside src/ui/method and src/ui/change, whose modules bring them (methodStrings.ts): the first bundle has none', () => {
  const methodKeys = [...Object.keys(methodNb), ...Object.keys(changeNb)];
  const uiDir = path.resolve(import.meta.dirname, '../../src/ui');
  const outside = readdirSync(uiDir, { recursive: true, encoding: 'utf8' }).filter(
    (f) =>
      /\.tsx?$/.test(f) && !f.startsWith(`method${path.sep}`) && !f.startsWith(`change${path.sep}`) && !f.startsWith(`i18n${path.sep}`),
  );
  const named = outside.flatMap((f) => {
    const code = readFileSync(path.join(uiDir, f), 'utf8');
    const literal = [...code.matchAll(/'([a-z][\w.]*)'/g)]
      .map((m) => m[1]!)
      .filter((k) => methodKeys.includes(k) || methodKeys.includes(`${k}.one`));
    // t(`outcome.${…}`): a key built from a prefix
    const built = [...code.matchAll(/`([a-z]\w*)\.\$\{/g)].map((m) => m[1]!).filter((p) => methodKeys.some((k) => k.startsWith(`${p}.`)));
    return [...literal, ...built].map((k) => `${f}: ${k}`);
  });
  expect(named).toEqual([]);
  expect(outside.length).toBeGreaterThan(20);
});

describe.each(Object.entries(catalogs))('catalog %s', (_name, catalog) => {
  const reference = Object.keys(catalog.nb ?? {});

  it.each(LANGUAGES)('has every key, non-empty, in %s', (language) => {
    const strings = catalog[language] ?? {};
    const missing = reference.filter((k) => !strings[k]?.trim());
    const extra = Object.keys(strings).filter((k) => !reference.includes(k));
    expect({ missing, extra }).toEqual({ missing: [], extra: [] });
  });

  it('uses the same placeholders in every language', () => {
    const mismatches: string[] = [];
    for (const key of reference)
      for (const language of LANGUAGES) {
        const expected = placeholders(catalog.nb![key]!);
        const actual = placeholders(catalog[language]?.[key] ?? '');
        if (expected.join() !== actual.join()) mismatches.push(`${language} ${key}: {${actual.join()}} ≠ nb {${expected.join()}}`);
      }
    expect(mismatches).toEqual([]);
  });
});

describe('translator', () => {
  it('reads a language that is not loaded yet as bokmål, never as bare keys', () => {
    expect(isLanguageLoaded('nb')).toBe(true);
    expect(isLanguageLoaded('en')).toBe(false);
    expect(translate('en', 'nav.board')).toBe(coreNb['nav.board']);
  });

  it('loads nynorsk and English on demand', async () => {
    await loadLanguage('nn');
    await loadLanguage('en');
    expect(isLanguageLoaded('en')).toBe(true);
    expect(translate('en', 'nav.board')).toBe(coreEn['nav.board']);
  });

  it('says dates and how long ago in each language, through Intl and the catalogs', async () => {
    await loadLanguage('nn');
    await loadLanguage('en');
    const noon = new Date(2026, 10, 30, 12, 5).getTime();
    expect(translator('nb').date('2026-11-30', 'date')).toBe('30. november 2026');
    expect(translator('nn').date('2026-11-30', 'date')).toBe('30. november 2026');
    expect(translator('en').date('2026-11-30', 'date')).toBe('30 November 2026');
    expect(translator('nb').date(noon, 'time')).toBe('12:05');
    expect(translator('nb').ago(noon - 20_000, noon)).toBe('nå nettopp');
    expect(translator('nb').ago(noon - 60_000, noon)).toBe('for 1 minutt siden');
    expect(translator('nn').ago(noon - 3 * 3_600_000, noon)).toBe('for 3 timar sidan');
    expect(translator('en').ago(noon - 2 * 86_400_000, noon)).toBe('2 days ago');
    expect(translator('nb').ago(noon - 400 * 86_400_000, noon)).toBe('for 1 år siden');
    // A clock a little ahead on another tablet is not "in 3 minutes".
    expect(translator('en').ago(noon + 180_000, noon)).toBe('just now');
  });

  it('fills placeholders and picks plural forms per language', () => {
    expect(translate('nb', 'form.error.tooLong', { max: 2000 })).toBe('Teksten er for lang (høyst 2000 tegn).');
    expect(translator('nn').plural('board.count', 1)).toBe('1 idé blir vist');
    expect(translator('en').plural('board.count', 3)).toBe('3 ideas shown');
  });
});

/**
 * Mistakes that must not compile (issue #16 point 6). `npm run typecheck`
 * checks this file: each @ts-expect-error line that compiled after all would
 * fail it. At run time the same calls show why: a bare key or a raw `{n}`.
 */
describe('typed keys and placeholders', () => {
  const t = translator('nb');

  it('refuses a key that does not exist, and a placeholder left out or made up', () => {
    // @ts-expect-error: no such key
    expect(t('board.titel')).toBe('board.titel');
    // @ts-expect-error: {n} is missing
    expect(t('idea.photoAlt')).toBe('Bilde {n} til ideen');
    // @ts-expect-error: the message has {n}, not {count}
    expect(t('idea.photoAlt', { count: 2 })).toBe('Bilde {n} til ideen');
    // @ts-expect-error: the message has no placeholder
    t('board.title', { n: 1 });
    // @ts-expect-error: {quota} is missing
    t('about.usageValue', { usage: '1 MB' });
    expect(t('about.usageValue', { usage: '1 MB', quota: '2 GB' })).toBe('1 MB av 2 GB');
    expect(t('idea.photoAlt', { n: 2 })).toBe('Bilde 2 til ideen');
  });

  it('reads plurals only through t.plural, with the count and the other placeholders', () => {
    // @ts-expect-error: a plural form is not read on its own
    t('board.count.one', { count: 1 });
    // @ts-expect-error: not a plural key
    t.plural('board.title', 2);
    // @ts-expect-error: the count is missing
    t.plural('board.count');
    // @ts-expect-error: {voter} is missing
    expect(t.plural('vote.left', 2)).toBe('{voter} har 2 stemmer igjen.');
    expect(t.plural('vote.left', 1, { voter: 'Kari' })).toBe('Kari har 1 stemme igjen.');
  });

  it('keeps a message and its parameters together for later', () => {
    expect(t.message({ key: 'enroll.success', params: { unit: 'Avdeling 2' } })).toContain('Avdeling 2');
    // @ts-expect-error: enroll.success needs {unit}
    t.message({ key: 'enroll.success' });
    expect(t.message({ key: 'board.title' })).toBe('Idétavle');
  });

  it('refuses a translation that drops a placeholder of the reference', () => {
    type Reference = { 'x.photo': 'Bilde {n} av {max}' };
    const kept: Translation<Reference> = { 'x.photo': 'Photo {n} of {max}' };
    // @ts-expect-error: {max} dropped
    const dropped: Translation<Reference> = { 'x.photo': 'Photo {n}' };
    expect([kept, dropped]).toHaveLength(2);
  });
});

describe('wording (issue #11 point 16)', () => {
  const all = {
    nb: { ...coreNb, ...syncNb, ...methodNb },
    nn: { ...coreNn, ...syncNn, ...methodNn },
    en: { ...coreEn, ...syncEn, ...methodEn },
  };

  it('asks the memo key question on the capture screen, worded as in a prompt session', () => {
    for (const language of LANGUAGES) expect(all[language]['capture.impossibleNowHint']).toBe(DEFAULT_SESSION_QUESTION[language]);
  });

  it('names the parties in lower case inside the label ("Navn på leder", never "Navn på Leder")', () => {
    for (const language of LANGUAGES)
      for (const role of PartyRole.options) {
        const label = all[language][`parties.name.${role}` as keyof (typeof all)['nb']];
        expect(label, `${language} ${role}`).toBeTruthy();
        // Capitalised only where it starts the sentence ("Leader's name").
        expect(label.indexOf(all[language][`role.${role}`]), label).toBeLessThan(1);
      }
  });

  it('uses e-infinitives throughout nynorsk, and "usendt" / "Sendt til" where a state is meant', () => {
    const aInfinitive = /\b(Lagra|Byrja|byrja|Senda|Henta|Prøva|Fjerna|Endra) (ideen|på|eller|til|inn|skjemaet)\b/;
    const offending = Object.entries(all.nn).filter(([, text]) => aInfinitive.test(text));
    expect(offending).toEqual([]);
    expect(all.nn['capture.save']).toBe('Lagre ideen');
    expect(all.nn['capture.clearDraft']).toBe('Byrje på nytt');
    expect(all.nn['sync.unsent.one']).toBe('{count} usendt endring');
    expect(all.nn['status.forwarded']).toBe('Sendt til styringsgruppa');
  });
});
