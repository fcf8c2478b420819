/**
 * A unit's procedure for systematic idea evaluation: criteria with guidance and
 * a scale. Procedures are versioned by appending: an edit writes a new record
 * with version + 1 and `previousId`, so every evaluation keeps pointing at the
 * exact version it used.
 */
import { z } from 'zod';
import { OptionalText, RecordBase, type RecordMigration } from '../common';
import { Id } from '../ids';

/** Built-in criteria: the Real Needs Model (Dalin) plus the memo's other lenses. */
export const BUILTIN_CRITERIA = ['need', 'competence', 'ownership', 'management', 'userBenefit', 'ownBudget', 'load'] as const;
export const BuiltinCriterion = z.enum(BUILTIN_CRITERIA);
export type BuiltinCriterion = z.infer<typeof BuiltinCriterion>;

export const Criterion = z
  .object({
    /** Stable key that scores refer to; built-in keys get their text from the UI's translations. */
    key: z.string().regex(/^[a-zA-Z][a-zA-Z0-9_-]{0,39}$/),
    /** Custom wording; null means the translated built-in text. Required for custom keys. */
    label: OptionalText(120).default(null),
    guidance: OptionalText(1000).default(null),
    scaleMin: z.number().int().min(0).max(10).default(1),
    scaleMax: z.number().int().min(1).max(10).default(5),
  })
  .refine((c) => c.scaleMax > c.scaleMin, { message: 'scaleMax must exceed scaleMin', path: ['scaleMax'] })
  .refine((c) => c.label !== null || (BUILTIN_CRITERIA as readonly string[]).includes(c.key), {
    message: 'a custom criterion needs a label',
    path: ['label'],
  });
export type Criterion = z.infer<typeof Criterion>;

export const EvaluationProcedure = RecordBase.extend({
  version: z.number().int().min(1),
  previousId: Id.nullable().default(null),
  criteria: z
    .array(Criterion)
    .min(1)
    .max(20)
    .refine((cs) => new Set(cs.map((c) => c.key)).size === cs.length, 'criterion keys must be unique'),
});
export type EvaluationProcedure = z.infer<typeof EvaluationProcedure>;

/** Upgrade steps of this record's fields (migrations.ts), oldest first; none yet. */
export const evaluationProcedureMigrations: readonly RecordMigration[] = [];

export function defaultCriteria(): Criterion[] {
  return BUILTIN_CRITERIA.map((key) => ({ key, label: null, guidance: null, scaleMin: 1, scaleMax: 5 }));
}
