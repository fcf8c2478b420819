/**
 * Protocol fuzz test: anything reachable from the network is reachable by an
 * attacker. Starting from valid requests to every endpoint (enroll, push with
 * every kind of mutation, pull, blob status/read/upload, health), fast-check
 * mutates them — values swapped for hostile ones (NUL, lone surrogates, huge
 * or non-integer numbers, prototype names, another unit's ids, deep nesting),
 * keys dropped or added, bodies truncated or made invalid JSON or UTF-8,
 * headers and query strings bent — and sends them through the real app on
 * SQLite and PostgreSQL. Asserted: no answer is ever ≥ 500, and another
 * unit's records are byte-identical afterwards.
 *
 * NEDENFRA_FUZZ_RUNS (default 2,000 per database; `npm run fuzz` runs 10,000);
 * NEDENFRA_FUZZ_SEED replays a run.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { newId, PROTOCOL_VERSION, sha256Hex, type MutationInput } from '../../src/domain';
import { serverBackends, TestServer, type Tablet, type TestDb } from './helpers';

const RUNS = Number(process.env.NEDENFRA_FUZZ_RUNS ?? 2000);
const SEED = Number(process.env.NEDENFRA_FUZZ_SEED ?? Date.now() % 2 ** 31);
const iso = (ms: number) => new Date(ms).toISOString();

/** A request before mutation: method, path, query, headers and a JSON (or raw) body. */
interface BaseRequest {
  method: string;
  path: string;
  query?: Record<string, string>;
  headers: Record<string, string>;
  body?: unknown;
  raw?: Uint8Array;
}

/** Text that stands for a value nested 50,000 levels deep (JSON.stringify cannot write it). */
const DEEP = '__DEEP__';
const deepText = '['.repeat(50_000) + '1' + ']'.repeat(50_000);

type Mutated<A> = A extends fc.Arbitrary<infer T> ? T : never;

describe.each(serverBackends())('protocol fuzz on %s', (kind, backend) => {
  let db: TestDb;
  afterAll(async () => {
    await db?.close();
    await backend.teardown();
  });

  it(`${RUNS} mutated requests to every endpoint: never a 5xx, another unit untouched`, { timeout: 900_000 }, async () => {
    await backend.setup();
    db = await backend.fresh();
    const seen = { requests: 0, byStatus: {} as Record<number, number> };
    const s = new TestServer(db.storage);

    // The unit that must stay untouched, with a bit of everything.
    const victim = await s.enroll((await s.unit('Hjemmetjenesten')).id);
    const theirIdea = victim.createIdea('Deres idé', { bearerName: 'Kari' });
    const theirDecisionId = newId(s.time);
    const content = {
      createdAt: iso(s.time),
      ideaId: theirIdea.id,
      outcome: 'decline',
      rationale: 'Ikke nå',
      participants: [{ role: 'leader', name: 'Kari' }],
    };
    const theirProcId = newId(s.time);
    const seeded = await victim.push([
      theirIdea.m,
      victim.mutation('unitDecisions', 'create', theirDecisionId, content),
      victim.mutation('unitDecisions', 'publish', theirDecisionId, {
        ...content,
        state: 'published',
        publishedAt: iso(s.time),
        publishedBy: 'Kari',
      }),
      victim.mutation('learnings', 'create', newId(s.time), { createdAt: iso(s.time), ideaId: theirIdea.id, learned: 'Vi lærte' }),
      victim.mutation('evaluationProcedures', 'create', theirProcId, { createdAt: iso(s.time), version: 1, criteria: [{ key: 'need' }] }),
    ]);
    expect(seeded.body.results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied', 'applied', 'applied']);
    const victimRows = async () =>
      JSON.stringify(
        (
          await Promise.all(
            (['units', 'ideas', 'unitDecisions', 'learnings', 'evaluationProcedures'] as const).map((t) =>
              s.storage.read((tx) => tx.listRecords(t)),
            ),
          )
        )
          .flat()
          .filter((r) => r.unitId === victim.unitId),
      );
    const before = await victimRows();

    // The attacker: a tablet of another unit, with a valid token and data of its own.
    const attacker = await s.enroll((await s.unit('Renovasjon')).id);
    const ownIdea = attacker.createIdea('Vår idé');
    const ownDecisionId = newId(s.time);
    const ownContent = { ...content, ideaId: ownIdea.id };
    const ownProcId = newId(s.time);
    await attacker.push([
      ownIdea.m,
      attacker.mutation('unitDecisions', 'create', ownDecisionId, ownContent),
      attacker.mutation('evaluationProcedures', 'create', ownProcId, { createdAt: iso(s.time), version: 1, criteria: [{ key: 'need' }] }),
    ]);
    const codes = await Promise.all(Array.from({ length: 5 }, () => s.code(attacker.unitId)));
    const photo = new TextEncoder().encode('photo bytes');
    const photoSha = await sha256Hex(photo);

    const auth = (t: Tablet) => ({ authorization: `Bearer ${t.token}`, 'content-type': 'application/json' });
    const pushOf = (mutations: MutationInput[]): BaseRequest => ({
      method: 'POST',
      path: '/api/v1/push',
      headers: auth(attacker),
      body: { protocol: PROTOCOL_VERSION, epoch: attacker.epoch, ackedThrough: attacker.ackedThrough, mutations },
    });
    /** Valid requests to every endpoint (pushes numbered next after what the server has, so they reach the merge). */
    const bases: Array<() => BaseRequest> = [
      () => ({ method: 'GET', path: '/api/v1/health', headers: {} }),
      () => ({
        method: 'POST',
        path: '/api/v1/enroll',
        headers: { 'content-type': 'application/json' },
        body: { protocol: PROTOCOL_VERSION, code: codes[0]!, deviceLabel: 'x', appVersion: '1' },
      }),
      () => ({
        method: 'GET',
        path: '/api/v1/pull',
        query: { protocol: String(PROTOCOL_VERSION), cursor: '0', limit: '50' },
        headers: auth(attacker),
      }),
      () => pushOf([attacker.createIdea('ny idé', { wouldChange: 'mer', beneficiaries: ['staff'], kind: 'technology' }).m]),
      () => pushOf([attacker.mutation('ideas', 'patch', ownIdea.id, { wouldChange: 'endret' }, { base: { wouldChange: attacker.hlc() } })]),
      () => pushOf([attacker.mutation('ideas', 'patch', theirIdea.id, { wouldChange: 'kapret' })]),
      () => pushOf([attacker.mutation('unitDecisions', 'create', newId(s.time), { ...content, supersedesId: theirDecisionId })]),
      () => pushOf([attacker.mutation('unitDecisions', 'patch', ownDecisionId, { rationale: 'ny begrunnelse' })]),
      () =>
        pushOf([
          attacker.mutation('unitDecisions', 'publish', ownDecisionId, {
            ...ownContent,
            state: 'published',
            publishedAt: iso(s.time),
            publishedBy: 'X',
          }),
        ]),
      () => pushOf([attacker.mutation('unitDecisions', 'delete', theirDecisionId, {})]),
      () => pushOf([attacker.mutation('supports', 'create', newId(s.time), { createdAt: iso(s.time), ideaId: ownIdea.id })]),
      () =>
        pushOf([
          attacker.mutation('evaluations', 'create', newId(s.time), {
            createdAt: iso(s.time),
            ideaId: ownIdea.id,
            procedureId: s.time % 2 ? theirProcId : ownProcId,
            procedureVersion: 1,
            participants: [{ role: 'leader', name: null }],
            scores: [{ key: 'need', score: 3, note: null }],
          }),
        ]),
      () =>
        pushOf([
          attacker.mutation(
            'learnings',
            'create',
            newId(s.time),
            { createdAt: iso(s.time), ideaId: ownIdea.id, learned: 'x' },
            { clocks: { learned: attacker.hlc() } },
          ),
        ]),
      () => pushOf([attacker.mutation('units', 'patch', attacker.unitId, { responseTargetDays: 14 })]),
      () => pushOf([attacker.mutation('units', 'patch', victim.unitId, { name: 'Kapret' })]),
      () => ({ method: 'GET', path: `/api/v1/blobs/${photoSha}`, query: { status: '1' }, headers: {} }),
      () => ({ method: 'HEAD', path: `/api/v1/blobs/${photoSha}`, headers: {} }),
      () => ({ method: 'GET', path: `/api/v1/blobs/${photoSha}`, headers: {} }),
      () => ({
        method: 'PUT',
        path: `/api/v1/blobs/${photoSha}`,
        query: { offset: '0', total: String(photo.length) },
        headers: { authorization: `Bearer ${attacker.token}`, 'content-type': 'application/octet-stream' },
        raw: photo,
      }),
    ];

    const hostile = fc.oneof(
      fc.constantFrom<unknown>(
        null,
        true,
        0,
        -1,
        2 ** 53,
        1e300,
        -1e300,
        0.5,
        '',
        '\u0000',
        'a\u0000b',
        '\ud800',
        'x\udfff',
        '__proto__',
        'constructor',
        'toString',
        'x'.repeat(300_000),
        [],
        {},
        [[[[[]]]]],
        DEEP,
        theirIdea.id,
        theirDecisionId,
        victim.unitId,
        victim.token,
        'published',
        'publish',
        'delete',
        '9'.repeat(400),
      ),
      fc.string(),
      fc.integer(),
      fc.double(),
    );
    const key = fc.constantFrom(
      '__proto__',
      'constructor',
      'toString',
      'hasOwnProperty',
      'status',
      'unitId',
      'x'.repeat(100),
      '',
      'state',
      'clocks',
    );
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), value: hostile }),
      fc.record({ kind: fc.constant('drop' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('add' as const), at: fc.nat(), key, value: hostile }),
      fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('garble' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
      fc.record({
        kind: fc.constant('query' as const),
        name: fc.constantFrom('cursor', 'limit', 'protocol', 'epoch', 'offset', 'total', 'status'),
        value: fc.constantFrom('-1', '1e309', 'NaN', '0x10', '99999999999999999999', '%00', '', '1.5', 'null', '\u0000'),
      }),
      fc.record({
        kind: fc.constant('header' as const),
        name: fc.constantFrom('authorization', 'content-type'),
        value: fc.constantFrom(
          'Bearer ',
          'Bearer \u00ff',
          `Bearer ${'a'.repeat(5000)}`,
          'text/plain',
          'application/json; charset=latin1',
          '',
        ),
      }),
      fc.record({
        kind: fc.constant('path' as const),
        value: fc.constantFrom(
          '/api/v1/blobs/%00',
          '/api/v1/blobs/' + 'A'.repeat(64),
          '/api/v1/push/',
          '/api/v1/pull?x',
          '/api/v2/push',
          '/api/v1/blobs/..%2f..%2fetc%2fpasswd',
        ),
      }),
    );

    /** Every JSON node as [parent, key] pairs, so a mutation can address one by number. */
    const nodes = (root: unknown) => {
      const found: Array<[Record<string, unknown> | unknown[], string | number]> = [];
      const walk = (v: unknown) => {
        if (v === null || typeof v !== 'object') return;
        for (const [k, child] of Object.entries(v)) {
          found.push([v as Record<string, unknown>, Array.isArray(v) ? Number(k) : k]);
          walk(child);
        }
      };
      walk(root);
      return found;
    };

    const send = async (base: BaseRequest, mutations: Array<Mutated<typeof mutation>>) => {
      const { raw: _raw, ...copy } = base;
      const req: BaseRequest = structuredClone(copy);
      let path = base.path;
      const query = new URLSearchParams(req.query ?? {});
      let bytes: Uint8Array | undefined = base.raw;
      let text: string | undefined;
      for (const m of mutations) {
        const all = nodes(req.body);
        if (m.kind === 'replace' && all.length) {
          const [parent, k] = all[m.at % all.length]!;
          (parent as Record<string | number, unknown>)[k] = structuredClone(m.value);
        } else if (m.kind === 'drop' && all.length) {
          const [parent, k] = all[m.at % all.length]!;
          if (Array.isArray(parent)) parent.splice(Number(k), 1);
          else delete parent[k];
        } else if (m.kind === 'add') {
          const objects = [req.body, ...all.map(([p, k]) => (p as Record<string | number, unknown>)[k])].filter(
            (v): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v),
          );
          // defineProperty, so `__proto__` becomes a real key of the JSON text
          if (objects.length)
            Object.defineProperty(objects[m.at % objects.length]!, m.key, {
              value: structuredClone(m.value),
              enumerable: true,
              writable: true,
              configurable: true,
            });
        } else if (m.kind === 'query') query.set(m.name, m.value);
        else if (m.kind === 'header') req.headers[m.name] = m.value;
        else if (m.kind === 'path') path = m.value;
      }
      if (req.body !== undefined) text = JSON.stringify(req.body).replaceAll(JSON.stringify(DEEP), deepText);
      if (text !== undefined) bytes = new TextEncoder().encode(text);
      for (const m of mutations) {
        if (!bytes) break;
        if (m.kind === 'truncate') bytes = bytes.slice(0, m.at % (bytes.length + 1));
        if (m.kind === 'garble' && bytes.length) {
          bytes = bytes.slice();
          bytes[m.at % bytes.length] = m.byte;
        }
      }
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        try {
          headers.set(name, value);
        } catch {
          // a header value no HTTP client could send (e.g. NUL): the request is sent without it
        }
      }
      const q = query.toString();
      const url = `http://server${path}${q ? (path.includes('?') ? '&' : '?') + q : ''}`;
      const res = await s.app.fetch(
        new Request(url, {
          method: req.method,
          headers,
          ...(bytes && req.method !== 'GET' && req.method !== 'HEAD' ? { body: new Uint8Array(bytes) } : {}),
        }),
      );
      await res.arrayBuffer();
      seen.requests++;
      seen.byStatus[res.status] = (seen.byStatus[res.status] ?? 0) + 1;
      return res.status;
    };

    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 3 }), async (which, mutations) => {
        const device = await s.storage.read((tx) => tx.getDevice(attacker.deviceId));
        attacker.seq = attacker.ackedThrough = device!.lastAppliedSeq;
        const base = bases[which % bases.length]!();
        const status = await send(base, mutations);
        expect(status, `${base.method} ${base.path}`).toBeLessThan(500);
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );

    expect(await victimRows()).toBe(before);
    // and the server still works for everyone
    expect((await victim.push([victim.createIdea('Etterpå').m])).status).toBe(200);
    expect((await attacker.pullAll()).changes.length).toBeGreaterThan(0);
    console.log(`protocol fuzz on ${kind}: seed ${SEED} (NEDENFRA_FUZZ_SEED to replay)`, seen);
  });
});
