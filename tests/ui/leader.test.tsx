// @vitest-environment happy-dom
/**
 * Issue #11 points 5, 7, 12, 13: the leader PIN is the leader's (set at
 * enrollment by whoever holds the one-time code, or in first run on a tablet
 * without a server), the leader overview is behind it, "Publisert av" is the
 * name given when unlocking, focus lands on what changed, and enrolling from
 * a QR link ends on the capture screen with the tablet named.
 */
import 'fake-indexeddb/auto';
import { configure, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type EnrollRequest, newId, type Unit } from '../../src/domain';
import type { NedenfraDb } from '../../src/data/db';
import { hasLeaderPin, setLeaderPin, verifyLeaderPin } from '../../src/data/leaderPin';
import { ENROLLMENT_KEY } from '../../src/data/sync/state';
import { INITIAL_SYNC_STATUS, syncStore } from '../../src/data/sync/syncStore';
import { createRecord } from '../../src/data/repository';
import { App } from '../../src/ui/App';
import { DecideScreen } from '../../src/ui/method/DecideScreen';
import { leaderStore, leaveLeaderMode } from '../../src/ui/method/leaderMode';
import { LeaderScreen } from '../../src/ui/method/LeaderScreen';
import '../../src/ui/routes';
import { uiStore } from '../../src/ui/store';
import { EnrollScreen, ResetPinScreen } from '../../src/ui/sync/EnrollScreen';
import { freshApp, teardown } from './setup';

// PBKDF2 and IndexedDB are slow when the whole suite runs in parallel.
configure({ asyncUtilTimeout: 5000 });

let db: NedenfraDb;
let unit: Unit | null;
beforeEach(async () => {
  ({ db, unit } = await freshApp());
  leaveLeaderMode();
  syncStore.setState({ ...INITIAL_SYNC_STATUS });
});
afterEach(async () => {
  vi.unstubAllGlobals();
  window.location.hash = '';
  await teardown(db);
});

/** A server that answers the enrollment (and records what the tablet sent). */
function fakeServer(answer: 'ok' | 'usedCode' = 'ok') {
  const serverUnit = { ...unit!, id: newId(), name: 'Avdeling 2. etasje', municipality: 'Testvik' };
  serverUnit.unitId = serverUnit.id;
  const sent: EnrollRequest[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (req: Request) => {
      if (!req.url.endsWith('/api/v1/enroll')) return Response.json({ error: 'internal', message: 'not in this test' }, { status: 503 });
      sent.push((await req.json()) as EnrollRequest);
      if (answer === 'usedCode') return Response.json({ error: 'unauthorized', message: 'used' }, { status: 401 });
      return Response.json({ deviceId: newId(), token: 't'.repeat(40), unit: serverUnit, epoch: 'e1', serverTime: Date.now() });
    }),
  );
  return { sent, serverUnit };
}

const type = (label: string, value: string) => fireEvent.input(screen.getByLabelText(label), { target: { value } });

async function unlock(name = 'Kari Leder', pin = '2468') {
  type('Leder-PIN', pin);
  if (name) type('Ditt navn', name);
  fireEvent.click(screen.getByRole('button', { name: 'Gå til ledermodus' }));
  await screen.findByRole('button', { name: 'Gå ut av ledermodus' });
}

describe('the leader overview', () => {
  it('is behind the PIN: no waiting ideas, no Vurder or Beslutt links before it is entered', async () => {
    await setLeaderPin(db, '2468');
    await createRecord(db, 'ideas', { unitId: unit!.id, impossibleNow: 'Bil med løftearm' });
    render(<LeaderScreen />);
    await screen.findByLabelText('Leder-PIN');
    expect(screen.queryByText('Bil med løftearm')).toBeNull();
    expect(screen.queryByRole('link', { name: /Vurder|Beslutt/ })).toBeNull();
    await unlock();
    await screen.findByText('Bil med løftearm');
    // Focus moves to what the PIN opened, not to the top of the page.
    await waitFor(() => expect(document.activeElement?.textContent).toContain('Ledermodus er på.'));
  });
});

describe('who may set the leader PIN', () => {
  it('on an enrolled tablet without a PIN nobody can claim it on a leader screen: it is set by connecting with a code', async () => {
    await db.kv.put({
      key: ENROLLMENT_KEY,
      value: { serverUrl: 'http://x', token: 't', deviceId: newId(), unitId: unit!.id, unitName: 'U', enrolledAt: 1, needsReenroll: false },
    });
    syncStore.setState({ enrollment: 'enrolled' });
    render(<LeaderScreen />);
    await screen.findByText(/Leder-PIN-en velges når nettbrettet kobles til/);
    expect(screen.queryByLabelText('Ny PIN (4–8 sifre)')).toBeNull();
    expect(screen.getByRole('link', { name: 'Koble til med en ny kode' }).getAttribute('href')).toBe('#/reset-pin');
  });

  it('first run on a tablet without a server sets the PIN (twice alike) with the unit', async () => {
    ({ db } = await freshApp({ withUnit: false }));
    uiStore.setState({ unit: undefined });
    render(<App />);
    await screen.findByRole('heading', { level: 1, name: 'Velkommen til Nedenfra' });
    type('Kommune', 'Steinkjer');
    type('Enhet', 'Renovasjon');
    type('Leder-PIN (4–8 sifre)', '1357');
    type('Gjenta leder-PIN', '1375');
    fireEvent.click(screen.getByRole('button', { name: 'Ta i bruk nettbrettet' }));
    await screen.findByText('De to PIN-ene er ikke like.');
    expect(await db.units.count()).toBe(0);
    type('Gjenta leder-PIN', '1357');
    fireEvent.click(screen.getByRole('button', { name: 'Ta i bruk nettbrettet' }));
    await screen.findByRole('heading', { level: 1, name: 'Ny idé' });
    expect(await verifyLeaderPin(db, '1357')).toEqual({ ok: true });
  });

  it('enrolling sets the PIN: only after the server accepted the code, and the tablet is named', async () => {
    const { sent } = fakeServer('usedCode');
    render(<EnrollScreen param="ABCD-EFGH" />);
    await screen.findByLabelText('Leder-PIN (4–8 sifre)');
    type('Navn på nettbrettet', 'Pauserommet 2. etasje');
    type('Leder-PIN (4–8 sifre)', '8642');
    type('Gjenta leder-PIN', '8642');
    fireEvent.click(screen.getByRole('button', { name: 'Koble til' }));
    await screen.findByText(/Koden er ukjent, brukt eller utløpt/);
    expect(await hasLeaderPin(db)).toBe(false);
    expect(sent[0]).toMatchObject({ code: 'ABCD-EFGH', deviceLabel: 'Pauserommet 2. etasje' });
    expect(sent[0]!.appVersion).not.toMatch(/^(unknown)?$/);
  });

  it('a forgotten PIN is replaced by a new one chosen with a fresh code', async () => {
    await setLeaderPin(db, '1111');
    fakeServer('ok');
    render(<ResetPinScreen param={null} />);
    type('Kode', 'WXYZ-2345');
    type('Navn på nettbrettet', 'Vaktrommet');
    type('Ny leder-PIN (4–8 sifre)', '9753');
    type('Gjenta leder-PIN', '9753');
    fireEvent.click(screen.getByRole('button', { name: 'Koble til' }));
    await screen.findByText('Ny leder-PIN er lagret.');
    expect(await verifyLeaderPin(db, '9753')).toEqual({ ok: true });
  });
});

describe('enrolling from the QR link', () => {
  it('shows success and goes to capture; the used code is not left in the form', async () => {
    const { sent } = fakeServer('ok');
    ({ db } = await freshApp({ withUnit: false }));
    uiStore.setState({ unit: undefined });
    window.location.hash = '#enroll=ABCD-EFGH';
    render(<App />);
    expect(await screen.findByLabelText<HTMLInputElement>('Kode')).toHaveProperty('value', 'ABCD-EFGH');
    await screen.findByLabelText('Leder-PIN (4–8 sifre)');
    type('Navn på nettbrettet', 'Pauserommet 2. etasje');
    type('Leder-PIN (4–8 sifre)', '8642');
    type('Gjenta leder-PIN', '8642');
    fireEvent.click(screen.getByRole('button', { name: 'Koble til' }));
    await screen.findByRole('heading', { level: 1, name: 'Ny idé' });
    await screen.findByText('Koblet til Avdeling 2. etasje. Henter alt fra serveren …');
    expect(window.location.hash).toBe('#/capture');
    expect(screen.queryByLabelText('Kode')).toBeNull();
    expect(sent).toHaveLength(1);
    expect(await verifyLeaderPin(db, '8642')).toEqual({ ok: true });
    expect(((await db.kv.get(ENROLLMENT_KEY))?.value as { deviceLabel?: string }).deviceLabel).toBe('Pauserommet 2. etasje');
  });
});

describe('publishing', () => {
  it('"Publisert av" is the name given when unlocking (editable), and focus moves to the published decision', async () => {
    await setLeaderPin(db, '2468');
    const idea = await createRecord(db, 'ideas', { unitId: unit!.id, impossibleNow: 'Bil med løftearm' });
    render(<DecideScreen param={idea.id} />);
    await screen.findByLabelText('Leder-PIN');
    await unlock('Kari Leder');
    expect(leaderStore.getState().leaderName).toBe('Kari Leder');
    fireEvent.click(screen.getByLabelText('Avslå'));
    type('Begrunnelse', 'Ikke mulig i år.');
    fireEvent.click(screen.getByRole('button', { name: 'Publiser …' }));
    expect(await screen.findByLabelText<HTMLInputElement>('Publisert av (ditt navn)')).toHaveProperty('value', 'Kari Leder');
    type('Publisert av (ditt navn)', 'Kari Nordmann');
    fireEvent.click(screen.getByRole('button', { name: 'Publiser nå' }));
    const heading = await screen.findByRole('heading', { name: 'Gjeldende beslutning' });
    await waitFor(() => expect(document.activeElement).toBe(heading));
    const [decision] = await db.unitDecisions.toArray();
    expect(decision).toMatchObject({ state: 'published', publishedBy: 'Kari Nordmann' });
  });
});
