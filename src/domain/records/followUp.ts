/**
 * A follow-up of a change (an adopted idea or a pilot): held on the day it was
 * written, for the decision in force, it either sets the next follow-up date
 * (the change goes on; a pilot is extended) or closes the change: it became
 * the new practice, or it was stopped (with the reason). A closed change no
 * longer counts against the unit's limit on changes at once
 * (rules/ideaStatus.ts gives the idea the status `practice` or `stopped`).
 * Written once; a later decision on the idea starts a new change.
 */
import { z } from 'zod';
import { IsoDate, OptionalText, RecordBase, type RecordMigration } from '../common';
import { Id } from '../ids';

export const FollowUpOutcome = z.enum(['continue', 'practice', 'stopped']);
export type FollowUpOutcome = z.infer<typeof FollowUpOutcome>;

export const FollowUp = RecordBase.extend({
  ideaId: Id,
  /** The published adopt or pilot decision whose change this follows up. */
  decisionId: Id,
  outcome: FollowUpOutcome,
  /** For `continue`: when to follow up next. */
  nextDate: IsoDate.nullable().default(null),
  /** What the follow-up found; for `stopped`, why. */
  note: OptionalText(2000).default(null),
  /** Who followed up; a name stays inside the unit. */
  by: OptionalText(120).default(null),
}).superRefine((f, ctx) => {
  if (f.outcome === 'continue' && !f.nextDate) ctx.addIssue({ code: 'custom', path: ['nextDate'], message: 'nextDateRequired' });
  if (f.outcome !== 'continue' && f.nextDate) ctx.addIssue({ code: 'custom', path: ['nextDate'], message: 'closedHasNoNextDate' });
  if (f.outcome === 'stopped' && !f.note) ctx.addIssue({ code: 'custom', path: ['note'], message: 'stopReasonRequired' });
});
export type FollowUp = z.infer<typeof FollowUp>;

/** Upgrade steps of this record's fields (migrations.ts), oldest first; none yet. */
export const followUpMigrations: readonly RecordMigration[] = [];
