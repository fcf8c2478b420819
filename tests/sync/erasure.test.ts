/**
 * A name erased on the server (issue #14 part 3) goes from every tablet's
 * copy after its next sync: the records the server rewrote, and what only
 * the tablet holds — a change still queued (written before the erasure, so
 * it must not bring the name back), a refused change, a lost-edit notice, a
 * form draft, the remembered leader name. Nothing else is touched.
 */
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { HybridLogicalClock, HLC_ZERO } from '../../src/domain';
import type { NedenfraDb } from '../../src/data/db';
import { LEADER_NAME_KEY } from '../../src/data/leaderPin';
import { createRecord, patchRecord } from '../../src/data/repository';
import { syncOnce } from '../../src/data/sync/engine';
import { erasePersonIn } from '../../src/server/console/personalData';
import { enrolledTablet, FaultyTransport, newUnitWithCode, TestServer } from './harness';

let server: TestServer;
let net: FaultyTransport;
let unitId: string;
let code: () => Promise<string>;

beforeEach(async () => {
  server = await new TestServer().start();
  net = new FaultyTransport(server);
  const u = await newUnitWithCode(server);
  unitId = u.unit.id;
  code = u.code;
});
afterEach(async () => server.close());

const tablet = async () => enrolledTablet(server, net, await code());

/** Everything a tablet holds, as lower-case text. */
async function holds(db: NedenfraDb): Promise<string> {
  const tables = await Promise.all(db.tables.map((t) => t.toArray()));
  return JSON.stringify(tables).toLowerCase();
}

it('after its next sync no tablet holds an erased name: records, queued and refused changes, notices, drafts, the leader name', async () => {
  const a = await tablet();
  const b = await tablet();
  const named = await createRecord(a, 'ideas', { unitId, impossibleNow: 'Hennes forslag', bearerName: 'Kari Nordmann' });
  await createRecord(a, 'ideas', { unitId, impossibleNow: 'Et annet forslag', bearerName: 'Ola Hansen' });
  const third = await createRecord(a, 'ideas', { unitId, impossibleNow: 'Et tredje forslag' });
  await syncOnce(a, net);
  await syncOnce(b, net);
  expect(await holds(b)).toContain('kari nordmann');

  // On tablet A, before the erasure reaches it: a queued change naming her, and what only A holds.
  await patchRecord(a, 'ideas', third.id, { wouldChange: 'Mindre løfting', bearerName: 'kari  nordmann' });
  await a.rejections.add({
    mutationId: 'm1',
    table: 'ideas',
    recordId: named.id,
    reason: 'invalid',
    detail: 'x',
    at: 1,
    op: 'patch',
    fields: { bearerName: 'Kari Nordmann' },
  });
  await a.lostEdits.put({ table: 'ideas', recordId: named.id, field: 'bearerName', loserHlc: HLC_ZERO, value: 'Kari Nordmann', at: 1 });
  await a.drafts.put({ key: 'capture', value: { impossibleNow: 'Utkast', bearerName: 'Kari Nordmann' }, updatedAt: 1 });
  await a.drafts.put({ key: 'other', value: { impossibleNow: 'Uten navn' }, updatedAt: 1 });
  await a.kv.put({ key: LEADER_NAME_KEY, value: 'Kari Nordmann' });

  const now = Date.now();
  await server.storage.write((tx) => erasePersonIn(tx, new HybridLogicalClock('server', () => now), 'Kari Nordmann', 'Person a1b2c3', now));

  await syncOnce(a, net);
  await syncOnce(b, net);
  for (const db of [a, b]) expect(await holds(db)).not.toContain('kari');
  expect(JSON.stringify(await server.records('ideas')).toLowerCase()).not.toContain('kari');
  // Others' names and everything else stay.
  expect(await holds(a)).toContain('ola hansen');
  expect((await a.ideas.get(third.id))!.wouldChange).toBe('Mindre løfting');
  expect((await server.records('ideas')).find((r) => r.id === third.id)!.data.wouldChange).toBe('Mindre løfting');
  expect(await a.drafts.get('other')).toBeDefined();
  expect((await b.ideas.get(named.id))!.bearerName).toBeNull();
});
