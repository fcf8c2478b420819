/**
 * PostgreSQL back end (pg Pool). Safe with several server instances on one
 * database: all shared state lives in the database. Pulls read in a
 * REPEATABLE READ snapshot.
 *
 * Seqs in two steps, so pushes run in parallel: a push transaction locks
 * only its device and the records it touches, and stores changed records
 * with server_seq NULL. After it commits, a short sequencing transaction
 * numbers every unsequenced row under the server_state row lock and commits;
 * that lock is what keeps seqs committing in order (a pull never skips a
 * row), and each sequencing commit covers all the pushes that committed
 * meanwhile, so 200 tablets do not wait for 200 fsyncs in a row (bench P6).
 * Unsequenced rows are invisible to pulls. One left behind (the numbering
 * step failed, or the process died between the two steps) is numbered by the
 * background numbering every `sequenceIntervalMs` of every instance, which
 * also runs at start, and by the next push or pull.
 *
 * Availability (issue #17). A lost connection, a restart of the database or
 * a frozen instance elsewhere costs a request, never the process, and never
 * the other instances' connections:
 *   - every pooled client keeps an 'error' listener for its whole life (pg
 *     emits 'error' on a checked-out client whose connection dies; unheard,
 *     that exits Node), and a client that failed at the connection level is
 *     discarded, never handed out again;
 *   - such failures become StorageUnavailableError `unavailable` (→ 503), a
 *     lock wait that ran out becomes `busy` (→ 429): both retryable;
 *   - every wait is bounded: lock_timeout, statement_timeout and
 *     idle_in_transaction_session_timeout per session (the last ends the
 *     transaction of an instance that froze mid-push, releasing its device
 *     row), a client-side query timeout, a bounded wait for a connection, and
 *     TCP keepalive on both ends. The settings are SET once per connection
 *     rather than sent as startup parameters, which PgBouncer refuses.
 */
import pg from 'pg';
import { z } from 'zod';
import { jsonLogger, type LogFields, type Logger } from '../log';
import { StorageUnavailableError } from './errors';
import { applyMigrations, POSTGRES_MIGRATIONS } from './migrations';
import { SqlTx, type Row, type SqlExecutor } from './sqlTx';
import type { ReadTx, SyncStorage, WriteTx } from './types';

export interface PostgresOptions {
  /** Connections per instance. */
  poolSize: number;
  /** Longest wait for a row or advisory lock (a device another request is pushing for, a record being merged); then 429 busy. */
  lockTimeoutMs: number;
  /** Longest one statement may run; then 503. */
  statementTimeoutMs: number;
  /** PostgreSQL ends a session left this long inside a transaction (its instance froze), releasing its locks. */
  idleInTransactionTimeoutMs: number;
  /** Longest wait for a pooled connection or for a new one to open; then 503. */
  connectTimeoutMs: number;
  /** TCP keepalive on both ends of every connection: first probe after this much silence. */
  keepAliveMs: number;
  /** Background numbering of rows left unnumbered; 0 turns it off (for tests that watch rows stay unnumbered). */
  sequenceIntervalMs: number;
  log: Logger;
}

export const POSTGRES_DEFAULTS: Omit<PostgresOptions, 'log'> = {
  poolSize: 10,
  lockTimeoutMs: 2_000,
  statementTimeoutMs: 30_000,
  idleInTransactionTimeoutMs: 10_000,
  connectTimeoutMs: 10_000,
  keepAliveMs: 30_000,
  sequenceIntervalMs: 1_000,
};

/** The environment variable for each option (documented in the README, "Several server instances"). */
const ENV_NAMES: Record<keyof typeof POSTGRES_DEFAULTS, string> = {
  poolSize: 'NEDENFRA_PG_POOL_SIZE',
  lockTimeoutMs: 'NEDENFRA_PG_LOCK_TIMEOUT_MS',
  statementTimeoutMs: 'NEDENFRA_PG_STATEMENT_TIMEOUT_MS',
  idleInTransactionTimeoutMs: 'NEDENFRA_PG_IDLE_IN_TRANSACTION_TIMEOUT_MS',
  connectTimeoutMs: 'NEDENFRA_PG_CONNECT_TIMEOUT_MS',
  keepAliveMs: 'NEDENFRA_PG_KEEPALIVE_MS',
  sequenceIntervalMs: 'NEDENFRA_PG_SEQUENCE_INTERVAL_MS',
};

/** PostgreSQL takes timeouts as a signed 32-bit count of milliseconds; every bound must be a bound (no 0 = "never"). */
const EnvCount = z.coerce.number().int().min(1).max(2_147_483_647);

/** The options set in the environment; a malformed value stops the start with a message naming it. */
export function postgresOptionsFromEnv(env: NodeJS.ProcessEnv): Partial<PostgresOptions> {
  const options: Partial<PostgresOptions> = {};
  for (const [key, name] of Object.entries(ENV_NAMES) as Array<[keyof typeof POSTGRES_DEFAULTS, string]>) {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') continue;
    const parsed = EnvCount.safeParse(raw);
    if (!parsed.success) throw new Error(`${name} must be a whole number from 1 to 2147483647, got "${raw}"`);
    options[key] = parsed.data;
  }
  return options;
}

/** Server-side keepalive after the first probe: every 10 s, given up after 3 unanswered (Linux's own defaults take hours). */
const KEEPALIVE_INTERVAL_S = 10;
const KEEPALIVE_COUNT = 3;

/** The client stops waiting for an answer this long after the server would have cancelled the statement. */
const QUERY_TIMEOUT_MARGIN_MS = 5_000;

/** Migrations may wait for another instance's and may rewrite big tables: bounded only loosely. */
const MIGRATION_QUERY_TIMEOUT_MS = 60 * 60_000;

/** Sends one statement on a checked-out connection; see `withClient`. */
type Run = (query: string | (pg.QueryConfig & { query_timeout?: number })) => Promise<pg.QueryResult>;

/** Rewrite `?` placeholders as `$1, $2, …` (our SQL has no literal question marks). */
function numbered(sql: string): string {
  let i = 0;
  return sql.replace(/\?/g, () => `$${++i}`);
}

/**
 * Statements run as named prepared statements, so PostgreSQL parses and plans
 * each text once per connection instead of on every push (bench P6: p99
 * ≈ 1.85 → 1.65 s, medians of repeated runs). Names follow first use; batch
 * statements vary with their row count, so naming stops at a bound and the
 * rest run unnamed.
 * (Behind PgBouncer in transaction mode this needs its prepared-statement
 * support, max_prepared_statements, PgBouncer ≥ 1.21.)
 */
const MAX_NAMED_STATEMENTS = 200;
const statementNames = new Map<string, string>();

function executor(run: Run): SqlExecutor {
  return {
    dialect: 'postgres',
    async query(sql, params = []) {
      const text = numbered(sql);
      let name = statementNames.get(text);
      if (!name && statementNames.size < MAX_NAMED_STATEMENTS) statementNames.set(text, (name = `q${statementNames.size}`));
      const res = await run(name ? { name, text, values: params } : { text, values: params });
      return res.rows as Row[];
    },
  };
}

/**
 * What a failed statement means for the request and for its connection.
 * Errors PostgreSQL reports carry a SQLSTATE; every other error from the
 * driver (refused, reset, closed, timed out, "not queryable") is a failed
 * connection. Anything else (a constraint, a syntax error) stays as it is: a bug, a 500.
 */
function classify(e: unknown): { error: unknown; connectionLost: boolean } {
  if (!(e instanceof pg.DatabaseError)) {
    const message = e instanceof Error ? e.message : String(e);
    return {
      error: new StorageUnavailableError('unavailable', `database connection failed: ${message}`, { cause: e }),
      connectionLost: true,
    };
  }
  // FATAL ends the session (terminated, shut down, idle-in-transaction timeout, too many connections).
  const connectionLost = e.severity === 'FATAL' || e.severity === 'PANIC';
  const code = e.code ?? '';
  // 55P03 lock_not_available (lock_timeout), 40001 serialization_failure, 40P01 deadlock_detected.
  if (['55P03', '40001', '40P01'].includes(code))
    return { error: new StorageUnavailableError('busy', `database busy: ${e.message}`, { cause: e }), connectionLost };
  // 08 connection exception, 53 insufficient resources, 57 operator intervention (shutdown, cancel,
  // statement_timeout), 58 system error, 25P03 idle_in_transaction_session_timeout.
  if (connectionLost || /^(08|53|57|58)/.test(code) || code === '25P03')
    return { error: new StorageUnavailableError('unavailable', `database unavailable: ${e.message}`, { cause: e }), connectionLost };
  return { error: e, connectionLost };
}

/** For a log line: why, without any data (messages are the driver's and the server's, never row contents). */
function describe(e: unknown): LogFields {
  return {
    reason: e instanceof StorageUnavailableError ? e.reason : 'error',
    error: e instanceof Error ? e.name : typeof e,
    message: (e instanceof Error ? e.message : String(e)).slice(0, 200),
  };
}

/** Rows numbered per sequencing transaction at most. */
const SEQUENCE_BATCH = 5000;

const SEQUENCE_SQL = `
  WITH pending AS (
    SELECT table_name, id FROM records WHERE server_seq IS NULL
    ORDER BY table_name, id LIMIT ${SEQUENCE_BATCH} FOR UPDATE SKIP LOCKED
  ), counter AS (
    UPDATE server_state SET server_seq = server_seq + (SELECT count(*) FROM pending)
    WHERE id = 1 AND EXISTS (SELECT 1 FROM pending) RETURNING server_seq
  ), numbered AS (
    SELECT p.table_name, p.id,
      (SELECT server_seq FROM counter) - (SELECT count(*) FROM pending) + row_number() OVER (ORDER BY p.table_name, p.id) AS seq
    FROM pending p
  )
  UPDATE records AS r SET server_seq = n.seq FROM numbered n WHERE r.table_name = n.table_name AND r.id = n.id`;

/** Arbitrary constant for pg_advisory_xact_lock while migrating. */
const MIGRATION_LOCK_KEY = 7_261_733;

export class PostgresStorage implements SyncStorage {
  readonly kind = 'postgres' as const;
  /** Clients whose connection failed: discarded when released. */
  private readonly broken = new WeakSet<pg.ClientBase>();
  /** Clients that have their session settings (SET once, on first use). */
  private readonly configured = new WeakSet<pg.ClientBase>();
  private numberingTimer: NodeJS.Timeout | undefined;
  /** The background numbering pass in progress (never two at once). */
  private numbering: Promise<void> | undefined;
  /** Background numbering passes failed in a row (logged on the first and then every 60th). */
  private numberingFailures = 0;

  private constructor(
    private readonly pool: pg.Pool,
    private readonly options: PostgresOptions,
  ) {
    // Pooled clients only carry pg-pool's listener while idle; this one stays for the client's whole life.
    pool.on('connect', (client) => client.on('error', () => this.broken.add(client)));
    // An idle connection the database dropped: the pool has already discarded it.
    pool.on('error', (e) => options.log.warn('databaseConnectionLost', describe(classify(e).error)));
  }

  static async open(connectionString: string, options: Partial<PostgresOptions> = {}): Promise<PostgresStorage> {
    const o: PostgresOptions = { ...POSTGRES_DEFAULTS, log: options.log ?? jsonLogger(), ...options };
    const pool = new pg.Pool({
      connectionString,
      max: o.poolSize,
      connectionTimeoutMillis: o.connectTimeoutMs,
      keepAlive: true,
      keepAliveInitialDelayMillis: o.keepAliveMs,
      // For a server that vanished without closing the connection: nothing else would end the wait.
      query_timeout: o.statementTimeoutMs + QUERY_TIMEOUT_MARGIN_MS,
    });
    const s = new PostgresStorage(pool, o);
    try {
      await s.withClient((run) =>
        s.transaction(run, 'BEGIN', async () => {
          // Wait for another instance's migrations, however long they take.
          await run('SET LOCAL lock_timeout = 0; SET LOCAL statement_timeout = 0');
          await run({ text: 'SELECT pg_advisory_xact_lock($1)', values: [MIGRATION_LOCK_KEY], query_timeout: MIGRATION_QUERY_TIMEOUT_MS });
          await applyMigrations(executor(run), POSTGRES_MIGRATIONS, async (sql) => {
            await run({ text: sql, query_timeout: MIGRATION_QUERY_TIMEOUT_MS });
          });
        }),
      );
    } catch (e) {
      await pool.end();
      throw e;
    }
    s.startNumbering();
    return s;
  }

  /**
   * Run `fn` on a checked-out client. Its statements go through `run`, which
   * turns availability failures into StorageUnavailableError and marks a
   * client whose connection failed, so that it is discarded on release.
   */
  private async withClient<T>(fn: (run: Run) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (e) {
      throw classify(e).error;
    }
    const run: Run = async (query) => {
      try {
        return await client.query(query);
      } catch (e) {
        const { error, connectionLost } = classify(e);
        if (connectionLost) this.broken.add(client);
        throw error;
      }
    };
    try {
      if (!this.configured.has(client)) {
        await run(this.sessionSettings());
        this.configured.add(client);
      }
      return await fn(run);
    } finally {
      client.release(this.broken.has(client));
    }
  }

  /** The per-session bounds (integers from the validated options; nothing user-supplied). */
  private sessionSettings(): string {
    const o = this.options;
    return [
      `SET lock_timeout = ${o.lockTimeoutMs}`,
      `SET statement_timeout = ${o.statementTimeoutMs}`,
      `SET idle_in_transaction_session_timeout = ${o.idleInTransactionTimeoutMs}`,
      // Ignored on Unix sockets; over TCP they let the server notice a vanished instance within a minute or so.
      `SET tcp_keepalives_idle = ${Math.max(1, Math.round(o.keepAliveMs / 1000))}`,
      `SET tcp_keepalives_interval = ${KEEPALIVE_INTERVAL_S}`,
      `SET tcp_keepalives_count = ${KEEPALIVE_COUNT}`,
    ].join('; ');
  }

  /**
   * BEGIN … COMMIT around `fn`, ROLLBACK if it throws. A COMMIT lost with its
   * connection leaves the outcome unknown; the 503 makes the tablet re-send,
   * and a re-sent push is answered `duplicate` if it had committed.
   */
  private async transaction<T>(run: Run, begin: string, fn: () => Promise<T>): Promise<T> {
    await run(begin);
    try {
      const result = await fn();
      await run('COMMIT');
      return result;
    } catch (e) {
      await run('ROLLBACK').catch(() => undefined);
      throw e;
    }
  }

  write<T>(fn: (tx: WriteTx) => Promise<T>): Promise<T> {
    return this.withClient(async (run) => {
      const tx = new SqlTx(executor(run));
      const result = await this.transaction(run, 'BEGIN', () => fn(tx));
      // The write is durable: its answer must say so even if numbering fails
      // now. Its rows become pullable once numbered; the background numbering
      // retries within sequenceIntervalMs.
      if (tx.wroteUnsequenced) await this.sequence(run).catch((e: unknown) => this.options.log.warn('numberingDeferred', describe(e)));
      return result;
    });
  }

  sequencePending(): Promise<void> {
    return this.withClient(async (run) => {
      const { rows } = await run('SELECT 1 FROM records WHERE server_seq IS NULL LIMIT 1');
      if (rows.length > 0) await this.sequence(run);
    });
  }

  /**
   * Number the unsequenced rows, in one statement (its own transaction: one
   * round trip). SKIP LOCKED: rows another sequencing statement holds are
   * numbered by it, and rows a push is rewriting are numbered after that push
   * commits; so this never waits on a push and cannot deadlock with one. The
   * counter row is updated (and locked until commit) only when there are rows.
   */
  private async sequence(run: Run): Promise<void> {
    for (;;) {
      const { rowCount } = await run({ name: 'sequence', text: SEQUENCE_SQL });
      if ((rowCount ?? 0) < SEQUENCE_BATCH) return;
    }
  }

  /** Number leftovers now (rows a crashed instance left) and every sequenceIntervalMs. */
  private startNumbering(): void {
    if (this.options.sequenceIntervalMs <= 0) return;
    void this.numberInBackground();
    this.numberingTimer = setInterval(() => void this.numberInBackground(), this.options.sequenceIntervalMs);
    this.numberingTimer.unref();
  }

  /** One background pass; it never throws: a failure is logged, and the next tick tries again. */
  private numberInBackground(): Promise<void> {
    this.numbering ??= this.sequencePending()
      .then(
        () => {
          if (this.numberingFailures > 0) this.options.log.info('numberingRecovered', { failures: this.numberingFailures });
          this.numberingFailures = 0;
        },
        (e: unknown) => {
          if (this.numberingFailures++ % 60 === 0)
            this.options.log.error('numberingFailed', { failures: this.numberingFailures, ...describe(e) });
        },
      )
      .finally(() => (this.numbering = undefined));
    return this.numbering;
  }

  read<T>(fn: (tx: ReadTx) => Promise<T>): Promise<T> {
    return this.withClient((run) =>
      this.transaction(run, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', () => fn(new SqlTx(executor(run)))),
    );
  }

  readOne<T>(fn: (tx: ReadTx) => Promise<T>): Promise<T> {
    return this.withClient((run) => fn(new SqlTx(executor(run))));
  }

  async close(): Promise<void> {
    clearInterval(this.numberingTimer);
    await this.numbering;
    await this.pool.end();
  }
}

export function openPostgresStorage(connectionString: string, options: Partial<PostgresOptions> = {}): Promise<PostgresStorage> {
  return PostgresStorage.open(connectionString, options);
}
