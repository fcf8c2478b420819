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
 * Unsequenced rows are invisible to pulls; one left by a crash between the
 * two steps is numbered by the next push or pull.
 */
import pg from 'pg';
import { applyMigrations, POSTGRES_MIGRATIONS } from './migrations';
import { SqlTx, type Row, type SqlExecutor } from './sqlTx';
import type { ReadTx, SyncStorage, WriteTx } from './types';

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

function executor(client: pg.PoolClient): SqlExecutor {
  return {
    dialect: 'postgres',
    async query(sql, params = []) {
      const text = numbered(sql);
      let name = statementNames.get(text);
      if (!name && statementNames.size < MAX_NAMED_STATEMENTS) statementNames.set(text, (name = `q${statementNames.size}`));
      const res = name ? await client.query({ name, text, values: params }) : await client.query(text, params);
      return res.rows as Row[];
    },
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

  private constructor(private readonly pool: pg.Pool) {}

  static async open(connectionString: string, poolSize = 10): Promise<PostgresStorage> {
    const pool = new pg.Pool({ connectionString, max: poolSize });
    // An idle connection dropped by the database must not crash the process;
    // the pool replaces it and the next query reports any lasting failure.
    pool.on('error', () => undefined);
    const s = new PostgresStorage(pool);
    await s.inTransaction('BEGIN', async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
      await applyMigrations(executor(client), POSTGRES_MIGRATIONS, async (sql) => void (await client.query(sql)));
    });
    return s;
  }

  private async inTransaction<T>(begin: string, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query(begin);
      try {
        const result = await fn(client);
        await client.query('COMMIT');
        return result;
      } catch (e) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw e;
      }
    } finally {
      client.release();
    }
  }

  async write<T>(fn: (tx: WriteTx) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      const tx = new SqlTx(executor(client));
      await client.query('BEGIN');
      let result: T;
      try {
        result = await fn(tx);
        await client.query('COMMIT');
      } catch (e) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw e;
      }
      // The write is durable now; its rows become pullable once sequenced. If
      // this fails they stay unsequenced until the next push or pull numbers them.
      if (tx.wroteUnsequenced) await this.sequence(client).catch(() => undefined);
      return result;
    } finally {
      client.release();
    }
  }

  async sequencePending(): Promise<void> {
    const client = await this.pool.connect();
    try {
      const { rows } = await client.query('SELECT 1 FROM records WHERE server_seq IS NULL LIMIT 1');
      if (rows.length > 0) await this.sequence(client);
    } finally {
      client.release();
    }
  }

  /**
   * Number the unsequenced rows, in one statement (its own transaction: one
   * round trip). SKIP LOCKED: rows another sequencing statement holds are
   * numbered by it, and rows a push is rewriting are numbered after that push
   * commits; so this never waits on a push and cannot deadlock with one. The
   * counter row is updated (and locked until commit) only when there are rows.
   */
  private async sequence(client: pg.PoolClient): Promise<void> {
    for (;;) {
      const { rowCount } = await client.query({ name: 'sequence', text: SEQUENCE_SQL });
      if ((rowCount ?? 0) < SEQUENCE_BATCH) return;
    }
  }

  read<T>(fn: (tx: ReadTx) => Promise<T>): Promise<T> {
    return this.inTransaction('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', (client) => fn(new SqlTx(executor(client))));
  }

  async readOne<T>(fn: (tx: ReadTx) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      return await fn(new SqlTx(executor(client)));
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

export function openPostgresStorage(connectionString: string): Promise<PostgresStorage> {
  return PostgresStorage.open(connectionString);
}
