/**
 * The console's API for personal data (issue #14 part 3, GDPR): find the
 * records that name a person, export them (JSON, CSV), erase the name
 * everywhere, and delete a photo. Administrators only (roles.ts:
 * managePersonalData). The rules are the domain's (rules/personalData.ts,
 * tables.ts: PERSON_FIELDS).
 */
import { z } from 'zod';
import { IsoDateTime, RequiredText, Sha256 } from '../common';
import { Id } from '../ids';
import { TableName } from '../tables';

const Count = z.number().int().min(0);

/** Where a name was found: a table's field, and how many records. */
export const NamePlace = z.object({ table: TableName, field: z.string(), count: Count });

export const NameMatch = z.object({
  /** The name as written (its most frequent spelling). */
  name: z.string(),
  /** Records naming it, live and deleted. */
  records: Count,
  /** Entries of the conflict log holding it. */
  conflicts: Count,
  places: z.array(NamePlace),
  units: z.array(z.string()),
});
export type NameMatch = z.infer<typeof NameMatch>;

export const NAME_MATCHES_MAX = 50;
export const NameSearch = z.object({ matches: z.array(NameMatch), truncated: z.boolean() });
export type NameSearch = z.infer<typeof NameSearch>;

export const PersonQuery = z.object({ name: RequiredText(120) });
export const SearchQuery = z.object({ q: RequiredText(120) });

/** One record naming the person, with every other person's name in it withheld (their data is not the asker's). */
export const PersonRecord = z.object({
  table: TableName,
  id: Id,
  unitId: Id,
  unitName: z.string(),
  /** A tombstone: deleted on the tablets, kept on the server until the retention period ends. */
  deleted: z.boolean(),
  /** The fields that name the person. */
  fields: z.array(z.string()),
  data: z.record(z.string(), z.unknown()),
});
export type PersonRecord = z.infer<typeof PersonRecord>;

export const PersonConflict = z.object({
  table: TableName,
  recordId: Id,
  field: z.string(),
  at: z.number(),
  value: z.unknown(),
});

export const PersonExport = z.object({
  person: z.string(),
  exportedAt: IsoDateTime,
  records: z.array(PersonRecord),
  conflicts: z.array(PersonConflict),
});
export type PersonExport = z.infer<typeof PersonExport>;

export const EraseRequest = z.object({ name: RequiredText(120), confirm: z.literal(true) });

export const EraseResult = z.object({
  records: Count,
  conflicts: Count,
  /** Units whose tablets are told (an erasure instruction each). */
  units: Count,
  /** The server's own backups rewritten (see docs/privacy.md). */
  backups: Count,
  pseudonym: z.string(),
});
export type EraseResult = z.infer<typeof EraseResult>;

export const IdeaPhotos = z.object({ ideaId: Id, unitName: z.string(), text: z.string(), photos: z.array(Sha256) });
export type IdeaPhotos = z.infer<typeof IdeaPhotos>;

export const DeletedPhoto = z.object({ ideas: Count, blobDeleted: z.boolean() });
