import 'fake-indexeddb/auto';
/**
 * The tablet meets the server's limits (issue #10) with the real client engine
 * against the real server app: a unit over its photo quota gets a plain
 * reason and loses nothing; an address throttled for wrong enrollment codes
 * is told how long to wait.
 */
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { syncOnce } from '../../src/data/sync/engine';
import { enrollDevice } from '../../src/data/sync/enrollment';
import { SyncFailure } from '../../src/data/sync/errors';
import { createApp } from '../../src/server/app';
import { memoryLogger } from '../../src/server/log';
import { addIdea, enrolledTablet, FaultyTransport, isolatedDb, newUnitWithCode, SERVER_URL, TestServer } from './harness';

let server: TestServer;
let net: FaultyTransport;

beforeEach(async () => {
  server = await new TestServer().start();
  net = new FaultyTransport(server);
});
afterEach(async () => server.close());

it('over the unit photo quota: the ideas are sent, the photo waits on the tablet, and the failure says why', async () => {
  server.app = createApp({ storage: server.storage, log: memoryLogger(), photoQuotaBytesPerUnit: 100_000 });
  const { unit, code } = await newUnitWithCode(server);
  const db = await enrolledTablet(server, net, await code());
  const bytes = new Uint8Array(300_000).map((_, i) => (i * 7) % 253);
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
  await addIdea(db, unit.id, 'Idé med et stort bilde');

  const failure = await syncOnce(db, net).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(failure).toBeInstanceOf(SyncFailure);
  expect((failure as SyncFailure).code).toBe('photoQuota');
  expect((failure as SyncFailure).retryable).toBe(true);
  expect((await server.records('ideas')).map((r) => r.data.impossibleNow)).toEqual(['Idé med et stort bilde']);
  expect(await db.outbox.count()).toBe(0);
  expect((await db.blobs.get(sha256))?.uploaded).toBe(0);
});

it('enrollment throttled after wrong codes: the failure carries how long to wait', async () => {
  const { code } = await newUnitWithCode(server);
  const db = isolatedDb();
  await db.open();
  const attempt = (c: string) =>
    enrollDevice(db, net, { serverUrl: SERVER_URL, code: c }).then(
      () => undefined,
      (e: unknown) => e as SyncFailure,
    );
  for (let i = 0; i < 10; i++) expect((await attempt('WRNG-WRNG-WRNG'))?.code).toBe('unauthorized');
  const throttled = await attempt(await code());
  expect(throttled?.code).toBe('tooManyAttempts');
  expect(throttled?.retryable).toBe(false);
  expect(throttled?.retryAfterSeconds).toBeGreaterThan(0);
});
