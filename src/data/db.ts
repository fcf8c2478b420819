/**
 * The tablet's local database (IndexedDB through Dexie): the source of truth
 * for everything the app shows. Sync reads the outbox and writes pulled records
 * here; the UI only ever reads from here.
 *
 * Schema versions are only ever appended (see schema.ts).
 */
import Dexie, { type Table } from 'dexie';
import type { Hlc, MutationOp, RejectReason, TableName, TableRecords } from '../domain';
import { applySchema } from './schema';

/** Per-record sync bookkeeping: one HLC per field, and whether the record is a tombstone. */
export interface SyncMetaRow {
  /** `${table}/${id}` */
  key: string;
  table: TableName;
  id: string;
  clocks: Record<string, Hlc>;
  deleted: boolean;
}

/** A local change waiting for the server's acknowledgement, as stored. Deleted only after the ack. */
export interface OutboxRow {
  /** The device's monotonic mutation number (IndexedDB auto-increment: never reused). */
  seq: number;
  mutationId: string;
  table: TableName;
  recordId: string;
  op: MutationOp;
  fields: Record<string, unknown>;
  hlc: Hlc;
  /** For patches: the field clocks this edit was made on top of (conflict detection). */
  base?: Record<string, Hlc>;
  /** Resync snapshots only: each field's own clock (old writes are restated with the clocks they had). */
  clocks?: Record<string, Hlc>;
  /** Written by the engine to restate this tablet's state (a resync snapshot, a re-asserted delete), not by a person: a refusal of it is no lost user action. */
  snapshot?: boolean;
  schemaVersion: number;
  /** Epoch ms when the change was made (for "oldest unsent" display). */
  createdAt: number;
  /** Failed attempts to send it while at the head of the queue, and the last failure's code. */
  attempts: number;
  lastError: string | null;
}

/** An outbox row being queued: IndexedDB numbers it. */
export type NewOutboxRow = Omit<OutboxRow, 'seq'>;

/** A mutation the server refused for good, kept so the tablet can show why. */
export interface RejectionRow {
  id: number;
  mutationId: string;
  table: TableName;
  recordId: string;
  reason: RejectReason;
  detail: string;
  at: number;
  /** What the refused change was, so nothing typed is lost with it (absent on rows from before 0.1.1). */
  op?: MutationOp;
  fields?: Record<string, unknown>;
}

/** A rejection being recorded: IndexedDB numbers it. */
export type NewRejectionRow = Omit<RejectionRow, 'id'>;

/**
 * An edit of this tablet that lost to a concurrent one from another tablet
 * (the server's last-writer-wins picked the other): shown on the record's own
 * screen with the text, so the person can copy it back. One row per lost
 * write (the key includes its clock), so hearing of it twice is harmless.
 */
export interface LostEditRow {
  table: TableName;
  recordId: string;
  field: string;
  /** The clock of the write that lost (identifies it). */
  loserHlc: Hlc;
  /** The value this tablet wrote. */
  value: unknown;
  /** Epoch ms when the tablet learned of it. */
  at: number;
}

/** A photo: the bytes stay here until the server confirms it holds them. */
export interface BlobRow {
  sha256: string;
  blob: Blob;
  type: string;
  width: number;
  height: number;
  size: number;
  /** 1 once the server confirmed the complete upload (a number, so it can be indexed). */
  uploaded: 0 | 1;
  createdAt: number;
}

/** An autosaved form draft, so an interrupted person loses nothing. */
export interface DraftRow {
  key: string;
  value: unknown;
  updatedAt: number;
}

/** Small device-level values (device id, clock, enrollment, cursor, settings). */
export interface KvRow {
  key: string;
  value: unknown;
}

export class NedenfraDb extends Dexie {
  declare units: Table<TableRecords['units'], string>;
  declare ideas: Table<TableRecords['ideas'], string>;
  declare supports: Table<TableRecords['supports'], string>;
  declare promptSessions: Table<TableRecords['promptSessions'], string>;
  declare sessionVotes: Table<TableRecords['sessionVotes'], string>;
  declare evaluationProcedures: Table<TableRecords['evaluationProcedures'], string>;
  declare evaluations: Table<TableRecords['evaluations'], string>;
  declare unitDecisions: Table<TableRecords['unitDecisions'], string>;
  declare learnings: Table<TableRecords['learnings'], string>;
  declare steeringDecisions: Table<TableRecords['steeringDecisions'], string>;
  declare erasures: Table<TableRecords['erasures'], string>;
  declare benefits: Table<TableRecords['benefits'], string>;
  declare benefitResults: Table<TableRecords['benefitResults'], string>;
  declare ladderSteps: Table<TableRecords['ladderSteps'], string>;
  declare followUps: Table<TableRecords['followUps'], string>;
  declare syncMeta: Table<SyncMetaRow, string>;
  declare outbox: Table<OutboxRow, number, NewOutboxRow>;
  declare rejections: Table<RejectionRow, number, NewRejectionRow>;
  declare blobs: Table<BlobRow, string>;
  declare lostEdits: Table<LostEditRow, [string, string, string, string]>;
  declare drafts: Table<DraftRow, string>;
  declare kv: Table<KvRow, string>;

  constructor(name = 'nedenfra') {
    // 'strict' durability: a committed transaction is flushed to disk before
    // Dexie resolves, so "saved" on screen means saved on the tablet.
    super(name, { chromeTransactionDurability: 'strict' });
    applySchema(this);
  }

  recordTable<T extends TableName>(table: T): Table<TableRecords[T], string> {
    return this.table<TableRecords[T], string>(table);
  }
}
