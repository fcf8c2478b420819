/**
 * After the decision (issue #12), through the real protocol on SQLite and on
 * a real PostgreSQL: a change's records (benefits, results, ladder steps,
 * follow-ups, the learning log) keep to their unit and idea, are written once,
 * a closing follow-up gives the idea its derived status (and frees its slot
 * in the console's count of active changes), and other units read the
 * learning log without names, benefits and results, never how a unit steers.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { newId, type StoredRecord } from '../../src/domain';
import { consoleAccount } from './consoleClient';
import { serverBackends, TestServer, type Tablet, type TestDb } from './helpers';

const iso = (ms: number) => new Date(ms).toISOString();

describe.each(serverBackends())('after the decision on %s', (_kind, backend) => {
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

  const stored = (table: StoredRecord['table'], id: string) => server.storage.read((tx) => tx.getRecord(table, id));

  /** An idea with a published decision to adopt (or pilot), pushed by `t`. */
  async function adopted(t: Tablet, outcome: 'adopt' | 'pilot' | 'decline' = 'adopt') {
    const idea = t.createIdea('Bil med løftearm', { bearerName: 'Ola Idéhaver' });
    const decisionId = newId(t.server.time);
    const change = outcome !== 'decline';
    const decision = t.mutation('unitDecisions', 'create', decisionId, {
      createdAt: iso(t.server.time),
      ideaId: idea.id,
      outcome,
      rationale: 'Tydelig behov',
      responsible: change ? 'Ola Driftsleder' : null,
      followUpDate: change ? '2026-12-15' : null,
      participants: [{ role: 'leader', name: 'Kari' }],
      state: 'published',
      publishedAt: iso(t.server.time),
      publishedBy: 'Kari Enhetsleder',
    });
    const res = await t.push([idea.m, decision]);
    expect(res.body.results.map((r) => r.status)).toEqual(['applied', 'applied']);
    return { ideaId: idea.id, decisionId };
  }

  const create = (t: Tablet, table: StoredRecord['table'], fields: Record<string, unknown>) => {
    const id = newId(t.server.time);
    return { id, m: t.mutation(table, 'create', id, { createdAt: iso(t.server.time), ...fields }) };
  };
  const benefit = (t: Tablet, ideaId: string) =>
    create(t, 'benefits', {
      ideaId,
      forWhom: ['staff'],
      kind: 'workEnvironment',
      description: 'Færre tunge løft alene',
      evidence: 'measure',
      indicator: 'Løft alene per uke',
      baseline: 12,
      target: 2,
    });

  it('a change from adoption to new practice: the records land, the status is derived, the slot is free', async () => {
    const s = await start();
    const unit = await s.unit('Renovasjon');
    const t = await s.enroll(unit.id);
    const { ideaId, decisionId } = await adopted(t);
    const b = benefit(t, ideaId);
    const entry = create(t, 'learnings', { ideaId, happened: 'Første uke', author: 'Per Sjåfør' });
    const step = create(t, 'ladderSteps', { ideaId, step: 'ownership', setBy: 'Kari' });
    const keepGoing = create(t, 'followUps', { ideaId, decisionId, outcome: 'continue', nextDate: '2027-01-15', by: 'Kari' });
    const pushed = await t.push([b.m, entry.m, step.m, keepGoing.m]);
    expect(pushed.body.results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied', 'applied']);
    expect((await stored('ideas', ideaId))?.data.status).toBe('adopted');

    const admin = await consoleAccount(s, 'administrator', 'admin@k.no');
    const active = async () =>
      ((await admin.get('/overview?from=2026-11&to=2026-11')).body as { total: { activeChanges: number } }).total.activeChanges;
    expect(await active()).toBe(1);
    const report = (await admin.get('/report?from=2026-11&to=2026-11')).body as {
      changes: Array<{ ideaId: string; step: string; followUpDate: string }>;
    };
    expect(report.changes).toEqual([expect.objectContaining({ ideaId, step: 'ownership', followUpDate: '2027-01-15' })]);

    const close = create(t, 'followUps', { ideaId, decisionId, outcome: 'practice', by: 'Kari' });
    const result = create(t, 'benefitResults', { ideaId, benefitId: b.id, followUpId: close.id, realised: 'yes', measured: 1 });
    expect((await t.push([close.m, result.m])).body.results.map((r) => r.status)).toEqual(['applied', 'applied']);
    const idea = await stored('ideas', ideaId);
    expect(idea?.data.status).toBe('practice');
    expect(idea?.clocks.status).toBeUndefined();
    expect(await active()).toBe(0);
    const funnel = ((await admin.get('/overview?from=2026-11&to=2026-11')).body as { total: { funnel: Record<string, number> } }).total
      .funnel;
    expect(funnel).toMatchObject({ adoptedOrPilot: 1, newPractice: 1 });
    // The tablet hears the derived status in its next pull.
    expect((await t.pullAll()).changes.find((c) => c.id === ideaId)?.data.status).toBe('practice');
  });

  it('references stay inside the unit and the idea: another unit, another idea, a decision that starts no change', async () => {
    const s = await start();
    const home = await s.enroll((await s.unit('Renovasjon')).id);
    const away = await s.enroll((await s.unit('Hjemmetjenesten')).id);
    const mine = await adopted(home);
    const theirs = await adopted(away);
    const declined = await adopted(home, 'decline');
    const theirBenefit = benefit(away, theirs.ideaId);
    await away.push([theirBenefit.m]);
    const myBenefit = benefit(home, mine.ideaId);
    await home.push([myBenefit.m]);

    const attempts = [
      create(home, 'learnings', { ideaId: theirs.ideaId, learned: 'Vi lærte' }), // another unit's idea
      create(home, 'followUps', { ideaId: mine.ideaId, decisionId: theirs.decisionId, outcome: 'practice' }), // another unit's decision
      create(home, 'benefitResults', { ideaId: mine.ideaId, benefitId: theirBenefit.id, realised: 'yes', measured: 2 }), // another unit's benefit
      create(home, 'followUps', { ideaId: declined.ideaId, decisionId: declined.decisionId, outcome: 'practice' }), // a decline starts no change
      create(home, 'followUps', { ideaId: declined.ideaId, decisionId: mine.decisionId, outcome: 'practice' }), // a decision on another idea
      create(home, 'benefitResults', { ideaId: declined.ideaId, benefitId: myBenefit.id, realised: 'yes', measured: 2 }), // a benefit of another idea
      create(home, 'ladderSteps', { ideaId: newId(), step: 'awareness' }), // no such idea
    ];
    const res = await home.push(attempts.map((a) => a.m));
    expect(res.body.results.map((r) => r.reason)).toEqual([
      'forbidden',
      'forbidden',
      'forbidden',
      'invalid',
      'invalid',
      'invalid',
      'unknownRecord',
    ]);
    for (const a of attempts) expect(await stored(a.m.table, a.id)).toBeUndefined();
    expect((await stored('ideas', declined.ideaId))?.data.status).toBe('declined');
  });

  it('written once: a rewrite is refused; only a log entry or a benefit may be removed', async () => {
    const s = await start();
    const t = await s.enroll((await s.unit()).id);
    const { ideaId, decisionId } = await adopted(t);
    const entry = create(t, 'learnings', { ideaId, learned: 'Vi lærte' });
    const b = benefit(t, ideaId);
    const step = create(t, 'ladderSteps', { ideaId, step: 'awareness' });
    const followUp = create(t, 'followUps', { ideaId, decisionId, outcome: 'continue', nextDate: '2027-01-15' });
    await t.push([entry.m, b.m, step.m, followUp.m]);
    const res = await t.push([
      t.mutation('learnings', 'patch', entry.id, { learned: 'Noe annet' }),
      t.mutation('benefits', 'patch', b.id, { target: 0 }),
      t.mutation('followUps', 'create', followUp.id, { ...followUp.m.fields, nextDate: '2030-01-01' }),
      t.mutation('ladderSteps', 'delete', step.id, {}),
      t.mutation('followUps', 'delete', followUp.id, {}),
      t.mutation('learnings', 'delete', entry.id, {}),
      t.mutation('benefits', 'delete', b.id, {}),
    ]);
    expect(res.body.results.map((r) => r.reason ?? r.status)).toEqual([
      'appendOnly',
      'appendOnly',
      'appendOnly',
      'notDeletable',
      'notDeletable',
      'applied',
      'applied',
    ]);
    expect((await stored('followUps', followUp.id))?.data.nextDate).toBe('2027-01-15');
  });

  it('other units read the learning log, benefits, results and ladder steps without names; not follow-ups', async () => {
    const s = await start();
    const home = await s.enroll((await s.unit('Renovasjon')).id);
    const neighbour = await s.enroll((await s.unit('Hjemmetjenesten')).id);
    const { ideaId, decisionId } = await adopted(home);
    const b = benefit(home, ideaId);
    const entry = create(home, 'learnings', { ideaId, learned: 'Løftearmen trenger opplæring', author: 'Per Sjåfør' });
    const step = create(home, 'ladderSteps', { ideaId, step: 'ownership', setBy: 'Kari Enhetsleder' });
    const close = create(home, 'followUps', { ideaId, decisionId, outcome: 'practice', by: 'Kari Enhetsleder' });
    const result = create(home, 'benefitResults', { ideaId, benefitId: b.id, followUpId: close.id, realised: 'yes', measured: 1 });
    await home.push([b.m, entry.m, step.m, close.m, result.m]);

    const seen = (await neighbour.pullAll()).changes.filter((c) => c.unitId === home.unitId);
    const byId = new Map(seen.map((c) => [c.id, c]));
    expect(byId.get(ideaId)?.data).toMatchObject({ status: 'practice', bearerName: null });
    expect(byId.get(entry.id)?.data).toMatchObject({ learned: 'Løftearmen trenger opplæring', author: null });
    expect(byId.get(b.id)?.data.description).toBe('Færre tunge løft alene');
    expect(byId.get(result.id)?.data.realised).toBe('yes');
    expect(byId.get(step.id)?.data).toMatchObject({ step: 'ownership', setBy: null });
    expect(byId.has(close.id)).toBe(false);
    expect(JSON.stringify(seen.filter((c) => c.table !== 'unitDecisions'))).not.toMatch(/Per Sjåfør|Kari Enhetsleder|Ola Idéhaver/);
    // The unit itself reads every name.
    const own = new Map((await home.pullAll()).changes.map((c) => [c.id, c]));
    expect(own.get(entry.id)?.data.author).toBe('Per Sjåfør');
    expect(own.get(step.id)?.data.setBy).toBe('Kari Enhetsleder');
  });
});
