/** One multi-party evaluation of an idea against a specific procedure version. */
import { z } from 'zod';
import { ChangeKind, OptionalText, Party, RecordBase, type RecordMigration } from '../common';
import { Id } from '../ids';

export const DecisionOutcome = z.enum(['adopt', 'pilot', 'park', 'forward', 'decline', 'merge']);
export type DecisionOutcome = z.infer<typeof DecisionOutcome>;

export const CriterionScore = z.object({
  key: z.string().max(40),
  score: z.number().int().min(0).max(10).nullable(),
  note: OptionalText(1000).default(null),
});
export type CriterionScore = z.infer<typeof CriterionScore>;

export const Evaluation = RecordBase.extend({
  ideaId: Id,
  procedureId: Id,
  procedureVersion: z.number().int().min(1),
  participants: z.array(Party).min(1).max(20),
  scores: z.array(CriterionScore).max(20),
  kind: ChangeKind.nullable().default(null),
  recommendation: DecisionOutcome.nullable().default(null),
  note: OptionalText(2000).default(null),
});
export type Evaluation = z.infer<typeof Evaluation>;
/** What the evaluation form hands the repository: the record minus what the system fills in (identity, the idea, the procedure version). */
export const EvaluationInput = Evaluation.omit({
  id: true,
  unitId: true,
  createdAt: true,
  ideaId: true,
  procedureId: true,
  procedureVersion: true,
});
export type EvaluationInput = z.input<typeof EvaluationInput>;

/** Upgrade steps of this record's fields (migrations.ts), oldest first; none yet. */
export const evaluationMigrations: readonly RecordMigration[] = [];
