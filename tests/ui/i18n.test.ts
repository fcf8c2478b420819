/** Every catalog (core, sync, method) must be complete in every language, with the same placeholders. */
import { describe, expect, it } from 'vitest';
import { coreCatalog } from '../../src/ui/i18n/catalogs/core';
import { methodCatalog } from '../../src/ui/i18n/catalogs/method';
import { syncCatalog } from '../../src/ui/i18n/catalogs/sync';
import { LANGUAGES, translate, translator } from '../../src/ui/i18n';

const catalogs = { core: coreCatalog, sync: syncCatalog, method: methodCatalog } as Record<string, Record<string, Record<string, string>>>;
const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

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
        if (expected.join() !== actual.join()) mismatches.push(`${language} ${key}: {${actual}} ≠ nb {${expected}}`);
      }
    expect(mismatches).toEqual([]);
  });
});

describe('translator', () => {
  it('fills placeholders and picks plural forms per language', () => {
    expect(translate('nb', 'capture.errorTooLong', { max: 2000 })).toBe('Teksten er for lang (høyst 2000 tegn).');
    expect(translator('nn').plural('board.count', 1)).toBe('1 idé blir vist');
    expect(translator('en').plural('board.count', 3)).toBe('3 ideas shown');
  });
});
