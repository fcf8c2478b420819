/** A municipal unit (a ward, a home-care team, a depot, a school) and its method settings. */
import { z } from 'zod';
import { IsoDateTime, RequiredText, type RecordMigration } from '../common';
import { Id } from '../ids';

export const DEFAULT_RESPONSE_TARGET_DAYS = 30;
export const DEFAULT_ACTIVE_CHANGE_LIMIT = 3;
/** The ranges of the unit's method settings (the settings form words its refusals with them). */
export const RESPONSE_TARGET_RANGE = { min: 1, max: 365 } as const;
export const ACTIVE_CHANGE_LIMIT_RANGE = { min: 1, max: 50 } as const;

export const Unit = z.object({
  id: Id,
  /** For a unit, unitId === id, so every record can be scoped the same way. */
  unitId: Id,
  createdAt: IsoDateTime,
  municipality: RequiredText(120),
  name: RequiredText(120),
  /** Days from idea to published decision that the unit promises its staff. */
  responseTargetDays: z.number().int().min(RESPONSE_TARGET_RANGE.min).max(RESPONSE_TARGET_RANGE.max).default(DEFAULT_RESPONSE_TARGET_DAYS),
  /** How many changes the unit runs at once before adopting more warns (the memo's "load"). */
  activeChangeLimit: z
    .number()
    .int()
    .min(ACTIVE_CHANGE_LIMIT_RANGE.min)
    .max(ACTIVE_CHANGE_LIMIT_RANGE.max)
    .default(DEFAULT_ACTIVE_CHANGE_LIMIT),
});
export type Unit = z.infer<typeof Unit>;

/** Upgrade steps of this record's fields (migrations.ts), oldest first; none yet. */
export const unitMigrations: readonly RecordMigration[] = [];
