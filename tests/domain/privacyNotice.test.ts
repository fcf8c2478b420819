/** The one privacy notice (tablet and console) says the same things in every language. */
import { describe, expect, it } from 'vitest';
import { Language } from '../../src/domain';
import { PRIVACY_NOTICE } from '../../src/domain/privacyNotice';

describe('PRIVACY_NOTICE', () => {
  it('has every section, in the same order, with words in each language', () => {
    const ids = PRIVACY_NOTICE.nb.sections.map((s) => s.id);
    expect(ids).toEqual(['what', 'where', 'howLong', 'who', 'acrossUnits', 'erasure']);
    for (const lang of Language.options) {
      const notice = PRIVACY_NOTICE[lang];
      expect(notice.sections.map((s) => s.id)).toEqual(ids);
      for (const text of [notice.title, notice.lead, ...notice.sections.flatMap((s) => [s.title, s.text])])
        expect(text.trim()).not.toBe('');
    }
    expect(new Set(Language.options.map((l) => PRIVACY_NOTICE[l].sections[0]!.text)).size).toBe(3);
  });
});
