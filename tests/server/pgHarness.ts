/**
 * A real, throw-away PostgreSQL for the server tests: initdb in a temp dir,
 * a server listening only on a Unix socket in that dir, databases created per
 * test, everything removed afterwards. PostgreSQL refuses to run as root, so
 * as root the cluster is run as the `postgres` OS user.
 *
 * Missing binaries fail the suite loudly unless NEDENFRA_SKIP_PG=1.
 *
 * Each test file starts its own cluster, unless tests/server/globalSetup.ts
 * ran (vitest `globalSetup`): then every file shares its one cluster.
 */
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

export const SKIP_PG = process.env.NEDENFRA_SKIP_PG === '1';

function findBinDir(): string {
  const candidates = ['/usr/lib/postgresql/15/bin'];
  try {
    candidates.push(execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim());
  } catch {
    // pg_config not installed: only the standard path is tried
  }
  const dir = candidates.find((d) => existsSync(join(d, 'initdb')) && existsSync(join(d, 'pg_ctl')));
  if (!dir)
    throw new Error(
      `PostgreSQL server binaries not found (looked in ${candidates.join(', ')}). ` +
        'Install postgresql-15, or set NEDENFRA_SKIP_PG=1 to run the server tests on SQLite only.',
    );
  return dir;
}

/** What a test worker needs to use a cluster started elsewhere (serialisable). */
export interface PgClusterInfo {
  bin: string;
  root: string;
  port: number;
  asRoot: boolean;
}

export interface PgCluster {
  readonly info: PgClusterInfo;
  url(database: string): string;
  /** Create a new, empty database; returns its connection string. */
  createDatabase(name: string): Promise<string>;
  /** Copy `source` into a new database `target` (a backup); needs no open connections to source. */
  copyDatabase(source: string, target: string): Promise<void>;
  dropDatabase(name: string): Promise<void>;
  stop(): void;
}

/** A cluster this process started, so it may also take the database server down and up. */
export interface OwnedPgCluster extends PgCluster {
  /** `pg_ctl restart -m fast`: what a failover or a minor-version upgrade does to connected clients. */
  restart(): Promise<void>;
  /** `pg_ctl stop -m fast` (connections terminated, the data kept) … */
  shutDown(): Promise<void>;
  /** … and start it again. */
  startUp(): Promise<void>;
}

function runAs(info: PgClusterInfo, cmd: string, args: string[]) {
  const bin = join(info.bin, cmd);
  const [file, argv] = info.asRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
  const r = spawnSync(file, argv, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} failed (${r.status}): ${r.stderr || r.stdout}`);
}

/** pg_ctl without blocking the event loop, so requests keep flowing while the server goes down and up. */
async function pgCtl(info: PgClusterInfo, args: string[]) {
  const bin = join(info.bin, 'pg_ctl');
  const [file, argv] = info.asRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
  await promisify(execFile)(file, argv, { encoding: 'utf8' });
}

const serverOptions = (info: PgClusterInfo) =>
  `-p ${info.port} -k ${info.root} -c listen_addresses= -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;

export async function startPostgres(): Promise<OwnedPgCluster> {
  const root = mkdtempSync(join(tmpdir(), 'nedenfra-pg-'));
  const info: PgClusterInfo = {
    bin: findBinDir(),
    root,
    // The port only names the socket file; nothing listens on TCP.
    port: 20000 + ((process.pid * 7 + Date.now()) % 20000),
    asRoot: process.getuid?.() === 0,
  };
  if (info.asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(root, uid, gid);
  }
  const data = join(root, 'data');
  runAs(info, 'initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--no-instructions']);
  runAs(info, 'pg_ctl', ['-D', data, '-w', '-l', join(root, 'log'), '-o', serverOptions(info), 'start']);
  const cluster = attachPostgres(info);
  return {
    ...cluster,
    restart: () => pgCtl(info, ['-D', data, '-w', '-m', 'fast', '-l', join(root, 'log'), '-o', serverOptions(info), 'restart']),
    shutDown: () => pgCtl(info, ['-D', data, '-w', '-m', 'fast', 'stop']),
    startUp: () => pgCtl(info, ['-D', data, '-w', '-l', join(root, 'log'), '-o', serverOptions(info), 'start']),
    stop() {
      try {
        runAs(info, 'pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    },
  };
}

/** Use a cluster another process started; `stop()` leaves it running for its owner. */
export function attachPostgres(info: PgClusterInfo): PgCluster {
  const url = (db: string) => `postgresql://postgres@localhost/${db}?host=${encodeURIComponent(info.root)}&port=${info.port}`;
  const admin = async <T>(fn: (c: pg.Client) => Promise<T>): Promise<T> => {
    const c = new pg.Client({ connectionString: url('postgres') });
    await c.connect();
    try {
      return await fn(c);
    } finally {
      await c.end();
    }
  };
  return {
    info,
    url,
    async createDatabase(name) {
      await admin((c) => c.query(`CREATE DATABASE "${name}" STRATEGY = FILE_COPY`));
      return url(name);
    },
    async copyDatabase(source, target) {
      await admin((c) => c.query(`CREATE DATABASE "${target}" TEMPLATE "${source}" STRATEGY = FILE_COPY`));
    },
    async dropDatabase(name) {
      await admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
    stop() {},
  };
}
