/**
 * README screenshots of the BUILT app (run `npm run build` first):
 *   npx tsx scripts/screenshots.ts
 * Opens dist/ in Chromium (bokmål) and saves to docs/screenshots/:
 * - capture.png: the capture form on a landscape tablet (1280×800), set up
 *   through first run, with an idea being typed;
 * - board.png, board-portrait.png, board-phone.png: the idea board with
 *   answered ideas (the unit seeded as a pull would leave it, see
 *   tests/e2e/boardSeed.ts) on a landscape tablet, a portrait tablet
 *   (800×1280) and a phone (390×844), scrolled to the ideas themselves.
 */
import path from 'node:path';
import { seedData, seedTablet } from '../tests/e2e/boardSeed';
import { launchBrowser, startPreview, type Browser, type Page } from '../tests/e2e/harness';

const OUT = path.resolve(import.meta.dirname, '../docs/screenshots');

async function capture(browser: Browser, url: string) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'nb-NO' });
  await page.goto(url);
  await page.getByLabel('Kommune').fill('Sørum');
  await page.getByLabel('Enhet', { exact: true }).fill('Hjemmetjenesten');
  await page.getByLabel('Leder-PIN (4–8 sifre)').fill('4711');
  await page.getByLabel('Gjenta leder-PIN').fill('4711');
  await page.getByRole('button', { name: 'Ta i bruk nettbrettet' }).click();
  await page.getByLabel('Hva er umulig nå?').fill('Vi har ikke tid til å lære av hverandre på tvers av avdelingene');
  await calm(page);
  await page.screenshot({ path: path.join(OUT, 'capture.png') });
  await page.close();
}

async function board(browser: Browser, url: string, file: string, viewport: { width: number; height: number }) {
  const page = await browser.newPage({ viewport, locale: 'nb-NO', hasTouch: viewport.width < 1000 });
  await seedTablet(page, url, seedData());
  await page.evaluate(() => (window.location.hash = '#/board'));
  await page.getByText('6 ideer vises').waitFor();
  await page.locator('.vlist__row .idea-row__answer').first().waitFor();
  // The ideas with their answers in the picture, as staff see them after scrolling to the list:
  // on a tablet from the search box down, on a phone the list itself, moved on to the first answered idea.
  const phone = viewport.width < 600;
  await page
    .locator(phone ? '.board__count' : '.board__filters')
    .evaluate((el) => window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - 8));
  if (phone)
    await page.locator('.vlist').evaluate((list) => {
      const answered = list.querySelector<HTMLElement>('.vlist__row:has(.idea-row__answer)');
      if (answered) list.scrollTo(0, answered.offsetTop - 4);
    });
  await calm(page);
  await page.screenshot({ path: path.join(OUT, file) });
  await page.close();
}

/** No focus ring, hover or half-finished transition in the picture. */
async function calm(page: Page) {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.mouse.move(0, 0);
  await page.waitForTimeout(300);
}

const preview = await startPreview();
const browser = await launchBrowser();
try {
  await capture(browser, preview.url);
  await board(browser, preview.url, 'board.png', { width: 1280, height: 800 });
  await board(browser, preview.url, 'board-portrait.png', { width: 800, height: 1280 });
  await board(browser, preview.url, 'board-phone.png', { width: 390, height: 844 });
  console.log(`Saved capture.png, board.png, board-portrait.png and board-phone.png in ${OUT}`);
} finally {
  await browser.close();
  await preview.close();
}
