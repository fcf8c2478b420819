/**
 * Sync end to end: the REAL server (a child process serving dist/ and the API
 * on SQLite) and two tablets of one unit as two Chromium contexts. Each
 * enrolls, captures ideas offline (setOffline plus request interception, which
 * also covers the service worker), comes back online, presses "End of shift —
 * sync now", and sees the other's ideas without a reload. Then the server is
 * killed with SIGKILL after committing a push but before answering, restarted
 * on the same database, and after syncing every idea exists exactly once.
 * Issue #9's defect 1 end to end: an answer published on one tablet survives
 * an evaluation recorded offline on the other.
 * The service worker's Background Sync sends what was captured offline with
 * the app closed, and shares the Web Lock with the tabs (issue #16 point 9:
 * both only ever ran in Node before, where neither exists).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createEnrollmentCode, createUnit } from '../../src/server/admin';
import { SYNC_LOCK, SYNC_TAG } from '../../src/data/sync/scheduler';
import { openSqliteStorage } from '../../src/server/storage/sqlite';
import { freePort, startServerProcess, type ServerProcess } from '../server/serverProcess';
import { expectNoAxeViolations, launchBrowser, type Browser, type BrowserContext, type Page } from './harness';

const dir = mkdtempSync(path.join(tmpdir(), 'nedenfra-e2e-sync-'));
const dbPath = path.join(dir, 'server.sqlite');
let port = 0;
let server: ServerProcess | null = null;
let browser: Browser;

/** The server on the same port every time: the tablets know its address. */
async function startServer(): Promise<void> {
  server = await startServerProcess({ NEDENFRA_DB: dbPath, DATABASE_URL: '' }, { port });
}

async function killServer(): Promise<void> {
  await server?.kill();
  server = null;
}

async function serverIdeaTexts(): Promise<string[]> {
  const storage = await openSqliteStorage(dbPath);
  try {
    return (await storage.read((tx) => tx.listRecords('ideas')))
      .filter((r) => !r.deleted)
      .map((r) => String(r.data.impossibleNow))
      .sort();
  } finally {
    await storage.close();
  }
}

beforeAll(async () => {
  port = await freePort();
  await startServer();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await killServer();
  rmSync(dir, { recursive: true, force: true });
});

const url = () => `http://127.0.0.1:${port}`;

/** Offline for the page AND its service worker: setOffline alone does not cover service-worker requests. */
async function setOnline(context: BrowserContext, online: boolean) {
  await context.setOffline(!online);
  if (online) await context.unroute('**/api/**');
  else await context.route('**/api/**', (route) => route.abort('internetdisconnected'));
}

async function tablet(code: string, name = 'Pauserommet 2. etasje'): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ locale: 'nb-NO' });
  const page = await context.newPage();
  // The tablet was first used on its own (a local unit), then the leader's QR code is scanned.
  await page.goto(url());
  await page.getByRole('heading', { level: 1, name: 'Velkommen til Nedenfra' }).waitFor();
  await page.getByLabel('Kommune').fill('Testvik');
  await page.getByLabel('Enhet', { exact: true }).fill('Lokal enhet');
  await page.getByLabel('Leder-PIN (4–8 sifre)').fill('1357');
  await page.getByLabel('Gjenta leder-PIN').fill('1357');
  await page.getByRole('button', { name: 'Ta i bruk nettbrettet' }).click();
  await page.getByRole('heading', { level: 1, name: 'Ny idé' }).waitFor();
  await page.goto(`${url()}/#enroll=${encodeURIComponent(code)}`);
  await page.getByRole('heading', { level: 1, name: 'Koble nettbrettet til serveren' }).waitFor();
  expect(await page.getByLabel('Serveradresse').inputValue()).toBe(url());
  expect(await page.getByLabel('Kode').inputValue()).toBe(code);
  await page.getByLabel('Navn på nettbrettet').fill(name);
  await expectNoAxeViolations(page, 'enroll screen');
  await page.getByRole('button', { name: 'Koble til', exact: true }).click();
  // Success shows on the capture screen, and the used code is gone from the address.
  await page.getByText('Koblet til Avdeling 2. etasje. Henter alt fra serveren …').waitFor();
  await page.getByRole('heading', { level: 1, name: 'Ny idé' }).waitFor();
  expect(new URL(page.url()).hash).toBe('#/capture');
  await page.getByText('Avdeling 2. etasje · Testvik kommune').waitFor();
  return { context, page };
}

async function capture(page: Page, text: string) {
  await page.goto(`${url()}/#/capture`);
  await page.getByLabel('Hva er umulig nå?').fill(text);
  await page.getByRole('button', { name: 'Lagre ideen' }).click();
  await page.getByText('Lagret. Takk for ideen!').waitFor();
}

/**
 * Fire the service worker's Background Sync now, as Chromium does once a
 * registered tag can go through (and DevTools' "Sync" button), whether or not
 * a tab of the app is open: any page of the context reaches its workers.
 */
async function fireBackgroundSync(context: BrowserContext): Promise<void> {
  const page = await context.newPage();
  try {
    const cdp = await context.newCDPSession(page);
    const registrationId = new Promise<string>((resolve) =>
      cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
        const ours = registrations.find((r) => r.scopeURL === `${url()}/` && !r.isDeleted);
        if (ours) resolve(ours.registrationId);
      }),
    );
    await cdp.send('ServiceWorker.enable');
    await cdp.send('ServiceWorker.dispatchSyncEvent', {
      origin: url(),
      registrationId: await registrationId,
      tag: SYNC_TAG,
      lastChance: false,
    });
    await cdp.detach();
  } finally {
    await page.close();
  }
}

/** The Web Locks of the origin, as a tab sees them. */
const webLocks = (page: Page) =>
  page.evaluate(async () => {
    const { held = [], pending = [] } = await navigator.locks.query();
    return { held: held.map((l) => l.name), pending: pending.map((l) => l.name) };
  });

/**
 * Until every pass the tablet started has ended: no API request for 2 s and no sync lock held. syncNow can return
 * before the pass its click started has even begun (the status already says "Alt er sendt"), so a test that counts
 * the requests of what comes next waits for this first.
 */
async function settled(context: BrowserContext, page: Page) {
  let last = Date.now();
  const onRequest = (request: { url(): string }) => {
    if (new URL(request.url()).pathname.startsWith('/api/')) last = Date.now();
  };
  context.on('request', onRequest);
  try {
    await expect
      .poll(async () => Date.now() - last > 2000 && (await webLocks(page)).held.length === 0, { timeout: 30_000, interval: 250 })
      .toBe(true);
  } finally {
    context.off('request', onRequest);
  }
}

async function syncNow(page: Page) {
  await page.getByRole('button', { name: 'Vaktslutt – synkroniser nå' }).click();
  await page.getByRole('status').filter({ hasText: 'Alt er sendt' }).waitFor();
  await page.getByRole('button', { name: 'Vaktslutt – synkroniser nå' }).and(page.locator(':enabled')).waitFor();
}

it('two tablets sync offline work through the real server, and survive a SIGKILL mid-sync', { timeout: 180_000 }, async () => {
  const storage = await openSqliteStorage(dbPath);
  const unit = await createUnit(storage, { municipality: 'Testvik kommune', name: 'Avdeling 2. etasje' });
  const codes = [
    (await createEnrollmentCode(storage, { unitId: unit.id })).code,
    (await createEnrollmentCode(storage, { unitId: unit.id })).code,
  ];
  await storage.close();

  const a = await tablet(codes[0]!, 'Tablett A');
  const b = await tablet(codes[1]!, 'Tablett B');

  await setOnline(a.context, false);
  await setOnline(b.context, false);
  await capture(a.page, 'Tablett A: egen garderobe for vikarer');
  await capture(b.page, 'Tablett B: faste turnuser i sommer');
  await a.page.getByRole('status').filter({ hasText: '1 usendt endring' }).waitFor();

  await setOnline(a.context, true);
  await setOnline(b.context, true);
  await syncNow(a.page);
  await syncNow(b.page);
  await syncNow(a.page);
  for (const { page } of [a, b]) {
    await page.goto(`${url()}/#/board`); // a hash change: the page is not reloaded
    await page.getByRole('link', { name: 'Tablett A: egen garderobe for vikarer' }).waitFor();
    await page.getByRole('link', { name: 'Tablett B: faste turnuser i sommer' }).waitFor();
  }

  // SIGKILL after the server committed A's push but before the answer reached the tablet.
  await capture(a.page, 'Tablett A: etter krasjen');
  let killed = false;
  await a.context.route('**/api/v1/push', async (route) => {
    // A second sender (the service worker's Background Sync) may push too; after the kill nothing gets through.
    if (!killed) {
      killed = true;
      await route.fetch(); // the server applies and commits the batch …
      await killServer(); // … and dies before the tablet hears back
    }
    await route.abort('connectionreset');
  });
  await a.page.getByRole('button', { name: 'Vaktslutt – synkroniser nå' }).click();
  await a.page
    .getByRole('alert')
    .filter({ hasText: /Ingen forbindelse|Serveren svarer ikke/ })
    .waitFor();
  await a.page.getByRole('status').filter({ hasText: '1 usendt endring' }).waitFor();
  await expectNoAxeViolations(a.page, 'sync bar with error');
  await a.context.unroute('**/api/v1/push');

  await startServer();
  await syncNow(a.page);
  await syncNow(b.page);
  await b.page.goto(`${url()}/#/board`);
  await b.page.getByRole('link', { name: 'Tablett A: etter krasjen' }).waitFor();
  expect(await serverIdeaTexts()).toEqual([
    'Tablett A: egen garderobe for vikarer',
    'Tablett A: etter krasjen',
    'Tablett B: faste turnuser i sommer',
  ]);
  await a.context.close();
  await b.context.close();
});

/** Leader mode on this tablet (the PIN chosen in first run, see `tablet`), from the unit settings. */
async function becomeLeader(page: Page) {
  await page.goto(`${url()}/#/unit-settings`);
  await page.getByLabel('Leder-PIN').fill('1357');
  await page.getByLabel('Ditt navn').fill('Kari Enhetsleder');
  await page.getByRole('button', { name: 'Gå til ledermodus' }).click();
  await page.getByText('Ledermodus er på.', { exact: false }).waitFor();
}

it(
  'issue #9, defect 1: one tablet publishes an answer, the other evaluates offline; after both sync, both boards show the answer',
  { timeout: 180_000 },
  async () => {
    const storage = await openSqliteStorage(dbPath);
    const unit = await createUnit(storage, { municipality: 'Testvik kommune', name: 'Avdeling 2. etasje' });
    const codes = [
      (await createEnrollmentCode(storage, { unitId: unit.id })).code,
      (await createEnrollmentCode(storage, { unitId: unit.id })).code,
    ];
    await storage.close();
    const a = await tablet(codes[0]!);
    const b = await tablet(codes[1]!);
    const idea = 'Tablett B: enmannsbil med løftearm';
    const rationale = 'Ikke i år: vi har tre endringer på gang.';
    await capture(b.page, idea);
    await syncNow(b.page);
    await syncNow(a.page);
    await a.page.goto(`${url()}/#/board`);
    await a.page.getByRole('link', { name: idea }).click();
    const ideaUrl = a.page.url();
    const ideaId = decodeURIComponent(ideaUrl.split('/').pop()!);

    // Tablet A goes offline, still seeing the idea as new.
    await setOnline(a.context, false);

    // Tablet B's leader publishes "decline" and syncs.
    await becomeLeader(b.page);
    await b.page.goto(`${url()}/#/decide/${encodeURIComponent(ideaId)}`);
    await b.page.getByLabel('Avslå').check();
    await b.page.getByLabel('Begrunnelse').fill(rationale);
    await b.page.getByRole('button', { name: 'Publiser …' }).click();
    await b.page.getByLabel('Publisert av (ditt navn)').fill('Kari Enhetsleder');
    await b.page.getByRole('button', { name: 'Publiser nå' }).click();
    await b.page.getByRole('heading', { name: 'Gjeldende beslutning' }).waitFor();
    await syncNow(b.page);

    // Tablet A, offline, records an evaluation of the idea it still sees as new (written after B's answer).
    await becomeLeader(a.page);
    await a.page.goto(`${url()}/#/evaluate/${encodeURIComponent(ideaId)}`);
    await a.page.getByRole('heading', { level: 1, name: 'Vurder ideen' }).waitFor();
    await a.page.getByRole('group', { name: 'Behov' }).getByLabel('4', { exact: true }).check();
    await a.page.getByRole('button', { name: 'Lagre vurderingen' }).click();
    await a.page.getByText('Vurderingen er lagret.').waitFor();
    await a.page.goto(`${url()}/#/board`);
    await a.page.locator('.idea-row').filter({ hasText: idea }).getByText('Vurderes').waitFor();

    await setOnline(a.context, true);
    await syncNow(a.page);
    await syncNow(b.page);

    for (const { page } of [a, b]) {
      await page.goto(`${url()}/#/board`);
      const row = page.locator('.idea-row').filter({ hasText: idea });
      await row.getByText('Avslått', { exact: true }).waitFor();
      await row.getByText(`: Avslått – ${rationale}`, { exact: false }).waitFor();
      await page.getByRole('region', { name: 'Nylig besluttet' }).getByText(`Begrunnelse: ${rationale}`).waitFor();
      expect(await row.getByText('Vurderes').count()).toBe(0);
      await expectNoAxeViolations(page, 'board with the answer');
      await page.getByRole('link', { name: 'Leder' }).click();
      await page.getByText('Alle ideer har fått svar.').waitFor(); // not listed as waiting
    }
    await a.context.close();
    await b.context.close();
  },
);

it('a change the server refuses is listed with its reason and what was typed, and the queue moves on', { timeout: 120_000 }, async () => {
  const storage = await openSqliteStorage(dbPath);
  const unit = await createUnit(storage, { municipality: 'Testvik kommune', name: 'Avdeling 2. etasje' });
  const { code } = await createEnrollmentCode(storage, { unitId: unit.id });
  await storage.close();
  const { context, page } = await tablet(code);
  await capture(page, 'Tablett C: denne når ikke fram');
  await capture(page, 'Tablett C: denne kommer fram');

  // The first idea arrives damaged (longer than any idea may be): the real server refuses it, the second goes through.
  await context.route('**/api/v1/push', async (route) => {
    const body = JSON.parse(route.request().postData() ?? '{}') as { mutations?: { fields: Record<string, unknown> }[] };
    for (const m of body.mutations ?? [])
      if (m.fields.impossibleNow === 'Tablett C: denne når ikke fram') m.fields.impossibleNow = 'x'.repeat(5000);
    await route.continue({ postData: JSON.stringify(body) });
  });
  await syncNow(page);
  await context.unroute('**/api/v1/push');
  await page.getByText('1 endring ble avvist av serveren').waitFor();
  expect(await serverIdeaTexts()).toContain('Tablett C: denne kommer fram');
  expect(await serverIdeaTexts()).not.toContain('Tablett C: denne når ikke fram');

  await page.getByRole('link', { name: 'Se hvorfor' }).click();
  await page.getByRole('heading', { level: 1, name: 'Endringer serveren avviste' }).waitFor();
  const item = page.getByRole('listitem').filter({ hasText: 'Idé – ny' });
  await item.getByText(/Serveren kunne ikke godta innholdet/).waitFor();
  // What was typed is still on the tablet, one tap away.
  await item.getByRole('link', { name: 'Tablett C: denne når ikke fram' }).waitFor();
  await expectNoAxeViolations(page, 'refused changes');
  await item.getByRole('button', { name: 'Fjern fra listen' }).click();
  await page.getByText('Ingen endringer er avvist.').waitFor();
  expect(await page.getByText(/ble avvist av serveren/).count()).toBe(0);
  await context.close();
});

it('a forgotten leader PIN is reset by connecting again with a fresh code, and nothing else is lost', { timeout: 120_000 }, async () => {
  const storage = await openSqliteStorage(dbPath);
  const unit = await createUnit(storage, { municipality: 'Testvik kommune', name: 'Avdeling 2. etasje' });
  const codes = [
    (await createEnrollmentCode(storage, { unitId: unit.id })).code,
    (await createEnrollmentCode(storage, { unitId: unit.id })).code,
  ];
  await storage.close();
  const { context, page } = await tablet(codes[0]!);
  await capture(page, 'Tablett D: idé før PIN-en ble glemt');

  // The leader chose a PIN in first run, and later cannot remember it.
  await page.goto(`${url()}/#/unit-settings`);
  await page.getByLabel('Leder-PIN').fill('0000');
  await page.getByRole('button', { name: 'Gå til ledermodus' }).click();
  await page.getByRole('alert').filter({ hasText: 'Feil PIN' }).waitFor();
  await page.getByRole('link', { name: 'Glemt PIN-en?' }).click();

  await page.getByRole('heading', { level: 1, name: 'Glemt leder-PIN' }).waitFor();
  // The tablet keeps its name; the new PIN is chosen with the fresh code.
  await expect.poll(() => page.getByLabel('Navn på nettbrettet').inputValue()).toBe('Pauserommet 2. etasje');
  await page.getByLabel('Ny leder-PIN (4–8 sifre)').fill('2468');
  await page.getByLabel('Gjenta leder-PIN').fill('2468');
  await expectNoAxeViolations(page, 'reset PIN');
  // A used code proves nothing: the PIN stays.
  await page.getByLabel('Kode').fill(codes[0]!);
  await page.getByRole('button', { name: 'Koble til', exact: true }).click();
  await page.getByRole('alert').filter({ hasText: /kode/i }).waitFor();
  expect(await page.getByText('Ny leder-PIN er lagret.').count()).toBe(0);
  await page.getByLabel('Kode').fill(codes[1]!);
  await page.getByRole('button', { name: 'Koble til', exact: true }).click();
  await page.getByText('Ny leder-PIN er lagret.').waitFor();

  await page.goto(`${url()}/#/unit-settings`);
  await page.getByLabel('Leder-PIN').fill('2468');
  await page.getByRole('button', { name: 'Gå til ledermodus' }).click();
  await page.getByLabel('Svarfrist i dager').waitFor();
  await page.goto(`${url()}/#/board`);
  await page.getByRole('link', { name: 'Tablett D: idé før PIN-en ble glemt' }).waitFor();
  await syncNow(page);
  expect(await serverIdeaTexts()).toContain('Tablett D: idé før PIN-en ble glemt');
  await context.close();
});

it(
  'the service worker sends offline work with the app closed, and never at the same time as a tab (Web Lock)',
  { timeout: 120_000 },
  async () => {
    const storage = await openSqliteStorage(dbPath);
    const unit = await createUnit(storage, { municipality: 'Testvik kommune', name: 'Avdeling 2. etasje' });
    const { code } = await createEnrollmentCode(storage, { unitId: unit.id });
    await storage.close();
    const { context, page } = await tablet(code);
    const api: Array<{ path: string; from: 'worker' | 'tab'; at: number }> = [];
    context.on('request', (request) => {
      const { pathname } = new URL(request.url());
      if (pathname.startsWith('/api/')) api.push({ path: pathname, from: request.serviceWorker() ? 'worker' : 'tab', at: Date.now() });
    });

    // Captured offline; the app is closed before the network returns, so only the service worker can send it.
    await setOnline(context, false);
    await capture(page, 'Tablett E: sendt i bakgrunnen');
    await page.close();
    const closedAt = api.length;
    await setOnline(context, true);
    await fireBackgroundSync(context);
    await expect.poll(serverIdeaTexts, { timeout: 30_000 }).toContain('Tablett E: sendt i bakgrunnen');
    const sinceClosed = api.slice(closedAt);
    expect(sinceClosed.some((r) => r.path === '/api/v1/push')).toBe(true);
    expect(sinceClosed.filter((r) => r.from === 'tab')).toEqual([]);

    // The tablet is used again. While the worker's pass holds the sync lock (its push held up on the way), the tab's
    // "sync now" waits for the lock and sends nothing; once the worker is done, the tab's pass runs.
    const app = await context.newPage();
    await app.goto(`${url()}/#/capture`);
    await syncNow(app);
    await capture(app, 'Tablett E: mens service workeren sender');
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    let workerPushHeld = false;
    await context.route('**/api/v1/push', async (route) => {
      if (route.request().serviceWorker()) {
        workerPushHeld = true;
        await held;
      }
      await route.continue();
    });
    await fireBackgroundSync(context);
    await expect.poll(() => workerPushHeld, { timeout: 30_000 }).toBe(true);
    const locks = await webLocks(app);
    expect(locks.held).toEqual([SYNC_LOCK]);
    const whileHeld = api.length;
    await app.getByRole('button', { name: 'Vaktslutt – synkroniser nå' }).click();
    await expect.poll(async () => (await webLocks(app)).pending.length).toBe(locks.pending.length + 1);
    expect((await webLocks(app)).pending).toContain(SYNC_LOCK);
    expect(api.slice(whileHeld).filter((r) => r.from === 'tab')).toEqual([]);
    const releasedAt = Date.now();
    release();
    // The tab's pass then runs (its status said nothing while it waited: a pass reports once it holds the lock).
    const tabRequests = () => api.slice(whileHeld).filter((r) => r.from === 'tab');
    await expect.poll(() => tabRequests().length, { timeout: 30_000 }).toBeGreaterThan(0);
    expect(tabRequests().every((r) => r.at >= releasedAt)).toBe(true);
    await expect.poll(() => webLocks(app), { timeout: 30_000 }).toEqual({ held: [], pending: [] });
    await app.getByRole('status').filter({ hasText: 'Alt er sendt' }).waitFor();
    await context.unroute('**/api/v1/push');
    expect((await serverIdeaTexts()).filter((text) => text === 'Tablett E: mens service workeren sender')).toHaveLength(1);
    await context.close();
  },
);

/** The Background Sync tags the service worker has registered (Chromium's SyncManager). */
const syncTags = (page: Page) =>
  page.evaluate(async () => {
    const registration = (await navigator.serviceWorker.ready) as ServiceWorkerRegistration & { sync: { getTags(): Promise<string[]> } };
    return registration.sync.getTags();
  });

it('a start syncs once, from the tab; Background Sync is registered only once a pass failed', { timeout: 120_000 }, async () => {
  const storage = await openSqliteStorage(dbPath);
  const unit = await createUnit(storage, { municipality: 'Testvik kommune', name: 'Avdeling 2. etasje' });
  const { code } = await createEnrollmentCode(storage, { unitId: unit.id });
  await storage.close();
  const { context, page } = await tablet(code, 'Tablett F');
  await syncNow(page);
  await settled(context, page);
  const api: Array<{ path: string; from: 'worker' | 'tab' }> = [];
  context.on('request', (request) => {
    const { pathname } = new URL(request.url());
    if (pathname.startsWith('/api/')) api.push({ path: pathname, from: request.serviceWorker() ? 'worker' : 'tab' });
  });

  // The app starts again: the tab's start pass runs, and nothing else does (it used to register Background Sync at
  // every start, which an online browser fires at once: a second pass, from the service worker).
  await page.reload();
  await expect.poll(() => api.filter((r) => r.path === '/api/v1/pull').length, { timeout: 30_000 }).toBeGreaterThan(0);
  await expect.poll(() => webLocks(page), { timeout: 30_000 }).toEqual({ held: [], pending: [] });
  await new Promise((r) => setTimeout(r, 3000)); // a second pass would have started by now
  expect(api.filter((r) => r.from === 'worker')).toEqual([]);
  expect(api.filter((r) => r.path === '/api/v1/pull')).toHaveLength(1);
  expect(await syncTags(page)).toEqual([]);

  // A pass that fails (no network) asks the browser to sync in the background once the network is back.
  await setOnline(context, false);
  await page.getByRole('button', { name: 'Vaktslutt – synkroniser nå' }).click();
  await page
    .getByRole('alert')
    .filter({ hasText: /Ingen forbindelse|Serveren svarer ikke|Uten nett/ })
    .waitFor();
  await expect.poll(() => syncTags(page), { timeout: 10_000 }).toEqual([SYNC_TAG]);
  await setOnline(context, true);
  await context.close();
});
