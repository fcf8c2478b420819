// @vitest-environment happy-dom
/**
 * The idea page: the idea in full, and the method's part of it (the answer in
 * force, the leader's actions). That part is imported like the board's method
 * parts, so it is there however the page was reached, not only once some other
 * module has registered it.
 */
import 'fake-indexeddb/auto';
import { render, screen } from '@testing-library/preact';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Unit } from '../../src/domain';
import type { NedenfraDb } from '../../src/data/db';
import { createRecord } from '../../src/data/repository';
import { IdeaDetailScreen } from '../../src/ui/screens/IdeaDetailScreen';
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

it('shows the idea with its answer, opened on its own', async () => {
  const idea = await createRecord(db, 'ideas', { unitId: unit.id, impossibleNow: 'Løftearm på badet' });
  await createRecord(db, 'unitDecisions', {
    unitId: unit.id,
    ideaId: idea.id,
    outcome: 'decline',
    rationale: 'Ikke i år.',
    participants: [{ role: 'leader', name: null }],
    state: 'published',
    publishedAt: new Date().toISOString(),
    publishedBy: 'Kari',
  });
  render(<IdeaDetailScreen param={idea.id} />);
  await screen.findByRole('heading', { level: 1, name: 'Løftearm på badet' });
  await screen.findByRole('heading', { level: 2, name: 'Svar' });
  await screen.findByText('Svar: Ideen blir ikke gjennomført.');
  expect(screen.getByText('Begrunnelse: Ikke i år.')).toBeTruthy();
});
