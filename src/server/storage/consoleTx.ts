/**
 * The municipal console's storage methods (ConsoleReadTx / ConsoleWriteTx in
 * types.ts), written once in SQL both back ends run. The overview's figures
 * are a handful of aggregate queries over record_facts (see facts.ts); the
 * rules that turn them into figures are pure functions in
 * src/domain/readModels/overview.ts.
 *
 * Unit filters are one parameter whatever their length (PostgreSQL: an
 * array; SQLite: a JSON array through json_each), so statement texts stay
 * fixed for postgres.ts's named prepared statements.
 */
import { DECIDED_STATUSES } from '../../domain';
import type { Role } from '../../domain/console/roles';
import type { FactTable } from '../../domain/readModels/facts';
import { OVERVIEW_PARTS, type OverviewAggregates, type OverviewPart } from '../../domain/readModels/overview';
import { bool, num, numOrNull, type Row, type SqlExecutor } from './sql';
import type {
  AccountLinkRow,
  AccountRow,
  AuditRow,
  ConsoleWriteTx,
  FactFilter,
  FactRecord,
  LinkPurpose,
  MeetingRow,
  OidcLoginRow,
  ReportChangeRow,
  ReportDecisionRow,
  SessionRow,
} from './types';

const ACCOUNT_COLUMNS = 'id, email, name, role, unit_id, password_hash, oidc_subject, created_at, disabled_at, last_sign_in_at';

function toAccount(r: Row): AccountRow {
  return {
    id: r.id as string,
    email: r.email as string,
    name: r.name as string,
    role: r.role as Role,
    unitId: (r.unit_id as string | null) ?? null,
    passwordHash: (r.password_hash as string | null) ?? null,
    oidcSubject: (r.oidc_subject as string | null) ?? null,
    createdAt: num(r.created_at),
    disabledAt: numOrNull(r.disabled_at),
    lastSignInAt: numOrNull(r.last_sign_in_at),
  };
}

const ACCOUNT_FIELDS: Record<keyof Omit<AccountRow, 'id' | 'createdAt'>, string> = {
  email: 'email',
  name: 'name',
  role: 'role',
  unitId: 'unit_id',
  passwordHash: 'password_hash',
  oidcSubject: 'oidc_subject',
  disabledAt: 'disabled_at',
  lastSignInAt: 'last_sign_in_at',
};

const parse = (data: unknown) => JSON.parse(data as string) as Record<string, unknown>;

export class ConsoleSqlTx implements ConsoleWriteTx {
  constructor(private readonly db: SqlExecutor) {}

  /** `column` is one of `unitIds` (null: no filter) — one parameter whatever the length. */
  private unitsClause(column: string, unitIds: string[] | null): { sql: string; params: unknown[] } {
    if (unitIds === null) return { sql: '', params: [] };
    return this.db.dialect === 'postgres'
      ? { sql: ` AND ${column} = ANY(?::text[])`, params: [unitIds] }
      : { sql: ` AND ${column} IN (SELECT value FROM json_each(?))`, params: [JSON.stringify(unitIds)] };
  }

  private anyOf(column: string, values: string[]): { sql: string; params: unknown[] } {
    return this.db.dialect === 'postgres'
      ? { sql: `${column} = ANY(?::text[])`, params: [values] }
      : { sql: `${column} IN (SELECT value FROM json_each(?))`, params: [JSON.stringify(values)] };
  }

  // ------------------------------------------------------------- accounts

  async countAccounts(): Promise<number> {
    const [r] = await this.db.query('SELECT COUNT(*) AS n FROM accounts');
    return num(r?.n ?? 0);
  }

  async getAccount(id: string): Promise<AccountRow | undefined> {
    const [r] = await this.db.query(`SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE id = ?`, [id]);
    return r && toAccount(r);
  }

  async findAccountByEmail(email: string): Promise<AccountRow | undefined> {
    const [r] = await this.db.query(`SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE email = ?`, [email]);
    return r && toAccount(r);
  }

  async findAccountBySubject(subject: string): Promise<AccountRow | undefined> {
    const [r] = await this.db.query(`SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE oidc_subject = ?`, [subject]);
    return r && toAccount(r);
  }

  async listAccounts(): Promise<AccountRow[]> {
    return (await this.db.query(`SELECT ${ACCOUNT_COLUMNS} FROM accounts ORDER BY email`)).map(toAccount);
  }

  async insertAccount(a: AccountRow): Promise<void> {
    await this.db.query(`INSERT INTO accounts (${ACCOUNT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, [
      a.id,
      a.email,
      a.name,
      a.role,
      a.unitId,
      a.passwordHash,
      a.oidcSubject,
      a.createdAt,
      a.disabledAt,
      a.lastSignInAt,
    ]);
  }

  async updateAccount(id: string, patch: Partial<Omit<AccountRow, 'id' | 'createdAt'>>): Promise<void> {
    // One statement per field: fixed texts, and an account changes rarely.
    for (const [field, column] of Object.entries(ACCOUNT_FIELDS) as Array<[keyof typeof ACCOUNT_FIELDS, string]>) {
      if (field in patch) await this.db.query(`UPDATE accounts SET ${column} = ? WHERE id = ?`, [patch[field] ?? null, id]);
    }
  }

  // ---------------------------------------------------------------- links

  async insertLink(l: AccountLinkRow): Promise<void> {
    await this.db.query('INSERT INTO account_links (token_hash, account_id, purpose, created_at, expires_at) VALUES (?, ?, ?, ?, ?)', [
      l.tokenHash,
      l.accountId,
      l.purpose,
      l.createdAt,
      l.expiresAt,
    ]);
  }

  async consumeLink(tokenHash: string, now: number): Promise<AccountLinkRow | undefined> {
    const [r] = await this.db.query(
      `UPDATE account_links SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?
       RETURNING token_hash, account_id, purpose, created_at, expires_at`,
      [now, tokenHash, now],
    );
    return (
      r && {
        tokenHash: r.token_hash as string,
        accountId: r.account_id as string,
        purpose: r.purpose as LinkPurpose,
        createdAt: num(r.created_at),
        expiresAt: num(r.expires_at),
      }
    );
  }

  async retireLinks(accountId: string, now: number): Promise<void> {
    await this.db.query('UPDATE account_links SET used_at = ? WHERE account_id = ? AND used_at IS NULL', [now, accountId]);
  }

  // ------------------------------------------------------------- sessions

  async findSession(idHash: string): Promise<SessionRow | undefined> {
    const [r] = await this.db.query(
      'SELECT id_hash, account_id, csrf_token, created_at, last_seen_at, expires_at FROM console_sessions WHERE id_hash = ?',
      [idHash],
    );
    return (
      r && {
        idHash: r.id_hash as string,
        accountId: r.account_id as string,
        csrfToken: r.csrf_token as string,
        createdAt: num(r.created_at),
        lastSeenAt: num(r.last_seen_at),
        expiresAt: num(r.expires_at),
      }
    );
  }

  async insertSession(s: SessionRow): Promise<void> {
    await this.db.query(
      'INSERT INTO console_sessions (id_hash, account_id, csrf_token, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)',
      [s.idHash, s.accountId, s.csrfToken, s.createdAt, s.lastSeenAt, s.expiresAt],
    );
  }

  async touchSession(idHash: string, now: number): Promise<void> {
    await this.db.query('UPDATE console_sessions SET last_seen_at = ? WHERE id_hash = ?', [now, idHash]);
  }

  async deleteSession(idHash: string): Promise<void> {
    await this.db.query('DELETE FROM console_sessions WHERE id_hash = ?', [idHash]);
  }

  async deleteSessionsOf(accountId: string): Promise<number> {
    return (await this.db.query('DELETE FROM console_sessions WHERE account_id = ? RETURNING id_hash', [accountId])).length;
  }

  async purgeExpired(now: number, idleMs: number, oidcMaxAgeMs: number): Promise<void> {
    await this.db.query('DELETE FROM console_sessions WHERE expires_at <= ? OR last_seen_at <= ?', [now, now - idleMs]);
    await this.db.query('DELETE FROM oidc_logins WHERE created_at <= ?', [now - oidcMaxAgeMs]);
  }

  async insertOidcLogin(l: OidcLoginRow): Promise<void> {
    await this.db.query('INSERT INTO oidc_logins (state_hash, code_verifier, nonce, created_at) VALUES (?, ?, ?, ?)', [
      l.stateHash,
      l.codeVerifier,
      l.nonce,
      l.createdAt,
    ]);
  }

  async takeOidcLogin(stateHash: string): Promise<OidcLoginRow | undefined> {
    const [r] = await this.db.query('DELETE FROM oidc_logins WHERE state_hash = ? RETURNING state_hash, code_verifier, nonce, created_at', [
      stateHash,
    ]);
    return (
      r && {
        stateHash: r.state_hash as string,
        codeVerifier: r.code_verifier as string,
        nonce: r.nonce as string,
        createdAt: num(r.created_at),
      }
    );
  }

  // ---------------------------------------------------------------- audit

  async addAudit(e: Omit<AuditRow, 'id'>): Promise<void> {
    await this.db.query(
      'INSERT INTO audit_log (at, actor_id, actor_label, action, target_type, target_id, detail) VALUES (?, ?, ?, ?, ?, ?, ?)',
      [e.at, e.actorId, e.actorLabel, e.action, e.targetType, e.targetId, JSON.stringify(e.detail)],
    );
  }

  async listAudit(before: number, limit: number): Promise<AuditRow[]> {
    const rows = await this.db.query(
      'SELECT id, at, actor_id, actor_label, action, target_type, target_id, detail FROM audit_log WHERE id < ? ORDER BY id DESC LIMIT ?',
      [before, limit],
    );
    return rows.map((r) => ({
      id: num(r.id),
      at: num(r.at),
      actorId: (r.actor_id as string | null) ?? null,
      actorLabel: r.actor_label as string,
      action: r.action as string,
      targetType: r.target_type as string,
      targetId: (r.target_id as string | null) ?? null,
      detail: parse(r.detail) as AuditRow['detail'],
    }));
  }

  // ------------------------------------------------------ units and codes

  async unitCounts(now: number): Promise<Array<{ unitId: string; tablets: number; openCodes: number }>> {
    const counts = new Map<string, { unitId: string; tablets: number; openCodes: number }>();
    const entry = (unitId: string) => counts.get(unitId) ?? counts.set(unitId, { unitId, tablets: 0, openCodes: 0 }).get(unitId)!;
    for (const r of await this.db.query('SELECT unit_id, COUNT(*) AS n FROM devices WHERE revoked_at IS NULL GROUP BY unit_id'))
      entry(r.unit_id as string).tablets = num(r.n);
    for (const r of await this.db.query(
      'SELECT unit_id, COUNT(*) AS n FROM enrollment_codes WHERE used_at IS NULL AND expires_at > ? GROUP BY unit_id',
      [now],
    ))
      entry(r.unit_id as string).openCodes = num(r.n);
    return [...counts.values()];
  }

  // --------------------------------------------------------- read models

  async overviewAggregates(filter: FactFilter, now: number, overdueListMax: number): Promise<OverviewAggregates> {
    const parts = {} as Record<OverviewPart, unknown>;
    for (const part of OVERVIEW_PARTS) parts[part] = await this.overviewPart(part, filter, now, overdueListMax);
    return parts as OverviewAggregates;
  }

  // Each query reads one compact row per idea (idea_facts, see facts.ts), or a covering index. A period usually
  // spans most ideas, so `+created_at` tells SQLite to scan the compact table in order rather than hop from
  // the index to every row (PostgreSQL reads the unary plus as a no-op and plans as it sees fit).
  async overviewPart<P extends OverviewPart>(
    part: P,
    filter: FactFilter,
    now: number,
    overdueListMax: number,
  ): Promise<OverviewAggregates[P]> {
    const { start, end } = filter;
    const u = this.unitsClause('unit_id', filter.unitIds);
    const q = async (sql: string, params: unknown[]) => this.db.query(sql, params);
    type Result = Promise<OverviewAggregates[P]>;
    switch (part) {
      case 'ideasByMonth':
        return (
          await q(
            `SELECT unit_id, month, COUNT(*) AS n FROM idea_facts WHERE +created_at >= ? AND +created_at < ?${u.sql} GROUP BY unit_id, month`,
            [start, end, ...u.params],
          )
        ).map((r) => ({ unitId: r.unit_id as string, month: r.month as string, count: num(r.n) })) as Awaited<Result>;
      case 'ideaCube':
        // Where each idea of the period stands; the domain maps (status, evaluated) to a funnel stage.
        return (
          await q(
            `SELECT unit_id, status, evaluated, kind, COUNT(*) AS n FROM idea_facts
             WHERE +created_at >= ? AND +created_at < ?${u.sql} GROUP BY unit_id, status, evaluated, kind`,
            [start, end, ...u.params],
          )
        ).map((r) => ({
          unitId: r.unit_id as string,
          status: r.status as string,
          evaluated: bool(r.evaluated),
          kind: (r.kind as string | null) ?? null,
          count: num(r.n),
        })) as Awaited<Result>;
      case 'sessions':
        return (
          await q(
            `SELECT unit_id, COUNT(*) AS n, SUM(COALESCE(amount, 0)) AS people FROM record_facts
             WHERE table_name = 'promptSessions' AND at >= ? AND at < ?${u.sql} GROUP BY unit_id`,
            [start, end, ...u.params],
          )
        ).map((r) => ({ unitId: r.unit_id as string, count: num(r.n), people: num(r.people ?? 0) })) as Awaited<Result>;
      case 'answerDays':
        // Days begun from the idea to its first published decision (answer_days, see facts.ts).
        return (
          await q(
            `SELECT unit_id, answer_days AS days, COUNT(*) AS n FROM idea_facts
             WHERE answered_at >= ? AND answered_at < ?${u.sql} GROUP BY unit_id, answer_days`,
            [start, end, ...u.params],
          )
        ).map((r) => ({ unitId: r.unit_id as string, days: Math.max(0, num(r.days)), count: num(r.n) })) as Awaited<Result>;
      case 'outcomes':
        return (
          await q(
            `SELECT unit_id, outcome, COUNT(*) AS n FROM record_facts
             WHERE table_name = 'unitDecisions' AND +at >= ? AND +at < ? AND state = 'published'${u.sql} GROUP BY unit_id, outcome`,
            [start, end, ...u.params],
          )
        ).map((r) => ({ unitId: r.unit_id as string, outcome: r.outcome as string, count: num(r.n) })) as Awaited<Result>;
      case 'activeChanges':
        return (
          await q(`SELECT unit_id, COUNT(*) AS n FROM idea_facts WHERE status IN ('adopted', 'pilot')${u.sql} GROUP BY unit_id`, u.params)
        ).map((r) => ({ unitId: r.unit_id as string, count: num(r.n) })) as Awaited<Result>;
      case 'overdue':
        // Unanswered past the unit's promise now (deadline = created + the unit's promise, see facts.ts).
        return (
          await q(`SELECT unit_id, COUNT(*) AS n FROM idea_facts WHERE unanswered = 1 AND deadline < ?${u.sql} GROUP BY unit_id`, [
            now,
            ...u.params,
          ])
        ).map((r) => ({ unitId: r.unit_id as string, count: num(r.n) })) as Awaited<Result>;
      case 'overdueList': {
        // Most overdue first: ids from the compact table, then only their texts (never a join over every record).
        const oldest = await q(
          `SELECT idea_id, unit_id, created_at FROM idea_facts WHERE unanswered = 1 AND deadline < ?${u.sql} ORDER BY deadline, idea_id LIMIT ?`,
          [now, ...u.params, overdueListMax],
        );
        const texts = new Map<string, string>();
        if (oldest.length > 0) {
          const ids = this.anyOf(
            'id',
            oldest.map((r) => r.idea_id as string),
          );
          for (const r of await q(`SELECT id, data FROM records WHERE table_name = 'ideas' AND ${ids.sql}`, ids.params)) {
            const text = parse(r.data).impossibleNow;
            texts.set(r.id as string, typeof text === 'string' ? text : '');
          }
        }
        return oldest.map((r) => ({
          ideaId: r.idea_id as string,
          unitId: r.unit_id as string,
          createdAt: num(r.created_at),
          text: texts.get(r.idea_id as string) ?? '',
        })) as Awaited<Result>;
      }
    }
    throw new Error(`unknown overview part ${String(part)}`);
  }

  async factRecordsPage(
    table: FactTable,
    filter: FactFilter,
    after: { at: number; id: string } | null,
    limit: number,
  ): Promise<FactRecord[]> {
    const u = this.unitsClause('f.unit_id', filter.unitIds);
    // Keyset on (at, id), the order of the record_facts_at index: each page is one index range, however deep.
    const rows = await this.db.query(
      `SELECT r.id, r.unit_id, r.data, f.at FROM record_facts f JOIN records r ON r.table_name = f.table_name AND r.id = f.id
       WHERE f.table_name = ? AND (f.at, f.id) > (?, ?) AND f.at < ?${u.sql} ORDER BY f.at, f.id LIMIT ?`,
      [table, after?.at ?? filter.start, after?.id ?? '', filter.end, ...u.params, limit],
    );
    return rows.map(toFactRecord);
  }

  async firstAnswers(ideaIds: string[]): Promise<Map<string, number>> {
    if (ideaIds.length === 0) return new Map();
    const ids = this.anyOf('idea_id', ideaIds);
    const rows = await this.db.query(
      `SELECT idea_id, answered_at FROM idea_facts WHERE answered_at IS NOT NULL AND ${ids.sql}`,
      ids.params,
    );
    return new Map(rows.map((r) => [r.idea_id as string, num(r.answered_at)]));
  }

  async forwardedIdeas(unitIds: string[] | null, limit: number): Promise<ReportDecisionRow[]> {
    const u = this.unitsClause('i.unit_id', unitIds);
    const rows = await this.db.query(
      `SELECT i.id AS idea_id, i.unit_id, i.at AS idea_at, ri.data AS idea_data, d.id AS decision_id, d.at AS decision_at, rd.data AS decision_data
       FROM record_facts i
       JOIN records ri ON ri.table_name = 'ideas' AND ri.id = i.id
       JOIN record_facts d ON d.table_name = 'unitDecisions' AND d.idea_id = i.id AND d.state = 'published' AND d.outcome = 'forward'
       JOIN records rd ON rd.table_name = 'unitDecisions' AND rd.id = d.id
       WHERE i.table_name = 'ideas' AND i.state = 'forwarded'${u.sql}
       ORDER BY d.at DESC, d.id DESC LIMIT ?`,
      [...u.params, limit],
    );
    // An idea forwarded twice appears twice: keep its latest forward.
    const seen = new Set<string>();
    return rows.flatMap((r) => {
      if (seen.has(r.idea_id as string)) return [];
      seen.add(r.idea_id as string);
      return [toDecisionRow(r)];
    });
  }

  async publishedDecisions(filter: FactFilter, limit: number): Promise<ReportDecisionRow[]> {
    const u = this.unitsClause('d.unit_id', filter.unitIds);
    const rows = await this.db.query(
      `SELECT i.id AS idea_id, i.unit_id, i.at AS idea_at, ri.data AS idea_data, d.id AS decision_id, d.at AS decision_at, rd.data AS decision_data
       FROM record_facts d
       JOIN records rd ON rd.table_name = 'unitDecisions' AND rd.id = d.id
       JOIN record_facts i ON i.table_name = 'ideas' AND i.id = d.idea_id
       JOIN records ri ON ri.table_name = 'ideas' AND ri.id = i.id
       WHERE d.table_name = 'unitDecisions' AND d.state = 'published' AND d.at >= ? AND d.at < ?${u.sql}
       ORDER BY d.at DESC, d.id DESC LIMIT ?`,
      [filter.start, filter.end, ...u.params, limit],
    );
    return rows.map(toDecisionRow);
  }

  async activeChanges(unitIds: string[] | null, limit: number): Promise<ReportChangeRow[]> {
    const u = this.unitsClause('i.unit_id', unitIds);
    const rows = await this.db.query(
      `SELECT i.id AS idea_id, i.unit_id, i.at AS idea_at, ri.data AS idea_data,
         (SELECT l.state FROM record_facts l WHERE l.table_name = 'ladderSteps' AND l.idea_id = i.id
          ORDER BY l.at DESC, l.id DESC LIMIT 1) AS step,
         (SELECT d.id FROM record_facts d WHERE d.table_name = 'unitDecisions' AND d.idea_id = i.id AND d.state = 'published'
            AND d.outcome IN ('adopt', 'pilot') ORDER BY d.at DESC, d.id DESC LIMIT 1) AS decision_id
       FROM record_facts i JOIN records ri ON ri.table_name = 'ideas' AND ri.id = i.id
       WHERE i.table_name = 'ideas' AND i.state IN ('adopted', 'pilot')${u.sql}
       ORDER BY i.at, i.id LIMIT ?`,
      [...u.params, limit],
    );
    const decisionIds = rows.flatMap((r) => (r.decision_id ? [r.decision_id as string] : []));
    const decisions = new Map<string, FactRecord>();
    if (decisionIds.length > 0) {
      const ids = this.anyOf('f.id', decisionIds);
      for (const r of await this.db.query(
        `SELECT r.id, r.unit_id, r.data, f.at FROM record_facts f JOIN records r ON r.table_name = f.table_name AND r.id = f.id
         WHERE f.table_name = 'unitDecisions' AND ${ids.sql}`,
        ids.params,
      ))
        decisions.set(r.id as string, toFactRecord(r));
    }
    return rows.map((r) => ({
      idea: { id: r.idea_id as string, unitId: r.unit_id as string, at: num(r.idea_at), data: parse(r.idea_data) },
      decision: r.decision_id ? (decisions.get(r.decision_id as string) ?? null) : null,
      step: (r.step as string | null) ?? null,
    }));
  }

  // ---------------------------------------------------- the steering group

  async listMeetings(): Promise<Array<MeetingRow & { agendaSize: number }>> {
    const rows = await this.db.query(
      `SELECT ${MEETING_COLUMNS}, (SELECT COUNT(*) FROM steering_agenda a WHERE a.meeting_id = m.id) AS agenda_size
       FROM steering_meetings m ORDER BY meets_on DESC, created_at DESC`,
    );
    return rows.map((r) => ({ ...toMeeting(r), agendaSize: num(r.agenda_size) }));
  }

  async getMeeting(id: string): Promise<MeetingRow | undefined> {
    const [r] = await this.db.query(`SELECT ${MEETING_COLUMNS} FROM steering_meetings WHERE id = ?`, [id]);
    return r && toMeeting(r);
  }

  async agendaOf(meetingId: string): Promise<string[]> {
    const rows = await this.db.query('SELECT idea_id FROM steering_agenda WHERE meeting_id = ? ORDER BY added_at, idea_id', [meetingId]);
    return rows.map((r) => r.idea_id as string);
  }

  async meetingsOf(ideaIds: string[]): Promise<Array<{ ideaId: string; meeting: MeetingRow }>> {
    if (ideaIds.length === 0) return [];
    const ids = this.anyOf('a.idea_id', ideaIds);
    const rows = await this.db.query(
      `SELECT a.idea_id, m.id, m.title, m.meets_on, m.members, m.created_at FROM steering_agenda a
       JOIN steering_meetings m ON m.id = a.meeting_id WHERE ${ids.sql} ORDER BY m.meets_on, m.id`,
      ids.params,
    );
    return rows.map((r) => ({ ideaId: r.idea_id as string, meeting: toMeeting(r) }));
  }

  async forwardedIdeaIds(limit: number): Promise<string[]> {
    const rows = await this.db.query("SELECT idea_id FROM idea_facts WHERE status = 'forwarded' ORDER BY created_at, idea_id LIMIT ?", [
      limit,
    ]);
    return rows.map((r) => r.idea_id as string);
  }

  async decidedIdeaIds(
    unitIds: string[] | null,
    before: { at: number; id: string } | null,
    limit: number,
  ): Promise<Array<{ id: string; at: number }>> {
    const u = this.unitsClause('unit_id', unitIds);
    const rows = await this.db.query(
      `SELECT idea_id, created_at FROM idea_facts WHERE status IN (${DECIDED_LIST})${u.sql} AND (created_at, idea_id) < (?, ?)
       ORDER BY created_at DESC, idea_id DESC LIMIT ?`,
      [...u.params, before?.at ?? Number.MAX_SAFE_INTEGER, before?.id ?? '~', limit],
    );
    return rows.map((r) => ({ id: r.idea_id as string, at: num(r.created_at) }));
  }

  async takenUp(ideaIds: string[]): Promise<Array<{ sourceIdeaId: string; id: string; unitId: string; status: string }>> {
    if (ideaIds.length === 0) return [];
    const ids = this.anyOf('idea_id', ideaIds);
    const rows = await this.db.query(
      `SELECT idea_id, id, unit_id, state FROM record_facts WHERE table_name = 'ideas' AND ${ids.sql}`,
      ids.params,
    );
    return rows.map((r) => ({
      sourceIdeaId: r.idea_id as string,
      id: r.id as string,
      unitId: r.unit_id as string,
      status: r.state as string,
    }));
  }

  async insertMeeting(m: MeetingRow): Promise<void> {
    await this.db.query('INSERT INTO steering_meetings (id, title, meets_on, members, created_at) VALUES (?, ?, ?, ?, ?)', [
      m.id,
      m.title,
      m.meetsOn,
      JSON.stringify(m.members),
      m.createdAt,
    ]);
  }

  async updateMeeting(id: string, m: Pick<MeetingRow, 'title' | 'meetsOn' | 'members'>): Promise<void> {
    await this.db.query('UPDATE steering_meetings SET title = ?, meets_on = ?, members = ? WHERE id = ?', [
      m.title,
      m.meetsOn,
      JSON.stringify(m.members),
      id,
    ]);
  }

  async addToAgenda(meetingId: string, ideaId: string, unitId: string, at: number): Promise<void> {
    await this.db.query(
      'INSERT INTO steering_agenda (meeting_id, idea_id, unit_id, added_at) VALUES (?, ?, ?, ?) ON CONFLICT (meeting_id, idea_id) DO NOTHING',
      [meetingId, ideaId, unitId, at],
    );
  }

  async removeFromAgenda(meetingId: string, ideaId: string): Promise<void> {
    await this.db.query('DELETE FROM steering_agenda WHERE meeting_id = ? AND idea_id = ?', [meetingId, ideaId]);
  }
}

const toMeeting = (r: Row): MeetingRow => ({
  id: r.id as string,
  title: r.title as string,
  meetsOn: r.meets_on as string,
  members: JSON.parse(r.members as string) as string[],
  createdAt: num(r.created_at),
});

const MEETING_COLUMNS = 'id, title, meets_on, members, created_at';
const DECIDED_LIST = DECIDED_STATUSES.map((s) => `'${s}'`).join(', ');

const toFactRecord = (r: Row): FactRecord => ({ id: r.id as string, unitId: r.unit_id as string, at: num(r.at), data: parse(r.data) });

function toDecisionRow(r: Row): ReportDecisionRow {
  return {
    idea: { id: r.idea_id as string, unitId: r.unit_id as string, at: num(r.idea_at), data: parse(r.idea_data) },
    decision: { id: r.decision_id as string, unitId: r.unit_id as string, at: num(r.decision_at), data: parse(r.decision_data) },
  };
}
