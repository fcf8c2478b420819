/**
 * The read models rebuild themselves: a database whose record and idea facts
 * are missing (one migrated from before the console) or were built by
 * another FACTS_VERSION gets them rebuilt from the records when the server
 * opens it, and the overview's aggregates come out the same.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { IDEA_FACTS_SELECT } from '../../src/server/storage/facts';
import { openSqliteStorage } from '../../src/server/storage/sqlite';
import { T0 } from './helpers';
import { seedMunicipality } from './seedMunicipality';

const dir = mkdtempSync(join(tmpdir(), 'nedenfra-facts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('rebuilds missing or outdated facts from the records at start', async () => {
  const file = join(dir, 'db.sqlite');
  const filter = { start: Date.UTC(2026, 0, 1), end: T0, unitIds: null };
  let storage = await openSqliteStorage(file);
  await seedMunicipality(storage, { units: 4, ideas: 300, from: Date.UTC(2026, 0, 1), to: T0 - 86_400_000, now: T0, seed: 3 });
  const before = await storage.read((tx) => tx.console.overviewAggregates(filter, T0, 200));
  await storage.close();

  for (const damage of [
    'DELETE FROM record_facts; DELETE FROM idea_facts; DELETE FROM read_models',
    'UPDATE read_models SET version = 0; DELETE FROM idea_facts',
  ]) {
    const raw = new Database(file);
    raw.exec(damage);
    raw.close();
    storage = await openSqliteStorage(file);
    const after = await storage.read((tx) => tx.console.overviewAggregates(filter, T0, 200));
    await storage.close();
    const sorted = (a: typeof before) =>
      JSON.stringify(Object.fromEntries(Object.entries(a).map(([k, v]) => [k, (v as unknown[]).map((x) => JSON.stringify(x)).sort()])));
    expect(sorted(after)).toBe(sorted(before));
    expect(before.ideaCube.reduce((n, c) => n + c.count, 0)).toBe(300);
  }
});

it("refreshing an idea's facts looks up each related record by the idea, never by scanning a table", async () => {
  // A write of N evaluations refreshes their N ideas; a subquery that walked every evaluation per idea
  // made seeding 20,000 ideas take minutes instead of seconds (the planner preferred the time index).
  const file = join(dir, 'plan.sqlite');
  const storage = await openSqliteStorage(file);
  await storage.close();
  const raw = new Database(file);
  try {
    const plan = (
      raw.prepare(`EXPLAIN QUERY PLAN ${IDEA_FACTS_SELECT} AND i.id IN (SELECT value FROM json_each(?))`).all('[]') as Array<{
        detail: string;
      }>
    ).map((r) => r.detail);
    const lookups = plan.filter((d) => /^(SEARCH|SCAN) (e|l|d|u) /.test(d));
    expect(lookups).toHaveLength(5); // the latest classifying evaluation, any evaluation, first answer (twice), the unit
    for (const d of lookups)
      expect(d, plan.join('\n')).toMatch(
        /USING (COVERING )?INDEX (record_facts_idea \(table_name=\? AND idea_id=\?|sqlite_autoindex_record_facts_1 \(table_name=\? AND id=\?)/,
      );
  } finally {
    raw.close();
  }
});
