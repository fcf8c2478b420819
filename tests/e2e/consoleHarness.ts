/**
 * The real server for the console's end-to-end tests: `src/server/main.ts`
 * as a child process serving the BUILT app and console (dist/) and the APIs,
 * on a SQLite file or on a database in a throw-away PostgreSQL cluster, with
 * whatever environment a test needs (e.g. OIDC settings). Plus the admin CLI
 * run the way an administrator would, and the text of a PDF.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { openPostgresStorage } from '../../src/server/storage/postgres';
import { openSqliteStorage } from '../../src/server/storage/sqlite';
import type { SyncStorage } from '../../src/server/storage/types';
import { startPostgres, type PgCluster } from '../server/pgHarness';
import { DIST } from './harness';

const ROOT = path.resolve(import.meta.dirname, '../..');

export const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });

export interface RealServer {
  url: string;
  kind: 'sqlite' | 'postgres';
  /** The database's environment (for the CLI and for a second connection). */
  dbEnv: Record<string, string>;
  /** A storage on the same database, for seeding and for reading what it holds. */
  openStorage(): Promise<SyncStorage>;
  /** The admin CLI through tsx, as an administrator would run it; returns its output. */
  admin(...args: string[]): Promise<string>;
  stop(): Promise<void>;
}

export async function startRealServer(kind: 'sqlite' | 'postgres', env: Record<string, string> = {}, port?: number): Promise<RealServer> {
  if (!existsSync(path.join(DIST, 'kommune', 'index.html'))) throw new Error('dist/ is missing the console: run `npm run build` first.');
  const dir = mkdtempSync(path.join(tmpdir(), `nedenfra-e2e-console-${kind}-`));
  let cluster: PgCluster | undefined;
  let dbEnv: Record<string, string>;
  if (kind === 'postgres') {
    cluster = await startPostgres();
    dbEnv = { DATABASE_URL: await cluster.createDatabase('console') };
  } else dbEnv = { NEDENFRA_DB: path.join(dir, 'server.sqlite'), DATABASE_URL: '' };
  const listen = port ?? (await freePort());
  const url = `http://127.0.0.1:${listen}`;
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...dbEnv, ...env, PORT: String(listen), HOST: '127.0.0.1', PUBLIC_URL: url },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`server exited: ${stderr}`);
    try {
      if ((await fetch(`${url}/api/v1/health`)).ok) break;
    } catch {
      // not up yet
    }
    if (i > 300) {
      await stop();
      throw new Error(`server did not start: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const run = promisify(execFile);
  return {
    url,
    kind,
    dbEnv,
    openStorage: () => (kind === 'postgres' ? openPostgresStorage(dbEnv.DATABASE_URL!) : openSqliteStorage(dbEnv.NEDENFRA_DB!)),
    async admin(...args) {
      const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/server/admin.ts', ...args], {
        cwd: ROOT,
        env: { ...process.env, ...dbEnv, PUBLIC_URL: url },
      });
      return stdout;
    },
    stop,
  };
}

/** Every text item of a PDF, page by page (pdf.js, as a reader would extract it). */
export async function pdfText(pdf: Buffer): Promise<string[]> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await pdfjs.getDocument({ data: new Uint8Array(pdf), useSystemFonts: false, isEvalSupported: false }).promise;
  const pages: string[] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const content = await (await doc.getPage(i)).getTextContent();
    pages.push(
      content.items
        .map((item) => ('str' in item ? item.str : ''))
        .join(' ')
        .replace(/\s+/g, ' '),
    );
  }
  await doc.destroy();
  return pages;
}
