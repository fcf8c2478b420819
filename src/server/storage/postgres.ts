/**
 * PostgreSQL back end (pg Pool). Safe with several server instances on one
 * database: all shared state lives in the database; each write is one
 * transaction that first locks the single server_state row (see
 * SqlTx.lockState), so writers are serialised and the server_seq counter is
 * handed out in commit order. Pulls read in a REPEATABLE READ snapshot.
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

function executor(client: pg.PoolClient): SqlExecutor {
  return {
    dialect: 'postgres',
    async query(sql, params = []) {
      const res = await client.query(numbered(sql), params);
      return res.rows as Row[];
    },
  };
}

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

  write<T>(fn: (tx: WriteTx) => Promise<T>): Promise<T> {
    return this.inTransaction('BEGIN', (client) => fn(new SqlTx(executor(client))));
  }

  read<T>(fn: (tx: ReadTx) => Promise<T>): Promise<T> {
    return this.inTransaction('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', (client) => fn(new SqlTx(executor(client))));
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

export function openPostgresStorage(connectionString: string): Promise<PostgresStorage> {
  return PostgresStorage.open(connectionString);
}
