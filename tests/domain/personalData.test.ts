/** Finding and erasing a person's name (src/domain/rules/personalData.ts). */
import { describe, expect, it } from 'vitest';
import {
  applyErasures,
  eraseName,
  formatHlc,
  isPseudonym,
  mentionsErasedName,
  nameHash,
  nameMatchesQuery,
  namesPerson,
  normalizeName,
  pseudonymFrom,
  scrubErasedNames,
  TABLE_NAMES,
  TABLE_SCHEMAS,
} from '../../src/domain';
import { recordsNaming } from '../fixtures/records';

const salt = '0123456789abcdef0123456789abcdef';
const erasure = (name: string, erasedAt = '2026-11-24T12:00:00.000Z') => ({
  salt,
  nameHash: nameHash(salt, name),
  pseudonym: pseudonymFrom('a1b2c3'),
  erasedAt,
});

describe('names', () => {
  it('are one person however they are typed', () => {
    expect(normalizeName('  Kari\u00a0 Nordmann ')).toBe('kari nordmann');
    expect(normalizeName('Åse')).toBe(normalizeName('A\u030Ase'));
    expect(nameHash(salt, 'KARI nordmann')).toBe(nameHash(salt, 'Kari Nordmann'));
    expect(nameHash(salt, 'Kari Nordmann')).not.toBe(nameHash('f'.repeat(32), 'Kari Nordmann'));
  });

  it('are found by every word of a search', () => {
    expect(nameMatchesQuery('Kari Nordmann', 'kari')).toBe(true);
    expect(nameMatchesQuery('Kari Nordmann', 'nordm kar')).toBe(true);
    expect(nameMatchesQuery('Kari Nordmann', 'Ola')).toBe(false);
    expect(nameMatchesQuery('Kari Nordmann', '  ')).toBe(false);
  });

  it('pseudonyms are recognisable as such', () => {
    expect(isPseudonym(pseudonymFrom('A1B2C3D4'))).toBe(true);
    expect(isPseudonym('Kari')).toBe(false);
  });
});

describe('erasing a name', () => {
  it('leaves every record valid and without the name, and only that name', () => {
    const { records } = recordsNaming('Kari Nordmann');
    for (const table of TABLE_NAMES) {
      const erased = eraseName(table, records[table], 'kari  NORDMANN', 'anonym-000000');
      expect(namesPerson(table, erased, 'Kari Nordmann'), table).toBe(false);
      expect(TABLE_SCHEMAS[table].safeParse(erased).success, table).toBe(true);
    }
    expect(eraseName('promptSessions', records.promptSessions, 'Kari Nordmann', 'anonym-000000').participantNames).toEqual([
      'anonym-000000',
      'Ola',
    ]);
  });

  it('through an instruction: the same by its salted hash, with its pseudonym', () => {
    const { records } = recordsNaming('Kari Nordmann');
    const { data, changed } = applyErasures('unitDecisions', records.unitDecisions, [erasure('kari nordmann')]);
    expect(changed).toBe(true);
    expect(data).toMatchObject({ publishedBy: 'anonym-a1b2c3', responsible: 'anonym-a1b2c3' });
    expect(applyErasures('unitDecisions', records.unitDecisions, [erasure('Ola')]).changed).toBe(false);
  });

  it('rewrites a change written before the erasure that arrives later, and keeps a name typed after it', () => {
    const before = formatHlc({ wall: Date.parse('2026-11-24T11:00:00.000Z'), counter: 0, node: 'tablet' });
    const after = formatHlc({ wall: Date.parse('2026-11-24T13:00:00.000Z'), counter: 0, node: 'tablet' });
    const fields = { bearerName: 'Kari Nordmann', impossibleNow: 'Kari Nordmann vil ha løftearm' };
    expect(scrubErasedNames('ideas', fields, () => before, [erasure('Kari Nordmann')])).toEqual({
      bearerName: null,
      impossibleNow: 'Kari Nordmann vil ha løftearm', // free text is the writer's; only person fields are names
    });
    expect(scrubErasedNames('ideas', fields, () => after, [erasure('Kari Nordmann')])).toEqual(fields);
  });

  it('recognises the name anywhere in a form draft', () => {
    const draft = { outcome: 'adopt', parties: [{ role: 'leader', name: ' kari nordmann' }] };
    expect(mentionsErasedName(draft, [erasure('Kari Nordmann')])).toBe(true);
    expect(mentionsErasedName(draft, [erasure('Ola')])).toBe(false);
  });
});
