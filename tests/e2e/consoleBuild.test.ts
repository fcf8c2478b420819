/**
 * The console is built beside the tablet (its own build, vite.console.config.ts,
 * into the same dist/) without weighing on it: the tablet's service worker
 * precaches none of the console's files (nor its chart library), its
 * navigation fallback does not answer /kommune/ with the tablet app, and the
 * console page does not offer to install the tablet app. (That the tablet's
 * shell is the same with or without the console is the bench's P1 check.)
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DIST, launchBrowser, startPreview, waitForServiceWorker, type Browser } from './harness';

let browser: Browser;
let preview: { url: string; close: () => Promise<void> };
beforeAll(async () => {
  preview = await startPreview();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await preview?.close();
});

it('the tablet precaches nothing of the console', () => {
  const sw = readFileSync(path.join(DIST, 'sw.js'), 'utf8');
  const precached = [...sw.matchAll(/"url":"([^"]+)"/g)].map((m) => m[1]!);
  expect(precached).toContain('index.html');
  expect(precached.filter((u) => u.startsWith('kommune/') || u.startsWith('assets/console/'))).toEqual([]);
  const consoleFiles = readdirSync(path.join(DIST, 'assets', 'console'));
  expect(consoleFiles.some((f) => /^kommune-.*\.js$/.test(f))).toBe(true);
  expect(consoleFiles.some((f) => /^drawChart-.*\.js$/.test(f))).toBe(true);
  // Chart.js (its registry) lives only in console files.
  const tabletJs = precached.filter((u) => u.endsWith('.js')).map((u) => readFileSync(path.join(DIST, u), 'utf8'));
  expect(tabletJs.some((code) => code.includes('BarController'))).toBe(false);
  expect(readFileSync(path.join(DIST, 'kommune', 'index.html'), 'utf8')).not.toContain('rel="manifest"');
});

it("a browser with the tablet's service worker still gets the console at /kommune/", async () => {
  const context = await browser.newContext({ locale: 'nb-NO' });
  const page = await context.newPage();
  await page.goto(preview.url);
  await waitForServiceWorker(page);
  await page.goto(`${preview.url}/kommune/`);
  // vite preview has no API behind it: the console shows its sign-in page, not the tablet's first-run screen.
  await page.getByRole('heading', { level: 1, name: 'Logg inn' }).waitFor();
  expect(await page.title()).toContain('kommunen');
  await context.close();
});
