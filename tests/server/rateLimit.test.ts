/** The rate limiter of src/server/rateLimit.ts: in memory, and through the database on both back ends. */
import { Hono } from 'hono';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  addressKey,
  clientAddress,
  memoryRateLimiter,
  storageRateLimiter,
  type RateLimiter,
  type RateLimitRule,
} from '../../src/server/rateLimit';
import { serverBackends, T0, type TestDb } from './helpers';

const RULE: RateLimitRule = { name: 'test', points: 3, windowSeconds: 60 };

async function attempts(limiter: RateLimiter, key: string, n: number) {
  const out: boolean[] = [];
  for (let i = 0; i < n; i++) out.push((await limiter.consume(RULE, key)).allowed);
  return out;
}

function behavesAsAFixedWindow(make: (now: () => number) => Promise<RateLimiter>) {
  it('allows `points` attempts per window, says how long to wait, and starts over when the window ends', async () => {
    let time = T0;
    const limiter = await make(() => time);
    expect(await attempts(limiter, 'a', 4)).toEqual([true, true, true, false]);
    time += 20_000;
    expect(await limiter.consume(RULE, 'a')).toEqual({ allowed: false, retryAfterSeconds: 40 });
    expect(await attempts(limiter, 'b', 1)).toEqual([true]);
    expect((await limiter.consume({ ...RULE, name: 'other' }, 'a')).allowed).toBe(true);
    time += 40_000;
    expect(await attempts(limiter, 'a', 4)).toEqual([true, true, true, false]);
  });

  it('reset forgets the attempts of one key', async () => {
    const limiter = await make(() => T0);
    expect(await attempts(limiter, 'a', 4)).toEqual([true, true, true, false]);
    await attempts(limiter, 'b', 4);
    await limiter.reset(RULE, 'a');
    expect(await attempts(limiter, 'a', 1)).toEqual([true]);
    expect(await attempts(limiter, 'b', 1)).toEqual([false]);
  });
}

describe('memoryRateLimiter', () => {
  behavesAsAFixedWindow(async (now) => memoryRateLimiter(now));

  it('holds at most maxSubjects counters (many addresses cannot grow it without end)', async () => {
    const limiter = memoryRateLimiter(() => T0, 100);
    for (let i = 0; i < 1000; i++) await limiter.consume(RULE, `10.0.${i >> 8}.${i & 255}`);
    // The oldest were forgotten: the first address starts over, the latest is still counted.
    expect(await attempts(limiter, '10.0.0.0', 3)).toEqual([true, true, true]);
    expect(await attempts(limiter, '10.0.3.231', 3)).toEqual([true, true, false]);
  });
});

describe.each(serverBackends())('storageRateLimiter on %s', (_kind, backend) => {
  let db: TestDb;
  beforeAll(() => backend.setup(), 60_000);
  afterAll(() => backend.teardown());
  afterEach(async () => db?.close());

  behavesAsAFixedWindow(async (now) => {
    db = await backend.fresh();
    return storageRateLimiter(db.storage, now);
  });

  it('two limiters on one database share the count; ended windows are purged', async () => {
    db = await backend.fresh();
    let time = T0;
    const other = await db.openAnother();
    try {
      const a = storageRateLimiter(db.storage, () => time);
      const b = storageRateLimiter(other, () => time);
      expect([...(await attempts(a, 'x', 2)), ...(await attempts(b, 'x', 2))]).toEqual([true, true, true, false]);
      time += 11 * 60_000;
      await a.consume(RULE, 'y'); // the first consume after 10 minutes purges ended windows
      // x's ended window is gone already; only y's is left to purge.
      expect(await db.storage.write(async (tx) => tx.purgeAttempts(time + 120_000))).toBe(1);
    } finally {
      await other.close();
    }
  });
});

describe('addresses', () => {
  it('throttles IPv6 by its /64 network, IPv4 as it is', () => {
    expect(addressKey('203.0.113.7')).toBe('203.0.113.7');
    expect(addressKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8:1:2:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
  });

  it('reads the socket address, or with trustProxy the last X-Forwarded-For entry', async () => {
    const app = new Hono();
    app.get('/', (c) => c.text(`${clientAddress(c, false)} ${clientAddress(c, true)}`));
    const ask = async (headers: Record<string, string>, remoteAddress?: string) =>
      (
        await app.fetch(new Request('http://x/', { headers }), remoteAddress ? { incoming: { socket: { remoteAddress } } } : undefined)
      ).text();
    expect(await ask({ 'x-forwarded-for': '192.0.2.1, 198.51.100.7' }, '::ffff:127.0.0.1')).toBe('127.0.0.1 198.51.100.7');
    expect(await ask({}, '10.0.0.5')).toBe('10.0.0.5 10.0.0.5');
    expect(await ask({})).toBe('unknown unknown');
  });
});
