/**
 * The console's library of what units tried (issue #14 part 2): the same
 * entries the tablets' "Fra andre enheter" shows (rules/library.ts), across
 * every unit, searchable, with who took each one up. No names: entries are
 * built from records as another unit sees them.
 */
import { z } from 'zod';
import { ChangeKind } from '../common';
import { Id } from '../ids';
import { Beneficiary } from '../records/idea';
import { LibraryEntry } from '../rules/library';

export const LIBRARY_MAX = 300;

export const LibraryQuery = z.object({
  q: z.string().max(200).default(''),
  kind: z.union([ChangeKind, z.literal('all')]).default('all'),
  theme: z.union([Beneficiary, z.literal('all')]).default('all'),
  unitId: Id.nullable().default(null),
});
export type LibraryQuery = z.input<typeof LibraryQuery>;

export const LibraryPage = z.object({
  entries: z.array(LibraryEntry),
  /** More ideas matched (or were left unsearched) than the page shows: narrow the search. */
  truncated: z.boolean(),
});
export type LibraryPage = z.infer<typeof LibraryPage>;
