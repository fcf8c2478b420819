/**
 * The synced tables: one zod schema per record type, and the per-table rules
 * the merge, the pull and the privacy rules need, each DECLARED here once per
 * table (which fields exist, which are fixed at creation or derived, which
 * tables are append-only, deletable, written by the server only, published
 * like decisions; which fields hold a person's name; what other units may
 * read). A new table plugs in by adding its lines to these declarations;
 * tests/domain/tables.test.ts fails for a table or a name-like field left out.
 * A new record type is one module in records/ (schema, types, upgrade steps)
 * and its lines here.
 */
import { z } from 'zod';
import type { RecordMigration } from './common';
import { Erasure, erasureMigrations } from './records/erasure';
import { Benefit, benefitMigrations } from './records/benefit';
import { BenefitResult, benefitResultMigrations } from './records/benefitResult';
import { Evaluation, evaluationMigrations } from './records/evaluation';
import { EvaluationProcedure, evaluationProcedureMigrations } from './records/evaluationProcedure';
import { FollowUp, followUpMigrations } from './records/followUp';
import { Idea, ideaMigrations } from './records/idea';
import { LadderStep, ladderStepMigrations } from './records/ladderStep';
import { Learning, learningMigrations } from './records/learning';
import { PromptSession, SessionVote, promptSessionMigrations, sessionVoteMigrations } from './records/promptSession';
import { SteeringDecision, steeringDecisionMigrations } from './records/steeringDecision';
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
  steeringDecisions: SteeringDecision,
  erasures: Erasure,
  benefits: Benefit,
  benefitResults: BenefitResult,
  ladderSteps: LadderStep,
  followUps: FollowUp,
} as const;

export type TableName = keyof typeof TABLE_SCHEMAS;
export const TableName = z.enum(Object.keys(TABLE_SCHEMAS) as [TableName, ...TableName[]]);
export const TABLE_NAMES = TableName.options;

export type TableRecords = { [T in TableName]: z.infer<(typeof TABLE_SCHEMAS)[T]> };

/** A value per table, none forgotten (a new table is a type error until it is declared). */
type PerTable<V> = Readonly<Record<TableName, V>>;
const perTable = <V>(value: (table: TableName) => V): PerTable<V> =>
  Object.fromEntries(TABLE_NAMES.map((t) => [t, value(t)])) as Record<TableName, V>;

/** Each table's upgrade steps, from its record's module (migrations.ts runs them). */
export const TABLE_MIGRATIONS: PerTable<readonly RecordMigration[]> = {
  units: unitMigrations,
  ideas: ideaMigrations,
  supports: supportMigrations,
  promptSessions: promptSessionMigrations,
  sessionVotes: sessionVoteMigrations,
  evaluationProcedures: evaluationProcedureMigrations,
  evaluations: evaluationMigrations,
  unitDecisions: unitDecisionMigrations,
  learnings: learningMigrations,
  steeringDecisions: steeringDecisionMigrations,
  erasures: erasureMigrations,
  benefits: benefitMigrations,
  benefitResults: benefitResultMigrations,
  ladderSteps: ladderStepMigrations,
  followUps: followUpMigrations,
};

/**
 * The fields a record of each table has: its schema's shape. A mutation may
 * name no other field, and clocks exist only for these (an unknown field
 * would otherwise grow a record, and every unit's pull, without limit).
 */
export const TABLE_FIELDS: PerTable<ReadonlySet<string>> = perTable((t) => new Set(Object.keys(TABLE_SCHEMAS[t].shape)));

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
  'erasures',
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
  'steeringDecisions',
  'benefits',
]);

/**
 * Decisions (records/decision.ts): drafted, then published with the `publish`
 * operation on the exact content the publisher saw, frozen once published
 * (merge.ts). The unit's, and the steering group's.
 */
export const DECISION_TABLES: ReadonlySet<TableName> = new Set(['unitDecisions', 'steeringDecisions']);
export const isDecisionTable = (table: TableName) => DECISION_TABLES.has(table);

/**
 * Records only the server writes (the municipal console, the administrator):
 * a tablet's write to them is refused, and a tablet never re-pushes them.
 * They belong to a unit like any record and reach its tablets by the pull.
 */
export const SERVER_AUTHORED: ReadonlySet<TableName> = new Set(['steeringDecisions', 'erasures']);

/** Unit fields a tablet may change; units themselves are created by the administrator. */
export const UNIT_EDITABLE_FIELDS: ReadonlySet<string> = new Set(['name', 'responseTargetDays', 'activeChangeLimit']);

/** Fields fixed at creation. */
export const IDENTITY_FIELDS: ReadonlySet<string> = new Set(['id', 'unitId', 'createdAt']);

/**
 * Fields fixed at creation, per table: identity, and what a record belongs to
 * (an evaluation stays with its idea and the procedure version it was scored
 * against; a decision stays with its idea; an idea with the idea it takes up).
 * A later write may repeat them but never change them.
 */
export const FIXED_FIELDS: PerTable<ReadonlySet<string>> = {
  units: IDENTITY_FIELDS,
  ideas: new Set([...IDENTITY_FIELDS, 'sourceIdeaId']),
  supports: new Set([...IDENTITY_FIELDS, 'ideaId']),
  promptSessions: IDENTITY_FIELDS,
  sessionVotes: new Set([...IDENTITY_FIELDS, 'ideaId', 'sessionId']),
  evaluationProcedures: IDENTITY_FIELDS,
  evaluations: new Set([...IDENTITY_FIELDS, 'ideaId', 'procedureId', 'procedureVersion']),
  unitDecisions: new Set([...IDENTITY_FIELDS, 'ideaId']),
  learnings: new Set([...IDENTITY_FIELDS, 'ideaId']),
  steeringDecisions: new Set([...IDENTITY_FIELDS, 'ideaId', 'answersDecisionId', 'meetingId']),
  erasures: TABLE_FIELDS.erasures,
  benefits: new Set([...IDENTITY_FIELDS, 'ideaId']),
  benefitResults: new Set([...IDENTITY_FIELDS, 'ideaId', 'benefitId', 'followUpId']),
  ladderSteps: new Set([...IDENTITY_FIELDS, 'ideaId']),
  followUps: new Set([...IDENTITY_FIELDS, 'ideaId', 'decisionId']),
};

// ───────────────────────────────────────────────────────── personal data ──

/**
 * How a field holds a person's name, and so what erasing or withholding it
 * means:
 *   - `optionalName`: a name or null, where null is a normal value (an
 *     anonymous bearer, no facilitator): the name becomes null;
 *   - `name`: a name that must stay filled in (a vote's voter, a published
 *     decision's publisher, the person responsible for a change): it becomes
 *     a pseudonym, or the "withheld" mark for other units;
 *   - `names`: a list of names: each one becomes a pseudonym (the list keeps
 *     its length, so a session keeps who may vote);
 *   - `parties`: the method's parties (role + optional name): the role stays,
 *     the name becomes null ("roles only").
 */
export type PersonFieldKind = 'optionalName' | 'name' | 'names' | 'parties';

/**
 * Every field that can hold a person's name, per table. This declaration
 * drives finding, exporting and erasing a person (rules/personalData.ts) and
 * what other units see (redactForOtherUnits). A free-text field whose name
 * says it holds a person and that is not declared here (or in
 * NOT_PERSON_FIELDS) fails tests/domain/tables.test.ts.
 */
export const PERSON_FIELDS: PerTable<Readonly<Record<string, PersonFieldKind>>> = {
  units: {},
  ideas: { bearerName: 'optionalName' },
  supports: {},
  promptSessions: { facilitator: 'optionalName', participantNames: 'names' },
  sessionVotes: { voter: 'name' },
  evaluationProcedures: {},
  evaluations: { participants: 'parties' },
  unitDecisions: { participants: 'parties', responsible: 'name', publishedBy: 'name' },
  learnings: { author: 'optionalName' },
  benefits: {},
  benefitResults: {},
  ladderSteps: { setBy: 'optionalName' },
  followUps: { by: 'optionalName' },
  steeringDecisions: { participants: 'parties', responsible: 'name', publishedBy: 'name' },
  erasures: {},
};

/** Fields whose names sound like a person's but are not, and why (read by the same test). */
export const NOT_PERSON_FIELDS: Readonly<Partial<Record<TableName, Readonly<Record<string, string>>>>> = {
  units: { name: "the unit's name", municipality: "the municipality's name" },
  erasures: { pseudonym: 'what replaces an erased name', nameHash: 'a salted hash, not a name' },
};

/** What replaces a name for another unit: a mark the screens show as "name not shown". */
export const NAME_WITHHELD = '—';

/**
 * `data` with every name that `matches` replaced (see PersonFieldKind):
 * optional names by null, required ones and list entries by `replacement`,
 * parties keep their role. Fields absent from `data` stay absent; values of
 * an unexpected shape are left alone (a record that fails its schema is
 * reported where it is read, never "fixed" here).
 */
export function replaceNames(
  table: TableName,
  data: Readonly<Record<string, unknown>>,
  matches: (name: string) => boolean,
  replacement: string,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...data };
  for (const [field, kind] of Object.entries(PERSON_FIELDS[table])) {
    if (!Object.hasOwn(data, field)) continue;
    const value = data[field];
    switch (kind) {
      case 'optionalName':
        if (typeof value === 'string' && matches(value)) out[field] = null;
        break;
      case 'name':
        if (typeof value === 'string' && matches(value)) out[field] = replacement;
        break;
      case 'names':
        if (Array.isArray(value)) out[field] = (value as unknown[]).map((v) => (typeof v === 'string' && matches(v) ? replacement : v));
        break;
      case 'parties':
        if (Array.isArray(value))
          out[field] = value.map((p: unknown) => (isParty(p) && typeof p.name === 'string' && matches(p.name) ? { ...p, name: null } : p));
        break;
    }
  }
  return out;
}

const isParty = (p: unknown): p is { name: unknown } => typeof p === 'object' && p !== null && !Array.isArray(p);

/** Every name a record holds, in its person fields (for finding and exporting a person). */
export function namesIn(table: TableName, data: Readonly<Record<string, unknown>>): string[] {
  const names: string[] = [];
  replaceNames(
    table,
    data,
    (name) => {
      if (name !== NAME_WITHHELD) names.push(name);
      return false;
    },
    '',
  );
  return names;
}

// ─────────────────────────────────────────────────────────── dissemination ──

/**
 * Dissemination: which records of a unit other units may read. Units learn
 * from each other through decided ideas, their published decisions (the
 * unit's and the steering group's), what their changes taught them (the
 * learning log, the expected benefits and the results found for them) and
 * where each change stands on the anchoring ladder (issue #14: "where they
 * are on the ladder"); undecided ideas, drafts, evaluations, sessions, votes,
 * procedures and the unit's follow-up plans stay inside the unit.
 * Whatever is shared travels without any person's name (redactForOtherUnits):
 * roles only. Enforced by the server's pull and by the console's library.
 */
export const SHARING: PerTable<false | ((data: Readonly<Record<string, unknown>>) => boolean)> = {
  units: () => true,
  ideas: (data) => data.status !== 'new' && data.status !== 'underEvaluation',
  supports: false,
  promptSessions: false,
  sessionVotes: false,
  evaluationProcedures: false,
  evaluations: false,
  unitDecisions: (data) => data.state === 'published',
  learnings: () => true,
  benefits: () => true,
  benefitResults: () => true,
  ladderSteps: () => true,
  followUps: false,
  steeringDecisions: (data) => data.state === 'published',
  erasures: false,
};

export function isSharedWithOtherUnits(table: TableName, data: Readonly<Record<string, unknown>>): boolean {
  const rule = SHARING[table];
  return rule !== false && rule(data);
}

/** What another unit sees of a shared record: no person's name (PERSON_FIELDS), roles only. */
export function redactForOtherUnits(table: TableName, data: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return replaceNames(table, data, () => true, NAME_WITHHELD);
}

/**
 * What the unit's own tablets see of a record. Everything, except a
 * steering-group decision before it is published: "not until then is a
 * decision valid", and a draft (or a deleted one) is the steering group's own.
 */
export function isVisibleToOwnUnit(table: TableName, data: Readonly<Record<string, unknown>>): boolean {
  return table !== 'steeringDecisions' || data.state === 'published';
}
