import 'fake-indexeddb/auto';
/**
 * The server's retryable answers (issue #17): 429 `busy` (a lock wait ran out)
 * and 503 `unavailable` (the database is gone for a moment). The tablet's
 * engine treats both as "try again later": the sync fails retryably, nothing
 * leaves the outbox, and the next pass delivers everything once.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NedenfraDb } from '../../src/data/db';
import { syncOnce } from '../../src/data/sync/engine';
import { enrollDevice } from '../../src/data/sync/enrollment';
import { SyncFailure } from '../../src/data/sync/errors';
import type { Transport } from '../../src/data/sync/transport';
import { createEnrollmentCode, createUnit } from '../../src/server/admin';
import { createApp } from '../../src/server/app';
import { memoryLogger } from '../../src/server/log';
import { openSqliteStorage, type SqliteStorage } from '../../src/server/storage/sqlite';
import { addIdea, isolatedDb, SERVER_URL } from './harness';

describe('the engine on busy / unavailable answers', () => {
  let dir: string;
  let path: string;
  let storage: SqliteStorage;
  let tablet: NedenfraDb;
  let unitId: string;
  /** Answers from the real app; `answerInstead` replaces the next push's answer. */
  let answerInstead: (() => Response) | undefined;
  let net: Transport;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nedenfra-busy-sync-'));
    path = join(dir, 'server.sqlite');
    storage = await openSqliteStorage(path, { busyTimeoutMs: 100 });
    const app = createApp({ storage, log: memoryLogger() });
    net = {
      fetch: async (req) => {
        const instead = new URL(req.url).pathname.endsWith('/push') ? answerInstead : undefined;
        if (!instead) return app.fetch(req);
        answerInstead = undefined;
        return instead();
      },
    };
    unitId = (await createUnit(storage, { municipality: 'Testvik', name: 'Kjøkken' })).id;
    tablet = isolatedDb();
    await tablet.open();
    await enrollDevice(tablet, net, { serverUrl: SERVER_URL, code: (await createEnrollmentCode(storage, { unitId })).code });
  });
  afterEach(async () => {
    await tablet.delete();
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const failure = (p: Promise<unknown>) =>
    p.then(
      () => expect.unreachable('the sync should have failed'),
      (e: unknown) => e as SyncFailure,
    );
  const serverIdeas = async () => (await storage.read((tx) => tx.listRecords('ideas'))).map((r) => r.data.impossibleNow);

  it('429 busy (the server write lock held by another process): retryable, outbox kept, delivered once later', async () => {
    await addIdea(tablet, unitId, 'Oppvaskmaskinen står stille');
    const other = new Database(path);
    other.exec('BEGIN IMMEDIATE');
    let failed: SyncFailure;
    try {
      failed = await failure(syncOnce(tablet, net));
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    expect(failed).toBeInstanceOf(SyncFailure);
    expect(failed.retryable).toBe(true);
    expect(await tablet.outbox.count()).toBe(1);
    await syncOnce(tablet, net);
    expect(await tablet.outbox.count()).toBe(0);
    expect(await serverIdeas()).toEqual(['Oppvaskmaskinen står stille']);
  });

  it('503 unavailable with Retry-After: retryable, outbox kept, delivered once later', async () => {
    await addIdea(tablet, unitId, 'Tavla henger for høyt');
    answerInstead = () =>
      Response.json(
        { error: 'unavailable', message: 'the database is unavailable right now; retry shortly' },
        { status: 503, headers: { 'Retry-After': '5' } },
      );
    const failed = await failure(syncOnce(tablet, net));
    expect(failed).toBeInstanceOf(SyncFailure);
    expect(failed.retryable).toBe(true);
    expect(failed.message).toContain('retry shortly'); // the body was understood, not "an answer this app cannot read"
    expect(await tablet.outbox.count()).toBe(1);
    await syncOnce(tablet, net);
    expect(await serverIdeas()).toEqual(['Tavla henger for høyt']);
  });
});
