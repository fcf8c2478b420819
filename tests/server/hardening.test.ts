/**
 * What a server on a municipal network must hold, on both back ends:
 * throttled enrollment and token guesses per source address (shared through
 * PostgreSQL between instances), security headers and CORS on every answer,
 * and photo uploads that one tablet cannot spoil for another, that expire,
 * that respect a per-unit quota and whose status never loads the bytes.
 */
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { gunzipSync } from 'node:zlib';
import { BlobStatus, PROTOCOL_VERSION, PullResponse } from '../../src/domain';
import { createApp, type AppOptions } from '../../src/server/app';
import type { SyncStorage } from '../../src/server/storage/types';
import { serverBackends, TestServer, type TestDb } from './helpers';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const DAY = 86_400_000;

/** What @hono/node-server hands the app for a request from `address`. */
const from = (address: string) => ({ incoming: { socket: { remoteAddress: address, remotePort: 50000, remoteFamily: 'IPv4' } } });

/** A TestServer whose app is built with extra options, and whose requests come from a given address. */
class NetServer extends TestServer {
  constructor(storage: SyncStorage, extra: Partial<AppOptions> = {}) {
    super(storage);
    this.app = createApp({ storage, now: () => this.time, log: this.log, ...extra });
  }

  send(
    method: string,
    path: string,
    opts: { address?: string; token?: string; body?: unknown; raw?: BodyInit; headers?: Record<string, string> } = {},
  ) {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    const body = opts.raw ?? (opts.body === undefined ? null : JSON.stringify(opts.body));
    return this.app.fetch(new Request(`http://server${path}`, { method, headers, body }), from(opts.address ?? '10.0.0.1'));
  }

  enrollWith(code: string, address: string, headers: Record<string, string> = {}) {
    return this.send('POST', '/api/v1/enroll', { address, headers, body: { protocol: PROTOCOL_VERSION, code, deviceLabel: 'tablet' } });
  }
}

const WRONG = 'AAAA-BBBB-CCCC';

describe.each(serverBackends())('hardening on %s', (kind, backend) => {
  let db: TestDb;
  const others: SyncStorage[] = [];
  beforeAll(() => backend.setup(), 60_000);
  afterAll(() => backend.teardown());
  afterEach(async () => {
    for (const s of others.splice(0)) await s.close();
    await db?.close();
  });

  async function start(extra: Partial<AppOptions> = {}) {
    db = await backend.fresh();
    return new NetServer(db.storage, extra);
  }

  describe('throttling guesses', () => {
    it('after 10 wrong enrollment codes from one address: 429 with Retry-After, even for a right code; logged with the address, never the code', async () => {
      const s = await start();
      const unit = await s.unit();
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) statuses.push((await s.enrollWith(WRONG, '10.0.0.7')).status);
      expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
      expect(statuses.slice(10)).toEqual([429, 429]);

      const right = await s.code(unit.id);
      const refused = await s.enrollWith(right, '10.0.0.7');
      expect(refused.status).toBe(429);
      expect(((await refused.json()) as { error: string }).error).toBe('tooManyRequests');
      const wait = Number(refused.headers.get('retry-after'));
      expect(wait).toBeGreaterThan(0);
      expect(wait).toBeLessThanOrEqual(600);
      // Another address is not affected, and its right code still works.
      expect((await s.enrollWith(right, '10.0.0.8')).status).toBe(200);

      const lines = s.log.lines.filter((l) => l.event === 'enrollRefused' || l.event === 'enrollThrottled');
      expect(lines.length).toBeGreaterThanOrEqual(12);
      expect(lines.every((l) => l.address === '10.0.0.7')).toBe(true);
      expect(JSON.stringify(s.log.lines)).not.toContain('AAAABBBBCCCC');
      expect(JSON.stringify(s.log.lines)).not.toContain(WRONG);

      // Once the window has passed, the address may try again.
      s.time += wait * 1000 + 1;
      expect((await s.enrollWith(await s.code(unit.id), '10.0.0.7')).status).toBe(200);
    });

    it('a successful enrollment clears the count, so a leader enrolling many tablets is never throttled', async () => {
      const s = await start();
      const unit = await s.unit();
      for (let i = 0; i < 25; i++) {
        if (i % 5 === 0) expect((await s.enrollWith(WRONG, '10.0.0.9')).status).toBe(401);
        expect((await s.enrollWith(await s.code(unit.id), '10.0.0.9')).status).toBe(200);
      }
    });

    it('behind a proxy (trustProxy) each forwarded address has its own count; without trustProxy X-Forwarded-For is ignored', async () => {
      const direct = await start();
      // Spoofed headers do not buy fresh attempts from the same socket address.
      for (let i = 0; i < 12; i++) await direct.enrollWith(WRONG, '10.0.0.7', { 'x-forwarded-for': `192.0.2.${i}` });
      expect((await direct.enrollWith(WRONG, '10.0.0.7', { 'x-forwarded-for': '192.0.2.99' })).status).toBe(429);
      await db.close();

      const proxied = await start({ trustProxy: true });
      // The proxy (127.0.0.1) appends the client it saw; anything a client wrote before that is not trusted.
      const via = (client: string, spoofed?: string) => ({ 'x-forwarded-for': spoofed ? `${spoofed}, ${client}` : client });
      for (let i = 0; i < 10; i++)
        expect((await proxied.enrollWith(WRONG, '127.0.0.1', via('198.51.100.4', `192.0.2.${i}`))).status).toBe(401);
      expect((await proxied.enrollWith(WRONG, '127.0.0.1', via('198.51.100.4'))).status).toBe(429);
      expect((await proxied.enrollWith(WRONG, '127.0.0.1', via('198.51.100.5'))).status).toBe(401);
      expect(proxied.log.lines.some((l) => l.event === 'enrollThrottled' && l.address === '198.51.100.4')).toBe(true);
    });

    it('unknown tokens from one address are throttled too; a valid token from that address still works', async () => {
      const s = await start();
      const tablet = await s.enroll((await s.unit()).id);
      const statuses: number[] = [];
      for (let i = 0; i < 22; i++)
        statuses.push(
          (await s.send('GET', `/api/v1/pull?protocol=${PROTOCOL_VERSION}`, { address: '10.0.0.66', token: `guess${i}` })).status,
        );
      expect(statuses.slice(0, 20)).toEqual(Array(20).fill(401));
      expect(statuses.slice(20)).toEqual([429, 429]);
      const ok = await s.send('GET', `/api/v1/pull?protocol=${PROTOCOL_VERSION}`, { address: '10.0.0.66', token: tablet.token });
      expect(ok.status).toBe(200);
      expect(s.log.lines.some((l) => l.event === 'authThrottled' && l.address === '10.0.0.66')).toBe(true);
    });

    if (kind === 'postgres')
      it('two server instances on one PostgreSQL share the count', async () => {
        const a = await start();
        const other = await db.openAnother();
        others.push(other);
        const b = new NetServer(other);
        b.time = a.time;
        const statuses: number[] = [];
        for (let i = 0; i < 12; i++) statuses.push((await (i % 2 ? a : b).enrollWith(WRONG, '10.0.0.7')).status);
        expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
        expect(statuses.slice(10)).toEqual([429, 429]);
      });
  });

  describe('headers on every answer', () => {
    it('CSP, nosniff, no referrer and no framing on API answers, errors and 404s', async () => {
      const s = await start();
      for (const res of [
        await s.send('GET', '/api/v1/health'),
        await s.send('GET', '/api/v1/nothing'),
        await s.send('POST', '/api/v1/push', { body: {} }),
        await s.send('GET', '/api/v1/blobs/not-a-hash?status=1'),
      ]) {
        const csp = res.headers.get('content-security-policy') ?? '';
        for (const directive of [
          "default-src 'self'",
          "script-src 'self'",
          "img-src 'self' blob: data:",
          "connect-src 'self'",
          "frame-ancestors 'none'",
          "object-src 'none'",
        ])
          expect(csp, `${res.status}: ${csp}`).toContain(directive);
        expect(csp).not.toContain('unsafe-inline');
        expect(res.headers.get('x-content-type-options')).toBe('nosniff');
        expect(res.headers.get('referrer-policy')).toBe('no-referrer');
        expect(res.headers.get('x-frame-options')).toBe('DENY');
      }
    });

    it('CORS: same origin only by default; an allow-list opens the API to exactly those origins', async () => {
      const preflight = (s: NetServer, origin: string) =>
        s.send('OPTIONS', '/api/v1/push', {
          headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
        });
      const closed = await start();
      expect((await preflight(closed, 'https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
      expect(
        (await closed.send('GET', '/api/v1/health', { headers: { origin: 'https://evil.example' } })).headers.get(
          'access-control-allow-origin',
        ),
      ).toBeNull();
      await db.close();

      const open = await start({ corsOrigins: ['https://app.kommune.no'] });
      const allowed = await preflight(open, 'https://app.kommune.no');
      expect(allowed.status).toBe(204);
      expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.kommune.no');
      expect(allowed.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
      expect((await preflight(open, 'https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
    });

    it('a large pull answer is gzipped for a tablet that accepts it; an everyday small one is not', async () => {
      const s = await start();
      const tablet = await s.enroll((await s.unit()).id);
      const ideas = Array.from(
        { length: 60 },
        (_, i) => tablet.createIdea(`${'Lang tekst om en idé som er umulig nå. '.repeat(10)}${i}`).m,
      );
      expect((await tablet.push(ideas)).status).toBe(200);
      const pull = (cursor: number) =>
        s.send('GET', `/api/v1/pull?protocol=${PROTOCOL_VERSION}&cursor=${cursor}&epoch=${tablet.epoch}`, {
          token: tablet.token,
          headers: { 'accept-encoding': 'gzip, deflate, br' },
        });
      const big = await pull(0);
      expect(big.headers.get('content-encoding')).toBe('gzip');
      const bytes = Buffer.from(await big.arrayBuffer());
      const body = PullResponse.parse(JSON.parse(gunzipSync(bytes).toString()));
      expect(body.changes.length).toBeGreaterThanOrEqual(60);
      expect(bytes.length).toBeLessThan(JSON.stringify(body).length / 4);
      const small = await pull(body.cursor);
      expect(small.headers.get('content-encoding')).toBeNull();
      expect(PullResponse.parse(await small.json()).changes).toEqual([]);
    });

    it('photos are served as images only when the bytes are an image; anything else is an attachment', async () => {
      const s = await start();
      const tablet = await s.enroll((await s.unit()).id);
      const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(2000)]);
      const html = Buffer.from('<html><script>alert(1)</script></html>');
      for (const bytes of [jpeg, html])
        expect((await s.send('PUT', `/api/v1/blobs/${sha(bytes)}`, { token: tablet.token, raw: bytes })).status).toBe(200);

      const image = await s.send('GET', `/api/v1/blobs/${sha(jpeg)}`);
      expect(image.headers.get('content-type')).toBe('image/jpeg');
      expect(image.headers.get('content-disposition')).toBeNull();
      expect(image.headers.get('x-content-type-options')).toBe('nosniff');
      const other = await s.send('GET', `/api/v1/blobs/${sha(html)}`);
      expect(other.headers.get('content-type')).toBe('application/octet-stream');
      expect(other.headers.get('content-disposition')).toMatch(/^attachment/);
      expect(Buffer.from(await other.arrayBuffer()).equals(html)).toBe(true);
    });
  });

  describe('photo uploads', () => {
    async function twoTablets(extra: Partial<AppOptions> = {}) {
      const s = await start(extra);
      const unitId = (await s.unit()).id;
      return { s, a: await s.enroll(unitId), b: await s.enroll(unitId) };
    }
    const put = (s: NetServer, token: string, hash: string, offset: number, bytes: Uint8Array, total?: number) =>
      s.send('PUT', `/api/v1/blobs/${hash}?offset=${offset}${total === undefined ? '' : `&total=${total}`}`, {
        token,
        raw: new Uint8Array(bytes),
      });
    const status = async (s: NetServer, hash: string, token?: string) =>
      BlobStatus.parse(await (await s.send('GET', `/api/v1/blobs/${hash}?status=1`, token ? { token } : {})).json());

    it('a wrong total declared first by another tablet does not lock out the real upload', async () => {
      const { s, a, b } = await twoTablets();
      const photo = randomBytes(200_000);
      const hash = sha(photo);
      expect((await put(s, b.token, hash, 0, photo.subarray(0, 10), 999)).status).toBe(200);
      expect((await put(s, a.token, hash, 0, photo.subarray(0, 100_000), photo.length)).status).toBe(200);
      const done = await put(s, a.token, hash, 100_000, photo.subarray(100_000), photo.length);
      expect(done.status).toBe(200);
      expect(BlobStatus.parse(await done.json()).complete).toBe(true);
      expect(Buffer.from(await (await s.send('GET', `/api/v1/blobs/${hash}`)).arrayBuffer()).equals(photo)).toBe(true);
    });

    it("another tablet cannot continue or spoil a tablet's partial upload", async () => {
      const { s, a, b } = await twoTablets();
      const photo = randomBytes(200_000);
      const hash = sha(photo);
      await put(s, a.token, hash, 0, photo.subarray(0, 100_000), photo.length);
      expect((await status(s, hash, a.token)).received).toBe(100_000);
      // B sees no partial of its own, and cannot write past what it holds.
      expect((await status(s, hash, b.token)).received).toBe(0);
      expect((await put(s, b.token, hash, 100_000, randomBytes(100_000), photo.length)).status).toBe(400);
      // B's own wrong upload fails alone.
      await put(s, b.token, hash, 0, randomBytes(100_000), photo.length);
      expect((await put(s, b.token, hash, 100_000, randomBytes(100_000), photo.length)).status).toBe(422);
      // A's partial is intact and completes.
      expect((await status(s, hash, a.token)).received).toBe(100_000);
      expect(BlobStatus.parse(await (await put(s, a.token, hash, 100_000, photo.subarray(100_000), photo.length)).json()).complete).toBe(
        true,
      );
    });

    it('a tablet whose declared total changed starts over instead of failing forever', async () => {
      const { s, a } = await twoTablets();
      const photo = randomBytes(50_000);
      const hash = sha(photo);
      await put(s, a.token, hash, 0, photo.subarray(0, 1000), 777_777);
      const restarted = await put(s, a.token, hash, 1000, photo.subarray(1000, 2000), photo.length);
      expect(restarted.status).toBe(200);
      expect(BlobStatus.parse(await restarted.json())).toEqual({ sha256: hash, received: 0, complete: false });
      expect(BlobStatus.parse(await (await put(s, a.token, hash, 0, photo, photo.length)).json()).complete).toBe(true);
    });

    it('partial uploads expire after 7 days', async () => {
      const { s, a } = await twoTablets();
      const photo = randomBytes(20_000);
      const hash = sha(photo);
      await put(s, a.token, hash, 0, photo.subarray(0, 5000), photo.length);
      s.time += 6 * DAY;
      expect((await status(s, hash, a.token)).received).toBe(5000);
      s.time += 1 * DAY + 1;
      expect((await status(s, hash, a.token)).received).toBe(0);
      expect((await put(s, a.token, hash, 5000, photo.subarray(5000), photo.length)).status).toBe(400);
      expect(BlobStatus.parse(await (await put(s, a.token, hash, 0, photo, photo.length)).json()).complete).toBe(true);
    });

    it('a per-unit quota: 413 quotaExceeded for the full unit only; finished and partial photos both count', async () => {
      const s = await start({ photoQuotaBytesPerUnit: 300_000 });
      const full = await s.enroll((await s.unit('Full')).id);
      const other = await s.enroll((await s.unit('Other')).id);
      const first = randomBytes(200_000);
      expect((await put(s, full.token, sha(first), 0, first)).status).toBe(200);
      const partial = randomBytes(90_000);
      expect((await put(s, full.token, sha(partial), 0, partial.subarray(0, 10), partial.length)).status).toBe(200);
      const second = randomBytes(20_000);
      const refused = await put(s, full.token, sha(second), 0, second);
      expect(refused.status).toBe(413);
      expect(((await refused.json()) as { error: string }).error).toBe('quotaExceeded');
      // The other unit has its own quota; the same bytes already stored cost nothing more.
      expect((await put(s, other.token, sha(second), 0, second)).status).toBe(200);
      expect(BlobStatus.parse(await (await put(s, full.token, sha(second), 0, second)).json()).complete).toBe(true);
    });

    it('HEAD and status are answered without loading the bytes', async () => {
      const s = await start();
      const tablet = await s.enroll((await s.unit()).id);
      const photo = randomBytes(400_000);
      const hash = sha(photo);
      await put(s, tablet.token, hash, 0, photo.subarray(0, 300_000), photo.length);
      const partialLoads = spyOnLoadedBytes(db.storage);
      expect((await status(s, hash, tablet.token)).received).toBe(300_000);
      expect((await s.send('HEAD', `/api/v1/blobs/${hash}`, { token: tablet.token })).headers.get('x-blob-received')).toBe('300000');
      expect(partialLoads()).toBeLessThan(10_000);
      await put(s, tablet.token, hash, 300_000, photo.subarray(300_000), photo.length);
      const loads = spyOnLoadedBytes(db.storage);
      expect(await status(s, hash)).toEqual({ sha256: hash, received: photo.length, complete: true });
      const head = await s.send('HEAD', `/api/v1/blobs/${hash}`);
      expect(head.status).toBe(200);
      expect(head.headers.get('x-blob-received')).toBe(String(photo.length));
      expect(loads()).toBeLessThan(10_000);
    });
  });
});

/** Count the bytes (Buffers/Uint8Arrays) that storage reads hand back from now on. */
function spyOnLoadedBytes(storage: SyncStorage): () => number {
  let bytes = 0;
  const count = (value: unknown, depth = 0): void => {
    if (value instanceof Uint8Array) bytes += value.byteLength;
    else if (value && typeof value === 'object' && depth < 4) for (const v of Object.values(value)) count(v, depth + 1);
  };
  for (const method of ['read', 'readOne', 'write'] as const) {
    const original = storage[method].bind(storage) as (fn: (tx: never) => Promise<unknown>) => Promise<unknown>;
    (storage as unknown as Record<string, unknown>)[method] = (fn: (tx: object) => Promise<unknown>) =>
      original((tx: never) => {
        const spied = new Proxy<object>(tx, {
          get(target, prop, receiver) {
            const v: unknown = Reflect.get(target, prop, receiver);
            if (typeof v !== 'function') return v;
            return async (...args: unknown[]) => {
              const result = await (v as (...a: unknown[]) => Promise<unknown>).apply(target, args);
              count(result);
              return result;
            };
          },
        });
        return fn(spied);
      });
  }
  return () => bytes;
}
