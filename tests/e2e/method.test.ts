/**
 * The method, walked through OFFLINE in real Chromium against the built app:
 * leader PIN, a prompt session with three ideas and votes, a two-party
 * evaluation, a published decision, the answer on the board, nynorsk, and axe
 * (WCAG 2.1 AA) on the session, evaluation, decision and board screens.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { expectNoAxeViolations, launchBrowser, startPreview, waitForServiceWorker, type Browser } from './harness';

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

const IDEAS: readonly [string, string, string] = [
  'Bil med løftearm for én person',
  'Egen rolle for papirsortering',
  'Felles pauserom på depotet',
];

it('runs a session, evaluates, decides and answers on the board – offline', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));

  await page.goto(preview.url);
  await waitForServiceWorker(page);
  await page.getByLabel('Kommune').fill('Steinkjer');
  await page.getByLabel('Enhet', { exact: true }).fill('Renovasjon');
  // Whoever sets up a tablet without a server chooses the leader PIN.
  await page.getByLabel('Leder-PIN (4–8 sifre)').fill('4711');
  await page.getByLabel('Gjenta leder-PIN').fill('4711');
  await page.getByRole('button', { name: 'Ta i bruk nettbrettet' }).click();
  await page.getByRole('heading', { level: 1, name: 'Ny idé' }).waitFor();

  await context.setOffline(true);
  await page.reload();
  await page.getByRole('heading', { level: 1, name: 'Ny idé' }).waitFor();

  // The leader overview is behind the PIN; unlocking asks the leader's name too, and focus lands on what opened.
  await page.getByRole('link', { name: 'Leder' }).click();
  await page.getByRole('heading', { level: 1, name: 'Lederoversikt' }).waitFor();
  await page.getByText('Alle ideer får svar innen 30 dager.').waitFor();
  expect(await page.getByRole('link', { name: 'Vurderingsprosedyre' }).count()).toBe(0);
  await page.getByLabel('Leder-PIN').fill('4711');
  await page.getByLabel('Ditt navn').fill('Kari Leder');
  await page.getByRole('button', { name: 'Gå til ledermodus' }).click();
  await page.getByText('Ledermodus er på.', { exact: false }).waitFor();
  expect(await page.evaluate(() => document.activeElement?.textContent)).toContain('Ledermodus er på.');
  await page.getByRole('link', { name: 'Vurderingsprosedyre' }).click();
  await page.getByText('Gjeldende versjon: 1').waitFor();
  await expectNoAxeViolations(page, 'procedure');
  await page.getByRole('link', { name: 'Leder' }).click();
  await page.getByRole('link', { name: 'Innstillinger for enheten' }).click();
  await page.getByLabel('Svarfrist i dager').waitFor();
  await expectNoAxeViolations(page, 'unit settings');

  // The prompt session: three ideas in participant mode.
  await page.getByRole('link', { name: 'Idémøter' }).click();
  await page.getByLabel('Møteleder').fill('Kari');
  expect(await page.getByLabel('Spørsmålet').inputValue()).toContain('Hva er umulig å få til i vår virksomhet i dag');
  await page.getByLabel('Tidtaker i minutter (0 = ingen)').fill('10');
  await page.getByRole('button', { name: 'Start idémøtet' }).click();
  await page.getByRole('heading', { level: 1, name: 'Hva er umulig nå?' }).waitFor();
  await page.getByRole('timer').waitFor();
  for (const text of IDEAS) {
    await page.getByLabel('Ny idé').fill(text);
    await page.getByLabel('Ny idé').press('Enter');
    await page.getByRole('listitem').filter({ hasText: text }).waitFor();
  }
  await page.getByRole('heading', { name: '3 ideer så langt' }).waitFor();
  await expectNoAxeViolations(page, 'participant mode');
  await page.getByRole('link', { name: 'Ferdig – til prioritering' }).click();

  // Quick prioritisation: participants 1 and 2 (picked with buttons) spread their votes; then close.
  await page.getByLabel('Antall deltakere').fill('4');
  await page.getByRole('button', { name: 'Lagre deltakere' }).click();
  await page.getByText('Deltakerne er lagret.').waitFor();
  await page.getByRole('radio', { name: 'Deltaker 4, 3 stemmer igjen' }).waitFor();
  const give = (idea: string) => page.getByRole('button', { name: `Gi stemme: ${idea}` });
  await give(IDEAS[0]).click();
  await page.getByText('Deltaker 1 har 2 stemmer igjen.', { exact: true }).first().waitFor();
  await give(IDEAS[0]).click();
  await page.getByText('Deltaker 1 har 1 stemme igjen.', { exact: true }).first().waitFor();
  await give(IDEAS[2]).click();
  await page.getByText('Deltaker 1 har 0 stemmer igjen.', { exact: true }).first().waitFor();
  expect(await give(IDEAS[1]).isDisabled()).toBe(true);
  // A vote on the wrong idea is taken back and given again.
  await page.getByRole('button', { name: `Trekk tilbake stemme: ${IDEAS[2]}` }).click();
  await page.getByText('Deltaker 1 har 1 stemme igjen.', { exact: true }).first().waitFor();
  await expectNoAxeViolations(page, 'session with votes to take back');
  await give(IDEAS[2]).click();
  await page.getByText('Deltaker 1 har 0 stemmer igjen.', { exact: true }).first().waitFor();
  await page.locator('label.voter', { hasText: 'Deltaker 2' }).click();
  await give(IDEAS[0]).click();
  await page.getByText('Deltaker 2 har 2 stemmer igjen.', { exact: true }).first().waitFor();
  const ranking = page.locator('.ranking__item');
  await expect.poll(() => ranking.first().textContent()).toContain('3 stemmer');
  expect(await ranking.first().textContent()).toContain(IDEAS[0]);
  await page.getByRole('button', { name: 'Avslutt idémøtet' }).click();
  await page.getByText('Idémøtet er avsluttet.').waitFor();
  const sessionUrl = page.url();

  // Evaluate the top idea with two parties: leader and tillitsvalgt.
  await page.getByRole('link', { name: IDEAS[0] }).click();
  await page.getByRole('heading', { level: 1, name: IDEAS[0] }).waitFor();
  await page.getByText('Ideen venter på svar.').waitFor();
  await page.getByRole('link', { name: 'Vurder', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Vurder ideen' }).waitFor();
  await page.getByLabel('Navn på leder (valgfritt)').fill('Kari');
  await page.getByLabel('Tillitsvalgt', { exact: true }).check();
  await page.getByLabel('Navn på tillitsvalgt (valgfritt)').fill('Per');
  for (const [criterion, score] of [
    ['Behov', '5'],
    ['Eierskap', '4'],
    ['Belastning', '2'],
  ] as const)
    await page.getByRole('group', { name: criterion }).getByLabel(score, { exact: true }).check();
  await page.getByLabel('Merknad til Behov').fill('Tunge løft hver dag');
  await page.getByLabel('Anbefaling').selectOption('adopt');
  await page.getByRole('button', { name: 'Lagre vurderingen' }).click();
  await page.getByText('Vurderingen er lagret.').waitFor();
  await page.getByText('Kari (Leder), Per (Tillitsvalgt): 5 – Tunge løft hver dag').waitFor();

  // Decide: adopt with responsible and follow-up, then publish (confirmed, with who).
  await page.getByRole('link', { name: 'Beslutt' }).click();
  await page.getByRole('heading', { level: 1, name: 'Beslutning' }).waitFor();
  await page.getByLabel('Innføre som lokal endring').check();
  await page.getByLabel('Begrunnelse').fill('Tydelig behov, og bilen kan leases innenfor eget budsjett.');
  await page.getByLabel('Ansvarlig').fill('Ola Driftsleder');
  await page.getByLabel('Følges opp (dato)').fill('2026-12-01');
  await page.getByLabel('Tillitsvalgt', { exact: true }).check();
  await page.getByRole('button', { name: 'Lagre utkast' }).click();
  await page.getByText('Utkastet er lagret.', { exact: false }).waitFor();
  await page.getByRole('button', { name: 'Publiser …' }).click();
  await page.getByRole('dialog', { name: 'Publisere beslutningen?' }).waitFor();
  // "Publisert av" is the name given when unlocking.
  expect(await page.getByLabel('Publisert av (ditt navn)').inputValue()).toBe('Kari Leder');
  await page.getByRole('button', { name: 'Publiser nå' }).click();
  await page.getByRole('heading', { name: 'Gjeldende beslutning' }).waitFor();
  // Focus is on the decision now in force, not lost at the top of the page (it moves once both the publish
  // and the decision's arrival in the list are done, which may be a moment after the heading shows).
  await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Gjeldende beslutning');
  await page.getByText('Svar: Ideen innføres som en lokal endring.').first().waitFor();

  // The board: the answer on the idea itself and in the recently-decided strip.
  await page.getByRole('link', { name: 'Idétavle' }).click();
  await page.getByRole('heading', { level: 1, name: 'Idétavle' }).waitFor();
  const strip = page.getByRole('region', { name: 'Nylig besluttet' });
  await strip.getByText('Begrunnelse: Tydelig behov, og bilen kan leases innenfor eget budsjett.').waitFor();
  await strip.getByText('Ola Driftsleder er ansvarlig.', { exact: false }).waitFor();
  const row = page.locator('.idea-row').filter({ hasText: IDEAS[0] });
  await row.getByText(/^Svar .*: Vedtatt – Tydelig behov/).waitFor();
  await page.locator('.idea-row').filter({ hasText: IDEAS[1] }).getByText('30 dager til svar').waitFor();

  await page.getByRole('link', { name: 'Leder' }).click();
  await page.getByRole('heading', { name: 'Venter på svar' }).waitFor();
  await page.getByText('2 ideer venter på svar.').waitFor();
  await expectNoAxeViolations(page, 'leader overview');
  await page.getByRole('link', { name: 'Idétavle' }).click();
  await page.getByRole('region', { name: 'Nylig besluttet' }).waitFor();

  // Nynorsk, and axe on every method screen.
  await page.getByLabel('Språk').first().selectOption('nn');
  await page.getByRole('region', { name: 'Nyleg avgjort' }).waitFor();
  await expectNoAxeViolations(page, 'board (nn)');
  await page.goto(sessionUrl);
  await page.getByRole('heading', { name: 'Prioritering' }).waitFor();
  await expectNoAxeViolations(page, 'session (nn)');
  await page.getByRole('link', { name: IDEAS[0] }).click();
  await page.getByRole('heading', { level: 1, name: IDEAS[0] }).waitFor();
  await page.getByRole('link', { name: 'Vurder', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Vurder ideen' }).waitFor();
  await page.getByText('Berre éi vurdering').first().waitFor();
  await page.getByRole('group', { name: 'Behov' }).waitFor();
  await expectNoAxeViolations(page, 'evaluation (nn)');
  await page.getByRole('link', { name: 'Avgjer' }).click();
  await page.getByRole('heading', { level: 1, name: 'Avgjerd' }).waitFor();
  await page.getByRole('group', { name: 'Utfall' }).waitFor();
  await expectNoAxeViolations(page, 'decision (nn)');

  expect(errors).toEqual([]);
  await context.close();
}, 240_000); // a long walkthrough: generous when the machine is busy with other suites
