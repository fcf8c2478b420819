import 'fake-indexeddb/auto';
/**
 * Issue #9 as the tablets see it: the real client engine and repository
 * (fake-indexeddb) against the real server app (SQLite). Each test was seen
 * failing on the code before the fix.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newId, type Idea } from '../../src/domain';
import type { NedenfraDb } from '../../src/data/db';
import { StorageError } from '../../src/data/errors';
import {
  awaitingAnswer,
  ensureProcedure,
  ideaDecisions,
  publishDecision,
  recentlyDecided,
  recordEvaluation,
  saveDecisionDraft,
  type DecisionInput,
} from '../../src/data/method';
import { createRecord, patchRecord } from '../../src/data/repository';
import { syncOnce } from '../../src/data/sync/engine';
import { enrollDevice } from '../../src/data/sync/enrollment';
import { refusedChanges } from '../../src/data/sync/rejections';
import { addIdea, enrolledTablet, FaultyTransport, isolatedDb, newUnitWithCode, SERVER_URL, skewClock, TestServer } from './harness';

let server: TestServer;
let net: FaultyTransport;
let unitId: string;
let code: () => Promise<string>;

beforeEach(async () => {
  server = await new TestServer().start();
  net = new FaultyTransport(server);
  const u = await newUnitWithCode(server);
  unitId = u.unit.id;
  code = u.code;
});
afterEach(async () => server.close());

const tablet = async () => enrolledTablet(server, net, await code());
const evaluationInput = {
  participants: [{ role: 'leader' as const, name: 'Kari' }],
  scores: [{ key: 'need', score: 4, note: null }],
  kind: null,
  recommendation: null,
  note: null,
};
const decline: DecisionInput = {
  outcome: 'decline',
  rationale: 'Ikke i år',
  responsible: null,
  followUpDate: null,
  parkUntil: null,
  mergeIntoIdeaId: null,
  participants: [{ role: 'leader', name: 'Kari' }],
};
const adopt: DecisionInput = { ...decline, outcome: 'adopt', rationale: 'Vi prøver', responsible: 'Ola', followUpDate: '2027-01-15' };
/** Loaded when used, so the other tests of this file run on code that lacks the module. */
const lostEdits = async (db: NedenfraDb, table: 'unitDecisions', id: string) =>
  (await import('../../src/data/sync/lostEdits')).lostEdits(db, table, id);
const serverRecord = async (table: string, id: string) => (await server.records(table)).find((r) => r.id === id);

describe('defect 1: the answer survives any order of offline work', () => {
  it('B publishes "decline"; A, offline, evaluates with a later clock; after both sync every board shows the answer', async () => {
    const a = isolatedDb();
    await a.open();
    await skewClock(a, 60_000); // A's clock runs a minute ahead
    await enrollDevice(a, net, { serverUrl: SERVER_URL, code: await code() });
    const b = await tablet();
    const idea = await addIdea(b, unitId, 'Enmannsbil med løftearm');
    await syncOnce(b, net);
    await syncOnce(a, net);
    const procedure = await ensureProcedure(a, unitId);

    const draft = await saveDecisionDraft(b, idea, decline);
    await publishDecision(b, draft.id, 'Kari Enhetsleder');
    await syncOnce(b, net);
    await recordEvaluation(a, (await a.ideas.get(idea.id)) as Idea, procedure, evaluationInput); // A still sees the idea as new
    expect((await a.ideas.get(idea.id))?.status).toBe('underEvaluation');
    await syncOnce(a, net);
    await syncOnce(b, net);

    expect((await serverRecord('ideas', idea.id))?.data.status).toBe('declined');
    for (const db of [a, b]) {
      expect((await db.ideas.get(idea.id))?.status).toBe('declined');
      expect((await recentlyDecided(db, unitId)).map((d) => d.idea.id)).toEqual([idea.id]);
      expect((await awaitingAnswer(db, { id: unitId, responseTargetDays: 30 })).map((w) => w.idea.id)).not.toContain(idea.id);
    }
  });

  it('no local write can set a status; the tablet derives it in the same transaction', async () => {
    const a = await tablet();
    const idea = await addIdea(a, unitId, 'Idé');
    await patchRecord(a, 'ideas', idea.id, { status: 'adopted' });
    expect((await a.ideas.get(idea.id))?.status).toBe('new');
    expect((await a.outbox.toArray()).some((r) => 'status' in r.fields)).toBe(false);
  });
});

describe('defect 2: publish is atomic', () => {
  it('a publish whose draft another tablet changed is refused, nothing is published, and both versions are at hand', async () => {
    const a1 = await tablet();
    const a2 = isolatedDb();
    await a2.open();
    await skewClock(a2, 60_000);
    await enrollDevice(a2, net, { serverUrl: SERVER_URL, code: await code() });
    const idea = await addIdea(a1, unitId, 'Felles møterom');
    const draft = await saveDecisionDraft(a1, idea, adopt);
    await syncOnce(a1, net);
    await syncOnce(a2, net);
    await saveDecisionDraft(a2, (await a2.ideas.get(idea.id)) as Idea, decline, draft.id);
    await syncOnce(a2, net);
    await publishDecision(a1, draft.id, 'Kari Enhetsleder'); // the "adopt" A1's leader saw
    await syncOnce(a1, net);

    const stored = await serverRecord('unitDecisions', draft.id);
    expect(stored?.data).toMatchObject({ state: 'draft', outcome: 'decline' });
    expect((await serverRecord('ideas', idea.id))?.data.status).toBe('new');
    const [refused] = await refusedChanges(a1);
    expect(refused).toMatchObject({ reason: 'draftChanged', table: 'unitDecisions', recordId: draft.id });
    expect(refused?.fields).toMatchObject({ outcome: 'adopt', rationale: 'Vi prøver' }); // what A1's leader published
    expect((await ideaDecisions(a1, idea.id))[0]).toMatchObject({ state: 'draft', outcome: 'decline' }); // what the server holds now
    expect((await a1.ideas.get(idea.id))?.status).toBe('new');
  });
});

describe('defect 7: the tablet whose edit lost is told', () => {
  it('two tablets edit the same draft offline: each loser gets a notice with its own text', async () => {
    const a = await tablet();
    const b = await tablet();
    const idea = await addIdea(a, unitId, 'Vaktlister');
    const draft = await saveDecisionDraft(a, idea, decline);
    await syncOnce(a, net);
    await syncOnce(b, net);
    await saveDecisionDraft(a, idea, { ...decline, rationale: 'Teksten til A' }, draft.id);
    await new Promise((r) => setTimeout(r, 3));
    await saveDecisionDraft(b, idea, { ...decline, rationale: 'Teksten til B' }, draft.id); // later: B wins
    await syncOnce(b, net); // B first: A learns on its pull ...
    await syncOnce(a, net);
    expect((await a.unitDecisions.get(draft.id))?.rationale).toBe('Teksten til B');
    expect(await lostEdits(a, 'unitDecisions', draft.id)).toMatchObject([{ field: 'rationale', value: 'Teksten til A' }]);
    expect(await lostEdits(b, 'unitDecisions', draft.id)).toEqual([]);

    await saveDecisionDraft(a, idea, { ...decline, rationale: 'A igjen' }, draft.id);
    await new Promise((r) => setTimeout(r, 3));
    await saveDecisionDraft(b, idea, { ...decline, rationale: 'B igjen' }, draft.id);
    await syncOnce(a, net); // ... and now A first: B wins, A is told by its own pull
    await syncOnce(b, net);
    await syncOnce(a, net);
    expect((await lostEdits(a, 'unitDecisions', draft.id)).map((e) => e.value)).toEqual(['Teksten til A', 'A igjen']);
  });
});

describe('defect 8: the tablet refuses what the server would refuse', () => {
  it('a write the server would refuse never says "saved"', async () => {
    const a = await tablet();
    const idea = await addIdea(a, unitId, 'Egen idé');
    const otherUnit = newId();
    const procedure = await ensureProcedure(a, unitId);
    const refusals: Array<() => Promise<unknown>> = [
      // another unit's record, pulled for dissemination
      () => a.ideas.put({ ...idea, id: newId(), unitId: otherUnit }).then((id) => patchRecord(a, 'ideas', id, { wouldChange: 'x' })),
      // a support for an idea that does not exist
      () => createRecord(a, 'supports', { unitId, ideaId: newId() }),
      // an append-only procedure rewritten
      () =>
        patchRecord(a, 'evaluationProcedures', procedure.id, {
          criteria: [{ key: 'load', label: null, guidance: null, scaleMin: 1, scaleMax: 5 }],
        }),
      // a decision on an idea of another unit
      () =>
        a.ideas
          .put({ ...idea, id: newId(), unitId: otherUnit })
          .then((id) => createRecord(a, 'unitDecisions', { unitId, ideaId: id, ...decline, state: 'draft' })),
    ];
    for (const refusal of refusals) {
      const err = await refusal().then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(StorageError);
    }
    expect((await a.outbox.toArray()).map((r) => r.table)).toEqual(['ideas', 'evaluationProcedures']);
    await syncOnce(a, net);
    expect(await a.rejections.count()).toBe(0);
  });
});
