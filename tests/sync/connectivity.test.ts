import 'fake-indexeddb/auto';
/**
 * "No network" and "the server does not answer" are different troubles with
 * different advice (issue #11 point 11): the engine names them apart when the
 * platform says whether the device is online.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { syncOnce } from '../../src/data/sync/engine';
import { SyncFailure } from '../../src/data/sync/errors';
import { runSync } from '../../src/data/sync/scheduler';
import { INITIAL_SYNC_STATUS, syncStore } from '../../src/data/sync/syncStore';
import type { Transport } from '../../src/data/sync/transport';
import { addIdea, enrolledTablet, FaultyTransport, newUnitWithCode, TestServer } from './harness';

let server: TestServer;
let net: FaultyTransport;
beforeEach(async () => {
  server = await new TestServer().start();
  net = new FaultyTransport(server);
  syncStore.setState(INITIAL_SYNC_STATUS);
});
afterEach(async () => server.close());

/** The same failing network, on a device that reports itself online or offline. */
const withConnectivity = (online: boolean): Transport => ({ fetch: (req) => net.fetch(req), online: () => online });

async function failureCode(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(SyncFailure);
    return (err as SyncFailure).code;
  }
  throw new Error('expected the sync to fail');
}

describe('sync connectivity', () => {
  it('a request that fails while the device is online means the server is unreachable, not that the network is down', async () => {
    const { unit, code } = await newUnitWithCode(server);
    const tablet = await enrolledTablet(server, net, await code());
    await addIdea(tablet, unit.id, 'Heisen er for trang');
    net.faults = { dropRequest: true };
    expect(await failureCode(syncOnce(tablet, withConnectivity(true)))).toBe('unreachable');
    expect(await failureCode(syncOnce(tablet, withConnectivity(false)))).toBe('offline');
    // Both are retried on their own, and nothing is lost meanwhile.
    await failureCode(runSync(tablet, withConnectivity(true)));
    expect(syncStore.getState()).toMatchObject({ phase: 'error', lastError: 'unreachable' });
    await failureCode(runSync(tablet, withConnectivity(false)));
    expect(syncStore.getState()).toMatchObject({ phase: 'offline', lastError: 'offline' });
    expect(await tablet.outbox.count()).toBe(1);
    net.faults = {};
    await runSync(tablet, withConnectivity(true));
    expect(await tablet.outbox.count()).toBe(0);
  });
});
