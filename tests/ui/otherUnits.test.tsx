// @vitest-environment happy-dom
/**
 * Issue #14 on the tablet, from what sync brought (records stored as a pull
 * stores them): the steering group's answer on a forwarded idea and in the
 * board's "recently decided"; "Fra andre enheter" with search and filters,
 * and "Vi vil prøve dette også" creating a linked idea here; the leader
 * deleting a photo.
 */
import 'fake-indexeddb/auto';
import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { HLC_ZERO, newId, type TableName, type TableRecords, type Unit } from '../../src/domain';
import type { NedenfraDb } from '../../src/data/db';
import { createRecord, recomputeIdeaStatus } from '../../src/data/repository';
import { putRecord } from '../../src/data/sync/context';
import { enterLeaderMode, leaveLeaderMode } from '../../src/ui/method/leaderMode';
import { RecentlyDecided } from '../../src/ui/method/RecentlyDecided';
import { IdeaDetailScreen } from '../../src/ui/screens/IdeaDetailScreen';
import { OtherUnitsScreen } from '../../src/ui/screens/OtherUnitsScreen';
import { recordsNaming } from '../fixtures/records';
import { freshApp, teardown } from './setup';

let db: NedenfraDb;
let unit: Unit;
beforeEach(async () => {
  const app = await freshApp();
  db = app.db;
  unit = app.unit!;
});
afterEach(async () => {
  leaveLeaderMode();
  await teardown(db);
});

/** Store records as a pull stores them (server-written and other units' records never go through the local write path). */
async function pulled<T extends TableName>(table: T, ...records: Array<TableRecords[T]>) {
  for (const data of records)
    await putRecord(db, { table, id: data.id, unitId: data.unitId, data, clocks: { id: HLC_ZERO }, deleted: false });
}

/** A forwarded idea of `unitId`, with the steering group's published answer when `answered`. */
async function forwarded(unitId: string, answered: boolean) {
  const { records } = recordsNaming('Kari', unitId);
  await pulled('ideas', records.ideas);
  await pulled('unitDecisions', records.unitDecisions);
  if (answered) await pulled('steeringDecisions', records.steeringDecisions);
  await recomputeIdeaStatus(db, [records.ideas.id], unitId);
  return records;
}

it("shows the steering group's answer on a forwarded idea, and in recently decided", async () => {
  const records = await forwarded(unit.id, true);
  render(<IdeaDetailScreen param={records.ideas.id} />);
  await screen.findByRole('heading', { level: 3, name: 'Styringsgruppens svar' });
  expect(screen.getByText('Styringsgruppen: Ideen innføres i hele kommunen.')).toBeTruthy();
  expect(screen.getByText('Svar: Ideen er sendt videre til styringsgruppen.')).toBeTruthy();
  expect(screen.getAllByText('Vedtatt').length).toBeGreaterThan(0); // the idea's status follows the steering group's answer
  render(<RecentlyDecided unitId={unit.id} />);
  await waitFor(() => expect(screen.getAllByText('Styringsgruppen: Ideen innføres i hele kommunen.')).toHaveLength(2));
});

it('says a forwarded idea waits for the steering group while it has not answered', async () => {
  const records = await forwarded(unit.id, false);
  render(<IdeaDetailScreen param={records.ideas.id} />);
  await screen.findByText(/Ideen er sendt til styringsgruppen, som ikke har svart ennå/);
});

it('lists what other units tried, searchable and filtered, and takes one up as a linked idea here', async () => {
  const other = newId();
  await pulled('units', {
    id: other,
    unitId: other,
    createdAt: '2026-01-01T00:00:00.000Z',
    municipality: 'Sørum',
    name: 'Renovasjon',
    responseTargetDays: 30,
    activeChangeLimit: 3,
  });
  const source = await forwarded(other, true);
  await pulled('learnings', { ...source.learnings, author: null, learned: 'Færre løft for hånd' });
  await pulled('ladderSteps', { ...source.ladderSteps, setBy: null });
  const { records: declined } = recordsNaming('Per', other);
  const declinedIdea = { ...declined.ideas, impossibleNow: 'Ny kaffetrakter', kind: 'social' as const, sessionId: null };
  await pulled('ideas', declinedIdea);
  await pulled('unitDecisions', { ...declined.unitDecisions, outcome: 'decline', rationale: 'Ikke nå.' });
  await recomputeIdeaStatus(db, [declinedIdea.id], other);
  // This unit's own ideas are not "from other units".
  await createRecord(db, 'ideas', { unitId: unit.id, impossibleNow: 'Vår egen idé' });

  render(<OtherUnitsScreen />);
  await screen.findByRole('heading', { level: 2, name: 'Bilen har ikke løftearm' });
  expect(screen.getByRole('heading', { level: 2, name: 'Ny kaffetrakter' })).toBeTruthy();
  expect(screen.queryByText('Vår egen idé')).toBeNull();
  expect(screen.getByText('Lærte: Færre løft for hånd')).toBeTruthy();
  expect(screen.getByText('Forankring: Kjent')).toBeTruthy();
  expect(document.body.textContent).not.toContain('Kari');

  fireEvent.change(screen.getByLabelText('Type endring'), { target: { value: 'social' } });
  await waitFor(() => expect(screen.queryByRole('heading', { level: 2, name: 'Bilen har ikke løftearm' })).toBeNull());
  fireEvent.change(screen.getByLabelText('Type endring'), { target: { value: 'all' } });
  fireEvent.input(screen.getByLabelText('Søk'), { target: { value: 'løft' } });
  await waitFor(() => expect(screen.queryByRole('heading', { level: 2, name: 'Ny kaffetrakter' })).toBeNull());

  fireEvent.click(screen.getByRole('button', { name: 'Vi vil prøve dette også' }));
  await waitFor(async () => expect(await db.ideas.where('sourceIdeaId').equals(source.ideas.id).count()).toBe(1));
  const mine = (await db.ideas.where('sourceIdeaId').equals(source.ideas.id).first())!;
  expect(mine).toMatchObject({ unitId: unit.id, impossibleNow: 'Bilen har ikke løftearm', bearerName: null, status: 'new' });
  expect(await db.outbox.filter((r) => r.recordId === mine.id).count()).toBe(1); // it syncs like any idea
  await screen.findByRole('link', { name: /Vi prøver dette også/ });

  render(<IdeaDetailScreen param={mine.id} />);
  await screen.findByRole('link', { name: 'Tatt opp fra Renovasjon: Bilen har ikke løftearm' });
});

it('lets the unit leader delete a photo: it goes from the idea and its bytes from the tablet', async () => {
  // happy-dom's URL.createObjectURL takes only Node's own Blob, which fake-indexeddb does not hand back: no preview here.
  URL.createObjectURL = () => 'blob:test';
  const sha = 'a'.repeat(64);
  await db.blobs.put({ sha256: sha, blob: new Blob(['x']), type: 'image/jpeg', width: 1, height: 1, size: 1, uploaded: 1, createdAt: 0 });
  const idea = await createRecord(db, 'ideas', { unitId: unit.id, impossibleNow: 'Bilde av tavla', photos: [sha] });
  render(<IdeaDetailScreen param={idea.id} />);
  await screen.findByRole('heading', { level: 1, name: 'Bilde av tavla' });
  expect(screen.queryByRole('button', { name: 'Slett bilde 1' })).toBeNull(); // only the leader
  enterLeaderMode(Date.now(), 'Leder');
  fireEvent.click(await screen.findByRole('button', { name: 'Slett bilde 1' }));
  fireEvent.click(screen.getByRole('button', { name: 'Ja, slett bilde 1' }));
  await waitFor(async () => expect(await db.blobs.get(sha)).toBeUndefined());
  expect((await db.ideas.get(idea.id))!.photos).toEqual([]);
});
