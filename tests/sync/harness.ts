/**
 * Test rig for the sync engine: the REAL server app on a temp-file SQLite
 * database (or, for the model test, a real PostgreSQL: PostgresServer),
 * reached in-process through a fault-injecting transport, and simulated
 * tablets, each with its own fake-indexeddb database running the real client
 * engine.
 */
import 'fake-indexeddb/auto';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newId } from '../../src/domain';
import { DEVICE_KEY } from '../../src/data/clock';
import { NedenfraDb } from '../../src/data/db';
import { createRecord } from '../../src/data/repository';
import { enrollDevice } from '../../src/data/sync/enrollment';
import type { Transport } from '../../src/data/sync/transport';
import { createApp } from '../../src/server/app';
import { createEnrollmentCode, createUnit, markRestored } from '../../src/server/admin';
import { memoryLogger } from '../../src/server/log';
import { openSqliteStorage, type SqliteStorage } from '../../src/server/storage/sqlite';
import type { StoredRow, SyncStorage } from '../../src/server/storage/types';
import type { TestDb } from '../server/helpers';

export const SERVER_URL = 'http://nedenfra.test';

/** What the engine tests need of a server: its app, and the operator's restart, backup and restore. */
export interface SyncServer {
  storage: SyncStorage;
  app: ReturnType<typeof createApp>;
  now: () => number;
  /** A new app instance on the same database, as after a process restart. */
  restart(): Promise<void>;
  backup(name: string): void | Promise<void>;
  /** Put the backup back and run the admin's mark-restored (new epoch). */
  restore(name: string): Promise<void>;
  records(table: string): Promise<StoredRow[]>;
  close(): Promise<void>;
}

export class TestServer implements SyncServer {
  storage!: SqliteStorage;
  app!: ReturnType<typeof createApp>;
  readonly dir = mkdtempSync(join(tmpdir(), 'nedenfra-sync-'));
  readonly path = join(this.dir, 'server.sqlite');
  now: () => number = () => Date.now();

  async start(): Promise<this> {
    this.storage = await openSqliteStorage(this.path);
    this.app = createApp({ storage: this.storage, now: () => this.now(), log: memoryLogger() });
    return this;
  }
  /** A new app instance on the same database, as after a process restart. */
  async restart(): Promise<void> {
    await this.storage.close();
    await this.start();
  }
  backup(name: string): void {
    this.checkpoint();
    copyFileSync(this.path, join(this.dir, name));
  }
  /** Put an older copy back and run the admin's mark-restored (new epoch). */
  async restore(name: string): Promise<void> {
    await this.storage.close();
    for (const suffix of ['-wal', '-shm']) rmSync(this.path + suffix, { force: true });
    copyFileSync(join(this.dir, name), this.path);
    await this.start();
    await markRestored(this.storage);
  }
  private checkpoint(): void {
    const raw = (this.storage as unknown as { writer: { pragma(s: string): unknown } }).writer;
    raw.pragma('wal_checkpoint(TRUNCATE)');
  }
  async records(table: string) {
    return this.storage.read((tx) => tx.listRecords(table as 'ideas'));
  }
  async close(): Promise<void> {
    await this.storage.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export interface Faults {
  /** Fail the request before it reaches the server. */
  dropRequest?: boolean;
  /** Let the server commit, then lose the response. */
  dropResponse?: boolean;
  /** Deliver the request twice (the second answer is returned). */
  duplicate?: boolean;
  /** Answer 503 without reaching the server. */
  serverError?: boolean;
  /** Apply the faults only to requests whose path contains this (e.g. '/push'). */
  only?: string;
}

/**
 * The same server on a real PostgreSQL database (tests/server/helpers.ts):
 * backups are database copies, a restart opens a new connection pool.
 */
export class PostgresServer implements SyncServer {
  app: ReturnType<typeof createApp>;
  now: () => number = () => Date.now();
  constructor(private readonly db: TestDb) {
    this.app = this.makeApp();
  }
  get storage() {
    return this.db.storage;
  }
  private makeApp() {
    return createApp({ storage: this.db.storage, now: () => this.now(), log: memoryLogger() });
  }
  async restart(): Promise<void> {
    const next = await this.db.openAnother();
    await this.db.storage.close();
    this.db.storage = next;
    this.app = this.makeApp();
  }
  async backup(): Promise<void> {
    await this.db.backup();
    this.app = this.makeApp();
  }
  async restore(): Promise<void> {
    await this.db.restoreBackup();
    await markRestored(this.db.storage);
    this.app = this.makeApp();
  }
  async records(table: string) {
    return this.db.storage.read((tx) => tx.listRecords(table as 'ideas'));
  }
  close(): Promise<void> {
    return this.db.close();
  }
}

/** The server's app.fetch behind switchable faults; faults apply to the next requests until cleared. */
export class FaultyTransport implements Transport {
  faults: Faults = {};
  requests: Request[] = [];
  /** One-shot hook, e.g. to restart the server between a request and its answer. */
  afterCommit: (() => Promise<void>) | null = null;
  constructor(private readonly server: Pick<SyncServer, 'app'>) {}
  async fetch(req: Request): Promise<Response> {
    this.requests.push(req.clone());
    const f = !this.faults.only || new URL(req.url).pathname.includes(this.faults.only) ? this.faults : {};
    if (f.dropRequest) throw new TypeError('Failed to fetch (dropped request)');
    if (f.serverError) return Response.json({ error: 'internal', message: 'injected' }, { status: 503 });
    if (f.duplicate) await this.server.app.fetch(req.clone());
    const res = await this.server.app.fetch(req);
    const hook = this.afterCommit;
    this.afterCommit = null;
    if (hook) await hook();
    if (f.dropResponse) throw new TypeError('Failed to fetch (response lost)');
    return res;
  }
}

/** A fresh IndexedDB per simulated tablet (unique name in fake-indexeddb). */
export function isolatedDb(name = `tablet-${newId()}`): NedenfraDb {
  return new NedenfraDb(name);
}

/** Start a tablet's clock at `offsetMs` from real time (e.g. hours ahead). */
export async function skewClock(db: NedenfraDb, offsetMs: number): Promise<void> {
  const wall = String(Date.now() + offsetMs).padStart(15, '0');
  const installId = newId();
  await db.kv.put({ key: DEVICE_KEY, value: { installId, hlc: `${wall}:00000:${installId}` } });
}

export async function newUnitWithCode(server: SyncServer, name = 'Avdeling 3B') {
  const unit = await createUnit(server.storage, { municipality: 'Testvik kommune', name });
  return { unit, code: async () => (await createEnrollmentCode(server.storage, { unitId: unit.id })).code };
}

export async function enrolledTablet(_server: SyncServer, transport: Transport, code: string): Promise<NedenfraDb> {
  const db = isolatedDb();
  await db.open();
  await enrollDevice(db, transport, { serverUrl: SERVER_URL, code });
  return db;
}

export async function addIdea(db: NedenfraDb, unitId: string, text: string) {
  return createRecord(db, 'ideas', { unitId, impossibleNow: text });
}
