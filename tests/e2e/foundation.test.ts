/**
 * The foundation promise, in real Chromium against the built app: after one
 * online visit the tablet works offline, ideas (with a photo) survive reloads,
 * languages switch, and axe finds no WCAG 2.1 AA violations on any screen.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { expectNoAxeViolations, launchBrowser, startPreview, waitForServiceWorker, testPng, type Browser, type Page } from './harness';

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

/** Wait until the capture form's autosave has written these drafts to IndexedDB. */
async function waitForDrafts(page: Page, keys: string[]) {
  await page.waitForFunction(async (wanted) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('nedenfra');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
    });
    try {
      const keys = await new Promise<IDBValidKey[]>((resolve, reject) => {
        const request = db.transaction('drafts').objectStore('drafts').getAllKeys();
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
      });
      return wanted.every((k) => keys.includes(k));
    } finally {
      db.close();
    }
  }, keys);
}

async function saveIdea(page: Page, fill: () => Promise<void>) {
  await fill();
  await page.getByRole('button', { name: 'Lagre ideen' }).click();
  await page.getByText('Lagret. Takk for ideen!').waitFor();
  // The form is reset for the next person.
  expect(await page.getByLabel('Hva er umulig nå?').inputValue()).toBe('');
}

it('works offline after one visit: first run, capture with photo, board, detail, languages, axe', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  // Fail at the step that hangs, not at the test timeout.
  page.setDefaultTimeout(15_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));

  await page.goto(preview.url);
  await waitForServiceWorker(page);

  await page.getByRole('heading', { level: 1, name: 'Velkommen til Nedenfra' }).waitFor();
  await expectNoAxeViolations(page, 'first run');
  await page.getByLabel('Kommune').fill('Steinkjer');
  await page.getByLabel('Enhet', { exact: true }).fill('Renovasjon');
  await page.getByLabel('Leder-PIN (4–8 sifre)').fill('4711');
  await page.getByLabel('Gjenta leder-PIN').fill('4711');
  await page.getByRole('button', { name: 'Ta i bruk nettbrettet' }).click();
  await page.getByRole('heading', { level: 1, name: 'Ny idé' }).waitFor();

  await context.setOffline(true);
  await page.reload();
  await page.getByRole('heading', { level: 1, name: 'Ny idé' }).waitFor();
  expect(await page.getByText('Renovasjon · Steinkjer').isVisible()).toBe(true);
  await expectNoAxeViolations(page, 'capture');

  await page.getByLabel('Hva er umulig nå?').fill('Å løfte dunkene alene uten løftearm');
  await page.getByText('Mer (valgfritt)').click();
  await page.getByLabel('Hva ville blitt annerledes hvis det var mulig?').fill('Én person kunne kjørt bilen');
  await page.getByLabel('Ansatte').check();
  await page.getByLabel(/^Teknologi/).check();
  // Two photos, one at a time (a landscape and a portrait camera shot).
  await page.getByLabel('Bilder (valgfritt)').setInputFiles({ name: 'dunk.png', mimeType: 'image/png', buffer: testPng(2400, 1200) });
  await page.getByRole('img', { name: 'Bilde 1 som lagres med ideen' }).waitFor();
  await page.getByLabel('Bilder (valgfritt)').setInputFiles({ name: 'bil.png', mimeType: 'image/png', buffer: testPng(1200, 2400) });
  await page.getByRole('img', { name: 'Bilde 2 som lagres med ideen' }).waitFor();
  await expectNoAxeViolations(page, 'capture with details open');
  // Called away before saving: the text and the photos come back after a reload.
  await waitForDrafts(page, ['capture', 'capture.photo']);
  await page.reload();
  await page.getByText('Vi hentet fram en idé som ikke ble lagret sist.', { exact: false }).waitFor();
  expect(await page.getByLabel('Hva er umulig nå?').inputValue()).toBe('Å løfte dunkene alene uten løftearm');
  await page.getByRole('img', { name: 'Bilde 2 som lagres med ideen' }).waitFor();
  await saveIdea(page, async () => {});
  await saveIdea(page, async () => {
    await page.getByLabel('Hva er umulig nå?').fill('Felles møterom for hjemmetjenesten');
  });
  await saveIdea(page, async () => {
    await page.getByLabel('Hva er umulig nå?').fill('Individuelle læreplaner for alle');
    await page.getByText('Mer (valgfritt)').click();
    await page.getByLabel('Med navnet mitt').check();
    await page.getByLabel('Navnet ditt').fill('Kari Nordmann');
  });

  await page.reload();
  await page.getByRole('link', { name: 'Idétavle' }).click();
  await page.getByRole('heading', { level: 1, name: 'Idétavle' }).waitFor();
  await page.getByText('3 ideer vises').waitFor();
  const titles = await page.locator('.idea-row__title').allTextContents();
  expect(titles).toEqual(['Individuelle læreplaner for alle', 'Felles møterom for hjemmetjenesten', 'Å løfte dunkene alene uten løftearm']);
  await expectNoAxeViolations(page, 'board');

  await page.getByRole('searchbox', { name: 'Søk i ideene' }).fill('lofte DUNKENE');
  await page.getByText('1 idé vises').waitFor();
  await page.getByRole('link', { name: 'Å løfte dunkene alene uten løftearm' }).click();
  await page.getByRole('heading', { level: 1, name: 'Å løfte dunkene alene uten løftearm' }).waitFor();
  const photo = page.getByRole('img', { name: 'Bilde 1 til ideen' });
  await photo.waitFor();
  const size = await photo.evaluate(async (img: HTMLImageElement) => {
    await img.decode();
    return { w: img.naturalWidth, h: img.naturalHeight };
  });
  expect(size).toEqual({ w: 1600, h: 800 });
  const second = page.getByRole('img', { name: 'Bilde 2 til ideen' });
  expect(
    await second.evaluate(async (img: HTMLImageElement) => (await img.decode(), { w: img.naturalWidth, h: img.naturalHeight })),
  ).toEqual({ w: 800, h: 1600 });
  expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('H1');
  await page.getByRole('button', { name: '+1 Støtt: Å løfte dunkene alene uten løftearm' }).click();
  await page.getByText('1 støtte', { exact: true }).waitFor();
  await expectNoAxeViolations(page, 'idea detail');

  await page.getByRole('link', { name: 'Om appen' }).click();
  await page.getByRole('heading', { level: 1, name: 'Om appen' }).waitFor();
  await expectNoAxeViolations(page, 'about');

  await page.getByLabel('Språk').first().selectOption('nn');
  await page.getByText('Idear på nettbrettet').waitFor();
  expect(await page.evaluate(() => document.documentElement.lang)).toBe('nn');
  await page.getByRole('link', { name: 'Ny idé' }).click();
  await page.getByLabel('Kva er umogleg no?').waitFor();
  await expectNoAxeViolations(page, 'capture (nynorsk)');

  await page.getByLabel('Språk').first().selectOption('en');
  await page.getByLabel('What is impossible now?').waitFor();
  expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
  // The choice survives a reload (offline).
  await page.reload();
  await page.getByLabel('What is impossible now?').waitFor();

  expect(errors).toEqual([]);
  await context.close();
});
