/**
 * The tablet on a municipal network, in real Chromium against the real server
 * (src/server/main.ts as a child process, serving dist/ and the API):
 *
 * - over HTTPS with a throwaway certificate made here with openssl for the
 *   name nedenfra.test, which Chromium resolves to 127.0.0.1 and trusts by
 *   its key (--ignore-certificate-errors-spki-list), so the page is a
 *   genuinely secure context on a name that is not localhost: one online
 *   visit, then capture with a photo offline, enrollment through the link
 *   `admin code create` prints (PUBLIC_URL), sync; every screen visited with
 *   no Content-Security-Policy violation;
 * - over plain HTTP on the same name: one clear screen saying to use HTTPS.
 */
import { execFile, execFileSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createUnit } from '../../src/server/admin';
import { openSqliteStorage } from '../../src/server/storage/sqlite';
import { ROUTE_IDS } from '../../src/ui/navigation';
import { startServerProcess, type ServerProcess } from '../server/serverProcess';
import {
  expectNoAxeViolations,
  launchBrowser,
  waitForServiceWorker,
  testPng,
  type Browser,
  type BrowserContext,
  type Page,
} from './harness';

const HOST = 'nedenfra.test';
const dir = mkdtempSync(path.join(tmpdir(), 'nedenfra-e2e-network-'));
const dbPath = path.join(dir, 'server.sqlite');
let secure: ServerProcess;
let plain: ServerProcess;
let browser: Browser;
let unitId = '';

/** The server's address as the tablet knows it: our host name, the server's port. */
const onHost = (server: ServerProcess) => server.url.replace('127.0.0.1', HOST);

function makeCertificate(): { cert: string; key: string; spki: string } {
  const cert = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  execFileSync('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-days',
    '1',
    '-subj',
    `/CN=${HOST}`,
    '-addext',
    `subjectAltName=DNS:${HOST}`,
    '-keyout',
    key,
    '-out',
    cert,
  ]);
  const publicKey = new X509Certificate(readFileSync(cert)).publicKey.export({ type: 'spki', format: 'der' });
  return { cert, key, spki: createHash('sha256').update(publicKey).digest('base64') };
}

beforeAll(async () => {
  const { cert, key, spki } = makeCertificate();
  const storage = await openSqliteStorage(dbPath);
  unitId = (await createUnit(storage, { municipality: 'Testvik kommune', name: 'Avdeling 2. etasje' })).id;
  await storage.close();
  secure = await startServerProcess(
    { NEDENFRA_DB: dbPath, DATABASE_URL: '', TLS_CERT: cert, TLS_KEY: key },
    // Healthy once it answers over TLS (the certificate is for nedenfra.test, so only the handshake is checked here).
    {
      scheme: 'https',
      ready: async (url) => {
        const { request } = await import('node:https');
        return new Promise<boolean>((resolve) => {
          const req = request(`${url}/api/v1/health`, { ca: readFileSync(cert), servername: HOST, timeout: 1000 }, (res) => {
            res.resume();
            resolve(res.statusCode === 200);
          });
          req.on('error', () => resolve(false));
          req.end();
        });
      },
    },
  );
  plain = await startServerProcess({ NEDENFRA_DB: path.join(dir, 'plain.sqlite'), DATABASE_URL: '' });
  browser = await launchBrowser([`--host-resolver-rules=MAP ${HOST} 127.0.0.1`, `--ignore-certificate-errors-spki-list=${spki}`]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await secure?.stop();
  await plain?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Every CSP violation a document reports (and console complaints about the policy), collected across navigations. */
async function watchCsp(context: BrowserContext, page: Page): Promise<() => Promise<string[]>> {
  await context.addInitScript(() => {
    const w = window as unknown as { __csp?: string[] };
    w.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      w.__csp!.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`),
    );
  });
  const seen: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) seen.push(`console: ${m.text()}`);
  });
  const collect = async () => {
    seen.push(...(await page.evaluate(() => (window as unknown as { __csp?: string[] }).__csp?.splice(0) ?? [])));
  };
  page.on('framenavigated', () => void collect().catch(() => undefined));
  return async () => {
    await collect();
    return seen;
  };
}

/** Offline for the page AND its service worker. */
async function setOnline(context: BrowserContext, online: boolean) {
  await context.setOffline(!online);
  if (online) await context.unroute('**/api/**');
  else await context.route('**/api/**', (route) => route.abort('internetdisconnected'));
}

/** Open a screen by its hash route and wait until it has rendered: a new heading, no lazy loader left. */
async function visit(page: Page, route: string) {
  const before = await page.evaluateHandle(() => document.querySelector('main h1'));
  await page.evaluate((hash) => (window.location.hash = hash), `#/${route}`);
  await page.waitForFunction((old) => {
    const h1 = document.querySelector('main h1');
    return h1 !== null && h1 !== old && !document.querySelector('main .loading');
  }, before);
}

it(
  'over HTTPS on a network name: secure, offline after one visit, capture with photo, enroll via the admin link, sync; no CSP violation anywhere',
  { timeout: 240_000 },
  async () => {
    const url = onHost(secure);
    expect(url).toMatch(/^https:\/\/nedenfra\.test:\d+$/);
    const context = await browser.newContext({ locale: 'nb-NO', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const cspViolations = await watchCsp(context, page);
    const encodings = new Map<string, string | null>();
    page.on('response', (r) => {
      if (r.url().includes('/assets/') && r.url().endsWith('.js'))
        void r.headerValue('content-encoding').then((v) => encodings.set(r.url(), v));
    });

    await page.goto(url);
    expect(await page.evaluate(() => ({ secure: window.isSecureContext, crypto: typeof crypto.subtle?.digest }))).toEqual({
      secure: true,
      crypto: 'function',
    });
    await waitForServiceWorker(page);
    await page.getByRole('heading', { level: 1, name: 'Velkommen til Nedenfra' }).waitFor();
    // The app came compressed (files under 1 KB are not worth it and come as they are).
    const entry = [...encodings.entries()].find(([u]) => /\/assets\/index-[^/]+\.js$/.test(u));
    expect(entry?.[1]).toBe('br');

    await page.getByLabel('Kommune').fill('Testvik');
    await page.getByLabel('Enhet', { exact: true }).fill('Lokal enhet');
    await page.getByLabel('Leder-PIN (4–8 sifre)').fill('2468');
    await page.getByLabel('Gjenta leder-PIN').fill('2468');
    await page.getByRole('button', { name: 'Ta i bruk nettbrettet' }).click();
    await page.getByRole('heading', { level: 1, name: 'Ny idé' }).waitFor();

    // Offline: the service worker starts the app; an idea with a photo is captured.
    await setOnline(context, false);
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Ny idé' }).waitFor();
    await page.getByLabel('Hva er umulig nå?').fill('Nettbrett i pauserommet over HTTPS');
    await page.getByLabel('Bilder (valgfritt)').setInputFiles({ name: 'rom.png', mimeType: 'image/png', buffer: testPng(320, 240) });
    await page.getByRole('img', { name: 'Bilde 1 som lagres med ideen' }).waitFor();
    await page.getByRole('button', { name: 'Lagre ideen' }).click();
    await page.getByText('Lagret. Takk for ideen!').waitFor();

    // Online again: the administrator's link (PUBLIC_URL) enrolls the tablet; the idea and photo sync.
    await setOnline(context, true);
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'src/server/admin.ts', 'code', 'create', '--unit', unitId],
      {
        cwd: path.resolve(import.meta.dirname, '../..'),
        env: { ...process.env, NEDENFRA_DB: dbPath, DATABASE_URL: '', PUBLIC_URL: url },
      },
    );
    const link = /URL: (\S+)/.exec(stdout)?.[1] ?? '';
    expect(link.startsWith(`${url}/#enroll=`)).toBe(true);
    expect(stdout).not.toMatch(/need HTTPS/);
    await page.goto(link);
    await page.getByRole('heading', { level: 1, name: 'Koble nettbrettet til serveren' }).waitFor();
    expect(await page.getByLabel('Serveradresse').inputValue()).toBe(url);
    await page.getByLabel('Navn på nettbrettet').fill('Pauserommet');
    await expectNoAxeViolations(page, 'enroll screen over HTTPS');
    await page.getByRole('button', { name: 'Koble til', exact: true }).click();
    await page.getByText('Koblet til Avdeling 2. etasje. Henter alt fra serveren …').waitFor();
    await page.getByRole('button', { name: 'Vaktslutt – synkroniser nå' }).click();
    await page.getByRole('status').filter({ hasText: 'Alt er sendt' }).waitFor();
    await page.getByRole('button', { name: 'Vaktslutt – synkroniser nå' }).and(page.locator(':enabled')).waitFor();
    const storage = await openSqliteStorage(dbPath);
    try {
      const ideas = await storage.read((tx) => tx.listRecords('ideas'));
      expect(ideas.map((r) => r.data.impossibleNow)).toEqual(['Nettbrett i pauserommet over HTTPS']);
      const photo = (ideas[0]!.data.photos as string[])[0]!;
      expect(await storage.read((tx) => tx.blobInfo(photo))).toMatchObject({ unitId });
    } finally {
      await storage.close();
    }

    // Leader PIN (PBKDF2 through WebCrypto), a prompt session, and then every screen of the app.
    await visit(page, 'unit-settings');
    await page.getByLabel('Leder-PIN').fill('2468');
    await page.getByLabel('Ditt navn').fill('Kari');
    await page.getByRole('button', { name: 'Gå til ledermodus' }).click();
    await page.getByText('Ledermodus er på.', { exact: false }).waitFor();
    await visit(page, 'sessions');
    await page.getByLabel('Møteleder').fill('Kari');
    await page.getByRole('button', { name: 'Start idémøtet' }).click();
    await page.getByRole('heading', { level: 1, name: 'Hva er umulig nå?' }).waitFor();
    const sessionId = /#\/session-live\/([^/]+)/.exec(page.url())?.[1] ?? 'none';
    await visit(page, 'board');
    const ideaId = /#\/idea\/([^/]+)/.exec(
      (await page.getByRole('link', { name: 'Nettbrett i pauserommet over HTTPS' }).getAttribute('href')) ?? '',
    )?.[1];
    expect(ideaId).toBeTruthy();
    const param: Partial<Record<(typeof ROUTE_IDS)[number], string>> = {
      idea: ideaId!,
      evaluate: ideaId!,
      decide: ideaId!,
      session: sessionId,
      'session-live': sessionId,
    };
    for (const route of ROUTE_IDS) await visit(page, param[route] ? `${route}/${param[route]}` : route);
    await visit(page, 'about');
    await expectNoAxeViolations(page, 'about over HTTPS');

    expect(await cspViolations()).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  },
);

it(
  'opened over plain HTTP on a network name: one clear screen saying to use HTTPS, in all three languages',
  { timeout: 120_000 },
  async () => {
    const url = onHost(plain);
    const context = await browser.newContext({ locale: 'nb-NO' });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    const cspViolations = await watchCsp(context, page);
    await page.goto(url);
    expect(await page.evaluate(() => window.isSecureContext)).toBe(false);
    await page.getByRole('heading', { level: 1, name: 'Åpne Nedenfra med https://' }).waitFor();
    await page.getByText(url, { exact: false }).first().waitFor();
    // Nothing half-works behind it: no first-run form, no service worker.
    expect(await page.getByLabel('Kommune').count()).toBe(0);
    expect(await page.evaluate(() => 'serviceWorker' in navigator)).toBe(false);
    await expectNoAxeViolations(page, 'insecure context (nb)');

    await page.getByLabel('Språk').selectOption('nn');
    await page.getByRole('heading', { level: 1, name: 'Opne Nedenfra med https://' }).waitFor();
    await page.getByLabel('Språk').selectOption('en');
    await page.getByRole('heading', { level: 1, name: 'Open Nedenfra with https://' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    await expectNoAxeViolations(page, 'insecure context (en)');
    expect(await cspViolations()).toEqual([]);
    await context.close();
  },
);
