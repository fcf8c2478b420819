/**
 * Record migrations live with the record (as tldraw keeps them): each module
 * in records/ lists the steps that bring its fields from an older shape to
 * the next, oldest first, only ever appended (tables.ts: TABLE_MIGRATIONS).
 * The shape version is the wire's MUTATION_SCHEMA_VERSION, which every
 * mutation carries. The same steps run in both places old fields turn up:
 *   - the server (and the tablet's own merge) upcasts the fields of a
 *     mutation written by an app that is not updated yet (merge.ts);
 *   - the tablet's IndexedDB upgrade brings the records it stored up to the
 *     shape of the new app (src/data/schema.ts: upgradeStoredRecords). Queued
 *     changes keep the version they were written in and are upcast on arrival.
 * When a step is added, MUTATION_SCHEMA_VERSION becomes its version and an
 * IndexedDB version is appended that upgrades the stored records.
 */
import type { RecordMigration } from './common';
import { TABLE_MIGRATIONS, type TableName } from './tables';

/** The current shape of record fields; older tablets send older versions (see upcastFields). */
export const MUTATION_SCHEMA_VERSION = 1;

type Migrations = Readonly<Record<TableName, readonly RecordMigration[]>>;

/** The record shapes a version of the code knows: the current one, and every table's steps up to it. */
export interface RecordShapes {
  version: number;
  migrations: Migrations;
}

const CURRENT_SHAPES: RecordShapes = { version: MUTATION_SCHEMA_VERSION, migrations: TABLE_MIGRATIONS };

/** The steps of `table` from shape `from` up to shape `to`, oldest first. */
export function migrationSteps(table: TableName, from: number, to: number, migrations: Migrations = TABLE_MIGRATIONS): RecordMigration[] {
  return migrations[table].filter((step) => step.version > from && step.version <= to);
}

/**
 * Fields written in shape `fromVersion`, brought up to the current shape (a
 * copy; the input is not changed); null when they come from a newer app than
 * this code knows.
 */
export function upcastFields(
  table: TableName,
  fromVersion: number,
  fields: Record<string, unknown>,
  shapes: RecordShapes = CURRENT_SHAPES,
): Record<string, unknown> | null {
  if (fromVersion > shapes.version) return null;
  const steps = migrationSteps(table, fromVersion, shapes.version, shapes.migrations);
  if (steps.length === 0) return fields;
  const upcast = { ...fields };
  for (const step of steps) step.up(upcast);
  return upcast;
}
