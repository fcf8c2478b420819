/**
 * Browser figures in real Chromium (Debian chromium + playwright-core, via the
 * e2e harness) against the BUILT app, built by the bench into its own temp
 * dir (dist/ may be rebuilt by others while we measure):
 *   P2 offline, service-worker-controlled reload to an interactive capture form
 *      at 4× CPU throttling, beside a reload of an empty HTML page the same
 *      service worker serves from its precache (emitted into the bench's build);
 *   P3 Save → committed with N ideas stored (bench page, src/data), beside a bare Dexie put;
 *   P4 board first render and search with N ideas in the app's own IndexedDB;
 *   P8 photo bytes: a camera-like image through the app's own preparePhoto.
 */
import { createReadStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { build, preview } from 'vite';
import { chromium } from 'playwright-core';
import { chromiumPath, launchBrowser, waitForServiceWorker, type Browser, type Page } from '../tests/e2e/harness';
import { ROOT } from './bundle';
import { percentile, type Sizes } from './lib';

export interface BrowserResults {
  p2App: number[];
  p2Empty: number[];
  p3AppP50: number[];
  p3AppP95: number[];
  p3BareP50: number[];
  p3BareP95: number[];
  p4Render: number[];
  /** Navigation → every idea read, counted and searchable (the first screenful paints before). */
  p4All: number[];
  p4Search: number[];
  photos: Buffer[];
  /** Where the board's first render goes (diagnosis, ms per step). */
  p4Parts: Record<string, number>;
}

/** P2's baseline document: precached by the service worker like index.html, but with nothing in it. */
export const EMPTY_PAGE = 'bench-empty.html';

/**
 * Build the app (vite.config.ts, service worker included) into a temp dir,
 * plus one empty HTML page emitted into the bundle, so the service worker's
 * precache manifest (built after the bundle is written) holds it too.
 */
export async function buildApp(tmp: string): Promise<string> {
  const outDir = path.join(tmp, 'app');
  await build({
    root: ROOT,
    logLevel: 'silent',
    build: { outDir, emptyOutDir: true },
    plugins: [
      {
        name: 'nedenfra-bench-empty-page',
        generateBundle() {
          this.emitFile({
            type: 'asset',
            fileName: EMPTY_PAGE,
            source:
              '<!doctype html><html lang="nb"><head><meta charset="UTF-8"><title>tom</title></head><body><p>Tom side.</p></body></html>',
          });
        },
      },
    ],
  });
  if (!readFileSync(path.join(outDir, 'sw.js'), 'utf8').includes(EMPTY_PAGE))
    throw new Error(`${EMPTY_PAGE} is not in the service worker's precache`);
  return outDir;
}

async function buildBenchPage(tmp: string): Promise<string> {
  const outDir = path.join(tmp, 'page');
  await build({
    root: path.join(ROOT, 'bench/browser'),
    configFile: false,
    logLevel: 'silent',
    build: { outDir, emptyOutDir: true, target: 'es2022' },
  });
  return outDir;
}

/** A minimal static server on loopback (the bench page needs no service worker). */
async function serveDir(dir: string): Promise<{ url: string; close: () => Promise<void> }> {
  const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };
  const server = createServer((req, res) => {
    const rel = decodeURIComponent((req.url ?? '/').split('?')[0]!).replace(/^\/+/, '') || 'index.html';
    const file = path.join(dir, rel);
    if (!file.startsWith(dir) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

async function startAppPreview(outDir: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server = await preview({
    root: ROOT,
    logLevel: 'silent',
    build: { outDir },
    preview: { port: 0, host: '127.0.0.1', strictPort: false },
  });
  const address = server.httpServer.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () => new Promise<void>((resolve) => server.httpServer.close(() => resolve())),
  };
}

const KEEP_NAMES_SHIM = 'globalThis.__name = globalThis.__name || ((f) => f);';

/** Poll (per animation frame) until the capture field is there and usable; returns ms since navigation start. */
const CAPTURE_READY = `(() => {
  const el = document.getElementById('capture-impossibleNow');
  return el && !el.disabled && el.getBoundingClientRect().height > 0 ? performance.now() : false;
})()`;

/**
 * P2 after a browser restart: a Chromium profile (persistent user data dir)
 * completes first run online, then Chromium is closed and the server that
 * served the app is stopped; per run, Chromium starts again on the same
 * profile with 6× CPU throttling and opens `#/capture` (only the service
 * worker, started cold, can answer), timed from navigation start until the
 * capture field is usable. Baseline: the same restart, opening the empty page
 * the same service worker precached.
 */
async function p2AfterRestart(appDist: string, tmp: string, runs: number, log: (s: string) => void) {
  const profile = path.join(tmp, 'p2-profile');
  const launch = () =>
    chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath(),
      headless: true,
      viewport: { width: 1280, height: 800 },
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  const server = await startAppPreview(appDist);
  const url = server.url;
  try {
    const setup = await launch();
    try {
      await setup.addInitScript(KEEP_NAMES_SHIM);
      const page = setup.pages()[0] ?? (await setup.newPage());
      await page.goto(url);
      await waitForServiceWorker(page);
      await page.locator('#municipality').fill('Steinkjer');
      await page.locator('#unit-name').fill('Renovasjon');
      await page.locator('#first-run-pin-pin').fill('2468');
      await page.locator('#first-run-pin-repeat').fill('2468');
      await page.locator('form:has(#unit-name) button[type=submit]').click();
      await page.locator('#capture-impossibleNow').waitFor();
      await page.goto(`${url}/${EMPTY_PAGE}`, { waitUntil: 'load' }); // the baseline page, once online
    } finally {
      await setup.close();
    }
  } finally {
    await server.close(); // from here on, nothing answers but the service worker
  }
  const open = async (target: string, ready: string, polling: 'raf' | number) => {
    const context = await launch();
    try {
      await context.addInitScript(KEEP_NAMES_SHIM);
      await context.setOffline(true);
      const page = context.pages()[0] ?? (await context.newPage());
      const cdp = await context.newCDPSession(page);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 6 });
      await page.goto(target, { waitUntil: 'commit', timeout: 30_000 });
      const ms = (await (await page.waitForFunction(ready, undefined, { polling, timeout: 30_000 })).jsonValue()) as number;
      const controlled = await page.evaluate(() => navigator.serviceWorker?.controller != null);
      if (!controlled) throw new Error(`P2: ${target} was not served by the service worker after the restart`);
      return ms;
    } finally {
      await context.close();
    }
  };
  const app: number[] = [];
  const empty: number[] = [];
  for (let i = 0; i < runs + 1; i++) {
    const a = await open(`${url}/#/capture`, CAPTURE_READY, 'raf');
    const e = await open(
      `${url}/${EMPTY_PAGE}`,
      `(() => { const n = performance.getEntriesByType('navigation')[0]; return n && n.loadEventEnd > 0 ? n.loadEventEnd : false; })()`,
      10,
    );
    if (i === 0) continue; // warm-up (the first start after setup)
    app.push(a);
    empty.push(e);
    log(`  P2 run ${i}: app ${a.toFixed(0)} ms, empty page ${e.toFixed(0)} ms (each after a browser restart, offline, 6× CPU)`);
  }
  return { app, empty };
}

/** Seed the app's own IndexedDB ("nedenfra") with n ideas cloned from one saved through the UI. */
async function seedBoard(page: Page, n: number) {
  const field = page.locator('#capture-impossibleNow');
  await field.fill('Mal for benken');
  await page.locator('form:has(#capture-impossibleNow) button[type=submit]').click();
  // Saved = the form was reset for the next person.
  await page.waitForFunction(() => (document.getElementById('capture-impossibleNow') as HTMLTextAreaElement | null)?.value === '');
  await page.evaluate(async (count) => {
    const open = () =>
      new Promise<IDBDatabase>((res, rej) => {
        const r = indexedDB.open('nedenfra');
        r.onsuccess = () => res(r.result);
        r.onerror = () => rej(r.error ?? new Error('IndexedDB request failed'));
      });
    const db = await open();
    const all = <T>(store: string) =>
      new Promise<T[]>((res, rej) => {
        const r = db.transaction(store).objectStore(store).getAll();
        r.onsuccess = () => res(r.result as T[]);
        r.onerror = () => rej(r.error ?? new Error('IndexedDB request failed'));
      });
    const [template] = await all<Record<string, unknown>>('ideas');
    const [meta] = await all<Record<string, unknown>>('syncMeta');
    const texts = [
      'Vaktlista kommer for sent',
      'Vi mangler heis til andre etasje',
      'Søppelbilen rygger i gågata',
      'Pasientene venter på medisiner',
      'Nøkkelskapet er alltid tomt',
    ];
    const tx = db.transaction(['ideas', 'syncMeta'], 'readwrite');
    const t0 = Date.parse('2024-01-01T00:00:00Z');
    for (let i = 0; i < count; i++) {
      const id = `0190${i.toString(16).padStart(4, '0')}-0000-7000-8000-${i.toString(16).padStart(12, '0')}`;
      const text = i % 100 === 7 ? `Sykkelparkering mangler ved inngang ${i}` : `${texts[i % texts.length]} (${i})`;
      tx.objectStore('ideas').put({ ...template, id, createdAt: new Date(t0 + i * 60_000).toISOString(), impossibleNow: text });
      tx.objectStore('syncMeta').put({ ...meta, key: `ideas/${id}`, id });
    }
    await new Promise<void>((res, rej) => {
      tx.oncomplete = () => res();
      tx.onerror = () => rej(tx.error ?? new Error('IndexedDB transaction failed'));
    });
    db.close();
  }, n);
}

/** In-page: navigate capture → board and time until rows are on screen; then time searches. */
async function p4(page: Page, runs: number, expected: number, log: (s: string) => void) {
  const render: number[] = [];
  const all: number[] = [];
  const search: number[] = [];
  const needles = ['sykkel', 'heis', 'NØKKELSKAPET', 'gagata', 'medisiner'];
  for (let i = 0; i < runs + 1; i++) {
    const r = await page.evaluate(
      async ({ needle, expected }) => {
        const frame = () => new Promise<void>((res) => requestAnimationFrame(() => setTimeout(res, 0)));
        const until = async (cond: () => boolean, what: string) => {
          const start = performance.now();
          while (!cond()) {
            if (performance.now() - start > 30_000) throw new Error(`timed out waiting for ${what}`);
            await new Promise((res) => requestAnimationFrame(res));
          }
        };
        location.hash = '#/capture';
        await until(() => !!document.getElementById('capture-impossibleNow'), 'capture');
        await new Promise((res) => setTimeout(res, 300));
        const t0 = performance.now();
        location.hash = '#/board';
        await until(() => document.querySelector('.idea-row') !== null, 'board rows');
        await frame();
        const renderMs = performance.now() - t0;
        // The first screenful paints first; the count (and search) follow once all ideas are read.
        const counted = () => {
          const text = document.querySelector('.board__count')?.textContent ?? '';
          return text.replace(/\s/g, '').includes(String(expected)) || text.includes(String(expected));
        };
        await until(counted, `a count of ${expected} ideas`);
        await frame();
        const allMs = performance.now() - t0;
        const count = document.querySelector('.board__count')?.textContent ?? '';
        await new Promise((res) => setTimeout(res, 200));
        const input = document.getElementById('board-search') as HTMLInputElement;
        const countEl = document.querySelector('.board__count')!;
        const before = countEl.textContent;
        const t1 = performance.now();
        input.value = needle;
        input.dispatchEvent(new Event('input', { bubbles: true }));
        await until(() => countEl.textContent !== before, 'search result');
        await frame();
        const searchMs = performance.now() - t1;
        const after = countEl.textContent;
        input.value = '';
        input.dispatchEvent(new Event('input', { bubbles: true }));
        await until(() => countEl.textContent === before, 'search cleared');
        return { renderMs, allMs, searchMs, count, after };
      },
      { needle: needles[i % needles.length]!, expected },
    );
    if (i === 0) continue; // warm-up (first navigation compiles the board code)
    render.push(r.renderMs);
    all.push(r.allMs);
    search.push(r.searchMs);
    log(
      `  P4 run ${i}: first rows ${r.renderMs.toFixed(0)} ms, all ${r.allMs.toFixed(0)} ms (${r.count}), search ${r.searchMs.toFixed(0)} ms (${r.after})`,
    );
  }
  return { render, all, search };
}

export async function runBrowserBench(sizes: Sizes, log: (s: string) => void): Promise<BrowserResults> {
  const tmp = mkdtempSync(path.join(ROOT, 'node_modules', '.nedenfra-bench-web-'));
  let browser: Browser | undefined;
  const closers: Array<() => Promise<void>> = [];
  try {
    log('building the app and the bench page …');
    const appDist = await buildApp(tmp);
    const pageDist = await buildBenchPage(tmp);
    const app = await startAppPreview(appDist);
    closers.push(app.close);
    const benchPage = await serveDir(pageDist);
    closers.push(benchPage.close);
    browser = await launchBrowser();

    // ---- P2 + P4: the real app.
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    // tsx (esbuild keepNames) wraps named functions in page.evaluate bodies with __name().
    await context.addInitScript(KEEP_NAMES_SHIM);
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    await page.goto(app.url);
    await waitForServiceWorker(page);
    // First run by element ids, not texts: the screens' wording changes while they are being finished.
    await page.locator('#municipality').fill('Steinkjer');
    await page.locator('#unit-name').fill('Renovasjon');
    await page.locator('#first-run-pin-pin').fill('2468');
    await page.locator('#first-run-pin-repeat').fill('2468');
    await page.locator('form:has(#unit-name) button[type=submit]').click();
    await page.locator('#capture-impossibleNow').waitFor();
    log('P2: offline start after a browser restart at 6× CPU throttling …');
    const r2 = await p2AfterRestart(appDist, tmp, sizes.runs, log);
    log(`P4: board with ${sizes.p4Ideas} ideas …`);
    await page.goto(`${app.url}/#/capture`);
    await page.locator('#capture-impossibleNow').waitFor();
    await seedBoard(page, sizes.p4Ideas);
    await page.reload();
    await page.locator('#capture-impossibleNow').waitFor();
    const r4 = await p4(page, sizes.runs, sizes.p4Ideas + 1, log);
    await context.close();

    // ---- P3 + photos: the bench page.
    const ctx2 = await browser.newContext();
    await ctx2.addInitScript(KEEP_NAMES_SHIM);
    const bp = await ctx2.newPage();
    bp.setDefaultTimeout(120_000);
    await bp.goto(benchPage.url);
    await bp.waitForFunction(() => document.body.dataset.ready === '1');
    log(`P3: ${sizes.p3Saves} saves with ${sizes.p3Ideas} ideas stored, ${sizes.runs} runs …`);
    const p3 = { appP50: [] as number[], appP95: [] as number[], bareP50: [] as number[], bareP95: [] as number[] };
    for (let i = 0; i < sizes.runs; i++) {
      const r = await bp.evaluate(
        ([seed, saves]) =>
          (
            window as unknown as { nedenfraBench: { p3(a: number, b: number, c: number): Promise<{ app: number[]; bare: number[] }> } }
          ).nedenfraBench.p3(seed!, saves!, 10),
        [sizes.p3Ideas, sizes.p3Saves],
      );
      p3.appP50.push(percentile(r.app, 50));
      p3.appP95.push(percentile(r.app, 95));
      p3.bareP50.push(percentile(r.bare, 50));
      p3.bareP95.push(percentile(r.bare, 95));
      log(
        `  P3 run ${i + 1}: createRecord p50 ${percentile(r.app, 50).toFixed(1)} / p95 ${percentile(r.app, 95).toFixed(1)} ms; bare put p50 ${percentile(r.bare, 50).toFixed(1)} / p95 ${percentile(r.bare, 95).toFixed(1)} ms`,
      );
    }
    const parts = await bp.evaluate(
      (n) => (window as unknown as { nedenfraBench: { p4Parts(n: number): Promise<Record<string, number>> } }).nedenfraBench.p4Parts(n),
      sizes.p4Ideas,
    );
    const p4Parts = Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, Math.round(v)]));
    log(`  P4 breakdown of the board's data path for ${sizes.p4Ideas} ideas (ms): ${JSON.stringify(p4Parts)}`);
    log(`P8: ${sizes.p8Photos} photo(s) through preparePhoto …`);
    const photos: Buffer[] = [];
    for (let i = 0; i < sizes.p8Photos; i++) {
      const ph = await bp.evaluate(
        (seed) =>
          (
            window as unknown as { nedenfraBench: { photo(s: number): Promise<{ base64: string; width: number; height: number }> } }
          ).nedenfraBench.photo(seed),
        i + 1,
      );
      if (Math.max(ph.width, ph.height) !== 1600) throw new Error(`photo is ${ph.width}×${ph.height}, expected 1600 px on the long side`);
      photos.push(Buffer.from(ph.base64, 'base64'));
    }
    await ctx2.close();
    return {
      p2App: r2.app,
      p2Empty: r2.empty,
      p3AppP50: p3.appP50,
      p3AppP95: p3.appP95,
      p3BareP50: p3.bareP50,
      p3BareP95: p3.bareP95,
      p4Render: r4.render,
      p4All: r4.all,
      p4Search: r4.search,
      photos,
      p4Parts,
    };
  } finally {
    await browser?.close().catch(() => undefined);
    for (const c of closers.reverse()) await c().catch(() => undefined);
    rmSync(tmp, { recursive: true, force: true });
  }
}
