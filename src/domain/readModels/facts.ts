/**
 * Record facts: the few fields of a synced record that the municipality's
 * figures count, flattened into one narrow row per record (read model). The
 * server keeps one fact per live record, written in the same transaction as
 * the record itself, so the overview aggregates small indexed rows in SQL
 * instead of parsing 100,000 JSON documents per request (bench P9).
 *
 * Which record says what is decided here, once, for both databases:
 *   units           at = created,   amount = response target (days)
 *   ideas           at = created,   state = status, kind = the bearer's kind of change,
 *                                   ideaId = the other unit's idea it takes up (sourceIdeaId)
 *   evaluations     at = created,   ideaId, kind = the evaluators' kind, outcome = recommendation
 *   unitDecisions   at = published (created while a draft), ideaId, state = draft|published, outcome
 *   steeringDecisions  the same, for the steering group's answers
 *   learnings       at = created,   ideaId                          (the learning log)
 *   ladderSteps     at = created,   ideaId, state = the step (awareness … practice)
 *   followUps       at = created,   ideaId, state = continue|practice|stopped
 *   benefits        at = created,   ideaId, kind = the kind of benefit (quality … other)
 *   benefitResults  at = created,   ideaId, state = realised (yes|partly|notYet|no)
 *   promptSessions  at = started,   amount = people present (count, else names listed)
 * Deleted records have no fact. Bump FACTS_VERSION when this mapping
 * changes: the server then rebuilds every fact from the records at start.
 */
import type { StoredRecord } from '../merge';
import type { TableName } from '../tables';
import { osloMonth } from './time';

/** 2: the after-decision records (#12); a learning no longer carries a ladder step. 3: steering-group answers, sourceIdeaId (#14). */
export const FACTS_VERSION = 3;

export const FACT_TABLES = [
  'units',
  'ideas',
  'evaluations',
  'unitDecisions',
  'learnings',
  'ladderSteps',
  'followUps',
  'benefits',
  'benefitResults',
  'promptSessions',
  'steeringDecisions',
] as const satisfies readonly TableName[];
export type FactTable = (typeof FACT_TABLES)[number];

export interface RecordFact {
  table: FactTable;
  id: string;
  unitId: string;
  /** The idea an evaluation, decision, log entry, ladder step, follow-up, benefit or result belongs to. */
  ideaId: string | null;
  /** Epoch ms; see the header for which instant each table uses. */
  at: number;
  /** `YYYY-MM` of `at` in Oslo. */
  month: string;
  state: string | null;
  outcome: string | null;
  kind: string | null;
  amount: number | null;
}

const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const time = (v: unknown): number | null => {
  if (typeof v !== 'string') return null;
  const ms = Date.parse(v);
  return Number.isFinite(ms) ? ms : null;
};

export function isFactTable(table: TableName): table is FactTable {
  return (FACT_TABLES as readonly string[]).includes(table);
}

/** The fact of a stored record, or null (deleted, not counted, or too malformed to count). */
export function factOf(record: Pick<StoredRecord, 'table' | 'id' | 'unitId' | 'data' | 'deleted'>): RecordFact | null {
  const { table, data } = record;
  if (record.deleted || !isFactTable(table)) return null;
  const base = { table, id: record.id, unitId: record.unitId, ideaId: null, state: null, outcome: null, kind: null, amount: null };
  let when: number | null;
  let fact: Omit<RecordFact, 'at' | 'month'>;
  switch (table) {
    case 'units':
      when = time(data.createdAt);
      fact = { ...base, amount: typeof data.responseTargetDays === 'number' ? data.responseTargetDays : null };
      break;
    case 'ideas':
      when = time(data.createdAt);
      fact = { ...base, state: text(data.status) ?? 'new', kind: text(data.kind), ideaId: text(data.sourceIdeaId) };
      break;
    case 'evaluations':
      when = time(data.createdAt);
      fact = { ...base, ideaId: text(data.ideaId), kind: text(data.kind), outcome: text(data.recommendation) };
      break;
    case 'unitDecisions':
    case 'steeringDecisions':
      when = time(data.publishedAt) ?? time(data.createdAt);
      fact = { ...base, ideaId: text(data.ideaId), state: text(data.state) ?? 'draft', outcome: text(data.outcome) };
      break;
    case 'learnings':
      when = time(data.createdAt);
      fact = { ...base, ideaId: text(data.ideaId) };
      break;
    case 'ladderSteps':
      when = time(data.createdAt);
      fact = { ...base, ideaId: text(data.ideaId), state: text(data.step) };
      break;
    case 'followUps':
      when = time(data.createdAt);
      fact = { ...base, ideaId: text(data.ideaId), state: text(data.outcome) };
      break;
    case 'benefits':
      when = time(data.createdAt);
      fact = { ...base, ideaId: text(data.ideaId), kind: text(data.kind) };
      break;
    case 'benefitResults':
      when = time(data.createdAt);
      fact = { ...base, ideaId: text(data.ideaId), state: text(data.realised) };
      break;
    case 'promptSessions': {
      when = time(data.startedAt) ?? time(data.createdAt);
      const names = Array.isArray(data.participantNames) ? data.participantNames.length : 0;
      fact = { ...base, amount: typeof data.participantCount === 'number' ? data.participantCount : names };
      break;
    }
  }
  if (when === null) return null;
  return { ...fact, at: when, month: osloMonth(when) };
}
