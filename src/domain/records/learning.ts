/**
 * A formative-evaluation entry on an adopted idea or pilot: what happened, what
 * was learned, what is adjusted, and where the change stands on the anchoring
 * ladder (seed 004): awareness → acceptance → ownership → new practice.
 */
import { z } from 'zod';
import { OptionalText, RecordBase, type RecordMigration } from '../common';
import { Id } from '../ids';

export const AnchoringStep = z.enum(['awareness', 'acceptance', 'ownership', 'practice']);
export type AnchoringStep = z.infer<typeof AnchoringStep>;

export const Learning = RecordBase.extend({
  ideaId: Id,
  happened: OptionalText(2000).default(null),
  learned: OptionalText(2000).default(null),
  adjusted: OptionalText(2000).default(null),
  step: AnchoringStep.nullable().default(null),
  author: OptionalText(120).default(null),
});
export type Learning = z.infer<typeof Learning>;

/** Upgrade steps of this record's fields (migrations.ts), oldest first; none yet. */
export const learningMigrations: readonly RecordMigration[] = [];
