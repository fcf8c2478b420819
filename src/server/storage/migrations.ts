/**
 * Versioned schema migrations, one ordered list per back end. Only ever
 * append: a deployed database records each applied version in
 * schema_migrations and runs the rest, in order, in one transaction.
 */
import { randomUUID } from 'node:crypto';
import { rebuildFactsIfStale } from './facts';
import type { SqlExecutor } from './sql';

export const SQLITE_MIGRATIONS: readonly string[] = [
  `CREATE TABLE server_state (
     id INTEGER PRIMARY KEY CHECK (id = 1),
     epoch TEXT NOT NULL,
     server_seq INTEGER NOT NULL,
     horizon INTEGER NOT NULL
   );
   CREATE TABLE records (
     table_name TEXT NOT NULL,
     id TEXT NOT NULL,
     unit_id TEXT NOT NULL,
     data TEXT NOT NULL,
     clocks TEXT NOT NULL,
     deleted INTEGER NOT NULL DEFAULT 0,
     server_seq INTEGER NOT NULL,
     PRIMARY KEY (table_name, id)
   );
   CREATE UNIQUE INDEX records_server_seq ON records (server_seq);
   CREATE TABLE devices (
     device_id TEXT PRIMARY KEY,
     unit_id TEXT NOT NULL,
     token_hash TEXT NOT NULL UNIQUE,
     label TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     expires_at INTEGER,
     revoked_at INTEGER,
     last_applied_seq INTEGER NOT NULL DEFAULT 0,
     last_seen_at INTEGER,
     app_version TEXT NOT NULL DEFAULT 'unknown'
   );
   CREATE TABLE enrollment_codes (
     code_hash TEXT PRIMARY KEY,
     unit_id TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     expires_at INTEGER NOT NULL,
     used_at INTEGER,
     device_id TEXT
   );
   CREATE TABLE conflicts (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     table_name TEXT NOT NULL,
     record_id TEXT NOT NULL,
     field TEXT NOT NULL,
     winner_hlc TEXT NOT NULL,
     loser_hlc TEXT NOT NULL,
     loser_value TEXT NOT NULL,
     unit_id TEXT NOT NULL,
     device_id TEXT NOT NULL,
     created_at INTEGER NOT NULL
   );
   CREATE TABLE blobs (
     sha256 TEXT PRIMARY KEY,
     data BLOB NOT NULL,
     total INTEGER,
     complete INTEGER NOT NULL DEFAULT 0,
     updated_at INTEGER NOT NULL
   );`,
  // Photos: metadata beside the bytes (status, HEAD and the per-unit quota read
  // only these columns and the covering indexes), and unfinished uploads per
  // tablet, so one tablet can neither continue nor spoil another's. Partials
  // from before had no owner: they are dropped, and their tablets start again.
  // rate_limits: fixed-window counters of refused attempts (src/server/rateLimit.ts).
  `DELETE FROM blobs WHERE complete = 0;
   ALTER TABLE blobs ADD COLUMN size INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE blobs ADD COLUMN unit_id TEXT;
   ALTER TABLE blobs ADD COLUMN device_id TEXT;
   UPDATE blobs SET size = length(data);
   CREATE INDEX blobs_size ON blobs (sha256, size);
   CREATE INDEX blobs_unit ON blobs (unit_id, size);
   CREATE TABLE blob_uploads (
     sha256 TEXT NOT NULL,
     device_id TEXT NOT NULL,
     unit_id TEXT NOT NULL,
     total INTEGER NOT NULL,
     received INTEGER NOT NULL,
     created_at INTEGER NOT NULL,
     updated_at INTEGER NOT NULL,
     data BLOB NOT NULL,
     PRIMARY KEY (sha256, device_id)
   );
   CREATE INDEX blob_uploads_unit ON blob_uploads (unit_id, updated_at);
   CREATE INDEX blob_uploads_updated ON blob_uploads (updated_at);
   CREATE TABLE rate_limits (
     rule TEXT NOT NULL,
     subject TEXT NOT NULL,
     points INTEGER NOT NULL,
     window_ends_at INTEGER NOT NULL,
     PRIMARY KEY (rule, subject)
   );
   CREATE INDEX rate_limits_window ON rate_limits (window_ends_at);`,
  // Sync integrity (issue #9): the idea a record belongs to, so a push can derive an idea's status from its
  // decisions and evaluations by index; conflicts by record, so a pull can tell a tablet its edit lost; and
  // each device's recent refusals, so a replayed mutation gets its first answer again.
  `ALTER TABLE records ADD COLUMN idea_id TEXT;
   UPDATE records SET idea_id = json_extract(data, '$.ideaId')
     WHERE table_name IN ('supports', 'sessionVotes', 'evaluations', 'unitDecisions', 'learnings');
   CREATE INDEX records_idea_id ON records (idea_id) WHERE idea_id IS NOT NULL;
   CREATE INDEX conflicts_record ON conflicts (record_id);
   ALTER TABLE devices ADD COLUMN recent_answers TEXT NOT NULL DEFAULT '[]';`,
  // The municipal console (#13): tablet reports, accounts and sessions, one-time links, SSO logins, the audit log, record facts.
  `ALTER TABLE devices ADD COLUMN unsent INTEGER;
   ALTER TABLE devices ADD COLUMN storage_persisted INTEGER;
   CREATE TABLE accounts (
     id TEXT PRIMARY KEY,
     email TEXT NOT NULL UNIQUE,
     name TEXT NOT NULL,
     role TEXT NOT NULL,
     unit_id TEXT,
     password_hash TEXT,
     oidc_subject TEXT UNIQUE,
     created_at INTEGER NOT NULL,
     disabled_at INTEGER,
     last_sign_in_at INTEGER
   );
   CREATE TABLE console_sessions (
     id_hash TEXT PRIMARY KEY,
     account_id TEXT NOT NULL,
     csrf_token TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     last_seen_at INTEGER NOT NULL,
     expires_at INTEGER NOT NULL
   );
   CREATE INDEX console_sessions_account ON console_sessions (account_id);
   CREATE TABLE account_links (
     token_hash TEXT PRIMARY KEY,
     account_id TEXT NOT NULL,
     purpose TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     expires_at INTEGER NOT NULL,
     used_at INTEGER
   );
   CREATE INDEX account_links_account ON account_links (account_id);
   CREATE TABLE oidc_logins (
     state_hash TEXT PRIMARY KEY,
     code_verifier TEXT NOT NULL,
     nonce TEXT NOT NULL,
     created_at INTEGER NOT NULL
   );
   CREATE TABLE audit_log (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     at INTEGER NOT NULL,
     actor_id TEXT,
     actor_label TEXT NOT NULL,
     action TEXT NOT NULL,
     target_type TEXT NOT NULL,
     target_id TEXT,
     detail TEXT NOT NULL
   );
   CREATE TABLE record_facts (
     table_name TEXT NOT NULL,
     id TEXT NOT NULL,
     unit_id TEXT NOT NULL,
     idea_id TEXT,
     at INTEGER NOT NULL,
     month TEXT NOT NULL,
     state TEXT,
     outcome TEXT,
     kind TEXT,
     amount INTEGER,
     PRIMARY KEY (table_name, id)
   );
   CREATE INDEX record_facts_at ON record_facts (table_name, at, id);
   CREATE INDEX record_facts_idea ON record_facts (table_name, idea_id, at, id);
   CREATE INDEX record_facts_outcome ON record_facts (table_name, unit_id, outcome, state, at);
   CREATE TABLE idea_facts (
     idea_id TEXT PRIMARY KEY,
     unit_id TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     month TEXT NOT NULL,
     status TEXT NOT NULL,
     kind TEXT,
     evaluated INTEGER NOT NULL,
     practice INTEGER NOT NULL,
     answered_at INTEGER,
     answer_days INTEGER,
     unanswered INTEGER NOT NULL,
     deadline INTEGER
   );
   CREATE INDEX idea_facts_month ON idea_facts (unit_id, month, created_at);
   CREATE INDEX idea_facts_cube ON idea_facts (unit_id, status, evaluated, practice, kind, created_at);
   CREATE INDEX idea_facts_answered ON idea_facts (unit_id, answer_days, answered_at);
   CREATE INDEX idea_facts_status ON idea_facts (status, unit_id);
   CREATE INDEX idea_facts_overdue ON idea_facts (unanswered, deadline, unit_id);
   CREATE TABLE read_models (name TEXT PRIMARY KEY, version INTEGER NOT NULL);`,
  // Issue #14: when a record became a tombstone (from its delete's clock), so the server purges tombstones and
  // the conflict log after the retention period by itself; the steering group's meetings and their agendas.
  `ALTER TABLE records ADD COLUMN deleted_at INTEGER;
   UPDATE records SET deleted_at = CAST(substr(json_extract(clocks, '$._deleted'), 1, 15) AS INTEGER) WHERE deleted = 1;
   UPDATE records SET deleted_at = 0 WHERE deleted = 1 AND deleted_at IS NULL;
   CREATE INDEX records_tombstones ON records (deleted_at) WHERE deleted = 1;
   CREATE INDEX conflicts_created ON conflicts (created_at);
   CREATE TABLE steering_meetings (
     id TEXT PRIMARY KEY,
     title TEXT NOT NULL,
     meets_on TEXT NOT NULL,
     members TEXT NOT NULL,
     created_at INTEGER NOT NULL
   );
   CREATE INDEX steering_meetings_when ON steering_meetings (meets_on);
   CREATE TABLE steering_agenda (
     meeting_id TEXT NOT NULL,
     idea_id TEXT NOT NULL,
     unit_id TEXT NOT NULL,
     added_at INTEGER NOT NULL,
     PRIMARY KEY (meeting_id, idea_id)
   );
   CREATE INDEX steering_agenda_idea ON steering_agenda (idea_id);`,
];

export const POSTGRES_MIGRATIONS: readonly string[] = [
  `CREATE TABLE server_state (
     id INTEGER PRIMARY KEY CHECK (id = 1),
     epoch TEXT NOT NULL,
     server_seq BIGINT NOT NULL,
     horizon BIGINT NOT NULL
   );
   CREATE TABLE records (
     table_name TEXT NOT NULL,
     id TEXT NOT NULL,
     unit_id TEXT NOT NULL,
     data TEXT NOT NULL,
     clocks TEXT NOT NULL,
     deleted INTEGER NOT NULL DEFAULT 0,
     server_seq BIGINT NOT NULL,
     PRIMARY KEY (table_name, id)
   );
   CREATE UNIQUE INDEX records_server_seq ON records (server_seq);
   CREATE TABLE devices (
     device_id TEXT PRIMARY KEY,
     unit_id TEXT NOT NULL,
     token_hash TEXT NOT NULL UNIQUE,
     label TEXT NOT NULL,
     created_at BIGINT NOT NULL,
     expires_at BIGINT,
     revoked_at BIGINT,
     last_applied_seq BIGINT NOT NULL DEFAULT 0,
     last_seen_at BIGINT,
     app_version TEXT NOT NULL DEFAULT 'unknown'
   );
   CREATE TABLE enrollment_codes (
     code_hash TEXT PRIMARY KEY,
     unit_id TEXT NOT NULL,
     created_at BIGINT NOT NULL,
     expires_at BIGINT NOT NULL,
     used_at BIGINT,
     device_id TEXT
   );
   CREATE TABLE conflicts (
     id BIGSERIAL PRIMARY KEY,
     table_name TEXT NOT NULL,
     record_id TEXT NOT NULL,
     field TEXT NOT NULL,
     winner_hlc TEXT NOT NULL,
     loser_hlc TEXT NOT NULL,
     loser_value TEXT NOT NULL,
     unit_id TEXT NOT NULL,
     device_id TEXT NOT NULL,
     created_at BIGINT NOT NULL
   );
   CREATE TABLE blobs (
     sha256 TEXT PRIMARY KEY,
     data BYTEA NOT NULL,
     total BIGINT,
     complete INTEGER NOT NULL DEFAULT 0,
     updated_at BIGINT NOT NULL
   );`,
  // Pushes store changed records unsequenced and a short sequencing transaction numbers them after commit (postgres.ts).
  `ALTER TABLE records ALTER COLUMN server_seq DROP NOT NULL;
   CREATE INDEX records_unsequenced ON records (table_name, id) WHERE server_seq IS NULL;`,
  // As SQLite's second migration: photo metadata, per-tablet uploads, rate-limit counters.
  `DELETE FROM blobs WHERE complete = 0;
   ALTER TABLE blobs ADD COLUMN size BIGINT NOT NULL DEFAULT 0;
   ALTER TABLE blobs ADD COLUMN unit_id TEXT;
   ALTER TABLE blobs ADD COLUMN device_id TEXT;
   UPDATE blobs SET size = octet_length(data);
   CREATE INDEX blobs_unit ON blobs (unit_id, size);
   CREATE TABLE blob_uploads (
     sha256 TEXT NOT NULL,
     device_id TEXT NOT NULL,
     unit_id TEXT NOT NULL,
     total BIGINT NOT NULL,
     received BIGINT NOT NULL,
     created_at BIGINT NOT NULL,
     updated_at BIGINT NOT NULL,
     data BYTEA NOT NULL,
     PRIMARY KEY (sha256, device_id)
   );
   CREATE INDEX blob_uploads_unit ON blob_uploads (unit_id, updated_at);
   CREATE INDEX blob_uploads_updated ON blob_uploads (updated_at);
   CREATE TABLE rate_limits (
     rule TEXT NOT NULL,
     subject TEXT NOT NULL,
     points INTEGER NOT NULL,
     window_ends_at BIGINT NOT NULL,
     PRIMARY KEY (rule, subject)
   );
   CREATE INDEX rate_limits_window ON rate_limits (window_ends_at);`,
  // Sync integrity (issue #9), as in SQLite's list. The id is matched in the JSON text rather than cast to
  // jsonb, which refuses any \u0000 escape that older rows' text may hold.
  `ALTER TABLE records ADD COLUMN idea_id TEXT;
   UPDATE records SET idea_id = substring(data from '"ideaId":"([0-9a-f-]{36})"')
     WHERE table_name IN ('supports', 'sessionVotes', 'evaluations', 'unitDecisions', 'learnings');
   CREATE INDEX records_idea_id ON records (idea_id) WHERE idea_id IS NOT NULL;
   CREATE INDEX conflicts_record ON conflicts (record_id);
   ALTER TABLE devices ADD COLUMN recent_answers TEXT NOT NULL DEFAULT '[]';`,
  // The municipal console (#13): tablet reports, accounts and sessions, one-time links, SSO logins, the audit log, record facts.
  `ALTER TABLE devices ADD COLUMN unsent INTEGER;
   ALTER TABLE devices ADD COLUMN storage_persisted INTEGER;
   CREATE TABLE accounts (
     id TEXT PRIMARY KEY,
     email TEXT NOT NULL UNIQUE,
     name TEXT NOT NULL,
     role TEXT NOT NULL,
     unit_id TEXT,
     password_hash TEXT,
     oidc_subject TEXT UNIQUE,
     created_at BIGINT NOT NULL,
     disabled_at BIGINT,
     last_sign_in_at BIGINT
   );
   CREATE TABLE console_sessions (
     id_hash TEXT PRIMARY KEY,
     account_id TEXT NOT NULL,
     csrf_token TEXT NOT NULL,
     created_at BIGINT NOT NULL,
     last_seen_at BIGINT NOT NULL,
     expires_at BIGINT NOT NULL
   );
   CREATE INDEX console_sessions_account ON console_sessions (account_id);
   CREATE TABLE account_links (
     token_hash TEXT PRIMARY KEY,
     account_id TEXT NOT NULL,
     purpose TEXT NOT NULL,
     created_at BIGINT NOT NULL,
     expires_at BIGINT NOT NULL,
     used_at BIGINT
   );
   CREATE INDEX account_links_account ON account_links (account_id);
   CREATE TABLE oidc_logins (
     state_hash TEXT PRIMARY KEY,
     code_verifier TEXT NOT NULL,
     nonce TEXT NOT NULL,
     created_at BIGINT NOT NULL
   );
   CREATE TABLE audit_log (
     id BIGSERIAL PRIMARY KEY,
     at BIGINT NOT NULL,
     actor_id TEXT,
     actor_label TEXT NOT NULL,
     action TEXT NOT NULL,
     target_type TEXT NOT NULL,
     target_id TEXT,
     detail TEXT NOT NULL
   );
   CREATE TABLE record_facts (
     table_name TEXT NOT NULL,
     id TEXT NOT NULL,
     unit_id TEXT NOT NULL,
     idea_id TEXT,
     at BIGINT NOT NULL,
     month TEXT NOT NULL,
     state TEXT,
     outcome TEXT,
     kind TEXT,
     amount INTEGER,
     PRIMARY KEY (table_name, id)
   );
   CREATE INDEX record_facts_at ON record_facts (table_name, at, id);
   CREATE INDEX record_facts_idea ON record_facts (table_name, idea_id, at, id);
   CREATE INDEX record_facts_outcome ON record_facts (table_name, unit_id, outcome, state, at);
   CREATE TABLE idea_facts (
     idea_id TEXT PRIMARY KEY,
     unit_id TEXT NOT NULL,
     created_at BIGINT NOT NULL,
     month TEXT NOT NULL,
     status TEXT NOT NULL,
     kind TEXT,
     evaluated INTEGER NOT NULL,
     practice INTEGER NOT NULL,
     answered_at BIGINT,
     answer_days INTEGER,
     unanswered INTEGER NOT NULL,
     deadline BIGINT
   );
   CREATE INDEX idea_facts_month ON idea_facts (unit_id, month, created_at);
   CREATE INDEX idea_facts_cube ON idea_facts (unit_id, status, evaluated, practice, kind, created_at);
   CREATE INDEX idea_facts_answered ON idea_facts (unit_id, answer_days, answered_at);
   CREATE INDEX idea_facts_status ON idea_facts (status, unit_id);
   CREATE INDEX idea_facts_overdue ON idea_facts (unanswered, deadline, unit_id);
   CREATE TABLE read_models (name TEXT PRIMARY KEY, version INTEGER NOT NULL);`,
  // Issue #14, as SQLite's fifth migration.
  `ALTER TABLE records ADD COLUMN deleted_at BIGINT;
   UPDATE records SET deleted_at = COALESCE(substring(clocks from '"_deleted":"([0-9]{15})')::bigint, 0) WHERE deleted = 1;
   CREATE INDEX records_tombstones ON records (deleted_at) WHERE deleted = 1;
   CREATE INDEX conflicts_created ON conflicts (created_at);
   CREATE TABLE steering_meetings (
     id TEXT PRIMARY KEY,
     title TEXT NOT NULL,
     meets_on TEXT NOT NULL,
     members TEXT NOT NULL,
     created_at BIGINT NOT NULL
   );
   CREATE INDEX steering_meetings_when ON steering_meetings (meets_on);
   CREATE TABLE steering_agenda (
     meeting_id TEXT NOT NULL,
     idea_id TEXT NOT NULL,
     unit_id TEXT NOT NULL,
     added_at BIGINT NOT NULL,
     PRIMARY KEY (meeting_id, idea_id)
   );
   CREATE INDEX steering_agenda_idea ON steering_agenda (idea_id);`,
];

/**
 * Apply the pending migrations. The caller runs this inside one transaction
 * (PostgreSQL: after taking an advisory lock, so two starting instances do
 * not race). The first run also creates the server_state row with a new epoch.
 * Read models built from the records (record facts) are rebuilt here when stale.
 */
export async function applyMigrations(db: SqlExecutor, migrations: readonly string[], runScript: (sql: string) => Promise<void>) {
  await db.query('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)');
  const done = new Set((await db.query('SELECT version FROM schema_migrations')).map((r) => Number(r.version)));
  for (const [i, sql] of migrations.entries()) {
    const version = i + 1;
    if (done.has(version)) continue;
    await runScript(sql);
    await db.query('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)', [version, Date.now()]);
  }
  await db.query('INSERT INTO server_state (id, epoch, server_seq, horizon) VALUES (1, ?, 0, 0) ON CONFLICT (id) DO NOTHING', [
    randomUUID(),
  ]);
  await rebuildFactsIfStale(db);
}
