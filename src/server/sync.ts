/**
 * The sync protocol, once, for every storage back end: enrollment, token
 * authentication, push (apply a device's mutation batch) and pull (changes
 * since a cursor, as this device may see them). Each operation runs in one
 * storage transaction; the rules are specified in docs/sync-protocol.md.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import {
  applyMutation,
  Erasure,
  isVisibleToOwnUnit,
  PERSON_FIELDS,
  referencesOf,
  scrubErasedNames,
  type EnrollRequest,
  EnrollResponse,
  type HybridLogicalClock,
  Id,
  isSharedWithOtherUnits,
  isTooFarAhead,
  MAX_PUSH_BATCH,
  Mutation,
  newId,
  type PullRequest,
  PullResponse,
  PushRequest,
  PushResponse,
  redactForOtherUnits,
  sha256Hex,
  type TableName,
  Unit,
  type Hlc,
  type MutationResult,
  type RecordChange,
  type StoredRecord,
} from '../domain';
import { syncError } from './errors';
import type { Logger } from './log';
import { dropUnshownPhotos, materializeIdeaStatus, recordKey } from './records';
import type { Device, LoggedConflict, ReadTx, SyncStorage } from './storage/types';

export interface SyncContext {
  storage: SyncStorage;
  /** The server's hybrid logical clock (node "server"); receives every pushed hlc. */
  clock: HybridLogicalClock;
  now: () => number;
  log: Logger;
}

/** Device tokens are 256 random bits; the server stores only their SHA-256. */
export const newDeviceToken = () => randomBytes(32).toString('base64url');

/** Enrollment codes are typed or scanned: compare them without case, spaces or dashes. */
export const normalizeEnrollmentCode = (code: string) => code.toUpperCase().replace(/[^A-Z0-9]/g, '');

/** `address`: where the request came from, for the log (never the code). */
export async function enroll(ctx: SyncContext, body: z.output<typeof EnrollRequest>, address?: string): Promise<EnrollResponse> {
  const now = ctx.now();
  const deviceId = newId(now);
  const token = newDeviceToken();
  const [codeHash, tokenHash] = await Promise.all([sha256Hex(normalizeEnrollmentCode(body.code)), sha256Hex(token)]);
  const unit = await ctx.storage.write(async (tx) => {
    const unitId = await tx.consumeEnrollmentCode(codeHash, now, deviceId);
    if (!unitId) return undefined;
    const unitRecord = await tx.getRecord('units', unitId);
    if (!unitRecord) throw new Error(`enrollment code points at missing unit ${unitId}`);
    await tx.insertDevice({
      deviceId,
      unitId,
      label: body.deviceLabel,
      createdAt: now,
      expiresAt: null,
      revokedAt: null,
      lastAppliedSeq: 0,
      lastSeenAt: now,
      appVersion: body.appVersion,
      unsent: null,
      storagePersisted: null,
      tokenHash,
    });
    return { unit: Unit.parse(unitRecord.data), epoch: (await tx.state()).epoch };
  });
  if (!unit) {
    ctx.log.warn('enrollRefused', { address });
    throw syncError('unauthorized', 'enrollment code is unknown, already used or expired');
  }
  ctx.log.info('enrolled', { deviceId, unitId: unit.unit.id, address });
  return EnrollResponse.parse({ deviceId, token, unit: unit.unit, epoch: unit.epoch, serverTime: now });
}

/** The device behind a bearer token, or 401. */
export async function authenticate(ctx: SyncContext, authorization: string | undefined, address?: string): Promise<Device> {
  const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  if (!token) {
    ctx.log.warn('authRefused', { address, missingToken: true });
    throw syncError('unauthorized', 'missing bearer token');
  }
  const tokenHash = await sha256Hex(token);
  const device = await ctx.storage.readOne((tx) => tx.findDeviceByTokenHash(tokenHash));
  const now = ctx.now();
  if (!device || device.revokedAt !== null || (device.expiresAt !== null && device.expiresAt <= now)) {
    ctx.log.warn('authRefused', { deviceId: device?.deviceId, revoked: device ? device.revokedAt !== null : undefined, address });
    throw syncError('unauthorized', 'device token is unknown, expired or revoked; enroll again');
  }
  return device;
}

/**
 * The push envelope: every item needs a seq and a mutationId so it can be
 * answered; the rest of each mutation is validated on its own, so one
 * malformed mutation is rejected without failing the batch.
 */
export const PushEnvelope = PushRequest.extend({
  mutations: z.array(z.looseObject({ seq: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER), mutationId: Id })).max(MAX_PUSH_BATCH),
});
export type PushEnvelope = z.output<typeof PushEnvelope>;

/** Lost-edit notices per pulled record at most (the newest). */
const MAX_LOST_EDITS_PER_RECORD = 20;

/**
 * How far back a device's refusals are remembered for replays: a device
 * re-sends from its last acknowledged seq, at most one batch behind
 * (two concurrent senders: two).
 */
const REMEMBERED_SEQS = 2 * MAX_PUSH_BATCH;
const MAX_REMEMBERED_DETAIL = 300;

export async function push(ctx: SyncContext, device: Device, req: PushEnvelope): Promise<PushResponse> {
  const started = performance.now();
  for (let i = 1; i < req.mutations.length; i++) {
    if (req.mutations[i]!.seq <= req.mutations[i - 1]!.seq)
      throw syncError('invalidRequest', 'mutations must be sorted by strictly increasing seq');
  }
  const now = ctx.now();
  let restamped = 0;
  const outcome = await ctx.storage.write(async (tx) => {
    const locked = await tx.lockDevice(device.deviceId);
    if (!locked) throw syncError('unauthorized', 'device no longer exists');
    const { state } = locked;
    let last = locked.device.lastAppliedSeq;
    const remembered = new Map(locked.recentAnswers.map((a) => [a.seq, a]));
    const rememberedFor = (raw: { seq: number; mutationId: string }) => {
      const answer = remembered.get(raw.seq);
      return answer?.mutationId === raw.mutationId ? answer : undefined;
    };

    if (!req.resync) {
      if (req.epoch !== null && req.epoch !== state.epoch)
        throw syncError('resyncRequired', 'the server was restored or replaced; re-push your full state', { epoch: state.epoch });
      if (req.ackedThrough > last)
        throw syncError('resyncRequired', `the server knows seq ${last} but the device saw ${req.ackedThrough} acknowledged`, {
          epoch: state.epoch,
        });
    }
    const firstNew = req.mutations.find((m) => m.seq > last);
    if (firstNew && firstNew.seq > last + 1) {
      if (!req.resync) throw syncError('seqGap', `expected seq ${last + 1}, got ${firstNew.seq}`, { expectedSeq: last + 1 });
      last = firstNew.seq - 1;
    }

    // Validate every new mutation before anything reaches storage: only well-formed ids are locked and read.
    const parsed = new Map(req.mutations.filter((raw) => raw.seq > last).map((raw) => [raw, Mutation.safeParse(raw)] as const));
    const valid = [...parsed.values()].flatMap((p) => (p.success ? [p.data] : []));

    // Lock, then read, every record the batch touches (one query each); then, unlocked, the records it refers to.
    // A replayed refusal is answered with the record as it now stands, so its record is read too.
    const touched = new Map<string, StoredRecord>();
    const replayed = req.mutations.flatMap((raw) => {
      const prior = raw.seq <= last ? rememberedFor(raw) : undefined;
      return prior?.status === 'rejected' && prior.record ? [prior.record] : [];
    });
    const keys = [...valid.map((m) => ({ table: m.table, id: m.recordId })), ...replayed];
    await tx.lockRecords(keys);
    for (const record of await tx.getRecords(keys)) touched.set(recordKey(record.table, record.id), record);
    const referenced = new Map<string, StoredRecord>();
    const refKeys = new Map<string, { table: TableName; id: string }>();
    for (const m of valid) {
      const stored = touched.get(recordKey(m.table, m.recordId))?.data ?? {};
      for (const ref of [...referencesOf(m.table, stored), ...referencesOf(m.table, m.fields)]) {
        const key = recordKey(ref.table, ref.id);
        if (!touched.has(key)) refKeys.set(key, { table: ref.table, id: ref.id });
      }
    }
    for (const record of await tx.getRecords([...refKeys.values()])) referenced.set(recordKey(record.table, record.id), record);
    // Names an administrator erased must not come back with changes written before the erasure (personalData.ts).
    const erasures = (await tx.unitRecords('erasures', device.unitId)).flatMap((r) => {
      const e = Erasure.safeParse(r.data);
      return e.success ? [e.data] : [];
    });

    const results: MutationResult[] = [];
    const changed = new Map<string, StoredRecord>();
    const find = (table: TableName, id: string) => {
      const key = recordKey(table, id);
      return changed.get(key) ?? touched.get(key) ?? referenced.get(key);
    };
    const refused: Array<{ result: MutationResult; key: string }> = [];
    const conflicts: LoggedConflict[] = [];
    const remember = (result: MutationResult, m: Mutation | null) =>
      remembered.set(result.seq, {
        seq: result.seq,
        mutationId: result.mutationId,
        status: result.status === 'rejected' ? 'rejected' : 'applied',
        ...(result.reason ? { reason: result.reason } : {}),
        ...(result.detail ? { detail: result.detail.slice(0, MAX_REMEMBERED_DETAIL) } : {}),
        ...(result.lostFields ? { lostFields: result.lostFields } : {}),
        record: m && { table: m.table, id: m.recordId },
      });
    for (const raw of req.mutations) {
      const answer = { seq: raw.seq, mutationId: raw.mutationId };
      if (raw.seq <= last) {
        const prior = rememberedFor(raw);
        if (!prior) {
          results.push({ ...answer, status: 'duplicate' });
          continue;
        }
        // Its answer was lost on the way: the same answer again, not a bare "duplicate".
        const { record, ...again } = prior;
        results.push(again);
        if (again.status === 'rejected' && record) refused.push({ result: again, key: recordKey(record.table, record.id) });
        continue;
      }
      last = raw.seq;
      const p = parsed.get(raw)!;
      if (!p.success) {
        const result: MutationResult = { ...answer, status: 'rejected', reason: 'invalid', detail: z.prettifyError(p.error) };
        results.push(result);
        remember(result, null);
        ctx.log.warn('mutationRejected', { deviceId: device.deviceId, unitId: device.unitId, seq: raw.seq, reason: 'invalid' });
        continue;
      }
      const m = guardClockSkew(ctx, p.data, now);
      if (m !== p.data) {
        restamped++;
        ctx.log.warn('mutationRestamped', {
          deviceId: device.deviceId,
          unitId: device.unitId,
          seq: m.seq,
          skewMs: skewOf(p.data.hlc, now),
        });
      }
      const key = recordKey(m.table, m.recordId);
      const scrubbed =
        erasures.length && Object.keys(PERSON_FIELDS[m.table]).length
          ? { ...m, fields: scrubErasedNames(m.table, m.fields, (f) => m.clocks?.[f] ?? m.hlc, erasures) }
          : m;
      const merged = applyMutation(changed.get(key) ?? touched.get(key), scrubbed, { unitId: device.unitId, find });
      if (!merged.ok) {
        const result: MutationResult = { ...answer, status: 'rejected', reason: merged.reason, detail: merged.detail };
        results.push(result);
        refused.push({ result, key });
        remember(result, m);
        ctx.log.warn('mutationRejected', {
          deviceId: device.deviceId,
          unitId: device.unitId,
          seq: m.seq,
          table: m.table,
          reason: merged.reason,
        });
        continue;
      }
      if (merged.changed) changed.set(key, merged.record);
      for (const c of merged.conflicts) conflicts.push({ ...c, unitId: device.unitId, deviceId: device.deviceId, at: now });
      const result: MutationResult = { ...answer, status: 'applied', ...(merged.lost.length ? { lostFields: merged.lost } : {}) };
      results.push(result);
      if (merged.lost.length) remember(result, m);
    }

    await materializeIdeaStatus(tx, changed, device.unitId);
    // A refusal carries the record as it now stands, so the tablet drops what the server would not take.
    for (const { result, key } of refused) {
      const current = changed.get(key) ?? touched.get(key);
      if (current && current.unitId === device.unitId) result.current = current;
    }

    await tx.writeRecords([...changed.values()]);
    await dropUnshownPhotos(tx, touched, changed.values());
    await tx.addConflicts(conflicts);
    const recentAnswers = [...remembered.values()].filter((a) => a.seq > last - REMEMBERED_SEQS);
    await tx.updateDeviceSync(device.deviceId, {
      lastAppliedSeq: last,
      lastSeenAt: now,
      appVersion: req.appVersion,
      recentAnswers,
      ...(req.unsent !== undefined ? { unsent: req.unsent } : {}),
      ...(req.storagePersisted !== undefined ? { storagePersisted: req.storagePersisted } : {}),
    });
    return { epoch: state.epoch, lastAppliedSeq: last, results, changedRecords: changed.size, conflicts: conflicts.length };
  });
  const count = (s: MutationResult['status']) => outcome.results.filter((r) => r.status === s).length;
  ctx.log.info('push', {
    deviceId: device.deviceId,
    unitId: device.unitId,
    mutations: req.mutations.length,
    applied: count('applied'),
    duplicate: count('duplicate'),
    rejected: count('rejected'),
    conflicts: outcome.conflicts,
    restamped,
    records: outcome.changedRecords,
    lastAppliedSeq: outcome.lastAppliedSeq,
    resync: req.resync,
    durationMs: Math.round(performance.now() - started),
  });
  return PushResponse.parse({ epoch: outcome.epoch, serverTime: now, lastAppliedSeq: outcome.lastAppliedSeq, results: outcome.results });
}

const skewOf = (hlc: Hlc, now: number) => Number(hlc.slice(0, 15)) - now;

/**
 * A tablet whose clock is hours ahead would otherwise win every later edit
 * until real time caught up. Such clocks are replaced by the server's own
 * (node "server") before merging; plausible clocks advance the server clock.
 */
function guardClockSkew(ctx: SyncContext, m: Mutation, now: number): Mutation {
  const clocks = Object.values(m.clocks ?? {});
  if (!isTooFarAhead(m.hlc, now) && !clocks.some((c) => isTooFarAhead(c, now))) {
    ctx.clock.receive(m.hlc);
    for (const c of clocks) ctx.clock.receive(c);
    return m;
  }
  const stamp = ctx.clock.send();
  const fixed = m.clocks && Object.fromEntries(Object.entries(m.clocks).map(([f, c]) => [f, isTooFarAhead(c, now) ? stamp : c]));
  return { ...m, hlc: isTooFarAhead(m.hlc, now) ? stamp : m.hlc, ...(fixed ? { clocks: fixed } : {}) };
}

/** Rows scanned per pull at most, so a unit behind many invisible rows still gets a bounded answer. */
const MAX_PULL_SCAN = 5000;

export async function pull(ctx: SyncContext, device: Device, req: z.output<typeof PullRequest>): Promise<PullResponse> {
  const started = performance.now();
  await ctx.storage.sequencePending();
  const result = await ctx.storage.read(async (tx) => {
    const state = await tx.state();
    const resync = (message: string) => syncError('resyncRequired', message, { epoch: state.epoch });
    if (req.epoch !== null && req.epoch !== state.epoch) throw resync('the server was restored or replaced; pull from cursor 0');
    if (req.cursor > state.serverSeq) throw resync('cursor is ahead of the server; it was restored from an older backup');
    if (req.cursor > 0 && req.cursor < state.horizon) throw resync('cursor is older than the tombstone horizon; pull from cursor 0');

    const changes: RecordChange[] = [];
    let cursor = req.cursor;
    let scanned = 0;
    let hasMore = false;
    scan: for (;;) {
      const rows = await tx.scanRecords(cursor, req.limit + 1);
      for (const row of rows) {
        if (changes.length === req.limit || scanned === MAX_PULL_SCAN) {
          hasMore = true;
          break scan;
        }
        scanned++;
        cursor = row.serverSeq;
        if (row.unitId === device.unitId) {
          if (isVisibleToOwnUnit(row.table, row.data)) changes.push(row);
        } else if (isSharedWithOtherUnits(row.table, row.data)) changes.push({ ...row, data: redactForOtherUnits(row.table, row.data) });
      }
      if (rows.length <= req.limit) break;
    }
    await attachLostEdits(tx, device.unitId, changes);
    return { epoch: state.epoch, cursor, hasMore, changes };
  });
  await noteDeviceReport(ctx, device, req);
  ctx.log.info('pull', {
    deviceId: device.deviceId,
    unitId: device.unitId,
    fromCursor: req.cursor,
    cursor: result.cursor,
    changes: result.changes.length,
    hasMore: result.hasMore,
    durationMs: Math.round(performance.now() - started),
  });
  return PullResponse.parse({ ...result, serverTime: ctx.now() });
}

/** Tell the unit's tablets which writes on these records lost to concurrent ones (RecordChange.lostEdits). */
async function attachLostEdits(tx: ReadTx, unitId: string, changes: RecordChange[]): Promise<void> {
  const own = new Map(changes.filter((c) => c.unitId === unitId && !c.deleted).map((c) => [recordKey(c.table, c.id), c]));
  if (own.size === 0) return;
  const conflicts = await tx.conflictsOn(unitId, [...new Set([...own.values()].map((c) => c.id))]);
  for (const c of conflicts) {
    const change = own.get(recordKey(c.table, c.recordId));
    if (!change) continue;
    const lostEdits = (change.lostEdits ??= []);
    lostEdits.push({ field: c.field, loserHlc: c.loserHlc, loserValue: c.loserValue });
    if (lostEdits.length > MAX_LOST_EDITS_PER_RECORD) lostEdits.shift();
  }
}

/** A pull's report is written only when it says something new, or the last sighting is a minute old: pulls stay reads. */
const REPORT_EVERY_MS = 60_000;

async function noteDeviceReport(ctx: SyncContext, device: Device, req: z.output<typeof PullRequest>): Promise<void> {
  const now = ctx.now();
  const changed =
    (req.unsent !== undefined && req.unsent !== device.unsent) ||
    (req.storagePersisted !== undefined && req.storagePersisted !== device.storagePersisted) ||
    (req.appVersion !== undefined && req.appVersion !== device.appVersion);
  if (!changed && device.lastSeenAt !== null && now - device.lastSeenAt < REPORT_EVERY_MS) return;
  await ctx.storage.write((tx) =>
    tx.reportDevice(device.deviceId, {
      lastSeenAt: now,
      ...(req.appVersion !== undefined ? { appVersion: req.appVersion } : {}),
      ...(req.unsent !== undefined ? { unsent: req.unsent } : {}),
      ...(req.storagePersisted !== undefined ? { storagePersisted: req.storagePersisted } : {}),
    }),
  );
}
