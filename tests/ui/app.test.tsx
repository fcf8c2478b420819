// @vitest-environment happy-dom
/** First run, language switching and the shell's navigation, on the whole App. */
import 'fake-indexeddb/auto';
import { act, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { NedenfraDb } from '../../src/data/db';
import pkg from '../../package.json';
import { APP_VERSION } from '../../src/data/appVersion';
import { CURRENT_UNIT_KEY, LANGUAGE_KEY } from '../../src/data/local';
import { ENROLLMENT_KEY } from '../../src/data/sync/state';
import { App } from '../../src/ui/App';
import { lazyScreen } from '../../src/ui/routes';
import { LANGUAGE_STORAGE_KEY, uiStore } from '../../src/ui/store';
import { freshApp, teardown } from './setup';

let db: NedenfraDb;
afterEach(async () => {
  await teardown(db);
});

describe('first run', () => {
  it('requires municipality and unit, stores the unit locally only, then opens capture', async () => {
    ({ db } = await freshApp({ withUnit: false }));
    uiStore.setState({ unit: undefined });
    render(<App />);
    await screen.findByRole('heading', { level: 1, name: 'Velkommen til Nedenfra' });
    fireEvent.click(screen.getByRole('button', { name: 'Ta i bruk nettbrettet' }));
    await screen.findByText('Skriv navnet på kommunen.');
    expect(screen.getByText('Skriv navnet på enheten.')).toBeTruthy();
    expect(await db.units.count()).toBe(0);

    fireEvent.input(screen.getByLabelText('Kommune'), { target: { value: 'Steinkjer' } });
    fireEvent.input(screen.getByLabelText('Enhet'), { target: { value: 'Renovasjon' } });
    fireEvent.input(screen.getByLabelText('Leder-PIN (4–8 sifre)'), { target: { value: '2468' } });
    fireEvent.input(screen.getByLabelText('Gjenta leder-PIN'), { target: { value: '2468' } });
    fireEvent.click(screen.getByRole('button', { name: 'Ta i bruk nettbrettet' }));
    await screen.findByRole('heading', { level: 1, name: 'Ny idé' });
    const [unit] = await db.units.toArray();
    expect(unit).toMatchObject({ municipality: 'Steinkjer', name: 'Renovasjon' });
    expect((await db.kv.get(CURRENT_UNIT_KEY))?.value).toBe(unit!.id);
    // Units come from the server admin: a tablet never queues one for sync.
    expect(await db.outbox.count()).toBe(0);
    expect(screen.getByText('Renovasjon · Steinkjer')).toBeTruthy();
  });
});

describe('first run with a code from the municipality', () => {
  it('offers enrollment instead of naming a unit, and a scanned #enroll link opens it prefilled', async () => {
    ({ db } = await freshApp({ withUnit: false }));
    uiStore.setState({ unit: undefined });
    window.location.hash = '#enroll=ABCD-EFGH';
    render(<App />);
    expect(await screen.findByLabelText<HTMLInputElement>('Kode')).toHaveProperty('value', 'ABCD-EFGH');
    fireEvent.click(screen.getByRole('button', { name: 'Tilbake' }));
    await screen.findByRole('heading', { level: 1, name: 'Velkommen til Nedenfra' });
    fireEvent.click(screen.getByRole('button', { name: 'Koble til med kode' }));
    await screen.findByRole('heading', { level: 1, name: 'Koble nettbrettet til serveren' });
    window.location.hash = '';
  });
});

describe('language', () => {
  it('switches every visible string, sets <html lang>, and remembers the choice', async () => {
    ({ db } = await freshApp());
    uiStore.setState({ unit: undefined });
    render(<App />);
    await screen.findByRole('heading', { level: 1, name: 'Ny idé' });
    expect(screen.getByRole('link', { name: 'Idétavle' })).toBeTruthy();

    const select = screen.getByLabelText<HTMLSelectElement>('Språk');
    select.value = 'nn';
    select.dispatchEvent(new Event('change', { bubbles: true }));
    await screen.findByLabelText('Kva er umogleg no?');
    expect(document.documentElement.lang).toBe('nn');
    expect(screen.getByRole('navigation', { name: 'Hovudmeny' })).toBeTruthy();

    select.value = 'en';
    select.dispatchEvent(new Event('change', { bubbles: true }));
    await screen.findByLabelText('What is impossible now?');
    expect(screen.getByRole('link', { name: 'Idea board' })).toBeTruthy();
    expect(document.documentElement.lang).toBe('en');
    expect(localStorage.getItem(LANGUAGE_STORAGE_KEY)).toBe('en');
    await waitFor(async () => expect((await db.kv.get(LANGUAGE_KEY))?.value).toBe('en'));
  });

  it('starts in the language stored on the device', async () => {
    ({ db } = await freshApp());
    await db.kv.put({ key: LANGUAGE_KEY, value: 'nn' });
    uiStore.setState({ unit: undefined });
    render(<App />);
    await screen.findByLabelText('Kva er umogleg no?');
  });
});

describe('navigation', () => {
  it('moves between screens by hash and focuses the new h1', async () => {
    ({ db } = await freshApp());
    uiStore.setState({ unit: undefined });
    render(<App />);
    await screen.findByRole('heading', { level: 1, name: 'Ny idé' });
    // Effects of screens mounted after an async load are flushed by act() under test.
    await act(async () => {
      await new Promise((r) => setTimeout(r, 150));
    });
    screen.getByRole('link', { name: 'Om appen' }).click();
    const heading = await screen.findByRole('heading', { level: 1, name: 'Om appen' });
    await waitFor(() => expect(document.activeElement).toBe(heading));
    expect(screen.getByRole('link', { name: 'Om appen' }).getAttribute('aria-current')).toBe('page');
    await screen.findByText('Databaseversjon');
  });
});

describe('about (issue #11 point 13)', () => {
  it("shows the version set at build time (package version and commit) and the tablet's name", async () => {
    ({ db } = await freshApp());
    await db.kv.put({
      key: ENROLLMENT_KEY,
      value: {
        serverUrl: 'http://x',
        token: 't',
        deviceId: 'd',
        unitId: 'u',
        unitName: 'U',
        enrolledAt: 1,
        deviceLabel: 'Pauserommet 2. etasje',
        needsReenroll: false,
      },
    });
    const { AboutScreen } = await import('../../src/ui/screens/AboutScreen');
    render(<AboutScreen />);
    await screen.findByText('Pauserommet 2. etasje');
    const version = screen.getByText(new RegExp(`^${pkg.version.replace(/\./g, '\\.')}`));
    expect(version.textContent).toMatch(/^\d+\.\d+\.\d+\+[0-9a-f]{8}$/);
    expect(APP_VERSION).toBe(version.textContent);
  });
});

describe('a screen whose code cannot be loaded (issue #11, also)', () => {
  it('shows an error with a reload button instead of "Laster …" forever', async () => {
    ({ db } = await freshApp());
    const reload = vi.fn();
    const Broken = lazyScreen(() => Promise.reject(new TypeError('Failed to fetch dynamically imported module')), reload);
    render(<Broken param={null} />);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Denne siden kunne ikke lastes');
    fireEvent.click(screen.getByRole('button', { name: 'Last inn på nytt' }));
    expect(reload).toHaveBeenCalledOnce();
  });
});
