/**
 * Retention (issue #14 part 3) on both databases: the server purges
 * tombstones and the conflict log once the retention period has passed, and
 * nothing younger; a tablet that had not synced since must pull from the
 * start. With several instances on PostgreSQL only one purges at a time. And
 * the server process does it by itself, with no command.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { purgeExpired } from '../../src/server/retention';
import { serverBackends, sleep, TestServer, type TestDb } from './helpers';
import { startServerProcess } from './serverProcess';

const DAY = 86_400_000;

describe.each(serverBackends())('retention on %s', (kind, backend) => {
  let db: TestDb;
  beforeAll(() => backend.setup(), 60_000);
  afterAll(() => backend.teardown());
  afterEach(async () => db?.close());

  /** A tombstone and a conflict from `age` days ago, and a tombstone from yesterday. */
  async function history(s: TestServer) {
    const a = await s.enroll((await s.unit()).id);
    const b = await s.enroll(a.unitId);
    const start = s.time;
    const old = a.createIdea('Gammel');
    const disputed = a.createIdea('Omstridt');
    await a.push([old.m, disputed.m]);
    await a.push([a.mutation('ideas', 'delete', old.id, {})]);
    const base = { wouldChange: disputed.m.hlc };
    await a.push([a.mutation('ideas', 'patch', disputed.id, { wouldChange: 'A' }, { base })]);
    b.counter = 99;
    await b.push([b.mutation('ideas', 'patch', disputed.id, { wouldChange: 'B' }, { base, hlc: b.hlc(1000) })]);
    const { cursor } = await a.pullAll();
    s.time = start + 99 * DAY;
    const recent = a.createIdea('Nyere');
    await a.push([recent.m, a.mutation('ideas', 'delete', recent.id, {})]);
    s.time = start + 100 * DAY;
    return { a, old, recent, cursor };
  }

  const tombstones = async () => (await db.storage.read((tx) => tx.listRecords('ideas'))).filter((r) => r.deleted).map((r) => r.id);

  it('purges tombstones and conflicts older than the period, nothing younger, and raises the horizon', async () => {
    db = await backend.fresh();
    const s = new TestServer(db.storage);
    const { a, old, recent, cursor } = await history(s);
    expect((await tombstones()).sort()).toEqual([old.id, recent.id].sort());
    expect(await db.storage.read((tx) => tx.listConflicts())).toHaveLength(1);

    expect(await purgeExpired(db.storage, s.time, 100)).toMatchObject({ tombstones: 0, conflicts: 0 });
    const purged = await purgeExpired(db.storage, s.time, 90);
    expect(purged).toMatchObject({ tombstones: 1, conflicts: 1 });
    expect(await tombstones()).toEqual([recent.id]);
    expect(await db.storage.read((tx) => tx.listConflicts())).toEqual([]);
    // A tablet that synced before the purged delete pulls from the start; a current one goes on.
    expect((await a.pull(1)).body.error).toBe('resyncRequired');
    expect((await a.pull(cursor)).status).toBe(200);
    expect(await purgeExpired(db.storage, s.time, 90)).toMatchObject({ tombstones: 0, conflicts: 0 });
  });

  it.runIf(kind === 'postgres')('with several instances, one purges at a time', async () => {
    db = await backend.fresh();
    const s = new TestServer(db.storage);
    await history(s);
    const other = await db.openAnother();
    try {
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      const first = db.storage.write(async (tx) => {
        expect(await tx.tryExclusive('retention')).toBe(true);
        await held;
      });
      await sleep(200);
      expect(await purgeExpired(other, s.time, 90)).toBeNull(); // the other instance skips this round
      release();
      await first;
      expect(await purgeExpired(other, s.time, 90)).toMatchObject({ tombstones: 1, conflicts: 1 });
    } finally {
      await other.close();
    }
  });

  it('the server process purges by itself at start, with no command', { timeout: 60_000 }, async () => {
    db = await backend.fresh();
    const s = new TestServer(db.storage);
    s.time = Date.now() - 100 * DAY;
    const { recent } = await history(s);
    await db.storage.close();
    const proc = await startServerProcess({ ...db.env, RETENTION_DAYS: '90' });
    try {
      for (let i = 0; i < 100 && !proc.logs.some((l) => l.event === 'retentionPurged'); i++) await sleep(100);
      expect(proc.logs.find((l) => l.event === 'retentionPurged')).toMatchObject({ tombstones: 1, conflicts: 1, days: 90 });
    } finally {
      await proc.stop();
    }
    db.storage = await db.openAnother();
    expect(await tombstones()).toEqual([recent.id]);
  });
});
