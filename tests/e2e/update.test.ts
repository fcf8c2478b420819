/**
 * The service-worker update hand-off, in real Chromium against the built app
 * (issue #16 point 9): a new version that arrives while someone is typing
 * waits, whether the person presses "Last inn på nytt" or the tablet goes to
 * the background, and nothing typed is lost; once the form is saved, the new
 * version takes over. The rule itself is src/ui/updateRule.ts.
 *
 * The new version is the built service worker with one more line (any byte
 * changed makes the browser install it): it answers /__sw-version, so the
 * test can tell which version controls the page.
 */
import { appendFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DIST, expectNoAxeViolations, launchBrowser, startPreview, waitForServiceWorker, type Browser, type Page } from './harness';

const served = mkdtempSync(path.join(tmpdir(), 'nedenfra-e2e-update-'));
let browser: Browser;
let preview: { url: string; close: () => Promise<void> };

beforeAll(async () => {
  cpSync(DIST, served, { recursive: true });
  preview = await startPreview(served);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await preview?.close();
  rmSync(served, { recursive: true, force: true });
});

const NEXT_VERSION = `
self.addEventListener('fetch', (event) => {
  if (new URL(event.request.url).pathname === '/__sw-version') event.respondWith(new Response('next'));
});
`;

/** Which service worker controls the page: 'next' once the new version took over. */
const controllingVersion = (page: Page) =>
  page.evaluate(async () => (navigator.serviceWorker.controller ? (await fetch('/__sw-version')).text() : 'none'));

/** The tablet is locked or another app comes to the front (headless Chromium never hides a page by itself). */
const goToBackground = (page: Page) =>
  page.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
  });

it('a new version waits while a form holds unsaved input, and takes over once it is saved', { timeout: 120_000 }, async () => {
  const context = await browser.newContext({ locale: 'nb-NO' });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await page.goto(preview.url);
  await waitForServiceWorker(page);
  await page.getByLabel('Kommune').fill('Steinkjer');
  await page.getByLabel('Enhet', { exact: true }).fill('Renovasjon');
  await page.getByLabel('Leder-PIN (4–8 sifre)').fill('4711');
  await page.getByLabel('Gjenta leder-PIN').fill('4711');
  await page.getByRole('button', { name: 'Ta i bruk nettbrettet' }).click();
  await page.getByRole('heading', { level: 1, name: 'Ny idé' }).waitFor();

  // Someone is typing an idea when the new version is deployed and found.
  const typed = 'Halvskrevet: egne vogner til hver etasje';
  await page.getByLabel('Hva er umulig nå?').fill(typed);
  await page.evaluate(() => Object.assign(window, { sameDocument: true }));
  appendFileSync(path.join(served, 'sw.js'), NEXT_VERSION);
  await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update());
  await page.getByRole('button', { name: 'Last inn på nytt' }).waitFor();
  await page.getByText('Ny versjon – last inn på nytt').waitFor();
  expect(await page.evaluate(async () => Boolean((await navigator.serviceWorker.getRegistration())?.waiting))).toBe(true);

  // Pressing "reload" with unsaved input: told to save first; nothing reloads, nothing typed is lost.
  await page.getByRole('button', { name: 'Last inn på nytt' }).click();
  await page.getByText('Lagre eller tøm skjemaet først, så går ingenting tapt. Oppdateringen venter.').waitFor();
  await expectNoAxeViolations(page, 'update waiting for unsaved input');
  // Nor does the tablet going to the background swap versions under the form.
  await goToBackground(page);
  await page.waitForTimeout(1_000); // a reload, if one were (wrongly) started, would have begun by now
  expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
  expect(await page.getByLabel('Hva er umulig nå?').inputValue()).toBe(typed);
  expect(await controllingVersion(page)).not.toBe('next');

  // Saved: now "reload" hands over to the new version, and the idea is there.
  await page.getByRole('button', { name: 'Lagre ideen' }).click();
  await page.getByText('Lagret. Takk for ideen!').waitFor();
  const reloaded = page.waitForEvent('load');
  await page.getByRole('button', { name: 'Last inn på nytt' }).click();
  await reloaded;
  await page.getByRole('heading', { level: 1, name: 'Ny idé' }).waitFor();
  expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBeUndefined();
  expect(await controllingVersion(page)).toBe('next');
  expect(await page.getByText('Ny versjon – last inn på nytt').count()).toBe(0);
  await page.getByRole('link', { name: 'Idétavle' }).click();
  await page.getByRole('link', { name: typed }).waitFor();
  await context.close();
});
