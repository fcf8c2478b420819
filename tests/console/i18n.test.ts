/** The console's catalogs: every key in every language, non-empty, with the same placeholders; dates in Oslo time. */
import { describe, expect, it } from 'vitest';
import { CATALOGS, CONSOLE_LANGUAGES, translator } from '../../src/console/i18n';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('console catalogs', () => {
  const reference = Object.keys(CATALOGS.nb);

  it.each(CONSOLE_LANGUAGES)('%s has every key, non-empty, and the same placeholders as bokmål', (language) => {
    const strings = CATALOGS[language] as Record<string, string>;
    expect(reference.filter((k) => !strings[k]?.trim())).toEqual([]);
    expect(Object.keys(strings).filter((k) => !reference.includes(k))).toEqual([]);
    const mismatches = reference.filter(
      (k) => placeholders(strings[k]!).join() !== placeholders((CATALOGS.nb as Record<string, string>)[k]!).join(),
    );
    expect(mismatches).toEqual([]);
  });

  it('nynorsk is not bokmål in disguise: the words people see most differ', () => {
    for (const key of ['nav.units', 'app.loading', 'signIn.intro', 'units.save', 'overview.ideas'] as const)
      expect(CATALOGS.nn[key], key).not.toBe(CATALOGS.nb[key]);
    expect(CATALOGS.nn['units.save']).toBe('Lagre namnet'); // e-infinitive
  });

  it('fills placeholders and formats dates in Oslo time', () => {
    const t = translator('en');
    expect(t('tablets.done', { name: 'Pauserom' })).toBe('Pauserom is disconnected.');
    expect(translator('nb').date(Date.UTC(2026, 11, 31, 23, 30))).toBe('01.01.2027');
  });
});
