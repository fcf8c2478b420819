/**
 * What a follow-up found for one expected benefit: what was observed or
 * measured, and whether the benefit was realised. Written once; a later
 * follow-up writes a newer result (rules/change.ts: latestResults).
 */
import { z } from 'zod';
import { OptionalText, RecordBase, type RecordMigration } from '../common';
import { Id } from '../ids';
import { BenefitNumber } from './benefit';

export const Realisation = z.enum(['yes', 'partly', 'notYet', 'no']);
export type Realisation = z.infer<typeof Realisation>;

export const BenefitResult = RecordBase.extend({
  ideaId: Id,
  benefitId: Id,
  /** The follow-up it was recorded at, if any. */
  followUpId: Id.nullable().default(null),
  realised: Realisation,
  measured: BenefitNumber.nullable().default(null),
  observed: OptionalText(2000).default(null),
}).superRefine((r, ctx) => {
  if (r.measured === null && !r.observed) ctx.addIssue({ code: 'custom', path: ['observed'], message: 'resultEmpty' });
});
export type BenefitResult = z.infer<typeof BenefitResult>;

/** Upgrade steps of this record's fields (migrations.ts), oldest first; none yet. */
export const benefitResultMigrations: readonly RecordMigration[] = [];
