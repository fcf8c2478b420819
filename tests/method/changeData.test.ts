/** The data path of a change (issue #12): benefits, the learning log, the ladder, follow-ups, what is due, receipt codes. */
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkLoad, newId, receiptCode, type Idea, type Unit } from '../../src/domain';
import { addBenefit, changeDetail, recordFollowUp, removeBenefit, setLadderStep, unitChanges, writeLearning } from '../../src/data/changes';
import type { BlobRow } from '../../src/data/db';
import { NedenfraDb } from '../../src/data/db';
import { newIdeaId, saveIdea } from '../../src/data/ideas';
import { createLocalUnit } from '../../src/data/local';
import { addSessionIdea, awaitingAnswer, publishDecision, saveDecisionDraft, startSession, unitIdeas } from '../../src/data/method';
import { createRecord } from '../../src/data/repository';

let db: NedenfraDb;
let unit: Unit;

beforeEach(async () => {
  db = new NedenfraDb(`change-${newId()}`);
  await db.open();
  unit = await createLocalUnit(db, { municipality: 'Steinkjer', name: 'Renovasjon' });
});
afterEach(async () => {
  await db.delete();
});

const day = (d: string, time = '10:00:00') => new Date(`${d}T${time}`);
const participants = [{ role: 'leader' as const, name: 'Kari' }];

async function decided(
  outcome: 'adopt' | 'pilot' | 'park' = 'adopt',
  text = 'Bil med løftearm',
  publishedOn = '2026-03-01',
): Promise<Idea> {
  const idea = await createRecord(db, 'ideas', { unitId: unit.id, impossibleNow: text });
  const draft = await saveDecisionDraft(db, idea, {
    outcome,
    rationale: 'Tydelig behov',
    responsible: outcome === 'park' ? null : 'Ola',
    followUpDate: outcome === 'park' ? null : '2026-04-01',
    parkUntil: outcome === 'park' ? '2026-05-01' : null,
    mergeIntoIdeaId: null,
    participants,
  });
  await publishDecision(db, draft.id, 'Kari', day(publishedOn));
  return (await db.ideas.get(idea.id))!;
}

const fewerLifts = {
  forWhom: ['staff' as const],
  kind: 'workEnvironment' as const,
  description: 'Færre tunge løft alene',
  evidence: 'measure' as const,
  indicator: 'Løft alene per uke',
  baseline: 12,
  target: 2,
};
const calmerMornings = {
  forWhom: ['users' as const, 'relatives' as const],
  kind: 'quality' as const,
  description: 'Roligere morgener',
  evidence: 'observation' as const,
  indicator: 'Beboerne velger selv når de spiser',
  baseline: null,
  target: null,
};

describe('a change from decision to new practice', () => {
  it('benefits, log entries, ladder steps and a closing follow-up: every write queued for sync, the slot freed', async () => {
    const idea = await decided();
    expect(idea.status).toBe('adopted');
    const b1 = await addBenefit(db, idea, fewerLifts, day('2026-03-01', '11:00:00'));
    const b2 = await addBenefit(db, idea, calmerMornings, day('2026-03-01', '11:05:00'));
    const photo: BlobRow = {
      sha256: 'a'.repeat(64),
      blob: new Blob(['jpeg']),
      type: 'image/jpeg',
      width: 10,
      height: 10,
      size: 4,
      uploaded: 0,
      createdAt: 1,
    };
    await writeLearning(
      db,
      idea,
      { happened: 'Første uke med bilen', learned: null, adjusted: null, author: 'Per' },
      photo,
      day('2026-03-05'),
    );
    await writeLearning(
      db,
      idea,
      { happened: null, learned: 'Løftearmen trenger opplæring', adjusted: 'Kurs for alle', author: null },
      null,
      day('2026-03-12'),
    );
    await setLadderStep(db, idea.id, 'awareness', null, 'Kari', day('2026-03-05'));
    await setLadderStep(db, idea.id, 'ownership', 'De ber om bilen selv', 'Kari', day('2026-03-20'));

    const detail = (await changeDetail(db, idea.id))!;
    expect(detail.change).toMatchObject({ kind: 'adopt', state: 'open', nextFollowUp: '2026-04-01' });
    expect(detail.benefits.map((b) => b.id)).toEqual([b1.id, b2.id]);
    expect(detail.learnings.map((l) => l.author)).toEqual([null, 'Per']); // newest first
    expect(detail.ladder.map((s) => s.step)).toEqual(['awareness', 'ownership']);
    expect(await db.blobs.get(photo.sha256)).toMatchObject({ uploaded: 0 });
    expect(detail.learnings[1]!.photo).toBe(photo.sha256);

    // The follow-up date has passed: it is due.
    const before = await unitChanges(db, unit.id, day('2026-04-02'));
    expect(before.due.map((d) => [d.reason, d.idea.id, d.daysLeft])).toEqual([['followUp', idea.id, -1]]);
    expect(before.open.map((c) => [c.idea.id, c.step, c.realisation.counts.notRecorded])).toEqual([[idea.id, 'ownership', 2]]);

    await recordFollowUp(
      db,
      idea.id,
      {
        outcome: 'practice',
        nextDate: null,
        note: 'Bilen er i daglig bruk',
        by: 'Kari',
        step: 'practice',
        results: [
          { benefitId: b1.id, realised: 'yes', measured: 1, observed: null },
          { benefitId: b2.id, realised: 'partly', measured: null, observed: 'Roligere, men ikke hver dag' },
        ],
      },
      day('2026-04-02'),
    );
    expect((await db.ideas.get(idea.id))!.status).toBe('practice');
    const after = await unitChanges(db, unit.id, day('2026-04-02'));
    expect(after.due).toEqual([]);
    expect(after.open).toEqual([]);
    expect(after.closed.map((c) => [c.idea.id, c.change.state, c.step, c.realisation.counts])).toEqual([
      [idea.id, 'practice', 'practice', { yes: 1, partly: 1, notYet: 0, no: 0, notRecorded: 0 }],
    ]);
    // The slot is free: with a limit of one, the next adoption no longer warns.
    const next = await createRecord(db, 'ideas', { unitId: unit.id, impossibleNow: 'Neste idé' });
    expect(checkLoad({ activeChangeLimit: 1 }, await unitIdeas(db, unit.id), 'adopt', next.id).overloaded).toBe(false);

    // Everything went into the outbox, in the order written; the status never does (it is derived).
    const queued = (await db.outbox.orderBy('seq').toArray()).map((r) => r.table);
    expect(queued.filter((t) => t !== 'ideas' && t !== 'unitDecisions')).toEqual([
      'benefits',
      'benefits',
      'learnings',
      'learnings',
      'ladderSteps',
      'ladderSteps',
      'followUps',
      'benefitResults',
      'benefitResults',
      'ladderSteps',
    ]);
    for (const row of await db.outbox.toArray()) expect(row.fields).not.toHaveProperty('status');
    // A closed change takes no more follow-ups or ladder steps.
    await expect(setLadderStep(db, idea.id, 'acceptance', null, null)).rejects.toThrow(/changeClosed/);
  });

  it('a follow-up is saved whole or not at all', async () => {
    const idea = await decided();
    const other = await decided('adopt', 'Noe annet');
    const theirs = await addBenefit(db, other, fewerLifts);
    const outboxBefore = await db.outbox.count();
    await expect(
      recordFollowUp(db, idea.id, {
        outcome: 'practice',
        nextDate: null,
        note: null,
        by: null,
        step: 'practice',
        results: [{ benefitId: theirs.id, realised: 'yes', measured: null, observed: 'Bra' }],
      }),
    ).rejects.toMatchObject({ kind: 'invalidData' });
    expect(await db.followUps.count()).toBe(0);
    expect(await db.ladderSteps.count()).toBe(0);
    expect(await db.outbox.count()).toBe(outboxBefore);
    expect((await db.ideas.get(idea.id))!.status).toBe('adopted');
  });

  it('a pilot is extended with a new date, and a stop needs its reason', async () => {
    const pilot = await decided('pilot');
    await recordFollowUp(db, pilot.id, {
      outcome: 'continue',
      nextDate: '2026-06-01',
      note: 'Forlenger',
      by: 'Kari',
      step: null,
      results: [],
    });
    expect((await changeDetail(db, pilot.id))!.change).toMatchObject({ state: 'open', nextFollowUp: '2026-06-01' });
    await expect(
      recordFollowUp(db, pilot.id, { outcome: 'stopped', nextDate: null, note: null, by: null, step: null, results: [] }),
    ).rejects.toThrow(/stopReasonRequired/);
    await recordFollowUp(db, pilot.id, { outcome: 'stopped', nextDate: null, note: 'For få på vakt', by: null, step: null, results: [] });
    expect((await db.ideas.get(pilot.id))!.status).toBe('stopped');
  });

  it('a benefit stated in error is removed; one with results stays', async () => {
    const idea = await decided();
    const wrong = await addBenefit(db, idea, calmerMornings);
    const kept = await addBenefit(db, idea, fewerLifts);
    await removeBenefit(db, wrong.id);
    await recordFollowUp(db, idea.id, {
      outcome: 'continue',
      nextDate: '2026-05-01',
      note: null,
      by: null,
      step: null,
      results: [{ benefitId: kept.id, realised: 'notYet', measured: 9, observed: null }],
    });
    await expect(removeBenefit(db, kept.id)).rejects.toMatchObject({ kind: 'invalidData' });
    expect((await changeDetail(db, idea.id))!.benefits.map((b) => b.id)).toEqual([kept.id]);
    expect((await db.outbox.toArray()).some((r) => r.table === 'benefits' && r.op === 'delete' && r.recordId === wrong.id)).toBe(true);
  });

  it('an idea without a change in force has no change to follow up', async () => {
    const parked = await decided('park');
    expect((await changeDetail(db, parked.id))!.change).toBeNull();
    await expect(setLadderStep(db, parked.id, 'awareness', null, null)).rejects.toThrow(/noChange/);
  });
});

describe('nothing falls through', () => {
  it('a parked idea returns as waiting for an answer on its date, and a change nobody wrote about for 30 days is due', async () => {
    const parked = await decided('park', 'Felles pauserom', '2026-03-01');
    const running = await decided('adopt', 'Bil med løftearm', '2026-03-01');
    await writeLearning(db, running, { happened: 'Startet', learned: null, adjusted: null, author: null }, null, day('2026-03-10'));
    await recordFollowUp(
      db,
      running.id,
      { outcome: 'continue', nextDate: '2026-08-01', note: null, by: null, step: null, results: [] },
      day('2026-04-01'),
    );

    const aprilWaiting = await awaitingAnswer(db, unit, day('2026-04-30'));
    expect(aprilWaiting.map((w) => w.idea.id)).not.toContain(parked.id);
    const mayWaiting = await awaitingAnswer(db, unit, day('2026-05-01'));
    expect(mayWaiting.find((w) => w.idea.id === parked.id)).toMatchObject({
      parkedUntil: '2026-05-01',
      clock: { answered: false, daysLeft: 0 },
    });

    const due = (await unitChanges(db, unit.id, day('2026-05-01'))).due;
    expect(due.map((d) => [d.reason, d.idea.impossibleNow, d.dueOn])).toEqual([
      ['quiet', 'Bil med løftearm', '2026-04-09'],
      ['parkedReturns', 'Felles pauserom', '2026-05-01'],
    ]);
  });
});

describe('receipt codes', () => {
  it('a new idea never takes a code another idea of the unit on this tablet has', async () => {
    const first = await saveIdea(db, unit.id, { impossibleNow: 'Første' });
    const clash = `${newId().slice(0, 31)}${first.id.slice(31)}`; // same last 20 bits, so the same code
    expect(receiptCode(clash)).toBe(receiptCode(first.id));
    const fresh = newId();
    const draws = [clash, fresh];
    expect(await newIdeaId(db, unit.id, () => draws.shift()!)).toBe(fresh);
    // Another unit's ideas do not hold codes of this one.
    expect(await newIdeaId(db, newId(), () => clash)).toBe(clash);
  });

  it('capture and session ideas both get free codes', async () => {
    const session = await startSession(db, {
      unitId: unit.id,
      date: '2026-03-10',
      facilitator: 'Kari',
      question: 'Q',
      timerMinutes: 0,
      votesPerParticipant: 3,
    });
    const ideas = [];
    for (let i = 0; i < 40; i++)
      ideas.push(i % 2 ? await saveIdea(db, unit.id, { impossibleNow: `Idé ${i}` }) : await addSessionIdea(db, session, `Idé ${i}`));
    expect(new Set(ideas.map((i) => receiptCode(i.id))).size).toBe(40);
  });
});
