/**
 * Units learn from each other, and no name crosses units (issue #14 part 2),
 * on both databases: another unit's pull carries a unit's decided ideas,
 * published decisions of both levels and learning logs, and never a person's
 * name, whatever the name and wherever it was written (every table and field
 * that can hold one, tables.ts: PERSON_FIELDS, including what the steering
 * group wrote); nor does the console's library. Undecided ideas, drafts,
 * evaluations, sessions and votes stay in the unit. A unit may take up
 * another unit's change, and only one it can see.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId, type SteeringDecision } from '../../src/domain';
import type { LibraryPage } from '../../src/domain/console/library';
import type { Meeting } from '../../src/domain/console/steering';
import { consoleAccount, type ConsoleClient } from './consoleClient';
import { serverBackends, TestServer, type TestDb } from './helpers';
import { pushNamedRecords } from './namedRecords';

const word = fc.stringMatching(/^[A-Za-zÆØÅæøåÉéÜü'-]{2,12}$/);
/** A name that occurs nowhere else in the records (a distinctive first word), any further words. */
const personName = fc.tuple(word, fc.array(word, { maxLength: 2 })).map(([first, rest]) => ['Qz' + first, ...rest].join(' '));

describe.each(serverBackends())('dissemination on %s', (_kind, backend) => {
  let db: TestDb;
  let s: TestServer;
  let adviser: ConsoleClient;
  beforeAll(async () => {
    await backend.setup();
    db = await backend.fresh();
    s = new TestServer(db.storage);
    adviser = await consoleAccount(s, 'administrator', 'admin@k.no');
  }, 60_000);
  afterAll(async () => {
    await db?.close();
    await backend.teardown();
  });

  /** A unit whose every name field names `name`, its forwarded idea answered by the steering group (naming the person too). */
  async function unitNaming(name: string) {
    const unit = await s.unit(`Enhet ${newId().slice(-6)}`);
    const tablet = await s.enroll(unit.id);
    const records = await pushNamedRecords(tablet, name);
    const meeting = (await adviser.post('/steering/meetings', { title: 'Møte', meetsOn: '2026-12-01', members: ['employer'] }))
      .body as unknown as Meeting;
    const draft = (
      await adviser.post('/steering/decisions', {
        ideaId: records.ideas.id,
        meetingId: meeting.id,
        outcome: 'adopt',
        rationale: 'Innføres i hele kommunen.',
        responsible: name,
        followUpDate: '2027-01-01',
      })
    ).body.decision as SteeringDecision;
    const published = await adviser.post(`/steering/decisions/${draft.id}/publish`, { seen: draft, publishedBy: name });
    if (published.status !== 200) throw new Error(published.text);
    return { unit, tablet, records };
  }

  it('a pull by another unit never contains a name, for any name in any field that can hold one', async () => {
    const reader = await s.enroll((await s.unit('Leser')).id);
    let cursor = (await reader.pullAll()).cursor;
    await fc.assert(
      fc.asyncProperty(personName, async (name) => {
        const { tablet, records } = await unitNaming(name);
        // The control: the unit's own tablets do hold the name.
        expect(JSON.stringify((await tablet.pullAll()).changes)).toContain(name);

        const pulled = await reader.pullAll(cursor);
        cursor = pulled.cursor;
        const text = JSON.stringify(pulled.changes);
        expect(text).not.toContain(name);
        expect(text.toLowerCase()).not.toContain(name.toLowerCase());
        // What is shared did arrive (so the check means something), and nothing else of the unit.
        const fromUnit = pulled.changes.filter((c) => c.unitId === tablet.unitId);
        expect(new Set(fromUnit.map((c) => c.table))).toEqual(
          new Set(['units', 'ideas', 'unitDecisions', 'steeringDecisions', 'learnings', 'benefits', 'benefitResults', 'ladderSteps']),
        );
        expect(fromUnit.find((c) => c.table === 'ideas')!.data).toMatchObject({
          id: records.ideas.id,
          status: 'adopted',
          bearerName: null,
        });
        expect(fromUnit.find((c) => c.table === 'unitDecisions')!.data.participants).toEqual([
          { role: 'leader', name: null },
          { role: 'employeeRep', name: null },
        ]);
      }),
      { numRuns: 6 },
    );
  });

  it("the console's library: what every unit tried, searchable, with who took it up, without a name", async () => {
    const name = 'Qzkari Nordmann';
    const { unit, records } = await unitNaming(name);
    const taker = await s.enroll((await s.unit('Hjemmetjenesten')).id);
    await taker.pullAll();
    // Taking up another unit's change: it must be one the unit can see (decided).
    const takeUp = taker.createIdea('Løftearm her også', { sourceIdeaId: records.ideas.id });
    expect((await taker.push([takeUp.m])).body.results[0]!.status).toBe('applied');
    const undecided = taker.createIdea('Noe annet');
    await taker.push([undecided.m]);
    const other = await s.enroll(unit.id);
    const sneaky = other.createIdea('Kopi', { sourceIdeaId: undecided.id });
    expect((await other.push([sneaky.m])).body.results[0]).toMatchObject({ status: 'rejected', reason: 'forbidden' });

    const page = (await adviser.get(`/library?q=${encodeURIComponent('løftearm')}&kind=technology`)).body as unknown as LibraryPage;
    const entry = page.entries.find((e) => e.ideaId === records.ideas.id)!;
    expect(entry).toMatchObject({
      unitName: unit.name,
      text: 'Bilen har ikke løftearm',
      answer: { level: 'steeringGroup', outcome: 'adopt', rationale: 'Innføres i hele kommunen.' },
      // Where the change stands on the ladder, with no name in it (other units' tablets pull it too).
      step: 'awareness',
      learnings: [{ happened: 'Prøvd en uke' }],
      takenUpBy: [{ ideaId: takeUp.id, unitName: 'Hjemmetjenesten', status: 'new' }],
    });
    expect(JSON.stringify(page)).not.toContain('Qzkari');
    expect(((await adviser.get('/library?q=finnesikke')).body as unknown as LibraryPage).entries).toEqual([]);
    expect(
      ((await adviser.get('/library?kind=social')).body as unknown as LibraryPage).entries.some((e) => e.ideaId === records.ideas.id),
    ).toBe(false);
    const leader = await consoleAccount(s, 'unitLeader', 'leder@k.no', unit.id);
    expect((await leader.get('/library')).status).toBe(200);
  });
});
