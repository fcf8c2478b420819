/**
 * SQLite back end (better-sqlite3): one file, WAL, synchronous=FULL so an
 * acknowledged push survives a power cut. One write connection (SQLite has a
 * single writer anyway, so commit order = counter order) and one read
 * connection, so pulls read the last committed snapshot and never see a push
 * that is still in progress. Each connection runs one async section at a time.
 * `:memory:` (for tests) uses one connection for both, so reads wait for writes.
 *
 * Group commit: with synchronous=FULL every COMMIT is an fsync, and 200
 * tablets pushing at the end of a shift would wait for 200 of them in a row
 * (bench P6). Writes are queued; a group waits a few ms while more keep
 * arriving, then runs them together in one transaction, each inside its own
 * SAVEPOINT (a failing write rolls back only itself), so one fsync makes the
 * whole group durable; no write is answered before its group's COMMIT
 * returned. (A COMMIT blocks the event loop, so without the wait requests
 * could not even arrive while one is being written.)
 *
 * Another process holding the write lock past busy_timeout (the admin CLI,
 * a backup script) makes the group's writes fail as `busy`: a retryable 429,
 * as a lock wait that ran out on PostgreSQL.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Mutex } from '../../domain';
import { StorageUnavailableError } from './errors';
import { applyMigrations, SQLITE_MIGRATIONS } from './migrations';
import { SqlTx, type Row, type SqlExecutor } from './sqlTx';
import type { ReadTx, SyncStorage, WriteTx } from './types';

interface QueuedWrite {
  fn: (tx: WriteTx) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** Writes per group at most, so one transaction (and its WAL growth) stays bounded. */
const MAX_GROUP = 64;

/** How long a group waits for company before it commits (PostgreSQL's commit_delay, in spirit). */
const GROUP_DELAY_MS = 2;
const MAX_GROUP_WAIT_MS = 12;

export interface SqliteOptions {
  /** How long a write waits for another process's write lock (it blocks the event loop meanwhile); then 429 busy. */
  busyTimeoutMs: number;
}

const SQLITE_DEFAULTS: SqliteOptions = { busyTimeoutMs: 5000 };

/** SQLITE_BUSY: another connection held the lock for all of busy_timeout. */
const whenBusy = (e: unknown) =>
  e instanceof Database.SqliteError && e.code === 'SQLITE_BUSY'
    ? new StorageUnavailableError('busy', `database busy: ${e.message}`, { cause: e })
    : e;

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
  private readonly queue: QueuedWrite[] = [];
  private draining = false;
  /** Settles when the queue is empty; close() waits for it, so queued writes finish first. */
  private drained: Promise<void> = Promise.resolve();
  /** Write transactions committed so far (each may carry a group of writes). */
  commits = 0;

  private constructor(
    readonly path: string,
    options: SqliteOptions,
  ) {
    const inMemory = path === ':memory:';
    if (!inMemory) mkdirSync(dirname(path), { recursive: true });
    this.writer = new Database(path);
    this.writer.pragma('journal_mode = WAL');
    this.writer.pragma('synchronous = FULL');
    this.writer.pragma(`busy_timeout = ${options.busyTimeoutMs}`);
    // Deleted and overwritten content is zeroed in the file, so an erased name (GDPR) does not linger in free space.
    this.writer.pragma('secure_delete = ON');
    this.reader = inMemory ? this.writer : new Database(path);
    this.reader.pragma(`busy_timeout = ${options.busyTimeoutMs}`);
    // 32 MiB of page cache for the reader (SQLite's default is 2 MiB): the console's overview reads its read models
    // from memory, and the bound keeps a long export within bench P10's memory budget.
    this.reader.pragma('cache_size = -32768');
    this.readLock = inMemory ? this.writeLock : new Mutex();
    this.writeTx = new SqlTx(executor(this.writer));
    this.readTx = new SqlTx(executor(this.reader));
  }

  static async open(path: string, options: Partial<SqliteOptions> = {}): Promise<SqliteStorage> {
    const s = new SqliteStorage(path, { ...SQLITE_DEFAULTS, ...options });
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
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ fn, resolve: resolve as (value: unknown) => void, reject });
      if (!this.draining) this.drained = this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.queue.length > 0) {
        // Wait while the group is still growing (requests arriving together), a few ms at most.
        for (
          let waited = 0, size = 0;
          this.queue.length > size && this.queue.length < MAX_GROUP && waited < MAX_GROUP_WAIT_MS;
          waited += GROUP_DELAY_MS
        ) {
          size = this.queue.length;
          await new Promise<void>((r) => setTimeout(r, GROUP_DELAY_MS));
        }
        const group = this.queue.splice(0, MAX_GROUP);
        await this.writeLock
          .run(() => this.commitGroup(group))
          .catch((error: unknown) => {
            // Unexpected (e.g. SAVEPOINT itself failed): settle every write of the group; settled ones ignore this.
            if (this.writer.inTransaction) this.writer.exec('ROLLBACK');
            for (const w of group) w.reject(error);
          });
      }
    } finally {
      this.draining = false;
    }
  }

  private async commitGroup(group: QueuedWrite[]): Promise<void> {
    const done: { write: QueuedWrite; value: unknown }[] = [];
    const failed: { write: QueuedWrite; error: unknown }[] = [];
    try {
      this.writer.exec('BEGIN IMMEDIATE');
    } catch (e) {
      for (const w of group) w.reject(whenBusy(e));
      return;
    }
    for (const write of group) {
      this.writer.exec('SAVEPOINT write');
      try {
        const value = await write.fn(this.writeTx);
        this.writer.exec('RELEASE write');
        done.push({ write, value });
      } catch (error) {
        failed.push({ write, error });
        if (!this.writer.inTransaction) {
          // SQLite rolled back the whole transaction (disk full, I/O error): nothing in this group committed.
          for (const rest of group.slice(done.length + failed.length)) failed.push({ write: rest, error });
          for (const d of done.splice(0)) failed.push({ write: d.write, error });
          break;
        }
        this.writer.exec('ROLLBACK TO write');
        this.writer.exec('RELEASE write');
      }
    }
    if (this.writer.inTransaction) {
      try {
        this.writer.exec('COMMIT');
        this.commits++;
      } catch (error) {
        if (this.writer.inTransaction) this.writer.exec('ROLLBACK');
        for (const d of done.splice(0)) failed.push({ write: d.write, error });
      }
    }
    for (const { write, value } of done) write.resolve(value);
    for (const { write, error } of failed) write.reject(error);
  }

  readOne<T>(fn: (tx: ReadTx) => Promise<T>): Promise<T> {
    return this.read(fn);
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

  /**
   * A consistent copy of the database in one new file (`VACUUM INTO`: a
   * snapshot, compacted, written while reads and writes go on).
   */
  async backupTo(file: string): Promise<void> {
    await this.writeLock.run(async () => void this.writer.prepare('VACUUM INTO ?').run(file));
  }

  /** Rewrite the file without free pages, so values deleted or overwritten (an erased name) are gone from it too. */
  async vacuum(): Promise<void> {
    await this.drained;
    await this.writeLock.run(async () => {
      this.writer.pragma('wal_checkpoint(TRUNCATE)');
      this.writer.exec('VACUUM');
    });
  }

  /** Seqs are allocated inside each write here (one writer), so nothing is ever left unsequenced. */
  async sequencePending(): Promise<void> {}

  async close(): Promise<void> {
    await this.drained;
    await this.writeLock.run(async () => this.writer.close());
    if (this.reader !== this.writer) await this.readLock.run(async () => this.reader.close());
  }
}

/** A SQLite file (created with its directory if missing), or `:memory:` for tests. */
export function openSqliteStorage(path: string, options: Partial<SqliteOptions> = {}): Promise<SqliteStorage> {
  return SqliteStorage.open(path, options);
}
