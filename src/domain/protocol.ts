/**
 * The sync wire protocol (HTTP + JSON), shared by the tablet and the server.
 * Every request and response is parsed with these schemas on both sides.
 * Full description: docs/sync-protocol.md.
 */
import { z } from 'zod';
import { IsoDateTime } from './common';
import { Hlc } from './hlc';
import { Id } from './ids';
import { Mutation, RejectReason, StoredRecord } from './merge';
import { Unit } from './records/unit';
import { StorableText } from './text';

/**
 * Bump on an incompatible change; the server answers older clients with `clientTooOld`.
 * 2: idea status derived by the server (never written), the `publish` operation, `draftChanged`,
 *    `lostFields`/`current` in push results and `lostEdits` in pulls (issue #9). A version-1 app
 *    published by patching a decision's state: the server would refuse that, so it must update.
 * 3: after the decision (issue #12): the tables benefits, benefitResults, ladderSteps and followUps,
 *    the idea statuses `practice` and `stopped`, learnings written once with a photo and without a
 *    ladder step. A version-2 app could not read a pull holding them (unknown tables and statuses),
 *    so it is told to update rather than fail on every pull.
 * 4: steering-group decisions and erasure instructions in pulls, the idea status `sentBack`, an
 *    idea's `sourceIdeaId` (issue #14). A version-3 app cannot read such a pull page: it updates.
 */
export const PROTOCOL_VERSION = 4;
export const MIN_SUPPORTED_PROTOCOL = 4;
export const MAX_PUSH_BATCH = 500;
export const MAX_PULL_LIMIT = 1000;

export const EnrollRequest = z.object({
  protocol: z.number().int(),
  code: StorableText.trim().min(4).max(64),
  deviceLabel: StorableText.trim().max(120).default('tablet'),
  appVersion: StorableText.max(40).default('unknown'),
});
export type EnrollRequest = z.input<typeof EnrollRequest>;

export const EnrollResponse = z.object({
  deviceId: Id,
  token: z.string().min(20),
  unit: Unit,
  epoch: z.string(),
  serverTime: z.number(),
});
export type EnrollResponse = z.infer<typeof EnrollResponse>;

/**
 * What a tablet says about itself on every push and pull, for the municipal
 * console's list of tablets. Optional: older apps send nothing.
 */
export const UNSENT_MAX = 10_000_000;

export const PushRequest = z.object({
  protocol: z.number().int(),
  /** The server epoch the device last synced with; null before its first sync. */
  epoch: StorableText.max(64).nullable(),
  /** Highest seq this device has seen acknowledged; a server that knows less has lost data. */
  ackedThrough: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  /** True while re-pushing after `resyncRequired`: the server accepts the device's numbering as given. */
  resync: z.boolean().default(false),
  appVersion: StorableText.max(40).default('unknown'),
  mutations: z.array(Mutation).max(MAX_PUSH_BATCH),
  /** Changes waiting in the tablet's outbox when it sent this batch (this batch included). */
  unsent: z.number().int().min(0).max(UNSENT_MAX).optional(),
  /** navigator.storage.persisted(): whether the browser promised to keep the tablet's data; null where unknown. */
  storagePersisted: z.boolean().nullable().optional(),
});
export type PushRequest = z.input<typeof PushRequest>;

export const MutationStatus = z.enum(['applied', 'duplicate', 'rejected']);
export const MutationResult = z.object({
  seq: z.number().int(),
  mutationId: Id,
  status: MutationStatus,
  reason: RejectReason.optional(),
  detail: z.string().optional(),
  /** Applied, but these fields lost to a concurrent newer write: the tablet tells the person, with their text. */
  lostFields: z.array(z.string()).optional(),
  /** With a rejection: the record as the server now holds it (own unit), so the tablet can stop showing what was refused. */
  current: StoredRecord.optional(),
});
export type MutationResult = z.infer<typeof MutationResult>;

export const PushResponse = z.object({
  epoch: z.string(),
  serverTime: z.number(),
  /** The device's last applied seq after this batch (same transaction as the writes). */
  lastAppliedSeq: z.number().int().min(0),
  results: z.array(MutationResult),
});
export type PushResponse = z.infer<typeof PushResponse>;

export const PullRequest = z.object({
  protocol: z.coerce.number().int(),
  epoch: StorableText.max(64).nullable().default(null),
  /** The last server counter the device has applied; 0 for a full pull. */
  cursor: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
  limit: z.coerce.number().int().min(1).max(MAX_PULL_LIMIT).default(500),
  /** The tablet's report (see PushRequest), as query parameters `unsent` and `persisted` (true/false). */
  unsent: z.coerce.number().int().min(0).max(UNSENT_MAX).optional(),
  storagePersisted: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  appVersion: z.string().max(40).optional(),
});
export type PullRequest = z.input<typeof PullRequest>;

/** A write of this unit that lost to a concurrent one on the record (from the server's conflict log). */
export const LostEdit = z.object({ field: z.string(), loserHlc: Hlc, loserValue: z.unknown() });
export type LostEdit = z.infer<typeof LostEdit>;

export const RecordChange = StoredRecord.extend({
  /** The server counter allocated when this version committed. */
  serverSeq: z.number().int().min(1),
  /**
   * Own unit's records only: writes that lost to concurrent ones on this record. A tablet whose
   * own write (its clock) is among them tells the person, with the text (the write was acknowledged
   * before it lost, so the push could not say so).
   */
  lostEdits: z.array(LostEdit).optional(),
});
export type RecordChange = z.infer<typeof RecordChange>;

export const PullResponse = z.object({
  epoch: z.string(),
  serverTime: z.number(),
  cursor: z.number().int().min(0),
  hasMore: z.boolean(),
  changes: z.array(RecordChange),
});
export type PullResponse = z.infer<typeof PullResponse>;

/** Errors the device acts on, each with its own code. */
export const SyncErrorCode = z.enum([
  'invalidRequest', // 400: the request itself is malformed
  'unauthorized', // 401: token unknown, expired or revoked → keep the queue, re-enroll
  'clientTooOld', // 426: update the app
  'serverTooOld', // the server speaks an older protocol than this app needs
  'seqGap', // 409: an earlier batch has not arrived yet → retry from expectedSeq
  'resyncRequired', // 409: restored server or cursor past the tombstone horizon
  'hashMismatch', // 422: uploaded bytes do not match the SHA-256 in the URL
  'tooLarge', // 413
  'busy', // 429 + Retry-After: another request holds this device or record; retry shortly
  'unavailable', // 503 + Retry-After: the database is unreachable or restarting; retry with backoff
  'quotaExceeded', // 413: the unit's photo storage on the server is full → keep the photo, tell the person
  'tooManyRequests', // 429: too many attempts or requests at once → wait Retry-After seconds
  'internal', // 500: transient, retry with backoff
]);
export type SyncErrorCode = z.infer<typeof SyncErrorCode>;

export const SyncErrorBody = z.object({
  error: SyncErrorCode,
  message: z.string(),
  expectedSeq: z.number().int().optional(),
  epoch: z.string().optional(),
  minProtocol: z.number().int().optional(),
});
export type SyncErrorBody = z.infer<typeof SyncErrorBody>;

export const HealthResponse = z.object({
  status: z.literal('ok'),
  protocol: z.number().int(),
  storage: z.enum(['sqlite', 'postgres']),
  epoch: z.string(),
  time: IsoDateTime,
});

/** Resumable photo upload: how many bytes of a blob the server holds. */
export const BlobStatus = z.object({
  sha256: z.string(),
  received: z.number().int().min(0),
  complete: z.boolean(),
});
export type BlobStatus = z.infer<typeof BlobStatus>;

export const MAX_BLOB_BYTES = 5 * 1024 * 1024;
export { Hlc };
