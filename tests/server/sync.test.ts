/**
 * The sync protocol, end to end through app.fetch, on SQLite and on a real
 * PostgreSQL. Each test gets a fresh database.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HLC_ZERO, MIN_SUPPORTED_PROTOCOL, newId, PROTOCOL_VERSION, type Idea } from '../../src/domain';
import { compact, markRestored, revokeDevice } from '../../src/server/admin';
import { serverBackends, sleep, TestServer, type TestDb } from './helpers';

describe.each(serverBackends())('sync server on %s', (kind, backend) => {
  let db: TestDb;
  let server: TestServer;

  beforeAll(() => backend.setup(), 60_000);
  afterAll(() => backend.teardown());
  afterEach(async () => db?.close());

  async function start() {
    db = await backend.fresh();
    server = new TestServer(db.storage);
    return server;
  }

  describe('enrollment', () => {
    it('a code enrolls one device, once', async () => {
      const s = await start();
      const unit = await s.unit();
      const code = await s.code(unit.id);
      const enroll = (c: string) => s.request('POST', '/api/v1/enroll', { body: { protocol: PROTOCOL_VERSION, code: c } });
      const first = await enroll(code.toLowerCase().replace(/-/g, ' '));
      expect(first.status).toBe(200);
      const body = (await first.json()) as { token: string; unit: { id: string }; epoch: string };
      expect(body.unit.id).toBe(unit.id);
      expect(body.token.length).toBeGreaterThanOrEqual(40);
      const again = await enroll(code);
      expect(again.status).toBe(401);
      expect(((await again.json()) as { error: string }).error).toBe('unauthorized');
      // the server stores only the token's hash
      const devices = await s.storage.read((tx) => tx.listDevices());
      expect(devices).toHaveLength(1);
      expect(JSON.stringify(devices)).not.toContain(body.token);
    });

    it('an expired code is refused', async () => {
      const s = await start();
      const unit = await s.unit();
      const code = await s.code(unit.id, 1);
      s.time += 2 * 3_600_000;
      const res = await s.request('POST', '/api/v1/enroll', { body: { protocol: PROTOCOL_VERSION, code } });
      expect(res.status).toBe(401);
    });

    it('a revoked or unknown token gets 401', async () => {
      const s = await start();
      const tablet = await s.enroll((await s.unit()).id);
      expect((await tablet.pull()).status).toBe(200);
      expect(await revokeDevice(s.storage, tablet.deviceId, s.time)).toBe(true);
      const pulled = await tablet.pull();
      expect(pulled.status).toBe(401);
      expect(pulled.body.error).toBe('unauthorized');
      expect((await tablet.push([tablet.createIdea('x').m])).status).toBe(401);
      const unknown = await s.request('GET', `/api/v1/pull?protocol=${PROTOCOL_VERSION}`, { token: 'not-a-token' });
      expect(unknown.status).toBe(401);
    });
  });

  describe('push', () => {
    it('a full batch (more rows than one multi-row statement) is stored whole, with consecutive seqs', async () => {
      const s = await start();
      const tablet = await s.enroll((await s.unit()).id);
      const ideas = Array.from({ length: 450 }, (_, i) => tablet.createIdea(`Idé ${i}`));
      const res = await tablet.push(ideas.map((i) => i.m));
      expect(res.status).toBe(200);
      expect(res.body.results.every((r) => r.status === 'applied')).toBe(true);
      const edits = ideas.slice(0, 250).map((i) => tablet.mutation('ideas', 'patch', i.id, { wouldChange: 'Mer tid' }));
      expect((await tablet.push(edits)).status).toBe(200);
      const { changes } = await tablet.pullAll();
      const pulled = changes.filter((c) => c.table === 'ideas');
      expect(new Set(pulled.map((c) => c.id)).size).toBe(450);
      expect(pulled.filter((c) => c.data.wouldChange === 'Mer tid')).toHaveLength(250);
      const seqs = changes.map((c) => c.serverSeq);
      expect(new Set(seqs).size).toBe(seqs.length);
    });

    it('applies a batch and the pull returns it', async () => {
      const s = await start();
      const tablet = await s.enroll((await s.unit()).id);
      const a = tablet.createIdea('Løftearm på bilen');
      const b = tablet.createIdea('Felles møterom');
      const res = await tablet.push([a.m, b.m]);
      expect(res.status).toBe(200);
      expect(res.body.lastAppliedSeq).toBe(2);
      expect(res.body.results.map((r) => r.status)).toEqual(['applied', 'applied']);
      const { changes } = await tablet.pullAll();
      const ideas = changes.filter((c) => c.table === 'ideas');
      expect(ideas.map((c) => c.id).sort()).toEqual([a.id, b.id].sort());
      expect(ideas.every((c) => c.unitId === tablet.unitId)).toBe(true);
    });

    it('response lost after commit, then retry → no duplicate', async () => {
      const s = await start();
      const tablet = await s.enroll((await s.unit()).id);
      const batch = [tablet.createIdea('a').m, tablet.createIdea('b').m];
      expect((await tablet.push(batch)).status).toBe(200);
      const before = (await tablet.pullAll()).changes;
      // the device never saw the answer: it retries with its old ackedThrough
      const retry = await tablet.push(batch, { ackedThrough: 0 });
      expect(retry.status).toBe(200);
      expect(retry.body.results.map((r) => r.status)).toEqual(['duplicate', 'duplicate']);
      expect(retry.body.lastAppliedSeq).toBe(2);
      const after = (await tablet.pullAll()).changes;
      expect(after.map((c) => c.serverSeq)).toEqual(before.map((c) => c.serverSeq));
    });

    it('two senders at once → applied once', async () => {
      const s = await start();
      const tablet = await s.enroll((await s.unit()).id);
      const idea = tablet.createIdea('samtidig');
      const patch = tablet.mutation('ideas', 'patch', idea.id, { wouldChange: 'mer tid' });
      const batch = [idea.m, patch];
      const [r1, r2] = await Promise.all([tablet.push(batch, { ackedThrough: 0 }), tablet.push(batch, { ackedThrough: 0 })]);
      expect([r1.status, r2.status]).toEqual([200, 200]);
      const statuses = [...r1.body.results, ...r2.body.results].map((r) => r.status).sort();
      expect(statuses).toEqual(['applied', 'applied', 'duplicate', 'duplicate']);
      const ideas = (await tablet.pullAll()).changes.filter((c) => c.table === 'ideas');
      expect(ideas).toHaveLength(1);
      expect(ideas[0]!.data.wouldChange).toBe('mer tid');
    });

    // Several instances share PostgreSQL; SQLite serves from one process (a second
    // in-process connection would block the event loop in SQLite's busy wait).
    it.runIf(kind === 'postgres')('two server instances on one database → applied once, server seqs unique', async () => {
      const s = await start();
      const other = await db.openAnother();
      try {
        const second = new TestServer(other);
        const tablet = await s.enroll((await s.unit()).id);
        const batch = Array.from({ length: 5 }, (_, i) => tablet.createIdea(`idea ${i}`).m);
        const [r1, r2] = await Promise.all([tablet.push(batch, { ackedThrough: 0 }), tablet.via(second).push(batch, { ackedThrough: 0 })]);
        expect([r1.status, r2.status]).toEqual([200, 200]);
        const applied = [...r1.body.results, ...r2.body.results].filter((r) => r.status === 'applied');
        expect(applied).toHaveLength(5);
        // another tablet writing through the second instance at the same time
        const neighbour = await second.enroll(tablet.unitId);
        const more = Array.from({ length: 5 }, (_, i) => neighbour.createIdea(`more ${i}`).m);
        const [r3, r4] = await Promise.all([neighbour.push(more), tablet.push([tablet.createIdea('last').m])]);
        expect([r3.status, r4.status]).toEqual([200, 200]);
        const { changes } = await tablet.pullAll();
        const ideas = changes.filter((c) => c.table === 'ideas');
        expect(ideas).toHaveLength(11);
        expect(new Set(changes.map((c) => c.serverSeq)).size).toBe(changes.length);
      } finally {
        await other.close();
      }
    });

    it('sequence gap → seqGap, nothing applied', async () => {
      const s = await start();
      const tablet = await s.enroll((await s.unit()).id);
      const first = tablet.createIdea('first');
      expect((await tablet.push([first.m])).status).toBe(200);
      const lost = tablet.createIdea('lost in transit');
      const later = tablet.createIdea('arrives first');
      const res = await tablet.push([later.m]);
      expect(res.status).toBe(409);
      expect(res.body.error).toBe('seqGap');
      expect(res.body.expectedSeq).toBe(2);
      const ids = (await tablet.pullAll()).changes.map((c) => c.id);
      expect(ids).not.toContain(later.id);
      const device = await s.storage.read((tx) => tx.getDevice(tablet.deviceId));
      expect(device?.lastAppliedSeq).toBe(1);
      // the device retries from expectedSeq and everything lands
      const retry = await tablet.push([lost.m, later.m]);
      expect(retry.body.results.map((r) => r.status)).toEqual(['applied', 'applied']);
    });

    it('poison mutation does not block the queue', async () => {
      const s = await start();
      const tablet = await s.enroll((await s.unit()).id);
      const invalid = tablet.createIdea(''); // impossibleNow is required
      const malformed = { ...tablet.createIdea('x').m, table: 'noSuchTable' };
      const good = tablet.createIdea('this one is fine');
      const res = await tablet.push([invalid.m, malformed as never, good.m]);
      expect(res.status).toBe(200);
      expect(res.body.results.map((r) => [r.status, r.reason])).toEqual([
        ['rejected', 'invalid'],
        ['rejected', 'invalid'],
        ['applied', undefined],
      ]);
      expect(res.body.lastAppliedSeq).toBe(3);
      expect(s.log.lines.filter((l) => l.event === 'mutationRejected')).toHaveLength(2);
      const ids = (await tablet.pullAll()).changes.map((c) => c.id);
      expect(ids).toContain(good.id);
      expect(ids).not.toContain(invalid.id);
    });

    it('a malformed envelope is 400 invalidRequest; an old protocol is 426', async () => {
      const s = await start();
      const tablet = await s.enroll((await s.unit()).id);
      const bad = await s.request('POST', '/api/v1/push', { token: tablet.token, body: { protocol: PROTOCOL_VERSION, mutations: 'no' } });
      expect(bad.status).toBe(400);
      const body = (await bad.json()) as { error: string; message: string };
      expect(body.error).toBe('invalidRequest');
      expect(body.message).toMatch(/epoch|ackedThrough|mutations/);
      const unsorted = await tablet.push([tablet.createIdea('b').m, tablet.createIdea('a').m].reverse());
      expect(unsorted.status).toBe(400);
      const old = await tablet.push([], { protocol: MIN_SUPPORTED_PROTOCOL - 1 });
      expect(old.status).toBe(426);
      expect(old.body.error).toBe('clientTooOld');
      expect((await tablet.pull(0, { protocol: MIN_SUPPORTED_PROTOCOL - 1 })).status).toBe(426);
      const notJson = await s.request('POST', '/api/v1/push', { token: tablet.token, raw: '{' });
      expect(notJson.status).toBe(400);
      // without a valid token nothing about the body is revealed
      const anonymous = await s.request('POST', '/api/v1/push', { body: { protocol: PROTOCOL_VERSION, mutations: 'no' } });
      expect(anonymous.status).toBe(401);
    });

    it('old schemaVersion mutation still applies', async () => {
      const s = await start();
      const tablet = await s.enroll((await s.unit()).id);
      const legacy = tablet.createIdea('from an app that did not send schemaVersion');
      const legacyWire: Record<string, unknown> = { ...legacy.m };
      delete legacyWire.schemaVersion;
      const v1 = tablet.createIdea('schema version 1');
      v1.m.schemaVersion = 1;
      const future = tablet.createIdea('from a newer app');
      future.m.schemaVersion = 99;
      const res = await tablet.push([legacyWire as never, v1.m, future.m]);
      expect(res.body.results.map((r) => r.status)).toEqual(['applied', 'applied', 'rejected']);
      expect(res.body.results[2]!.reason).toBe('unsupportedSchemaVersion');
      const ids = (await tablet.pullAll()).changes.map((c) => c.id);
      expect(ids).toEqual(expect.arrayContaining([legacy.id, v1.id]));
    });
  });

  describe('ordering and history', () => {
    it('commits finishing out of order never let a pull skip a row', async () => {
      const s = await start();
      const tablet = await s.enroll((await s.unit()).id);
      const { cursor: start0 } = await tablet.pullAll();
      const record = (text: string) => {
        const id = newId(s.time);
        const data: Idea = {
          id,
          unitId: tablet.unitId,
          createdAt: new Date(s.time).toISOString(),
          impossibleNow: text,
          wouldChange: null,
          beneficiaries: [],
          kind: null,
          bearerName: null,
          photos: [],
          status: 'new',
          sessionId: null,
          sourceIdeaId: null,
        };
        return { table: 'ideas' as const, id, unitId: tablet.unitId, data, clocks: { impossibleNow: tablet.hlc() }, deleted: false };
      };
      const a = record('A writes first, commits last');
      const b = record('B writes second, commits first if it can');
      let releaseA!: () => void;
      const gateA = new Promise<void>((r) => (releaseA = r));
      let signalWritten!: () => void;
      const aWritten = new Promise<void>((r) => (signalWritten = r));
      const txA = s.storage.write(async (tx) => {
        await tx.writeRecords([a]);
        signalWritten();
        await gateA;
      });
      await aWritten;
      const txB = s.storage.write((tx) => tx.writeRecords([b]));
      // Give B every chance to commit ahead of A, then pull while A is still open.
      let between;
      try {
        await Promise.race([txB, sleep(300)]);
        between = await tablet.pull(start0);
      } finally {
        releaseA();
      }
      await Promise.all([txA, txB]);
      expect(between.status).toBe(200);
      // A pull that stopped at B's seq would never see A again if A's seq were lower and committed later.
      const rest = await tablet.pullAll(between.body.cursor);
      const betweenIds = between.body.changes.map((c) => c.id);
      expect(betweenIds).not.toContain(a.id);
      const seen = [...betweenIds, ...rest.changes.map((c) => c.id)];
      expect(seen.filter((id) => id === a.id || id === b.id).sort()).toEqual([a.id, b.id].sort());
    });

    it('many tablets pushing at once: every mutation applied once, seqs unique', async () => {
      const s = await start();
      const unitId = (await s.unit()).id;
      const tablets = [];
      for (let i = 0; i < 12; i++) tablets.push(await s.enroll(unitId));
      const replies = await Promise.all(
        tablets.map((t, i) => t.push(Array.from({ length: 5 }, (_, j) => t.createIdea(`tablet ${i} idea ${j}`).m))),
      );
      expect(replies.map((r) => r.status)).toEqual(tablets.map(() => 200));
      expect(replies.flatMap((r) => r.body.results.map((x) => x.status))).toEqual(Array(60).fill('applied'));
      const { changes } = await tablets[0]!.pullAll();
      const ideas = changes.filter((c) => c.table === 'ideas');
      expect(ideas).toHaveLength(60);
      expect(new Set(changes.map((c) => c.serverSeq)).size).toBe(changes.length);
    });

    it('two tablets patching different fields of one record at the same moment: both fields kept', async () => {
      const s = await start();
      const unitId = (await s.unit()).id;
      const [a, b] = [await s.enroll(unitId), await s.enroll(unitId)];
      const ideas = Array.from({ length: 8 }, (_, i) => a.createIdea(`shared ${i}`));
      expect((await a.push(ideas.map((x) => x.m))).status).toBe(200);
      // Five rounds of two pushes, each racing to merge into the same eight stored records.
      for (const [round, who] of [
        [1, 'users'],
        [2, 'staff'],
        [3, 'others'],
        [4, 'users'],
        [5, 'relatives'],
      ] as const) {
        const replies = await Promise.all([
          a.push(ideas.map((x) => a.mutation('ideas', 'patch', x.id, { wouldChange: `mindre venting ${round}` }))),
          b.push(ideas.map((x) => b.mutation('ideas', 'patch', x.id, { beneficiaries: [who] }))),
        ]);
        expect(replies.map((r) => r.status)).toEqual([200, 200]);
        expect(replies.flatMap((r) => r.body.results.map((x) => x.status))).toEqual(Array(16).fill('applied'));
      }
      const stored = (await a.pullAll()).changes.filter((c) => c.table === 'ideas');
      expect(stored).toHaveLength(8);
      for (const idea of stored) expect(idea.data).toMatchObject({ wouldChange: 'mindre venting 5', beneficiaries: ['relatives'] });
    });

    it.runIf(kind === 'postgres')('a row left unsequenced (crash between commit and numbering) is numbered by the next pull', async () => {
      const s = await start();
      const tablet = await s.enroll((await s.unit()).id);
      const idea = tablet.createIdea('committed, not yet numbered');
      expect((await tablet.push([idea.m])).status).toBe(200);
      const { cursor } = await tablet.pullAll();
      const { default: pg } = await import('pg');
      const raw = new pg.Client({ connectionString: db.url });
      await raw.connect();
      try {
        // What a push leaves behind when the process dies right after its commit.
        await raw.query("UPDATE records SET server_seq = NULL WHERE table_name = 'ideas' AND id = $1", [idea.id]);
      } finally {
        await raw.end();
      }
      const other = await s.enroll(tablet.unitId);
      const { changes } = await other.pullAll();
      expect(changes.map((c) => c.id)).toContain(idea.id);
      const again = await tablet.pullAll(cursor);
      expect(again.changes.map((c) => c.id)).toEqual([idea.id]);
      expect(again.changes[0]!.serverSeq).toBeGreaterThan(cursor);
    });

    it('deletes travel as tombstones', async () => {
      const s = await start();
      const tablet = await s.enroll((await s.unit()).id);
      const other = await s.enroll(tablet.unitId);
      const idea = tablet.createIdea('to be removed');
      await tablet.push([idea.m]);
      const { cursor } = await other.pullAll();
      const del = await tablet.push([tablet.mutation('ideas', 'delete', idea.id, {})]);
      expect(del.body.results[0]!.status).toBe('applied');
      const { changes } = await other.pullAll(cursor);
      expect(changes).toHaveLength(1);
      expect(changes[0]).toMatchObject({ id: idea.id, deleted: true });
      // a late patch from another tablet does not resurrect it
      const late = await other.push([other.mutation('ideas', 'patch', idea.id, { wouldChange: 'late' })]);
      expect(late.body.results[0]!.status).toBe('applied');
      const full = (await other.pullAll()).changes.find((c) => c.id === idea.id);
      expect(full?.deleted).toBe(true);
      expect(full?.data.wouldChange).toBeNull();
    });

    it('server restored from older backup → resyncRequired, then resync push accepted', async () => {
      const s = await start();
      const tablet = await s.enroll((await s.unit()).id);
      const a = tablet.createIdea('before backup');
      await tablet.push([a.m]);
      await db.backup();
      s.replaceStorage(db.storage);
      const b = tablet.createIdea('after backup, lost in the restore');
      await tablet.push([b.m]);
      const { cursor } = await tablet.pullAll();
      const oldEpoch = tablet.epoch;

      s.replaceStorage(await db.restoreBackup());
      const newEpoch = await markRestored(s.storage);
      expect(newEpoch).not.toBe(oldEpoch);

      const c = tablet.createIdea('written after the restore');
      const refused = await tablet.push([c.m]);
      expect(refused.status).toBe(409);
      expect(refused.body.error).toBe('resyncRequired');
      expect(refused.body.epoch).toBe(newEpoch);
      const pullRefused = await tablet.pull(cursor);
      expect(pullRefused.status).toBe(409);
      expect(pullRefused.body.error).toBe('resyncRequired');
      // even without the epoch, acks the server no longer has give it away
      const ackedOnly = await tablet.push([c.m], { epoch: null });
      expect(ackedOnly.body.error).toBe('resyncRequired');

      // resync: re-push the full state with original clocks, then carry on
      const restated = { ...b.m, mutationId: newId(), seq: c.m.seq + 1, clocks: { impossibleNow: b.m.hlc } };
      const resync = await tablet.push([c.m, restated], { epoch: newEpoch, resync: true });
      expect(resync.status).toBe(200);
      expect(resync.body.results.map((r) => r.status)).toEqual(['applied', 'applied']);
      expect(resync.body.lastAppliedSeq).toBe(restated.seq);
      const next = tablet.createIdea('normal again');
      next.m.seq = restated.seq + 1;
      tablet.seq = next.m.seq;
      expect((await tablet.push([next.m])).status).toBe(200);
      const ids = (await tablet.pullAll(0)).changes.map((ch) => ch.id);
      expect(ids).toEqual(expect.arrayContaining([a.id, b.id, c.id, next.id]));
    });

    it('cursor past tombstone horizon → resyncRequired', async () => {
      const s = await start();
      const tablet = await s.enroll((await s.unit()).id);
      const gone = tablet.createIdea('deleted soon');
      await tablet.push([gone.m]);
      const { cursor: early } = await tablet.pullAll();
      await tablet.push([tablet.mutation('ideas', 'delete', gone.id, {}), tablet.createIdea('stays').m]);
      const { cursor: now } = await tablet.pullAll();
      const result = await compact(s.storage, now + 1);
      expect(result.purged).toBe(1);
      expect(result.horizon).toBe(now);
      const stale = await tablet.pull(early);
      expect(stale.status).toBe(409);
      expect(stale.body.error).toBe('resyncRequired');
      expect((await tablet.pull(now)).status).toBe(200);
      const ahead = await tablet.pull(now + 10);
      expect(ahead.status).toBe(409);
      expect(ahead.body.error).toBe('resyncRequired');
      const fresh = await tablet.pullAll(0);
      expect(fresh.changes.map((c) => c.id)).not.toContain(gone.id);
    });
  });

  describe('merging', () => {
    it('tablet clock hours ahead → re-stamped, does not win forever', async () => {
      const s = await start();
      const fast = await s.enroll((await s.unit()).id);
      const honest = await s.enroll(fast.unitId);
      const idea = fast.createIdea('original');
      await fast.push([idea.m]);
      fast.skewMs = 3 * 3_600_000;
      const skewed = await fast.push([fast.mutation('ideas', 'patch', idea.id, { wouldChange: 'from the future' })]);
      expect(skewed.body.results[0]!.status).toBe('applied');
      expect(s.log.lines.some((l) => l.event === 'mutationRestamped' && l.deviceId === fast.deviceId)).toBe(true);
      const stored = (await honest.pullAll()).changes.find((c) => c.id === idea.id)!;
      expect(stored.clocks.wouldChange).toMatch(/:server$/);
      s.time += 60_000;
      const later = await honest.push([honest.mutation('ideas', 'patch', idea.id, { wouldChange: 'a minute later' })]);
      expect(later.body.results[0]!.status).toBe('applied');
      const after = (await honest.pullAll()).changes.find((c) => c.id === idea.id)!;
      expect(after.data.wouldChange).toBe('a minute later');
    });

    it('two tablets edit the same record → LWW, loser in conflict log', async () => {
      const s = await start();
      const a = await s.enroll((await s.unit()).id);
      const b = await s.enroll(a.unitId);
      const idea = a.createIdea('shared idea');
      await a.push([idea.m]);
      // both edit offline; A's edit is later but B syncs last
      const bEdit = b.mutation('ideas', 'patch', idea.id, { wouldChange: 'B version' }, { hlc: b.hlc(1_000) });
      const aEdit = a.mutation('ideas', 'patch', idea.id, { wouldChange: 'A version' }, { hlc: a.hlc(5_000) });
      await a.push([aEdit]);
      const res = await b.push([bEdit]);
      expect(res.body.results[0]!.status).toBe('applied');
      const rec = (await b.pullAll()).changes.find((c) => c.id === idea.id)!;
      expect(rec.data.wouldChange).toBe('A version');
      const conflicts = await s.storage.read((tx) => tx.listConflicts());
      expect(conflicts).toHaveLength(1);
      expect(conflicts[0]).toMatchObject({
        recordId: idea.id,
        field: 'wouldChange',
        loserValue: 'B version',
        loserHlc: bEdit.hlc,
        winnerHlc: aEdit.hlc,
      });
      expect(conflicts[0]!.loserHlc).not.toBe(HLC_ZERO);
    });

    it('published decision is append-only', async () => {
      const s = await start();
      const t = await s.enroll((await s.unit()).id);
      const idea = t.createIdea('idea to decide');
      const decisionId = newId(s.time);
      const content = {
        createdAt: new Date(s.time).toISOString(),
        ideaId: idea.id,
        outcome: 'decline',
        rationale: 'Ikke nå',
        participants: [{ role: 'leader' }],
      };
      const draft = t.mutation('unitDecisions', 'create', decisionId, content);
      const edit = t.mutation('unitDecisions', 'patch', decisionId, { rationale: 'Ikke i år: for mange endringer samtidig' });
      // Publishing carries the full content the publisher saw (see tests/server/integrity.test.ts).
      const publish = t.mutation('unitDecisions', 'publish', decisionId, {
        ...content,
        rationale: 'Ikke i år: for mange endringer samtidig',
        state: 'published',
        publishedAt: new Date(s.time).toISOString(),
        publishedBy: 'Enhetsleder',
      });
      const rewrite = t.mutation('unitDecisions', 'patch', decisionId, { rationale: 'changed afterwards' });
      const remove = t.mutation('unitDecisions', 'delete', decisionId, {});
      const supersedingId = newId(s.time);
      const supersede = t.mutation('unitDecisions', 'create', supersedingId, {
        createdAt: new Date(s.time).toISOString(),
        ideaId: idea.id,
        outcome: 'park',
        parkUntil: '2027-06-01',
        rationale: 'Vi ser på det igjen til sommeren',
        participants: [{ role: 'leader' }, { role: 'employeeRep' }],
        supersedesId: decisionId,
      });
      const res = await t.push([idea.m, draft, edit, publish, rewrite, remove, supersede]);
      expect(res.body.results.map((r) => r.reason ?? r.status)).toEqual([
        'applied',
        'applied',
        'applied',
        'applied',
        'publishedImmutable',
        'publishedImmutable',
        'applied',
      ]);
      const decisions = (await t.pullAll()).changes.filter((c) => c.table === 'unitDecisions');
      const published = decisions.find((d) => d.id === decisionId)!;
      expect(published.data.rationale).toBe('Ikke i år: for mange endringer samtidig');
      expect(published.deleted).toBe(false);
      expect(decisions.find((d) => d.id === supersedingId)?.data.supersedesId).toBe(decisionId);
      // supports are append-only too
      const supportId = newId(s.time);
      const support = t.mutation('supports', 'create', supportId, { createdAt: new Date(s.time).toISOString(), ideaId: idea.id });
      const supportPatch = t.mutation('supports', 'patch', supportId, {
        ideaId: newId(),
        createdAt: new Date(s.time + 1).toISOString(),
        extra: 1,
      });
      const r2 = await t.push([support, supportPatch]);
      expect(r2.body.results[0]!.status).toBe('applied');
      expect(r2.body.results[1]!.status).toBe('rejected');
    });

    it('dissemination: other unit sees published decisions/decided ideas (redacted bearerName), not drafts', async () => {
      const s = await start();
      const home = await s.enroll((await s.unit('Renovasjon')).id);
      const neighbour = await s.enroll((await s.unit('Hjemmetjenesten')).id);
      const open = home.createIdea('still open', { bearerName: 'Kari' });
      const decided = home.createIdea('decided', { bearerName: 'Ola', status: 'declined' });
      const draftId = newId(s.time);
      const publishedId = newId(s.time);
      const decision = (id: string, ideaId: string, published: boolean) =>
        home.mutation('unitDecisions', 'create', id, {
          createdAt: new Date(s.time).toISOString(),
          ideaId,
          outcome: 'decline',
          rationale: 'Begrunnelse',
          participants: [{ role: 'leader', name: 'Leder Lien' }],
          ...(published ? { state: 'published', publishedAt: new Date(s.time).toISOString(), publishedBy: 'Leder' } : {}),
        });
      const draft = decision(draftId, open.id, false);
      const published = decision(publishedId, decided.id, true);
      const learningId = newId(s.time);
      const learning = home.mutation('learnings', 'create', learningId, {
        createdAt: new Date(s.time).toISOString(),
        ideaId: decided.id,
        learned: 'Vi lærte noe',
      });
      const pushed = await home.push([open.m, decided.m, draft, published, learning]);
      expect(pushed.body.results.every((r) => r.status === 'applied')).toBe(true);

      const seen = (await neighbour.pullAll()).changes;
      const ids = seen.map((c) => c.id);
      expect(ids).toEqual(expect.arrayContaining([home.unitId, neighbour.unitId, decided.id, publishedId, learningId]));
      expect(ids).not.toContain(open.id);
      expect(ids).not.toContain(draftId);
      expect(seen.find((c) => c.id === decided.id)?.data.bearerName).toBeNull();

      const own = (await home.pullAll()).changes;
      expect(own.find((c) => c.id === decided.id)?.data.bearerName).toBe('Ola');
      expect(own.map((c) => c.id)).toEqual(expect.arrayContaining([open.id, draftId]));

      // another unit may read, never write
      const meddling = await neighbour.push([neighbour.mutation('ideas', 'patch', decided.id, { wouldChange: 'x' })]);
      expect(meddling.body.results[0]!.reason).toBe('forbidden');
      // and the logs carry no idea text or names
      const logText = JSON.stringify(s.log.lines);
      for (const secret of ['still open', 'Kari', 'Ola', 'Vi lærte noe', home.token]) expect(logText).not.toContain(secret);
    });

    it('pull pages with limit and hasMore', async () => {
      const s = await start();
      const t = await s.enroll((await s.unit()).id);
      await t.push(Array.from({ length: 7 }, (_, i) => t.createIdea(`idea ${i}`).m));
      const first = await t.pull(0, { limit: 3 });
      expect(first.body.changes).toHaveLength(3);
      expect(first.body.hasMore).toBe(true);
      const all = await t.pullAll(0, 3);
      expect(all.changes.filter((c) => c.table === 'ideas')).toHaveLength(7);
      const seqs = all.changes.map((c) => c.serverSeq);
      expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
      expect(new Set(seqs).size).toBe(seqs.length);
    });
  });
});
