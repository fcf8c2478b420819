/**
 * SQLite has one writer, so no push ever waits for another device's lock
 * inside one server process. What can hold the write lock is another process
 * on the same file (the admin CLI compacting, a backup script): then a push
 * gets the same retryable "busy, retry" answer as on PostgreSQL, not a 500,
 * and goes through once the lock is gone.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '../../src/domain';
import { openSqliteStorage, type SqliteStorage } from '../../src/server/storage/sqlite';
import { TestServer } from './helpers';

describe('SQLite write lock held by another process', () => {
  let dir = '';
  let storage: SqliteStorage | undefined;
  afterEach(async () => {
    await storage?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a push answers 429 busy with Retry-After after busy_timeout, and goes through once the lock is released', async () => {
    dir = mkdtempSync(join(tmpdir(), 'nedenfra-busy-'));
    const path = join(dir, 'server.sqlite');
    storage = await openSqliteStorage(path, { busyTimeoutMs: 200 });
    const server = new TestServer(storage);
    const tablet = await server.enroll((await server.unit()).id);
    const idea = tablet.createIdea('written while the admin compacts');

    const other = new Database(path);
    other.pragma('busy_timeout = 0');
    other.exec('BEGIN IMMEDIATE');
    let res: Response;
    try {
      res = await server.request('POST', '/api/v1/push', {
        token: tablet.token,
        body: { protocol: PROTOCOL_VERSION, epoch: tablet.epoch, ackedThrough: 0, mutations: [idea.m] },
      });
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    expect(res.status).toBe(429);
    expect(await res.json()).toMatchObject({ error: 'busy' });
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);

    const retry = await tablet.push([idea.m]);
    expect(retry.status).toBe(200);
    expect(retry.body.results.map((r) => r.status)).toEqual(['applied']);
  });
});
