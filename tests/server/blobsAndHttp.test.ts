/**
 * Health, resumable photo uploads (both back ends) and serving the built PWA.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BlobStatus, HealthResponse, MAX_BLOB_BYTES, PROTOCOL_VERSION } from '../../src/domain';
import { createApp } from '../../src/server/app';
import { memoryLogger } from '../../src/server/log';
import { openSqliteStorage } from '../../src/server/storage/sqlite';
import { serverBackends, TestServer, type TestDb } from './helpers';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe.each(serverBackends())('server on %s', (kind, backend) => {
  let db: TestDb;
  beforeAll(() => backend.setup(), 60_000);
  afterAll(() => backend.teardown());
  afterEach(async () => db?.close());

  async function start() {
    db = await backend.fresh();
    return new TestServer(db.storage);
  }

  it('health endpoint', async () => {
    const s = await start();
    const res = await s.request('GET', '/api/v1/health');
    expect(res.status).toBe(200);
    const health = HealthResponse.parse(await res.json());
    expect(health).toMatchObject({ status: 'ok', protocol: PROTOCOL_VERSION, storage: kind });
    expect(health.time).toBe(new Date(s.time).toISOString());
    expect(health.epoch).toBe((await s.storage.read((tx) => tx.state())).epoch);
  });

  it('photo upload cut off then resumed → complete, hash verified', async () => {
    const s = await start();
    const t = await s.enroll((await s.unit()).id);
    const photo = randomBytes(300_000);
    const hash = sha(photo);
    const put = (offset: number, bytes: Uint8Array, total = photo.length) =>
      s.request('PUT', `/api/v1/blobs/${hash}?offset=${offset}&total=${total}`, { token: t.token, raw: new Uint8Array(bytes) });
    // The tablet asks with its token: a partial upload is its own.
    const status = async () =>
      BlobStatus.parse(await (await s.request('GET', `/api/v1/blobs/${hash}?status=1`, { token: t.token })).json());

    expect(await status()).toEqual({ sha256: hash, received: 0, complete: false });
    expect((await put(0, photo.subarray(0, 100_000))).status).toBe(200);
    // the connection drops here; the tablet asks where to resume
    expect(await status()).toEqual({ sha256: hash, received: 100_000, complete: false });
    expect((await s.request('HEAD', `/api/v1/blobs/${hash}`, { token: t.token })).headers.get('x-blob-received')).toBe('100000');
    expect((await s.request('HEAD', `/api/v1/blobs/${hash}`)).headers.get('x-blob-received')).toBe('0');
    expect((await s.request('GET', `/api/v1/blobs/${hash}`)).status).toBe(404);
    // a chunk retried after a lost answer overlaps what is held: harmless
    expect((await put(50_000, photo.subarray(50_000, 200_000))).status).toBe(200);
    expect((await status()).received).toBe(200_000);
    // a chunk from beyond what is held is refused
    expect((await put(250_000, photo.subarray(250_000))).status).toBe(400);
    const last = await put(200_000, photo.subarray(200_000));
    expect(BlobStatus.parse(await last.json())).toEqual({ sha256: hash, received: photo.length, complete: true });

    const got = await s.request('GET', `/api/v1/blobs/${hash}`);
    expect(got.status).toBe(200);
    expect(Buffer.from(await got.arrayBuffer()).equals(photo)).toBe(true);
    expect((await s.request('HEAD', `/api/v1/blobs/${hash}`)).status).toBe(200);
    // idempotent: uploading again changes nothing
    expect(BlobStatus.parse(await (await put(0, photo)).json()).complete).toBe(true);
  });

  it('hash mismatch rejected', async () => {
    const s = await start();
    const t = await s.enroll((await s.unit()).id);
    const photo = randomBytes(10_000);
    const claimed = sha(randomBytes(16));
    await s.request('PUT', `/api/v1/blobs/${claimed}?offset=0&total=${photo.length}`, { token: t.token, raw: photo.subarray(0, 4000) });
    const res = await s.request('PUT', `/api/v1/blobs/${claimed}?offset=4000&total=${photo.length}`, {
      token: t.token,
      raw: photo.subarray(4000),
    });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { error: string }).error).toBe('hashMismatch');
    // the partial upload is discarded: the tablet starts over from 0
    const status = BlobStatus.parse(await (await s.request('GET', `/api/v1/blobs/${claimed}?status=1`)).json());
    expect(status).toEqual({ sha256: claimed, received: 0, complete: false });
    // a single PUT without `total` is the whole blob
    const whole = await s.request('PUT', `/api/v1/blobs/${sha(photo)}`, { token: t.token, raw: photo });
    expect(BlobStatus.parse(await whole.json()).complete).toBe(true);
  });

  it('uploads need a token and respect the size limit', async () => {
    const s = await start();
    const t = await s.enroll((await s.unit()).id);
    const hash = sha(Buffer.from('x'));
    expect((await s.request('PUT', `/api/v1/blobs/${hash}`, { raw: 'x' })).status).toBe(401);
    const tooBig = await s.request('PUT', `/api/v1/blobs/${hash}?offset=0&total=${MAX_BLOB_BYTES + 1}`, { token: t.token, raw: 'x' });
    expect(tooBig.status).toBe(413);
    const hugeBody = await s.request('PUT', `/api/v1/blobs/${hash}`, { token: t.token, raw: new Uint8Array(MAX_BLOB_BYTES + 1) });
    expect(hugeBody.status).toBe(413);
    expect(((await hugeBody.json()) as { error: string }).error).toBe('tooLarge');
    expect((await s.request('GET', '/api/v1/blobs/not-a-hash?status=1')).status).toBe(400);
  });
});

describe('serving the built PWA', () => {
  let dir: string;
  let close: () => Promise<void>;
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nedenfra-dist-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Nedenfra</title>');
    writeFileSync(join(dir, 'sw.js'), 'self.addEventListener("fetch", () => {});');
    writeFileSync(join(dir, 'assets', 'index-B1a2c3d4.js'), APP_JS);
    // What the build writes beside every text asset (vite.config.ts).
    writeFileSync(join(dir, 'assets', 'index-B1a2c3d4.js.br'), brotliCompressSync(APP_JS));
    writeFileSync(join(dir, 'assets', 'index-B1a2c3d4.js.gz'), gzipSync(APP_JS));
    writeFileSync(join(dir, 'manifest.webmanifest'), '{"name":"Nedenfra"}');
    writeFileSync(join(dir, 'icon.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    writeFileSync(join(dir, 'secret.txt'), 'outside');
    const storage = await openSqliteStorage(join(dir, 'db', 'test.sqlite'));
    close = () => storage.close();
    app = createApp({ storage, staticDir: dir, log: memoryLogger() });
  });
  afterAll(async () => {
    await close();
    rmSync(dir, { recursive: true, force: true });
  });

  const APP_JS = 'console.log("Nedenfra");\n'.repeat(200);
  const get = (path: string, accept = '*/*', headers: Record<string, string> = {}) =>
    app.fetch(new Request(`http://server${path}`, { headers: { accept, ...headers } }));

  it('sends the brotli or gzip file the build wrote, to browsers that accept it', async () => {
    const br = await get('/assets/index-B1a2c3d4.js', '*/*', { 'accept-encoding': 'gzip, deflate, br' });
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(br.headers.get('vary')).toMatch(/accept-encoding/i);
    expect(br.headers.get('content-type')).toContain('javascript');
    expect(br.headers.get('cache-control')).toContain('immutable');
    const brBytes = Buffer.from(await br.arrayBuffer());
    expect(brBytes.length).toBeLessThan(APP_JS.length / 10);
    expect(brotliDecompressSync(brBytes).toString()).toBe(APP_JS);
    const gz = await get('/assets/index-B1a2c3d4.js', '*/*', { 'accept-encoding': 'gzip' });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(Buffer.from(await gz.arrayBuffer())).toString()).toBe(APP_JS);
    const plain = await get('/assets/index-B1a2c3d4.js', '*/*', { 'accept-encoding': 'identity' });
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(plain.headers.get('vary')).toMatch(/accept-encoding/i);
    expect(await plain.text()).toBe(APP_JS);
  });

  it('ETag and 304 for unchanged files; the manifest is revalidated; security headers on the app too', async () => {
    const first = await get('/manifest.webmanifest', '*/*', { 'accept-encoding': 'br' });
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('no-cache');
    const tag = first.headers.get('etag');
    expect(tag).toBeTruthy();
    const again = await get('/manifest.webmanifest', '*/*', { 'accept-encoding': 'br', 'if-none-match': tag! });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    const js = await get('/assets/index-B1a2c3d4.js', '*/*', { 'accept-encoding': 'br' });
    const jsAgain = await get('/assets/index-B1a2c3d4.js', '*/*', { 'accept-encoding': 'br', 'if-none-match': js.headers.get('etag')! });
    expect(jsAgain.status).toBe(304);
    expect(jsAgain.headers.get('cache-control')).toContain('immutable');
    // Different bytes on the wire, different tags.
    expect((await get('/assets/index-B1a2c3d4.js', '*/*', { 'accept-encoding': 'gzip' })).headers.get('etag')).not.toBe(
      js.headers.get('etag'),
    );
    const index = await get('/');
    expect(index.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(index.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await get('/icon.png')).headers.get('content-type')).toBe('image/png');
  });

  it('index.html and sw.js are never cached, hashed assets forever', async () => {
    const index = await get('/');
    expect(index.status).toBe(200);
    expect(index.headers.get('cache-control')).toBe('no-cache');
    expect(index.headers.get('content-type')).toContain('text/html');
    expect((await get('/sw.js')).headers.get('cache-control')).toBe('no-cache');
    const asset = await get('/assets/index-B1a2c3d4.js');
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect(asset.headers.get('content-type')).toContain('javascript');
  });

  it('navigations fall back to index.html; missing files and API paths do not', async () => {
    const nav = await get('/ideas/123', 'text/html,application/xhtml+xml');
    expect(nav.status).toBe(200);
    expect(await nav.text()).toContain('<title>Nedenfra</title>');
    expect(nav.headers.get('cache-control')).toBe('no-cache');
    expect((await get('/assets/missing-12345678.js')).status).toBe(404);
    expect((await get('/api/v1/nothing')).status).toBe(404);
    expect((await get('/../../etc/passwd')).status).toBe(404);
  });
});

describe('in-memory SQLite and failures', () => {
  it('works with :memory: (for in-process client tests)', async () => {
    const storage = await openSqliteStorage(':memory:');
    const s = new TestServer(storage);
    const t = await s.enroll((await s.unit()).id);
    const idea = t.createIdea('in memory');
    expect((await t.push([idea.m])).status).toBe(200);
    expect((await t.pullAll()).changes.map((c) => c.id)).toContain(idea.id);
    await storage.close();
  });

  it('an unexpected error is 500 internal, and logged', async () => {
    const storage = await openSqliteStorage(':memory:');
    const log = memoryLogger();
    const app = createApp({ storage, log });
    await storage.close();
    const res = await app.fetch(new Request('http://server/api/v1/health'));
    expect(res.status).toBe(500);
    expect(((await res.json()) as { error: string }).error).toBe('internal');
    expect(log.lines.some((l) => l.event === 'internal' && l.level === 'error')).toBe(true);
  });
});
