/**
 * An expected benefit of a change (seed 004: gevinstrealisering, "making sure
 * the benefits expected of a project are actually realised"), stated when the
 * decision is published or right after: for whom, what kind, how it will be
 * seen (a measure, or an observation), and the baseline and target where they
 * are numbers. Benefits that are not money (quality of service, the working
 * environment, time) are first-class. Written once: a benefit is what the unit
 * promised itself, so results are measured against it unchanged; one stated
 * in error is removed (a tombstone) and stated again.
 */
import { z } from 'zod';
import { RecordBase, RequiredText, type RecordMigration } from '../common';
import { Id } from '../ids';

/** Who gains: the idea's beneficiaries, plus the municipality (money, reputation). */
export const BenefitGroup = z.enum(['users', 'relatives', 'staff', 'municipality']);
export type BenefitGroup = z.infer<typeof BenefitGroup>;

export const BenefitKind = z.enum(['quality', 'workEnvironment', 'time', 'money', 'other']);
export type BenefitKind = z.infer<typeof BenefitKind>;

/** How the benefit will be seen: a measure (a number that moves), or an observation (what people will notice). */
export const BenefitEvidence = z.enum(['measure', 'observation']);
export type BenefitEvidence = z.infer<typeof BenefitEvidence>;

/** A baseline, target or measured value: any finite number a unit would count in (kroner, minutes, falls per month). */
export const BenefitNumber = z.number().min(-1e12).max(1e12);

export const Benefit = RecordBase.extend({
  ideaId: Id,
  forWhom: z
    .array(BenefitGroup)
    .min(1)
    .max(BenefitGroup.options.length)
    .refine((groups) => new Set(groups).size === groups.length, 'each group once'),
  kind: BenefitKind,
  /** What will be better: "Fewer lifts done alone". */
  description: RequiredText(500),
  evidence: BenefitEvidence,
  /** The measure ("lifts done alone per week") or what will be observed ("residents choose when to eat"). */
  indicator: RequiredText(300),
  baseline: BenefitNumber.nullable().default(null),
  target: BenefitNumber.nullable().default(null),
}).superRefine((b, ctx) => {
  if (b.evidence === 'observation' && (b.baseline !== null || b.target !== null))
    ctx.addIssue({ code: 'custom', path: ['baseline'], message: 'numbersNeedMeasure' });
});
export type Benefit = z.infer<typeof Benefit>;

/** Upgrade steps of this record's fields (migrations.ts), oldest first; none yet. */
export const benefitMigrations: readonly RecordMigration[] = [];
