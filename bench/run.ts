/**
 * `npm run bench` — Nedenfra's performance figures (issue #5), each beside a
 * baseline measured in the same run, with its goal and pass/miss.
 *
 *   npm run bench              full run (≤ 10 min): writes BENCHMARKS.md
 *   npm run bench -- --quick   fewer runs / smaller history (≤ 2 min): writes a temp file
 *   npm run bench -- --smoke   smallest sizes, 1 run (< 60 s, for CI): writes a temp file
 *   npm run bench -- --only=P6,P5   just those figures (any mode): writes a temp file
 *
 * Exits non-zero if any figure could not be produced (a missed goal is not
 * an error: the report says so). Everything started here (servers, the
 * PostgreSQL cluster, Chromium) is stopped again, also on failure.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { chromiumPath } from '../tests/e2e/harness';
import { baselineShell, ROOT, shellWithAndWithoutConsole, type ShellBuild } from './bundle';
import { runBrowserBench, type BrowserResults } from './browserBench';
import { machine, SIZES, stat, type Figure, type Mode } from './lib';
import { runConsoleBench } from './consoleBench';
import { runLimits, runTransfer } from './networkBench';
import { curveSvg } from './chart';
import { runP5, runP6, runP6b, runP6c, runP7, runP8Photos, type CurvePoint } from './serverBench';

const args = process.argv.slice(2);
const mode: Mode = args.includes('--smoke') ? 'smoke' : args.includes('--quick') ? 'quick' : 'full';
const only = args
  .find((a) => a.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
const sizes = SIZES[mode];
const started = Date.now();
const log = (s: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s] ${s}`);

const figures: Figure[] = [];
const failures: string[] = [];

/** Run one part of the bench (unless --only leaves out every figure it produces). */
async function attempt(ids: string[], what: string, fn: () => Promise<void>) {
  if (only && !ids.some((id) => only.includes(id))) return;
  try {
    await fn();
  } catch (e) {
    failures.push(`${what}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    log(`FAILED ${what}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

const fmt = (v: number, unit: Figure['unit']) =>
  unit === 'count' ? String(Math.round(v)) : v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2);

function cell(values: number[], unit: Figure['unit']): string {
  const s = stat(values);
  const u = unit === 'count' ? '' : ` ${unit}`;
  return s.n === 1 || s.min === s.max
    ? `${fmt(s.median, unit)}${u}`
    : `${fmt(s.median, unit)}${u} (${fmt(s.min, unit)}–${fmt(s.max, unit)})`;
}

function row(f: Figure) {
  const value = stat(f.values).median;
  const base = f.baseline ? stat(f.baseline.values).median : undefined;
  const ratio = base !== undefined && base > 0 ? value / base : undefined;
  const judged = f.goalOn === 'ratio' ? ratio : value;
  const pass = judged === undefined || !Number.isFinite(f.goal) ? '—' : judged <= f.goal ? 'pass' : '**miss**';
  return {
    id: f.id,
    name: f.name,
    value: cell(f.values, f.unit),
    baseline: f.baseline ? `${cell(f.baseline.values, f.unit)} — ${f.baseline.name}` : '—',
    ratio: ratio === undefined ? '—' : `${ratio.toFixed(2)}×`,
    goal: f.goalText,
    pass,
  };
}

const loadAtStart = os.loadavg()[0]!;
let composition: ShellBuild['composition'] | undefined;
let curve: CurvePoint[] | undefined;

async function main() {
  log(`mode ${mode}: ${JSON.stringify(sizes)}; load average ${loadAtStart.toFixed(1)}`);

  await attempt(['P5'], 'P5 push', async () => {
    log(`P5: push ${sizes.p5Mutations} mutations with the real engine, ${sizes.runs} runs …`);
    const r = await runP5(sizes, log);
    figures.push({
      id: 'P5',
      name: `Push ${sizes.p5Mutations} mutations, outbox → server → ack (real engine, HTTP, SQLite)`,
      unit: 'ms',
      values: r.engine,
      baseline: { name: 'same rows in one SQLite tx + one HTTP round trip of the same bytes', values: r.baseline },
      goal: 3,
      goalOn: 'ratio',
      goalText: '≤ 3×',
    });
  });

  let rss: { sqlite: number[]; postgres: number[] } | undefined;
  await attempt(['P6', 'P8'], 'P6 burst', async () => {
    log(`P6: burst of ${sizes.p6Tablets} tablets × ${sizes.p6Mutations} mutations, SQLite and PostgreSQL, ${sizes.runs} runs each …`);
    const r = await runP6(sizes, log);
    for (const [kind, label] of [
      ['sqlite', 'SQLite'],
      ['postgres', 'PostgreSQL'],
    ] as const) {
      figures.push({
        id: 'P6',
        name: `Burst ${sizes.p6Tablets}×${sizes.p6Mutations} on ${label}: p99 push latency`,
        unit: 'ms',
        values: r[kind].p99,
        goal: 500,
        goalOn: 'value',
        goalText: '≤ 500 ms',
      });
      figures.push({
        id: 'P6',
        name: `Burst ${sizes.p6Tablets}×${sizes.p6Mutations} on ${label}: mutations lost`,
        unit: 'count',
        values: r[kind].lost,
        goal: 0,
        goalOn: 'value',
        goalText: '0',
      });
    }
    rss = { sqlite: r.sqlite.peakRssMB, postgres: r.postgres.peakRssMB };
  });

  await attempt(['P6b'], 'P6b two processes', async () => {
    log(`P6b: ${sizes.p6bTablets} tablets × ${sizes.p6bMutations} mutations on PostgreSQL, two server processes, ${sizes.p6bRuns} runs …`);
    const r = await runP6b(sizes, log);
    const name = `Burst ${sizes.p6bTablets}×${sizes.p6bMutations} on PostgreSQL, two server processes (round-robin)`;
    figures.push({
      id: 'P6b',
      name: `${name}: p99 push latency`,
      unit: 'ms',
      values: r.p99,
      goal: 2000,
      goalOn: 'value',
      goalText: '≤ 2 s',
    });
    figures.push({ id: 'P6b', name: `${name}: mutations lost`, unit: 'count', values: r.lost, goal: 0, goalOn: 'value', goalText: '0' });
    figures.push({
      id: 'P6b',
      name: `${name}: peak RSS (VmHWM) of the larger process`,
      unit: 'MB',
      values: r.peakRssMB,
      goal: Number.POSITIVE_INFINITY,
      goalOn: 'value',
      goalText: '—',
    });
  });

  await attempt(['P6c'], 'P6c curve', async () => {
    log(`P6c: ${sizes.p6cTablets.join(', ')} tablets × ${sizes.p6cMutations} mutations, SQLite and PostgreSQL, one run per point …`);
    curve = await runP6c(sizes, log);
    for (const p of curve) {
      const label = p.backend === 'sqlite' ? 'SQLite' : 'PostgreSQL';
      const name = `Curve: ${p.tablets} tablets × ${sizes.p6cMutations} on ${label}`;
      figures.push({
        id: 'P6c',
        name: `${name}: p99 push latency`,
        unit: 'ms',
        values: [p.p99],
        goal: Number.POSITIVE_INFINITY,
        goalOn: 'value',
        goalText: '—',
      });
      figures.push({
        id: 'P6c',
        name: `${name}: throughput, mutations/s (${p.lost} lost)`,
        unit: 'count',
        values: [p.throughput],
        goal: Number.POSITIVE_INFINITY,
        goalOn: 'value',
        goalText: '—',
      });
    }
  });

  await attempt(['P7'], 'P7 pull', async () => {
    log(`P7: pull of 10 changes behind ${sizes.p7History} rows of history …`);
    const r = await runP7(sizes, log);
    figures.push({
      id: 'P7',
      name: `Pull 10 new changes with ${sizes.p7History.toLocaleString('en')} rows of history (SQLite)`,
      unit: 'ms',
      values: r.big,
      baseline: { name: `same with ${sizes.p7Baseline.toLocaleString('en')} rows`, values: r.small },
      goal: 1.2,
      goalOn: 'ratio',
      goalText: '≤ 1.2×',
    });
  });

  let web: BrowserResults | undefined;
  await attempt(['P2', 'P3', 'P4', 'P8'], 'browser (P2–P4, photos)', async () => {
    web = await runBrowserBench(sizes, log);
  });

  await attempt(['P1'], 'P1 shell size', async () => {
    log('P1: the shipped build (tablet + console) and the tablet alone, then a baseline build of preact + dexie …');
    const tmp = mkdtempSync(path.join(tmpdir(), 'nedenfra-bench-p1-'));
    let shell: ShellBuild['shell'];
    try {
      ({ shell, composition } = await shellWithAndWithoutConsole(tmp));
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
    const base = await baselineShell();
    const kb = (xs: { gzip: number }[]) => xs.reduce((s, x) => s + x.gzip, 0) / 1024;
    figures.push({
      id: 'P1',
      name: `App shell JS+CSS loaded first, gzipped, identical with and without the console build (${shell.map((s) => path.basename(s.file)).join(', ')})`,
      unit: 'KB',
      values: [kb(shell)],
      baseline: { name: 'preact + dexie alone (vite build)', values: [kb(base)] },
      goal: 60,
      goalOn: 'value',
      goalText: '≤ 60 KB',
      note: 'deterministic: one build',
    });
  });

  if (web) {
    const w = web;
    figures.push({
      id: 'P2',
      name: 'Offline start after a browser restart → interactive capture form (6× CPU throttling)',
      unit: 'ms',
      values: w.p2App,
      baseline: { name: 'the same start of an empty HTML page precached by the same SW', values: w.p2Empty },
      goal: 1000,
      goalOn: 'value',
      goalText: '≤ 1 s',
    });
    figures.push({
      id: 'P3',
      name: `Save → committed (createRecord) with ${sizes.p3Ideas.toLocaleString('en')} ideas stored: p50`,
      unit: 'ms',
      values: w.p3AppP50,
      baseline: { name: 'bare Dexie put, p50', values: w.p3BareP50 },
      goal: Number.POSITIVE_INFINITY,
      goalOn: 'value',
      goalText: '—',
    });
    figures.push({
      id: 'P3',
      name: `Save → committed (createRecord) with ${sizes.p3Ideas.toLocaleString('en')} ideas stored: p95`,
      unit: 'ms',
      values: w.p3AppP95,
      baseline: { name: 'bare Dexie put, p95', values: w.p3BareP95 },
      goal: 50,
      goalOn: 'value',
      goalText: '≤ 50 ms',
    });
    figures.push({
      id: 'P4',
      name: `Board with ${sizes.p4Ideas.toLocaleString('en')} ideas: first render (navigation → rows painted)`,
      unit: 'ms',
      values: w.p4Render,
      goal: 200,
      goalOn: 'value',
      goalText: '≤ 200 ms',
    });
    figures.push({
      id: 'P4',
      name: `Board with ${sizes.p4Ideas.toLocaleString('en')} ideas: all read and counted (navigation → count shown)`,
      unit: 'ms',
      values: w.p4All,
      goal: Number.POSITIVE_INFINITY,
      goalOn: 'value',
      goalText: '—',
    });
    figures.push({
      id: 'P4',
      name: `Board with ${sizes.p4Ideas.toLocaleString('en')} ideas: search (input → filtered list painted)`,
      unit: 'ms',
      values: w.p4Search,
      goal: 100,
      goalOn: 'value',
      goalText: '≤ 100 ms',
    });
  }

  if (rss) {
    figures.push({
      id: 'P8',
      name: 'Server peak RSS (VmHWM) during the P6 burst, SQLite',
      unit: 'MB',
      values: rss.sqlite,
      goal: 150,
      goalOn: 'value',
      goalText: '≤ 150 MB',
    });
    figures.push({
      id: 'P8',
      name: 'Server peak RSS (VmHWM) during the P6 burst, PostgreSQL',
      unit: 'MB',
      values: rss.postgres,
      goal: 150,
      goalOn: 'value',
      goalText: '≤ 150 MB',
    });
  } else if (!only || only.includes('P8')) failures.push('P8 RSS: no P6 burst');

  await attempt(['P8'], 'P8 photo bytes', async () => {
    if (!web) throw new Error('no photos (browser bench failed)');
    const r = await runP8Photos(web.photos, log);
    figures.push({
      id: 'P8',
      name: 'Bytes on disk per photo (1600 px JPEG from preparePhoto, uploaded via the blob endpoint, SQLite)',
      unit: 'KB',
      values: r.perPhoto.map((b) => b / 1024),
      baseline: { name: 'the JPEG itself', values: r.jpeg.map((b) => b / 1024) },
      goal: 300,
      goalOn: 'value',
      goalText: '≤ 300 KB',
    });
  });

  await attempt(['P9', 'P10'], 'P9/P10 console', async () => {
    log(`P9/P10: console overview and CSV export, ${sizes.p9Units} units × ${sizes.p9Ideas} ideas, SQLite and PostgreSQL …`);
    const r = await runConsoleBench(sizes, log);
    for (const [kind, label] of [
      ['sqlite', 'SQLite'],
      ['postgres', 'PostgreSQL'],
    ] as const) {
      figures.push({
        id: 'P9',
        name: `Console overview, ${sizes.p9Units} units × ${sizes.p9Ideas.toLocaleString('en')} ideas, ${label}: answered (HTTP, median)`,
        unit: 'ms',
        values: r.overviewMs[kind],
        goal: 300,
        goalOn: 'value',
        goalText: '≤ 300 ms',
      });
      figures.push({
        id: 'P10',
        name: `CSV export of ${r.exportRows.toLocaleString('en')} ideas, ${label}: server RSS growth`,
        unit: 'MB',
        values: r.exportGrowthMB[kind],
        goal: 50,
        goalOn: 'value',
        goalText: '≤ 50 MB',
      });
    }
  });

  await attempt(['P11'], 'P11 first visit', async () => {
    log('P11: first visit over the server, transfer sizes and throttled FCP/LCP …');
    const t = await runTransfer(sizes, log);
    figures.push({
      id: 'P11',
      name: 'First visit, first screen (page requests until the first-run form shows): bytes on the wire, brotli/gzip',
      unit: 'KB',
      values: [t.firstScreenKB],
      baseline: { name: 'the same responses uncompressed', values: [t.firstScreenRawKB] },
      goal: 70,
      goalOn: 'value',
      goalText: '≤ 70 KB',
      note: 'deterministic: one build',
    });
    figures.push({
      id: 'P11',
      name: 'First visit, whole install (first screen + the service worker precaching the app): bytes on the wire',
      unit: 'KB',
      values: [t.installKB],
      baseline: { name: 'the same responses uncompressed', values: [t.installRawKB] },
      goal: Number.POSITIVE_INFINITY,
      goalOn: 'value',
      goalText: '—',
    });
    figures.push({
      id: 'P11',
      name: 'First visit LCP, Lighthouse mobile throttling (150 ms RTT, 1.6 Mbit/s, 4× CPU)',
      unit: 'ms',
      values: t.lcpMs,
      baseline: { name: 'same, answered uncompressed', values: t.lcpIdentityMs },
      goal: 2500,
      goalOn: 'value',
      goalText: '≤ 2.5 s',
    });
    figures.push({
      id: 'P11',
      name: 'First visit FCP, same throttling',
      unit: 'ms',
      values: t.fcpMs,
      baseline: { name: 'same, answered uncompressed', values: t.fcpIdentityMs },
      goal: 1800,
      goalOn: 'value',
      goalText: '≤ 1.8 s',
    });
  });

  await attempt(['P12'], 'P12 limits under attack', async () => {
    log(`P12: limits under attack against the server child, ${sizes.runs} run(s) …`);
    const r = await runLimits(sizes, log);
    figures.push({
      id: 'P12',
      name: '/health answer time while a client sends a 256 MB body, and during 50 concurrent 19 MB pushes (slowest)',
      unit: 'ms',
      values: r.healthMs,
      goal: 1000,
      goalOn: 'value',
      goalText: '≤ 1 s',
    });
    figures.push({
      id: 'P12',
      name: 'A streamed 256 MB enrollment body: answered 413 after',
      unit: 'ms',
      values: r.refusedMs,
      goal: Number.POSITIVE_INFINITY,
      goalOn: 'value',
      goalText: '—',
    });
    figures.push({
      id: 'P12',
      name: 'Server peak RSS (VmHWM) through the 256 MB body and 2 × 50 concurrent 19 MB pushes',
      unit: 'MB',
      values: r.peakRssMB,
      goal: 300,
      goalOn: 'value',
      goalText: '≤ 300 MB',
    });
    figures.push({
      id: 'P12',
      name: 'Wrong enrollment codes answered for one address before 429 (within a minute)',
      unit: 'count',
      values: r.wrongCodesBefore429,
      goal: 10,
      goalOn: 'value',
      goalText: '≤ 10',
    });
  });

  const order = ['P1', 'P2', 'P3', 'P4', 'P5', 'P6', 'P6b', 'P6c', 'P7', 'P8', 'P9', 'P10', 'P11', 'P12'];
  figures.sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
  const rows = figures.map(row);
  const m = machine(chromiumPath());
  const seconds = (Date.now() - started) / 1000;

  console.log('');
  console.table(
    rows.map((r) => ({
      id: r.id,
      figure: r.name.slice(0, 70),
      value: r.value,
      baseline: r.baseline.split(' — ')[0],
      ratio: r.ratio,
      goal: r.goal,
      result: r.pass.replace(/\*/g, ''),
    })),
  );

  const toFile = mode === 'full' && !only;
  const chartFile = toFile ? path.join(ROOT, 'docs/benchmarks-p6c.svg') : path.join(tmpdir(), `nedenfra-benchmarks-${mode}-p6c.svg`);
  if (curve) writeFileSync(chartFile, curveSvg(curve, sizes.p6cMutations));
  const md = [
    '# Nedenfra benchmarks',
    '',
    `Produced by \`npm run bench${mode === 'full' ? '' : ` -- --${mode}`}\` (bench/run.ts) on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC in ${seconds.toFixed(0)} s.`,
    mode === 'full'
      ? `Each figure is the median of ${sizes.runs} runs with min–max in parentheses (P1 is one deterministic build). Every baseline was measured in the same run.`
      : `**${mode} mode**: ${sizes.runs} run(s) and reduced sizes (${JSON.stringify(sizes)}); not comparable with the full run.`,
    '',
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.ramGiB} GiB RAM, ${m.os}; Node ${m.node}; ${m.chromium} (headless, via playwright-core). Load average (1 min) at start ${loadAtStart.toFixed(1)}, at end ${os.loadavg()[0]!.toFixed(1)}: other work on the machine shows up as spread between runs.`,
    '',
    '| id | figure | value | baseline (same run) | ratio | goal | result |',
    '|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.id} | ${r.name} | ${r.value} | ${r.baseline} | ${r.ratio} | ${r.goal} | ${r.pass} |`),
    '',
    ...(curve
      ? [
          '## P6c: latency and throughput against tablets pushing at once',
          '',
          `![P6c: p99 push latency and throughput for ${sizes.p6cTablets.join(', ')} tablets × ${sizes.p6cMutations} mutations, SQLite and PostgreSQL, one server process](${toFile ? 'docs/benchmarks-p6c.svg' : chartFile})`,
          '',
        ]
      : []),
    ...(composition
      ? [
          '## What the P1 shell is made of',
          '',
          '| from | minified | gzipped (≈, by share of its chunk) |',
          '|---|---|---|',
          ...composition.map((c) => `| ${c.what} | ${(c.minified / 1024).toFixed(1)} KB | ${(c.gzip / 1024).toFixed(1)} KB |`),
          '',
        ]
      : []),
    '## How each figure is measured',
    '',
    "- **P1** builds what `npm run build` ships into a temp dir (the tablet with vite.config.ts, then the console with vite.console.config.ts into the same folder), parses its `index.html` (entry script, modulepreloads, stylesheets) and gzips each file (level 9). The tablet built alone must give the same shell, file for file and byte for byte, and its service worker must precache nothing of the console, or P1 fails. Composition: each module's share of its chunk's bytes (rolldown's rendered lengths), summed per package. Baseline: a tiny page that imports and uses preact and dexie, built with the same vite into a temp dir.",
    "- **P2** builds the app into a temp dir and serves it with `vite preview`; Chromium on a persistent profile (its own user data dir) completes first run and visits the baseline page online, then Chromium is closed and the server stopped. Per run, Chromium starts again on that profile, offline, with `Emulation.setCPUThrottlingRate` 6 over CDP, opens `#/capture` and polls every animation frame until `#capture-impossibleNow` is present, enabled and laid out (time = `performance.now()` in the document, i.e. from navigation start; the page must be controlled by the service worker, which starts cold). Baseline: the same restart opening an empty HTML page that the bench emits into its build of the app, so the same service worker precaches and serves it (time = its `loadEventEnd`; animation-frame polling would add Chromium's paint holding for a near-blank page). The first start after setup is discarded.",
    '- **P3** runs in a bench-only page (`bench/browser/`, its own vite build) in Chromium: a `NedenfraDb` seeded with N ideas (+ syncMeta) in one bulk transaction, then `createRecord` timed per save until its transaction committed (strict durability), interleaved with a bare `put` into a Dexie table of the same N rows (also strict durability).',
    '- **P4** seeds the app\'s own IndexedDB with N ideas cloned from one saved through the capture form, then in the page: `#/capture` → `#/board`, timed until the first `.idea-row` exists and a frame was painted (the board paints its newest 20 ideas before it reads all of them); "all read": until the count shows all N ideas and a frame was painted; search: `input` event on the search field → count text changed and a frame painted. One warm-up navigation is discarded; no CPU throttling.',
    '- **P5** enrolls a tablet (fake-indexeddb in Node, the real `syncOnce`) with the real server app on a SQLite file over HTTP on 127.0.0.1, queues N ideas with `createRecord`, and times `syncOnce` until the engine reports all N acknowledged (after its ack transaction). Baseline: the rows the server stored, inserted in one transaction into a fresh SQLite file with the same pragmas (WAL, synchronous=FULL), plus one HTTP POST of the same number of request bytes to a trivial loopback server.',
    '- **P6** builds the server as `npm run build` does (scripts/buildServer.ts: src/server/main.ts bundled into one file) and starts it with plain node, as `npm start` does, as a child process on 127.0.0.1, on a fresh SQLite file or a fresh database in a throw-away PostgreSQL 15 cluster (tests/server/pgHarness.ts). Each simulated tablet is enrolled with its own one-time code and token (10 tablets per unit), then all push their M queued ideas at once (one batch each, as the engine sends ≤ 500). Latency per request; at most 4 attempts per tablet with backoff; "lost" = expected − min(acknowledged, rows stored in the database after the server stopped). Tablets speak the protocol directly rather than run 200 engines on the same 2 cores.',
    "- **P6b** is P6 with 1,000 tablets × 20 mutations on PostgreSQL and two server processes on the same database; the bench is their round-robin (attempt k of tablet i goes to process (i + k) mod 2, so a retry goes to the other one), enrollment included. Peak RSS is the larger of the two processes' VmHWM.",
    '- **P6c** is P6 with one server process, 20 mutations per tablet and 50, 200, 500 and 1,000 tablets, once per point on each database; throughput = acknowledged mutations / wall time of the burst (first push sent → last answer). The chart is drawn by bench/chart.ts.',
    "- **P7** bulk-loads the history straight into the SQLite `records` table (half of it another unit's), then times `GET /api/v1/pull` of 10 changes just pushed by another tablet (median of 20 requests per run, after one warm-up request).",
    "- **P9** seeds a municipality of U units and N ideas (with their evaluations, decisions — some superseded, some drafts — learning logs and prompt sessions; tests/server/seedMunicipality.ts) straight into a fresh SQLite file and a fresh PostgreSQL database through the storage (so the record facts are written as in production; on PostgreSQL followed by the `VACUUM ANALYZE` autovacuum would run soon after such a load), starts the real server entry as a child process and times `GET /kommune/api/overview` for the last eleven months over HTTP with an administrator's session: one warm-up request, then per run the median of 10.",
    "- **P10** times nothing: it reads `GET /kommune/api/export.csv?dataset=ideas` for all N ideas to the end (checking every idea is in it) while sampling the server child's `/proc/<pid>/status` VmRSS every 20 ms; growth = peak during the export − VmRSS just before it.",
    "- **P11** serves a build of the app (dist/ when current) with the real server app (`createApp`, static files with their brotli/gzip twins) on 127.0.0.1 and opens it in a fresh Chromium context: bytes on the wire are Playwright's `request.sizes()` (response headers + encoded body) per response, \"uncompressed\" the same headers plus the decoded body. First screen: the page's own responses until the first-run heading is visible; install: every response including the service worker's precache until it is ready. FCP (`first-contentful-paint`) and LCP (a buffered `largest-contentful-paint` observer) come from a fresh context with Lighthouse's mobile throttling applied over CDP (`Network.emulateNetworkConditions` 150 ms, 1.6 Mbit/s down, 750 kbit/s up; `Emulation.setCPUThrottlingRate` 4); baseline: the same with the server reading every request as if it had no `Accept-Encoding` (Chromium does not let a page change that header). Lighthouse itself is not part of the toolchain; this is the measurement its mobile preset simulates.",
    "- **P12** starts the real server entry as a child process on SQLite, enrolls one tablet, then: streams 256 MB (chunked, 1 MiB writes) at `POST /api/v1/enroll` while timing `/health` five times; 50 concurrent 19 MB pushes with an unknown token, then 50 with the enrolled tablet's token, timing `/health` during each; peak RSS is the child's VmHWM afterwards; then posts wrong enrollment codes one after another from the same address until the first 429 (at most a minute) and counts the answers before it.",
    "- **P8** samples `/proc/<pid>/status` VmHWM of the P6 server child every 50 ms; photo: a 4000×3000 camera-like image (gradients, shapes, text, per-pixel noise) through the app's own `preparePhoto` in Chromium (→ 1600 px JPEG, quality 0.85), uploaded in the engine's 256 KiB chunks through `PUT /api/v1/blobs/:sha256`; growth of the SQLite file (+ WAL) per photo after the storage was closed.",
    '',
    readFileSync(path.join(ROOT, 'bench/diagnosis.md'), 'utf8'),
  ].join('\n');

  const out = mode === 'full' && !only ? path.join(ROOT, 'BENCHMARKS.md') : path.join(tmpdir(), `nedenfra-benchmarks-${mode}.md`);
  if (failures.length === 0 || mode !== 'full' || only) writeFileSync(out, md);
  else writeFileSync(path.join(tmpdir(), 'nedenfra-benchmarks-failed.md'), md);
  log(
    `report: ${failures.length === 0 || mode !== 'full' || only ? out : path.join(tmpdir(), 'nedenfra-benchmarks-failed.md')} (${seconds.toFixed(0)} s)`,
  );
  if (failures.length) {
    console.error(`\n${failures.length} figure(s) could not be produced:\n${failures.join('\n\n')}`);
    process.exitCode = 1;
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
