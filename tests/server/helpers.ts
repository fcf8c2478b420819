/**
 * Test fixtures for the sync server: each back end (a temp SQLite file, a
 * real PostgreSQL database) behind one interface, plus a tiny tablet that
 * speaks the protocol to `app.fetch` in-process with a controllable clock.
 */
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  formatHlc,
  newId,
  PROTOCOL_VERSION,
  type EnrollResponse,
  type MutationInput,
  type PullResponse,
  type PushRequest,
  type PushResponse,
  type SyncErrorBody,
} from '../../src/domain';
import { createEnrollmentCode, createUnit } from '../../src/server/admin';
import { createApp } from '../../src/server/app';
import { memoryLogger } from '../../src/server/log';
import { openPostgresStorage } from '../../src/server/storage/postgres';
import { openSqliteStorage } from '../../src/server/storage/sqlite';
import type { StorageKind, SyncStorage } from '../../src/server/storage/types';
import { inject } from 'vitest';
import { attachPostgres, SKIP_PG, startPostgres, type PgCluster, type PgClusterInfo } from './pgHarness';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Set by tests/server/globalSetup.ts when the config uses it. */
    nedenfraPostgres?: PgClusterInfo;
  }
}

/** One database for one test; can take a backup and restore it. */
export interface TestDb {
  storage: SyncStorage;
  /** PostgreSQL only: the database's URL, for tests that must reach under the storage. */
  url?: string;
  /** The environment a server process (src/server/main.ts) needs to open this database. */
  env: Record<string, string>;
  backup(): Promise<void>;
  /** A second, independent connection to the same database: another server instance. */
  openAnother(): Promise<SyncStorage>;
  /** Replace the database by the backup (the old storage is closed; use the returned one). */
  restoreBackup(): Promise<SyncStorage>;
  close(): Promise<void>;
}

export interface Backend {
  setup(): Promise<void>;
  teardown(): Promise<void>;
  fresh(): Promise<TestDb>;
}

function sqliteBackend(): Backend {
  let dir = '';
  let n = 0;
  return {
    async setup() {
      dir = mkdtempSync(join(tmpdir(), 'nedenfra-sqlite-'));
    },
    async teardown() {
      rmSync(dir, { recursive: true, force: true });
    },
    async fresh() {
      const path = join(dir, `db${++n}.sqlite`);
      const db: TestDb = {
        storage: await openSqliteStorage(path),
        env: { NEDENFRA_DB: path, DATABASE_URL: '' },
        openAnother: () => openSqliteStorage(path),
        async backup() {
          await db.storage.close();
          copyFileSync(path, path + '.bak');
          db.storage = await openSqliteStorage(path);
        },
        async restoreBackup() {
          await db.storage.close();
          rmSync(path + '-wal', { force: true });
          rmSync(path + '-shm', { force: true });
          copyFileSync(path + '.bak', path);
          db.storage = await openSqliteStorage(path);
          return db.storage;
        },
        close: () => db.storage.close(),
      };
      return db;
    },
  };
}

/** Unique per test file: files may share one cluster, and a worker process runs several files. */
const fileTag = randomBytes(4).toString('hex');
const templateDb = `template_${fileTag}`;

function postgresBackend(): Backend {
  let cluster: PgCluster | undefined;
  let n = 0;
  return {
    async setup() {
      const shared = inject('nedenfraPostgres');
      cluster = shared ? attachPostgres(shared) : await startPostgres();
      // Migrate once per file; each test copies this template (much faster than migrating again).
      const template = await openPostgresStorage(await cluster.createDatabase(templateDb));
      await template.close();
    },
    async teardown() {
      cluster?.stop();
    },
    async fresh() {
      const c = cluster!;
      const name = `t${fileTag}_${++n}`;
      await c.copyDatabase(templateDb, name);
      const url = c.url(name);
      const db: TestDb = {
        storage: await openPostgresStorage(url),
        url,
        env: { DATABASE_URL: url },
        openAnother: () => openPostgresStorage(url),
        async backup() {
          await db.storage.close();
          await c.copyDatabase(name, `${name}_bak`);
          db.storage = await openPostgresStorage(url);
        },
        async restoreBackup() {
          await db.storage.close();
          await c.dropDatabase(name);
          await c.copyDatabase(`${name}_bak`, name);
          db.storage = await openPostgresStorage(url);
          return db.storage;
        },
        close: () => db.storage.close(),
      };
      return db;
    },
  };
}

/** Every protocol test runs on both back ends (PostgreSQL only skipped with NEDENFRA_SKIP_PG=1). */
export function serverBackends(): Array<[StorageKind, Backend]> {
  const list: Array<[StorageKind, Backend]> = [['sqlite', sqliteBackend()]];
  if (!SKIP_PG) list.push(['postgres', postgresBackend()]);
  return list;
}

export const T0 = Date.UTC(2026, 10, 23, 12, 0, 0);

/** An app over a storage, with a clock the test moves by hand. */
export class TestServer {
  time = T0;
  readonly log = memoryLogger();
  app: ReturnType<typeof createApp>;

  constructor(public storage: SyncStorage) {
    this.app = this.makeApp();
  }

  private makeApp() {
    return createApp({ storage: this.storage, now: () => this.time, log: this.log });
  }

  /** After a restore: same clock, new storage. */
  replaceStorage(storage: SyncStorage) {
    this.storage = storage;
    this.app = this.makeApp();
  }

  async request(method: string, path: string, opts: { token?: string; body?: unknown; raw?: BodyInit } = {}) {
    const headers: Record<string, string> = {};
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    const res = await this.app.fetch(
      new Request(`http://server${path}`, {
        method,
        headers,
        body: opts.raw ?? (opts.body === undefined ? null : JSON.stringify(opts.body)),
      }),
    );
    return res;
  }

  async unit(name = 'Avdeling', municipality = 'Steinkjer') {
    return createUnit(this.storage, { municipality, name }, this.time);
  }

  async code(unitId: string, ttlHours = 24) {
    return (await createEnrollmentCode(this.storage, { unitId, ttlHours }, this.time)).code;
  }

  async enroll(unitId: string): Promise<Tablet> {
    const res = await this.request('POST', '/api/v1/enroll', {
      body: { protocol: PROTOCOL_VERSION, code: await this.code(unitId), deviceLabel: 'test tablet' },
    });
    if (res.status !== 200) throw new Error(`enroll failed: ${res.status} ${await res.text()}`);
    return new Tablet(this, (await res.json()) as EnrollResponse);
  }
}

export type Reply<T> = { status: number; body: T & Partial<SyncErrorBody> };

/** A minimal tablet: numbers its mutations, stamps HLCs from the server's clock plus its own skew. */
export class Tablet {
  seq = 0;
  counter = 0;
  skewMs = 0;
  epoch: string | null;
  ackedThrough = 0;
  readonly deviceId: string;
  readonly token: string;
  readonly unitId: string;

  constructor(
    readonly server: TestServer,
    enrolled: EnrollResponse,
  ) {
    this.deviceId = enrolled.deviceId;
    this.token = enrolled.token;
    this.unitId = enrolled.unit.id;
    this.epoch = enrolled.epoch;
  }

  /** The same device (token, numbering) talking to another server instance. */
  via(server: TestServer): Tablet {
    return Object.assign(Object.create(Tablet.prototype) as Tablet, this, { server });
  }

  hlc(offsetMs = 0) {
    return formatHlc({ wall: this.server.time + this.skewMs + offsetMs, counter: ++this.counter, node: this.deviceId });
  }

  mutation(
    table: MutationInput['table'],
    op: MutationInput['op'],
    recordId: string,
    fields: Record<string, unknown>,
    extra: Partial<MutationInput> = {},
  ): MutationInput {
    return { mutationId: newId(), seq: ++this.seq, table, op, recordId, fields, hlc: this.hlc(), ...extra };
  }

  createIdea(text: string, extra: Record<string, unknown> = {}) {
    const id = newId(this.server.time);
    return {
      id,
      m: this.mutation('ideas', 'create', id, { createdAt: new Date(this.server.time).toISOString(), impossibleNow: text, ...extra }),
    };
  }

  async push(mutations: MutationInput[], over: Partial<PushRequest> = {}): Promise<Reply<PushResponse>> {
    const res = await this.server.request('POST', '/api/v1/push', {
      token: this.token,
      body: { protocol: PROTOCOL_VERSION, epoch: this.epoch, ackedThrough: this.ackedThrough, mutations, ...over },
    });
    const body = (await res.json()) as PushResponse & Partial<SyncErrorBody>;
    if (res.status === 200) {
      this.ackedThrough = body.lastAppliedSeq;
      this.epoch = body.epoch;
    }
    return { status: res.status, body };
  }

  async pull(cursor = 0, over: Record<string, string | number> = {}): Promise<Reply<PullResponse>> {
    const q = new URLSearchParams({
      protocol: String(PROTOCOL_VERSION),
      cursor: String(cursor),
      ...(this.epoch ? { epoch: this.epoch } : {}),
    });
    for (const [k, v] of Object.entries(over)) q.set(k, String(v));
    const res = await this.server.request('GET', `/api/v1/pull?${q}`, { token: this.token });
    return { status: res.status, body: (await res.json()) as PullResponse & Partial<SyncErrorBody> };
  }

  /** Pull everything from a cursor, following hasMore. */
  async pullAll(cursor = 0, limit = 500) {
    const changes: PullResponse['changes'] = [];
    for (;;) {
      const r = await this.pull(cursor, { limit });
      if (r.status !== 200) throw new Error(`pull failed: ${r.status} ${JSON.stringify(r.body)}`);
      changes.push(...r.body.changes);
      cursor = r.body.cursor;
      if (!r.body.hasMore) return { changes, cursor };
    }
  }
}

export { sleep } from './serverProcess';

/**
 * The protocol-speaking test tablets above, over real HTTP to a server
 * process (./serverProcess.ts). `storage` (the same database, opened in the
 * test) serves the admin steps: units and enrollment codes.
 */
export class HttpTestServer extends TestServer {
  constructor(
    storage: SyncStorage,
    public url: string,
  ) {
    super(storage);
    this.time = Date.now();
  }

  override async request(method: string, path: string, opts: { token?: string; body?: unknown; raw?: BodyInit } = {}) {
    this.time = Date.now();
    const headers: Record<string, string> = {};
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    return fetch(`${this.url}${path}`, {
      method,
      headers,
      body: opts.raw ?? (opts.body === undefined ? null : JSON.stringify(opts.body)),
      signal: AbortSignal.timeout(20_000),
    });
  }
}
