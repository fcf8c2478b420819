/**
 * "Fra andre enheter" on the tablet (issue #14 part 2): what other units
 * tried, built offline from what the pull brought (other units' records
 * arrive already redacted: tables.ts, SHARING and redactForOtherUnits), with
 * the same entries as the console's library (rules/library.ts). "Vi vil
 * prøve dette også" writes an ordinary idea in this unit that names the
 * source (a cross-unit reference by design: rules/references.ts).
 */
import {
  libraryEntry,
  libraryOrder,
  type Idea,
  type LibraryEntry,
  type TakenUp,
} from '../domain';
import type { NedenfraDb } from './db';
import { createRecord, readValid, withReopen } from './repository';

/** Every other unit's shared idea with a published answer, newest answer first; and this unit's ideas that took one up. */
export async function otherUnitsLibrary(db: NedenfraDb, unitId: string): Promise<LibraryEntry[]> {
  // Every read starts before any await, so a liveQuery observes every table.
  const [ideaRows, takenUpRows, unitRows, decisionRows, steeringRows, learningRows, stepRows] = await withReopen(db, () =>
    Promise.all([
      db.ideas.where('unitId').notEqual(unitId).toArray(),
      db.ideas.where('sourceIdeaId').above('').toArray(),
      db.units.toArray(),
      db.unitDecisions.where('state').equals('published').toArray(),
      db.steeringDecisions.where('state').equals('published').toArray(),
      db.learnings.toArray(),
      db.ladderSteps.toArray(),
    ]),
  );
  const [ideas, takers, units, unitDecisions, steeringDecisions, learnings, ladderSteps] = await Promise.all([
    readValid(db, 'ideas', ideaRows),
    readValid(db, 'ideas', takenUpRows),
    readValid(db, 'units', unitRows),
    readValid(db, 'unitDecisions', decisionRows),
    readValid(db, 'steeringDecisions', steeringRows),
    readValid(db, 'learnings', learningRows.filter((l) => l.unitId !== unitId)),
    readValid(db, 'ladderSteps', stepRows.filter((l) => l.unitId !== unitId)),
  ]);
  const unitName = new Map(units.records.map((u) => [u.id, u.name]));
  const takenUp = new Map<string, TakenUp[]>();
  for (const t of takers.records)
    if (t.sourceIdeaId)
      takenUp.set(t.sourceIdeaId, [
        ...(takenUp.get(t.sourceIdeaId) ?? []),
        { ideaId: t.id, unitId: t.unitId, unitName: unitName.get(t.unitId) ?? '', status: t.status },
      ]);
  const byIdea = <T extends { ideaId: string }>(rs: readonly T[]) => {
    const m = new Map<string, T[]>();
    for (const r of rs) m.set(r.ideaId, [...(m.get(r.ideaId) ?? []), r]);
    return m;
  };
  const [decisionsOf, steeringOf, learningsOf, stepsOf] = [
    byIdea(unitDecisions.records),
    byIdea(steeringDecisions.records),
    byIdea(learnings.records),
    byIdea(ladderSteps.records),
  ];
  return ideas.records
    .flatMap((idea) => {
      const entry = libraryEntry({
        idea,
        unitName: unitName.get(idea.unitId) ?? '',
        unitDecisions: decisionsOf.get(idea.id) ?? [],
        steeringDecisions: steeringOf.get(idea.id) ?? [],
        learnings: learningsOf.get(idea.id) ?? [],
        ladderSteps: stepsOf.get(idea.id) ?? [],
        takenUpBy: takenUp.get(idea.id) ?? [],
      });
      return entry ? [entry] : [];
    })
    .sort(libraryOrder);
}

/** "Vi vil prøve dette også": a new idea in this unit, its text from the source, linked to it. */
export async function takeUp(db: NedenfraDb, unitId: string, source: LibraryEntry): Promise<Idea> {
  return createRecord(db, 'ideas', {
    unitId,
    impossibleNow: source.text,
    wouldChange: source.wouldChange,
    kind: source.kind,
    beneficiaries: source.beneficiaries,
    bearerName: null,
    photos: [],
    sessionId: null,
    sourceIdeaId: source.ideaId,
  });
}

/** The other unit's change an idea took up, as the library shows it (null while sync has not brought it). */
export async function sourceEntry(db: NedenfraDb, idea: Pick<Idea, 'unitId' | 'sourceIdeaId'>): Promise<LibraryEntry | null> {
  if (!idea.sourceIdeaId) return null;
  return (await otherUnitsLibrary(db, idea.unitId)).find((e) => e.ideaId === idea.sourceIdeaId) ?? null;
}
