/**
 * Figures for a server on a municipal network (issue #10):
 *   P11 what the first visit downloads: the first screen (page requests until
 *       the first-run form shows) and the whole install (with the service
 *       worker's precache), bytes on the wire with brotli/gzip beside the same
 *       files uncompressed; first visit FCP/LCP with Lighthouse's mobile
 *       throttling (150 ms RTT, 1.6 Mbit/s, 4× CPU), compressed beside the
 *       same server answering as to a browser that accepts no compression;
 *   P12 limits under attack, against the real server entry as a child process:
 *       /health while one client sends a 256 MB body (and how fast that body is
 *       refused), peak RSS through that and 50 concurrent 19 MB pushes
 *       (unauthenticated, then from one enrolled tablet), and how many wrong
 *       enrollment codes one address gets answered before 429.
 */
import { serve } from '@hono/node-server';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'vite';
import { PROTOCOL_VERSION, type EnrollResponse } from '../src/domain';
import { createEnrollmentCode, createUnit } from '../src/server/admin';
import { createApp } from '../src/server/app';
import { jsonLogger } from '../src/server/log';
import { openSqliteStorage } from '../src/server/storage/sqlite';
import { launchBrowser, type Browser, type Page } from '../tests/e2e/harness';
import { peakRssBytes, sendLargeBody } from '../tests/server/serverProcess';
import { distIsStale, ROOT } from './bundle';
import { sleep, startBenchServer, withCleanup, type Sizes } from './lib';

type Log = (s: string) => void;
const MB = 1024 * 1024;

export interface TransferResults {
  firstScreenKB: number;
  firstScreenRawKB: number;
  installKB: number;
  installRawKB: number;
  fcpMs: number[];
  lcpMs: number[];
  fcpIdentityMs: number[];
  lcpIdentityMs: number[];
}

export interface LimitResults {
  healthMs: number[];
  refusedMs: number[];
  peakRssMB: number[];
  wrongCodesBefore429: number[];
}

/** dist/ when it is current (npm test builds right before), else a fresh build in a temp dir. */
async function builtApp(defer: (c: () => unknown) => void): Promise<string> {
  const dist = path.join(ROOT, 'dist');
  if (existsSync(path.join(dist, 'index.html')) && !distIsStale()) return dist;
  const tmp = mkdtempSync(path.join(tmpdir(), 'nedenfra-bench-p9-'));
  defer(() => rmSync(tmp, { recursive: true, force: true }));
  await build({ root: ROOT, logLevel: 'silent', build: { outDir: tmp, emptyOutDir: true } });
  return tmp;
}

interface Loaded {
  /** Bytes on the wire (headers + body) and the same bodies decoded, per request. */
  requests: { url: string; wire: number; raw: number; fromServiceWorker: boolean; firstScreen: boolean }[];
  fcp: number;
  lcp: number;
}

/**
 * One first visit in a fresh context. Per response: bytes on the wire
 * (headers + encoded body, from the browser) and the same with the decoded
 * body; whether the page or the service worker asked, and whether before the
 * first screen showed.
 */
async function firstVisit(browser: Browser, url: string, opts: { throttle: boolean }): Promise<Loaded> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const page: Page = await context.newPage();
    if (opts.throttle) {
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', {
        offline: false,
        latency: 150,
        downloadThroughput: (1.6 * 1024 * 1024) / 8,
        uploadThroughput: (750 * 1024) / 8,
      });
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    }
    await page.addInitScript(() => {
      const w = window as unknown as { __lcp: number };
      w.__lcp = 0;
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.__lcp = Math.max(w.__lcp, e.startTime);
      }).observe({ type: 'largest-contentful-paint', buffered: true });
    });
    let firstScreenDone = false;
    const pending: Promise<Loaded['requests'][number] | null>[] = [];
    context.on('response', (response) => {
      const firstScreen = !firstScreenDone;
      pending.push(
        (async () => {
          const request = response.request();
          const sizes = await request.sizes().catch(() => null);
          const body = await response.body().catch(() => null);
          if (!sizes || !body) return null;
          return {
            url: request.url(),
            wire: sizes.responseHeadersSize + sizes.responseBodySize,
            raw: sizes.responseHeadersSize + body.length,
            fromServiceWorker: request.serviceWorker() !== null,
            firstScreen,
          };
        })(),
      );
    });
    await page.goto(url, { timeout: 120_000 });
    await page.getByRole('heading', { level: 1, name: 'Velkommen til Nedenfra' }).waitFor({ timeout: 120_000 });
    firstScreenDone = true;
    const { fcp, lcp } = await page.evaluate(async () => {
      await new Promise((r) => setTimeout(r, 500));
      const paint = performance.getEntriesByName('first-contentful-paint')[0];
      return { fcp: paint?.startTime ?? NaN, lcp: (window as unknown as { __lcp: number }).__lcp };
    });
    // The install: wait for the service worker to finish precaching.
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await sleep(500);
    const requests = (await Promise.all(pending)).filter((r): r is NonNullable<typeof r> => r !== null);
    return { requests, fcp, lcp };
  } finally {
    await context.close();
  }
}

export async function runTransfer(sizes: Sizes, log: Log): Promise<TransferResults> {
  return withCleanup(async (defer) => {
    const staticDir = await builtApp(defer);
    const dir = mkdtempSync(path.join(tmpdir(), 'nedenfra-bench-p9-db-'));
    defer(() => rmSync(dir, { recursive: true, force: true }));
    const storage = await openSqliteStorage(path.join(dir, 'server.sqlite'));
    defer(() => storage.close());
    const app = createApp({ storage, staticDir, log: jsonLogger(() => undefined) });
    // What the server sends, counted at the server: bodies as sent (Content-Length) and the same files uncompressed.
    const sent = { wire: 0, raw: 0 };
    // The baseline: the same server, as if no browser accepted compression (Chromium will not let a page change Accept-Encoding).
    let identity = false;
    const countingFetch = async (request: Request, env: unknown) => {
      const req = identity ? new Request(request, { headers: [...request.headers].filter(([k]) => k !== 'accept-encoding') }) : request;
      const res = await app.fetch(req, env);
      if (res.status === 200) {
        const pathname = new URL(req.url).pathname;
        const file = path.join(staticDir, pathname.endsWith('/') ? `${pathname}index.html` : pathname);
        sent.wire += Number(res.headers.get('content-length') ?? 0);
        sent.raw += existsSync(file) ? statSync(file).size : Number(res.headers.get('content-length') ?? 0);
      }
      return res;
    };
    const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
      const s = serve({ fetch: countingFetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    defer(() => new Promise<void>((r) => server.close(() => r())));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const browser = await launchBrowser();
    defer(() => browser.close());

    const kb = (xs: Loaded['requests'], key: 'wire' | 'raw') => xs.reduce((s, r) => s + r[key], 0) / 1024;
    const sizesRun = await firstVisit(browser, url, { throttle: false });
    const first = sizesRun.requests.filter((r) => r.firstScreen && !r.fromServiceWorker);
    const result: TransferResults = {
      firstScreenKB: kb(first, 'wire'),
      firstScreenRawKB: kb(first, 'raw'),
      installKB: sent.wire / 1024,
      installRawKB: sent.raw / 1024,
      fcpMs: [],
      lcpMs: [],
      fcpIdentityMs: [],
      lcpIdentityMs: [],
    };
    if (process.env.NEDENFRA_BENCH_VERBOSE)
      for (const r of sizesRun.requests)
        log(
          `    ${r.firstScreen ? 'first' : 'later'} ${r.fromServiceWorker ? 'sw ' : 'page'} ${(r.wire / 1024).toFixed(1)} KB (${(r.raw / 1024).toFixed(1)} KB) ${r.url}`,
        );
    log(
      `  P11 first screen ${result.firstScreenKB.toFixed(1)} KB on the wire (${first.length} requests; ${result.firstScreenRawKB.toFixed(1)} KB uncompressed), install ${result.installKB.toFixed(0)} KB (${result.installRawKB.toFixed(0)} KB uncompressed)`,
    );
    for (let run = 0; run < sizes.runs; run++) {
      for (const uncompressed of [false, true]) {
        identity = uncompressed;
        const r = await firstVisit(browser, url, { throttle: true });
        (identity ? result.fcpIdentityMs : result.fcpMs).push(r.fcp);
        (identity ? result.lcpIdentityMs : result.lcpMs).push(r.lcp);
        log(
          `  P11 run ${run + 1} slow 4G + 4× CPU${identity ? ', uncompressed' : ''}: FCP ${r.fcp.toFixed(0)} ms, LCP ${r.lcp.toFixed(0)} ms`,
        );
      }
    }
    identity = false;
    return result;
  });
}

async function healthMs(url: string): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(`${url}/api/v1/health`, { signal: AbortSignal.timeout(30_000) });
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`/health answered ${res.status}`);
  return performance.now() - t0;
}

export async function runLimits(sizes: Sizes, log: Log): Promise<LimitResults> {
  const result: LimitResults = { healthMs: [], refusedMs: [], peakRssMB: [], wrongCodesBefore429: [] };
  for (let run = 0; run < sizes.runs; run++) {
    await withCleanup(async (defer) => {
      const dir = mkdtempSync(path.join(tmpdir(), 'nedenfra-bench-p10-'));
      defer(() => rmSync(dir, { recursive: true, force: true }));
      const dbPath = path.join(dir, 'server.sqlite');
      const setup = await openSqliteStorage(dbPath);
      const unit = await createUnit(setup, { municipality: 'Benkvik kommune', name: 'Avdeling' });
      const { code } = await createEnrollmentCode(setup, { unitId: unit.id });
      await setup.close();
      const child = await startBenchServer({ NEDENFRA_DB: dbPath, DATABASE_URL: '' });
      defer(() => child.stop());
      const enrolled = await fetch(`${child.url}/api/v1/enroll`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ protocol: PROTOCOL_VERSION, code, deviceLabel: 'bench' }),
      });
      const token = ((await enrolled.json()) as EnrollResponse).token;

      // One client streams 256 MB at the enrollment endpoint; /health is timed meanwhile.
      const attack = sendLargeBody(`${child.url}/api/v1/enroll`, { totalBytes: 256 * MB, declareLength: false });
      const health: number[] = [];
      for (let i = 0; i < 5; i++) health.push(await healthMs(child.url));
      const refused = await attack;
      if (refused.status !== 413) throw new Error(`the 256 MB body was answered ${refused.status}, not 413`);

      // 50 concurrent 19 MB pushes without a token, then 50 from one enrolled tablet.
      const pushes = (headers: Record<string, string>) =>
        Promise.all(
          Array.from({ length: 50 }, () =>
            sendLargeBody(`${child.url}/api/v1/push`, { totalBytes: 19 * MB, declareLength: true, headers }).catch(() => null),
          ),
        );
      const anonymous = pushes({ authorization: 'Bearer not-a-token' });
      health.push(await healthMs(child.url));
      await anonymous;
      const fromTablet = pushes({ authorization: `Bearer ${token}` });
      health.push(await healthMs(child.url));
      await fromTablet;
      const peak = peakRssBytes(child.pid) / MB;

      // Wrong enrollment codes from one address, as fast as it answers, for up to a minute.
      let answered = 0;
      const started = performance.now();
      for (;;) {
        const res = await fetch(`${child.url}/api/v1/enroll`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ protocol: PROTOCOL_VERSION, code: 'WRNG-WRNG-WRNG', deviceLabel: 'guesser' }),
        });
        await res.arrayBuffer();
        if (res.status === 429) break;
        answered++;
        if (performance.now() - started > 60_000) break;
      }
      result.healthMs.push(Math.max(...health));
      result.refusedMs.push(refused.ms);
      result.peakRssMB.push(peak);
      result.wrongCodesBefore429.push(answered);
      log(
        `  P12 run ${run + 1}: 256 MB refused after ${refused.ms.toFixed(0)} ms (${(refused.sentBytes / MB).toFixed(0)} MB sent), /health ≤ ${Math.max(...health).toFixed(0)} ms, peak RSS ${peak.toFixed(0)} MB, ${answered} wrong codes answered before 429`,
      );
    });
  }
  return result;
}
