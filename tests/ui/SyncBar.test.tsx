// @vitest-environment happy-dom
/** The sync bar: unsent count, progress while sending, plain-language errors (nb and en), re-enroll prompt. */
import 'fake-indexeddb/auto';
import { act, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NedenfraDb } from '../../src/data/db';
import { INITIAL_SYNC_STATUS, syncFailed, syncProgressed, syncStarted, syncStore, syncSucceeded } from '../../src/data/sync/syncStore';
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
    expect(screen.getByRole('alert').textContent).toBe('Uten nett. Alt er lagret her og sendes når nettet er tilbake.');
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

  // Issue #11 point 11: say what is true in each case.
  it('says the server does not answer (not that the network is down) when only the server is unreachable', () => {
    syncStore.setState({ unsent: 2 });
    render(<SyncBar autoStart={false} />);
    void act(() => syncFailed('unreachable'));
    const alert = screen.getByRole('alert').textContent;
    expect(alert).toContain('Serveren svarer ikke');
    expect(alert).not.toMatch(/\bnett(et)?\b/i);
    expect(screen.getByRole('status').textContent).toContain('2 usendte endringer');
  });

  it('on a tablet without a server: says it is not connected, never "Alt er sendt" or a growing unsent count', () => {
    syncStore.setState({ enrollment: 'notEnrolled', unsent: 12, lastError: 'notEnrolled', phase: 'error' });
    render(<SyncBar autoStart={false} />);
    const status = screen.getByRole('status').textContent;
    expect(status).toContain('Ikke koblet til en server');
    expect(status).not.toContain('Alt er sendt');
    expect(status).not.toMatch(/usendt/);
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.getByRole('link', { name: 'Koble til server' }).getAttribute('href')).toBe('#/enroll');
  });

  it('confirms an end-of-shift sync when everything is already sent', async () => {
    syncStore.setState({ unsent: 0, lastSyncedAt: Date.now() - 60 * 60_000 });
    const sync = () => {
      syncStarted();
      syncSucceeded(Date.now());
      return Promise.resolve({ pushed: 0, rejected: 0, pulled: 0, uploaded: 0, resynced: false });
    };
    render(<SyncBar autoStart={false} sync={sync} />);
    fireEvent.click(screen.getByRole('button', { name: 'Vaktslutt – synkroniser nå' }));
    await waitFor(() => expect(screen.getByRole('status').textContent).toMatch(/^Synkronisert kl\. \d\d:\d\d\. Alt er sendt\./));
  });

  it('does not confirm an end-of-shift sync that failed', async () => {
    const sync = () => {
      syncStarted();
      syncFailed('unreachable');
      return Promise.resolve(undefined);
    };
    render(<SyncBar autoStart={false} sync={sync} />);
    fireEvent.click(screen.getByRole('button', { name: 'Vaktslutt – synkroniser nå' }));
    await screen.findByRole('alert');
    expect(screen.getByRole('status').textContent).not.toContain('Synkronisert kl.');
  });
});
