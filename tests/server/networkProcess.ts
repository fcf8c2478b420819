/**
 * The real server entry (src/server/main.ts) as a child process, for tests
 * that are about the network and the process itself: body limits while a
 * client is still sending, RSS, TLS, what the server prints at start.
 * `node --import tsx` so the PID we sample is the server, not a wrapper.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createServer } from 'node:net';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');

export interface ServerProcess {
  url: string;
  pid: number;
  /** Wait (bounded) until the server printed something matching `re`; resolves with all output. */
  printed(re: RegExp): Promise<string>;
  stop(): Promise<void>;
}

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

/** Start main.ts with `env` on a free port; resolves once `ready(url)` answers (default: GET /api/v1/health is ok). */
export async function startServerProcess(
  env: Record<string, string>,
  opts: { scheme?: 'http' | 'https'; ready?: (url: string) => Promise<boolean> } = {},
): Promise<ServerProcess> {
  const port = await freePort();
  const url = `${opts.scheme ?? 'http'}://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill('SIGTERM');
    });
  const printed = async (re: RegExp) => {
    for (let i = 0; i < 100 && !re.test(stdout); i++) await new Promise((r) => setTimeout(r, 50));
    return stdout;
  };
  const ready =
    opts.ready ??
    (async (u: string) => {
      const res = await fetch(`${u}/api/v1/health`, { signal: AbortSignal.timeout(1000) });
      return res.ok;
    });
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}): ${stderr}`);
    try {
      if (await ready(url)) return { url, pid: child.pid!, printed, stop };
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error(`server did not become ready: ${stderr}`);
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
