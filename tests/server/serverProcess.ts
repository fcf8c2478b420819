/**
 * The real server entry (src/server/main.ts) as a child process, for tests
 * that must prove something about the process itself: that it is still alive
 * after its database connection was killed, what it logged, how it behaves
 * when paused (SIGSTOP) or killed. Every exit the test did not ask for is
 * recorded in `unexpectedExits`.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../bench/lib';
import type { SyncStorage } from '../../src/server/storage/types';
import { sleep, TestServer } from './helpers';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  expected: boolean;
}

export interface ServerProcess {
  readonly url: string;
  readonly pid: number;
  /** The JSON log lines it wrote (parsed), oldest first. */
  readonly logs: Array<Record<string, unknown>>;
  /** Set once it exited. */
  exit: Exit | undefined;
  alive(): boolean;
  /** SIGKILL (expected): a crash or an operator's kill -9. */
  kill(): Promise<void>;
  /** SIGSTOP / SIGCONT: a paused VM or a long GC pause, as PostgreSQL sees it. */
  pause(): void;
  resume(): void;
  /** SIGTERM and wait (expected). */
  stop(): Promise<void>;
  stderr(): string;
}

/** Every exit nobody asked for, across all processes started here. */
export const unexpectedExits: Array<Exit & { pid: number; stderr: string }> = [];

export async function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, NEDENFRA_DB: '', ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = `http://127.0.0.1:${port}`;
  const logs: Array<Record<string, unknown>> = [];
  let stderr = '';
  let pending = '';
  let expectExit = false;
  child.stdout.on('data', (d: Buffer) => {
    const lines = (pending + d.toString()).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.startsWith('{')) continue; // the start-up banner
      try {
        logs.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // a line cut by a kill
      }
    }
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-8000);
  });
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      proc.exit = { code, signal, expected: expectExit };
      if (!expectExit) unexpectedExits.push({ ...proc.exit, pid: child.pid!, stderr });
      resolve();
    }),
  );
  const signal = async (sig: NodeJS.Signals) => {
    if (proc.exit) return;
    expectExit = true;
    child.kill('SIGCONT'); // a paused process must run to act on SIGTERM
    child.kill(sig);
    await exited;
  };
  const proc: ServerProcess = {
    url,
    pid: child.pid!,
    logs,
    exit: undefined,
    alive: () => proc.exit === undefined,
    kill: () => signal('SIGKILL'),
    stop: () => signal('SIGTERM'),
    pause: () => void child.kill('SIGSTOP'),
    resume: () => void child.kill('SIGCONT'),
    stderr: () => stderr,
  };
  for (let i = 0; i < 300 && proc.alive(); i++) {
    try {
      const res = await fetch(`${url}/api/v1/health`, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return proc;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  await proc.kill();
  throw new Error(`server process did not become healthy: ${stderr}`);
}

/**
 * The protocol-speaking test tablets of ./helpers.ts, over real HTTP to a
 * server process. `storage` (the same database, opened in the test) serves the
 * admin steps: units and enrollment codes.
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
