/**
 * A unit as a pull from the server would leave it on a tablet: six ideas, four
 * of them answered with long rationales, supports and an open prompt session
 * with three named participants. Written straight into the app's IndexedDB
 * (records parsed with the domain schemas first, so they are valid). Used by
 * the layout e2e and the README screenshots (scripts/screenshots.ts).
 */
import { Idea, PromptSession, Support, Unit, UnitDecision, newId } from '../../src/domain';
import type { Page } from './harness';

export const TITLES = [
  'Tasta idé: beboerne kan ikke velge når de vil spise frokost, og nattevakta har ikke tid til å lage mat',
  'Rullestolene mangler gode puter, så beboerne sitter vondt etter en time',
  'Felles møterom der hjemmetjenesten kan snakke sammen etter vakt',
  'Vi har ikke tid til å lære av hverandre på tvers av avdelingene',
  'Nøkkelskapet er alltid tomt når kvelden begynner',
  'Én person kan ikke kjøre renovasjonsbilen alene – vi trenger løftearm',
];

/** A unit with six ideas, four of them answered (long rationales), supports and an open prompt session. */
export function seedData() {
  const unitId = newId();
  const now = Date.now();
  const unit = Unit.parse({
    id: unitId,
    unitId,
    createdAt: new Date(now - 90 * 86_400_000).toISOString(),
    municipality: 'Sørum',
    name: 'Hjemmetjenesten',
  });
  const session = PromptSession.parse({
    id: newId(now - 40 * 86_400_000),
    unitId,
    createdAt: new Date(now - 40 * 86_400_000).toISOString(),
    date: new Date(now - 40 * 86_400_000).toISOString().slice(0, 10),
    facilitator: 'Kari',
    question: 'Hva er umulig å få til i vår virksomhet i dag, som – hvis det var mulig – ville forbedre tjenestene våre grunnleggende?',
    startedAt: new Date(now - 40 * 86_400_000).toISOString(),
    participantCount: 3,
    participantNames: ['Kari', 'Per', 'Åse'],
  });
  const ideas = TITLES.map((impossibleNow, i) =>
    Idea.parse({
      id: newId(now - (30 - i) * 86_400_000),
      unitId,
      createdAt: new Date(now - (30 - i) * 86_400_000).toISOString(),
      impossibleNow,
      kind: i % 2 ? 'organisation' : 'technology',
      photos: [],
      status: i < 4 ? (['adopted', 'parked', 'declined', 'forwarded'] as const)[i] : 'new',
      sessionId: i === 5 ? session.id : null,
    }),
  );
  const outcomes = ['adopt', 'park', 'decline', 'forward'] as const;
  const decisions = outcomes.map((outcome, i) =>
    UnitDecision.parse({
      id: newId(now - (10 - i) * 86_400_000),
      unitId,
      createdAt: new Date(now - (10 - i) * 86_400_000).toISOString(),
      ideaId: ideas[i]!.id,
      outcome,
      rationale:
        'Vi har sett på dette sammen med tillitsvalgt og verneombud, og ser at det gir beboerne en bedre hverdag uten at det koster mer enn vi har i budsjettet i år.',
      responsible: outcome === 'adopt' ? 'Ola Driftsleder' : null,
      followUpDate: outcome === 'adopt' ? '2027-03-01' : null,
      parkUntil: outcome === 'park' ? '2027-06-01' : null,
      participants: [{ role: 'leader', name: 'Kari' }],
      state: 'published',
      publishedAt: new Date(now - (10 - i) * 86_400_000).toISOString(),
      publishedBy: 'Kari Leder',
    }),
  );
  const supports = [0, 0, 1, 2].map((i, n) =>
    Support.parse({ id: newId(now - n), unitId, createdAt: new Date(now - n).toISOString(), ideaId: ideas[i]!.id }),
  );
  return { unit, session, ideas, decisions, supports };
}

export type Seed = ReturnType<typeof seedData>;

/** Write records (and optionally kv rows) into the app's IndexedDB, as a pull would. */
export async function putRecords(page: Page, stores: Record<string, unknown[]>) {
  await page.evaluate(async (stores) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('nedenfra');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
    });
    const tx = db.transaction(Object.keys(stores), 'readwrite');
    for (const [name, rows] of Object.entries(stores)) for (const row of rows) tx.objectStore(name).put(row);
    await new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
    });
    db.close();
  }, stores);
}

/** Open the built app at `url` (first run: Dexie creates the database), write the seed, and reload into capture. */
export async function seedTablet(page: Page, url: string, seed: Seed) {
  await page.goto(url);
  await page.getByRole('heading', { level: 1, name: 'Velkommen til Nedenfra' }).waitFor();
  await putRecords(page, {
    units: [seed.unit],
    ideas: seed.ideas,
    unitDecisions: seed.decisions,
    supports: seed.supports,
    promptSessions: [seed.session],
    kv: [{ key: 'currentUnitId', value: seed.unit.id }],
  });
  await page.reload();
  await page.getByRole('heading', { level: 1, name: 'Ny idé' }).waitFor();
}
