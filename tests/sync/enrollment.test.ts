import 'fake-indexeddb/auto';
/** Enrollment re-keys work done before it (under the first-run local unit) to the server's unit. */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { newId } from '../../src/domain';
import { createRecord } from '../../src/data/repository';
import { syncOnce } from '../../src/data/sync/engine';
import { enrollCodeFromHash } from '../../src/data/sync/enrollLink';
import { enrollDevice, enrollmentStatus } from '../../src/data/sync/enrollment';
import { SyncFailure } from '../../src/data/sync/errors';
import { CURRENT_UNIT_KEY } from '../../src/data/sync/state';
import { FaultyTransport, isolatedDb, newUnitWithCode, SERVER_URL, TestServer } from './harness';

let server: TestServer;
beforeEach(async () => {
  server = await new TestServer().start();
});
afterEach(async () => server.close());

it('moves local records and queued changes to the server unit, replaces the local unit, then syncs them', async () => {
  const net = new FaultyTransport(server);
  const { unit, code } = await newUnitWithCode(server, 'Kjøkkenet');
  const db = isolatedDb();
  await db.open();
  const localId = newId();
  await db.units.put({
    id: localId,
    unitId: localId,
    createdAt: new Date().toISOString(),
    municipality: 'Lokal',
    name: 'Lokal',
    responseTargetDays: 30,
    activeChangeLimit: 3,
  });
  await db.kv.put({ key: CURRENT_UNIT_KEY, value: localId });
  const idea = await createRecord(db, 'ideas', { unitId: localId, impossibleNow: 'Før innmelding' });
  await createRecord(db, 'supports', { unitId: localId, ideaId: idea.id });
  expect(await enrollmentStatus(db)).toBe('notEnrolled');

  const enrolled = await enrollDevice(db, net, { serverUrl: `${SERVER_URL}/`, code: await code() });
  expect(enrolled.name).toBe('Kjøkkenet');
  expect(await enrollmentStatus(db)).toBe('enrolled');
  expect((await db.kv.get(CURRENT_UNIT_KEY))?.value).toBe(unit.id);
  expect(await db.units.get(localId)).toBeUndefined();
  expect((await db.units.get(unit.id))?.name).toBe('Kjøkkenet');
  expect((await db.ideas.get(idea.id))?.unitId).toBe(unit.id);
  for (const row of await db.outbox.toArray()) expect(row.fields.unitId).toBe(unit.id);

  await syncOnce(db, net);
  expect(await db.outbox.count()).toBe(0);
  expect((await server.records('ideas')).map((r) => [r.id, r.unitId])).toEqual([[idea.id, unit.id]]);
  expect(await server.records('supports')).toHaveLength(1);
});

it('refuses a used code without touching local data, and reads codes from QR links', async () => {
  const net = new FaultyTransport(server);
  const { code } = await newUnitWithCode(server);
  const once = await code();
  const first = isolatedDb();
  await first.open();
  await enrollDevice(first, net, { serverUrl: SERVER_URL, code: once });
  const second = isolatedDb();
  await second.open();
  await expect(enrollDevice(second, net, { serverUrl: SERVER_URL, code: once })).rejects.toSatisfy(
    (e) => e instanceof SyncFailure && e.code === 'unauthorized',
  );
  expect(await enrollmentStatus(second)).toBe('notEnrolled');
  expect(enrollCodeFromHash('#enroll=ABCD-EFGH-JKMN')).toBe('ABCD-EFGH-JKMN');
  expect(enrollCodeFromHash('#/board')).toBeNull();
});
