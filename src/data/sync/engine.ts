/**
 * The sync engine: one pass of push → pull → photos. Platform-neutral (window,
 * service worker, Node tests on fake-indexeddb); the network is a Transport.
 * Callers serialize passes (scheduler.ts holds a cross-tab lock).
 *
 * Push. Outbox rows go out in seq order, ≤ MAX_PUSH_BATCH at a time, with the
 * epoch and `ackedThrough` from kv. The ack transaction (ONE IndexedDB
 * transaction, strict durability) deletes the rows the server answered
 * applied/duplicate, moves rejected ones to `rejections`, and stores
 * ackedThrough = lastAppliedSeq and the epoch. A crash before that transaction
 * leaves the rows queued; re-sending them is answered `duplicate`. Failures
 * before the ack change nothing locally.
 *
 * Resync (server restored from a backup, or it lost acknowledged seqs):
 *   1. in one transaction, replace the outbox by a full-state snapshot of
 *      every record of this unit — `create` with the per-field clocks from
 *      syncMeta (units: a `patch` of the editable fields; tombstones: a
 *      `delete` at their `_deleted` clock) — and set resync=true, cursor=0, the
 *      new epoch. The snapshot holds every still-unacknowledged change (local
 *      writes update the record and its clocks with the outbox row), so it
 *      re-pushes them; sending the old rows first instead would get patches
 *      of records the restored server lost rejected as unknown;
 *   2. push it with `resync: true` on the first batch, so the server accepts
 *      this device's numbering. Replays are no-ops by per-field LWW. Such a
 *      push skips the server's epoch check, so the engine first compares the
 *      epoch from GET health itself;
 *   3. pull from cursor 0.
 *
 * Pull. Pages from the cursor; each page is applied in ONE transaction with
 * the new cursor. A record with queued local changes is merged with
 * mergeRemoteRecord (newer local fields survive until pushed); otherwise the
 * server's version, which holds every acknowledged write, replaces the local
 * one — including clocks, so a tablet whose clock was wrong converges. If the
 * transaction fails (e.g. quota), the cursor stays and nothing is lost.
 *
 * Photos. Blobs with uploaded=0 go up in chunks via resumable PUT (asking the
 * server how much it already holds first) and are marked uploaded only after
 * the server reports the blob complete; the local bytes are never deleted here.
 * Photos of pulled ideas that this tablet lacks are then fetched (at most
 * MAX_DOWNLOADS_PER_PASS per pass, so a first full pull stays short).
 */
import {
  BlobStatus,
  HLC_ZERO,
  HealthResponse,
  MAX_PUSH_BATCH,
  MUTATION_SCHEMA_VERSION,
  PROTOCOL_VERSION,
  PullResponse,
  PushResponse,
  SERVER_AUTHORED,
  SyncErrorBody,
  TABLE_FIELDS,
  TABLE_NAMES,
  UNIT_EDITABLE_FIELDS,
  applyMutation,
  compareHlc,
  isDerivedField,
  mergeRemoteRecord,
  orderByReferences,
  parseHlc,
  statusIdeaOf,
  type Hlc,
  type MutationInput,
  type PushRequest,
  type RecordChange,
  type StoredRecord,
  type TableName,
} from '../../domain';
import { DEVICE_KEY, loadClock } from '../clock';
import type { LostEditRow, NedenfraDb, OutboxRow, RejectionRow } from '../db';
import { StorageError, toStorageError } from '../errors';
import { metaKey, recomputeIdeaStatus, storedRecord, withReopen } from '../repository';
import { applyErasuresLocally, erasureStores, erasuresIn } from './erasures';
import { noteLostEdits } from './lostEdits';
import { isStoragePersisted } from '../persisted';
import { SyncFailure } from './errors';
import { ENROLLMENT_KEY, getEnrollment, getSyncState, putSyncState, type Enrollment } from './state';
import type { Transport } from './transport';

/** An outbox row as the engine may find it: resync snapshots carry clocks; old app versions wrote fewer fields. */
export type QueuedMutation = OutboxRow & {
  clocks?: Record<string, Hlc>;
  /** Part of a resync snapshot: a refusal of it is a restatement, not a lost user action. */
  snapshot?: boolean;
};

export type SyncStep = 'beforeAck' | 'afterAck' | 'beforePullApply';

export interface SyncOptions {
  appVersion?: string;
  /** Push progress: mutations acknowledged so far in this pass, of the queue length when it started. */
  onProgress?: (progress: { pushed: number; total: number }) => void;
  /** Called between steps; a throw here behaves like the tab dying at that point (used by crash tests). */
  checkpoint?: (step: SyncStep) => void | Promise<void>;
  pullLimit?: number;
  chunkBytes?: number;
  now?: () => number;
}

export interface SyncResult {
  pushed: number;
  rejected: number;
  pulled: number;
  uploaded: number;
  resynced: boolean;
}

export const DEFAULT_CHUNK_BYTES = 256 * 1024;

class ResyncRequired extends Error {
  constructor(readonly epoch: string | undefined) {
    super('resync required');
  }
}

interface Ctx {
  db: NedenfraDb;
  transport: Transport;
  enrollment: Enrollment;
  opts: SyncOptions;
  now: () => number;
  result: SyncResult;
}

/** One full sync pass. Throws SyncFailure; `retryable` ones the caller retries with backoff. */
export async function syncOnce(db: NedenfraDb, transport: Transport, opts: SyncOptions = {}): Promise<SyncResult> {
  const enrollment = await storage(db, () => getEnrollment(db));
  if (!enrollment) throw new SyncFailure('notEnrolled', 'this tablet is not enrolled', false);
  if (enrollment.needsReenroll) throw new SyncFailure('unauthorized', 'the server refused this tablet; enroll again', false);
  const ctx: Ctx = {
    db,
    transport,
    enrollment,
    opts,
    now: opts.now ?? (() => Date.now()),
    result: { pushed: 0, rejected: 0, pulled: 0, uploaded: 0, resynced: false },
  };
  for (;;) {
    try {
      await pushAll(ctx);
      // Deletions re-queued by the pull go out in the same pass (once).
      if ((await pullAll(ctx)) > 0) {
        await pushAll(ctx);
        await pullAll(ctx);
      }
      break;
    } catch (err) {
      if (!(err instanceof ResyncRequired)) throw err;
      if (ctx.result.resynced) throw new SyncFailure('serverError', 'the server asked for a second resync in one pass', true);
      ctx.result.resynced = true;
      await beginResync(ctx, err.epoch);
    }
  }
  await uploadBlobs(ctx);
  await downloadBlobs(ctx);
  await storage(db, async () => {
    const state = await getSyncState(db);
    await putSyncState(db, { ...state, lastSyncedAt: ctx.now() });
  });
  return ctx.result;
}

// ---------------------------------------------------------------- transport

async function call(ctx: Ctx, method: string, path: string, body?: BodyInit, contentType?: string): Promise<Response> {
  const url = `${ctx.enrollment.serverUrl.replace(/\/+$/, '')}/api/v1/${path}`;
  const headers: Record<string, string> = { authorization: `Bearer ${ctx.enrollment.token}` };
  if (contentType) headers['content-type'] = contentType;
  let res: Response;
  try {
    res = await ctx.transport.fetch(new Request(url, { method, headers, ...(body !== undefined ? { body } : {}) }));
  } catch (err) {
    throw unreachable(ctx.transport, err);
  }
  if (res.ok) return res;
  const parsed = SyncErrorBody.safeParse(await res.json().catch(() => null));
  const error = parsed.success ? parsed.data : undefined;
  if (res.status === 401) {
    await storage(ctx.db, async () => {
      const current = await getEnrollment(ctx.db);
      // Only the token that was refused: a re-enrollment meanwhile must not be undone.
      if (current?.token === ctx.enrollment.token) await ctx.db.kv.put({ key: ENROLLMENT_KEY, value: { ...current, needsReenroll: true } });
    });
    throw new SyncFailure('unauthorized', error?.message ?? 'unauthorized', false);
  }
  if (error?.error === 'resyncRequired') throw new ResyncRequired(error.epoch);
  if (error?.error === 'clientTooOld') throw new SyncFailure('clientTooOld', error.message, false);
  if (error?.error === 'serverTooOld') throw new SyncFailure('serverTooOld', error.message, false);
  if (error?.error === 'seqGap') return res; // the push loop handles it
  if (error?.error === 'hashMismatch') return res; // the photo upload handles it
  if (error?.error === 'quotaExceeded') throw new SyncFailure('photoQuota', error.message, true);
  throw new SyncFailure('serverError', error?.message ?? `HTTP ${res.status}`, true);
}

/** A request that never got an answer: no network at all, or a server that does not answer. */
function unreachable(transport: Transport, cause: unknown): SyncFailure {
  return transport.online?.()
    ? new SyncFailure('unreachable', 'the network is up but the server did not answer', true, cause)
    : new SyncFailure('offline', 'the device is offline', true, cause);
}

async function readJson<T>(res: Response, schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } }): Promise<T> {
  const parsed = schema.safeParse(await res.json().catch(() => undefined));
  if (!parsed.success) throw new SyncFailure('serverError', 'the server sent an answer this app cannot read', true);
  return parsed.data;
}

/** Local storage work; quota and other IndexedDB failures become SyncFailures the UI can name. */
async function storage<T>(db: NedenfraDb, run: () => Promise<T>): Promise<T> {
  try {
    return await withReopen(db, run);
  } catch (err) {
    const e = err instanceof StorageError ? err : toStorageError(err);
    throw new SyncFailure(e.kind === 'quota' ? 'quota' : 'storage', e.message, e.kind !== 'quota', e);
  }
}

// --------------------------------------------------------------------- push

function toMutation(row: QueuedMutation): MutationInput {
  return {
    mutationId: row.mutationId,
    seq: row.seq!,
    table: row.table,
    recordId: row.recordId,
    op: row.op,
    fields: row.fields ?? {},
    hlc: row.hlc,
    schemaVersion: row.schemaVersion ?? 1,
    ...(row.clocks ? { clocks: row.clocks } : {}),
    ...(row.base ? { base: row.base } : {}),
  };
}

async function pushAll(ctx: Ctx): Promise<void> {
  const { db } = ctx;
  const total = await storage(db, () => db.outbox.count());
  let gaps = 0;
  let epochChecked = false;
  for (;;) {
    const rows = (await storage(db, () => db.outbox.orderBy('seq').limit(MAX_PUSH_BATCH).toArray())) as QueuedMutation[];
    if (rows.length === 0) return;
    const state = await storage(db, () => getSyncState(db));
    const body: PushRequest = {
      protocol: PROTOCOL_VERSION,
      epoch: state.epoch,
      ackedThrough: state.ackedThrough,
      resync: state.resync,
      appVersion: ctx.opts.appVersion ?? 'unknown',
      mutations: rows.map(toMutation),
      // The tablet's report for the municipal console's list of tablets.
      unsent: await storage(db, () => db.outbox.count()),
      storagePersisted: await isStoragePersisted(),
    };
    let res: Response;
    try {
      if (state.resync && !epochChecked) {
        // A `resync: true` push skips the server's epoch check, so make it here:
        // a server restored since enrollment (or since the resync began) needs a new snapshot first.
        const health = await readJson(await call(ctx, 'GET', 'health'), HealthResponse);
        if (state.epoch !== null && health.epoch !== state.epoch) throw new ResyncRequired(health.epoch);
        epochChecked = true;
      }
      res = await call(ctx, 'POST', 'push', JSON.stringify(body), 'application/json');
    } catch (err) {
      if (err instanceof SyncFailure) await noteAttempt(ctx, rows[0]!, err.code);
      throw err;
    }
    if (res.status === 409) {
      // seqGap: an earlier batch is still on its way (two senders). Retry once from
      // the head; if the server still misses seqs this tablet already saw
      // acknowledged, it lost them: restate everything.
      if (++gaps > 1) throw new ResyncRequired(state.epoch ?? undefined);
      continue;
    }
    const answer = await readJson(res, PushResponse);
    await ctx.opts.checkpoint?.('beforeAck');
    await ack(ctx, rows, answer);
    await ctx.opts.checkpoint?.('afterAck');
    ctx.result.pushed += rows.length;
    ctx.opts.onProgress?.({ pushed: ctx.result.pushed, total: Math.max(total, ctx.result.pushed) });
  }
}

/**
 * The ack transaction (see header): rows out, rejections in, ackedThrough stored — all or nothing.
 * Also in it: notices of fields whose value lost to a concurrent write (lostEdits.ts), and for a
 * refused change the record as the server now holds it, which replaces what this tablet showed
 * (unless more changes of it are still queued), so a refused write does not linger on screen.
 */
async function ack(ctx: Ctx, rows: QueuedMutation[], answer: PushResponse): Promise<void> {
  const { db } = ctx;
  const tables = [...TABLE_NAMES.map((t) => db.table(t)), db.outbox, db.rejections, db.kv, db.syncMeta, db.lostEdits];
  await storage(db, () =>
    db.transaction('rw', tables, async () => {
      const bySeq = new Map(answer.results.map((r) => [r.seq, r]));
      const answered: number[] = [];
      const rejections: RejectionRow[] = [];
      const lost: LostEditRow[] = [];
      const current: StoredRecord[] = [];
      const orphans: QueuedMutation[] = [];
      for (const row of rows) {
        const r = bySeq.get(row.seq!);
        if (!r || r.mutationId !== row.mutationId) continue; // unanswered: stays queued
        answered.push(row.seq!);
        if (!row.snapshot)
          for (const field of r.lostFields ?? [])
            lost.push({ table: row.table, recordId: row.recordId, field, loserHlc: row.clocks?.[field] ?? row.hlc, value: row.fields[field], at: ctx.now() });
        if (r.status !== 'rejected') continue;
        if (r.current) current.push(r.current);
        ctx.result.rejected++;
        const restatement = row.snapshot && (r.reason === 'unknownRecord' || r.reason === 'forbidden');
        // A restated record naming one that is gone (deleted here, and lost in the server's restore) is an
        // orphan nobody can see: the server will never hold it, so neither does this tablet.
        if (restatement && row.op === 'create' && !r.current) orphans.push(row);
        if (!restatement)
          rejections.push({
            mutationId: row.mutationId,
            table: row.table,
            recordId: row.recordId,
            reason: r.reason ?? 'invalid',
            detail: r.detail ?? '',
            at: ctx.now(),
            op: row.op,
            fields: row.fields,
          });
      }
      // One bulk call each: row-by-row deletes made the ack most of a push's time (bench P5).
      await db.rejections.bulkAdd(rejections);
      await db.outbox.bulkDelete(answered);
      await noteLostEdits(db, lost);
      const ideas: string[] = [];
      for (const record of current) {
        if (record.unitId !== ctx.enrollment.unitId) continue;
        if ((await db.outbox.where('[table+recordId]').equals([record.table, record.id]).count()) > 0) continue;
        await putRecord(db, record);
        const ideaId = statusIdeaOf(record);
        if (ideaId) ideas.push(ideaId);
      }
      for (const orphan of orphans) {
        await db.table(orphan.table).delete(orphan.recordId);
        await db.syncMeta.delete(metaKey(orphan.table, orphan.recordId));
        const ideaId = statusIdeaOf({ table: orphan.table, id: orphan.recordId, data: orphan.fields });
        if (ideaId) ideas.push(ideaId);
      }
      await recomputeIdeaStatus(db, ideas, ctx.enrollment.unitId);
      const state = await getSyncState(db);
      await putSyncState(db, { ...state, epoch: answer.epoch, ackedThrough: answer.lastAppliedSeq, resync: false });
    }),
  );
}

/** Count failed attempts on the queue head, so a queue that stops draining can be detected. */
async function noteAttempt(ctx: Ctx, head: QueuedMutation, code: string): Promise<void> {
  await withReopen(ctx.db, () => ctx.db.outbox.update(head.seq!, { attempts: (head.attempts ?? 0) + 1, lastError: code })).catch(
    () => undefined, // best effort: the sync already failed for a better-reported reason
  );
}

// ------------------------------------------------------------------- resync

const maxClock = (clocks: Record<string, Hlc>): Hlc =>
  Object.values(clocks).reduce((a, b) => (compareHlc(a, b) >= 0 ? a : b), HLC_ZERO);

async function beginResync(ctx: Ctx, epoch: string | undefined): Promise<void> {
  const { db } = ctx;
  const unitId = ctx.enrollment.unitId;
  const tables = [...TABLE_NAMES.map((t) => db.table(t)), db.syncMeta, db.outbox, db.kv];
  await storage(db, () =>
    db.transaction('rw', tables, async () => {
      const now = ctx.now();
      await db.outbox.clear();
      const base = { schemaVersion: MUTATION_SCHEMA_VERSION, createdAt: now, attempts: 0, lastError: null, snapshot: true };
      const live: Array<{ queued: Omit<QueuedMutation, 'op' | 'fields' | 'hlc'>; table: TableName; id: string; data: Record<string, unknown>; clocks: Record<string, Hlc> }> = [];
      for (const meta of await db.syncMeta.toArray()) {
        const row = (await db.table(meta.table).get(meta.id)) as Record<string, unknown> | undefined;
        const queued: Omit<QueuedMutation, 'op' | 'fields' | 'hlc'> = {
          ...base,
          mutationId: crypto.randomUUID(),
          table: meta.table,
          recordId: meta.id,
        };
        if (meta.deleted) {
          const hlc = meta.clocks._deleted ?? maxClock(meta.clocks);
          await db.outbox.add({ ...queued, op: 'delete', fields: {}, hlc });
        } else if (row && meta.table === 'units' && meta.id === unitId) {
          const fields = Object.fromEntries(Object.entries(row).filter(([f]) => UNIT_EDITABLE_FIELDS.has(f)));
          const clocks = Object.fromEntries(Object.keys(fields).flatMap((f) => (meta.clocks[f] ? [[f, meta.clocks[f]]] : [])));
          await db.outbox.add({ ...queued, op: 'patch', fields, clocks, hlc: maxClock(clocks) } as QueuedMutation);
        } else if (row && meta.table !== 'units' && !SERVER_AUTHORED.has(meta.table) && row.unitId === unitId) {
          live.push({ queued, table: meta.table, id: meta.id, data: row, clocks: meta.clocks });
        }
      }
      // References first (a vote after its session and idea, a decision after the one it supersedes): the
      // server refuses a record naming one it does not have. Only schema fields, no derived ones.
      for (const r of orderByReferences(live)) {
        const writable = (f: string) => TABLE_FIELDS[r.table].has(f) && !isDerivedField(r.table, f);
        const fields = Object.fromEntries(Object.entries(r.data).filter(([f]) => writable(f)));
        const clocks = Object.fromEntries(Object.entries(r.clocks).filter(([f]) => writable(f)));
        await db.outbox.add({ ...r.queued, op: 'create', fields, clocks, hlc: maxClock(clocks) } as QueuedMutation);
      }
      const state = await getSyncState(db);
      await putSyncState(db, { ...state, epoch: epoch ?? state.epoch, cursor: 0, resync: true });
    }),
  );
}

// --------------------------------------------------------------------- pull

/** Pull every page; returns how many deletions it re-queued (see reassertTombstone). */
async function pullAll(ctx: Ctx): Promise<number> {
  const { db } = ctx;
  const clock = await loadClock(db);
  const tables = [...TABLE_NAMES.map((t) => db.table(t)), db.syncMeta, ...erasureStores(db)];
  let requeued = 0;
  // The tablet's report (see pushAll), once per pull.
  const persisted = await isStoragePersisted();
  const report = { unsent: String(await storage(db, () => db.outbox.count())), appVersion: ctx.opts.appVersion ?? 'unknown' };
  for (;;) {
    const state = await storage(db, () => getSyncState(db));
    const query = new URLSearchParams({ protocol: String(PROTOCOL_VERSION), cursor: String(state.cursor), limit: String(ctx.opts.pullLimit ?? 500), ...report });
    if (persisted !== null) query.set('persisted', String(persisted));
    if (state.epoch) query.set('epoch', state.epoch);
    const page = await readJson(await call(ctx, 'GET', `pull?${query}`), PullResponse);
    await ctx.opts.checkpoint?.('beforePullApply');
    requeued += await storage(db, () =>
      db.transaction('rw', tables, async () => {
        let reasserted = 0;
        const ideas: string[] = [];
        for (const change of page.changes) {
          const { serverSeq: _seq, lostEdits, ...remote } = change;
          await noteOwnLosses(ctx, clock.node, remote, lostEdits);
          let merged = await mergeWithLocal(db, remote);
          if (!merged.deleted) {
            const tombstone = await reassertTombstone(ctx, remote);
            if (tombstone) {
              merged = tombstone;
              reasserted++;
            }
          }
          await putRecord(db, merged);
          for (const c of Object.values(remote.clocks)) clock.receive(c);
          const ideaId = statusIdeaOf(merged);
          if (ideaId) ideas.push(ideaId);
        }
        // Derived from what this tablet now holds (its own queued writes included), as the server will.
        await recomputeIdeaStatus(db, ideas, ctx.enrollment.unitId);
        // A name erased on the server goes from what only this tablet holds too (erasures.ts).
        await applyErasuresLocally(db, erasuresIn(page.changes));
        await db.kv.put({ key: DEVICE_KEY, value: { installId: clock.node, hlc: clock.current() } });
        const current = await getSyncState(db);
        await putSyncState(db, { ...current, epoch: page.epoch, cursor: page.cursor });
        return reasserted;
      }),
    );
    ctx.result.pulled += page.changes.length;
    if (!page.hasMore) return requeued;
  }
}

async function mergeWithLocal(db: NedenfraDb, remote: StoredRecord): Promise<StoredRecord> {
  const queued = await db.outbox.where('[table+recordId]').equals([remote.table, remote.id]).count();
  if (queued === 0) return remote;
  const meta = await db.syncMeta.get(metaKey(remote.table, remote.id));
  if (!meta) return remote;
  const data = ((await db.table(remote.table).get(remote.id)) as Record<string, unknown> | undefined) ?? {};
  return mergeRemoteRecord({ table: remote.table, id: remote.id, unitId: remote.unitId, data, clocks: meta.clocks, deleted: meta.deleted }, remote);
}

/** Store a record as merged (row and clocks; a tombstone keeps only its clocks). */
async function putRecord(db: NedenfraDb, record: StoredRecord): Promise<void> {
  const table = db.table(record.table);
  if (record.deleted) await table.delete(record.id);
  else await table.put(record.data);
  await db.syncMeta.put({ key: metaKey(record.table, record.id), table: record.table, id: record.id, clocks: record.clocks, deleted: record.deleted });
}

/**
 * A pulled record names writes of its unit that lost to concurrent ones. One
 * of them is this tablet's own if its clock is the one this tablet still holds
 * for the field (nothing newer reached it since): tell the person.
 */
async function noteOwnLosses(ctx: Ctx, node: string, remote: StoredRecord, lost: RecordChange['lostEdits']): Promise<void> {
  if (!lost?.length || remote.unitId !== ctx.enrollment.unitId) return;
  const local = await storedRecord(ctx.db, remote.table, remote.id);
  if (!local) return;
  const mine = lost.filter(
    (l) => Object.hasOwn(local.clocks, l.field) && local.clocks[l.field] === l.loserHlc && parseHlc(l.loserHlc).node === node && remote.clocks[l.field] !== l.loserHlc,
  );
  await noteLostEdits(
    ctx.db,
    mine.map((l) => ({ table: remote.table, recordId: remote.id, field: l.field, loserHlc: l.loserHlc, value: l.loserValue, at: ctx.now() })),
  );
}

/**
 * Deletes are final, but a server restored from a backup can lose one (a
 * `delete` of a record the restored server lacks is refused) and then get the
 * record back from another tablet's resync snapshot. A tablet that holds the
 * tombstone and pulls the record alive therefore keeps its tombstone and
 * queues the delete again — unless the server would refuse that delete anyway
 * (e.g. a published decision), in which case the server's record wins.
 */
async function reassertTombstone(ctx: Ctx, remote: StoredRecord): Promise<StoredRecord | null> {
  const { db } = ctx;
  const meta = await db.syncMeta.get(metaKey(remote.table, remote.id));
  if (!meta?.deleted) return null;
  const hlc = meta.clocks._deleted ?? maxClock(meta.clocks);
  const mutation = { mutationId: crypto.randomUUID(), seq: 1, table: remote.table, recordId: remote.id, op: 'delete' as const, fields: {}, hlc, schemaVersion: MUTATION_SCHEMA_VERSION };
  const check = applyMutation(remote, mutation, { unitId: remote.unitId, find: () => undefined });
  if (!check.ok || remote.unitId !== ctx.enrollment.unitId) return null;
  const { seq: _seq, ...row } = mutation;
  await db.outbox.add({ ...row, createdAt: ctx.now(), attempts: 0, lastError: null, snapshot: true } as QueuedMutation);
  return check.record;
}

// ------------------------------------------------------------------- photos

async function blobBytes(blob: unknown): Promise<Uint8Array> {
  if (blob instanceof Uint8Array) return blob;
  if (blob instanceof ArrayBuffer) return new Uint8Array(blob);
  return new Uint8Array(await (blob as Blob).arrayBuffer());
}

async function uploadBlobs(ctx: Ctx): Promise<void> {
  const { db } = ctx;
  const pending = await storage(db, () => db.blobs.where('uploaded').equals(0).primaryKeys());
  const chunk = ctx.opts.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  for (const sha256 of pending) {
    const row = await storage(db, () => db.blobs.get(sha256));
    if (!row) continue;
    const bytes = await blobBytes(row.blob);
    let status = await readJson(await call(ctx, 'GET', `blobs/${sha256}?status=1`), BlobStatus);
    let mismatches = 0;
    while (!status.complete) {
      const end = Math.min(status.received + chunk, bytes.length);
      const res = await call(
        ctx,
        'PUT',
        `blobs/${sha256}?offset=${status.received}&total=${bytes.length}`,
        bytes.slice(status.received, end),
        'application/octet-stream',
      );
      if (res.status === 422) {
        // The server discarded a corrupted upload; start over once, then give up on this photo for now.
        if (++mismatches > 1) throw new SyncFailure('serverError', `photo ${sha256.slice(0, 8)} did not upload intact`, true);
        status = { sha256, received: 0, complete: false };
        continue;
      }
      status = await readJson(res, BlobStatus);
    }
    await storage(db, () => db.blobs.update(sha256, { uploaded: 1 }));
    ctx.result.uploaded++;
  }
}

export const MAX_DOWNLOADS_PER_PASS = 20;

async function downloadBlobs(ctx: Ctx): Promise<void> {
  const { db } = ctx;
  const missing = await storage(db, async () => {
    const wanted = new Set<string>();
    await db.ideas.each((idea) => idea.photos?.forEach((sha) => wanted.add(sha)));
    const held = new Set(await db.blobs.bulkGet([...wanted]).then((rows) => rows.flatMap((r) => (r ? [r.sha256] : []))));
    return [...wanted].filter((sha) => !held.has(sha)).slice(0, MAX_DOWNLOADS_PER_PASS);
  });
  for (const sha256 of missing) {
    const res = await ctx.transport
      .fetch(new Request(`${ctx.enrollment.serverUrl.replace(/\/+$/, '')}/api/v1/blobs/${sha256}`))
      .catch((err: unknown) => {
        throw unreachable(ctx.transport, err);
      });
    if (!res.ok) continue; // not uploaded yet by its tablet: next pass
    const bytes = new Uint8Array(await res.arrayBuffer());
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
    if (Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('') !== sha256) continue; // corrupted in transit: next pass
    const served = res.headers.get('content-type');
    const type = served && served.startsWith('image/') ? served : 'image/jpeg'; // the app stores photos as JPEG
    await storage(db, () =>
      db.blobs.put({ sha256, blob: new Blob([bytes], { type }), type, width: 0, height: 0, size: bytes.length, uploaded: 1, createdAt: ctx.now() }),
    );
  }
}
