/**
 * SQLite back end (better-sqlite3): one file, WAL, synchronous=FULL so an
 * acknowledged push survives a power cut. One write connection (SQLite has a
 * single writer anyway, so commit order = counter order) and one read
 * connection, so pulls read the last committed snapshot and never see a push
 * that is still in progress. Each connection runs one async section at a time.
 * `:memory:` (for tests) uses one connection for both, so reads wait for writes.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { applyMigrations, SQLITE_MIGRATIONS } from './migrations';
import { Mutex } from './mutex';
import { SqlTx, type Row, type SqlExecutor } from './sqlTx';
import type { ReadTx, SyncStorage, WriteTx } from './types';

function executor(db: Database.Database): SqlExecutor {
  const cache = new Map<string, Database.Statement>();
  return {
    dialect: 'sqlite',
    async query(sql, params = []) {
      let stmt = cache.get(sql);
      if (!stmt) {
        stmt = db.prepare(sql);
        cache.set(sql, stmt);
      }
      if (stmt.reader) return stmt.all(...params) as Row[];
      stmt.run(...params);
      return [];
    },
  };
}

export class SqliteStorage implements SyncStorage {
  readonly kind = 'sqlite' as const;
  private readonly writer: Database.Database;
  private readonly reader: Database.Database;
  private readonly writeLock = new Mutex();
  private readonly readLock: Mutex;
  private readonly writeTx: SqlTx;
  private readonly readTx: SqlTx;

  private constructor(readonly path: string) {
    const inMemory = path === ':memory:';
    if (!inMemory) mkdirSync(dirname(path), { recursive: true });
    this.writer = new Database(path);
    this.writer.pragma('journal_mode = WAL');
    this.writer.pragma('synchronous = FULL');
    this.writer.pragma('busy_timeout = 5000');
    this.reader = inMemory ? this.writer : new Database(path);
    this.reader.pragma('busy_timeout = 5000');
    this.readLock = inMemory ? this.writeLock : new Mutex();
    this.writeTx = new SqlTx(executor(this.writer));
    this.readTx = new SqlTx(executor(this.reader));
  }

  static async open(path: string): Promise<SqliteStorage> {
    const s = new SqliteStorage(path);
    await s.writeLock.run(async () => {
      s.writer.exec('BEGIN IMMEDIATE');
      try {
        await applyMigrations(executor(s.writer), SQLITE_MIGRATIONS, async (sql) => void s.writer.exec(sql));
        s.writer.exec('COMMIT');
      } catch (e) {
        s.writer.exec('ROLLBACK');
        throw e;
      }
    });
    return s;
  }

  write<T>(fn: (tx: WriteTx) => Promise<T>): Promise<T> {
    return this.writeLock.run(async () => {
      this.writer.exec('BEGIN IMMEDIATE');
      try {
        const result = await fn(this.writeTx);
        this.writer.exec('COMMIT');
        return result;
      } catch (e) {
        if (this.writer.inTransaction) this.writer.exec('ROLLBACK');
        throw e;
      }
    });
  }

  read<T>(fn: (tx: ReadTx) => Promise<T>): Promise<T> {
    return this.readLock.run(async () => {
      this.reader.exec('BEGIN');
      try {
        return await fn(this.readTx);
      } finally {
        this.reader.exec('COMMIT');
      }
    });
  }

  async close(): Promise<void> {
    await this.writeLock.run(async () => this.writer.close());
    if (this.reader !== this.writer) await this.readLock.run(async () => this.reader.close());
  }
}

/** A SQLite file (created with its directory if missing), or `:memory:` for tests. */
export function openSqliteStorage(path: string): Promise<SqliteStorage> {
  return SqliteStorage.open(path);
}
