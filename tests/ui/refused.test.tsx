// @vitest-environment happy-dom
/**
 * Refused changes: the list says what did not reach the server, why, which
 * idea it concerns and what was typed; old rows without the typed fields and
 * unreadable rows are still listed; dismissing removes only the notice.
 */
import 'fake-indexeddb/auto';
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NedenfraDb } from '../../src/data/db';
import { saveIdea } from '../../src/data/ideas';
import { refusedChanges } from '../../src/data/sync/rejections';
import { newId, type Unit } from '../../src/domain';
import { setLanguage } from '../../src/ui/store';
import { RefusedChangesScreen } from '../../src/ui/sync/RefusedChangesScreen';
import { freshApp, teardown } from './setup';

let db: NedenfraDb;
let unit: Unit;
beforeEach(async () => {
  ({ db, unit } = (await freshApp()) as { db: NedenfraDb; unit: Unit });
});
afterEach(async () => teardown(db));

async function seed() {
  const idea = await saveIdea(db, unit.id, { impossibleNow: 'Faste vikarer på natt' });
  const goneIdeaId = newId();
  await db.rejections.bulkAdd([
    // A decision on an idea that exists here: refused because it was already published.
    {
      mutationId: newId(),
      table: 'unitDecisions',
      recordId: newId(),
      reason: 'publishedImmutable',
      detail: 'published decisions never change',
      at: Date.UTC(2026, 10, 20, 9, 0),
      op: 'patch',
      fields: { ideaId: idea.id, rationale: 'Vi prøver det ut i tre måneder.' },
    },
    // A new idea the server found invalid; nothing of it is left on the tablet but this row.
    {
      mutationId: newId(),
      table: 'ideas',
      recordId: goneIdeaId,
      reason: 'invalid',
      detail: 'impossibleNow: too long',
      at: Date.UTC(2026, 10, 21, 9, 0),
      op: 'create',
      fields: { id: goneIdeaId, impossibleNow: 'Egen bil til hjemmetjenesten', wouldChange: 'Kortere ventetid' },
    },
    // Written by an app version that stored no fields.
    { mutationId: newId(), table: 'supports', recordId: newId(), reason: 'unknownRecord', detail: '', at: Date.UTC(2026, 10, 19, 9, 0) },
  ]);
  // Unreadable: a reason this version does not know and no timestamp.
  await db.rejections.add({ mutationId: newId(), table: 'ideas', recordId: newId(), reason: 'fromTheFuture', detail: 7 } as never);
  return { idea, goneIdeaId };
}

describe('refusedChanges', () => {
  it('lists every refused change newest first, with its idea and what was typed', async () => {
    const { idea, goneIdeaId } = await seed();
    const list = await refusedChanges(db);
    expect(list.map((c) => c.table)).toEqual(['ideas', 'unitDecisions', 'supports', 'ideas']);
    expect(list[0]).toMatchObject({
      reason: 'invalid',
      op: 'create',
      idea: { id: goneIdeaId, text: 'Egen bil til hjemmetjenesten', existsHere: false },
      typedText: 'Egen bil til hjemmetjenesten\n\nKortere ventetid',
    });
    expect(list[1]).toMatchObject({
      reason: 'publishedImmutable',
      idea: { id: idea.id, text: 'Faste vikarer på natt', existsHere: true },
      typedText: 'Vi prøver det ut i tre måneder.',
    });
    expect(list[2]).toMatchObject({ reason: 'unknownRecord', op: null, fields: null, idea: null, typedText: null });
    expect(list[3]).toMatchObject({ reason: 'invalid', detail: '', at: 0 });
  });
});

describe('RefusedChangesScreen', () => {
  it('explains each refusal in plain words and keeps the typed text visible', async () => {
    const { idea } = await seed();
    render(<RefusedChangesScreen />);
    const items = await screen.findAllByRole('listitem');
    expect(items).toHaveLength(4);
    const first = within(items[0]!);
    expect(first.getByRole('heading', { level: 2 }).textContent).toBe('Idé – ny');
    expect(items[0]!.textContent).toContain('Serveren kunne ikke godta innholdet');
    expect(items[0]!.textContent).toContain('Kortere ventetid');
    expect(first.queryByRole('link')).toBeNull(); // the idea never existed here: quoted, not linked
    const second = within(items[1]!);
    expect(second.getByRole('heading', { level: 2 }).textContent).toBe('Beslutning – endring');
    expect(second.getByRole('link', { name: 'Faste vikarer på natt' }).getAttribute('href')).toBe(`#/idea/${idea.id}`);
    expect(items[1]!.textContent).toContain('Lag en ny beslutning som erstatter den');
    expect(second.getByText('published decisions never change')).toBeTruthy();

    await act(() => setLanguage('en'));
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Changes the server refused');
    expect(within(screen.getAllByRole('listitem')[1]!).getByRole('heading', { level: 2 }).textContent).toBe('Decision – edit');
  });

  it('removes only the dismissed notice, announces it and keeps focus on the page', async () => {
    const { idea } = await seed();
    render(<RefusedChangesScreen />);
    const items = await screen.findAllByRole('listitem');
    const button = within(items[1]!).getByRole('button', { name: 'Fjern fra listen' });
    expect(button.getAttribute('aria-describedby')).toBe(within(items[1]!).getByRole('heading', { level: 2 }).id);
    fireEvent.click(button);
    await waitFor(() => expect(screen.getAllByRole('listitem')).toHaveLength(3));
    expect(screen.getByRole('status').textContent).toBe('Fjernet fra listen.');
    expect(document.activeElement).toBe(screen.getByRole('heading', { level: 1 }));
    expect(await db.rejections.count()).toBe(3);
    expect(await db.ideas.get(idea.id)).toBeTruthy(); // the idea itself is untouched
  });

  it('says so when nothing was refused', async () => {
    render(<RefusedChangesScreen />);
    expect(await screen.findByText('Ingen endringer er avvist.')).toBeTruthy();
  });
});
