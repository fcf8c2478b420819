/**
 * The sync protocol, once, for every storage back end: enrollment, token
 * authentication, push (apply a device's mutation batch) and pull (changes
 * since a cursor, as this device may see them). Each operation runs in one
 * storage transaction; the rules are specified in docs/sync-protocol.md.
 */
import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import {
  applyMutation,
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
  TableName,
  Unit,
  type Hlc,
  type MutationResult,
  type RecordChange,
  type StoredRecord,
} from '../domain';
import { syncError } from './errors';
import type { Logger } from './log';
import type { Device, LoggedConflict, SyncStorage } from './storage/types';

export interface SyncContext {
  storage: SyncStorage;
  /** The server's hybrid logical clock (node "server"); receives every pushed hlc. */
  clock: HybridLogicalClock;
  now: () => number;
  log: Logger;
}

export const sha256Hex = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

/** Device tokens are 256 random bits; the server stores only their SHA-256. */
export const newDeviceToken = () => randomBytes(32).toString('base64url');

/** Enrollment codes are typed or scanned: compare them without case, spaces or dashes. */
export const normalizeEnrollmentCode = (code: string) => code.toUpperCase().replace(/[^A-Z0-9]/g, '');

/** `address`: where the request came from, for the log (never the code). */
export async function enroll(ctx: SyncContext, body: z.output<typeof EnrollRequest>, address?: string): Promise<EnrollResponse> {
  const now = ctx.now();
  const deviceId = newId(now);
  const token = newDeviceToken();
  const unit = await ctx.storage.write(async (tx) => {
    const unitId = await tx.consumeEnrollmentCode(sha256Hex(normalizeEnrollmentCode(body.code)), now, deviceId);
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
      tokenHash: sha256Hex(token),
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
  const device = await ctx.storage.readOne((tx) => tx.findDeviceByTokenHash(sha256Hex(token)));
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
  mutations: z.array(z.looseObject({ seq: z.number().int().min(1), mutationId: Id })).max(MAX_PUSH_BATCH),
});
export type PushEnvelope = z.output<typeof PushEnvelope>;

const recordKey = (table: string, id: string) => `${table}\u0000${id}`;

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

    // Lock, then read, every record the batch touches (one query each).
    const touched = new Map<string, StoredRecord>();
    const keys = req.mutations
      .filter((raw) => raw.seq > last && TableName.safeParse(raw.table).success && typeof raw.recordId === 'string')
      .map((raw) => ({ table: raw.table as TableName, id: raw.recordId as string }));
    await tx.lockRecords(keys);
    for (const record of await tx.getRecords(keys)) touched.set(recordKey(record.table, record.id), record);

    const results: MutationResult[] = [];
    const changed = new Map<string, StoredRecord>();
    const conflicts: LoggedConflict[] = [];
    for (const raw of req.mutations) {
      const answer = { seq: raw.seq, mutationId: raw.mutationId };
      if (raw.seq <= last) {
        results.push({ ...answer, status: 'duplicate' });
        continue;
      }
      last = raw.seq;
      const parsed = Mutation.safeParse(raw);
      if (!parsed.success) {
        results.push({ ...answer, status: 'rejected', reason: 'invalid', detail: z.prettifyError(parsed.error) });
        ctx.log.warn('mutationRejected', { deviceId: device.deviceId, unitId: device.unitId, seq: raw.seq, reason: 'invalid' });
        continue;
      }
      const m = guardClockSkew(ctx, parsed.data, now);
      if (m !== parsed.data) {
        restamped++;
        ctx.log.warn('mutationRestamped', {
          deviceId: device.deviceId,
          unitId: device.unitId,
          seq: m.seq,
          skewMs: skewOf(parsed.data.hlc, now),
        });
      }
      const key = recordKey(m.table, m.recordId);
      const existing = changed.get(key) ?? touched.get(key);
      const merged = applyMutation(existing, m, { unitId: device.unitId });
      if (!merged.ok) {
        results.push({ ...answer, status: 'rejected', reason: merged.reason, detail: merged.detail });
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
      results.push({ ...answer, status: 'applied' });
    }

    await tx.writeRecords([...changed.values()]);
    await tx.addConflicts(conflicts);
    await tx.updateDeviceSync(device.deviceId, { lastAppliedSeq: last, lastSeenAt: now, appVersion: req.appVersion });
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
        if (row.unitId === device.unitId) changes.push(row);
        else if (isSharedWithOtherUnits(row.table, row.data)) changes.push({ ...row, data: redactForOtherUnits(row.table, row.data) });
      }
      if (rows.length <= req.limit) break;
    }
    return { epoch: state.epoch, cursor, hasMore, changes };
  });
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
