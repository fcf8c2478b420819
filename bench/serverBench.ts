/**
 * Server figures, all over real HTTP on 127.0.0.1:
 *   P5 push N mutations with the REAL client engine (syncOnce on fake-indexeddb
 *      in Node) to the real server app on SQLite, timed outbox → server → ack;
 *      baseline: the same rows in one SQLite transaction + one HTTP round trip
 *      of the same request bytes;
 *   P6 end-of-shift burst: T tablets × M mutations at once against the real
 *      server entry (src/server/main.ts) as a child process, on SQLite and on
 *      PostgreSQL; every tablet enrolled with its own code/token; bounded retries;
 *   P7 pull of 10 new changes behind H rows of history bulk-loaded straight
 *      into SQLite, beside the same with 1,000 rows;
 *   P8 the server child's peak RSS (VmHWM) during P6; bytes on disk per photo
 *      uploaded through the blob endpoint in the engine's chunk size.
 * Tablets in P6/P8 speak the protocol directly (like tests/server/helpers.ts):
 * 200 engines on fake-indexeddb would compete with the server for 2 cores.
 */
import 'fake-indexeddb/auto';
import { serve } from '@hono/node-server';
import Database from 'better-sqlite3';
import { createServer } from 'node:http';
import { mkdtempSync, rmSync, statSync, existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { formatHlc, newId, PROTOCOL_VERSION, sha256Hex, type EnrollResponse, type MutationInput, type PushResponse } from '../src/domain';
import { NedenfraDb } from '../src/data/db';
import { commit, type Change } from '../src/data/repository';
import { DEFAULT_CHUNK_BYTES } from '../src/data/sync/blobs';
import { syncOnce } from '../src/data/sync/engine';
import { enrollDevice } from '../src/data/sync/enrollment';
import type { Transport } from '../src/data/sync/transport';
import { createEnrollmentCode, createUnit } from '../src/server/admin';
import { createApp } from '../src/server/app';
import { jsonLogger } from '../src/server/log';
import { SQLITE_MIGRATIONS } from '../src/server/storage/migrations';
import { openPostgresStorage } from '../src/server/storage/postgres';
import { openSqliteStorage } from '../src/server/storage/sqlite';
import type { SyncStorage } from '../src/server/storage/types';
import { startPostgres, type PgCluster } from '../tests/server/pgHarness';
import { percentile, sleep, startBenchServer, withCleanup, type Sizes } from './lib';
import { peakRssBytes } from '../tests/server/serverProcess';

type Log = (s: string) => void;

/** The real app on a real socket, in this process (P5, P7, P8 photo). Logs are formatted, then dropped. */
async function serveInProcess(storage: SyncStorage): Promise<{ url: string; close: () => Promise<void>; pushMs: () => number }> {
  // Lines are formatted (as in production), then only the push durations are kept.
  let pushMs = 0;
  const app = createApp({
    storage,
    log: jsonLogger((line) => {
      if (line.includes('"event":"push"')) pushMs += Number((JSON.parse(line) as { durationMs?: number }).durationMs ?? 0);
    }),
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((r) => server.close(() => r())), pushMs: () => pushMs };
}

async function postJson<T>(url: string, body: unknown, token?: string, timeoutMs = 30_000): Promise<{ status: number; body: T }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  return { status: res.status, body: (await res.json()) as T };
}

async function enrollRaw(url: string, code: string): Promise<EnrollResponse> {
  const r = await postJson<EnrollResponse>(`${url}/api/v1/enroll`, {
    protocol: PROTOCOL_VERSION,
    code,
    deviceLabel: 'bench tablet',
    appVersion: 'bench',
  });
  if (r.status !== 200) throw new Error(`enroll failed: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

/** A protocol-level tablet's queued ideas, as the engine would send them. */
function ideaMutations(deviceId: string, firstSeq: number, n: number): MutationInput[] {
  const out: MutationInput[] = [];
  const now = Date.now();
  for (let i = 0; i < n; i++) {
    const id = newId(now);
    out.push({
      mutationId: newId(now),
      seq: firstSeq + i,
      table: 'ideas',
      op: 'create',
      recordId: id,
      fields: {
        id,
        createdAt: new Date(now).toISOString(),
        impossibleNow: `Vi får ikke tak i vikar før klokka ti, så morgenstellet tar for lang tid (${i})`,
        wouldChange: 'Beboerne kunne stått opp når de selv ville',
      },
      hlc: formatHlc({ wall: now, counter: i, node: deviceId }),
      schemaVersion: 1,
    });
  }
  return out;
}

// ------------------------------------------------------------------- P5

export interface P5Result {
  engine: number[];
  baseline: number[];
}

export async function runP5(sizes: Sizes, log: Log): Promise<P5Result> {
  return withCleanup(async (defer) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'nedenfra-bench-p5-'));
    defer(() => rmSync(dir, { recursive: true, force: true }));
    const storage = await openSqliteStorage(path.join(dir, 'server.sqlite'));
    defer(() => storage.close());
    const server = await serveInProcess(storage);
    defer(server.close);
    const echo = await echoServer();
    defer(echo.close);
    const unit = await createUnit(storage, { municipality: 'Benkvik kommune', name: 'Hjemmetjenesten' });
    const engine: number[] = [];
    const baseline: number[] = [];
    for (let run = 0; run < sizes.runs; run++) {
      const db = new NedenfraDb(`bench-p5-${newId()}`);
      await db.open();
      let bytes = 0;
      let requests = 0;
      const transport: Transport = {
        async fetch(req) {
          if (req.method === 'POST' && req.url.endsWith('/push')) {
            bytes += (await req.clone().arrayBuffer()).byteLength;
            requests++;
          }
          return fetch(req);
        },
      };
      const { code } = await createEnrollmentCode(storage, { unitId: unit.id });
      await enrollDevice(db, transport, { serverUrl: server.url, code });
      await syncOnce(db, transport); // settle: first pull, resync flag cleared
      bytes = 0;
      requests = 0;
      // Queue N ideas through the real repository (one commit per 100, for setup speed; each still gets its own outbox row).
      for (let i = 0; i < sizes.p5Mutations; i += 100) {
        const changes: Change[] = [];
        for (let j = i; j < Math.min(i + 100, sizes.p5Mutations); j++)
          changes.push({
            op: 'create',
            table: 'ideas',
            data: {
              id: newId(),
              createdAt: new Date().toISOString(),
              unitId: unit.id,
              impossibleNow: `Vi får ikke tak i vikar før klokka ti (${j})`,
              wouldChange: 'Beboerne kunne stått opp når de selv ville',
            },
          });
        await commit(db, changes);
      }
      const queued = await db.outbox.count();
      if (queued !== sizes.p5Mutations) throw new Error(`outbox holds ${queued}, expected ${sizes.p5Mutations}`);
      let acked = 0;
      const serverBefore = server.pushMs();
      const t0 = performance.now();
      await syncOnce(db, transport, {
        onProgress: (p) => {
          if (p.pushed >= sizes.p5Mutations && acked === 0) acked = performance.now() - t0;
        },
      });
      if (acked === 0 || (await db.outbox.count()) !== 0) throw new Error('P5: the engine did not acknowledge every mutation');
      db.close();
      // Baseline: the rows the server now holds, in one transaction of a fresh SQLite file, + one round trip of the same bytes.
      const rows = await storage.read((tx) => tx.listRecords('ideas'));
      const mine = rows.slice(-sizes.p5Mutations);
      const base = baselineInsert(path.join(dir, `baseline-${run}.sqlite`), mine);
      const rt = await echo.roundTrip(bytes);
      engine.push(acked);
      baseline.push(base + rt);
      log(
        `  P5 run ${run + 1}: engine ${acked.toFixed(0)} ms (${requests} pushes, ${(bytes / 1024).toFixed(0)} KB, server push handler ${server.pushMs() - serverBefore} ms); baseline ${base.toFixed(1)} ms SQL + ${rt.toFixed(1)} ms HTTP`,
      );
    }
    return { engine, baseline };
  });
}

function baselineInsert(
  file: string,
  rows: Array<{ table: string; id: string; unitId: string; data: unknown; clocks: unknown; deleted: boolean; serverSeq: number | null }>,
): number {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec(SQLITE_MIGRATIONS[0]!);
    const stmt = db.prepare(
      'INSERT INTO records (table_name, id, unit_id, data, clocks, deleted, server_seq) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    const t0 = performance.now();
    db.transaction(() => {
      for (const r of rows)
        stmt.run(r.table, r.id, r.unitId, JSON.stringify(r.data), JSON.stringify(r.clocks), r.deleted ? 1 : 0, r.serverSeq);
    })();
    return performance.now() - t0;
  } finally {
    db.close();
  }
}

async function echoServer() {
  const server = createServer((req, res) => {
    let n = 0;
    req.on('data', (d: Buffer) => (n += d.length));
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ received: n })));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return {
    async roundTrip(bytes: number): Promise<number> {
      const body = Buffer.alloc(bytes, 0x61);
      const t0 = performance.now();
      const res = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
      await res.json();
      return performance.now() - t0;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

// ------------------------------------------------------------------- P6 + P8 (RSS)

export interface P6Result {
  p99: number[];
  lost: number[];
  peakRssMB: number[];
  wallMs: number[];
}

interface Backend {
  kind: 'sqlite' | 'postgres';
  /** A fresh database: returns the env for the child and a storage opened on it (for setup and the final count). */
  fresh(run: number): Promise<{ env: Record<string, string>; open: () => Promise<SyncStorage> }>;
}

/** One burst: how many tablets, mutations each, and server processes sharing the database. */
interface Burst {
  tablets: number;
  mutations: number;
  processes: number;
}

async function burstRun(backend: Backend, run: number, burst: Burst, log: Log, label = 'P6') {
  const { env, open } = await backend.fresh(run);
  const setup = await open();
  const codes: string[] = [];
  try {
    const units = await Promise.all(
      Array.from({ length: Math.max(1, Math.floor(burst.tablets / 10)) }, (_, i) =>
        createUnit(setup, { municipality: 'Benkvik kommune', name: `Avdeling ${i + 1}` }),
      ),
    );
    for (let i = 0; i < burst.tablets; i += 10)
      codes.push(
        ...(await Promise.all(
          Array.from(
            { length: Math.min(10, burst.tablets - i) },
            async (_, j) => (await createEnrollmentCode(setup, { unitId: units[(i + j) % units.length]!.id })).code,
          ),
        )),
      );
  } finally {
    await setup.close();
  }
  return withCleanup(async (defer) => {
    // Two or more processes share the database; the bench is their round-robin: attempt k of tablet i goes to process (i + k) mod n.
    const children = await Promise.all(Array.from({ length: burst.processes }, () => startBenchServer(env)));
    for (const child of children) defer(() => child.stop());
    const urlFor = (i: number) => children[i % children.length]!.url;
    // Enrollment is not part of the burst: 10 at a time.
    const tablets: EnrollResponse[] = [];
    for (let i = 0; i < codes.length; i += 10)
      tablets.push(...(await Promise.all(codes.slice(i, i + 10).map((c, j) => enrollRaw(urlFor(i + j), c)))));
    const bodies = tablets.map((t) => ({
      token: t.token,
      body: {
        protocol: PROTOCOL_VERSION,
        epoch: t.epoch,
        ackedThrough: 0,
        resync: false,
        appVersion: 'bench',
        mutations: ideaMutations(t.deviceId, 1, burst.mutations),
      },
    }));
    const peaks = children.map((c) => peakRssBytes(c.pid));
    const sample = () =>
      children.forEach((c, i) => {
        try {
          peaks[i] = Math.max(peaks[i]!, peakRssBytes(c.pid));
        } catch {
          // child gone
        }
      });
    const sampler = setInterval(sample, 50);
    defer(() => clearInterval(sampler));
    const latencies: number[] = [];
    let acked = 0;
    let failures = 0;
    const t0 = performance.now();
    await Promise.all(
      bodies.map(async ({ token, body }, i) => {
        // Bounded: at most 4 attempts, like the engine's backoff (shortened).
        for (let attempt = 0; attempt < 4; attempt++) {
          const t = performance.now();
          try {
            const r = await postJson<PushResponse>(`${urlFor(i + attempt)}/api/v1/push`, body, token, 60_000);
            latencies.push(performance.now() - t);
            if (r.status === 200) {
              acked += r.body.results.filter((x) => x.status === 'applied' || x.status === 'duplicate').length;
              return;
            }
          } catch {
            latencies.push(performance.now() - t);
          }
          failures++;
          await sleep(200 * 2 ** attempt);
        }
      }),
    );
    const wall = performance.now() - t0;
    sample();
    clearInterval(sampler);
    await Promise.all(children.map((c) => c.stop()));
    const check = await open();
    let stored: number;
    try {
      stored = (await check.read((tx) => tx.listRecords('ideas'))).length;
    } finally {
      await check.close();
    }
    const expected = burst.tablets * burst.mutations;
    const lost = expected - Math.min(stored, acked);
    const p99 = percentile(latencies, 99);
    const peak = Math.max(...peaks);
    log(
      `  ${label} ${backend.kind} ${burst.tablets}×${burst.mutations}${burst.processes > 1 ? ` on ${burst.processes} processes` : ''} run ${run + 1}: ${acked}/${expected} acked, ${stored} stored, ${failures} retries, p50 ${percentile(latencies, 50).toFixed(0)} / p99 ${p99.toFixed(0)} ms, wall ${wall.toFixed(0)} ms, ${((acked / wall) * 1000).toFixed(0)} mutations/s, peak RSS ${peaks.map((b) => (b / 2 ** 20).toFixed(0)).join(' + ')} MB`,
    );
    return { p99, lost, peakRssMB: peak / 2 ** 20, wallMs: wall, throughput: (acked / wall) * 1000 };
  });
}

/** SQLite files in `dir`, databases in a throw-away PostgreSQL cluster (stopped by `defer`). */
async function backends(dir: string, defer: (c: () => unknown) => void): Promise<{ sqlite: Backend; postgres: Backend }> {
  let fresh = 0;
  const sqlite: Backend = {
    kind: 'sqlite',
    async fresh() {
      const file = path.join(dir, `burst-${fresh++}.sqlite`);
      return { env: { NEDENFRA_DB: file, DATABASE_URL: '' }, open: () => openSqliteStorage(file) };
    },
  };
  const cluster: PgCluster = await startPostgres();
  defer(() => cluster.stop());
  const postgres: Backend = {
    kind: 'postgres',
    async fresh() {
      const url = await cluster.createDatabase(`burst_${fresh++}_${process.pid}`);
      return { env: { DATABASE_URL: url }, open: () => openPostgresStorage(url) };
    },
  };
  return { sqlite, postgres };
}

export async function runP6(sizes: Sizes, log: Log): Promise<{ sqlite: P6Result; postgres: P6Result }> {
  return withCleanup(async (defer) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'nedenfra-bench-p6-'));
    defer(() => rmSync(dir, { recursive: true, force: true }));
    const { sqlite, postgres } = await backends(dir, defer);
    const out = {} as { sqlite: P6Result; postgres: P6Result };
    for (const backend of [sqlite, postgres]) {
      const r: P6Result = { p99: [], lost: [], peakRssMB: [], wallMs: [] };
      for (let run = 0; run < sizes.runs; run++) {
        const x = await burstRun(backend, run, { tablets: sizes.p6Tablets, mutations: sizes.p6Mutations, processes: 1 }, log);
        r.p99.push(x.p99);
        r.lost.push(x.lost);
        r.peakRssMB.push(x.peakRssMB);
        r.wallMs.push(x.wallMs);
      }
      out[backend.kind] = r;
    }
    return out;
  });
}

/** P6b: a whole municipality at shift change on PostgreSQL, two server processes sharing the database. */
export async function runP6b(sizes: Sizes, log: Log): Promise<P6Result> {
  return withCleanup(async (defer) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'nedenfra-bench-p6b-'));
    defer(() => rmSync(dir, { recursive: true, force: true }));
    const { postgres } = await backends(dir, defer);
    const r: P6Result = { p99: [], lost: [], peakRssMB: [], wallMs: [] };
    for (let run = 0; run < sizes.p6bRuns; run++) {
      const x = await burstRun(postgres, run, { tablets: sizes.p6bTablets, mutations: sizes.p6bMutations, processes: 2 }, log, 'P6b');
      r.p99.push(x.p99);
      r.lost.push(x.lost);
      r.peakRssMB.push(x.peakRssMB);
      r.wallMs.push(x.wallMs);
    }
    return r;
  });
}

export interface CurvePoint {
  backend: 'sqlite' | 'postgres';
  tablets: number;
  p99: number;
  /** Acknowledged mutations per second over the burst's wall time. */
  throughput: number;
  lost: number;
}

/** P6c: p99 and throughput against the number of tablets, one server process, both databases (one run per point). */
export async function runP6c(sizes: Sizes, log: Log): Promise<CurvePoint[]> {
  return withCleanup(async (defer) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'nedenfra-bench-p6c-'));
    defer(() => rmSync(dir, { recursive: true, force: true }));
    const both = await backends(dir, defer);
    const points: CurvePoint[] = [];
    for (const backend of [both.sqlite, both.postgres])
      for (const tablets of sizes.p6cTablets) {
        const x = await burstRun(backend, 0, { tablets, mutations: sizes.p6cMutations, processes: 1 }, log, 'P6c');
        points.push({ backend: backend.kind, tablets, p99: x.p99, throughput: x.throughput, lost: x.lost });
      }
    return points;
  });
}

// ------------------------------------------------------------------- P7

async function pullSetup(history: number, dir: string, name: string, log: Log) {
  const file = path.join(dir, `${name}.sqlite`);
  const setup = await openSqliteStorage(file);
  const unit = await createUnit(setup, { municipality: 'Benkvik kommune', name: 'Renovasjon' });
  const other = await createUnit(setup, { municipality: 'Benkvik kommune', name: 'Skole' });
  const codes = [
    (await createEnrollmentCode(setup, { unitId: unit.id })).code,
    (await createEnrollmentCode(setup, { unitId: unit.id })).code,
  ];
  await setup.close();
  // Fast path: history straight into the records table, in one transaction.
  const t0 = performance.now();
  const raw = new Database(file);
  try {
    // Bench fast path only: no fsync while loading (the server reopens the file with its own pragmas).
    raw.pragma('synchronous = OFF');
    raw.pragma('cache_size = -262144');
    const start = Number((raw.prepare('SELECT server_seq FROM server_state WHERE id = 1').get() as { server_seq: number }).server_seq);
    const stmt = raw.prepare(
      'INSERT INTO records (table_name, id, unit_id, data, clocks, deleted, server_seq) VALUES (?, ?, ?, ?, ?, 0, ?)',
    );
    const hlc = formatHlc({ wall: Date.now() - 86_400_000, counter: 0, node: 'history' });
    const clocks = JSON.stringify(
      Object.fromEntries(
        ['id', 'unitId', 'createdAt', 'impossibleNow', 'wouldChange', 'status', 'photos', 'beneficiaries', 'sessionId'].map((k) => [
          k,
          hlc,
        ]),
      ),
    );
    raw.transaction(() => {
      for (let i = 0; i < history; i++) {
        const id = newId(Date.now() - 86_400_000 + i);
        const u = i % 2 === 0 ? unit.id : other.id;
        const data = `{"id":"${id}","unitId":"${u}","createdAt":"2025-01-01T00:00:00.000Z","impossibleNow":"Historisk idé nummer ${i} om vaktlister og nøkkelskap","wouldChange":"Mindre venting","status":"new","photos":[],"beneficiaries":[],"sessionId":null}`;
        stmt.run('ideas', id, u, data, clocks, start + 1 + i);
      }
      raw.prepare('UPDATE server_state SET server_seq = ? WHERE id = 1').run(start + history);
    })();
  } finally {
    raw.close();
  }
  log(`  P7 ${name}: loaded ${history} rows in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return { file, codes };
}

async function measurePulls(file: string, codes: string[], runs: number, log: Log, name: string): Promise<number[]> {
  return withCleanup(async (defer) => {
    const storage = await openSqliteStorage(file);
    defer(() => storage.close());
    const server = await serveInProcess(storage);
    defer(server.close);
    const writer = await enrollRaw(server.url, codes[0]!);
    const reader = await enrollRaw(server.url, codes[1]!);
    let cursor = (await storage.read((tx) => tx.state())).serverSeq;
    let seq = 0;
    const out: number[] = [];
    for (let run = 0; run < runs + 1; run++) {
      const muts = ideaMutations(writer.deviceId, seq + 1, 10);
      const p = await postJson<PushResponse>(
        `${server.url}/api/v1/push`,
        { protocol: PROTOCOL_VERSION, epoch: writer.epoch, ackedThrough: seq, resync: false, appVersion: 'bench', mutations: muts },
        writer.token,
      );
      if (p.status !== 200) throw new Error(`P7 push failed: ${p.status}`);
      seq += 10;
      const q = `${server.url}/api/v1/pull?protocol=${PROTOCOL_VERSION}&epoch=${reader.epoch}&cursor=${cursor}&limit=500`;
      const times: number[] = [];
      let next = cursor;
      for (let i = 0; i < 21; i++) {
        const t = performance.now();
        const res = await fetch(q, { headers: { authorization: `Bearer ${reader.token}` } });
        const body = (await res.json()) as { changes: unknown[]; cursor: number; hasMore: boolean };
        times.push(performance.now() - t);
        if (res.status !== 200 || body.changes.length !== 10 || body.hasMore)
          throw new Error(`P7 pull returned ${res.status}, ${body.changes?.length} changes`);
        next = body.cursor;
      }
      cursor = next;
      if (run === 0) continue; // warm-up
      out.push(percentile(times.slice(1), 50));
    }
    log(`  P7 ${name}: pull of 10 changes, per-run medians ${out.map((x) => x.toFixed(2)).join(', ')} ms`);
    return out;
  });
}

export async function runP7(sizes: Sizes, log: Log): Promise<{ big: number[]; small: number[] }> {
  return withCleanup(async (defer) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'nedenfra-bench-p7-'));
    defer(() => rmSync(dir, { recursive: true, force: true }));
    const small = await pullSetup(sizes.p7Baseline, dir, 'small', log);
    const big = await pullSetup(sizes.p7History, dir, 'big', log);
    // Alternate so drift on the machine hits both.
    const s = await measurePulls(small.file, small.codes, sizes.runs, log, `${sizes.p7Baseline} rows`);
    const b = await measurePulls(big.file, big.codes, sizes.runs, log, `${sizes.p7History} rows`);
    return { big: b, small: s };
  });
}

// ------------------------------------------------------------------- P8 photo

const onDisk = (file: string) =>
  ['', '-wal', '-shm'].reduce((sum, suffix) => sum + (existsSync(file + suffix) ? statSync(file + suffix).size : 0), 0);

/** Upload each photo in the engine's chunk size; on-disk growth of the SQLite file per photo (after close = checkpoint). */
export async function runP8Photos(photos: Buffer[], log: Log): Promise<{ perPhoto: number[]; jpeg: number[] }> {
  return withCleanup(async (defer) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'nedenfra-bench-p8-'));
    defer(() => rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'server.sqlite');
    const setup = await openSqliteStorage(file);
    const unit = await createUnit(setup, { municipality: 'Benkvik kommune', name: 'Renovasjon' });
    const code = (await createEnrollmentCode(setup, { unitId: unit.id })).code;
    await setup.close();
    const perPhoto: number[] = [];
    let before = onDisk(file);
    for (const photo of photos) {
      const storage = await openSqliteStorage(file);
      try {
        const server = await serveInProcess(storage);
        try {
          const t = await enrollRaw(server.url, code).catch(async () =>
            enrollRaw(server.url, (await createEnrollmentCode(storage, { unitId: unit.id })).code),
          );
          const sha = await sha256Hex(photo);
          for (let offset = 0; offset < photo.length; offset += DEFAULT_CHUNK_BYTES) {
            const chunk = photo.subarray(offset, offset + DEFAULT_CHUNK_BYTES);
            const res = await fetch(`${server.url}/api/v1/blobs/${sha}?offset=${offset}&total=${photo.length}`, {
              method: 'PUT',
              headers: { authorization: `Bearer ${t.token}`, 'content-type': 'application/octet-stream' },
              body: new Uint8Array(chunk),
            });
            if (res.status !== 200) throw new Error(`blob PUT ${res.status}: ${await res.text()}`);
            await res.arrayBuffer();
          }
          const get = await fetch(`${server.url}/api/v1/blobs/${sha}`);
          if (get.status !== 200 || Buffer.compare(Buffer.from(await get.arrayBuffer()), photo) !== 0)
            throw new Error('blob did not round-trip');
        } finally {
          await server.close();
        }
      } finally {
        await storage.close();
      }
      const after = onDisk(file);
      perPhoto.push(after - before);
      before = after;
    }
    log(
      `  P8 photos: JPEG ${photos.map((p) => (p.length / 1024).toFixed(0)).join(', ')} KB; on disk ${perPhoto.map((p) => (p / 1024).toFixed(0)).join(', ')} KB`,
    );
    return { perPhoto, jpeg: photos.map((p) => p.length) };
  });
}
