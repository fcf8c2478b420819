/**
 * References between records: every id a record names (an evaluation's idea
 * and procedure, a decision's idea, the decision it supersedes and the idea it
 * merges into, a vote's session and idea, a follow-up's decision, a result's
 * benefit, …) must name a record of the SAME
 * unit that exists (it may be a tombstone: a tablet that was offline may not
 * know of the delete yet, and a reference to it shows nothing). Otherwise one
 * unit could attach a decision to another unit's idea and bend its answer.
 *
 * Deliberate exceptions, declared `crossUnit`: an idea that takes up another
 * unit's change ("Vi vil prøve dette også") names its source, and the
 * steering group may merge an idea into another unit's. Such a reference may
 * name a record of another unit only if that record is shared with other
 * units (tables.ts: SHARING), i.e. one the writer could see; it never makes
 * the named record writable, and never changes what the other unit sees.
 *
 * Pure: the caller finds the named records (the server in its storage or
 * earlier in the same batch, the tablet in IndexedDB) and passes a lookup.
 */
import { Id } from '../ids';
import { isSharedWithOtherUnits, type TableName } from '../tables';

/** A record as stored (merge.ts: StoredRecord), as far as references need it. */
export interface ReferencedRecord {
  table: TableName;
  id: string;
  unitId: string;
  data: Record<string, unknown>;
  deleted: boolean;
}

/** A reference that may name a shared record of another unit (see the header). */
interface CrossUnitTarget {
  table: TableName;
  crossUnit: true;
}

/** Per table: the fields that name another record, and the table they name. */
export const REFERENCE_FIELDS: Readonly<Partial<Record<TableName, Readonly<Record<string, TableName | CrossUnitTarget>>>>> = {
  ideas: { sessionId: 'promptSessions', sourceIdeaId: { table: 'ideas', crossUnit: true } },
  supports: { ideaId: 'ideas' },
  sessionVotes: { sessionId: 'promptSessions', ideaId: 'ideas' },
  evaluationProcedures: { previousId: 'evaluationProcedures' },
  evaluations: { ideaId: 'ideas', procedureId: 'evaluationProcedures' },
  unitDecisions: { ideaId: 'ideas', supersedesId: 'unitDecisions', mergeIntoIdeaId: 'ideas' },
  learnings: { ideaId: 'ideas' },
  benefits: { ideaId: 'ideas' },
  benefitResults: { ideaId: 'ideas', benefitId: 'benefits', followUpId: 'followUps' },
  ladderSteps: { ideaId: 'ideas' },
  followUps: { ideaId: 'ideas', decisionId: 'unitDecisions' },
  steeringDecisions: {
    ideaId: 'ideas',
    supersedesId: 'steeringDecisions',
    answersDecisionId: 'unitDecisions',
    mergeIntoIdeaId: { table: 'ideas', crossUnit: true },
  },
};

export interface RecordRef {
  field: string;
  table: TableName;
  id: string;
  /** May name a shared record of another unit. */
  crossUnit: boolean;
}

/** Every reference `data` holds (a field that is null, or not an id, names nothing; unvalidated input may be passed). */
export function referencesOf(table: TableName, data: Readonly<Record<string, unknown>>): RecordRef[] {
  const refs: RecordRef[] = [];
  for (const [field, target] of Object.entries(REFERENCE_FIELDS[table] ?? {})) {
    const id = Object.hasOwn(data, field) ? data[field] : undefined;
    if (typeof id !== 'string' || !Id.safeParse(id).success) continue;
    refs.push(
      typeof target === 'string' ? { field, table: target, id, crossUnit: false } : { field, table: target.table, id, crossUnit: true },
    );
  }
  return refs;
}

export type FindRecord = (table: TableName, id: string) => ReferencedRecord | undefined;

export type ReferenceCheck = { ok: true } | { ok: false; reason: 'forbidden' | 'unknownRecord' | 'invalid'; detail: string };

/**
 * Check the references of `record` (only those in `fields`, if given: the
 * ones a write changed). `find` returns the named record as stored, or
 * undefined.
 */
export function checkReferences(
  record: Pick<ReferencedRecord, 'table' | 'unitId' | 'data'>,
  find: FindRecord,
  fields?: ReadonlySet<string>,
): ReferenceCheck {
  for (const ref of referencesOf(record.table, record.data)) {
    if (fields && !fields.has(ref.field)) continue;
    const target = find(ref.table, ref.id);
    if (!target) return { ok: false, reason: 'unknownRecord', detail: `${ref.field} names a record the server does not have` };
    if (target.unitId !== record.unitId && !(ref.crossUnit && isSharedWithOtherUnits(target.table, target.data)))
      return { ok: false, reason: 'forbidden', detail: `${ref.field} names a record of another unit` };
    const problem = pairProblem(record, ref, target);
    if (problem) return { ok: false, reason: 'invalid', detail: problem };
  }
  return { ok: true };
}

/** Rules between a record and the one it names, beyond "same unit". */
function pairProblem(record: Pick<ReferencedRecord, 'table' | 'data'>, ref: RecordRef, target: ReferencedRecord): string | null {
  if ((record.table === 'unitDecisions' || record.table === 'steeringDecisions') && ref.field === 'supersedesId') {
    if (target.data.ideaId !== record.data.ideaId) return 'a decision can only supersede a decision on the same idea';
    if (record.table === 'steeringDecisions' && target.data.answersDecisionId !== record.data.answersDecisionId)
      return 'an answer can only supersede an answer to the same forward';
  }
  if (record.table === 'steeringDecisions' && ref.field === 'answersDecisionId') {
    if (target.data.ideaId !== record.data.ideaId) return 'the answered decision is on another idea';
    if (target.data.state !== 'published' || target.data.outcome !== 'forward')
      return 'the steering group answers only a published decision that forwards the idea';
  }
  if (record.table === 'ideas' && ref.field === 'sourceIdeaId' && target.id === record.data.id) return 'an idea cannot take up itself';
  if (record.table === 'sessionVotes' && ref.field === 'ideaId' && target.data.sessionId !== record.data.sessionId)
    return 'the idea was not raised in this session';
  if (record.table === 'evaluations' && ref.field === 'procedureId' && target.data.version !== record.data.procedureVersion)
    return 'procedureVersion does not match the procedure';
  if (record.table === 'followUps' && ref.field === 'decisionId') {
    if (target.data.ideaId !== record.data.ideaId) return 'a follow-up follows up a decision on the same idea';
    // Published decisions never change, so this holds for good once it held.
    if (target.data.state !== 'published' || (target.data.outcome !== 'adopt' && target.data.outcome !== 'pilot'))
      return 'only a published adopt or pilot decision starts a change to follow up';
  }
  if (record.table === 'benefitResults' && ref.field !== 'ideaId' && target.data.ideaId !== record.data.ideaId)
    return `${ref.field === 'benefitId' ? 'the benefit' : 'the follow-up'} belongs to another idea`;
  return null;
}

const refKey = (table: string, id: string) => `${table}/${id}`;

/**
 * Order records so each comes after the records it names (those in the list),
 * e.g. for a full-state re-push after a server restore: a create must not
 * arrive before the idea it refers to. Stable otherwise; cycles cannot occur
 * in valid data and are broken arbitrarily.
 */
export function orderByReferences<T extends Pick<ReferencedRecord, 'table' | 'id' | 'data'>>(records: readonly T[]): T[] {
  const byKey = new Map(records.map((r) => [refKey(r.table, r.id), r]));
  const done = new Set<string>();
  const visiting = new Set<string>();
  const ordered: T[] = [];
  for (const root of records) {
    // Iterative depth-first walk: references first, then the record itself.
    const stack: Array<{ record: T; expanded: boolean }> = [{ record: root, expanded: false }];
    while (stack.length) {
      const top = stack.pop()!;
      const key = refKey(top.record.table, top.record.id);
      if (done.has(key)) continue;
      if (top.expanded) {
        done.add(key);
        ordered.push(top.record);
        continue;
      }
      if (visiting.has(key)) continue; // a cycle: already on the way down
      visiting.add(key);
      stack.push({ record: top.record, expanded: true });
      for (const ref of referencesOf(top.record.table, top.record.data)) {
        const target = byKey.get(refKey(ref.table, ref.id));
        if (target && !visiting.has(refKey(target.table, target.id))) stack.push({ record: target, expanded: false });
      }
    }
  }
  return ordered;
}
