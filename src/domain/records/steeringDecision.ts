/**
 * The steering group's answer to an idea a unit forwarded to it: the shared
 * decision body (records/decision.ts) with the steering group's outcomes,
 * naming the unit's `forward` decision it answers. Written on the server
 * (the municipal console), never by a tablet (tables.ts: SERVER_AUTHORED);
 * it belongs to the idea's unit, so it reaches that unit's tablets through
 * the ordinary pull, once published (a draft stays on the server).
 */
import { z } from 'zod';
import { RecordBase, type RecordMigration } from '../common';
import { Id } from '../ids';
import { checkDecision, decisionFields } from './decision';

/** Adopt municipality-wide, pilot, park, decline, send back to the unit, merge. */
export const SteeringOutcome = z.enum(['adopt', 'pilot', 'park', 'decline', 'sendBack', 'merge']);
export type SteeringOutcome = z.infer<typeof SteeringOutcome>;

export const SteeringDecisionShape = RecordBase.extend({
  ...decisionFields(SteeringOutcome),
  /** The unit's published `forward` decision this answers (rules/ideaStatus.ts). */
  answersDecisionId: Id,
  /** The steering-group meeting it was made in (a console record, not synced). */
  meetingId: Id.nullable().default(null),
});

export const SteeringDecision = SteeringDecisionShape.superRefine(checkDecision);
export type SteeringDecision = z.infer<typeof SteeringDecision>;

/** Upgrade steps of this record's fields (migrations.ts), oldest first; none yet. */
export const steeringDecisionMigrations: readonly RecordMigration[] = [];
