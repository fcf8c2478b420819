/**
 * Personal data on the server (issue #14 part 3), on both databases, through
 * the real app in-process: an administrator finds a name across units,
 * exports every record naming the person and nothing else, and erases the
 * name everywhere the server holds it (live records, tombstones, the conflict
 * log), so that no pull returns it afterwards; a change queued before the
 * erasure cannot bring it back. Photos are deleted with their bytes.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HLC_ZERO, namesPerson, newId, TABLE_NAMES, type SteeringDecision } from '../../src/domain';
import type { EraseResult, NameSearch, PersonExport } from '../../src/domain/console/personalData';
import type { Meeting } from '../../src/domain/console/steering';
import { consoleAccount } from './consoleClient';
import { serverBackends, TestServer, type TestDb } from './helpers';
import { pushNamedRecords } from './namedRecords';

const KARI = 'Kari Nordmann';
const DAY = 86_400_000;

describe.each(serverBackends())('personal data on %s', (_kind, backend) => {
  let db: TestDb;
  beforeAll(() => backend.setup(), 60_000);
  afterAll(() => backend.teardown());
  afterEach(async () => db?.close());

  /** Kari named in every field of unit A, in a tombstone, in the conflict log and by the steering group; once in unit B; Ola beside her. */
  async function municipality() {
    db = await backend.fresh();
    const s = new TestServer(db.storage);
    const admin = await consoleAccount(s, 'administrator', 'admin@k.no');
    const a = await s.enroll((await s.unit('Renovasjon')).id);
    const a2 = await s.enroll(a.unitId);
    const b = await s.enroll((await s.unit('Hjemmetjenesten')).id);
    const records = await pushNamedRecords(a, KARI);
    await pushNamedRecords(b, 'kari  NORDMANN');
    // Ola beside Kari: a decision naming both.
    const both = newId(s.time);
    await a.push([
      a.mutation('unitDecisions', 'create', both, {
        ...records.unitDecisions,
        id: both,
        outcome: 'decline',
        participants: [
          { role: 'leader', name: KARI },
          { role: 'employeeRep', name: 'Ola Hansen' },
        ],
        publishedBy: 'Ola Hansen',
        supersedesId: null,
        state: 'draft',
        publishedAt: null,
      }),
    ]);
    // A tombstone that named her.
    const gone = a.createIdea('Slettes', { bearerName: KARI });
    await a.push([gone.m, a.mutation('ideas', 'delete', gone.id, {})]);
    // Two tablets name the bearer at once: her name loses, into the conflict log.
    const disputed = a.createIdea('Omstridt', { bearerName: null });
    await a.push([disputed.m]);
    const base = { bearerName: disputed.m.hlc };
    await a.push([a.mutation('ideas', 'patch', disputed.id, { bearerName: KARI }, { base })]);
    a2.counter = 99;
    await a2.push([a2.mutation('ideas', 'patch', disputed.id, { bearerName: 'Per' }, { base, hlc: a2.hlc(1000) })]);
    // The steering group names her as responsible.
    const meeting = (await admin.post('/steering/meetings', { title: 'Møte', meetsOn: '2026-12-01', members: ['employer'] }))
      .body as unknown as Meeting;
    const draft = (
      await admin.post('/steering/decisions', {
        ideaId: records.ideas.id,
        meetingId: meeting.id,
        outcome: 'adopt',
        rationale: 'Ja.',
        responsible: KARI,
        followUpDate: '2027-01-01',
      })
    ).body.decision as SteeringDecision;
    await admin.post(`/steering/decisions/${draft.id}/publish`, { seen: draft, publishedBy: 'Styringsgruppa' });
    return { s, admin, a, b, records };
  }

  /** Every record the server holds, live and deleted, and its conflict log, as text. */
  async function everything(): Promise<{ records: string; conflicts: string; naming: Array<{ table: string; id: string }> }> {
    const all = (await Promise.all(TABLE_NAMES.map((t) => db.storage.read((tx) => tx.listRecords(t))))).flat();
    return {
      records: JSON.stringify(all),
      conflicts: JSON.stringify(await db.storage.read((tx) => tx.listConflicts())),
      naming: all.filter((r) => namesPerson(r.table, r.data, KARI)).map((r) => ({ table: r.table, id: r.id })),
    };
  }

  it('finds the name across units, and exports every record naming the person and nothing else', async () => {
    const { admin } = await municipality();
    const search = (await admin.get('/personal-data/search?q=kari')).body as unknown as NameSearch;
    const kari = search.matches.find((m) => m.name === KARI)!;
    expect(kari.units).toEqual(['Hjemmetjenesten', 'Renovasjon']);
    expect(kari.conflicts).toBe(1);
    expect(kari.places).toEqual(
      expect.arrayContaining([
        { table: 'ideas', field: 'bearerName', count: 3 },
        { table: 'steeringDecisions', field: 'responsible', count: 1 },
        { table: 'learnings', field: 'author', count: 2 },
      ]),
    );
    expect(search.matches.some((m) => m.name === 'Ola Hansen')).toBe(false);

    const exported = (await admin.get(`/personal-data/export.json?name=${encodeURIComponent('KARI nordmann')}`))
      .body as unknown as PersonExport;
    const { naming } = await everything();
    expect(exported.records.map((r) => ({ table: r.table, id: r.id })).sort(byKey)).toEqual(naming.sort(byKey));
    expect(exported.records.find((r) => r.deleted)?.data).toMatchObject({ impossibleNow: 'Slettes' });
    expect(exported.conflicts).toEqual([expect.objectContaining({ field: 'bearerName', value: KARI })]);
    expect(JSON.stringify(exported)).not.toContain('Ola Hansen'); // someone else's name is theirs
    const csv = await admin.send('GET', `/personal-data/export.csv?name=${encodeURIComponent(KARI)}&language=en`);
    expect(csv.text.startsWith('\uFEFFTable;Record id;Unit;Deleted;')).toBe(true);
    expect(csv.text.trim().split('\r\n')).toHaveLength(1 + naming.length + 1);
    expect(csv.headers.get('content-disposition')).toMatch(/attachment/);
  });

  it('erases the name everywhere the server holds it: no pull returns it, the conflict log does not hold it', async () => {
    const { s, admin, a, b, records } = await municipality();
    const erased = await admin.post('/personal-data/erase', { name: 'kari nordmann', confirm: true });
    expect(erased.status).toBe(200);
    const result = erased.body as unknown as EraseResult;
    expect(result).toMatchObject({ conflicts: 1, units: 2 });
    expect(result.records).toBeGreaterThan(10);

    const after = await everything();
    expect(after.naming).toEqual([]);
    expect(after.records.toLowerCase()).not.toContain('kari nordmann');
    expect(after.conflicts.toLowerCase()).not.toContain('kari nordmann');
    for (const tablet of [a, b]) {
      const pulled = JSON.stringify((await tablet.pullAll()).changes).toLowerCase();
      expect(pulled).not.toContain('kari nordmann');
      expect(pulled).toContain(result.pseudonym); // required names are pseudonymised, and the erasure instruction came
    }
    // A published decision keeps its content, not the name.
    const decision = (await a.pullAll()).changes.find((c) => c.id === records.unitDecisions.id)!;
    expect(decision.data).toMatchObject({ state: 'published', rationale: 'Trenger penger fra kommunen.', publishedBy: result.pseudonym });
    const erasures = (await a.pullAll()).changes.filter((c) => c.table === 'erasures');
    expect(erasures).toHaveLength(1);
    expect(JSON.stringify(erasures)).not.toMatch(/kari/i);
    // The audit log says who erased, not whom.
    const audit = JSON.stringify((await admin.get('/audit')).body);
    expect(audit).toContain('person.erase');
    expect(audit.toLowerCase()).not.toContain('kari');

    // A tablet that was offline sends a change it made before the erasure: the name does not come back.
    const late = a.mutation('ideas', 'patch', records.ideas.id, { bearerName: KARI }, { hlc: a.hlc(-DAY), base: { bearerName: HLC_ZERO } });
    expect((await a.push([late])).body.results[0]!.status).toBe('applied');
    expect((await everything()).naming).toEqual([]);
    // A name typed afresh afterwards is someone's new entry, and kept.
    s.time += DAY;
    const fresh = a.createIdea('Ny idé', { bearerName: KARI });
    await a.push([fresh.m]);
    expect((await everything()).naming).toEqual([{ table: 'ideas', id: fresh.id }]);
  });

  it('only administrators handle personal data', async () => {
    const { s } = await municipality();
    const adviser = await consoleAccount(s, 'adviser', 'veileder@k.no');
    expect((await adviser.get('/personal-data/search?q=kari')).status).toBe(403);
    expect((await adviser.get(`/personal-data/export.json?name=${KARI}`)).status).toBe(403);
    expect((await adviser.post('/personal-data/erase', { name: KARI, confirm: true })).status).toBe(403);
  });

  it('deletes a photo, bytes and references, from the console and from a tablet', async () => {
    db = await backend.fresh();
    const s = new TestServer(db.storage);
    const admin = await consoleAccount(s, 'administrator', 'admin@k.no');
    const a = await s.enroll((await s.unit()).id);
    const upload = async (bytes: Buffer) => {
      const { createHash } = await import('node:crypto');
      const sha = createHash('sha256').update(bytes).digest('hex');
      const r = await s.request('PUT', `/api/v1/blobs/${sha}?offset=0&total=${bytes.length}`, {
        token: a.token,
        raw: new Uint8Array(bytes),
      });
      expect(r.status).toBe(200);
      return sha;
    };
    const first = await upload(Buffer.from([0xff, 0xd8, 0xff, 1, 2, 3]));
    const second = await upload(Buffer.from([0xff, 0xd8, 0xff, 4, 5, 6]));
    const idea = a.createIdea('Med bilder', { photos: [first, second] });
    await a.push([idea.m]);

    const listed = (await admin.get(`/personal-data/ideas/${idea.id}/photos`)).body;
    expect(listed).toMatchObject({ ideaId: idea.id, photos: [first, second] });
    expect((await admin.post(`/personal-data/photos/${first}/delete`)).body).toEqual({ ideas: 1, blobDeleted: true });
    expect((await s.request('GET', `/api/v1/blobs/${first}`)).status).toBe(404);
    expect((await a.pullAll()).changes.find((c) => c.id === idea.id)!.data.photos).toEqual([second]);

    // The leader removes the other one on the tablet, later: the server drops its bytes too.
    s.time += 60_000;
    await a.push([a.mutation('ideas', 'patch', idea.id, { photos: [] })]);
    expect((await s.request('GET', `/api/v1/blobs/${second}`)).status).toBe(404);
  });
});

const byKey = (x: { table: string; id: string }, y: { table: string; id: string }) =>
  `${x.table}/${x.id}` < `${y.table}/${y.id}` ? -1 : 1;
