/**
 * Property: whatever the interleaving of edits on several tablets, pushes
 * whose answers get lost (and are re-sent), and paged pulls, every tablet
 * that pulls incrementally ends with exactly the server's state, and each
 * field holds the write with the greatest HLC.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareHlc, mergeRemoteRecord, type MutationInput, type StoredRecord } from '../../src/domain';
import { serverBackends, TestServer, type Tablet, type TestDb } from './helpers';

const FIELDS = ['impossibleNow', 'wouldChange'] as const;

const command = fc.oneof(
  fc.record({
    kind: fc.constant('edit' as const),
    tablet: fc.nat(2),
    field: fc.constantFrom(...FIELDS),
    value: fc.stringMatching(/^[a-zæøå]{1,8}$/), // schemas trim text; keep values as stored
    clockOffset: fc.integer({ min: -10_000, max: 10_000 }),
  }),
  fc.record({ kind: fc.constant('push' as const), tablet: fc.nat(2), loseAnswer: fc.boolean() }),
  fc.record({ kind: fc.constant('pull' as const), tablet: fc.nat(2), limit: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ kind: fc.constant('tick' as const), ms: fc.integer({ min: 1, max: 5_000 }) }),
);

interface Replica {
  tablet: Tablet;
  outbox: MutationInput[];
  cursor: number;
  records: Map<string, StoredRecord>;
}

async function pushOutbox(r: Replica, loseAnswer: boolean) {
  if (r.outbox.length === 0) return;
  const res = await r.tablet.push(r.outbox);
  expect(res.status).toBe(200);
  expect(res.body.results.every((x) => x.status !== 'rejected')).toBe(true);
  if (loseAnswer) {
    r.tablet.ackedThrough = 0; // as if the answer never arrived: the device keeps its older ack
    return;
  }
  r.outbox = r.outbox.filter((m) => m.seq > res.body.lastAppliedSeq);
}

async function pullPage(r: Replica, limit: number) {
  const res = await r.tablet.pull(r.cursor, { limit });
  expect(res.status).toBe(200);
  for (const change of res.body.changes) {
    if (change.unitId !== r.tablet.unitId) continue;
    const key = `${change.table}/${change.id}`;
    r.records.set(key, mergeRemoteRecord(r.records.get(key), change));
  }
  r.cursor = res.body.cursor;
  return res.body.hasMore;
}

describe.each(serverBackends())('convergence on %s', (_kind, backend) => {
  let db: TestDb;
  beforeAll(async () => {
    await backend.setup();
    db = await backend.fresh();
  }, 60_000);
  afterAll(async () => {
    await db.close();
    await backend.teardown();
  });

  it('tablets that pull incrementally converge on the server state; highest HLC wins', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 5, maxLength: 30 }), async (commands) => {
        const server = new TestServer(db.storage);
        const unit = await server.unit();
        const replicas: Replica[] = [];
        for (let i = 0; i < 3; i++) replicas.push({ tablet: await server.enroll(unit.id), outbox: [], cursor: 0, records: new Map() });
        const first = replicas[0]!;
        const idea = first.tablet.createIdea('seed');
        first.outbox.push(idea.m);
        const writes: Array<{ field: string; value: unknown; hlc: string }> = [
          { field: 'impossibleNow', value: 'seed', hlc: idea.m.hlc },
          { field: 'wouldChange', value: null, hlc: idea.m.hlc },
        ];
        await pushOutbox(first, false);

        for (const c of commands) {
          if (c.kind === 'tick') server.time += c.ms;
          else if (c.kind === 'edit') {
            const r = replicas[c.tablet]!;
            const hlc = r.tablet.hlc(c.clockOffset);
            r.outbox.push(r.tablet.mutation('ideas', 'patch', idea.id, { [c.field]: c.value }, { hlc }));
            writes.push({ field: c.field, value: c.value, hlc });
          } else if (c.kind === 'push') await pushOutbox(replicas[c.tablet]!, c.loseAnswer);
          else await pullPage(replicas[c.tablet]!, c.limit);
        }
        for (const r of replicas) await pushOutbox(r, false);
        for (const r of replicas) while (await pullPage(r, 2));

        const truth = (await replicas[0]!.tablet.pullAll(0)).changes.find((ch) => ch.id === idea.id)!;
        for (const field of FIELDS) {
          const winner = writes.filter((w) => w.field === field).reduce((a, b) => (compareHlc(a.hlc, b.hlc) >= 0 ? a : b));
          expect(truth.data[field]).toEqual(winner.value);
          expect(truth.clocks[field]).toBe(winner.hlc);
        }
        for (const r of replicas) {
          const local = r.records.get(`ideas/${idea.id}`)!;
          expect(local.data).toEqual(truth.data);
          expect(local.clocks).toEqual(truth.clocks);
        }
      }),
      { numRuns: 8 },
    );
  }, 120_000);
});
