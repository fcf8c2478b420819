/** Building blocks shared by every record schema. */
import { z } from 'zod';
import { Id } from './ids';
import { StorableText } from './text';

export const IsoDateTime = z.iso.datetime({ offset: true });
export const IsoDate = z.iso.date();
export const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'expected a lowercase hex SHA-256');

/** Text a person typed: trimmed, storable (see text.ts); empty optional text becomes null. */
export const RequiredText = (max: number) => StorableText.trim().min(1).max(max);
export const OptionalText = (max: number) =>
  StorableText.trim()
    .max(max)
    .nullable()
    .transform((s) => (s ? s : null));

/** Fields every synced record has. `unitId` is set by the server from the device's token. */
export const RecordBase = z.object({
  id: Id,
  unitId: Id,
  createdAt: IsoDateTime,
});

/**
 * One upgrade step of a record's fields, kept in the record's own module (see
 * migrations.ts for how the tablet and the server use them).
 */
export interface RecordMigration {
  /** The shape version this step brings fields to (MUTATION_SCHEMA_VERSION when it was added); steps are only ever appended. */
  version: number;
  /**
   * Rewrites, in place, fields written in the shape before `version`. It sees
   * a whole record (stored, or sent as a create) or a patch's few fields, so
   * it works from the fields that are there and never adds one a patch did not
   * touch (absent fields get their defaults when a whole record is parsed).
   */
  up(fields: Record<string, unknown>): void;
}

export const Language = z.enum(['nb', 'nn', 'en']);
export type Language = z.infer<typeof Language>;

/** Text shipped in all three languages (e.g. the method's default question). */
export const LocalizedText = z.object({ nb: z.string(), nn: z.string(), en: z.string() });
export type LocalizedText = z.infer<typeof LocalizedText>;

export const ChangeKind = z.enum(['technology', 'behaviour', 'organisation', 'social']);
export type ChangeKind = z.infer<typeof ChangeKind>;

/**
 * The parties that take part in evaluations and decisions (multi-party
 * collaboration): in a unit, and in the municipality's three-party steering
 * group (the employer, politicians, employee and safety representatives).
 */
export const PartyRole = z.enum(['leader', 'employeeRep', 'safetyRep', 'devAdviser', 'employee', 'other', 'employer', 'politician']);
export type PartyRole = z.infer<typeof PartyRole>;
/** The roles a unit's evaluation or decision names. */
export const UNIT_PARTY_ROLES = [
  'leader',
  'employeeRep',
  'safetyRep',
  'devAdviser',
  'employee',
  'other',
] as const satisfies readonly PartyRole[];
/** The roles of the steering group's members. */
export const STEERING_PARTY_ROLES = [
  'employer',
  'politician',
  'employeeRep',
  'safetyRep',
  'devAdviser',
  'other',
] as const satisfies readonly PartyRole[];
export const Party = z.object({ role: PartyRole, name: StorableText.trim().max(120).nullable().default(null) });
export type Party = z.infer<typeof Party>;
