/**
 * A tablet in the field holds a version-1 database. Opening it with the
 * current NedenfraDb must keep every record and outbox row, and every record
 * must parse with today's schemas (no record lost to a migration).
 */
import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterEach, expect, it } from 'vitest';
import { newId, TABLE_NAMES } from '../../src/domain';
import { NedenfraDb } from '../../src/data/db';
import { readValid } from '../../src/data/repository';
import { CURRENT_SCHEMA_VERSION, SCHEMA_V1, SCHEMA_V2 } from '../../src/data/schema';
import fixture from '../fixtures/db-v1.json';

const name = `migration-${newId()}`;
afterEach(async () => {
  await Dexie.delete(name);
});

it('opens a version-1 database with every record intact and valid', async () => {
  const v1 = new Dexie(name);
  v1.version(1).stores(SCHEMA_V1);
  await v1.open();
  for (const [table, rows] of Object.entries(fixture.tables)) await v1.table(table).bulkAdd(rows);
  expect(v1.verno).toBe(1);
  v1.close();

  const db = new NedenfraDb(name);
  await db.open();
  expect(db.verno).toBe(CURRENT_SCHEMA_VERSION);

  let total = 0;
  for (const table of TABLE_NAMES) {
    const { records, invalid } = await readValid(db, table);
    expect(invalid, table).toEqual([]);
    total += records.length;
  }
  expect(total).toBe(fixture.tables.units.length + fixture.tables.ideas.length + fixture.tables.supports.length);

  const ideas = await db.ideas.orderBy('id').toArray();
  expect(ideas.map((i) => i.impossibleNow)).toEqual(fixture.tables.ideas.map((i) => i.impossibleNow));
  for (const idea of ideas) expect(idea).toMatchObject({ photos: [], beneficiaries: [], sessionId: null, sourceIdeaId: null });
  // Legacy `anonymous: true` wins over a stored name, and the flag is gone.
  const legacy = ideas.find((i) => i.impossibleNow === 'Papirsortering som egen rolle')!;
  expect(legacy.bearerName).toBeNull();
  expect('anonymous' in legacy).toBe(false);
  expect(ideas.find((i) => i.impossibleNow.startsWith('Én person'))!.bearerName).toBe('Per');

  expect(await db.outbox.toArray()).toEqual(fixture.tables.outbox);
  expect(await db.supports.toArray()).toEqual(fixture.tables.supports);
  expect((await db.kv.get('currentUnitId'))?.value).toBe(fixture.tables.units[0]!.id);
  // The tables added in versions 2 to 5 exist, are empty, and are read by idea (a change's page, an idea's status).
  expect(await db.blobs.count()).toBe(0);
  expect(await db.drafts.count()).toBe(0);
  expect(await db.lostEdits.count()).toBe(0);
  expect(await db.steeringDecisions.count()).toBe(0);
  expect(await db.erasures.count()).toBe(0);
  for (const table of ['benefits', 'benefitResults', 'ladderSteps', 'followUps'] as const)
    expect(await db.table(table).where('ideaId').equals(newId()).count(), table).toBe(0);
  db.close();
});

it('version 3 rewrites a queued old-style publish (a patch of state) as a publish of the decision the leader saw', async () => {
  const v2 = new Dexie(name);
  v2.version(1).stores(SCHEMA_V1);
  v2.version(2).stores(SCHEMA_V2);
  await v2.open();
  const unitId = newId();
  const decision = {
    id: newId(),
    unitId,
    createdAt: '2026-03-01T10:00:00.000Z',
    ideaId: newId(),
    outcome: 'decline',
    rationale: 'Ikke i år',
    responsible: null,
    followUpDate: null,
    parkUntil: null,
    mergeIntoIdeaId: null,
    participants: [{ role: 'leader', name: 'Kari' }],
    state: 'published',
    publishedAt: '2026-03-02T10:00:00.000Z',
    publishedBy: 'Kari',
    supersedesId: null,
  };
  await v2.table('unitDecisions').add(decision);
  const row = { mutationId: newId(), table: 'unitDecisions', recordId: decision.id, hlc: '000001772445600000:00000:x', schemaVersion: 1, createdAt: 1, attempts: 0, lastError: null };
  await v2.table('outbox').bulkAdd([
    { ...row, op: 'patch', fields: { rationale: 'Ikke i år' }, base: { rationale: '000000000000000:00000:0' } },
    { ...row, mutationId: newId(), op: 'patch', fields: { state: 'published', publishedAt: decision.publishedAt, publishedBy: 'Kari' }, base: {} },
  ]);
  v2.close();

  const db = new NedenfraDb(name);
  await db.open();
  const [edit, publish] = await db.outbox.orderBy('seq').toArray();
  expect(edit).toMatchObject({ op: 'patch', fields: { rationale: 'Ikke i år' } });
  expect(publish).toMatchObject({ seq: 2, op: 'publish', fields: decision });
  expect(publish).not.toHaveProperty('base');
  db.close();
});
