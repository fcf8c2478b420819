/**
 * A unit decision on an idea. "A decision must be published internally in its
 * own system and to the users. Not until then is a decision valid and binding."
 * Drafts may be edited; a published decision never changes (the server refuses
 * patches to it); a later decision supersedes it via `supersedesId`.
 */
import { z } from 'zod';
import { IsoDate, IsoDateTime, OptionalText, Party, RecordBase, RequiredText, type RecordMigration } from '../common';
import { Id } from '../ids';
import { DecisionOutcome } from './evaluation';

export const DecisionState = z.enum(['draft', 'published']);
export type DecisionState = z.infer<typeof DecisionState>;

export const UnitDecisionShape = RecordBase.extend({
  ideaId: Id,
  outcome: DecisionOutcome,
  rationale: RequiredText(4000),
  responsible: OptionalText(120).default(null),
  followUpDate: IsoDate.nullable().default(null),
  /** For `park`: when to look at it again. */
  parkUntil: IsoDate.nullable().default(null),
  /** For `merge`: the idea this one joins. */
  mergeIntoIdeaId: Id.nullable().default(null),
  participants: z.array(Party).min(1).max(20),
  state: DecisionState.default('draft'),
  publishedAt: IsoDateTime.nullable().default(null),
  publishedBy: OptionalText(120).default(null),
  supersedesId: Id.nullable().default(null),
});

/** The decision rules every stored decision satisfies (see rules/decision.ts for why). */
export const UnitDecision = UnitDecisionShape.superRefine((d, ctx) => {
  if (d.outcome === 'adopt' || d.outcome === 'pilot') {
    if (!d.responsible) ctx.addIssue({ code: 'custom', path: ['responsible'], message: 'responsibleRequired' });
    if (!d.followUpDate) ctx.addIssue({ code: 'custom', path: ['followUpDate'], message: 'followUpRequired' });
  }
  if (d.outcome === 'park' && !d.parkUntil) ctx.addIssue({ code: 'custom', path: ['parkUntil'], message: 'parkUntilRequired' });
  if (d.outcome === 'merge' && !d.mergeIntoIdeaId)
    ctx.addIssue({ code: 'custom', path: ['mergeIntoIdeaId'], message: 'mergeTargetRequired' });
  if (d.outcome === 'merge' && d.mergeIntoIdeaId === d.ideaId)
    ctx.addIssue({ code: 'custom', path: ['mergeIntoIdeaId'], message: 'mergeIntoSelf' });
  if (d.state === 'published' && (!d.publishedAt || !d.publishedBy))
    ctx.addIssue({ code: 'custom', path: ['publishedBy'], message: 'publisherRequired' });
});
export type UnitDecision = z.infer<typeof UnitDecision>;

/** Upgrade steps of this record's fields (migrations.ts), oldest first; none yet. */
export const unitDecisionMigrations: readonly RecordMigration[] = [];
