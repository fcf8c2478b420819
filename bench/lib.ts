/**
 * Shared bench plumbing: modes, statistics, the machine description, and
 * process helpers. Every figure is a list of per-run values; the report shows
 * the median with min–max, so one noisy run on a 2-core box cannot decide a
 * pass or miss on its own.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { prebuiltServer, startServerProcess, type ServerProcess } from '../tests/server/serverProcess';

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
  /** P6b: PostgreSQL, two server processes. */
  p6bTablets: number;
  p6bMutations: number;
  p6bRuns: number;
  /** P6c: the curve's points (tablets), mutations each, one run per point. */
  p6cTablets: number[];
  p6cMutations: number;
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
    p6bTablets: 1000,
    p6bMutations: 20,
    p6bRuns: 3,
    p6cTablets: [50, 200, 500, 1000],
    p6cMutations: 20,
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
    p6bTablets: 300,
    p6bMutations: 20,
    p6bRuns: 2,
    p6cTablets: [50, 200],
    p6cMutations: 20,
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
    p6bTablets: 20,
    p6bMutations: 5,
    p6bRuns: 1,
    p6cTablets: [10, 20],
    p6cMutations: 5,
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

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Current resident set (VmRSS) of a process, in bytes; Linux only. */
export function vmRssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(m[1]) * 1024;
}

/**
 * The real server entry as a child process (tests/server/serverProcess.ts), from
 * the prebuilt bundle that `npm start` runs (plain node, no TypeScript loader),
 * its JSON log discarded (the logging cost is still paid, the parsing is not).
 * NEDENFRA_BENCH_CPU_PROF=<dir>: write a V8 CPU profile of each server child there (for finding why a figure misses).
 */
export async function startBenchServer(env: Record<string, string>): Promise<ServerProcess> {
  const prof = process.env.NEDENFRA_BENCH_CPU_PROF;
  return startServerProcess(env, {
    output: 'ignore',
    script: await prebuiltServer(),
    ...(prof ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${prof}`] } : {}),
  });
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
