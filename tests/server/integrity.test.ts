/**
 * Issue #9, "an answer, once published, can never be hidden, forged or bent":
 * one test per defect, through the real protocol (app.fetch) on SQLite and
 * on a real PostgreSQL. Each was seen failing on the code before the fix.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { JSON_LIMITS, newId, PROTOCOL_VERSION, type MutationInput, type PushResponse, type StoredRecord } from '../../src/domain';
import { serverBackends, TestServer, type Tablet, type TestDb } from './helpers';

const iso = (ms: number) => new Date(ms).toISOString();

describe.each(serverBackends())('sync integrity on %s', (_kind, backend) => {
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

  const stored = (table: string, id: string) =>
    server.storage.read((tx) => tx.getRecord(table as 'ideas', id)) as Promise<(StoredRecord & { serverSeq: number | null }) | undefined>;

  /** A decision's full content as a tablet holds it. */
  function decisionContent(t: Tablet, ideaId: string, over: Record<string, unknown> = {}) {
    return {
      createdAt: iso(t.server.time),
      ideaId,
      outcome: 'decline',
      rationale: 'Ikke i år: for mange endringer samtidig',
      responsible: null,
      followUpDate: null,
      parkUntil: null,
      mergeIntoIdeaId: null,
      participants: [{ role: 'leader', name: 'Kari' }],
      state: 'draft',
      publishedAt: null,
      publishedBy: null,
      supersedesId: null,
      ...over,
    };
  }
  const published = (t: Tablet) => ({ state: 'published', publishedAt: iso(t.server.time), publishedBy: 'Kari Enhetsleder' });

  function evaluation(t: Tablet, ideaId: string, procedureId: string, extra: Partial<MutationInput> = {}) {
    return t.mutation(
      'evaluations',
      'create',
      newId(t.server.time),
      {
        createdAt: iso(t.server.time),
        ideaId,
        procedureId,
        procedureVersion: 1,
        participants: [{ role: 'leader', name: 'Kari' }],
        scores: [{ key: 'need', score: 4, note: null }],
      },
      extra,
    );
  }

  function procedure(t: Tablet, criteria = [{ key: 'need' }]) {
    const id = newId(t.server.time);
    return { id, m: t.mutation('evaluationProcedures', 'create', id, { createdAt: iso(t.server.time), version: 1, criteria }) };
  }

  async function twoTabletsOneIdea() {
    const s = await start();
    const a = await s.enroll((await s.unit('Renovasjon')).id);
    const b = await s.enroll(a.unitId);
    const idea = b.createIdea('Enmannsbil med løftearm');
    const proc = procedure(b);
    expect((await b.push([idea.m, proc.m])).body.results.map((r) => r.status)).toEqual(['applied', 'applied']);
    return { s, a, b, idea, proc };
  }

  const statusOf = async (t: Tablet, ideaId: string) => (await t.pullAll()).changes.find((c) => c.id === ideaId)?.data.status;

  describe('defect 1: an idea status is derived from its decisions, never written', () => {
    it('an offline evaluation with a later clock cannot move an answered idea back under evaluation', async () => {
      const { a, b, idea, proc } = await twoTabletsOneIdea();
      // B publishes "decline" (with the status write older apps sent alongside).
      const decisionId = newId(b.server.time);
      const decide = b.mutation('unitDecisions', 'create', decisionId, decisionContent(b, idea.id, published(b)));
      const oldStatusWrite = b.mutation('ideas', 'patch', idea.id, { status: 'declined' });
      expect((await b.push([decide, oldStatusWrite])).body.results.map((r) => r.status)).toEqual(['applied', 'applied']);
      // A, offline and still seeing the idea as new, evaluates it with a later clock.
      const evaluate = evaluation(a, idea.id, proc.id, { hlc: a.hlc(60_000) });
      const staleStatus = a.mutation('ideas', 'patch', idea.id, { status: 'underEvaluation' }, { hlc: a.hlc(60_000) });
      expect((await a.push([evaluate, staleStatus])).body.results.map((r) => r.status)).toEqual(['applied', 'applied']);
      expect(await statusOf(a, idea.id)).toBe('declined');
      expect(await statusOf(b, idea.id)).toBe('declined');
      expect((await stored('ideas', idea.id))?.clocks.status).toBeUndefined();
    });

    it('the status comes from the records in whatever order they arrive', async () => {
      const { a, b, idea, proc } = await twoTabletsOneIdea();
      expect((await a.push([evaluation(a, idea.id, proc.id)])).body.results[0]!.status).toBe('applied');
      expect(await statusOf(a, idea.id)).toBe('underEvaluation');
      const decide = b.mutation('unitDecisions', 'create', newId(b.server.time), decisionContent(b, idea.id, published(b)));
      await b.push([decide]);
      expect(await statusOf(a, idea.id)).toBe('declined');
    });

    it('a status a device sends is dropped: on create and on patch', async () => {
      const s = await start();
      const t = await s.enroll((await s.unit()).id);
      const forged = t.createIdea('Ser ut som besluttet', { status: 'adopted' });
      const res = await t.push([forged.m, t.mutation('ideas', 'patch', forged.id, { status: 'pilot' })]);
      expect(res.body.results.map((r) => r.status)).toEqual(['applied', 'applied']);
      const record = await stored('ideas', forged.id);
      expect(record?.data.status).toBe('new');
      expect(record?.clocks.status).toBeUndefined();
      // and so another unit does not see it as decided
      const neighbour = await s.enroll((await s.unit('Naboenheten')).id);
      expect((await neighbour.pullAll()).changes.map((c) => c.id)).not.toContain(forged.id);
    });
  });

  describe('defect 2: publishing is one atomic act on what the publisher saw', () => {
    async function draftOnBoth() {
      const { s, a, b, idea } = await twoTabletsOneIdea();
      const decisionId = newId(s.time);
      const adopt = decisionContent(a, idea.id, {
        outcome: 'adopt',
        rationale: 'Vi prøver det',
        responsible: 'Ola',
        followUpDate: '2027-01-15',
      });
      expect((await a.push([a.mutation('unitDecisions', 'create', decisionId, adopt)])).body.results[0]!.status).toBe('applied');
      // B edits the same draft to "decline" with a clock 60 s ahead (inside the skew allowance) and syncs first.
      const edit = b.mutation(
        'unitDecisions',
        'patch',
        decisionId,
        { outcome: 'decline', responsible: null, followUpDate: null, rationale: 'Ikke nå' },
        { hlc: b.hlc(60_000) },
      );
      expect((await b.push([edit])).body.results[0]!.status).toBe('applied');
      return { s, a, b, idea, decisionId, adopt };
    }

    it('a publish whose draft changed underneath is refused, and nothing is published', async () => {
      const { a, idea, decisionId, adopt } = await draftOnBoth();
      const res = await a.push([a.mutation('unitDecisions', 'publish', decisionId, { ...adopt, ...published(a) })]);
      expect(res.body.results[0]).toMatchObject({ status: 'rejected', reason: 'draftChanged' });
      const record = await stored('unitDecisions', decisionId);
      expect(record?.data).toMatchObject({ state: 'draft', outcome: 'decline' });
      expect(await statusOf(a, idea.id)).toBe('new');
      // the refusal carries the server's version, so the tablet can show both
      expect(res.body.results[0]!.current?.data).toMatchObject({ outcome: 'decline', state: 'draft' });
    });

    it('the way older apps published (a patch of state only) publishes nothing', async () => {
      const { a, decisionId } = await draftOnBoth();
      const res = await a.push([a.mutation('unitDecisions', 'patch', decisionId, published(a))]);
      expect(res.body.results[0]!.status).toBe('rejected');
      expect((await stored('unitDecisions', decisionId))?.data.state).toBe('draft');
    });

    it('a publish of the unchanged draft publishes exactly that content', async () => {
      const { b, idea, decisionId } = await draftOnBoth();
      const seen = { ...decisionContent(b, idea.id), outcome: 'decline', rationale: 'Ikke nå' };
      seen.createdAt = (await stored('unitDecisions', decisionId))!.data.createdAt as string;
      const res = await b.push([b.mutation('unitDecisions', 'publish', decisionId, { ...seen, ...published(b) })]);
      expect(res.body.results[0]!.status).toBe('applied');
      expect((await stored('unitDecisions', decisionId))?.data).toMatchObject({ ...seen, ...published(b) });
      expect(await statusOf(b, idea.id)).toBe('declined');
    });
  });

  describe('defect 3: references stay inside the unit', () => {
    it('a decision, learning, evaluation or vote naming another unit record is forbidden; a dangling one unknown', async () => {
      const s = await start();
      const home = await s.enroll((await s.unit('Hjemmetjenesten')).id);
      const other = await s.enroll((await s.unit('Renovasjon')).id);
      const theirIdea = other.createIdea('Enmannsbil');
      const theirDecisionId = newId(s.time);
      const theirs = other.mutation('unitDecisions', 'create', theirDecisionId, decisionContent(other, theirIdea.id, published(other)));
      const theirProc = procedure(other);
      expect((await other.push([theirIdea.m, theirs, theirProc.m])).body.results.every((r) => r.status === 'applied')).toBe(true);
      const myIdea = home.createIdea('Vår egen idé');
      await home.push([myIdea.m]);

      const forged = home.mutation(
        'unitDecisions',
        'create',
        newId(s.time),
        decisionContent(home, theirIdea.id, { ...published(home), outcome: 'adopt', responsible: 'X', followUpDate: '2027-01-01' }),
      );
      const supersedes = home.mutation(
        'unitDecisions',
        'create',
        newId(s.time),
        decisionContent(home, myIdea.id, { supersedesId: theirDecisionId }),
      );
      const learning = home.mutation('learnings', 'create', newId(s.time), { createdAt: iso(s.time), ideaId: theirIdea.id, learned: 'x' });
      const evaluate = evaluation(home, myIdea.id, theirProc.id);
      const dangling = home.mutation('supports', 'create', newId(s.time), { createdAt: iso(s.time), ideaId: newId() });
      const res = await home.push([forged, supersedes, learning, evaluate, dangling]);
      expect(res.body.results.map((r) => r.reason)).toEqual(['forbidden', 'forbidden', 'forbidden', 'forbidden', 'unknownRecord']);
      // B's answer stays B's
      const seenByOther = (await other.pullAll()).changes.filter((c) => c.table === 'unitDecisions');
      expect(seenByOther.map((c) => c.id)).toEqual([theirDecisionId]);
      expect(await statusOf(other, theirIdea.id)).toBe('declined');
    });

    it('a reference may name a record created earlier in the same batch', async () => {
      const s = await start();
      const t = await s.enroll((await s.unit()).id);
      const idea = t.createIdea('Ny idé');
      const decision = t.mutation('unitDecisions', 'create', newId(s.time), decisionContent(t, idea.id, published(t)));
      const res = await t.push([idea.m, decision]);
      expect(res.body.results.map((r) => r.status)).toEqual(['applied', 'applied']);
    });

    it('a decision may only supersede a decision on the same idea', async () => {
      const s = await start();
      const t = await s.enroll((await s.unit()).id);
      const [x, y] = [t.createIdea('X'), t.createIdea('Y')];
      const onX = newId(s.time);
      await t.push([x.m, y.m, t.mutation('unitDecisions', 'create', onX, decisionContent(t, x.id, published(t)))]);
      const hideX = t.mutation('unitDecisions', 'create', newId(s.time), decisionContent(t, y.id, { ...published(t), supersedesId: onX }));
      expect((await t.push([hideX])).body.results[0]).toMatchObject({ status: 'rejected', reason: 'invalid' });
      expect(await statusOf(t, x.id)).toBe('declined');
    });
  });

  describe('defect 4: create of an existing id in append-only tables and published decisions', () => {
    it('an identical create is a no-op, a different one is refused', async () => {
      const s = await start();
      const t = await s.enroll((await s.unit()).id);
      const [idea, elsewhere] = [t.createIdea('A'), t.createIdea('B')];
      const proc = procedure(t, [{ key: 'need' }]);
      const supportId = newId(s.time);
      const support = t.mutation('supports', 'create', supportId, { createdAt: iso(s.time), ideaId: idea.id });
      const decisionId = newId(s.time);
      const decision = t.mutation('unitDecisions', 'create', decisionId, decisionContent(t, idea.id, published(t)));
      expect((await t.push([idea.m, elsewhere.m, proc.m, support, decision])).body.results.every((r) => r.status === 'applied')).toBe(true);
      const before = await Promise.all([
        stored('evaluationProcedures', proc.id),
        stored('supports', supportId),
        stored('unitDecisions', decisionId),
      ]);

      const again = (m: MutationInput, fields: Record<string, unknown>) => t.mutation(m.table, 'create', m.recordId, fields);
      const res = await t.push([
        again(proc.m, proc.m.fields),
        again(support, support.fields),
        again(decision, decision.fields),
        again(proc.m, { ...proc.m.fields, criteria: [{ key: 'load' }] }),
        again(support, { ...support.fields, ideaId: elsewhere.id }),
        again(decision, { ...decision.fields, outcome: 'park', parkUntil: '2027-06-01' }),
      ]);
      expect(res.body.results.map((r) => r.reason ?? r.status)).toEqual([
        'applied',
        'applied',
        'applied',
        'appendOnly',
        'appendOnly',
        'publishedImmutable',
      ]);
      const after = await Promise.all([
        stored('evaluationProcedures', proc.id),
        stored('supports', supportId),
        stored('unitDecisions', decisionId),
      ]);
      expect(after).toEqual(before);
    });
  });

  describe('defect 5: only schema fields get stored or clocked', () => {
    it('a patch naming 40,000 unknown fields is refused and the record does not grow', async () => {
      const s = await start();
      const t = await s.enroll((await s.unit()).id);
      const idea = t.createIdea('Delt læring');
      const learningId = newId(s.time);
      const learning = t.mutation('learnings', 'create', learningId, { createdAt: iso(s.time), ideaId: idea.id, learned: 'Vi lærte' });
      await t.push([idea.m, learning]);
      const before = await stored('learnings', learningId);
      const junk = Object.fromEntries(Array.from({ length: 40_000 }, (_, i) => [`f${i}`, 1]));
      const grow = t.mutation('learnings', 'patch', learningId, { ...junk, learned: 'Vi lærte mer' });
      const few = t.mutation('learnings', 'patch', learningId, { learned: 'Vi lærte mer', extra: 'x' });
      const res = await t.push([grow, few]);
      expect(res.body.results.map((r) => r.reason)).toEqual(['invalid', 'invalid']);
      const after = await stored('learnings', learningId);
      expect(after?.data).toEqual(before?.data);
      expect(Object.keys(after?.clocks ?? {}).sort()).toEqual(Object.keys(before?.clocks ?? {}).sort());
    });
  });

  describe('defect 6: malformed mutations are rejected alone, never a 5xx', () => {
    it('prototype names, deep nesting and NUL are rejections, and the valid edit behind them lands', async () => {
      const s = await start();
      const t = await s.enroll((await s.unit()).id);
      const idea = t.createIdea('Gammel tekst');
      await t.push([idea.m]);
      const deep = '"DEEP"'; // replaced in the body text: JSON.stringify itself cannot write 100,000 levels
      const hostile: MutationInput[] = [
        ...['toString', 'constructor', 'hasOwnProperty', '__proto__', 'valueOf'].map((name) =>
          t.mutation('ideas', 'patch', idea.id, { [name]: 'x', wouldChange: 'x' }),
        ),
        t.mutation('ideas', 'patch', idea.id, { wouldChange: deep }),
        t.mutation('ideas', 'patch', idea.id, { wouldChange: 'nul \u0000 inni' }),
        t.mutation('ideas', 'patch', idea.id, { wouldChange: 'halv \ud800 surrogat' }),
        t.mutation('ideas', 'patch', idea.id, { wouldChange: 'x' }, { clocks: { toString: t.hlc() } }),
        { ...t.mutation('ideas', 'create', newId(), { createdAt: iso(s.time), impossibleNow: 'x' }), recordId: `${newId()}\u0000` },
        { ...t.mutation('ideas', 'create', newId(), { createdAt: iso(s.time), impossibleNow: 'x' }), table: 'toString' as never },
      ];
      const good = t.mutation('ideas', 'patch', idea.id, { wouldChange: 'Ny tekst' });
      const body = JSON.stringify({
        protocol: PROTOCOL_VERSION,
        epoch: t.epoch,
        ackedThrough: t.ackedThrough,
        mutations: [...hostile, good],
      });
      // Deeper than a record's fields may be (JSON_LIMITS) but within what the HTTP layer reads (MAX_JSON_DEPTH):
      // that one mutation is refused. A body nested deeper than MAX_JSON_DEPTH is refused whole, below.
      const nest = (levels: number) => body.replace(JSON.stringify(deep), '['.repeat(levels) + '1' + ']'.repeat(levels));
      const tooDeep = await s.request('POST', '/api/v1/push', { token: t.token, raw: nest(100_000) });
      expect(tooDeep.status).toBe(400);
      expect(((await tooDeep.json()) as { error: string }).error).toBe('invalidRequest');
      expect((await stored('ideas', idea.id))?.data.wouldChange).toBeNull();
      const reply = await s.request('POST', '/api/v1/push', { token: t.token, raw: nest(JSON_LIMITS.maxDepth + 12) });
      const res = { status: reply.status, body: (await reply.json()) as PushResponse };
      expect(res.status).toBe(200);
      expect(res.body.results.map((r) => r.status)).toEqual([...hostile.map(() => 'rejected'), 'applied']);
      const record = await stored('ideas', idea.id);
      expect(record?.data.wouldChange).toBe('Ny tekst');
      expect(Object.keys(record!.data)).not.toContain('toString');
      expect(Object.getPrototypeOf(record!.data)).toBe(Object.prototype);
    });

    it('NUL or a lone surrogate in appVersion, deviceLabel or an epoch is a 400, not a 500', async () => {
      const s = await start();
      const unit = await s.unit();
      for (const deviceLabel of ['nett\u0000brett', 'nett\udc00brett']) {
        const res = await s.request('POST', '/api/v1/enroll', {
          body: { protocol: PROTOCOL_VERSION, code: await s.code(unit.id), deviceLabel },
        });
        expect(res.status).toBe(400);
      }
      const t = await s.enroll(unit.id);
      for (const over of [{ appVersion: '1.0\u0000' }, { appVersion: '1.0\ud800' }, { epoch: 'e\u0000' }]) {
        const res = await t.push([t.createIdea('x').m], over);
        expect(res.status).toBe(400);
        t.seq--; // the batch was refused whole: reuse its number
      }
      const ok = await t.push([t.createIdea('y').m]);
      expect(ok.status).toBe(200);
    });
  });

  describe('defect 7: a losing write is told, not silently dropped', () => {
    it('the tablet whose edit lost learns which field, from its push or from its next pull', async () => {
      const { s, a, b, idea } = await twoTabletsOneIdea();
      const decisionId = newId(s.time);
      await a.push([a.mutation('unitDecisions', 'create', decisionId, decisionContent(a, idea.id))]);
      const { changes } = await b.pullAll();
      const base = { rationale: changes.find((c) => c.id === decisionId)!.clocks.rationale! };
      // Both edit the rationale offline; A's clock is later, but B pushes last.
      const fromA = a.mutation('unitDecisions', 'patch', decisionId, { rationale: 'Teksten til A' }, { hlc: a.hlc(5_000), base });
      const fromB = b.mutation('unitDecisions', 'patch', decisionId, { rationale: 'Teksten til B' }, { hlc: b.hlc(1_000), base });
      await a.push([fromA]);
      const res = await b.push([fromB]);
      expect(res.body.results[0]).toMatchObject({ status: 'applied', lostFields: ['rationale'] });
      // Now the other way round: B writes later and pushes last; A learns on its pull.
      const a2 = a.mutation(
        'unitDecisions',
        'patch',
        decisionId,
        { rationale: 'A igjen' },
        { hlc: a.hlc(10_000), base: { rationale: fromA.hlc } },
      );
      const b2 = b.mutation(
        'unitDecisions',
        'patch',
        decisionId,
        { rationale: 'B igjen' },
        { hlc: b.hlc(20_000), base: { rationale: fromA.hlc } },
      );
      await a.push([a2]);
      expect((await b.push([b2])).body.results[0]!.lostFields ?? []).toEqual([]);
      const pulled = (await a.pullAll()).changes.find((c) => c.id === decisionId)!;
      expect(pulled.data.rationale).toBe('B igjen');
      expect(pulled.lostEdits).toContainEqual({ field: 'rationale', loserHlc: a2.hlc, loserValue: 'A igjen' });
      // another unit never sees a unit's losing texts
      const neighbour = await s.enroll((await s.unit('Naboenheten')).id);
      expect(JSON.stringify((await neighbour.pullAll()).changes)).not.toContain('A igjen');
    });

    it('a replay of a batch whose answer was lost gets the same refusals and losses again, not "duplicate"', async () => {
      const { s, a, b, idea } = await twoTabletsOneIdea();
      const decisionId = newId(s.time);
      const content = decisionContent(a, idea.id);
      await a.push([a.mutation('unitDecisions', 'create', decisionId, content)]);
      const base = { rationale: (await stored('unitDecisions', decisionId))!.clocks.rationale! };
      await b.push([b.mutation('unitDecisions', 'patch', decisionId, { rationale: 'B var først' }, { hlc: b.hlc(9_000), base })]);
      const batch = [
        a.createIdea('').m, // invalid
        a.mutation('unitDecisions', 'patch', decisionId, { rationale: 'A taper' }, { hlc: a.hlc(1_000), base }),
        a.mutation('unitDecisions', 'publish', decisionId, { ...content, ...published(a) }),
        a.createIdea('grei').m,
      ];
      const first = await a.push(batch);
      const answers = (r: typeof first) =>
        r.body.results.map(({ seq, status, reason, lostFields }) => ({ seq, status, reason, lostFields }));
      expect(answers(first).map((r) => r.reason ?? r.lostFields ?? r.status)).toEqual([
        'invalid',
        ['rationale'],
        'draftChanged',
        'applied',
      ]);
      const replay = await a.push(batch, { ackedThrough: 0 });
      expect(answers(replay)).toEqual(
        answers(first).map((r) => (r.status === 'applied' && !r.lostFields ? { ...r, status: 'duplicate' } : r)),
      );
      expect(replay.body.results[2]!.current?.data.rationale).toBe('B var først');
    });

    it('a write to a published decision that loses is a rejection, not "applied"', async () => {
      const { s, a, b, idea } = await twoTabletsOneIdea();
      const decisionId = newId(s.time);
      const content = decisionContent(a, idea.id);
      await a.push([a.mutation('unitDecisions', 'create', decisionId, content)]);
      await a.push([a.mutation('unitDecisions', 'publish', decisionId, { ...content, ...published(a) })]);
      // B edited the draft offline with an OLDER clock: it would lose anyway, and must say so.
      const late = b.mutation('unitDecisions', 'patch', decisionId, { rationale: 'Endret for sent' }, { hlc: b.hlc(-60_000) });
      const res = await b.push([late]);
      expect(res.body.results[0]).toMatchObject({ status: 'rejected', reason: 'publishedImmutable' });
      expect(res.body.results[0]!.current?.data.state).toBe('published');
    });
  });
});
