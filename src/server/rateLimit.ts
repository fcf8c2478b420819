/**
 * Throttling attempts per subject (a source address, an account): enrollment
 * codes, device tokens, console sign-ins. Fixed windows: `points` attempts
 * per `windowSeconds`, counted from the first attempt of a window.
 *
 * Where the counts live decides what holds with several instances:
 * - PostgreSQL (several instances may share it): every count is one upsert
 *   in the shared `rate_limits` table, so the limit holds across instances.
 *   Each instance also remembers in memory which subjects it saw refused
 *   until when, and refuses those without a database round trip.
 * - SQLite (one instance by design): the counts stay in this process's
 *   memory. A restart forgets them; nothing else can share them anyway, and
 *   attempts then cost no fsync.
 */
import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { SyncStorage } from './storage/types';

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

/**
 * The source address of a request: the socket's, or with trustProxy the
 * forwarded one. Behind a reverse proxy the socket is the proxy; the proxy
 * appends the address it saw to X-Forwarded-For, so the LAST entry is the one
 * to trust (earlier entries are whatever the client chose to send).
 */
export function clientAddress(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req
      .header('x-forwarded-for')
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .pop();
    if (forwarded) return normalizeAddress(forwarded);
  }
  try {
    return normalizeAddress(getConnInfo(c).remote.address ?? 'unknown');
  } catch {
    return 'unknown'; // called in-process (app.fetch without a socket), e.g. by tests
  }
}

/** `::ffff:10.0.0.5` and `10.0.0.5` are one client. */
function normalizeAddress(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return (mapped ? mapped[1]! : address).toLowerCase();
}

/**
 * The key to throttle an address under: IPv4 as it is, IPv6 by its /64
 * network (one subscriber usually holds a whole /64, so single addresses
 * would cost an attacker nothing).
 */
export function addressKey(address: string): string {
  if (!address.includes(':')) return address;
  const [head = '', tail] = address.split('%')[0]!.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  const network = groups.slice(0, 4).map((g) => parseInt(g || '0', 16));
  return network.length === 4 && network.every((n) => Number.isInteger(n))
    ? `${network.map((n) => n.toString(16)).join(':')}::/64`
    : address;
}

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/** Subjects this process knows are refused until a time; bounded so many addresses cannot grow it without end. */
class RefusedUntil {
  private readonly until = new Map<string, number>();
  constructor(private readonly max = 50_000) {}

  get(id: string, now: number): number | undefined {
    const t = this.until.get(id);
    if (t === undefined) return undefined;
    if (t > now) return t;
    this.until.delete(id);
    return undefined;
  }

  set(id: string, t: number, now: number): void {
    this.until.delete(id);
    this.until.set(id, t);
    if (this.until.size <= this.max) return;
    for (const [k, v] of this.until) if (v <= now) this.until.delete(k);
    // Still full: forget the oldest entries (Map keeps insertion order).
    for (const k of this.until.keys()) {
      if (this.until.size <= this.max) break;
      this.until.delete(k);
    }
  }

  delete(id: string): void {
    this.until.delete(id);
  }
}

const counterId = (rule: RateLimitRule, key: string) => `${rule.name}\u0000${key}`;

/** Counts in this process's memory (SQLite servers, tests). */
export function memoryRateLimiter(now: () => number = Date.now, maxSubjects = 50_000): RateLimiter {
  const windows = new Map<string, { points: number; endsAt: number }>();
  return {
    async consume(rule, key) {
      const t = now();
      const id = counterId(rule, key);
      let w = windows.get(id);
      if (!w || w.endsAt <= t) {
        windows.delete(id);
        w = { points: 0, endsAt: t + rule.windowSeconds * 1000 };
        windows.set(id, w);
        if (windows.size > maxSubjects) {
          for (const [k, v] of windows) if (v.endsAt <= t) windows.delete(k);
          for (const k of windows.keys()) {
            if (windows.size <= maxSubjects) break;
            windows.delete(k);
          }
        }
      }
      w.points++;
      return w.points <= rule.points
        ? { allowed: true, retryAfterSeconds: 0 }
        : { allowed: false, retryAfterSeconds: seconds(w.endsAt - t) };
    },
    async reset(rule, key) {
      windows.delete(counterId(rule, key));
    },
  };
}

/** How often one instance clears ended windows out of the shared table. */
const PURGE_EVERY_MS = 10 * 60_000;

/** Counts in the database, shared by every instance on it (PostgreSQL servers). */
export function storageRateLimiter(storage: SyncStorage, now: () => number = Date.now): RateLimiter {
  const refused = new RefusedUntil();
  let purgedAt = 0;
  return {
    async consume(rule, key) {
      const t = now();
      const id = counterId(rule, key);
      const known = refused.get(id, t);
      if (known !== undefined) return { allowed: false, retryAfterSeconds: seconds(known - t) };
      const purge = t - purgedAt > PURGE_EVERY_MS;
      if (purge) purgedAt = t;
      const count = await storage.write(async (tx) => {
        if (purge) await tx.purgeAttempts(t);
        return tx.countAttempt(rule.name, key, t, rule.windowSeconds * 1000);
      });
      if (count.points <= rule.points) return { allowed: true, retryAfterSeconds: 0 };
      refused.set(id, count.windowEndsAt, t);
      return { allowed: false, retryAfterSeconds: seconds(count.windowEndsAt - t) };
    },
    async reset(rule, key) {
      refused.delete(counterId(rule, key));
      await storage.write((tx) => tx.clearAttempts(rule.name, key));
    },
  };
}

/** The limiter a server on this storage should use (see the header for why they differ). */
export function rateLimiterFor(storage: SyncStorage, now: () => number = Date.now): RateLimiter {
  return storage.kind === 'postgres' ? storageRateLimiter(storage, now) : memoryRateLimiter(now);
}
