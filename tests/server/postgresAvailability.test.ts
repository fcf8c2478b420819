/**
 * Issue #17: server instances on PostgreSQL survive their database. Two real
 * server processes (src/server/main.ts) on one database of the test cluster;
 * the test reaches under them with its own sessions to hold row locks, to
 * kill their connections (pg_terminate_backend) and to watch what PostgreSQL
 * sees (pg_stat_activity). "The process lives" is checked on the process.
 *
 * A: the instance whose connections get killed (lock timeout 5 s, so the
 *    test terminates a waiting connection long before it gives up by itself).
 * B: the healthy instance next to a paused A (lock timeout 1 s).
 * Both: idle_in_transaction_session_timeout 8 s, numbering every second (the default).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { PROTOCOL_VERSION, type MutationInput, type PushResponse, type SyncErrorBody } from '../../src/domain';
import { openPostgresStorage, type PostgresStorage } from '../../src/server/storage/postgres';
import { HttpTestServer, sleep, type Tablet } from './helpers';
import { attachPostgres, SKIP_PG, startPostgres, type PgCluster } from './pgHarness';
import { startServerProcess, unexpectedExits, type ServerProcess } from './serverProcess';

const A_LOCK_TIMEOUT_MS = 5000;
const B_LOCK_TIMEOUT_MS = 1000;
const IDLE_IN_TRANSACTION_TIMEOUT_MS = 8000;
/** The stated bound for numbering rows a failed numbering step left behind (the default interval, plus slack for a busy machine). */
const NUMBERING_BOUND_MS = 1000 + 4000;

interface RawReply {
  status: number;
  body: PushResponse & Partial<SyncErrorBody>;
  retryAfter: string | null;
  ms: number;
}

/** A push with the answer's headers and how long it took (Tablet.push keeps only status and body). */
async function pushRaw(server: HttpTestServer, tablet: Tablet, mutations: MutationInput[]): Promise<RawReply> {
  const started = performance.now();
  const res = await server.request('POST', '/api/v1/push', {
    token: tablet.token,
    body: { protocol: PROTOCOL_VERSION, epoch: tablet.epoch, ackedThrough: tablet.ackedThrough, mutations },
  });
  const body = (await res.json()) as RawReply['body'];
  if (res.status === 200) tablet.ackedThrough = body.lastAppliedSeq;
  return { status: res.status, body, retryAfter: res.headers.get('retry-after'), ms: performance.now() - started };
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
}

describe.skipIf(SKIP_PG)('server processes on PostgreSQL survive their database (#17)', () => {
  let cluster: PgCluster;
  let dbName: string;
  let storage: PostgresStorage;
  /** The test's own session: pg_stat_activity, pg_terminate_backend. */
  let admin: pg.Client;
  let a: ServerProcess;
  let b: ServerProcess;
  let viaA: HttpTestServer;
  let viaB: HttpTestServer;
  let unitId: string;

  /** A session holding a lock until released, as a hung instance would. */
  async function hold(sql: string, params: unknown[] = []) {
    const c = new pg.Client({ connectionString: cluster.url(dbName) });
    await c.connect();
    await c.query('BEGIN');
    await c.query(sql, params);
    return {
      async release() {
        await c.query('ROLLBACK');
        await c.end();
      },
    };
  }

  /** Backends of this database waiting on a lock in a statement that contains `statement`. */
  const lockWaiters = (statement: string) => async (): Promise<number[] | undefined> => {
    const { rows } = await admin.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity
       WHERE datname = $1 AND wait_event_type = 'Lock' AND pid <> pg_backend_pid() AND strpos(query, $2) > 0`,
      [dbName, statement],
    );
    return rows.length ? rows.map((r) => r.pid) : undefined;
  };
  const lockingTheDevice = lockWaiters('FOR UPDATE OF devices');
  const readingTheCounter = lockWaiters('SELECT epoch, server_seq, horizon FROM server_state');
  const numbering = lockWaiters('UPDATE server_state SET server_seq');

  async function terminate(pids: number[]) {
    await admin.query('SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid', [pids]);
  }

  const unnumbered = async () =>
    Number((await admin.query<{ n: string }>('SELECT count(*) AS n FROM records WHERE server_seq IS NULL')).rows[0]!.n);

  async function expectAlive(...procs: ServerProcess[]) {
    await sleep(300); // a crash on a lost connection happens as soon as the socket closes
    for (const p of procs) expect(p.alive(), `process ${p.pid} exited: ${p.stderr()}`).toBe(true);
    expect(unexpectedExits).toEqual([]);
    for (const server of [viaA, viaB]) expect((await server.request('GET', '/api/v1/health')).status).toBe(200);
  }

  beforeAll(async () => {
    const shared = inject('nedenfraPostgres');
    cluster = shared ? attachPostgres(shared) : await startPostgres();
    dbName = `availability_${randomBytes(4).toString('hex')}`;
    const url = await cluster.createDatabase(dbName);
    // The test's admin handle numbers nothing itself: what gets numbered, the server processes numbered.
    storage = await openPostgresStorage(url, { sequenceIntervalMs: 0 });
    admin = new pg.Client({ connectionString: url });
    await admin.connect();
    const common = { DATABASE_URL: url, NEDENFRA_PG_IDLE_IN_TRANSACTION_TIMEOUT_MS: String(IDLE_IN_TRANSACTION_TIMEOUT_MS) };
    startA = () => startServerProcess({ ...common, NEDENFRA_PG_LOCK_TIMEOUT_MS: String(A_LOCK_TIMEOUT_MS) });
    startB = () => startServerProcess({ ...common, NEDENFRA_PG_LOCK_TIMEOUT_MS: String(B_LOCK_TIMEOUT_MS) });
    [a, b] = await Promise.all([startA(), startB()]);
    viaA = new HttpTestServer(storage, a.url);
    viaB = new HttpTestServer(storage, b.url);
    unitId = (await viaA.unit()).id;
  }, 120_000);

  // Each test starts with both instances up, so one crash fails one test, not every later one.
  let startA: () => Promise<ServerProcess>;
  let startB: () => Promise<ServerProcess>;
  const healthy = (server: HttpTestServer) =>
    fetch(`${server.url}/api/v1/health`, { signal: AbortSignal.timeout(5000) }).then(
      (res) => res.ok,
      () => false,
    );
  beforeEach(async () => {
    if (!(await healthy(viaA))) await a.kill().then(async () => (viaA.url = (a = await startA()).url));
    if (!(await healthy(viaB))) await b.kill().then(async () => (viaB.url = (b = await startB()).url));
    unexpectedExits.length = 0;
  }, 60_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await admin?.end();
    await storage?.close();
    await cluster?.dropDatabase(dbName);
    cluster?.stop();
  });

  it('a connection terminated mid-push: 503 unavailable with Retry-After, the process lives, the retry is applied', async () => {
    const tablet = await viaA.enroll(unitId);
    const idea = tablet.createIdea('mid-push');
    const held = await hold('SELECT 1 FROM devices WHERE device_id = $1 FOR UPDATE', [tablet.deviceId]);
    const pushing = pushRaw(viaA, tablet, [idea.m]);
    await terminate(await waitFor('the push to wait on the device row', lockingTheDevice, 4000));
    await held.release();
    const reply = await pushing;
    expect(reply).toMatchObject({ status: 503, body: { error: 'unavailable' } });
    expect(Number(reply.retryAfter)).toBeGreaterThan(0);
    await expectAlive(a);
    const retry = await tablet.push([idea.m]);
    expect(retry.status).toBe(200);
    expect(retry.body.results.map((r) => r.status)).toEqual(['applied']);
  });

  it('a connection terminated mid-pull: 503 unavailable, the process lives, the next pull succeeds', async () => {
    const tablet = await viaA.enroll(unitId);
    const idea = tablet.createIdea('pulled after the outage');
    expect((await tablet.push([idea.m])).status).toBe(200);
    await waitFor('the push to be numbered', async () => ((await unnumbered()) === 0 ? true : undefined), NUMBERING_BOUND_MS);
    // Nothing is left to number, so only the pull's snapshot reads the counter table.
    const held = await hold('LOCK TABLE server_state IN ACCESS EXCLUSIVE MODE');
    const pulling = tablet.pull(0);
    await terminate(await waitFor('the pull to wait on the counter table', readingTheCounter, 4000));
    await held.release();
    const reply = await pulling;
    expect(reply.status).toBe(503);
    expect(reply.body.error).toBe('unavailable');
    await expectAlive(a, b);
    const { changes } = await tablet.pullAll();
    expect(changes.map((c) => c.id)).toContain(idea.id);
  });

  it('the numbering step killed after a push committed: the rows are numbered within the bound, with no further request', async () => {
    const tablet = await viaA.enroll(unitId);
    const reader = await viaB.enroll(unitId);
    const { cursor } = await reader.pullAll();
    const idea = tablet.createIdea('acknowledged, then numbered on its own');
    const held = await hold('SELECT 1 FROM server_state WHERE id = 1 FOR UPDATE');
    const pushing = pushRaw(viaA, tablet, [idea.m]);
    await waitFor(
      'the push to commit and a numbering step to wait on the counter row',
      async () => ((await unnumbered()) > 0 ? numbering() : undefined),
      4000,
    );
    await sleep(100); // the push's own numbering step, if a background one was first
    // /health reads the counter row without waiting for its lock.
    expect((await viaB.request('GET', '/api/v1/health')).status).toBe(200);
    await terminate((await numbering()) ?? []);
    const reply = await pushing;
    expect(reply.status).toBe(200); // it committed: the answer must say so
    expect(reply.body.results.map((r) => r.status)).toEqual(['applied']);
    expect(await unnumbered()).toBeGreaterThan(0);
    await held.release();
    const started = performance.now();
    await waitFor('the rows to be numbered', async () => ((await unnumbered()) === 0 ? true : undefined), NUMBERING_BOUND_MS);
    console.log(`#17 numbering after a killed numbering step: ${Math.round(performance.now() - started)} ms after the lock was released`);
    expect(a.logs.some((l) => l.event === 'numberingDeferred')).toBe(true); // logged, not swallowed
    await expectAlive(a, b);
    const { changes } = await reader.pullAll(cursor);
    expect(changes.map((c) => c.id)).toContain(idea.id);
  });

  it('an instance paused mid-push: its device gets "busy" from the other within the lock timeout, everyone else goes on; on resume the paused request fails retryably and the process lives', async () => {
    const stuck = await viaA.enroll(unitId);
    const other = await viaB.enroll(unitId);
    const batch = [stuck.createIdea('sent to A, then A froze').m];
    const held = await hold('SELECT 1 FROM devices WHERE device_id = $1 FOR UPDATE', [stuck.deviceId]);
    const pausedPush = pushRaw(viaA, stuck, batch);
    const [pausedPid] = await waitFor('the push on A to wait on the device row', lockingTheDevice, 4000);
    a.pause();
    await held.release(); // A's transaction now holds the device row, and A does not move
    try {
      await waitFor(
        'A to hold the device row, idle in transaction',
        async () =>
          (await admin.query("SELECT 1 FROM pg_stat_activity WHERE pid = $1 AND state = 'idle in transaction'", [pausedPid])).rowCount ||
          undefined,
        4000,
      );
      // The tablet gave up on A and re-sends to B: answered promptly, "busy, retry".
      const retry = await pushRaw(viaB, stuck, batch);
      expect(retry).toMatchObject({ status: 429, body: { error: 'busy' } });
      expect(Number(retry.retryAfter)).toBeGreaterThan(0);
      expect(retry.ms).toBeLessThan(B_LOCK_TIMEOUT_MS + 5000); // bounded (it used to wait as long as A was frozen)
      console.log(
        `#17 busy answer for a device locked by a paused instance: ${Math.round(retry.ms)} ms (lock timeout ${B_LOCK_TIMEOUT_MS} ms)`,
      );

      // More retries than B has connections, while other tablets push and pull through B.
      const retries = Promise.allSettled(Array.from({ length: 12 }, () => pushRaw(viaB, stuck, batch)));
      const [push, pull, health] = await Promise.all([
        other.push([other.createIdea('life goes on').m]),
        other.pull(0),
        viaB.request('GET', '/api/v1/health'),
      ]);
      expect([push.status, pull.status, health.status]).toEqual([200, 200, 200]);
      expect((await retries).map((r) => (r.status === 'fulfilled' ? r.value.status : String(r.reason)))).toEqual(Array(12).fill(429));

      // PostgreSQL ends the paused transaction (idle_in_transaction_session_timeout) and frees the device.
      await waitFor(
        "PostgreSQL to end A's idle transaction",
        async () => ((await admin.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [pausedPid])).rowCount ? undefined : true),
        IDLE_IN_TRANSACTION_TIMEOUT_MS + 4000,
      );
      const through = await pushRaw(viaB, stuck, batch);
      expect(through.status).toBe(200);
      expect(through.body.results.map((r) => r.status)).toEqual(['applied']);
    } finally {
      a.resume();
    }
    const late = await pausedPush;
    expect(late).toMatchObject({ status: 503, body: { error: 'unavailable' } });
    await expectAlive(a, b);
  });
});
