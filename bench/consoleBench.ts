/**
 * The municipal console's figures, over real HTTP against the real server
 * entry (src/server/main.ts as a child process), on SQLite and PostgreSQL:
 *   P9  GET /kommune/api/overview for a municipality of U units and N ideas
 *       (with their evaluations, decisions, learning logs and sessions),
 *       seeded straight into the database through the storage (so the record
 *       facts are written as in production; PostgreSQL then gets the VACUUM
 *       ANALYZE autovacuum would run soon after such a load); per run the
 *       median of 10 requests after a warm-up;
 *   P10 GET /kommune/api/export.csv of all N ideas, read to the end by the
 *       client; the server's RSS (VmRSS) sampled every 20 ms, growth = peak
 *       during the export − RSS just before it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import pg from 'pg';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createAccount } from '../src/server/console/accounts';
import { CLI_ACTOR } from '../src/server/console/audit';
import { setPasswordWithLink } from '../src/server/console/accounts';
import { openPostgresStorage } from '../src/server/storage/postgres';
import { openSqliteStorage } from '../src/server/storage/sqlite';
import type { SyncStorage } from '../src/server/storage/types';
import { startPostgres } from '../tests/server/pgHarness';
import { generateMunicipality, writeMunicipality } from '../tests/server/seedMunicipality';
import { percentile, sleep, startBenchServer, vmRssBytes, withCleanup, type Sizes } from './lib';

type Log = (s: string) => void;
const { Client } = pg;
const DAY = 86_400_000;
const PASSWORD = 'bench passord for konsollen';

export interface ConsoleBenchResult {
  overviewMs: { sqlite: number[]; postgres: number[] };
  exportGrowthMB: { sqlite: number[]; postgres: number[] };
  exportRows: number;
}

async function seed(storage: SyncStorage, sizes: Sizes, log: Log, kind: string): Promise<void> {
  const now = Date.now();
  const t0 = performance.now();
  const municipality = generateMunicipality({
    units: sizes.p9Units,
    ideas: sizes.p9Ideas,
    from: now - 365 * DAY,
    to: now - DAY,
    now,
    seed: 9,
  });
  await writeMunicipality(storage, municipality, 5000);
  const { link } = await createAccount(
    storage,
    { email: 'bench@kommune.no', name: 'Bench', role: 'administrator', unitId: null },
    CLI_ACTOR,
    now,
    'http://bench',
  );
  await setPasswordWithLink(storage, link.url.split('#/password/')[1]!, PASSWORD, now);
  const records = Object.values(municipality as unknown as Record<string, unknown[]>).reduce((n, list) => n + list.length, 0);
  log(
    `  P9 ${kind}: seeded ${sizes.p9Units} units, ${sizes.p9Ideas} ideas (${records} records) in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
}

async function signIn(url: string): Promise<string> {
  const res = await fetch(`${url}/kommune/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: url },
    body: JSON.stringify({ email: 'bench@kommune.no', password: PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  return res.headers.get('set-cookie')!.split(';')[0]!;
}

async function measure(env: Record<string, string>, sizes: Sizes, log: Log, kind: string) {
  return withCleanup(async (defer) => {
    const child = await startBenchServer(env);
    defer(() => child.stop());
    const cookie = await signIn(child.url);
    const now = new Date();
    const to = now.toISOString().slice(0, 7);
    const from = new Date(now.getTime() - 330 * DAY).toISOString().slice(0, 7);
    const overview = async () => {
      const t = performance.now();
      const res = await fetch(`${child.url}/kommune/api/overview?from=${from}&to=${to}`, { headers: { cookie } });
      const body = (await res.json()) as { total?: { ideas: number } };
      if (res.status !== 200 || !body.total) throw new Error(`overview failed: ${res.status}`);
      return { ms: performance.now() - t, ideas: body.total.ideas };
    };
    const first = await overview(); // warm-up (statement caches, page cache)
    const overviewMs: number[] = [];
    for (let run = 0; run < sizes.runs; run++) {
      const times: number[] = [];
      for (let i = 0; i < 10; i++) times.push((await overview()).ms);
      overviewMs.push(percentile(times, 50));
    }
    log(
      `  P9 ${kind}: overview of ${first.ideas} ideas in the period, per-run medians ${overviewMs.map((x) => x.toFixed(0)).join(', ')} ms`,
    );

    const exportGrowthMB: number[] = [];
    let exportRows = 0;
    for (let run = 0; run < sizes.runs; run++) {
      await sleep(200);
      const before = vmRssBytes(child.pid);
      let peak = before;
      const sampler = setInterval(() => {
        try {
          peak = Math.max(peak, vmRssBytes(child.pid));
        } catch {
          // child gone
        }
      }, 20);
      try {
        const res = await fetch(
          `${child.url}/kommune/api/export.csv?dataset=ideas&from=${new Date(now.getTime() - 400 * DAY).toISOString().slice(0, 7)}&to=${to}`,
          { headers: { cookie } },
        );
        if (res.status !== 200 || !res.body) throw new Error(`export failed: ${res.status}`);
        let lines = 0;
        const reader = res.body.getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          for (const byte of value) if (byte === 0x0a) lines++;
        }
        exportRows = lines - 1;
      } finally {
        clearInterval(sampler);
      }
      peak = Math.max(peak, vmRssBytes(child.pid));
      exportGrowthMB.push((peak - before) / 2 ** 20);
    }
    if (exportRows !== sizes.p9Ideas) throw new Error(`P10: the export held ${exportRows} ideas, expected ${sizes.p9Ideas}`);
    log(`  P10 ${kind}: export of ${exportRows} ideas, RSS growth ${exportGrowthMB.map((x) => x.toFixed(1)).join(', ')} MB`);
    return { overviewMs, exportGrowthMB, exportRows };
  });
}

export async function runConsoleBench(sizes: Sizes, log: Log): Promise<ConsoleBenchResult> {
  return withCleanup(async (defer) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'nedenfra-bench-p9-'));
    defer(() => rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'console.sqlite');
    const sqlite = await openSqliteStorage(file);
    await seed(sqlite, sizes, log, 'SQLite').finally(() => sqlite.close());
    const s = await measure({ NEDENFRA_DB: file, DATABASE_URL: '' }, sizes, log, 'SQLite');

    const cluster = await startPostgres();
    defer(() => cluster.stop());
    const url = await cluster.createDatabase(`console_${process.pid}`);
    const postgres = await openPostgresStorage(url);
    await seed(postgres, sizes, log, 'PostgreSQL').finally(() => postgres.close());
    // What autovacuum does within a minute or so of a bulk load: planner statistics and the visibility map.
    // Measured right after a 300,000-row load without them, PostgreSQL plans sorts that spill to disk.
    const admin = new Client({ connectionString: url });
    await admin.connect();
    await admin.query('VACUUM ANALYZE').finally(() => admin.end());
    const p = await measure({ DATABASE_URL: url }, sizes, log, 'PostgreSQL');
    return {
      overviewMs: { sqlite: s.overviewMs, postgres: p.overviewMs },
      exportGrowthMB: { sqlite: s.exportGrowthMB, postgres: p.exportGrowthMB },
      exportRows: s.exportRows,
    };
  });
}
