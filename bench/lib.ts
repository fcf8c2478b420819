/**
 * Shared bench plumbing: modes, statistics, the machine description, and
 * process helpers. Every figure is a list of per-run values; the report shows
 * the median with min–max, so one noisy run on a 2-core box cannot decide a
 * pass or miss on its own.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';

export type Mode = 'full' | 'quick' | 'smoke';

/** Sizes per mode: the full run uses the sizes; quick/smoke shrink them and say so in the report. */
export interface Sizes {
  runs: number;
  p3Ideas: number;
  p3Saves: number;
  p4Ideas: number;
  p5Mutations: number;
  p6Tablets: number;
  p6Mutations: number;
  p7History: number;
  p7Baseline: number;
  p8Photos: number;
  /** P9/P10: the municipality seeded for the console (units, ideas; evaluations, decisions, learnings follow). */
  p9Units: number;
  p9Ideas: number;
}

export const SIZES: Record<Mode, Sizes> = {
  full: {
    runs: 5,
    p3Ideas: 10_000,
    p3Saves: 100,
    p4Ideas: 10_000,
    p5Mutations: 1000,
    p6Tablets: 200,
    p6Mutations: 50,
    p7History: 1_000_000,
    p7Baseline: 1000,
    p8Photos: 5,
    p9Units: 100,
    p9Ideas: 100_000,
  },
  quick: {
    runs: 3,
    p3Ideas: 10_000,
    p3Saves: 40,
    p4Ideas: 10_000,
    p5Mutations: 1000,
    p6Tablets: 100,
    p6Mutations: 20,
    p7History: 100_000,
    p7Baseline: 1000,
    p8Photos: 2,
    p9Units: 100,
    p9Ideas: 20_000,
  },
  smoke: {
    runs: 1,
    p3Ideas: 1000,
    p3Saves: 20,
    p4Ideas: 1000,
    p5Mutations: 200,
    p6Tablets: 20,
    p6Mutations: 10,
    p7History: 20_000,
    p7Baseline: 1000,
    p8Photos: 1,
    p9Units: 10,
    p9Ideas: 1000,
  },
};

export interface Stat {
  median: number;
  min: number;
  max: number;
  n: number;
}

export function stat(values: readonly number[]): Stat {
  if (values.length === 0) throw new Error('no values to summarise');
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  const median = s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return { median, min: s[0]!, max: s[s.length - 1]!, n: s.length };
}

/** Nearest-rank percentile (p in 0..100). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new Error('no values');
  const s = [...values].sort((a, b) => a - b);
  const rank = Math.min(s.length, Math.max(1, Math.ceil((p / 100) * s.length)));
  return s[rank - 1]!;
}

export interface Machine {
  cpu: string;
  cores: number;
  ramGiB: number;
  node: string;
  chromium: string;
  os: string;
}

export function machine(chromiumPath: string): Machine {
  let chromium = 'unknown';
  try {
    chromium = execFileSync(chromiumPath, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    // reported as unknown
  }
  return {
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
    cores: os.cpus().length,
    ramGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    chromium,
    os: `${os.type()} ${os.release()}`,
  };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Current resident set (VmRSS) of a process, in bytes; Linux only. */
export function vmRssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(m[1]) * 1024;
}

/** Peak resident set (VmHWM) of a process, in bytes; Linux only. */
export function vmHwmBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = /VmHWM:\s+(\d+)\s+kB/.exec(status);
  if (!m) throw new Error(`no VmHWM for pid ${pid}`);
  return Number(m[1]) * 1024;
}

/**
 * The real server entry (src/server/main.ts) as a child process on loopback:
 * `node --import tsx` so the PID we sample is the server itself, not a wrapper.
 * Its JSON log goes to /dev/null (the logging cost is still paid).
 */
export interface ChildServer {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

export async function startServerChild(env: Record<string, string>, cwd: string): Promise<ChildServer> {
  const port = await freePort();
  // NEDENFRA_BENCH_CPU_PROF=<dir>: write a V8 CPU profile of each server child there (for finding why a figure misses).
  const prof = process.env.NEDENFRA_BENCH_CPU_PROF;
  const child: ChildProcess = spawn(
    process.execPath,
    [...(prof ? ['--cpu-prof', `--cpu-prof-dir=${prof}`] : []), '--import', 'tsx', 'src/server/main.ts'],
    {
      cwd,
      env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const url = `http://127.0.0.1:${port}`;
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
  // Bounded wait for /health.
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}): ${stderr}`);
    try {
      const res = await fetch(`${url}/api/v1/health`, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return { url, pid: child.pid!, stop };
    } catch {
      // not up yet
    }
    await sleep(100);
  }
  await stop();
  throw new Error(`server did not become healthy: ${stderr}`);
}

/** Run `fn` with cleanups that always run (LIFO), even when fn throws. */
export async function withCleanup<T>(fn: (defer: (c: () => unknown) => void) => Promise<T>): Promise<T> {
  const cleanups: Array<() => unknown> = [];
  try {
    return await fn((c) => cleanups.push(c));
  } finally {
    for (const c of cleanups.reverse()) {
      try {
        await c();
      } catch (e) {
        console.error('cleanup failed:', e);
      }
    }
  }
}

/** A measured figure as the report shows it. */
export interface Figure {
  id: string;
  name: string;
  unit: 'KB' | 'ms' | 'MB' | 'x' | 'count';
  values: number[];
  baseline?: { name: string; values: number[] };
  /** Goal as "value <= goal" (lower is better); ratio goals compare the ratio. */
  goal: number;
  goalOn: 'value' | 'ratio';
  goalText: string;
  note?: string;
}
