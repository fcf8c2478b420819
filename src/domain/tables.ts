/**
 * The synced tables: one zod schema per record type, and the per-table rules
 * the merge needs (which tables are append-only, which may be deleted, what
 * other units may read).
 */
import { z } from 'zod';
import { Evaluation } from './records/evaluation';
import { EvaluationProcedure } from './records/evaluationProcedure';
import { Idea } from './records/idea';
import { Learning } from './records/learning';
import { PromptSession, SessionVote } from './records/promptSession';
import { Support } from './records/support';
import { Unit } from './records/unit';
import { UnitDecision } from './records/unitDecision';

export const TABLE_SCHEMAS = {
  units: Unit,
  ideas: Idea,
  supports: Support,
  promptSessions: PromptSession,
  sessionVotes: SessionVote,
  evaluationProcedures: EvaluationProcedure,
  evaluations: Evaluation,
  unitDecisions: UnitDecision,
  learnings: Learning,
} as const;

export type TableName = keyof typeof TABLE_SCHEMAS;
export const TableName = z.enum(Object.keys(TABLE_SCHEMAS) as [TableName, ...TableName[]]);
export const TABLE_NAMES = TableName.options;

export interface TableRecords {
  units: Unit;
  ideas: Idea;
  supports: Support;
  promptSessions: PromptSession;
  sessionVotes: SessionVote;
  evaluationProcedures: EvaluationProcedure;
  evaluations: Evaluation;
  unitDecisions: UnitDecision;
  learnings: Learning;
}

/** Records that are written once and never patched (a new version is a new record). */
export const APPEND_ONLY: ReadonlySet<TableName> = new Set(['supports', 'sessionVotes', 'evaluationProcedures']);

/** Records a tablet may delete (tombstone). Published decisions and procedures never go away. */
export const DELETABLE: ReadonlySet<TableName> = new Set([
  'ideas',
  'supports',
  'sessionVotes',
  'learnings',
  'evaluations',
  'unitDecisions',
]);

/** Unit fields a tablet may change; units themselves are created by the admin CLI. */
export const UNIT_EDITABLE_FIELDS: ReadonlySet<string> = new Set(['name', 'responseTargetDays', 'activeChangeLimit']);

/** Fields fixed at creation. */
export const IDENTITY_FIELDS: ReadonlySet<string> = new Set(['id', 'unitId', 'createdAt']);

/**
 * Dissemination: what one unit may read of another unit's records. Units learn
 * from each other through decided ideas, their published decisions and their
 * learnings; undecided ideas and drafts stay inside the unit.
 */
export function isSharedWithOtherUnits(table: TableName, data: Record<string, unknown>): boolean {
  switch (table) {
    case 'units':
    case 'learnings':
      return true;
    case 'unitDecisions':
      return data.state === 'published';
    case 'ideas':
      return data.status !== 'new' && data.status !== 'underEvaluation';
    default:
      return false;
  }
}

/** What another unit sees of a shared record: no names of idea bearers. */
export function redactForOtherUnits(table: TableName, data: Record<string, unknown>): Record<string, unknown> {
  if (table === 'ideas') return { ...data, bearerName: null };
  return data;
}
