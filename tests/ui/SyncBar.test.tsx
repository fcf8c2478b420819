// @vitest-environment happy-dom
/** The sync bar: unsent count, progress while sending, plain-language errors (nb and en), re-enroll prompt. */
import 'fake-indexeddb/auto';
import { act, render, screen } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NedenfraDb } from '../../src/data/db';
import { INITIAL_SYNC_STATUS, syncFailed, syncProgressed, syncStarted, syncStore } from '../../src/data/sync/syncStore';
import { setLanguage } from '../../src/ui/store';
import { SyncBar } from '../../src/ui/sync/SyncBar';
import { freshApp, teardown } from './setup';

let db: NedenfraDb;
beforeEach(async () => {
  ({ db } = await freshApp());
  syncStore.setState({ ...INITIAL_SYNC_STATUS, enrollment: 'enrolled' });
});
afterEach(async () => teardown(db));

describe('SyncBar', () => {
  it('shows the unsent count and the end-of-shift button (nb)', () => {
    syncStore.setState({ unsent: 3 });
    render(<SyncBar autoStart={false} />);
    expect(screen.getByRole('status').textContent).toContain('3 usendte endringer');
    expect(screen.getByRole('button', { name: 'Vaktslutt – synkroniser nå' })).toBeTruthy();
    expect(screen.getByText('Ikke synkronisert ennå')).toBeTruthy();
  });

  it('shows a labelled progress bar while syncing and disables the button', () => {
    render(<SyncBar autoStart={false} />);
    void act(() => {
      syncStarted();
      syncProgressed({ pushed: 2, total: 5 });
    });
    const bar = screen.getByRole<HTMLProgressElement>('progressbar');
    expect(bar.value).toBe(2);
    expect(bar.max).toBe(5);
    expect(screen.getByLabelText(/Sender endringer/)).toBe(bar);
    expect(screen.getByText('Sendt 2 av 5')).toBeTruthy();
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Vaktslutt – synkroniser nå' }).disabled).toBe(true);
  });

  it('explains errors in plain language with what to do, in bokmål and English', async () => {
    render(<SyncBar autoStart={false} />);
    void act(() => syncFailed('offline'));
    expect(screen.getByRole('alert').textContent).toBe(
      'Ingen forbindelse med serveren. Endringene er lagret på nettbrettet og sendes når nettet er tilbake.',
    );
    await act(() => setLanguage('en'));
    void act(() => syncFailed('quota'));
    expect(screen.getByRole('alert').textContent).toContain('The tablet is full. Nothing was deleted.');
    void act(() => syncStore.setState({ unsent: 1, lastSyncedAt: Date.now() - 5 * 60_000 }));
    expect(screen.getByRole('status').textContent).toContain('1 unsent change');
    expect(screen.getByRole('status').textContent).toContain('Last synced 5 minutes ago');
  });

  it('links refused changes to the page that says why', () => {
    syncStore.setState({ rejections: 2 });
    render(<SyncBar autoStart={false} />);
    expect(screen.getByText(/2 endringer ble avvist av serveren/)).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Se hvorfor' }).getAttribute('href')).toBe('#/refused');
  });

  it('asks to connect again after the server refused the tablet', () => {
    syncStore.setState({ enrollment: 'needsReenroll', lastError: 'unauthorized', phase: 'error', unsent: 4 });
    render(<SyncBar autoStart={false} />);
    expect(screen.getByRole('alert').textContent).toContain('Be lederen om en ny kode. Ingenting er tapt.');
    expect(screen.getByRole('link', { name: 'Koble til på nytt' }).getAttribute('href')).toBe('#/enroll');
    expect(screen.queryByRole('button', { name: 'Vaktslutt – synkroniser nå' })).toBeNull();
  });
});
