import 'fake-indexeddb/auto';
/**
 * Issue #17, as a municipality's operations team would try it: two server
 * processes (src/server/main.ts) on one PostgreSQL behind a load balancer
 * that sends each request to either, tablets running the real client engine
 * (each its own fake-indexeddb), and trouble during the run: every database
 * connection terminated, an instance killed and restarted, PostgreSQL
 * restarted (`pg_ctl restart -m fast`), an instance paused (SIGSTOP) long
 * enough for PostgreSQL to end its open transactions.
 *
 * Afterwards (trouble over, every tablet synced until quiet):
 *   - every acknowledged mutation is on the server, once;
 *   - every tablet's replica equals what the server holds for it;
 *   - no pull skipped a row (a row the tablet's cursor passed but it never received);
 *   - no instance exited other than by the test's own kill, and no answer was a 500.
 *
 * Its own PostgreSQL cluster: restarting the shared one would hit other test files.
 */
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, PullResponse, PushRequest, PushResponse, type MutationInput } from '../../src/domain';
import type { NedenfraDb } from '../../src/data/db';
import { createRecord, patchRecord } from '../../src/data/repository';
import { syncOnce } from '../../src/data/sync/engine';
import { enrollDevice } from '../../src/data/sync/enrollment';
import { SyncFailure } from '../../src/data/sync/errors';
import { getEnrollment, getSyncState } from '../../src/data/sync/state';
import type { Transport } from '../../src/data/sync/transport';
import { createEnrollmentCode, createUnit } from '../../src/server/admin';
import { openPostgresStorage } from '../../src/server/storage/postgres';
import { isolatedDb } from '../sync/harness';
import { HttpTestServer, sleep, type Tablet } from './helpers';
import { SKIP_PG, startPostgres, type OwnedPgCluster } from './pgHarness';
import { startServerProcess, unexpectedExits, type ServerProcess } from './serverProcess';

const DB = 'nedenfra';
/** Shorter than the defaults, so the run stays short; the mechanisms are the same. */
const ENV = { NEDENFRA_PG_IDLE_IN_TRANSACTION_TIMEOUT_MS: '3000', NEDENFRA_PG_LOCK_TIMEOUT_MS: '1000' };
/** How long a tablet waits for an answer before it gives up on the request. */
const TABLET_PATIENCE_MS = 4000;
const LB_URL = 'http://lb.nedenfra.test';
/** A longer run than the default (about 25 s of trouble): NEDENFRA_MULTI_ROUNDS=4 NEDENFRA_MULTI_TABLETS=18. */
const ROUNDS = Number(process.env.NEDENFRA_MULTI_ROUNDS ?? 1);
const TABLETS = Number(process.env.NEDENFRA_MULTI_TABLETS ?? 9);

interface Instance {
  name: string;
  proc: ServerProcess;
  /** The load balancer sends requests here (false from a kill until the restart is up). */
  inRotation: boolean;
}

/** Answers seen by the tablets, by HTTP status, or "no answer" (refused, reset, timed out). */
const answers = new Map<string, number>();
const count = (key: string) => answers.set(key, (answers.get(key) ?? 0) + 1);

describe.skipIf(SKIP_PG)('two server instances on one PostgreSQL (#17)', () => {
  let cluster: OwnedPgCluster;
  let url: string;
  const instances: Instance[] = [];

  /** Every process started, killed ones included, for what they logged. */
  const started: ServerProcess[] = [];
  const start = (name: string) =>
    startServerProcess({ DATABASE_URL: url, ...ENV }).then((proc) => {
      started.push(proc);
      return { name, proc, inRotation: true };
    });
  /** Warnings and errors the instances logged (after the `since` marks), by event and reason. */
  const serverEvents = (since: Map<ServerProcess, number>) => {
    const events = new Map<string, number>();
    for (const p of started)
      for (const line of p.logs.slice(since.get(p) ?? 0).filter((l) => l.level !== 'info')) {
        const key = typeof line.reason === 'string' ? `${String(line.event)}:${line.reason}` : String(line.event);
        events.set(key, (events.get(key) ?? 0) + 1);
      }
    return Object.fromEntries(events);
  };
  const logMarks = () => new Map(started.map((p) => [p, p.logs.length]));

  /** A short-lived session of the test's own (the database restarts under it). */
  async function withAdmin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
    const c = new pg.Client({ connectionString: url });
    c.on('error', () => undefined);
    await c.connect();
    try {
      return await fn(c);
    } finally {
      await c.end().catch(() => undefined);
    }
  }

  const terminateAll = () =>
    withAdmin((c) =>
      c.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [DB]),
    );

  async function killAndRestart(i: Instance) {
    i.inRotation = false;
    await i.proc.kill();
    await sleep(1000);
    i.proc = (await start(i.name)).proc;
    i.inRotation = true;
  }

  beforeAll(async () => {
    cluster = await startPostgres();
    url = await cluster.createDatabase(DB);
    await (await openPostgresStorage(url, { sequenceIntervalMs: 0 })).close(); // migrate once, before two instances race to
    instances.push(...(await Promise.all([start('A'), start('B')])));
    unexpectedExits.length = 0;
  }, 120_000);

  // Each test starts with both instances up, so one crash fails one test, not every later one.
  beforeEach(async () => {
    for (const i of instances) {
      const healthy = await fetch(`${i.proc.url}/api/v1/health`, { signal: AbortSignal.timeout(5000) }).then(
        (res) => res.ok,
        () => false,
      );
      if (!healthy) await killAndRestart(i);
    }
    unexpectedExits.length = 0;
  }, 60_000);

  afterAll(async () => {
    await Promise.all(instances.map((i) => i.proc.stop()));
    cluster?.stop();
  });

  it('PostgreSQL stopped and restarted under load: both instances answer 503 meanwhile, survive, and serve again', async () => {
    const storage = await openPostgresStorage(url, { sequenceIntervalMs: 0 });
    const servers = instances.map((i) => new HttpTestServer(storage, i.proc.url));
    const unitId = (await servers[0]!.unit('Drift')).id;
    const tablets: Tablet[] = [];
    for (let i = 0; i < 6; i++) tablets.push(await servers[i % 2]!.enroll(unitId));
    await storage.close();
    const statuses = new Map<number | string, number>();
    const acked = new Set<string>();
    let stop = false;
    // Each tablet pushes (re-sending what was not acknowledged) and pulls, alternating between the instances.
    const load = tablets.map(async (t, k) => {
      let outbox: MutationInput[] = [];
      for (let n = 0; !stop; n++) {
        const via = t.via(servers[n % 2]!);
        outbox.push(t.createIdea(`last ${k}/${n}`).m);
        const outcome = await Promise.all([via.push(outbox), via.pull(0)]).then(
          ([push, pull]) => {
            if (push.status === 200) {
              t.ackedThrough = push.body.lastAppliedSeq;
              for (const m of outbox) if (m.seq <= push.body.lastAppliedSeq) acked.add(m.recordId);
              outbox = outbox.filter((m) => m.seq > push.body.lastAppliedSeq);
            }
            return [push.status, pull.status];
          },
          (e: Error) => [e.name],
        );
        for (const s of outcome) statuses.set(s, (statuses.get(s) ?? 0) + 1);
        await sleep(30);
      }
    });
    let down = false;
    try {
      await sleep(500);
      await cluster.restart();
      await sleep(1000);
      await cluster.shutDown();
      down = true;
      // Down: every instance says so, retryably, and nobody exits.
      for (const i of instances) {
        const res = await fetch(`${i.proc.url}/api/v1/health`);
        expect(res.status).toBe(503);
        expect(await res.json()).toMatchObject({ error: 'unavailable' });
        expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      }
      await sleep(1000);
      await cluster.startUp();
      down = false;
      await sleep(1500);
    } finally {
      if (down) await cluster.startUp();
      stop = true;
      await Promise.all(load);
    }
    for (const i of instances) {
      expect(i.proc.alive(), i.proc.stderr()).toBe(true);
      expect((await fetch(`${i.proc.url}/api/v1/health`)).status).toBe(200);
    }
    expect(unexpectedExits).toEqual([]);
    console.log('#17 answers during a PostgreSQL restart and a stop/start under load:', Object.fromEntries(statuses));
    expect(statuses.get(500) ?? 0).toBe(0);
    expect(statuses.get(200)).toBeGreaterThan(0);
    expect(statuses.get(503)).toBeGreaterThan(0);
    // Whatever was acknowledged is stored, once.
    const check = await openPostgresStorage(url, { sequenceIntervalMs: 0 });
    try {
      const stored = (await check.read((tx) => tx.listRecords('ideas'))).map((r) => r.id);
      expect(stored.filter((id) => acked.has(id))).toHaveLength(acked.size);
    } finally {
      await check.close();
    }
  }, 60_000);

  it(
    'tablets alternating between two instances through kills, terminations, a PostgreSQL restart and a pause: nothing lost, doubled or skipped',
    async () => {
      const marks = logMarks();
      const storage = await openPostgresStorage(url, { sequenceIntervalMs: 0 });
      const units = [];
      for (const name of ['Sjukeheim', 'Heimeteneste', 'Renovasjon'])
        units.push(await createUnit(storage, { municipality: 'Testvik', name }));

      /** What the tablets heard: per mutation id, its effect and how often the server said "applied". */
      const sent = new Map<string, { recordId: string; op: string; fields: Record<string, unknown> }>();
      const applied = new Map<string, number>();
      const acknowledged = new Set<string>();

      interface Device {
        db: NedenfraDb;
        unitId: string;
        transport: Transport;
        /** Every record version a pull delivered, as table/id@seq. */
        received: Set<string>;
        ideas: string[];
        lastEdit: Map<string, string>;
      }

      /** The load balancer: each request to the next instance in rotation, as a tablet's fetch with its patience. */
      let turn = 0;
      function balancer(received: Set<string>): Transport {
        return {
          async fetch(req) {
            // What a load balancer's health check would notice: an instance killed, or one that died.
            const targets = instances.filter((i) => i.inRotation && i.proc.alive());
            const target = targets[turn++ % Math.max(1, targets.length)];
            if (!target) {
              count('no answer');
              throw new TypeError('no instance in rotation');
            }
            const path = new URL(req.url);
            const body = req.method === 'GET' ? undefined : await req.text();
            let res: Response;
            let bytes: string;
            try {
              res = await fetch(`${target.proc.url}${path.pathname}${path.search}`, {
                method: req.method,
                headers: req.headers,
                ...(body !== undefined ? { body } : {}),
                signal: AbortSignal.timeout(TABLET_PATIENCE_MS),
              });
              bytes = await res.text();
            } catch (e) {
              count('no answer');
              throw e;
            }
            count(String(res.status));
            if (res.status === 200 && path.pathname.endsWith('/push')) {
              const request = PushRequest.parse(JSON.parse(body!));
              for (const m of request.mutations) sent.set(m.mutationId, { recordId: m.recordId, op: m.op, fields: m.fields });
              for (const r of PushResponse.parse(JSON.parse(bytes)).results) {
                if (r.status === 'applied') applied.set(r.mutationId, (applied.get(r.mutationId) ?? 0) + 1);
                if (r.status !== 'rejected') acknowledged.add(r.mutationId);
              }
            }
            if (res.status === 200 && path.pathname.endsWith('/pull'))
              for (const c of PullResponse.parse(JSON.parse(bytes)).changes) received.add(`${c.table}/${c.id}@${c.serverSeq}`);
            return new Response(bytes, { status: res.status, headers: res.headers });
          },
        };
      }

      const devices: Device[] = [];
      for (let k = 0; k < TABLETS; k++) {
        const unit = units[k % units.length]!;
        const db = isolatedDb();
        await db.open();
        const received = new Set<string>();
        const transport = balancer(received);
        const { code } = await createEnrollmentCode(storage, { unitId: unit.id });
        await enrollDevice(db, transport, { serverUrl: LB_URL, code });
        devices.push({ db, unitId: unit.id, transport, received, ideas: [], lastEdit: new Map() });
      }
      await storage.close();

      const failures = new Map<string, number>();
      const sync = async (d: Device) => {
        try {
          return await syncOnce(d.db, d.transport);
        } catch (e) {
          if (!(e instanceof SyncFailure) || !e.retryable) throw e;
          failures.set(e.code, (failures.get(e.code) ?? 0) + 1);
          return undefined;
        }
      };

      // Staff at work: new ideas, now and then an edit of one of their own, and a sync.
      let working = true;
      let made = 0;
      const work = devices.map(async (d, k) => {
        for (let n = 0; working; n++) {
          const idea = await createRecord(d.db, 'ideas', { unitId: d.unitId, impossibleNow: `nettbrett ${k} idé ${n}` });
          d.ideas.push(idea.id);
          made++;
          if (n % 3 === 2) {
            const id = d.ideas[(n * 7) % d.ideas.length]!;
            const text = `nettbrett ${k} endring ${n}`;
            await patchRecord(d.db, 'ideas', id, { wouldChange: text });
            d.lastEdit.set(id, text);
            made++;
          }
          await sync(d);
          await sleep(100 + ((k * 37 + n * 53) % 200));
        }
      });

      // Trouble, while they work.
      const [a, b] = instances as [Instance, Instance];
      const trouble: string[] = [];
      try {
        for (let round = 0; round < ROUNDS; round++) {
          await sleep(2500);
          trouble.push(`terminated ${(await terminateAll()).rowCount} connections`);
          await sleep(2000);
          await killAndRestart(a);
          trouble.push('killed and restarted A');
          await sleep(2000);
          await cluster.restart();
          trouble.push('restarted PostgreSQL');
          await sleep(2500);
          b.proc.pause();
          await sleep(5000); // longer than the idle-in-transaction timeout: PostgreSQL ends B's open transactions
          b.proc.resume();
          trouble.push('paused B for 5 s');
          await sleep(2000);
          trouble.push(`terminated ${(await terminateAll()).rowCount} connections`);
          await sleep(1500);
          await killAndRestart(b);
          trouble.push('killed and restarted B');
        }
        await sleep(2500);
      } finally {
        working = false;
        await Promise.all(work);
      }

      // Settle: every tablet syncs until a whole round pushed and pulled nothing.
      let settled = false;
      for (let round = 0, quiet = 0; !settled && round < 12; round++) {
        let moved = 0;
        for (const d of devices) {
          const r = await sync(d);
          moved += r ? r.pushed + r.pulled : 1;
        }
        quiet = moved === 0 ? quiet + 1 : 0;
        settled = quiet === 2;
      }

      const check = await openPostgresStorage(url, { sequenceIntervalMs: 0 });
      try {
        const serverIdeas = (await check.read((tx) => tx.listRecords('ideas'))).filter((r) => !r.deleted);
        const byId = new Map(serverIdeas.map((r) => [r.id, r]));
        // Lost: an acknowledged create missing or different, or an acknowledged edit not in the final state.
        let lost = 0;
        for (const id of acknowledged) {
          const m = sent.get(id);
          if (m?.op === 'create' && byId.get(m.recordId)?.data.impossibleNow !== m.fields.impossibleNow) lost++;
        }
        for (const d of devices) for (const [id, text] of d.lastEdit) if (byId.get(id)?.data.wouldChange !== text) lost++;
        // Doubled: a mutation the server reported applied twice, or one idea stored under two ids.
        const texts = serverIdeas.map((r) => r.data.impossibleNow);
        const duplicated = [...applied.values()].filter((n) => n > 1).length + (texts.length - new Set(texts).size);

        // Each tablet against the server's answer for it: a full pull from 0, as that device.
        let gaps = 0;
        let divergent = 0;
        let queued = 0;
        let rejected = 0;
        const sorted = (rows: Array<{ id: string }>) => [...rows].sort((x, y) => x.id.localeCompare(y.id));
        for (const d of devices) {
          queued += await d.db.outbox.count();
          rejected += await d.db.rejections.count();
          const { cursor } = await getSyncState(d.db);
          const enrollment = (await getEnrollment(d.db))!;
          const full: PullResponse['changes'] = [];
          for (let from = 0, more = true; more;) {
            const res = await fetch(`${a.proc.url}/api/v1/pull?protocol=${PROTOCOL_VERSION}&cursor=${from}&limit=1000`, {
              headers: { authorization: `Bearer ${enrollment.token}` },
            });
            const page = PullResponse.parse(await res.json());
            full.push(...page.changes);
            [from, more] = [page.cursor, page.hasMore];
          }
          gaps += full.filter((c) => c.serverSeq <= cursor && !d.received.has(`${c.table}/${c.id}@${c.serverSeq}`)).length;
          const serverView = full.filter((c) => c.table === 'ideas' && !c.deleted).map((c) => c.data as { id: string });
          if (JSON.stringify(sorted(await d.db.ideas.toArray())) !== JSON.stringify(sorted(serverView))) divergent++;
        }
        const unnumbered = await withAdmin(async (c) =>
          Number((await c.query<{ n: string }>('SELECT count(*) AS n FROM records WHERE server_seq IS NULL')).rows[0]!.n),
        );

        const figures = {
          settled,
          tablets: devices.length,
          made,
          acknowledged: acknowledged.size,
          lost,
          duplicated,
          gaps,
          divergentReplicas: divergent,
          stillQueued: queued,
          rejected,
          unnumbered,
          unexpectedExits: unexpectedExits.length,
        };
        console.log(`#17 two instances: ${JSON.stringify(figures)}`);
        console.log(`#17 trouble: ${trouble.join('; ')}`);
        console.log('#17 answers the tablets got:', Object.fromEntries(answers), 'sync failures (retried):', Object.fromEntries(failures));
        console.log('#17 what the instances logged (warn/error):', serverEvents(marks));
        expect(unexpectedExits).toEqual([]);
        expect(settled).toBe(true);
        expect({ lost, duplicated, gaps, divergent, queued, rejected, unnumbered }).toEqual({
          lost: 0,
          duplicated: 0,
          gaps: 0,
          divergent: 0,
          queued: 0,
          rejected: 0,
          unnumbered: 0,
        });
        expect(acknowledged.size).toBe(made);
        expect(answers.get('500') ?? 0).toBe(0);
        for (const i of instances) expect(i.proc.alive()).toBe(true);
      } finally {
        await check.close();
        for (const d of devices) await d.db.delete();
      }
    },
    150_000 * ROUNDS,
  );
});
