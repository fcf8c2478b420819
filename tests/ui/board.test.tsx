// @vitest-environment happy-dom
/** Board: newest first, filter by status and kind, diacritic-insensitive search, support, windowing. */
import 'fake-indexeddb/auto';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { newId, receiptCode, type Unit } from '../../src/domain';
import type { NedenfraDb } from '../../src/data/db';
import { newestUnitIdeas, unitIdeas } from '../../src/data/ideas';
import { publishDecision, saveDecisionDraft } from '../../src/data/method';
import { commit } from '../../src/data/repository';
import { rowOffsets, visibleRange, VirtualList } from '../../src/ui/components/VirtualList';
import { SUPPORT_DEBOUNCE_MS } from '../../src/ui/components/SupportButton';
import { BoardScreen } from '../../src/ui/screens/BoardScreen';
import { filterIdeas, indexIdeas, normalizeForSearch } from '../../src/ui/search';
import { freshApp, teardown } from './setup';

let db: NedenfraDb;
let unit: Unit;
beforeEach(async () => {
  const app = await freshApp();
  db = app.db;
  unit = app.unit!;
});
afterEach(async () => {
  await teardown(db);
});

async function seed(ideas: Array<Record<string, unknown>>) {
  const base = Date.parse('2026-11-01T08:00:00Z');
  await commit(
    db,
    ideas.map((idea, i) => ({
      op: 'create' as const,
      table: 'ideas' as const,
      data: { id: newId(base + i * 60_000), unitId: unit.id, createdAt: new Date(base + i * 60_000).toISOString(), ...idea },
    })),
  );
}

/** Choose an option the way a person does: the value changes, then a change event. */
function choose(label: string, value: string) {
  const select = screen.getByLabelText<HTMLSelectElement>(label);
  select.value = value;
  select.dispatchEvent(new Event('change', { bubbles: true }));
}

const titles = () =>
  screen
    .queryAllByRole('link')
    .filter((a) => a.classList.contains('idea-row__title'))
    .map((a) => a.textContent);

describe('board', () => {
  it('shows an empty state with a way to capture', async () => {
    render(<BoardScreen />);
    await screen.findByText('Ingen ideer ennå. Bli den første!');
    expect(screen.getByRole('link', { name: 'Skriv en idé' }).getAttribute('href')).toBe('#/capture');
  });

  it('lists newest first and filters by status, kind and search', async () => {
    await seed([
      { impossibleNow: 'Løftearm på bilen', kind: 'technology' },
      { impossibleNow: 'Selvstyrte team', kind: 'organisation' },
      { impossibleNow: 'Felles møterom', wouldChange: 'Vi kunne snakket sammen', bearerName: 'Åse Ødegård' },
    ]);
    // Adopted: a status follows from a published decision, never from a write.
    const adopted = (await unitIdeas(db, unit.id)).find((i) => i.impossibleNow === 'Selvstyrte team')!;
    const draft = await saveDecisionDraft(db, adopted, {
      outcome: 'adopt',
      rationale: 'Vi prøver det',
      responsible: 'Ola',
      followUpDate: '2027-01-15',
      parkUntil: null,
      mergeIntoIdeaId: null,
      participants: [{ role: 'leader', name: null }],
    });
    await publishDecision(db, draft.id, 'Kari');
    render(<BoardScreen />);
    await screen.findByText('3 ideer vises');
    expect(titles()).toEqual(['Felles møterom', 'Selvstyrte team', 'Løftearm på bilen']);

    choose('Status', 'adopted');
    await waitFor(() => expect(document.querySelector('.board__count')?.textContent).toBe('1 idé vises'));
    expect(titles()).toEqual(['Selvstyrte team']);
    choose('Status', 'all');

    choose('Type endring', 'technology');
    await waitFor(() => expect(titles()).toEqual(['Løftearm på bilen']));
    choose('Type endring', 'all');

    // Case- and diacritic-insensitive, across impossibleNow, wouldChange and bearerName.
    fireEvent.input(screen.getByLabelText('Søk i ideene'), { target: { value: 'LOFTEARM' } });
    await waitFor(() => expect(titles()).toEqual(['Løftearm på bilen']));
    fireEvent.input(screen.getByLabelText('Søk i ideene'), { target: { value: 'snakket' } });
    await waitFor(() => expect(titles()).toEqual(['Felles møterom']));
    fireEvent.input(screen.getByLabelText('Søk i ideene'), { target: { value: 'ase odegard' } });
    await waitFor(() => expect(titles()).toEqual(['Felles møterom']));
    fireEvent.input(screen.getByLabelText('Søk i ideene'), { target: { value: 'finnes ikke' } });
    await screen.findByText('Ingen ideer passer til søket eller filteret.');
  });

  it('counts support per idea and records each press as a synced support record', async () => {
    await seed([{ impossibleNow: 'Felles møterom' }]);
    render(<BoardScreen />);
    const row = (await screen.findByText('Felles møterom')).closest('article')!;
    expect(within(row).getByText('0 støtter')).toBeTruthy();
    fireEvent.click(within(row).getByRole('button', { name: /Støtt/ }));
    await within(row).findByText('1 støtte');
    // A colleague a little later supports too.
    const later = vi.spyOn(Date, 'now').mockReturnValue(Date.now() + SUPPORT_DEBOUNCE_MS + 1);
    try {
      fireEvent.click(within(row).getByRole('button', { name: /Støtt/ }));
      await within(row).findByText('2 støtter');
    } finally {
      later.mockRestore();
    }
    expect(await db.supports.count()).toBe(2);
    expect(await db.outbox.where('table').equals('supports').count()).toBe(2);
  });

  // Issue #11 point 9.
  it('names each support button after its idea, ignores a double tap, and offers a short undo', async () => {
    await seed([{ impossibleNow: 'Felles møterom' }, { impossibleNow: 'Løftearm på bilen' }]);
    render(<BoardScreen />);
    const button = await screen.findByRole('button', { name: '+1 Støtt: Felles møterom' });
    expect(screen.getByRole('button', { name: '+1 Støtt: Løftearm på bilen' })).toBeTruthy();
    // A gloved double tap: two presses at once count once.
    fireEvent.click(button);
    fireEvent.click(button);
    const row = button.closest('article')!;
    await within(row).findByText('1 støtte');
    await new Promise((r) => setTimeout(r, 50));
    fireEvent.click(button);
    await new Promise((r) => setTimeout(r, 50));
    expect(await db.supports.count()).toBe(1);
    // Undo takes the support back (and the delete is queued for sync).
    fireEvent.click(within(row).getByRole('button', { name: 'Angre støtte: Felles møterom' }));
    await within(row).findByText('0 støtter');
    expect(await db.supports.count()).toBe(0);
    expect((await db.outbox.where('table').equals('supports').toArray()).map((r) => r.op)).toEqual(['create', 'delete']);
    expect(within(row).queryByRole('button', { name: /Angre/ })).toBeNull();
    await waitFor(() => expect(document.activeElement).toBe(within(row).getByRole('button', { name: '+1 Støtt: Felles møterom' })));
  });

  it('renders only a window of rows for 10,000 ideas', async () => {
    // Seeded straight into the table (as a pull would): the board only reads.
    const base = Date.parse('2026-01-01T00:00:00Z');
    await db.ideas.bulkPut(
      Array.from({ length: 10_000 }, (_, i) => ({
        id: newId(base + i),
        unitId: unit.id,
        createdAt: new Date(base + i * 1000).toISOString(),
        impossibleNow: `Idé nummer ${i}`,
        wouldChange: null,
        beneficiaries: [],
        kind: null,
        bearerName: null,
        photos: [],
        status: 'new' as const,
        sessionId: null,
        sourceIdeaId: null,
      })),
    );
    render(<BoardScreen />);
    await screen.findByText('10000 ideer vises', {}, { timeout: 10_000 });
    expect(document.querySelectorAll('.vlist__row').length).toBeLessThan(60);
    expect(titles()[0]).toBe('Idé nummer 9999');
  });
});

describe('search', () => {
  it('matches every word of the query in any order, diacritic-insensitive (issue #11 point 10)', () => {
    const ideas = ['Rullestolen trenger en ny pute', 'Ny pute til sofaen', 'Rullestol-rampe ved inngangen'].map((impossibleNow, i) => ({
      id: String(i),
      unitId: 'u',
      createdAt: '2026-01-01T00:00:00.000Z',
      impossibleNow,
      wouldChange: null,
      beneficiaries: [],
      kind: null,
      bearerName: null,
      photos: [],
      status: 'new' as const,
      sessionId: null,
      sourceIdeaId: null,
    }));
    const index = indexIdeas(ideas);
    const find = (query: string) => filterIdeas(index, { status: 'all', kind: 'all', query }).map((i) => i.impossibleNow);
    expect(find('rullestol pute')).toEqual(['Rullestolen trenger en ny pute']);
    expect(find('PUTE   rullestol')).toEqual(['Rullestolen trenger en ny pute']);
    expect(find('pute')).toEqual(['Rullestolen trenger en ny pute', 'Ny pute til sofaen']);
    expect(find('rullestol inngangen pute')).toEqual([]);
  });

  it('finds an idea by its receipt code, typed any way, beside the words (issue #12 point 4)', () => {
    const ideas = ['0190a4c2-7b1e-7c3d-8e5f-0000000fffff', '0190a4c2-7b1e-7c3d-8e5f-000000000021'].map((id, i) => ({
      id,
      unitId: 'u',
      createdAt: '2026-01-01T00:00:00.000Z',
      impossibleNow: `Idé ${i}`,
      wouldChange: null,
      beneficiaries: [],
      kind: null,
      bearerName: null,
      photos: [],
      status: 'new' as const,
      sessionId: null,
      sourceIdeaId: null,
    }));
    const index = indexIdeas(ideas);
    const find = (query: string) => filterIdeas(index, { status: 'all', kind: 'all', query }).map((i) => i.impossibleNow);
    expect(receiptCode(ideas[1]!.id)).toBe('0011');
    expect(find('ZZZZ')).toEqual(['Idé 0']);
    expect(find('zz-zz')).toEqual(['Idé 0']);
    // O and I/L as the digits they look like.
    expect(find('OOIL')).toEqual(['Idé 1']);
    expect(find('idé 0011')).toEqual(['Idé 1']);
    expect(find('0012')).toEqual([]);
  });
});

describe('normalizeForSearch', () => {
  it('folds case, diacritics and Nordic letters', () => {
    expect(normalizeForSearch('  Ærlig ØL på   Åsen, café ')).toBe('aerlig ol pa asen, cafe');
  });

  it('reads the first screenful on its own: the newest of this unit only, in board order', async () => {
    await seed(Array.from({ length: 30 }, (_, i) => ({ impossibleNow: `Idé ${i}` })));
    // Another unit's idea (shared for learning, stored as a pull stores it), newer than all of ours: not on our board.
    await db.ideas.put({
      id: newId(),
      unitId: newId(),
      createdAt: '2026-12-01T08:00:00.000Z',
      impossibleNow: 'Annen enhet',
      wouldChange: null,
      beneficiaries: [],
      kind: null,
      bearerName: null,
      photos: [],
      status: 'adopted',
      sessionId: null,
      sourceIdeaId: null,
    });
    const first = await newestUnitIdeas(db, unit.id, 5);
    expect(first.map((i) => i.impossibleNow)).toEqual(['Idé 29', 'Idé 28', 'Idé 27', 'Idé 26', 'Idé 25']);
    expect(first).toEqual((await unitIdeas(db, unit.id)).slice(0, 5));
  });
});

describe('VirtualList (rows sized to their content, issue #11 point 1)', () => {
  it('places rows by their measured heights and windows by binary search', () => {
    const keys = ['a', 'b', 'c', 'd'];
    const offsets = rowOffsets(keys, new Map([['b', 300]]), 100);
    expect([...offsets]).toEqual([0, 100, 400, 500, 600]);
    expect(visibleRange(offsets, 0, 50)).toEqual({ start: 0, end: 1 });
    expect(visibleRange(offsets, 150, 420)).toEqual({ start: 1, end: 3 });
    expect(visibleRange(offsets, 590, 900)).toEqual({ start: 3, end: 4 });
    expect(visibleRange(offsets, -600, -10)).toEqual({ start: 0, end: 0 });
  });

  it('renders rows in normal flow between spacers that follow what was measured', async () => {
    // happy-dom has no layout: rows report the height their content would need.
    const heights: Record<string, number> = { i0: 135, i1: 260, i2: 135, i3: 135 };
    const spy = vi.spyOn(HTMLElement.prototype, 'getBoundingClientRect').mockImplementation(function (this: HTMLElement) {
      return { height: heights[this.dataset.key ?? ''] ?? 0 } as DOMRect;
    });
    try {
      const items = Array.from({ length: 200 }, (_, i) => `i${i}`);
      render(
        <VirtualList
          items={items}
          estimatedRowRem={7.5}
          itemKey={(s) => s}
          label="Liste"
          renderItem={(s) => <span>{s}</span>}
          overscanPx={0}
        />,
      );
      const list = screen.getByRole('list', { name: 'Liste' });
      const rows = list.querySelectorAll('li');
      expect(rows.length).toBeLessThan(20);
      expect([...rows].every((li) => !li.style.position && !li.style.top)).toBe(true);
      // The window covers 800 px (the default viewport) with the measured heights: 135 + 260 + 135 + 135 + 120 + 120 ≥ 800,
      // so six rows; the 194 below are spaced at the estimate (7.5rem = 120 px here).
      await waitFor(() =>
        expect([...list.querySelectorAll('li')].map((li) => li.dataset.key)).toEqual(['i0', 'i1', 'i2', 'i3', 'i4', 'i5']),
      );
      expect(list.style.paddingBottom).toBe(`${194 * 120}px`);
      expect(list.querySelector('li')!.getAttribute('aria-setsize')).toBe('200');
    } finally {
      spy.mockRestore();
    }
  });
});
