/**
 * Issue #14's "done when", in real Chromium against the real server (the
 * built app and console served by src/server/main.ts), on SQLite and on
 * PostgreSQL:
 *   - a forwarded idea gets a published steering-group answer (console:
 *     inbox, meeting, agenda, decision, publish, printed minutes) that its
 *     bearer sees on the break-room tablet, on the idea and in "recently
 *     decided";
 *   - another unit finds it in "Fra andre enheter" offline, with no name
 *     crossing units (nothing in that tablet's IndexedDB), and takes it up;
 *   - the bearer's name is exported, then erased everywhere: the server's
 *     records and conflict log, and the tablet's copy after its next sync.
 * Every new screen is checked with axe.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TABLE_NAMES } from '../../src/domain';
import { pdfText, startRealServer, type RealServer } from './consoleHarness';
import { expectNoAxeViolations, launchBrowser, type Browser, type BrowserContext, type Page } from './harness';

const PASSWORD = 'en lang og god passordsetning';
const KARI = 'Kari Nordmann';
const OLA = 'Ola Driftsleder';
const IDEA = 'Bilen har ikke løftearm';

/** Everything a tablet's IndexedDB holds, as text (every store of every database of the origin). */
async function tabletStorage(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const out: unknown[] = [];
    for (const info of await indexedDB.databases()) {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const r = indexedDB.open(info.name!);
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(new Error(String(r.error)));
      });
      for (const store of [...db.objectStoreNames]) {
        const rows = await new Promise<unknown[]>((resolve, reject) => {
          const r = db.transaction(store).objectStore(store).getAll();
          r.onsuccess = () => resolve(r.result);
          r.onerror = () => reject(new Error(String(r.error)));
        });
        out.push(rows.map((row) => (row instanceof Blob ? null : row)));
      }
      db.close();
    }
    return JSON.stringify(out);
  });
}

async function enrollTablet(
  browser: Browser,
  server: RealServer,
  unitId: string,
  unitName: string,
): Promise<{ context: BrowserContext; page: Page }> {
  const code = /Enrollment code: (\S+)/.exec(await server.admin('code', 'create', '--unit', unitId))![1]!;
  const context = await browser.newContext({ locale: 'nb-NO' });
  const page = await context.newPage();
  await page.goto(server.url);
  await page.getByRole('heading', { level: 1, name: 'Velkommen til Nedenfra' }).waitFor();
  await page.getByLabel('Kommune').fill('Testvik');
  await page.getByLabel('Enhet', { exact: true }).fill('Lokal enhet');
  await page.getByLabel('Leder-PIN (4–8 sifre)').fill('2468');
  await page.getByLabel('Gjenta leder-PIN').fill('2468');
  await page.getByRole('button', { name: 'Ta i bruk nettbrettet' }).click();
  await page.getByRole('heading', { level: 1, name: 'Ny idé' }).waitFor();
  await page.goto(`${server.url}/#enroll=${encodeURIComponent(code)}`);
  await page.getByRole('heading', { level: 1, name: 'Koble nettbrettet til serveren' }).waitFor();
  await page.getByLabel('Navn på nettbrettet').fill('Pauserommet');
  await page.getByRole('button', { name: 'Koble til', exact: true }).click();
  await page.getByText(`${unitName} · Testvik`, { exact: true }).waitFor();
  return { context, page };
}

/** A whole sync pass by hand: it has pulled, and the button is back (the bar may already have said "Alt er sendt" before). */
async function sync(page: Page) {
  const button = page.getByRole('button', { name: 'Vaktslutt – synkroniser nå' });
  await Promise.all([page.waitForResponse((r) => r.url().includes('/api/v1/pull')), button.click()]);
  await expect.poll(() => button.isEnabled()).toBe(true);
  await page.getByRole('status').filter({ hasText: 'Alt er sendt' }).waitFor();
}

describe.each(['sqlite', 'postgres'] as const)('steering group, other units and personal data on %s', (kind) => {
  let server: RealServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startRealServer(kind);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it(
    'a forwarded idea gets a published answer its bearer sees; another unit takes it up offline, nameless; the name is exported and erased everywhere',
    { timeout: 300_000 },
    async () => {
      const link = /(http:\/\/\S+#\/password\/\S+)/.exec(
        await server.admin('account', 'create', '--role', 'administrator', '--email', 'admin@testvik.kommune.no', '--name', 'Adm Testvik'),
      )![1]!;
      const renovasjon = (await server.admin('unit', 'create', '--municipality', 'Testvik', '--name', 'Renovasjon')).trim();
      const hjemmetjenesten = (await server.admin('unit', 'create', '--municipality', 'Testvik', '--name', 'Hjemmetjenesten')).trim();

      // The bearer writes the idea with her name; the leader forwards it to the steering group.
      const a = await enrollTablet(browser, server, renovasjon, 'Renovasjon');
      await a.page.goto(`${server.url}/#/capture`);
      await a.page.getByLabel('Hva er umulig nå?').fill(IDEA);
      await a.page.getByText('Mer (valgfritt)').click();
      await a.page.getByLabel('Med navnet mitt').check();
      await a.page.getByLabel('Navnet ditt').fill(KARI);
      await a.page.getByRole('button', { name: 'Lagre ideen' }).click();
      await a.page.getByText('Lagret. Takk for ideen!').waitFor();
      await a.page.getByRole('link', { name: 'Leder' }).click();
      await a.page.getByLabel('Leder-PIN').fill('2468');
      await a.page.getByLabel('Ditt navn').fill('Per Leder');
      await a.page.getByRole('button', { name: 'Gå til ledermodus' }).click();
      await a.page.getByText('Ledermodus er på.', { exact: false }).waitFor();
      await a.page.getByRole('link', { name: 'Idétavle' }).click();
      await a.page.getByRole('link', { name: IDEA }).first().click();
      await a.page.getByRole('link', { name: 'Beslutt' }).click();
      await a.page.getByRole('heading', { level: 1, name: 'Beslutning' }).waitFor();
      await a.page.getByLabel('Sende videre til styringsgruppen').check();
      await a.page.getByLabel('Begrunnelse').fill('Trenger penger fra kommunen.');
      await a.page.getByLabel('Tillitsvalgt', { exact: true }).check();
      await a.page.getByRole('button', { name: 'Lagre utkast' }).click();
      await a.page.getByText('Utkastet er lagret.', { exact: false }).waitFor();
      await a.page.getByRole('button', { name: 'Publiser …' }).click();
      await a.page.getByRole('button', { name: 'Publiser nå' }).click();
      await a.page.getByRole('heading', { name: 'Gjeldende beslutning' }).waitFor();
      await sync(a.page);

      // The adviser's console: inbox, a meeting, the agenda, the decision, published; the minutes printed.
      const consoleContext = await browser.newContext({ locale: 'nb-NO' });
      const c = await consoleContext.newPage();
      await c.goto(link);
      await c.getByLabel('Nytt passord').fill(PASSWORD);
      await c.getByLabel('Gjenta passordet').fill(PASSWORD);
      await c.getByRole('button', { name: 'Lagre passordet' }).click();
      await c.getByRole('link', { name: 'Til innlogging' }).click();
      await c.getByLabel('E-post').fill('admin@testvik.kommune.no');
      await c.getByLabel('Passord').fill(PASSWORD);
      await c.getByRole('button', { name: 'Logg inn' }).click();
      await c.getByRole('heading', { level: 1, name: 'Oversikt' }).waitFor();
      await c.getByRole('link', { name: 'Styringsgruppen', exact: true }).click();
      await c.getByRole('heading', { level: 1, name: 'Styringsgruppen' }).waitFor();
      await c.getByText(IDEA).waitFor();
      await c.getByText('Trenger penger fra kommunen.').waitFor();
      await c.getByLabel('Tittel').fill('Desembermøtet');
      await c.getByLabel('Dato').fill(new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10));
      await c.getByRole('button', { name: 'Lag møtet' }).click();
      await c.getByText('Møtet «Desembermøtet» er laget.').waitFor();
      await c.getByRole('button', { name: 'Sett på sakslisten' }).click();
      await c.getByText('Satt på sakslisten for Desembermøtet.').waitFor();
      await expectNoAxeViolations(c, 'steering inbox');
      await c.getByRole('link', { name: /Desembermøtet/ }).click();
      await c.getByRole('heading', { level: 1, name: 'Desembermøtet' }).waitFor();
      await c.getByRole('button', { name: 'Før vedtak' }).click();
      await c.getByLabel('Utfall').selectOption('adopt');
      await c.getByLabel('Begrunnelse').fill('Innføres i hele kommunen fra neste år.');
      await c.getByLabel('Ansvarlig').fill(OLA);
      await c.getByLabel('Oppfølging').fill('2027-03-01');
      await c.getByRole('button', { name: 'Lagre utkast' }).click();
      await c.getByText('Utkastet er lagret.', { exact: false }).waitFor();
      await c.getByLabel('Publisert av').fill('Styringsgruppen');
      await expectNoAxeViolations(c, 'steering meeting');
      await c.getByRole('button', { name: 'Publiser vedtaket' }).click();
      await c.getByText('Vedtaket er publisert.', { exact: false }).waitFor();
      await c.getByText('Gjeldende svar', { exact: false }).waitFor();
      await c.getByRole('link', { name: 'Protokoll (til utskrift)' }).click();
      await c.getByRole('heading', { level: 1, name: 'Protokoll: Desembermøtet' }).waitFor();
      await expectNoAxeViolations(c, 'steering minutes');
      const minutes = (await pdfText(await c.pdf({ format: 'A4' }))).join('\n');
      expect(minutes).toContain('Innføres i hele kommunen fra neste år.');
      expect(minutes).toContain('Innføre i hele kommunen');
      expect(minutes).not.toContain('Skriv ut');

      // The bearer sees the steering group's answer on the tablet, on the idea and in "recently decided".
      await sync(a.page);
      await a.page.getByRole('link', { name: 'Idétavle' }).click();
      const strip = a.page.getByRole('region', { name: 'Nylig besluttet' });
      await strip.getByText('Styringsgruppen: Ideen innføres i hele kommunen.').waitFor();
      await a.page.getByRole('link', { name: IDEA }).first().click();
      await a.page.getByRole('heading', { level: 3, name: 'Styringsgruppens svar' }).waitFor();
      await a.page.getByText('Begrunnelse: Innføres i hele kommunen fra neste år.').waitFor();
      await expectNoAxeViolations(a.page, 'idea with the steering group answer');

      // Another unit finds it, offline, with no name crossing units, and takes it up.
      const b = await enrollTablet(browser, server, hjemmetjenesten, 'Hjemmetjenesten');
      await sync(b.page);
      await b.context.setOffline(true);
      await b.page.getByRole('link', { name: 'Fra andre enheter' }).click();
      await b.page.getByRole('heading', { level: 1, name: 'Fra andre enheter' }).waitFor();
      await b.page.getByRole('heading', { level: 2, name: IDEA }).waitFor();
      await b.page.getByLabel('Søk').fill('kaffe');
      await b.page.getByRole('heading', { level: 2, name: IDEA }).waitFor({ state: 'detached' });
      await b.page.getByLabel('Søk').fill('løftearm');
      await b.page.getByLabel('Type endring').selectOption('all');
      await b.page.getByRole('heading', { level: 2, name: IDEA }).waitFor();
      await expectNoAxeViolations(b.page, 'from other units');
      const bHolds = await tabletStorage(b.page);
      expect(bHolds).toContain(IDEA);
      expect(bHolds).not.toContain(KARI);
      expect(bHolds).not.toContain(OLA);
      expect(bHolds).not.toContain('Per Leder');
      await b.page.getByRole('button', { name: 'Vi vil prøve dette også' }).click();
      await b.page.getByRole('link', { name: `Tatt opp fra Renovasjon: ${IDEA}` }).waitFor();
      await b.context.setOffline(false);
      await sync(b.page);
      await b.page.getByRole('link', { name: 'Om appen' }).click();
      await b.page.getByRole('link', { name: 'Personvern' }).click();
      await b.page.getByRole('heading', { level: 1, name: 'Personvern i Nedenfra' }).waitFor();
      await expectNoAxeViolations(b.page, 'tablet privacy page');

      // The console's library counts the take-up.
      await c.getByRole('link', { name: 'Fra andre enheter' }).click();
      await c.getByText('Tatt opp av andre enheter (1): Hjemmetjenesten').waitFor();
      await expectNoAxeViolations(c, 'console library');

      // Personal data: find, export (only what names her), erase everywhere.
      await c.getByRole('link', { name: 'Personopplysninger' }).click();
      await c.getByLabel('Navn').fill('kari');
      await c.getByRole('button', { name: 'Søk' }).click();
      await c.getByRole('heading', { level: 2, name: KARI }).waitFor();
      await expectNoAxeViolations(c, 'personal data');
      const exported = (await (
        await c.request.get(`${server.url}/kommune/api/personal-data/export.json?name=${encodeURIComponent(KARI)}`)
      ).json()) as {
        records: Array<{ table: string; data: Record<string, unknown> }>;
      };
      expect(exported.records.map((r) => r.table).sort()).toEqual(['ideas']);
      expect(exported.records[0]!.data.impossibleNow).toBe(IDEA);
      await c.getByRole('button', { name: `Slett navnet ${KARI} …` }).click();
      await c.getByRole('button', { name: `Slett ${KARI} nå` }).click();
      await c.getByText(/Slettet: 1 poster/).waitFor();

      const storage = await server.openStorage();
      try {
        const all = (await Promise.all(TABLE_NAMES.map((t) => storage.read((tx) => tx.listRecords(t))))).flat();
        expect(JSON.stringify(all)).not.toContain(KARI);
        expect(JSON.stringify(await storage.read((tx) => tx.listConflicts()))).not.toContain(KARI);
      } finally {
        await storage.close();
      }
      expect(await tabletStorage(a.page)).toContain(KARI);
      await sync(a.page);
      expect(await tabletStorage(a.page)).not.toContain(KARI);

      // The privacy page is there without signing in.
      const anonymous = await browser.newContext({ locale: 'nb-NO' });
      const p = await anonymous.newPage();
      await p.goto(`${server.url}/kommune/#/privacy`);
      await p.getByRole('heading', { level: 1, name: 'Personvern i Nedenfra' }).waitFor();
      await expectNoAxeViolations(p, 'console privacy page');

      await Promise.all([a.context.close(), b.context.close(), consoleContext.close(), anonymous.close()]);
    },
  );
});
