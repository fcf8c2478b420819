/**
 * A photo deleted on one tablet (the unit leader, issue #14 part 3) goes
 * everywhere: from the idea and that tablet's storage at once, from the
 * server (bytes and references) when the change arrives, and from every
 * other tablet's storage when its pull brings the idea without it. A photo
 * another idea still shows is kept.
 */
import 'fake-indexeddb/auto';
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { NedenfraDb } from '../../src/data/db';
import { deleteIdeaPhoto } from '../../src/data/ideas';
import { createRecord } from '../../src/data/repository';
import { syncOnce } from '../../src/data/sync/engine';
import { enrolledTablet, FaultyTransport, newUnitWithCode, SERVER_URL, TestServer } from './harness';

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

async function photo(db: NedenfraDb, seed: number): Promise<string> {
  const bytes = new Uint8Array(2048).map((_, i) => (i * seed) % 251);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  await db.blobs.put({
    sha256,
    blob: new Blob([bytes], { type: 'image/jpeg' }),
    type: 'image/jpeg',
    width: 1,
    height: 1,
    size: bytes.length,
    uploaded: 0,
    createdAt: 0,
  });
  return sha256;
}

const onServer = async (sha256: string) => (await server.app.fetch(new Request(`${SERVER_URL}/api/v1/blobs/${sha256}`))).status;

it('a photo the leader deletes goes from the idea, this tablet, the server and the other tablets', async () => {
  const a = await tablet();
  const b = await tablet();
  const gone = await photo(a, 7);
  const kept = await photo(a, 13);
  const idea = await createRecord(a, 'ideas', { unitId, impossibleNow: 'Tavla med navn på', photos: [gone, kept] });
  await createRecord(a, 'ideas', { unitId, impossibleNow: 'Samme bilde', photos: [kept] });
  await syncOnce(a, net);
  await syncOnce(b, net);
  expect(await b.blobs.get(gone)).toBeDefined();
  expect(await onServer(gone)).toBe(200);

  await deleteIdeaPhoto(a, idea, gone);
  await deleteIdeaPhoto(a, (await a.ideas.get(idea.id))!, kept);
  expect(await a.blobs.get(gone)).toBeUndefined();
  expect(await a.blobs.get(kept)).toBeDefined(); // another idea shows it

  await syncOnce(a, net);
  expect(await onServer(gone)).toBe(404);
  expect(await onServer(kept)).toBe(200);
  await syncOnce(b, net);
  expect((await b.ideas.get(idea.id))!.photos).toEqual([]);
  expect(await b.blobs.get(gone)).toBeUndefined();
  expect(await b.blobs.get(kept)).toBeDefined();
});
