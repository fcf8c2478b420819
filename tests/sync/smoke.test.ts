import 'fake-indexeddb/auto';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { syncOnce } from '../../src/data/sync/engine';
import { addIdea, enrolledTablet, FaultyTransport, newUnitWithCode, TestServer } from './harness';

let server: TestServer;
beforeEach(async () => {
  server = await new TestServer().start();
});
afterEach(async () => server.close());

it('two tablets exchange ideas', async () => {
  const t = new FaultyTransport(server);
  const { unit, code } = await newUnitWithCode(server);
  const a = await enrolledTablet(server, t, await code());
  const b = await enrolledTablet(server, t, await code());
  await addIdea(a, unit.id, 'Løfte alene');
  await syncOnce(a, t);
  await syncOnce(b, t);
  expect((await b.ideas.toArray()).map((i) => i.impossibleNow)).toEqual(['Løfte alene']);
  expect(await a.outbox.count()).toBe(0);
});
