/**
 * Evaluation procedures change by appending: an edit never patches the stored
 * procedure but writes a new version pointing at the previous one, so every
 * evaluation keeps referring to the exact criteria it was scored against.
 */
import { EvaluationProcedure, defaultCriteria, type Criterion } from '../records/evaluationProcedure';

/** Version 1 for a unit that has no procedure yet: the Real Needs Model plus the memo's other lenses. */
export function firstProcedure(unitId: string, id: string, now: Date): EvaluationProcedure {
  return EvaluationProcedure.parse({ id, unitId, createdAt: now.toISOString(), version: 1, previousId: null, criteria: defaultCriteria() });
}

/** The procedure an edit produces: version + 1, linked to the one it replaces. Throws on invalid criteria. */
export function nextProcedureVersion(previous: EvaluationProcedure, criteria: Criterion[], id: string, now: Date): EvaluationProcedure {
  return EvaluationProcedure.parse({
    id,
    unitId: previous.unitId,
    createdAt: now.toISOString(),
    version: previous.version + 1,
    previousId: previous.id,
    criteria,
  });
}

/** Newest first: highest version, and (if two tablets edited at once) the later one first. */
export function procedureHistory(procedures: readonly EvaluationProcedure[]): EvaluationProcedure[] {
  return procedures.slice().sort((a, b) => b.version - a.version || (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
}

/** The procedure in force: the newest version. */
export function currentProcedure(procedures: readonly EvaluationProcedure[]): EvaluationProcedure | undefined {
  return procedureHistory(procedures)[0];
}
