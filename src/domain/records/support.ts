/**
 * A colleague's support (+1) for an idea. A record of its own rather than a
 * counter on the idea, so supports given on two offline tablets both count.
 */
import { type z } from 'zod';
import { RecordBase, type RecordMigration } from '../common';
import { Id } from '../ids';

export const Support = RecordBase.extend({ ideaId: Id });
export type Support = z.infer<typeof Support>;

/** Upgrade steps of this record's fields (migrations.ts), oldest first; none yet. */
export const supportMigrations: readonly RecordMigration[] = [];
