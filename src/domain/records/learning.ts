/**
 * A learning-log entry on a change (the memo's formative evaluation, "project
 * learning"): what happened, what we learned, what we adjust, written by the
 * people doing the change, by anyone at the tablet, named or not, with a photo
 * if it helps. Written once: the log is a history, a correction is a new entry.
 * (Where the change stands on the anchoring ladder is its own record:
 * records/ladderStep.ts.)
 */
import type { z } from 'zod';
import { OptionalText, RecordBase, Sha256, type RecordMigration } from '../common';
import { Id } from '../ids';

export const LEARNING_TEXT_MAX = 2000;

export const Learning = RecordBase.extend({
  ideaId: Id,
  happened: OptionalText(LEARNING_TEXT_MAX).default(null),
  learned: OptionalText(LEARNING_TEXT_MAX).default(null),
  adjusted: OptionalText(LEARNING_TEXT_MAX).default(null),
  /** Who wrote it; null means anonymous. A name stays inside the unit (tables.ts: redactForOtherUnits). */
  author: OptionalText(120).default(null),
  /** SHA-256 of a photo (content-addressed, like an idea's photos). */
  photo: Sha256.nullable().default(null),
}).superRefine((l, ctx) => {
  if (!l.happened && !l.learned && !l.adjusted) ctx.addIssue({ code: 'custom', path: ['happened'], message: 'entryEmpty' });
});
export type Learning = z.infer<typeof Learning>;

/** Upgrade steps of this record's fields (migrations.ts), oldest first; none yet. */
export const learningMigrations: readonly RecordMigration[] = [];
