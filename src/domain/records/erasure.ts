/**
 * An erasure instruction (GDPR): an administrator erased a person's name on
 * the server, and every tablet of the unit must do the same to the copies it
 * holds where the server cannot reach (queued changes, refused changes, lost
 * edits, form drafts). It carries a salted SHA-256 of the normalized name,
 * never the name, so a tablet recognises the name without being told it
 * (rules/personalData.ts). Written by the server for every unit
 * (tables.ts: SERVER_AUTHORED), appended once, never changed.
 */
import { z } from 'zod';
import { IsoDateTime, RecordBase, RequiredText, Sha256, type RecordMigration } from '../common';

export const Erasure = RecordBase.extend({
  salt: z.string().regex(/^[0-9a-f]{32}$/, 'expected 16 random bytes as hex'),
  nameHash: Sha256,
  /** What replaces the name where a name is required (a vote, a published decision's publisher). */
  pseudonym: RequiredText(40),
  /** Writes made before this (by their clock) that name the person are rewritten too when they arrive. */
  erasedAt: IsoDateTime,
});
export type Erasure = z.infer<typeof Erasure>;

/** Upgrade steps of this record's fields (migrations.ts), oldest first; none yet. */
export const erasureMigrations: readonly RecordMigration[] = [];
