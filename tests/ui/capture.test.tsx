// @vitest-environment happy-dom
/** Capture: the quick path, "saved" only after commit, failures keep the text, drafts survive interruptions. */
import 'fake-indexeddb/auto';
// Node's Blob: fake-indexeddb clones with Node's structuredClone, which turns happy-dom's Blob into a plain object.
import { Blob as NodeBlob } from 'node:buffer';
import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { receiptCode } from '../../src/domain';
import type { NedenfraDb } from '../../src/data/db';
import { loadPhotoDrafts, saveDraft } from '../../src/data/drafts';
import { CAPTURE_DRAFT_KEY, CAPTURE_PHOTO_DRAFT_KEY } from '../../src/data/ideas';
import { CaptureScreen } from '../../src/ui/screens/CaptureScreen';
import { hasDirtyInput } from '../../src/ui/store';
import { freshApp, teardown } from './setup';

let db: NedenfraDb;
beforeEach(async () => {
  ({ db } = await freshApp());
});
afterEach(async () => {
  await teardown(db);
});

const question = () => screen.getByLabelText<HTMLTextAreaElement>('Hva er umulig nå?');
const type = (el: HTMLElement, value: string) => fireEvent.input(el, { target: { value } });

/** Make every write to `ideas` fail the way a full disk does (a real Dexie middleware, not a mock). */
async function fillTheDisk(target: NedenfraDb) {
  target.use({
    stack: 'dbcore',
    name: 'full-disk',
    create: (down) => ({
      ...down,
      table: (name) => {
        const table = down.table(name);
        if (name !== 'ideas') return table;
        return { ...table, mutate: () => Promise.reject(new DOMException('The quota has been exceeded.', 'QuotaExceededError')) };
      },
    }),
  });
  // Middleware applies from the next open.
  target.close();
  await target.open();
}

describe('capture', () => {
  it('saves with one field, says "saved" after the commit, resets and refocuses for the next person', async () => {
    render(<CaptureScreen />);
    type(question(), '  Løfte beboere alene  ');
    fireEvent.click(screen.getByRole('button', { name: 'Lagre ideen' }));
    await screen.findByText(/Lagret\. Takk for ideen!/);
    const ideas = await db.ideas.toArray();
    expect(ideas).toHaveLength(1);
    expect(ideas[0]).toMatchObject({ impossibleNow: 'Løfte beboere alene', bearerName: null, photos: [], status: 'new' });
    expect(await db.outbox.where('table').equals('ideas').count()).toBe(1);
    expect(question().value).toBe('');
    expect(document.activeElement).toBe(question());
    expect(screen.getByRole('status', { name: '' }).textContent ?? '').toContain('Lagret');
    // The receipt code, for an anonymous bearer to find the idea and its answer on the board (issue #12 point 4).
    expect(screen.getByText(/^Kvitteringskoden din: /).textContent).toBe(`Kvitteringskoden din: ${receiptCode(ideas[0]!.id)}`);
  });

  it('shows the field error from the domain schema and saves nothing when the question is empty', async () => {
    render(<CaptureScreen />);
    type(question(), '   ');
    fireEvent.click(screen.getByRole('button', { name: 'Lagre ideen' }));
    const error = await screen.findByText('Dette feltet må fylles ut.');
    expect(question().getAttribute('aria-describedby')).toContain(error.closest('p')!.id);
    expect(question().getAttribute('aria-invalid')).toBe('true');
    expect(await db.ideas.count()).toBe(0);
  });

  it('on a full disk: translated message, the text stays, never "saved"', async () => {
    await fillTheDisk(db);
    render(<CaptureScreen />);
    type(question(), 'Felles møterom');
    fireEvent.click(screen.getByRole('button', { name: 'Lagre ideen' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Nettbrettet er fullt');
    expect(question().value).toBe('Felles møterom');
    expect(screen.queryByText(/Lagret\./)).toBeNull();
    expect(await db.ideas.count()).toBe(0);
    expect(await db.outbox.count()).toBe(0);
  });

  it('saves a named idea with optional details; a named choice without a name is an error', async () => {
    render(<CaptureScreen />);
    type(question(), 'Én-manns renovasjonsbil');
    fireEvent.click(screen.getByLabelText('Ansatte'));
    fireEvent.click(screen.getByLabelText(/^Teknologi/));
    fireEvent.click(screen.getByLabelText('Med navnet mitt'));
    fireEvent.click(screen.getByRole('button', { name: 'Lagre ideen' }));
    await screen.findByText('Skriv navnet ditt, eller velg anonym.');
    type(screen.getByLabelText('Navnet ditt'), 'Ola');
    fireEvent.click(screen.getByRole('button', { name: 'Lagre ideen' }));
    await screen.findByText(/Lagret\./);
    expect((await db.ideas.toArray())[0]).toMatchObject({ bearerName: 'Ola', beneficiaries: ['staff'], kind: 'technology' });
  });

  it('autosaves a draft, marks the form dirty, and restores the draft on return', async () => {
    const first = render(<CaptureScreen />);
    type(question(), 'Halvferdig tanke');
    expect(hasDirtyInput()).toBe(true);
    await waitFor(
      async () => expect((await db.drafts.get(CAPTURE_DRAFT_KEY))?.value).toMatchObject({ impossibleNow: 'Halvferdig tanke' }),
      {
        timeout: 3000,
      },
    );
    first.unmount();
    expect(hasDirtyInput()).toBe(false);

    render(<CaptureScreen />);
    await waitFor(() => expect(question().value).toBe('Halvferdig tanke'));
    expect(screen.getByText(/Vi hentet fram en idé/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Lagre ideen' }));
    await screen.findByText(/Lagret\./);
    // The draft is cleared in the same transaction as the idea.
    expect(await db.drafts.get(CAPTURE_DRAFT_KEY)).toBeUndefined();
  });

  it('restores drafted photos with the text, and saves the idea with them (both drafts cleared in the commit)', async () => {
    const photo = (byte: number) => ({
      sha256: byte.toString(16).padStart(2, '0').repeat(32),
      blob: new NodeBlob([new Uint8Array([byte, byte, byte])], { type: 'image/jpeg' }) as Blob,
      type: 'image/jpeg',
      width: 1600,
      height: 1200,
      size: 3,
      uploaded: 0 as const,
      createdAt: 1,
    });
    await saveDraft(db, CAPTURE_DRAFT_KEY, { impossibleNow: 'Bilde av den tunge døra' });
    await saveDraft(db, CAPTURE_PHOTO_DRAFT_KEY, [photo(0xab), photo(0xcd)]);

    render(<CaptureScreen />);
    await waitFor(() => expect(question().value).toBe('Bilde av den tunge døra'));
    expect(await screen.findByRole('img', { name: 'Bilde 1 som lagres med ideen' })).toBeTruthy();
    expect(screen.getByRole('img', { name: 'Bilde 2 som lagres med ideen' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Lagre ideen' }));
    await screen.findByText(/Lagret\./);
    const [idea] = await db.ideas.toArray();
    expect(idea).toMatchObject({ impossibleNow: 'Bilde av den tunge døra', photos: ['ab'.repeat(32), 'cd'.repeat(32)] });
    expect((await db.blobs.get('cd'.repeat(32)))?.size).toBe(3);
    expect(await db.drafts.count()).toBe(0);
    expect(screen.queryByRole('img', { name: /som lagres med ideen/ })).toBeNull();
  });

  it('drafted photos alone are restored; something stored there that is not a photo is ignored', async () => {
    await saveDraft(db, CAPTURE_PHOTO_DRAFT_KEY, { sha256: 'not-a-hash', blob: 'text' });
    expect(await loadPhotoDrafts(db, CAPTURE_PHOTO_DRAFT_KEY)).toEqual([]);
    const photo = {
      sha256: 'cd'.repeat(32),
      blob: new NodeBlob([new Uint8Array([9])]) as Blob,
      type: 'image/jpeg',
      width: 10,
      height: 10,
      size: 1,
      uploaded: 0 as const,
      createdAt: 1,
    };
    // A draft of one photo (not a list) still reads.
    await saveDraft(db, CAPTURE_PHOTO_DRAFT_KEY, photo);
    expect(await loadPhotoDrafts(db, CAPTURE_PHOTO_DRAFT_KEY)).toHaveLength(1);
    render(<CaptureScreen />);
    expect(await screen.findByRole('img', { name: 'Bilde 1 som lagres med ideen' })).toBeTruthy();
    expect(screen.getByText(/Vi hentet fram en idé/)).toBeTruthy();
    // Removing the photo removes its draft too.
    fireEvent.click(screen.getByRole('button', { name: 'Fjern bilde 1' }));
    await waitFor(async () => expect(await db.drafts.get(CAPTURE_PHOTO_DRAFT_KEY)).toBeUndefined());
  });
});
