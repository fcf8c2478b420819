/**
 * The municipal console in real Chromium against the real server (the built
 * app and console served by src/server/main.ts), on SQLite and on
 * PostgreSQL. The "done when": an administrator who never saw a
 * terminal (the CLI only printed the first link) creates a unit, prints its
 * enrollment sheet, enrolls a tablet with it, and after weeks of use prints
 * a steering-group report whose numbers match the database. On the way:
 * every console page with axe, in bokmål, nynorsk and English; tablets,
 * accounts, the audit log, the CSV export, sign out everywhere.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Overview, type Overview as OverviewData } from '../../src/domain/console/api';
import { buildOverview, OVERDUE_LIST_MAX } from '../../src/domain/readModels/overview';
import { periodRange } from '../../src/domain/readModels/time';
import { Unit } from '../../src/domain';
import { generateMunicipality, writeMunicipality } from '../server/seedMunicipality';
import { pdfText, startRealServer, type RealServer } from './consoleHarness';
import { expectNoAxeViolations, launchBrowser, type Browser, type BrowserContext, type Page } from './harness';

const PASSWORD = 'en lang og god passordsetning';
const DAY = 86_400_000;

/** The overview as the database holds it right now, computed here (no HTTP): the figures the report must show. */
async function figuresInDb(server: RealServer, period: { from: string; to: string }): Promise<OverviewData> {
  const storage = await server.openStorage();
  try {
    const units = (await storage.read((tx) => tx.listRecords('units'))).map((r) => Unit.parse(r.data));
    const { start, end } = periodRange(period);
    const now = Date.now();
    const aggregates = await storage.read((tx) => tx.console.overviewAggregates({ start, end, unitIds: null }, now, OVERDUE_LIST_MAX));
    return Overview.parse(buildOverview({ period, units, aggregates, now }));
  } finally {
    await storage.close();
  }
}

async function signIn(page: Page, url: string, email: string) {
  await page.goto(`${url}/kommune/`);
  await page.getByRole('heading', { level: 1, name: 'Logg inn' }).waitFor();
  await page.getByLabel('E-post').fill(email);
  await page.getByLabel('Passord').fill(PASSWORD);
  await page.getByRole('button', { name: 'Logg inn' }).click();
  await page.getByRole('heading', { level: 1, name: 'Oversikt' }).waitFor();
}

async function chartsDrawn(page: Page) {
  await page.waitForFunction(() => {
    const charts = [...document.querySelectorAll('[data-chart-state]')];
    return charts.length > 0 && charts.every((c) => c.getAttribute('data-chart-state') === 'drawn');
  });
}

describe.each(['sqlite', 'postgres'] as const)('the municipal console on %s', (kind) => {
  let server: RealServer;
  let browser: Browser;
  let admin: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    server = await startRealServer(kind);
    browser = await launchBrowser();
    admin = await browser.newContext({ locale: 'nb-NO' });
    page = await admin.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it(
    'an administrator creates a unit, prints its sheet, enrolls a tablet, and prints a report that matches the database',
    { timeout: 300_000 },
    async () => {
      // The one terminal step, done by whoever installs the server.
      const out = await server.admin(
        'account',
        'create',
        '--role',
        'administrator',
        '--email',
        'kari@testvik.kommune.no',
        '--name',
        'Kari Admin',
      );
      const link = /(http:\/\/\S+#\/password\/\S+)/.exec(out)?.[1];
      expect(link).toContain(`${server.url}/kommune/#/password/`);

      // The link: choose a password, sign in.
      await page.goto(link!);
      await page.getByRole('heading', { level: 1, name: 'Velg passord' }).waitFor();
      await expectNoAxeViolations(page, 'password page');
      await page.getByLabel('Nytt passord').fill(PASSWORD);
      await page.getByLabel('Gjenta passordet').fill(PASSWORD);
      await page.getByRole('button', { name: 'Lagre passordet' }).click();
      await page.getByText('Passordet er lagret').waitFor();
      await page.getByRole('link', { name: 'Til innlogging' }).click();
      await page.getByRole('heading', { level: 1, name: 'Logg inn' }).waitFor();
      await expectNoAxeViolations(page, 'sign-in page');
      await signIn(page, server.url, 'kari@testvik.kommune.no');

      // A unit and its enrollment sheet.
      await page.getByRole('link', { name: 'Enheter', exact: true }).click();
      await page.getByRole('heading', { level: 1, name: 'Enheter' }).waitFor();
      await page.getByLabel('Kommune').fill('Testvik');
      await page.getByLabel('Navn på enheten').fill('Renovasjon');
      await page.getByRole('button', { name: 'Opprett enheten' }).click();
      await page.getByText('Enheten Renovasjon er opprettet.').waitFor();
      await expectNoAxeViolations(page, 'units page');
      await page.getByRole('button', { name: 'Lag tilkoblingskode: Renovasjon' }).click();
      await page.getByRole('heading', { level: 1, name: 'Koble nettbrettet til Renovasjon' }).waitFor();
      await expectNoAxeViolations(page, 'enrollment sheet');
      const code = (await page.locator('.sheet-code strong').textContent())!.trim();
      expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
      const sheet = (await pdfText(await page.pdf({ format: 'A4', printBackground: true }))).join('\n');
      expect(sheet).toContain('Koble nettbrettet til Renovasjon');
      expect(sheet).toContain(code);
      expect(sheet).toContain('Åpne kameraet på nettbrettet');
      expect(sheet).not.toContain('Skriv ut arket'); // buttons are not printed
      expect(await page.locator('svg.qr').count()).toBe(1);

      // A tablet in the break room, enrolled with that code, used and synced.
      const tabletContext = await browser.newContext({ locale: 'nb-NO' });
      const tablet = await tabletContext.newPage();
      await tablet.goto(server.url);
      await tablet.getByRole('heading', { level: 1, name: 'Velkommen til Nedenfra' }).waitFor();
      await tablet.getByLabel('Kommune').fill('Testvik');
      await tablet.getByLabel('Enhet', { exact: true }).fill('Lokal enhet');
      await tablet.getByLabel('Leder-PIN (4–8 sifre)').fill('2468');
      await tablet.getByLabel('Gjenta leder-PIN').fill('2468');
      await tablet.getByRole('button', { name: 'Ta i bruk nettbrettet' }).click();
      await tablet.getByRole('heading', { level: 1, name: 'Ny idé' }).waitFor();
      await tablet.goto(`${server.url}/#enroll=${encodeURIComponent(code)}`);
      await tablet.getByRole('heading', { level: 1, name: 'Koble nettbrettet til serveren' }).waitFor();
      await tablet.getByLabel('Navn på nettbrettet').fill('Pauserommet');
      await tablet.getByRole('button', { name: 'Koble til', exact: true }).click();
      await tablet.getByText('Renovasjon · Testvik', { exact: true }).waitFor();
      await tablet.goto(`${server.url}/#/capture`);
      await tablet.getByLabel('Hva er umulig nå?').fill('Bilen har ikke løftearm');
      await tablet.getByRole('button', { name: 'Lagre ideen' }).click();
      await tablet.getByText('Lagret. Takk for ideen!').waitFor();
      await tablet.getByRole('button', { name: 'Vaktslutt – synkroniser nå' }).click();
      await tablet.getByRole('status').filter({ hasText: 'Alt er sendt' }).waitFor();

      // The tablet as the console sees it.
      await page.getByRole('button', { name: 'Tilbake til enhetene' }).click();
      await page.getByRole('link', { name: 'Nettbrett' }).click();
      await page.getByRole('heading', { level: 1, name: 'Nettbrett' }).waitFor();
      const row = page.getByRole('row').filter({ hasText: 'Renovasjon' });
      await row.waitFor();
      expect(await row.getByRole('cell').nth(3).textContent()).toBe('0'); // nothing unsent, as the tablet reported
      await expectNoAxeViolations(page, 'tablets page');

      // Weeks of use in this and other units, straight into the database.
      const now = Date.now();
      const storage = await server.openStorage();
      try {
        await writeMunicipality(
          storage,
          generateMunicipality({ units: 4, ideas: 240, from: now - 120 * DAY, to: now - DAY, now, seed: 5, municipality: 'Testvik' }),
        );
      } finally {
        await storage.close();
      }

      // The report for the last four months: its numbers are the database's.
      const to = new Date(now).toISOString().slice(0, 7);
      const from = new Date(now - 100 * DAY).toISOString().slice(0, 7);
      await page.goto(`${server.url}/kommune/#/report?from=${from}&to=${to}`);
      await page.getByRole('heading', { level: 1, name: 'Rapport til styringsgruppen' }).waitFor();
      await page.locator('[data-figure="ideas"]').waitFor();
      await chartsDrawn(page);
      await expectNoAxeViolations(page, 'report page');
      const expected = await figuresInDb(server, { from, to });
      expect(expected.total.ideas).toBeGreaterThan(100);
      const shown = async (figure: string) => (await page.locator(`[data-figure="${figure}"]`).textContent())!.replace(/\s/g, ' ');
      const nb = (n: number) => new Intl.NumberFormat('nb-NO').format(n).replace(/\s/g, ' ');
      expect(await shown('ideas')).toBe(nb(expected.total.ideas));
      expect(await shown('overdue')).toBe(nb(expected.total.overdueNow));
      expect(await shown('sessions')).toBe(nb(expected.total.sessions));
      const pdf = await pdfText(await page.pdf({ format: 'A4', printBackground: true }));
      expect(pdf.length).toBeGreaterThan(1);
      const text = pdf.join('\n');
      expect(text).toContain('Rapport til styringsgruppen');
      expect(text).toContain('Ideer sendt til styringsgruppen');
      expect(text).toContain('Endringer som pågår');
      expect(text).toContain(`Ideer ${nb(expected.total.ideas)}`);
      expect(text).toContain(`Nye ideer ${nb(expected.total.funnel.new)}`);
      expect(text).toContain(`Ny praksis ${nb(expected.total.funnel.newPractice)}`);
      expect(text).not.toContain('Skriv ut rapporten');

      await tabletContext.close();
    },
  );

  it('every page in three languages with axe; accounts, log, export, sign out everywhere', { timeout: 300_000 }, async () => {
    await page.goto(`${server.url}/kommune/#/overview`);
    await page.getByRole('heading', { level: 1, name: 'Oversikt' }).waitFor();
    await chartsDrawn(page);
    await expectNoAxeViolations(page, 'overview (nb)');
    // Every chart has its table.
    expect(await page.locator('section.chart').count()).toBe(await page.locator('section.chart table').count());

    await page.getByLabel('Språk').selectOption('nn');
    await page.getByRole('heading', { level: 1, name: 'Oversikt' }).waitFor();
    await page.getByRole('heading', { name: 'Nøkkeltal' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('nn');
    await chartsDrawn(page);
    await expectNoAxeViolations(page, 'overview (nn)');
    for (const [link, heading] of [
      ['Einingar', 'Einingar'],
      ['Nettbrett', 'Nettbrett'],
      ['Kontoar', 'Kontoar'],
      ['Logg', 'Logg over endringar'],
      ['Eksport', 'Eksport til rekneark'],
      ['Kontoen min', 'Kontoen min'],
      ['Styringsgruppa', 'Styringsgruppa'],
      // Before the pages that link to it in their text too.
      ['Personvern', 'Personvern i Nedenfra'],
      ['Frå andre einingar', 'Frå andre einingar'],
      ['Personopplysningar', 'Personopplysningar'],
    ] as const) {
      await page.getByRole('link', { name: link, exact: true }).click();
      await page.getByRole('heading', { level: 1, name: heading }).waitFor();
      await expectNoAxeViolations(page, `${heading} (nn)`);
    }

    await page.getByLabel('Språk').selectOption('en');
    await page.getByRole('link', { name: 'Accounts', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Accounts' }).waitFor();
    await page.getByLabel('E-mail').fill('ola@testvik.kommune.no');
    await page.getByLabel('Name', { exact: true }).fill('Ola Veileder');
    await page.getByLabel('Role', { exact: true }).selectOption('adviser');
    await page.getByRole('button', { name: 'Create the account' }).click();
    await page.getByText('Send this link to ola@testvik.kommune.no').waitFor();
    await expectNoAxeViolations(page, 'accounts (en)');
    const adviserLink = (await page.locator('code.link').textContent())!;
    expect(adviserLink).toContain('/kommune/#/password/');

    await page.getByRole('link', { name: 'Log', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Log of changes' }).waitFor();
    for (const action of ['Account created', 'Unit created', 'Enrollment code made', 'Password chosen'])
      await page.getByRole('cell', { name: action }).first().waitFor();
    await expectNoAxeViolations(page, 'log (en)');

    await page.getByRole('link', { name: 'Export', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Export to a spreadsheet' }).waitFor();
    await expectNoAxeViolations(page, 'export (en)');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download CSV' }).click()]);
    const csv = Buffer.concat(
      await (async () => {
        const s = await download.createReadStream();
        const chunks: Buffer[] = [];
        for await (const c of s) chunks.push(c as Buffer);
        return chunks;
      })(),
    );
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv.toString('utf8', 3, 200)).toMatch(/^Idea id;Unit;Recorded;What is impossible now;/);

    await page.getByRole('link', { name: 'Report', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Report to the steering group' }).waitFor();
    await chartsDrawn(page);
    await expectNoAxeViolations(page, 'report (en)');

    // Sign out everywhere: this browser and a second one both land on the sign-in page.
    const other = await browser.newContext({ locale: 'nb-NO' });
    const otherPage = await other.newPage();
    await signIn(otherPage, server.url, 'kari@testvik.kommune.no');
    await page.getByRole('link', { name: 'My account', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'My account' }).waitFor();
    await expectNoAxeViolations(page, 'my account (en)');
    await page.getByRole('button', { name: 'Sign out everywhere' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    await page.getByText('Your session has ended').waitFor();
    await otherPage.getByRole('link', { name: 'Enheter', exact: true }).click();
    await otherPage.getByRole('heading', { level: 1, name: 'Logg inn' }).waitFor();
    await other.close();
  });
});
