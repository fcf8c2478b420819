/**
 * A real, throw-away PostgreSQL for the server tests: initdb in a temp dir,
 * a server listening only on a Unix socket in that dir, databases created per
 * test, everything removed afterwards. PostgreSQL refuses to run as root, so
 * as root the cluster is run as the `postgres` OS user.
 *
 * Missing binaries fail the suite loudly unless NEDENFRA_SKIP_PG=1.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

export interface PgCluster {
  url(database: string): string;
  /** A connection string for a new, empty database. */
  createDatabase(name?: string): Promise<string>;
  /** Copy `source` into a new database `target` (a backup); needs no open connections to source. */
  copyDatabase(source: string, target: string): Promise<void>;
  dropDatabase(name: string): Promise<void>;
  stop(): void;
}

let counter = 0;

export async function startPostgres(): Promise<PgCluster> {
  const bin = findBinDir();
  const root = mkdtempSync(join(tmpdir(), 'nedenfra-pg-'));
  const data = join(root, 'data');
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(root, uid, gid);
  }
  const run = (cmd: string, args: string[]) => {
    const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', join(bin, cmd), ...args]] : [join(bin, cmd), args];
    const r = spawnSync(file, argv, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${cmd} failed (${r.status}): ${r.stderr || r.stdout}`);
  };
  // The port only names the socket file; nothing listens on TCP.
  const port = 20000 + ((process.pid * 7 + Date.now()) % 20000);
  run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--no-instructions']);
  run('pg_ctl', [
    '-D', data, '-w', '-l', join(root, 'log'),
    '-o', `-p ${port} -k ${root} -c listen_addresses= -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100`,
    'start',
  ]);
  const url = (db: string) => `postgresql://postgres@localhost/${db}?host=${encodeURIComponent(root)}&port=${port}`;
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
    url,
    async createDatabase(name = `t${process.pid}_${++counter}`) {
      await admin((c) => c.query(`CREATE DATABASE "${name}" STRATEGY = FILE_COPY`));
      return url(name);
    },
    async copyDatabase(source, target) {
      await admin((c) => c.query(`CREATE DATABASE "${target}" TEMPLATE "${source}" STRATEGY = FILE_COPY`));
    },
    async dropDatabase(name) {
      await admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
    stop() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    },
  };
}
