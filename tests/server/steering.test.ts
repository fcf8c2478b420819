/**
 * The steering group answers forwarded ideas (issue #14 part 1), on both
 * databases, through the real app in-process: the inbox, meetings and their
 * agenda, drafting, publishing on the content seen, superseding, and the
 * answer reaching the unit's tablets by the ordinary pull (drafts never do),
 * with the idea's derived status and answer clock following it.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { newId, type SteeringDecision } from '../../src/domain';
import type { Inbox, Meeting } from '../../src/domain/console/steering';
import { consoleAccount, PASSWORD, type ConsoleClient } from './consoleClient';
import { serverBackends, TestServer, type Tablet, type TestDb } from './helpers';
import { pushNamedRecords } from './namedRecords';

const DAY = 86_400_000;

describe.each(serverBackends())('the steering group on %s', (_kind, backend) => {
  let db: TestDb;
  beforeAll(() => backend.setup(), 60_000);
  afterAll(() => backend.teardown());
  afterEach(async () => db?.close());

  async function setUp() {
    db = await backend.fresh();
    const s = new TestServer(db.storage);
    const unit = await s.unit('Renovasjon');
    const tablet = await s.enroll(unit.id);
    const records = await pushNamedRecords(tablet, 'Kari Nordmann');
    const adviser = await consoleAccount(s, 'adviser', 'veileder@k.no');
    return { s, unit, tablet, records, adviser };
  }

  const pulled = async (tablet: Tablet, table: string) => (await tablet.pullAll()).changes.filter((c) => c.table === table);
  const statusOf = async (tablet: Tablet, ideaId: string) => (await pulled(tablet, 'ideas')).find((c) => c.id === ideaId)!.data.status;

  it('a forwarded idea waits in the inbox with the unit case; a published answer reaches the tablet, a draft never does', async () => {
    const { s, tablet, records, adviser } = await setUp();
    await later(s, adviser, 40 * DAY);
    expect(await statusOf(tablet, records.ideas.id)).toBe('forwarded');

    const inbox = (await adviser.get('/steering/inbox')).body as unknown as Inbox;
    expect(inbox.ideas).toHaveLength(1);
    expect(inbox.ideas[0]).toMatchObject({
      ideaId: records.ideas.id,
      unitName: 'Renovasjon',
      text: 'Bilen har ikke løftearm',
      rationale: 'Trenger penger fra kommunen.',
      forwardDecisionId: records.unitDecisions.id,
      waitedDays: 40,
      daysLeft: -10, // the unit's answer clock kept running while forwarded
      summary: { evaluations: 1, recommendations: [{ outcome: 'forward', count: 1 }], kind: 'technology' },
    });
    expect(inbox.ideas[0]!.summary.criteria).toEqual([{ key: 'need', label: null, mean: 4, agreement: 'single' }]);

    const created = await adviser.post('/steering/meetings', {
      title: 'Styringsgruppa mars',
      meetsOn: '2026-12-10',
      members: ['employer', 'employeeRep', 'safetyRep'],
    });
    expect(created.status).toBe(201);
    const meetingId = (created.body as unknown as Meeting).id;
    const withAgenda = (await adviser.post(`/steering/meetings/${meetingId}/agenda`, { ideaId: records.ideas.id }))
      .body as unknown as Meeting;
    expect(withAgenda.agenda.map((a) => a.ideaId)).toEqual([records.ideas.id]);

    const draftReply = await adviser.post('/steering/decisions', {
      ideaId: records.ideas.id,
      meetingId,
      outcome: 'adopt',
      rationale: 'Løftearm på alle biler i kommunen.',
      responsible: 'Teknisk sjef',
      followUpDate: '2027-03-01',
    });
    expect(draftReply.status).toBe(201);
    const draft = draftReply.body.decision as SteeringDecision;
    expect(draft).toMatchObject({
      state: 'draft',
      answersDecisionId: records.unitDecisions.id,
      supersedesId: null,
      participants: [
        { role: 'employer', name: null },
        { role: 'employeeRep', name: null },
        { role: 'safetyRep', name: null },
      ],
    });
    // A draft is the steering group's own: not on the tablet, and the idea still waits.
    expect(await pulled(tablet, 'steeringDecisions')).toEqual([]);
    expect(await statusOf(tablet, records.ideas.id)).toBe('forwarded');
    expect(
      (await adviser.post('/steering/decisions', { ideaId: records.ideas.id, meetingId, outcome: 'decline', rationale: 'x' })).status,
    ).toBe(409);

    // Someone edits the draft after it was read: publishing what was seen is refused, nothing is published.
    const edited = await adviser.patch(`/steering/decisions/${draft.id}`, { ...pick(draft), rationale: 'Løftearm på alle biler.' });
    expect(edited.status).toBe(200);
    const stale = await adviser.post(`/steering/decisions/${draft.id}/publish`, { seen: draft, publishedBy: 'Leder av styringsgruppa' });
    expect(stale.status).toBe(409);
    expect(await statusOf(tablet, records.ideas.id)).toBe('forwarded');

    const seen = edited.body.decision as SteeringDecision;
    const published = await adviser.post(`/steering/decisions/${draft.id}/publish`, { seen, publishedBy: 'Leder av styringsgruppa' });
    expect(published.status).toBe(200);
    expect(published.body.decision).toMatchObject({
      state: 'published',
      publishedBy: 'Leder av styringsgruppa',
      publishedAt: new Date(s.time).toISOString(),
    });

    const onTablet = await pulled(tablet, 'steeringDecisions');
    expect(onTablet).toHaveLength(1);
    expect(onTablet[0]!.data).toMatchObject({ id: draft.id, state: 'published', rationale: 'Løftearm på alle biler.', outcome: 'adopt' });
    expect(await statusOf(tablet, records.ideas.id)).toBe('adopted');
    expect(((await adviser.get('/steering/inbox')).body as unknown as Inbox).ideas).toEqual([]);

    // Published is final, from the console too.
    expect((await adviser.patch(`/steering/decisions/${draft.id}`, { ...pick(seen), rationale: 'Nei.' })).status).toBe(409);
    expect((await adviser.post(`/steering/decisions/${draft.id}/delete`)).status).toBe(409);

    // A later answer supersedes it, with history.
    const second = (
      await adviser.post('/steering/decisions', {
        ideaId: records.ideas.id,
        meetingId,
        outcome: 'pilot',
        rationale: 'Først et forsøk.',
        responsible: 'Teknisk sjef',
        followUpDate: '2027-05-01',
      })
    ).body.decision as SteeringDecision;
    expect(second.supersedesId).toBe(draft.id);
    await later(s, adviser, DAY);
    expect((await adviser.post(`/steering/decisions/${second.id}/publish`, { seen: second, publishedBy: 'Leder' })).status).toBe(200);
    expect(await statusOf(tablet, records.ideas.id)).toBe('pilot');
    const minutes = (await adviser.get(`/steering/meetings/${meetingId}`)).body as unknown as Meeting;
    expect(minutes.agenda[0]!.decisions.map((d) => [d.id, d.state])).toEqual([
      [second.id, 'published'],
      [draft.id, 'published'],
    ]);
  });

  it('sending back returns the idea to the unit, whose next decision is in force; tablets cannot write answers', async () => {
    const { s, tablet, records, adviser } = await setUp();
    const meetingId = (
      (await adviser.post('/steering/meetings', { title: 'Møte', meetsOn: '2026-12-01', members: ['employer'] })).body as unknown as Meeting
    ).id;
    const back = (
      await adviser.post('/steering/decisions', {
        ideaId: records.ideas.id,
        meetingId,
        outcome: 'sendBack',
        rationale: 'Kan løses lokalt.',
      })
    ).body.decision as SteeringDecision;
    expect((await adviser.post(`/steering/decisions/${back.id}/publish`, { seen: back, publishedBy: 'Leder' })).status).toBe(200);
    expect(await statusOf(tablet, records.ideas.id)).toBe('sentBack');

    // The unit decides anew, superseding its forward: the steering group's answer no longer decides.
    await later(s, adviser, DAY);
    const local = newId(s.time);
    const fields = {
      ...records.unitDecisions,
      id: local,
      outcome: 'pilot',
      responsible: 'Ola',
      followUpDate: '2027-02-01',
      publishedAt: new Date(s.time).toISOString(),
      supersedesId: records.unitDecisions.id,
    };
    expect((await tablet.push([tablet.mutation('unitDecisions', 'create', local, fields)])).body.results[0]!.status).toBe('applied');
    expect(await statusOf(tablet, records.ideas.id)).toBe('pilot');
    expect((await adviser.post(`/steering/meetings/${meetingId}/agenda`, { ideaId: records.ideas.id })).status).toBe(409);

    // A tablet cannot write (or forge) the steering group's answer.
    const forged = await tablet.push([
      tablet.mutation('steeringDecisions', 'create', newId(s.time), { ...back, id: undefined, state: 'published', outcome: 'adopt' }),
    ]);
    expect(forged.body.results[0]).toMatchObject({ status: 'rejected', reason: 'forbidden' });
  });

  it('only the steering group and administrators answer', async () => {
    const { s, unit, records } = await setUp();
    const leader = await consoleAccount(s, 'unitLeader', 'leder@k.no', unit.id);
    expect((await leader.get('/steering/inbox')).status).toBe(403);
    expect((await leader.post('/steering/meetings', { title: 'x', meetsOn: '2026-12-01', members: ['employer'] })).status).toBe(403);
    expect(
      (await leader.post('/steering/decisions', { ideaId: records.ideas.id, meetingId: newId(), outcome: 'adopt', rationale: 'x' })).status,
    ).toBe(403);
    const admin = await consoleAccount(s, 'administrator', 'admin@k.no');
    expect((await admin.get('/steering/inbox')).status).toBe(200);
  });
});

/** Time passes (the console session ends meanwhile: sign in again). */
async function later(s: TestServer, client: ConsoleClient, ms: number) {
  s.time += ms;
  await client.signIn('veileder@k.no', PASSWORD);
}

/** The editable content of a decision (what the console's form sends). */
function pick(d: SteeringDecision) {
  return {
    outcome: d.outcome,
    rationale: d.rationale,
    responsible: d.responsible,
    followUpDate: d.followUpDate,
    parkUntil: d.parkUntil,
    mergeIntoIdeaId: d.mergeIntoIdeaId,
  };
}
