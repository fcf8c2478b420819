/**
 * The overview's and the report's figures equal what the database holds: a
 * municipality is seeded on each database, and every figure is computed here
 * again, straight from the seeded records with plain loops (months via
 * toLocaleDateString, medians by sorting), then compared with the API's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AWAITING_ANSWER } from '../../src/domain';
import type { Overview, Report } from '../../src/domain/console/api';
import { consoleAccount, type ConsoleClient } from './consoleClient';
import { serverBackends, T0, TestServer, type TestDb } from './helpers';
import { seedMunicipality, type Seeded } from './seedMunicipality';

const DAY = 86_400_000;
const NOW = T0; // 2026-11-23
const FROM = Date.UTC(2025, 9, 1);
const PERIOD = { from: '2026-01', to: '2026-10' };
const osloMonth = (ms: number) => new Date(ms).toLocaleDateString('sv-SE', { timeZone: 'Europe/Oslo' }).slice(0, 7);
const inPeriod = (ms: number) => osloMonth(ms) >= PERIOD.from && osloMonth(ms) <= PERIOD.to;
const t = (iso: string | null | undefined) => (iso ? Date.parse(iso) : NaN);

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** The figures of the given units, computed from scratch. */
function expected(seed: Seeded, unitIds: Set<string>) {
  const units = seed.units.filter((u) => unitIds.has(u.id));
  const target = new Map(units.map((u) => [u.id, u.responseTargetDays]));
  const ideas = seed.ideas.filter((i) => unitIds.has(i.unitId));
  const periodIdeas = ideas.filter((i) => inPeriod(t(i.createdAt)));
  const published = seed.decisions.filter((d) => unitIds.has(d.unitId) && d.state === 'published');
  const evaluationsOf = (id: string) => seed.evaluations.filter((e) => e.ideaId === id);
  const decided = ['adopted', 'pilot', 'practice', 'stopped', 'parked', 'forwarded', 'declined', 'merged', 'sentBack'];
  const active = (s: string) => s === 'adopted' || s === 'pilot';
  const changed = (s: string) => active(s) || s === 'practice' || s === 'stopped';
  const answerDays: number[] = [];
  let within = 0;
  for (const idea of ideas) {
    // A forward to the steering group is no answer yet: the answer clock keeps running (issue #14).
    const times = published.filter((d) => d.ideaId === idea.id && d.outcome !== 'forward').map((d) => t(d.publishedAt));
    if (times.length === 0) continue;
    const first = Math.min(...times);
    if (!inPeriod(first)) continue;
    const days = Math.max(0, Math.ceil((first - t(idea.createdAt)) / DAY));
    answerDays.push(days);
    if (days <= target.get(idea.unitId)!) within++;
  }
  const kinds: Record<string, number> = { technology: 0, behaviour: 0, organisation: 0, social: 0, unclassified: 0 };
  for (const idea of periodIdeas) {
    const latest = evaluationsOf(idea.id)
      .filter((e) => e.kind !== null)
      .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.id < b.id ? 1 : -1))[0];
    kinds[latest?.kind ?? idea.kind ?? 'unclassified']!++;
  }
  const outcomes: Record<string, number> = { adopt: 0, pilot: 0, park: 0, forward: 0, decline: 0, merge: 0 };
  for (const d of published) if (inPeriod(t(d.publishedAt))) outcomes[d.outcome]!++;
  const overdue = ideas
    .filter((i) => AWAITING_ANSWER.includes(i.status) && t(i.createdAt) + target.get(i.unitId)! * DAY < NOW)
    .map((i) => ({ ...i, deadline: t(i.createdAt) + target.get(i.unitId)! * DAY }))
    .sort((a, b) => a.deadline - b.deadline || (a.id < b.id ? -1 : 1));
  const sessions = seed.sessions.filter((s) => unitIds.has(s.unitId) && inPeriod(t(s.startedAt)));
  const months: string[] = [];
  for (let m = 1; m <= 10; m++) months.push(`2026-${String(m).padStart(2, '0')}`);
  return {
    ideas: periodIdeas.length,
    ideasByMonth: months.map((m) => periodIdeas.filter((i) => osloMonth(t(i.createdAt)) === m).length),
    sessions: sessions.length,
    sessionPeople: sessions.reduce((n, s) => n + (s.participantCount ?? s.participantNames.length), 0),
    funnel: {
      new: periodIdeas.length,
      evaluated: periodIdeas.filter((i) => i.status !== 'new' || evaluationsOf(i.id).length > 0).length,
      decided: periodIdeas.filter((i) => decided.includes(i.status)).length,
      adoptedOrPilot: periodIdeas.filter((i) => changed(i.status)).length,
      newPractice: periodIdeas.filter((i) => i.status === 'practice').length,
    },
    answered: answerDays.length,
    medianAnswerDays: median(answerDays),
    answeredWithinPromise: within,
    withinPromiseShare: answerDays.length ? within / answerDays.length : null,
    overdueNow: overdue.length,
    activeChanges: ideas.filter((i) => active(i.status)).length,
    outcomes,
    kinds,
    overdueIds: overdue.map((i) => i.id),
  };
}

describe.each(serverBackends())('overview figures on %s', (_kind, backend) => {
  let db: TestDb;
  let s: TestServer;
  let seed: Seeded;
  let admin: ConsoleClient;
  beforeAll(async () => {
    await backend.setup();
    db = await backend.fresh();
    s = new TestServer(db.storage);
    s.time = NOW;
    seed = await seedMunicipality(db.storage, { units: 6, ideas: 600, from: FROM, to: NOW - DAY, now: NOW, seed: 13 });
    admin = await consoleAccount(s, 'administrator', 'admin@k.no');
  }, 120_000);
  afterAll(async () => {
    await db?.close();
    await backend.teardown();
  });

  it('seeds a municipality with every kind of record (so the comparison means something)', () => {
    expect(seed.ideas.length).toBe(600);
    const statuses = new Set(seed.ideas.map((i) => i.status));
    expect(statuses.size).toBe(10);
    expect(seed.decisions.some((d) => d.state === 'draft')).toBe(true);
    expect(seed.decisions.some((d) => d.supersedesId)).toBe(true);
    expect(seed.followUps.some((f) => f.outcome === 'continue')).toBe(true);
    expect(seed.ladderSteps.some((l) => l.step === 'practice')).toBe(true);
    expect(seed.benefitResults.length).toBeGreaterThan(0);
  });

  it('every figure, per unit and for the whole municipality, equals a count of the records', async () => {
    const res = await admin.get(`/overview?from=${PERIOD.from}&to=${PERIOD.to}`);
    expect(res.status).toBe(200);
    const overview = res.body as unknown as Overview;
    expect(overview.months).toHaveLength(10);
    const all = new Set(seed.units.map((u) => u.id));
    const { overdueIds, ...total } = expected(seed, all);
    expect(overview.total).toEqual(total);
    expect(total.answered).toBeGreaterThan(50);
    expect(total.overdueNow).toBeGreaterThan(0);
    for (const unit of overview.units) {
      const { overdueIds: _ids, ...figures } = expected(seed, new Set([unit.id]));
      expect(unit.figures, unit.name).toEqual(figures);
      const limit = seed.units.find((u) => u.id === unit.id)!.activeChangeLimit;
      expect(unit.overloaded).toBe(figures.activeChanges > limit);
    }
    expect(overview.overloadedUnits).toBe(overview.units.filter((u) => u.overloaded).length);
    expect(overview.overdue.map((o) => o.ideaId)).toEqual(overdueIds.slice(0, 200));
    const oldest = seed.ideas.find((i) => i.id === overdueIds[0])!;
    const target = seed.units.find((u) => u.id === oldest.unitId)!.responseTargetDays;
    expect(overview.overdue[0]).toMatchObject({
      text: oldest.impossibleNow,
      daysOverdue: Math.floor((NOW - t(oldest.createdAt) - target * DAY) / DAY),
    });
  });

  it('a chosen set of units, and a unit leader, count only those units', async () => {
    const two = seed.units.slice(1, 3).map((u) => u.id);
    const res = await admin.get(`/overview?from=${PERIOD.from}&to=${PERIOD.to}&unit=${two[0]}&unit=${two[1]}`);
    const overview = res.body as unknown as Overview;
    expect(overview.units.map((u) => u.id).sort()).toEqual([...two].sort());
    const { overdueIds: _a, ...total } = expected(seed, new Set(two));
    expect(overview.total).toEqual(total);

    const leader = await consoleAccount(s, 'unitLeader', 'leder@k.no', seed.units[4]!.id);
    const own = (await leader.get(`/overview?from=${PERIOD.from}&to=${PERIOD.to}`)).body as unknown as Overview;
    const { overdueIds: _b, ...mine } = expected(seed, new Set([seed.units[4]!.id]));
    expect(own.total).toEqual(mine);
    expect(own.overdue.every((o) => o.unitId === seed.units[4]!.id)).toBe(true);
  });

  it('the report lists forwarded ideas, decisions of the period and changes with their ladder step', async () => {
    const report = (await admin.get(`/report?from=${PERIOD.from}&to=${PERIOD.to}`)).body as unknown as Report;
    const forwarded = seed.ideas.filter((i) => i.status === 'forwarded');
    expect(report.forwarded.map((f) => f.ideaId).sort()).toEqual(forwarded.map((i) => i.id).sort());
    expect(report.forwarded.every((f) => f.outcome === 'forward')).toBe(true);
    const decisions = seed.decisions.filter((d) => d.state === 'published' && inPeriod(t(d.publishedAt)));
    expect(report.decisions.map((d) => d.decisionId).sort()).toEqual(decisions.map((d) => d.id).sort());
    const changes = seed.ideas.filter((i) => i.status === 'adopted' || i.status === 'pilot');
    expect(report.changes.map((c) => c.ideaId).sort()).toEqual(changes.map((i) => i.id).sort());
    for (const c of report.changes) {
      const steps = seed.ladderSteps.filter((l) => l.ideaId === c.ideaId).sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));
      expect(c.step, c.ideaId).toBe(steps[0]?.step ?? null);
      // The next follow-up: the latest follow-up's date, else the decision's.
      const followUp = seed.followUps.filter((f) => f.ideaId === c.ideaId).sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1))[0];
      const decision = seed.decisions.find(
        (d) => d.ideaId === c.ideaId && d.state === 'published' && !seed.decisions.some((n) => n.supersedesId === d.id),
      );
      expect(c.followUpDate, c.ideaId).toBe(followUp?.nextDate ?? decision!.followUpDate);
    }
    expect(report.changes.some((c) => seed.followUps.some((f) => f.ideaId === c.ideaId))).toBe(true);
    expect(report.overview.total.ideas).toBe(expected(seed, new Set(seed.units.map((u) => u.id))).ideas);
  });

  it('a tablet edit updates the figures at once (facts are written with the record)', async () => {
    const idea = seed.ideas.find((i) => i.status === 'new' && inPeriod(t(i.createdAt)))!;
    const before = ((await admin.get(`/overview?from=${PERIOD.from}&to=${PERIOD.to}`)).body as unknown as Overview).total;
    const record = (await db.storage.read((tx) => tx.getRecord('ideas', idea.id)))!;
    await db.storage.write((tx) => tx.writeRecords([{ ...record, deleted: true }]));
    const after = ((await admin.get(`/overview?from=${PERIOD.from}&to=${PERIOD.to}`)).body as unknown as Overview).total;
    expect(after.ideas).toBe(before.ideas - 1);
    expect(after.funnel.new).toBe(before.funnel.new - 1);
  });

  it("a unit's new promise moves what is overdue now and what counts as answered within it", async () => {
    const unit = seed.units[0]!;
    const record = (await db.storage.read((tx) => tx.getRecord('units', unit.id)))!;
    await db.storage.write((tx) => tx.writeRecords([{ ...record, data: { ...record.data, responseTargetDays: 365 } }]));
    const changed = seed.units.map((u) => (u.id === unit.id ? { ...u, responseTargetDays: 365 } : u));
    const ideas = await db.storage.read((tx) => tx.listRecords('ideas'));
    const live = new Set(ideas.filter((r) => !r.deleted).map((r) => r.id));
    const { overdueIds: _ids, ...expectedFigures } = expected(
      { ...seed, units: changed, ideas: seed.ideas.filter((i) => live.has(i.id)) },
      new Set([unit.id]),
    );
    const overview = (await admin.get(`/overview?from=${PERIOD.from}&to=${PERIOD.to}&unit=${unit.id}`)).body as unknown as Overview;
    expect(overview.units[0]!.figures.overdueNow).toBe(expectedFigures.overdueNow);
    expect(overview.units[0]!.figures.answeredWithinPromise).toBe(expectedFigures.answered);
    expect(overview.units[0]!.figures).toEqual(expectedFigures);
  });
});
