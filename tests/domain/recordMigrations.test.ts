/**
 * Record migrations (src/domain/migrations.ts): each record module's upgrade
 * steps, run by the server on old mutations and by the tablet's IndexedDB
 * upgrade on stored records (tests/data/migration.test.ts opens a version-1
 * database through them).
 */
import { describe, expect, it } from 'vitest';
import {
  MUTATION_SCHEMA_VERSION,
  TABLE_MIGRATIONS,
  TABLE_NAMES,
  migrationSteps,
  upcastFields,
  type RecordMigration,
  type TableName,
} from '../../src/domain';

describe('every record module', () => {
  it.each(TABLE_NAMES)('%s: steps numbered upwards, none past the current shape', (table) => {
    const versions = TABLE_MIGRATIONS[table].map((step) => step.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(new Set(versions).size).toBe(versions.length);
    for (const v of versions) expect(v >= 1 && v <= MUTATION_SCHEMA_VERSION).toBe(true);
  });
});

describe('upcastFields', () => {
  const step = (version: number, field: string): RecordMigration => ({
    version,
    up(fields) {
      if (Object.hasOwn(fields, field)) fields[field] = `${String(fields[field])}→${version}`;
    },
  });
  const none = Object.fromEntries(TABLE_NAMES.map((t) => [t, [] as RecordMigration[]])) as Record<TableName, RecordMigration[]>;
  const shapes = { version: 3, migrations: { ...none, learnings: [step(1, 'learned'), step(2, 'learned'), step(3, 'happened')] } };

  it('runs the steps newer than the version the fields were written in, oldest first, on a copy', () => {
    const sent = { learned: 'x', happened: 'y', step: 'practice' };
    expect(upcastFields('learnings', 1, sent, shapes)).toEqual({ learned: 'x→2', happened: 'y→3', step: 'practice' });
    expect(upcastFields('learnings', 0, sent, shapes)).toEqual({ learned: 'x→1→2', happened: 'y→3', step: 'practice' });
    expect(upcastFields('learnings', 3, sent, shapes)).toEqual(sent);
    expect(sent).toEqual({ learned: 'x', happened: 'y', step: 'practice' });
    // An IndexedDB version runs exactly the steps it shipped: 0 → 2 here, and 2 → 3 in a later version.
    expect(migrationSteps('learnings', 0, 2, shapes.migrations).map((s) => s.version)).toEqual([1, 2]);
    expect(migrationSteps('learnings', 2, 3, shapes.migrations).map((s) => s.version)).toEqual([3]);
  });

  it('refuses fields from an app newer than this code', () => {
    expect(upcastFields('learnings', 4, { learned: 'x' }, shapes)).toBeNull();
    expect(upcastFields('ideas', MUTATION_SCHEMA_VERSION + 1, { impossibleNow: 'x' })).toBeNull();
    expect(upcastFields('ideas', MUTATION_SCHEMA_VERSION, { impossibleNow: 'x' })).toEqual({ impossibleNow: 'x' });
  });

  it('ideas before shape 1: "anonymous" becomes a name of null, on a whole idea and on a patch alike', () => {
    expect(upcastFields('ideas', 0, { impossibleNow: 'Felles pauserom', anonymous: true, bearerName: 'Per' })).toEqual({
      impossibleNow: 'Felles pauserom',
      bearerName: null,
    });
    expect(upcastFields('ideas', 0, { anonymous: false, bearerName: 'Per' })).toEqual({ bearerName: 'Per' });
    // A patch that does not carry the field gains nothing.
    expect(upcastFields('ideas', 0, { wouldChange: 'Mer tid' })).toEqual({ wouldChange: 'Mer tid' });
  });
});
