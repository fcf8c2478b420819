/**
 * A unit decision on an idea: the shared decision body (records/decision.ts)
 * with the unit's outcomes, among them `forward` to the steering group.
 */
import type { z } from 'zod';
import { RecordBase, type RecordMigration } from '../common';
import { checkDecision, decisionFields } from './decision';
import { DecisionOutcome } from './evaluation';

export const UnitDecisionShape = RecordBase.extend(decisionFields(DecisionOutcome));

/** The decision rules every stored decision satisfies (see records/decision.ts). */
export const UnitDecision = UnitDecisionShape.superRefine(checkDecision);
export type UnitDecision = z.infer<typeof UnitDecision>;

/** Upgrade steps of this record's fields (migrations.ts), oldest first; none yet. */
export const unitDecisionMigrations: readonly RecordMigration[] = [];
