/**
 * The synced tables: one zod schema per record type, its upgrade steps, and
 * the per-table rules the merge needs (which fields exist, which are fixed at
 * creation or derived, which tables are append-only, which may be deleted,
 * what other units may read). A new record type is one module in records/
 * (schema, types, upgrade steps) and one entry in each table below.
 */
import { z } from 'zod';
import type { RecordMigration } from './common';
import { Benefit, benefitMigrations } from './records/benefit';
import { BenefitResult, benefitResultMigrations } from './records/benefitResult';
import { Evaluation, evaluationMigrations } from './records/evaluation';
import { EvaluationProcedure, evaluationProcedureMigrations } from './records/evaluationProcedure';
import { FollowUp, followUpMigrations } from './records/followUp';
import { Idea, ideaMigrations } from './records/idea';
import { LadderStep, ladderStepMigrations } from './records/ladderStep';
import { Learning, learningMigrations } from './records/learning';
import { PromptSession, SessionVote, promptSessionMigrations, sessionVoteMigrations } from './records/promptSession';
import { Support, supportMigrations } from './records/support';
import { Unit, unitMigrations } from './records/unit';
import { UnitDecision, unitDecisionMigrations } from './records/unitDecision';

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
  benefits: Benefit,
  benefitResults: BenefitResult,
  ladderSteps: LadderStep,
  followUps: FollowUp,
} as const;

export type TableName = keyof typeof TABLE_SCHEMAS;
export const TableName = z.enum(Object.keys(TABLE_SCHEMAS) as [TableName, ...TableName[]]);
export const TABLE_NAMES = TableName.options;

/** Each table's upgrade steps, from its record's module (migrations.ts runs them). */
export const TABLE_MIGRATIONS: Readonly<Record<TableName, readonly RecordMigration[]>> = {
  units: unitMigrations,
  ideas: ideaMigrations,
  supports: supportMigrations,
  promptSessions: promptSessionMigrations,
  sessionVotes: sessionVoteMigrations,
  evaluationProcedures: evaluationProcedureMigrations,
  evaluations: evaluationMigrations,
  unitDecisions: unitDecisionMigrations,
  learnings: learningMigrations,
  benefits: benefitMigrations,
  benefitResults: benefitResultMigrations,
  ladderSteps: ladderStepMigrations,
  followUps: followUpMigrations,
};

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
  benefits: Benefit;
  benefitResults: BenefitResult;
  ladderSteps: LadderStep;
  followUps: FollowUp;
}

/**
 * The fields a record of each table has: its schema's shape. A mutation may
 * name no other field, and clocks exist only for these (an unknown field
 * would otherwise grow a record, and every unit's pull, without limit).
 */
const fieldsOf = (table: TableName): ReadonlySet<string> => new Set(Object.keys(TABLE_SCHEMAS[table].shape));
export const TABLE_FIELDS: Readonly<Record<TableName, ReadonlySet<string>>> = {
  units: fieldsOf('units'),
  ideas: fieldsOf('ideas'),
  supports: fieldsOf('supports'),
  promptSessions: fieldsOf('promptSessions'),
  sessionVotes: fieldsOf('sessionVotes'),
  evaluationProcedures: fieldsOf('evaluationProcedures'),
  evaluations: fieldsOf('evaluations'),
  unitDecisions: fieldsOf('unitDecisions'),
  learnings: fieldsOf('learnings'),
  benefits: fieldsOf('benefits'),
  benefitResults: fieldsOf('benefitResults'),
  ladderSteps: fieldsOf('ladderSteps'),
  followUps: fieldsOf('followUps'),
};

/** One field's schema, to validate a single incoming value before it is merged (or logged as a losing value). */
export function fieldSchema(table: TableName, field: string): z.ZodType | undefined {
  const shape = TABLE_SCHEMAS[table].shape as Record<string, z.ZodType>;
  return Object.hasOwn(shape, field) ? shape[field] : undefined;
}

/**
 * Fields no device writes: the server and every tablet compute them from
 * other records (an idea's status from its published decisions and
 * evaluations, rules/ideaStatus.ts). Incoming values for them are dropped
 * (older apps sent them), and they never get a clock.
 */
export const DERIVED_FIELDS: Readonly<Partial<Record<TableName, ReadonlySet<string>>>> = { ideas: new Set(['status']) };

export const isDerivedField = (table: TableName, field: string) => DERIVED_FIELDS[table]?.has(field) ?? false;

/**
 * Records that are written once and never patched (a new version is a new
 * record). The after-decision records are histories: a log entry, a benefit
 * the unit promised itself, a result, a ladder step and a follow-up stand as
 * written; a correction is a newer record.
 */
export const APPEND_ONLY: ReadonlySet<TableName> = new Set([
  'supports',
  'sessionVotes',
  'evaluationProcedures',
  'learnings',
  'benefits',
  'benefitResults',
  'ladderSteps',
  'followUps',
]);

/**
 * Records a tablet may delete (tombstone). Published decisions and procedures
 * never go away, nor do results, ladder steps and follow-ups (what the unit
 * found stays found); a log entry or a benefit stated in error may be removed.
 */
export const DELETABLE: ReadonlySet<TableName> = new Set([
  'ideas',
  'supports',
  'sessionVotes',
  'learnings',
  'evaluations',
  'unitDecisions',
  'benefits',
]);

/** Unit fields a tablet may change; units themselves are created by the admin CLI. */
export const UNIT_EDITABLE_FIELDS: ReadonlySet<string> = new Set(['name', 'responseTargetDays', 'activeChangeLimit']);

/** Fields fixed at creation. */
export const IDENTITY_FIELDS: ReadonlySet<string> = new Set(['id', 'unitId', 'createdAt']);

/**
 * Fields fixed at creation, per table: identity, and what a record belongs to
 * (an evaluation stays with its idea and the procedure version it was scored
 * against; a decision stays with its idea). A later write may repeat them but
 * never change them.
 */
export const FIXED_FIELDS: Readonly<Record<TableName, ReadonlySet<string>>> = {
  units: IDENTITY_FIELDS,
  ideas: IDENTITY_FIELDS,
  supports: new Set([...IDENTITY_FIELDS, 'ideaId']),
  promptSessions: IDENTITY_FIELDS,
  sessionVotes: new Set([...IDENTITY_FIELDS, 'ideaId', 'sessionId']),
  evaluationProcedures: IDENTITY_FIELDS,
  evaluations: new Set([...IDENTITY_FIELDS, 'ideaId', 'procedureId', 'procedureVersion']),
  unitDecisions: new Set([...IDENTITY_FIELDS, 'ideaId']),
  learnings: new Set([...IDENTITY_FIELDS, 'ideaId']),
  benefits: new Set([...IDENTITY_FIELDS, 'ideaId']),
  benefitResults: new Set([...IDENTITY_FIELDS, 'ideaId', 'benefitId', 'followUpId']),
  ladderSteps: new Set([...IDENTITY_FIELDS, 'ideaId']),
  followUps: new Set([...IDENTITY_FIELDS, 'ideaId', 'decisionId']),
};

/**
 * Dissemination: what one unit may read of another unit's records. Units learn
 * from each other through decided ideas, their published decisions, and what
 * their changes taught them: the learning log, and the expected benefits with
 * the results found for them. Undecided ideas, drafts, evaluations, and how a
 * unit steers its own changes (ladder steps, follow-ups) stay inside the unit.
 */
export function isSharedWithOtherUnits(table: TableName, data: Record<string, unknown>): boolean {
  switch (table) {
    case 'units':
    case 'learnings':
    case 'benefits':
    case 'benefitResults':
      return true;
    case 'unitDecisions':
      return data.state === 'published';
    case 'ideas':
      return data.status !== 'new' && data.status !== 'underEvaluation';
    default:
      return false;
  }
}

/** What another unit sees of a shared record: no names of idea bearers, nor of whoever wrote in a change's log. */
export function redactForOtherUnits(table: TableName, data: Record<string, unknown>): Record<string, unknown> {
  if (table === 'ideas') return { ...data, bearerName: null };
  if (table === 'learnings') return { ...data, author: null };
  return data;
}
