/**
 * Rate limiting, per the shared contract with #10 (network). THIS FILE IS A
 * STAND-IN: an in-memory fixed window per (rule, key), enough for one
 * process and for the console's login throttling. #10 owns the real
 * implementation (shared through the database, so several instances on one
 * PostgreSQL count together); the lead takes that one at merge. Keep the
 * exported names and signatures unchanged.
 */
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

export interface RateLimitRule {
  /** Distinguishes counters: 'enroll', 'token', 'login-account', 'login-address', … */
  name: string;
  /** Attempts allowed per window. */
  points: number;
  windowSeconds: number;
}
export interface RateLimitDecision {
  allowed: boolean;
  /** Seconds until an attempt would be allowed again (0 when allowed). */
  retryAfterSeconds: number;
}
export interface RateLimiter {
  /** Count one attempt of `key` under `rule` and say whether it may proceed. */
  consume(rule: RateLimitRule, key: string): Promise<RateLimitDecision>;
  /** Forget the attempts of `key` (e.g. after a successful sign-in). */
  reset(rule: RateLimitRule, key: string): Promise<void>;
}

/** Bound on counters held, so a flood of distinct keys cannot grow memory without limit. */
const MAX_KEYS = 100_000;

export function memoryRateLimiter(now: () => number = () => Date.now()): RateLimiter {
  const windows = new Map<string, { start: number; count: number }>();
  const id = (rule: RateLimitRule, key: string) => `${rule.name}\u0000${key}`;
  return {
    async consume(rule, key) {
      const t = now();
      const k = id(rule, key);
      let w = windows.get(k);
      if (!w || t - w.start >= rule.windowSeconds * 1000) {
        if (windows.size >= MAX_KEYS) windows.clear();
        w = { start: t, count: 0 };
        windows.set(k, w);
      }
      w.count++;
      if (w.count <= rule.points) return { allowed: true, retryAfterSeconds: 0 };
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((w.start + rule.windowSeconds * 1000 - t) / 1000)) };
    },
    async reset(rule, key) {
      windows.delete(id(rule, key));
    },
  };
}

/** The source address of a request: the socket's, or with trustProxy the forwarded one. */
export function clientAddress(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
    if (forwarded) return forwarded;
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown'; // no socket (in-process app.fetch)
  }
}
