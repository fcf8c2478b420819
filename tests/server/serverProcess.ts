/**
 * The real server entry (src/server/main.ts) as a child process: the one
 * harness for every test and bench that must prove something about the
 * process itself or the network in front of it — that it is still alive
 * after its database connection was killed, what it logged and printed, how
 * it behaves when paused (SIGSTOP) or killed, body limits while a client is
 * still sending, its peak memory, TLS.
 *
 * `node --import tsx` (no wrapper process), so the PID is the server's own:
 * SIGKILL kills the server, and /proc/<pid> is its memory. Every exit the
 * caller did not ask for is recorded in `unexpectedExits`.
 *
 * No vitest import here: the bench (tsx, outside vitest) starts its servers
 * with it too.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createServer } from 'node:net';
import path from 'node:path';
import { buildServer } from '../../scripts/buildServer';

export const ROOT = path.resolve(import.meta.dirname, '../..');

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  expected: boolean;
}

export interface ServerProcess {
  readonly url: string;
  readonly pid: number;
  /** The JSON log lines it wrote (parsed), oldest first. Empty with `output: 'ignore'`. */
  readonly logs: Array<Record<string, unknown>>;
  /** Set once it exited. */
  exit: Exit | undefined;
  alive(): boolean;
  /** Wait (bounded) until what it printed for a person (every stdout line that is not a JSON log line) matches `re`; resolves with all of it. */
  printed(re: RegExp): Promise<string>;
  /** SIGKILL (expected): a crash or an operator's kill -9. */
  kill(): Promise<void>;
  /** SIGSTOP / SIGCONT: a paused VM or a long GC pause, as PostgreSQL sees it. */
  pause(): void;
  resume(): void;
  /** SIGTERM and wait (expected); SIGKILL if it has not exited after 10 s. */
  stop(): Promise<void>;
  stderr(): string;
}

export interface StartOptions {
  /** A fixed port (a restart where tablets already know the address); default: a free one. */
  port?: number;
  scheme?: 'http' | 'https';
  /** Ready when this answers true; default: GET /api/v1/health is ok. */
  ready?: (url: string) => Promise<boolean>;
  /** 'ignore': stdout goes nowhere (a bench, whose log parsing would take CPU from the server it measures). */
  output?: 'collect' | 'ignore';
  /** Extra node flags, e.g. `--cpu-prof`. */
  nodeArgs?: string[];
  /** A prebuilt server (scripts/buildServer.ts) to run with plain node, as `npm start` does; default: main.ts through tsx. */
  script?: string;
}

/** Every exit nobody asked for, across all processes started here. */
export const unexpectedExits: Array<Exit & { pid: number; stderr: string }> = [];

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

const healthy = async (url: string) => (await fetch(`${url}/api/v1/health`, { signal: AbortSignal.timeout(1000) })).ok;

/**
 * Start main.ts with `env` (on top of this process's, with no SQLite path
 * unless `env` names one); resolves once it is ready, throws if it exits first
 * or is not ready within 30 s.
 */
export async function startServerProcess(env: Record<string, string>, opts: StartOptions = {}): Promise<ServerProcess> {
  const port = opts.port ?? (await freePort());
  const url = `${opts.scheme ?? 'http'}://127.0.0.1:${port}`;
  const entry = opts.script ? [opts.script] : ['--import', 'tsx', 'src/server/main.ts'];
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), ...entry], {
    cwd: ROOT,
    env: { ...process.env, NEDENFRA_DB: '', ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', opts.output === 'ignore' ? 'ignore' : 'pipe', 'pipe'],
  });
  const logs: Array<Record<string, unknown>> = [];
  let printed = '';
  let stderr = '';
  let pending = '';
  let expectExit = false;
  child.stdout?.on('data', (d: Buffer) => {
    const lines = (pending + d.toString()).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.startsWith('{')) {
        printed += `${line}\n`; // the start-up banner and its warnings
        continue;
      }
      try {
        logs.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // a line cut by a kill
      }
    }
  });
  child.stderr?.on('data', (d: Buffer) => {
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
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  const proc: ServerProcess = {
    url,
    pid: child.pid!,
    logs,
    exit: undefined,
    alive: () => proc.exit === undefined,
    printed: async (re) => {
      for (let i = 0; i < 100 && !re.test(printed); i++) await sleep(50);
      return printed;
    },
    kill: () => signal('SIGKILL'),
    stop: () => signal('SIGTERM'),
    pause: () => void child.kill('SIGSTOP'),
    resume: () => void child.kill('SIGCONT'),
    stderr: () => stderr,
  };
  const ready = opts.ready ?? healthy;
  for (let i = 0; i < 300 && proc.alive(); i++) {
    try {
      if (await ready(url)) return proc;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  const exit = proc.exit;
  await proc.kill();
  throw new Error(exit ? `server exited (${exit.code ?? exit.signal}): ${stderr}` : `server did not become ready: ${stderr}`);
}

let prebuilt: Promise<string> | undefined;
/**
 * The server as `npm start` runs it (scripts/buildServer.ts), built once per
 * process inside node_modules/ so its packages resolve, removed at exit. For
 * figures and bounds on memory: under tsx the server holds ~50 MB more.
 */
export function prebuiltServer(): Promise<string> {
  if (!prebuilt) {
    const dir = mkdtempSync(path.join(ROOT, 'node_modules', '.nedenfra-server-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    prebuilt = buildServer(dir);
  }
  return prebuilt;
}

/** Peak resident set size (VmHWM) of a process in bytes; Linux only. */
export function peakRssBytes(pid: number): number {
  const m = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmHWM for pid ${pid}`);
  return Number(m[1]) * 1024;
}

export interface SentBody {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  /** From the first byte sent until the status line arrived. */
  ms: number;
  /** How much of the body had been written when the answer came. */
  sentBytes: number;
}

/**
 * Send a large body the way an attacker would: 1 MiB at a time, up to
 * `totalBytes`, declared (Content-Length) or streamed (chunked). Stops
 * writing as soon as the server answers or closes the connection.
 */
export function sendLargeBody(
  url: string,
  opts: { method?: string; totalBytes: number; declareLength: boolean; headers?: Record<string, string>; fill?: Buffer },
): Promise<SentBody> {
  const target = new URL(url);
  const chunk = opts.fill ?? Buffer.alloc(1024 * 1024, 0x61);
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let sent = 0;
    let answered = false;
    const req = (target.protocol === 'https:' ? httpsRequest : httpRequest)(
      target,
      {
        method: opts.method ?? 'POST',
        headers: {
          'content-type': 'application/json',
          ...(opts.declareLength ? { 'content-length': String(opts.totalBytes) } : { 'transfer-encoding': 'chunked' }),
          ...opts.headers,
        },
      },
      (res) => {
        answered = true;
        const ms = performance.now() - started;
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => {
          req.destroy();
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, ms, sentBytes: sent });
        });
        res.on('error', reject);
      },
    );
    req.on('error', (e) => {
      if (!answered) reject(e);
    });
    const pump = () => {
      while (!answered && sent < opts.totalBytes) {
        const piece = chunk.subarray(0, Math.min(chunk.length, opts.totalBytes - sent));
        sent += piece.length;
        if (!req.write(piece)) return void req.once('drain', pump);
      }
      if (!answered) req.end();
    };
    pump();
  });
}
