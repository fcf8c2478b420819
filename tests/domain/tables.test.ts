/**
 * The per-table declarations of personal data and dissemination
 * (src/domain/tables.ts): every field that can hold a person's name is
 * declared, the declarations match the schemas, and what another unit sees of
 * any shared record holds no name and still reads as a valid record.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  NAME_WITHHELD,
  NOT_PERSON_FIELDS,
  PERSON_FIELDS,
  TABLE_NAMES,
  TABLE_SCHEMAS,
  isSharedWithOtherUnits,
  namesIn,
  redactForOtherUnits,
  replaceNames,
  type TableName,
} from '../../src/domain';
import { recordsNaming } from '../fixtures/records';

/** Field names that say "a person": the test fails for such a field nobody declared. */
const NAME_LIKE =
  /name|author|responsible|publishedby|participant|facilitator|voter|bearer|person|member|owner|by$|who|signed|reporter|contact/i;

const schemaOf = (table: TableName, field: string) =>
  (TABLE_SCHEMAS[table].shape as Record<string, { safeParse(v: unknown): { success: boolean } }>)[field]!;
/** A field that can hold text: a string, a list of strings, or parties. */
const holdsText = (table: TableName, field: string) =>
  [' Kari', 'Kari', ['Kari'], [{ role: 'leader', name: 'Kari' }]].some((v) => schemaOf(table, field).safeParse(v).success);

describe('PERSON_FIELDS', () => {
  it('declares every text field whose name says it holds a person (or says why it does not)', () => {
    const undeclared = TABLE_NAMES.flatMap((table) =>
      Object.keys(TABLE_SCHEMAS[table].shape)
        .filter((field) => NAME_LIKE.test(field) && holdsText(table, field))
        .filter((field) => !Object.hasOwn(PERSON_FIELDS[table], field) && !Object.hasOwn(NOT_PERSON_FIELDS[table] ?? {}, field))
        .map((field) => `${table}.${field}`),
    );
    expect(undeclared).toEqual([]);
  });

  it('declares every list of parties as parties, whatever its field is called', () => {
    const parties = [{ role: 'leader', name: 'Kari' }];
    const undeclared = TABLE_NAMES.flatMap((table) =>
      Object.keys(TABLE_SCHEMAS[table].shape)
        .filter((field) => schemaOf(table, field).safeParse(parties).success)
        .filter((field) => PERSON_FIELDS[table][field] !== 'parties')
        .map((field) => `${table}.${field}`),
    );
    expect(undeclared).toEqual([]);
  });

  it('names only fields the schemas have, each of the declared shape', () => {
    for (const table of TABLE_NAMES)
      for (const [field, kind] of Object.entries(PERSON_FIELDS[table])) {
        const schema = schemaOf(table, field);
        expect(schema, `${table}.${field}`).toBeDefined();
        if (kind === 'optionalName') expect(schema.safeParse(null).success, `${table}.${field} takes null`).toBe(true);
        if (kind === 'names') expect(schema.safeParse(['Kari']).success, `${table}.${field} is a list of names`).toBe(true);
      }
  });

  it('finds the name in every declared field of the fixture (so the tests below cover every field)', () => {
    const { records } = recordsNaming('Kari Nordmann');
    for (const table of TABLE_NAMES) {
      const expected = Object.keys(PERSON_FIELDS[table]).length;
      expect(namesIn(table, records[table]).filter((n) => n === 'Kari Nordmann').length, table).toBeGreaterThanOrEqual(expected);
    }
  });

  it('replaces names so that every record still satisfies its schema (optional ones gone, required ones pseudonymised)', () => {
    const { records } = recordsNaming('Kari Nordmann');
    for (const table of TABLE_NAMES) {
      const replaced = replaceNames(table, records[table], (n) => n === 'Kari Nordmann', 'anonym-abc123');
      expect(TABLE_SCHEMAS[table].safeParse(replaced).success, table).toBe(true);
      expect(JSON.stringify(replaced), table).not.toContain('Kari Nordmann');
    }
  });
});

describe('what other units see', () => {
  // A name that occurs nowhere else in the fixture: a distinctive first word, any further words.
  const word = fc.stringMatching(/^[A-Za-zÆØÅæøåÉéÜü'-]{2,12}$/);
  const personName = fc.tuple(word, fc.array(word, { maxLength: 3 })).map(([first, rest]) => ['Qz' + first, ...rest].join(' '));

  it('never contains a name, in any shared record of any table, and still reads as a record', () => {
    fc.assert(
      fc.property(personName, fc.constantFrom(...TABLE_NAMES), (name, table) => {
        const { records } = recordsNaming(name);
        const data = records[table];
        if (!isSharedWithOtherUnits(table, data)) return;
        const seen = redactForOtherUnits(table, data);
        expect(JSON.stringify(seen)).not.toContain(name);
        expect(JSON.stringify(seen).toLowerCase()).not.toContain(name.toLowerCase());
        expect(TABLE_SCHEMAS[table].safeParse(seen).success).toBe(true);
        // Roles stay ("roles only"), names are withheld.
        for (const n of namesIn(table, seen)) expect(n).toBe(NAME_WITHHELD);
      }),
      { numRuns: 300 },
    );
  });

  it('shares decided ideas, published decisions of both levels, learning logs, benefits, results, ladder steps and units; nothing else', () => {
    const { records } = recordsNaming('Kari');
    const shared = TABLE_NAMES.filter((t) => isSharedWithOtherUnits(t, records[t]));
    expect(shared.sort()).toEqual([
      'benefitResults',
      'benefits',
      'ideas',
      'ladderSteps',
      'learnings',
      'steeringDecisions',
      'unitDecisions',
      'units',
    ]);
    expect(isSharedWithOtherUnits('ideas', { ...records.ideas, status: 'underEvaluation' })).toBe(false);
    expect(isSharedWithOtherUnits('unitDecisions', { ...records.unitDecisions, state: 'draft' })).toBe(false);
    expect(isSharedWithOtherUnits('steeringDecisions', { ...records.steeringDecisions, state: 'draft' })).toBe(false);
  });
});
