/**
 * The storage transaction methods, written once in the SQL both back ends
 * understand (`?` placeholders, ON CONFLICT, RETURNING). Each back end only
 * supplies an executor and its dialect; see sqlite.ts and postgres.ts.
 */
import type { StoredRecord, TableName } from '../../domain';
import { ConsoleSqlTx } from './consoleTx';
import { writeFacts } from './facts';
import { num, numOrNull, type Row, type SqlExecutor } from './sql';
import type {
  BlobInfo,
  BlobUpload,
  Device,
  DeviceReportRow,
  EnrollmentCodeRow,
  LoggedConflict,
  NewDevice,
  RateLimitCount,
  RecentAnswer,
  SequencedRow,
  ServerState,
  StoredBlob,
  StoredRow,
  WriteTx,
} from './types';

export type { Row, SqlExecutor } from './sql';

function toRecord(r: Row): StoredRow {
  return {
    table: r.table_name as TableName,
    id: r.id as string,
    unitId: r.unit_id as string,
    data: JSON.parse(r.data as string) as Record<string, unknown>,
    clocks: JSON.parse(r.clocks as string) as Record<string, string>,
    deleted: num(r.deleted) === 1,
    serverSeq: numOrNull(r.server_seq),
  };
}

function toConflict(r: Row): LoggedConflict {
  return {
    table: r.table_name as TableName,
    recordId: r.record_id as string,
    field: r.field as string,
    winnerHlc: r.winner_hlc as string,
    loserHlc: r.loser_hlc as string,
    loserValue: JSON.parse(r.loser_value as string) as unknown,
    unitId: r.unit_id as string,
    deviceId: r.device_id as string,
    at: num(r.created_at),
  };
}

function toDevice(r: Row): Device {
  return {
    deviceId: r.device_id as string,
    unitId: r.unit_id as string,
    label: r.label as string,
    createdAt: num(r.created_at),
    expiresAt: numOrNull(r.expires_at),
    revokedAt: numOrNull(r.revoked_at),
    lastAppliedSeq: num(r.last_applied_seq),
    lastSeenAt: numOrNull(r.last_seen_at),
    appVersion: r.app_version as string,
    unsent: numOrNull(r.unsent),
    storagePersisted: r.storage_persisted === null || r.storage_persisted === undefined ? null : num(r.storage_persisted) === 1,
  };
}

/** Rows per multi-row statement: one round trip per push batch instead of one per record (bench P6). */
const BATCH_ROWS = 200;

const RECORD_COLUMNS = 'table_name, id, unit_id, data, clocks, deleted, server_seq';

/** The idea a record belongs to (indexed: an idea's status is derived from its decisions and evaluations). */
const ideaIdOf = (r: StoredRecord): string | null => (r.table !== 'ideas' && typeof r.data.ideaId === 'string' ? r.data.ideaId : null);

/** When a tombstone was made: its delete's clock (retention purges by it); null for a live record. */
const deletedAtOf = (r: StoredRecord): number | null => {
  if (!r.deleted) return null;
  const wall = Number(r.clocks._deleted?.slice(0, 15));
  return Number.isFinite(wall) ? wall : 0;
};
const DEVICE_COLUMNS =
  'device_id, unit_id, label, created_at, expires_at, revoked_at, last_applied_seq, last_seen_at, app_version, unsent, storage_persisted';

const persistedValue = (p: boolean | null | undefined) => (p === undefined || p === null ? null : p ? 1 : 0);

export class SqlTx implements WriteTx {
  /** PostgreSQL: this transaction stored records without a seq; the storage sequences them after commit. */
  wroteUnsequenced = false;
  readonly console: ConsoleSqlTx;

  constructor(private readonly db: SqlExecutor) {
    this.console = new ConsoleSqlTx(db);
  }

  private get postgres() {
    return this.db.dialect === 'postgres';
  }

  async state(): Promise<ServerState> {
    return this.readState('');
  }

  async lockState(): Promise<ServerState> {
    return this.readState(this.postgres ? ' FOR UPDATE' : '');
  }

  private async readState(suffix: string): Promise<ServerState> {
    const [r] = await this.db.query(`SELECT epoch, server_seq, horizon FROM server_state WHERE id = 1${suffix}`);
    if (!r) throw new Error('server_state row missing: migrations not applied');
    return { epoch: r.epoch as string, serverSeq: num(r.server_seq), horizon: num(r.horizon) };
  }

  async scanRecords(afterSeq: number, limit: number): Promise<SequencedRow[]> {
    const rows = await this.db.query(`SELECT ${RECORD_COLUMNS} FROM records WHERE server_seq > ? ORDER BY server_seq LIMIT ?`, [
      afterSeq,
      limit,
    ]);
    return rows.map(toRecord) as SequencedRow[];
  }

  async getRecord(table: TableName, id: string): Promise<StoredRow | undefined> {
    const [r] = await this.db.query(`SELECT ${RECORD_COLUMNS} FROM records WHERE table_name = ? AND id = ?`, [table, id]);
    return r && toRecord(r);
  }

  async getRecords(keys: { table: TableName; id: string }[]): Promise<StoredRow[]> {
    const found: StoredRow[] = [];
    for (let i = 0; i < keys.length; i += BATCH_ROWS) {
      const chunk = keys.slice(i, i + BATCH_ROWS);
      const rows = await this.db.query(
        `SELECT ${RECORD_COLUMNS} FROM records WHERE (table_name, id) IN (${chunk.map(() => '(?, ?)').join(', ')})`,
        chunk.flatMap((k) => [k.table, k.id]),
      );
      found.push(...rows.map(toRecord));
    }
    return found;
  }

  async listRecords(table: TableName): Promise<StoredRow[]> {
    const rows = await this.db.query(`SELECT ${RECORD_COLUMNS} FROM records WHERE table_name = ? ORDER BY server_seq`, [table]);
    return rows.map(toRecord);
  }

  async unitRecords(table: TableName, unitId: string): Promise<StoredRow[]> {
    const rows = await this.db.query(
      `SELECT ${RECORD_COLUMNS} FROM records WHERE table_name = ? AND unit_id = ? AND deleted = 0 ORDER BY server_seq`,
      [table, unitId],
    );
    return rows.map(toRecord);
  }

  async tableRecordsPage(table: TableName, afterId: string, limit: number): Promise<StoredRow[]> {
    const rows = await this.db.query(`SELECT ${RECORD_COLUMNS} FROM records WHERE table_name = ? AND id > ? ORDER BY id LIMIT ?`, [
      table,
      afterId,
      limit,
    ]);
    return rows.map(toRecord);
  }

  async ideasWithPhoto(sha256: string): Promise<StoredRow[]> {
    const rows = await this.db.query(`SELECT ${RECORD_COLUMNS} FROM records WHERE table_name = 'ideas' AND data LIKE ?`, [`%"${sha256}"%`]);
    return rows.map(toRecord).filter((r) => Array.isArray(r.data.photos) && r.data.photos.includes(sha256));
  }

  async conflictsPage(afterId: number, limit: number): Promise<Array<LoggedConflict & { id: number }>> {
    const rows = await this.db.query('SELECT * FROM conflicts WHERE id > ? ORDER BY id LIMIT ?', [afterId, limit]);
    return rows.map((r) => ({ ...toConflict(r), id: num(r.id) }));
  }

  async setConflictValue(id: number, loserValue: unknown): Promise<void> {
    await this.db.query('UPDATE conflicts SET loser_value = ? WHERE id = ?', [JSON.stringify(loserValue ?? null), id]);
  }

  async lockDevice(deviceId: string): Promise<{ device: Device; state: ServerState; recentAnswers: RecentAnswer[] } | undefined> {
    const [r] = await this.db.query(
      `SELECT ${DEVICE_COLUMNS}, recent_answers, epoch, server_seq, horizon FROM devices CROSS JOIN server_state
       WHERE device_id = ? AND id = 1${this.postgres ? ' FOR UPDATE OF devices' : ''}`,
      [deviceId],
    );
    return (
      r && {
        device: toDevice(r),
        state: { epoch: r.epoch as string, serverSeq: num(r.server_seq), horizon: num(r.horizon) },
        recentAnswers: JSON.parse(r.recent_answers as string) as RecentAnswer[],
      }
    );
  }

  async lockRecords(keys: { table: TableName; id: string }[]): Promise<void> {
    if (!this.postgres || keys.length === 0) return;
    // Sorted in the subquery, so every writer takes its locks in the same order.
    await this.db.query(
      `SELECT pg_advisory_xact_lock(k) FROM (
         SELECT DISTINCT hashtextextended(t || '/' || i, 0) AS k FROM unnest(?::text[], ?::text[]) AS u(t, i) ORDER BY k
       ) AS sorted`,
      [keys.map((k) => k.table), keys.map((k) => k.id)],
    );
  }

  async writeRecords(records: StoredRecord[]): Promise<void> {
    if (records.length === 0) return;
    if (this.postgres) {
      this.wroteUnsequenced = true;
      await this.putRecords(records.map((record) => ({ record, serverSeq: null })));
    } else {
      const first = await this.allocateServerSeqs(records.length);
      await this.putRecords(records.map((record, i) => ({ record, serverSeq: first + i })));
    }
    // The console's read model, in the same transaction (facts.ts).
    await writeFacts(this.db, records);
  }

  /** Allocate `n` consecutive seqs; the counter row stays locked until commit, so seqs commit in order. */
  private async allocateServerSeqs(n: number): Promise<number> {
    const [r] = await this.db.query('UPDATE server_state SET server_seq = server_seq + ? WHERE id = 1 RETURNING server_seq', [n]);
    return num(r!.server_seq) - n + 1;
  }

  private async putRecords(rows: { record: StoredRecord; serverSeq: number | null }[]): Promise<void> {
    for (let i = 0; i < rows.length; i += BATCH_ROWS) {
      const chunk = rows.slice(i, i + BATCH_ROWS);
      await this.db.query(
        `INSERT INTO records (${RECORD_COLUMNS}, idea_id, deleted_at) VALUES ${chunk.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}
         ON CONFLICT (table_name, id) DO UPDATE SET unit_id = excluded.unit_id, data = excluded.data,
           clocks = excluded.clocks, deleted = excluded.deleted, server_seq = excluded.server_seq, idea_id = excluded.idea_id,
           deleted_at = excluded.deleted_at`,
        chunk.flatMap(({ record: r, serverSeq }) => [
          r.table,
          r.id,
          r.unitId,
          JSON.stringify(r.data),
          JSON.stringify(r.clocks),
          r.deleted ? 1 : 0,
          serverSeq,
          ideaIdOf(r),
          deletedAtOf(r),
        ]),
      );
    }
  }

  async addConflicts(conflicts: LoggedConflict[]): Promise<void> {
    for (const c of conflicts) {
      await this.db.query(
        `INSERT INTO conflicts (table_name, record_id, field, winner_hlc, loser_hlc, loser_value, unit_id, device_id, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [c.table, c.recordId, c.field, c.winnerHlc, c.loserHlc, JSON.stringify(c.loserValue ?? null), c.unitId, c.deviceId, c.at],
      );
    }
  }

  async listConflicts(): Promise<LoggedConflict[]> {
    const rows = await this.db.query('SELECT * FROM conflicts ORDER BY id');
    return rows.map(toConflict);
  }

  async findDeviceByTokenHash(tokenHash: string): Promise<Device | undefined> {
    const [r] = await this.db.query(`SELECT ${DEVICE_COLUMNS} FROM devices WHERE token_hash = ?`, [tokenHash]);
    return r && toDevice(r);
  }

  async getDevice(deviceId: string): Promise<Device | undefined> {
    const [r] = await this.db.query(`SELECT ${DEVICE_COLUMNS} FROM devices WHERE device_id = ?`, [deviceId]);
    return r && toDevice(r);
  }

  async listDevices(): Promise<Device[]> {
    const rows = await this.db.query(`SELECT ${DEVICE_COLUMNS} FROM devices ORDER BY created_at, device_id`);
    return rows.map(toDevice);
  }

  async insertDevice(d: NewDevice): Promise<void> {
    await this.db.query(`INSERT INTO devices (${DEVICE_COLUMNS}, token_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, [
      d.deviceId,
      d.unitId,
      d.label,
      d.createdAt,
      d.expiresAt,
      d.revokedAt,
      d.lastAppliedSeq,
      d.lastSeenAt,
      d.appVersion,
      d.unsent,
      persistedValue(d.storagePersisted),
      d.tokenHash,
    ]);
  }

  async updateDeviceSync(
    deviceId: string,
    p: {
      lastAppliedSeq: number;
      lastSeenAt: number;
      appVersion: string;
      recentAnswers: RecentAnswer[];
      unsent?: number;
      storagePersisted?: boolean | null;
    },
  ): Promise<void> {
    // A report field the tablet did not send keeps its last value (older apps send none).
    await this.db.query(
      `UPDATE devices SET last_applied_seq = ?, last_seen_at = ?, app_version = ?, recent_answers = ?,
         unsent = COALESCE(?, unsent), storage_persisted = COALESCE(?, storage_persisted) WHERE device_id = ?`,
      [
        p.lastAppliedSeq,
        p.lastSeenAt,
        p.appVersion,
        JSON.stringify(p.recentAnswers),
        p.unsent ?? null,
        persistedValue(p.storagePersisted),
        deviceId,
      ],
    );
  }

  async reportDevice(deviceId: string, r: DeviceReportRow): Promise<void> {
    await this.db.query(
      `UPDATE devices SET last_seen_at = ?, app_version = COALESCE(?, app_version),
         unsent = COALESCE(?, unsent), storage_persisted = COALESCE(?, storage_persisted) WHERE device_id = ?`,
      [r.lastSeenAt, r.appVersion ?? null, r.unsent ?? null, persistedValue(r.storagePersisted), deviceId],
    );
  }

  async revokeDevice(deviceId: string, at: number): Promise<boolean> {
    const rows = await this.db.query('UPDATE devices SET revoked_at = ? WHERE device_id = ? AND revoked_at IS NULL RETURNING device_id', [
      at,
      deviceId,
    ]);
    return rows.length > 0;
  }

  async insertEnrollmentCode(c: EnrollmentCodeRow): Promise<void> {
    await this.db.query('INSERT INTO enrollment_codes (code_hash, unit_id, created_at, expires_at) VALUES (?, ?, ?, ?)', [
      c.codeHash,
      c.unitId,
      c.createdAt,
      c.expiresAt,
    ]);
  }

  async consumeEnrollmentCode(codeHash: string, now: number, deviceId: string): Promise<string | undefined> {
    const [r] = await this.db.query(
      `UPDATE enrollment_codes SET used_at = ?, device_id = ?
       WHERE code_hash = ? AND used_at IS NULL AND expires_at > ? RETURNING unit_id`,
      [now, deviceId, codeHash, now],
    );
    return r?.unit_id as string | undefined;
  }

  async setEpoch(epoch: string): Promise<void> {
    await this.db.query('UPDATE server_state SET epoch = ? WHERE id = 1', [epoch]);
  }

  async purgeTombstones(beforeSeq: number): Promise<number> {
    const rows = await this.db.query('DELETE FROM records WHERE deleted = 1 AND server_seq < ? RETURNING id', [beforeSeq]);
    await this.db.query('UPDATE server_state SET horizon = ? WHERE id = 1 AND horizon < ?', [beforeSeq - 1, beforeSeq - 1]);
    return rows.length;
  }

  async purgeTombstonesDeletedBefore(before: number): Promise<number> {
    // Unnumbered rows (PostgreSQL, right after a push) are left for the next round: the horizon is a seq.
    const rows = await this.db.query(
      'DELETE FROM records WHERE deleted = 1 AND deleted_at < ? AND server_seq IS NOT NULL RETURNING server_seq',
      [before],
    );
    if (rows.length === 0) return 0;
    const highest = Math.max(...rows.map((r) => num(r.server_seq)));
    await this.db.query('UPDATE server_state SET horizon = ? WHERE id = 1 AND horizon < ?', [highest, highest]);
    return rows.length;
  }

  async purgeConflictsBefore(before: number): Promise<number> {
    return (await this.db.query('DELETE FROM conflicts WHERE created_at < ? RETURNING id', [before])).length;
  }

  async tryExclusive(name: string): Promise<boolean> {
    if (!this.postgres) return true;
    const [r] = await this.db.query("SELECT pg_try_advisory_xact_lock(hashtextextended('chore/' || ?::text, 0)) AS ok", [name]);
    return r?.ok === true;
  }

  async blobInfo(sha256: string): Promise<BlobInfo | undefined> {
    // SQLite answers this from the blobs_size index, without touching the row (and its bytes).
    const [r] = await this.db.query('SELECT sha256, size, unit_id FROM blobs WHERE sha256 = ?', [sha256]);
    return r && { sha256: r.sha256 as string, size: num(r.size), unitId: (r.unit_id as string | null) ?? null };
  }

  async readBlob(sha256: string): Promise<StoredBlob | undefined> {
    const [r] = await this.db.query('SELECT sha256, size, unit_id, data FROM blobs WHERE sha256 = ?', [sha256]);
    if (!r) return undefined;
    return {
      sha256: r.sha256 as string,
      size: num(r.size),
      unitId: (r.unit_id as string | null) ?? null,
      data: Buffer.from(r.data as Uint8Array),
    };
  }

  async uploadReceived(sha256: string, deviceId: string, since: number): Promise<number> {
    const [r] = await this.db.query('SELECT received FROM blob_uploads WHERE sha256 = ? AND device_id = ? AND updated_at >= ?', [
      sha256,
      deviceId,
      since,
    ]);
    return r ? num(r.received) : 0;
  }

  async unitBlobBytes(unitId: string, since: number): Promise<number> {
    const [r] = await this.db.query(
      `SELECT (SELECT COALESCE(SUM(size), 0) FROM blobs WHERE unit_id = ?)
            + (SELECT COALESCE(SUM(total), 0) FROM blob_uploads WHERE unit_id = ? AND updated_at >= ?) AS bytes`,
      [unitId, unitId, since],
    );
    return num(r?.bytes ?? 0);
  }

  async lockBlob(sha256: string): Promise<void> {
    if (this.postgres) await this.db.query("SELECT pg_advisory_xact_lock(hashtextextended('blob/' || ?::text, 0))", [sha256]);
  }

  async getUpload(sha256: string, deviceId: string): Promise<BlobUpload | undefined> {
    const [r] = await this.db.query(
      'SELECT sha256, device_id, unit_id, total, created_at, updated_at, data FROM blob_uploads WHERE sha256 = ? AND device_id = ?',
      [sha256, deviceId],
    );
    if (!r) return undefined;
    return {
      sha256: r.sha256 as string,
      deviceId: r.device_id as string,
      unitId: r.unit_id as string,
      total: num(r.total),
      createdAt: num(r.created_at),
      updatedAt: num(r.updated_at),
      data: Buffer.from(r.data as Uint8Array),
    };
  }

  async putUpload(u: BlobUpload): Promise<void> {
    await this.db.query(
      `INSERT INTO blob_uploads (sha256, device_id, unit_id, total, received, created_at, updated_at, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (sha256, device_id) DO UPDATE SET unit_id = excluded.unit_id, total = excluded.total, received = excluded.received,
         created_at = excluded.created_at, updated_at = excluded.updated_at, data = excluded.data`,
      [u.sha256, u.deviceId, u.unitId, u.total, u.data.length, u.createdAt, u.updatedAt, u.data],
    );
  }

  async deleteUploads(sha256: string, deviceId?: string): Promise<void> {
    if (deviceId === undefined) await this.db.query('DELETE FROM blob_uploads WHERE sha256 = ?', [sha256]);
    else await this.db.query('DELETE FROM blob_uploads WHERE sha256 = ? AND device_id = ?', [sha256, deviceId]);
  }

  async purgeUploads(before: number): Promise<number> {
    return (await this.db.query('DELETE FROM blob_uploads WHERE updated_at < ? RETURNING sha256', [before])).length;
  }

  async insertBlob(b: StoredBlob & { deviceId: string; createdAt: number }): Promise<void> {
    await this.db.query(
      `INSERT INTO blobs (sha256, data, total, complete, updated_at, size, unit_id, device_id) VALUES (?, ?, ?, 1, ?, ?, ?, ?)
       ON CONFLICT (sha256) DO NOTHING`,
      [b.sha256, b.data, b.size, b.createdAt, b.size, b.unitId, b.deviceId],
    );
  }

  async deleteUnshownBlobs(sha256s: string[]): Promise<number> {
    let deleted = 0;
    for (const sha256 of sha256s) {
      // Photos are rare to delete: a scan of the ideas' text for the hash is cheaper than keeping an index of them.
      const shown = await this.db.query(
        "SELECT 1 AS shown FROM records WHERE table_name = 'ideas' AND deleted = 0 AND data LIKE ? LIMIT 1",
        [`%"${sha256}"%`],
      );
      if (shown.length > 0) continue;
      deleted += (await this.db.query('DELETE FROM blobs WHERE sha256 = ? RETURNING sha256', [sha256])).length;
      await this.db.query('DELETE FROM blob_uploads WHERE sha256 = ?', [sha256]);
    }
    return deleted;
  }

  async countAttempt(rule: string, subject: string, now: number, windowMs: number): Promise<RateLimitCount> {
    const [r] = await this.db.query(
      `INSERT INTO rate_limits (rule, subject, points, window_ends_at) VALUES (?, ?, 1, ?)
       ON CONFLICT (rule, subject) DO UPDATE SET
         points = CASE WHEN rate_limits.window_ends_at <= ? THEN 1 ELSE rate_limits.points + 1 END,
         window_ends_at = CASE WHEN rate_limits.window_ends_at <= ? THEN excluded.window_ends_at ELSE rate_limits.window_ends_at END
       RETURNING points, window_ends_at`,
      [rule, subject, now + windowMs, now, now],
    );
    return { points: num(r!.points), windowEndsAt: num(r!.window_ends_at) };
  }

  async clearAttempts(rule: string, subject: string): Promise<void> {
    await this.db.query('DELETE FROM rate_limits WHERE rule = ? AND subject = ?', [rule, subject]);
  }

  async purgeAttempts(before: number): Promise<number> {
    return (await this.db.query('DELETE FROM rate_limits WHERE window_ends_at < ? RETURNING rule', [before])).length;
  }

  // ── Sync integrity (issue #9): derived idea status, lost-edit notices ───────

  async listByIdea(tables: TableName[], ideaIds: string[]): Promise<StoredRow[]> {
    const found: StoredRow[] = [];
    for (let i = 0; i < ideaIds.length; i += BATCH_ROWS) {
      const chunk = ideaIds.slice(i, i + BATCH_ROWS);
      const rows = await this.db.query(
        `SELECT ${RECORD_COLUMNS} FROM records WHERE idea_id IN (${chunk.map(() => '?').join(', ')})
         AND table_name IN (${tables.map(() => '?').join(', ')})`,
        [...chunk, ...tables],
      );
      found.push(...rows.map(toRecord));
    }
    return found;
  }

  async lockIdeaStatus(ideaIds: string[]): Promise<void> {
    if (!this.postgres || ideaIds.length === 0) return;
    // Its own key space ('status/…'), taken after every record lock and in one sorted pass: see WriteTx.lockIdeaStatus.
    await this.db.query(
      `SELECT pg_advisory_xact_lock(k) FROM (
         SELECT DISTINCT hashtextextended('status/' || i, 0) AS k FROM unnest(?::text[]) AS u(i) ORDER BY k
       ) AS sorted`,
      [ideaIds],
    );
  }

  async conflictsOn(unitId: string, recordIds: string[]): Promise<LoggedConflict[]> {
    const found: LoggedConflict[] = [];
    for (let i = 0; i < recordIds.length; i += BATCH_ROWS) {
      const chunk = recordIds.slice(i, i + BATCH_ROWS);
      const rows = await this.db.query(
        `SELECT * FROM conflicts WHERE unit_id = ? AND record_id IN (${chunk.map(() => '?').join(', ')}) ORDER BY id`,
        [unitId, ...chunk],
      );
      found.push(...rows.map(toConflict));
    }
    return found;
  }
}
