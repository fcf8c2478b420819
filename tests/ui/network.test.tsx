// @vitest-environment happy-dom
/**
 * The tablet on a municipal network (issue #10): the screen for a page opened
 * over plain http://, persistent storage asked for without a button press
 * (first run and enrollment) and shown on About, and plain messages for the
 * server's limits. The real-browser proof is tests/e2e/network.test.ts.
 */
import 'fake-indexeddb/auto';
import { act, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { newId, Unit } from '../../src/domain';
import type { NedenfraDb } from '../../src/data/db';
import { INITIAL_SYNC_STATUS, syncFailed, syncStore } from '../../src/data/sync/syncStore';
import { App } from '../../src/ui/App';
import { InsecureContextScreen } from '../../src/ui/InsecureContextScreen';
import { AboutScreen } from '../../src/ui/screens/AboutScreen';
import { setLanguage, uiStore } from '../../src/ui/store';
import { SyncBar } from '../../src/ui/sync/SyncBar';
import { freshApp, teardown } from './setup';

let db: NedenfraDb;
let persisted = false;
const persist = vi.fn(async () => (persisted = true));

beforeEach(() => {
  persisted = false;
  persist.mockClear();
  Object.defineProperty(navigator, 'storage', {
    configurable: true,
    value: { persist, persisted: async () => persisted, estimate: async () => ({ usage: 1_000_000, quota: 100_000_000 }) },
  });
  syncStore.setState(INITIAL_SYNC_STATUS);
});
afterEach(async () => {
  vi.unstubAllGlobals();
  Reflect.deleteProperty(navigator, 'storage');
  window.location.hash = '';
  await teardown(db);
});

describe('opened without a secure context', () => {
  it('one screen says to open the https:// address, why, and for IT how; in bokmål, nynorsk and English', async () => {
    ({ db } = await freshApp({ withUnit: false }));
    render(<InsecureContextScreen />);
    const heading = screen.getByRole('heading', { level: 1, name: 'Åpne Nedenfra med https://' });
    expect(document.activeElement).toBe(heading);
    expect(screen.getByText(`Du åpnet: ${window.location.origin}`)).toBeTruthy();
    expect(screen.getByText(/kan appen ikke brukes uten nett/)).toBeTruthy();
    expect(screen.getByText(/TLS_CERT og TLS_KEY/)).toBeTruthy();
    await act(() => setLanguage('nn'));
    expect(screen.getByRole('heading', { level: 1, name: 'Opne Nedenfra med https://' })).toBeTruthy();
    await act(() => setLanguage('en'));
    expect(screen.getByRole('heading', { level: 1, name: 'Open Nedenfra with https://' })).toBeTruthy();
    expect(screen.getByText(`You opened: ${window.location.origin}`)).toBeTruthy();
  });
});

describe('persistent storage', () => {
  it('is asked for when the tablet is enrolled from first run, without a button press', async () => {
    ({ db } = await freshApp({ withUnit: false }));
    uiStore.setState({ unit: undefined });
    const id = newId();
    const unit = Unit.parse({ id, unitId: id, municipality: 'Testvik', name: 'Avdeling 2', createdAt: new Date().toISOString() });
    vi.stubGlobal('fetch', async (req: Request) =>
      req.url.endsWith('/api/v1/enroll')
        ? Response.json({ deviceId: newId(), token: 'x'.repeat(43), unit, epoch: 'e1', serverTime: Date.now() })
        : Response.json({ error: 'internal', message: 'not in this test' }, { status: 503 }),
    );
    window.location.hash = '#enroll=ABCD-EFGH-JKMN';
    render(<App />);
    // Enrolling asks for the tablet's name and, on a tablet without one, the leader PIN (issue #11).
    fireEvent.input(await screen.findByLabelText(/Navn på nettbrettet/), { target: { value: 'Pauserommet' } });
    fireEvent.input(await screen.findByLabelText('Leder-PIN (4–8 sifre)'), { target: { value: '2468' } });
    fireEvent.input(screen.getByLabelText('Gjenta leder-PIN'), { target: { value: '2468' } });
    fireEvent.click(screen.getByRole('button', { name: 'Koble til' }));
    // Enrolled: the app opens on the server's unit.
    await screen.findByText('Avdeling 2 · Testvik');
    await waitFor(() => expect(persist).toHaveBeenCalled());
  });

  it('is asked for on first run, and About shows that it was granted', async () => {
    ({ db } = await freshApp({ withUnit: false }));
    uiStore.setState({ unit: undefined });
    render(<App />);
    fireEvent.input(await screen.findByLabelText('Kommune'), { target: { value: 'Steinkjer' } });
    fireEvent.input(screen.getByLabelText('Enhet'), { target: { value: 'Renovasjon' } });
    fireEvent.input(screen.getByLabelText('Leder-PIN (4–8 sifre)'), { target: { value: '2468' } });
    fireEvent.input(screen.getByLabelText('Gjenta leder-PIN'), { target: { value: '2468' } });
    fireEvent.click(screen.getByRole('button', { name: 'Ta i bruk nettbrettet' }));
    await screen.findByRole('heading', { level: 1, name: 'Ny idé' });
    await waitFor(() => expect(persist).toHaveBeenCalledTimes(1));
  });

  it('About says whether the browser granted it', async () => {
    ({ db } = await freshApp());
    persisted = true;
    render(<AboutScreen />);
    const term = await screen.findByText('Varig lagring');
    await waitFor(() => expect(term.nextElementSibling?.textContent).toBe('Ja'));
  });
});

describe("the server's limits, in plain words", () => {
  it('a full photo quota and a throttled network each have their own message', async () => {
    ({ db } = await freshApp());
    syncStore.setState({ ...INITIAL_SYNC_STATUS, enrollment: 'enrolled' });
    render(<SyncBar autoStart={false} />);
    void act(() => syncFailed('photoQuota'));
    expect(screen.getByRole('alert').textContent).toContain('Serveren har ikke plass til flere bilder fra enheten. Ideene er sendt');
    void act(() => syncFailed('tooManyAttempts'));
    expect(screen.getByRole('alert').textContent).toContain('Serveren tar ikke imot flere forsøk');
  });

  it('the enrollment screen says how long to wait after too many wrong codes', async () => {
    ({ db } = await freshApp());
    vi.stubGlobal('fetch', async () =>
      Response.json({ error: 'tooManyRequests', message: 'wait' }, { status: 429, headers: { 'retry-after': '540' } }),
    );
    window.location.hash = '#/enroll';
    const { EnrollScreen } = await import('../../src/ui/sync/EnrollScreen');
    render(<EnrollScreen param="ABCD-EFGH-JKMN" />);
    fireEvent.input(await screen.findByLabelText(/Navn på nettbrettet/), { target: { value: 'Pauserommet' } });
    fireEvent.click(screen.getByRole('button', { name: 'Koble til' }));
    await waitFor(() =>
      expect(screen.getByRole('alert').textContent).toBe('For mange forsøk fra dette nettverket. Vent 9 min og prøv igjen.'),
    );
  });
});
