/**
 * Enrolling a tablet with a one-time code from the unit leader (typed, or
 * opened as `#enroll=CODE` from the QR the admin CLI prints).
 *
 * Re-key: a tablet may have been used before enrollment under a unit created
 * locally on first run (kv `currentUnitId`). In ONE transaction with storing
 * the enrollment, every local record and every queued outbox row of that
 * unit is moved to the server's unit id, the local unit record is replaced by
 * the server's, and `currentUnitId` points at it. Sync progress is reset
 * (cursor 0 → full pull; resync numbering → the new device id accepts the
 * outbox as numbered), so queued work survives a re-enrollment after a revoked
 * token or a wiped tablet.
 */
import { type EnrollRequest, EnrollResponse, PROTOCOL_VERSION, SyncErrorBody, TABLE_NAMES, type Unit } from '../../domain';
import type { NedenfraDb } from '../db';
import { metaKey, withReopen } from '../repository';
import { SyncFailure } from './errors';
import { CURRENT_UNIT_KEY, ENROLLMENT_KEY, INITIAL_SYNC_STATE, SYNC_STATE_KEY, getEnrollment, type Enrollment } from './state';
import type { Transport } from './transport';

export interface EnrollInput {
  serverUrl: string;
  code: string;
  deviceLabel?: string;
  appVersion?: string;
}

export async function enrollDevice(db: NedenfraDb, transport: Transport, input: EnrollInput, now: () => number = Date.now): Promise<Unit> {
  const serverUrl = input.serverUrl.trim().replace(/\/+$/, '');
  const body: EnrollRequest = {
    protocol: PROTOCOL_VERSION,
    code: input.code,
    deviceLabel: input.deviceLabel ?? 'tablet',
    appVersion: input.appVersion ?? 'unknown',
  };
  let res: Response;
  try {
    res = await transport.fetch(
      new Request(`${serverUrl}/api/v1/enroll`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    );
  } catch (err) {
    throw new SyncFailure('offline', 'the server could not be reached', true, err);
  }
  const json: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const error = SyncErrorBody.safeParse(json);
    const code = error.success ? error.data.error : 'internal';
    if (code === 'unauthorized' || code === 'invalidRequest') throw new SyncFailure('unauthorized', 'the code is unknown, used or expired', false);
    if (code === 'clientTooOld') throw new SyncFailure('clientTooOld', 'update the app', false);
    if (res.status === 429) {
      const wait = Number(res.headers.get('retry-after'));
      throw new SyncFailure('tooManyAttempts', 'too many attempts; wait', false, undefined, Number.isFinite(wait) && wait > 0 ? wait : 60);
    }
    throw new SyncFailure('serverError', `HTTP ${res.status}`, true);
  }
  const answer = EnrollResponse.safeParse(json);
  if (!answer.success) throw new SyncFailure('serverError', 'the server sent an answer this app cannot read', true);
  await rekey(db, serverUrl, answer.data, now(), body.deviceLabel ?? 'tablet');
  return answer.data.unit;
}

async function rekey(db: NedenfraDb, serverUrl: string, answer: EnrollResponse, now: number, deviceLabel: string): Promise<void> {
  const unit = answer.unit;
  const tables = [...TABLE_NAMES.map((t) => db.table(t)), db.syncMeta, db.outbox, db.kv];
  await withReopen(db, () =>
    db.transaction('rw', tables, async () => {
      const previous = await getEnrollment(db);
      const localUnitId = (await db.kv.get(CURRENT_UNIT_KEY))?.value;
      const oldIds = new Set([localUnitId, previous?.unitId].filter((id): id is string => typeof id === 'string' && id !== unit.id));
      for (const oldId of oldIds) {
        for (const name of TABLE_NAMES) {
          if (name === 'units') continue;
          await db
            .table(name)
            .filter((r: { unitId?: string }) => r.unitId === oldId)
            .modify((r: { unitId: string }) => {
              r.unitId = unit.id;
            });
        }
        // Units are the administrator's: queued changes to the local unit are dropped with it.
        await db.outbox.where('[table+recordId]').equals(['units', oldId]).delete();
        await db.outbox
          .filter((row) => row.fields?.unitId === oldId)
          .modify((row) => {
            row.fields = { ...row.fields, unitId: unit.id };
          });
        await db.units.delete(oldId);
        await db.syncMeta.delete(metaKey('units', oldId));
      }
      await db.units.put(unit);
      await db.kv.put({ key: CURRENT_UNIT_KEY, value: unit.id });
      const enrollment: Enrollment = {
        serverUrl,
        token: answer.token,
        deviceId: answer.deviceId,
        unitId: unit.id,
        unitName: unit.name,
        enrolledAt: now,
        deviceLabel,
        needsReenroll: false,
      };
      await db.kv.put({ key: ENROLLMENT_KEY, value: enrollment });
      await db.kv.put({ key: SYNC_STATE_KEY, value: { ...INITIAL_SYNC_STATE, epoch: answer.epoch } });
    }),
  );
}

/**
 * What the enrollment screen should show: enrolled, never enrolled, or the
 * server refused the token (revoked, expired, or the tablet's storage was
 * wiped and a stale token cannot exist) → ask for a new code.
 */
export async function enrollmentStatus(db: NedenfraDb): Promise<'enrolled' | 'notEnrolled' | 'needsReenroll'> {
  const enrollment = await withReopen(db, () => getEnrollment(db));
  if (!enrollment) return 'notEnrolled';
  return enrollment.needsReenroll ? 'needsReenroll' : 'enrolled';
}
