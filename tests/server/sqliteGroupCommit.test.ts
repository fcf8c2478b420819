/**
 * SQLite group commit (src/server/storage/sqlite.ts): writes that arrive
 * together share one transaction and one fsync, yet each succeeds or fails
 * on its own, and none is answered before its group committed.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { newId, type StoredRecord } from '../../src/domain';
import { openSqliteStorage, type SqliteStorage } from '../../src/server/storage/sqlite';

const unitId = newId();
const idea = (text: string): StoredRecord => {
  const id = newId();
  return { table: 'ideas', id, unitId, data: { id, unitId, impossibleNow: text }, clocks: {}, deleted: false };
};

describe('SQLite group commit', () => {
  let dir = '';
  let storage: SqliteStorage | undefined;
  afterEach(async () => {
    await storage?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes arriving together share a commit; a failing one rolls back alone; each is durable when answered', async () => {
    dir = mkdtempSync(join(tmpdir(), 'nedenfra-group-'));
    const path = join(dir, 'server.sqlite');
    storage = await openSqliteStorage(path);
    const observer = new Database(path, { readonly: true });
    const commitsBefore = storage.commits;
    const records = Array.from({ length: 10 }, (_, i) => idea(`idea ${i}`));
    const seenWhenAnswered: boolean[] = [];
    const writes = records.map((record, i) =>
      storage!
        .write(async (tx) => {
          await tx.writeRecords([record]);
          if (i === 3) throw new Error('poison write');
          return i;
        })
        .then((value) => {
          // Another connection sees only committed data.
          seenWhenAnswered[i] = observer.prepare('SELECT 1 FROM records WHERE id = ?').get(record.id) !== undefined;
          return value;
        }),
    );
    const outcomes = await Promise.allSettled(writes);
    observer.close();

    expect(outcomes[3]).toMatchObject({ status: 'rejected', reason: new Error('poison write') });
    expect(outcomes.filter((o) => o.status === 'fulfilled').map((o) => o.value)).toEqual([0, 1, 2, 4, 5, 6, 7, 8, 9]);
    expect(seenWhenAnswered.filter(Boolean)).toHaveLength(9);
    expect(storage.commits - commitsBefore).toBeLessThan(5);

    const stored = await storage.read((tx) => tx.listRecords('ideas'));
    expect(stored.map((r) => r.id).sort()).toEqual(
      records
        .filter((_, i) => i !== 3)
        .map((r) => r.id)
        .sort(),
    );
    // The poison write's seq went back with it: the nine that committed are numbered without a hole.
    const seqs = stored.map((r) => r.serverSeq!).sort((a, b) => a - b);
    expect(seqs[8]! - seqs[0]!).toBe(8);
  });

  it('close waits for writes still queued for a group', async () => {
    dir = mkdtempSync(join(tmpdir(), 'nedenfra-group-'));
    const path = join(dir, 'server.sqlite');
    const s = await openSqliteStorage(path);
    const record = idea('written just before shutdown');
    const write = s.write((tx) => tx.writeRecords([record]));
    await s.close();
    await expect(write).resolves.toBeUndefined();
    storage = await openSqliteStorage(path);
    expect((await storage.read((tx) => tx.listRecords('ideas'))).map((r) => r.id)).toEqual([record.id]);
  });
});
