/**
 * README screenshots of the BUILT app (run `npm run build` first):
 *   npx tsx scripts/screenshots.ts
 * Opens dist/ in Chromium at 1280×800 (bokmål), sets up a unit, captures a
 * few ideas through the UI, and saves docs/screenshots/{capture,board}.png.
 */
import path from 'node:path';
import { launchBrowser, startPreview } from '../tests/e2e/harness';

const OUT = path.resolve(import.meta.dirname, '../docs/screenshots');
const IDEAS = [
  'Én person kan ikke kjøre renovasjonsbilen alene – vi trenger løftearm',
  'Felles møterom der hjemmetjenesten kan snakke sammen etter vakt',
  'Individuelle læreplaner for hver elev',
  'Beboerne kan ikke velge når de vil spise frokost',
];

const preview = await startPreview();
const browser = await launchBrowser();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'nb-NO' });
  await page.goto(preview.url);
  await page.getByLabel('Kommune').fill('Sørum');
  await page.getByLabel('Enhet', { exact: true }).fill('Hjemmetjenesten');
  await page.getByRole('button', { name: 'Ta i bruk nettbrettet' }).click();
  for (const text of IDEAS) {
    await page.getByLabel('Hva er umulig nå?').fill(text);
    await page.getByRole('button', { name: 'Lagre ideen' }).click();
    await page.getByText('Lagret. Takk for ideen!').waitFor();
  }
  await page.getByLabel('Hva er umulig nå?').fill('Vi har ikke tid til å lære av hverandre på tvers av avdelingene');
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.mouse.move(0, 0);
  await page.screenshot({ path: path.join(OUT, 'capture.png') });

  await page.getByRole('button', { name: 'Lagre ideen' }).click();
  await page.getByText('Lagret. Takk for ideen!').waitFor();
  await page.getByRole('link', { name: 'Idétavle' }).click();
  await page.getByText('5 ideer vises').waitFor();
  for (const i of [0, 0, 0, 2]) await page.getByRole('button', { name: /Støtt/ }).nth(i).click();
  await page.waitForTimeout(300);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.mouse.move(0, 0);
  await page.screenshot({ path: path.join(OUT, 'board.png') });
  console.log(`Saved ${OUT}/capture.png and board.png`);
} finally {
  await browser.close();
  await preview.close();
}
