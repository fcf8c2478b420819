import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newId } from '../../src/domain';
import { NedenfraDb } from '../../src/data/db';
import { commit, createRecord, deleteRecord, patchRecord, readValid } from '../../src/data/repository';
import { StorageError } from '../../src/data/errors';

let db: NedenfraDb;
const unitId = newId();

beforeEach(async () => {
  db = new NedenfraDb(`test-${newId()}`);
  await db.open();
});
afterEach(async () => {
  await db.delete();
});

describe('repository', () => {
  it('writes the record, its clocks and an outbox row in one transaction', async () => {
    const idea = await createRecord(db, 'ideas', { unitId, impossibleNow: '  Lifting residents alone  ' });
    expect(idea.impossibleNow).toBe('Lifting residents alone');
    expect(await db.ideas.get(idea.id)).toEqual(idea);
    const outbox = await db.outbox.toArray();
    expect(outbox).toHaveLength(1);
    expect(outbox[0]).toMatchObject({ table: 'ideas', recordId: idea.id, op: 'create', seq: 1 });
    const meta = await db.syncMeta.get(`ideas/${idea.id}`);
    // One clock per field a tablet writes; the derived status has none (rules/ideaStatus.ts).
    expect(Object.keys(meta!.clocks).sort()).toEqual(Object.keys(idea).filter((f) => f !== 'status').sort());
    expect(outbox[0]!.fields).not.toHaveProperty('status');
  });

  it('numbers mutations monotonically and queues a second edit of a still-queued record', async () => {
    const idea = await createRecord(db, 'ideas', { unitId, impossibleNow: 'A' });
    await patchRecord(db, 'ideas', idea.id, { wouldChange: 'B' });
    await patchRecord(db, 'ideas', idea.id, { wouldChange: 'C' });
    const rows = await db.outbox.orderBy('seq').toArray();
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3]);
    expect(rows.map((r) => r.fields.wouldChange)).toEqual([null, 'B', 'C']);
    expect(rows[2]!.hlc > rows[1]!.hlc).toBe(true);
    expect((await db.ideas.get(idea.id))!.wouldChange).toBe('C');
  });

  it('rejects invalid input with a clear error and writes nothing', async () => {
    await expect(createRecord(db, 'ideas', { unitId, impossibleNow: '   ' })).rejects.toBeInstanceOf(StorageError);
    expect(await db.ideas.count()).toBe(0);
    expect(await db.outbox.count()).toBe(0);
  });

  it('rolls back every change of a commit when one fails', async () => {
    const good = { id: newId(), unitId, createdAt: new Date().toISOString(), impossibleNow: 'fine' };
    const bad = { id: newId(), unitId, createdAt: new Date().toISOString(), impossibleNow: '' };
    await expect(
      commit(db, [
        { op: 'create', table: 'ideas', data: good },
        { op: 'create', table: 'ideas', data: bad },
      ]),
    ).rejects.toThrow();
    expect(await db.ideas.count()).toBe(0);
    expect(await db.outbox.count()).toBe(0);
  });

  it('deletes as a tombstone and queues the delete', async () => {
    const idea = await createRecord(db, 'ideas', { unitId, impossibleNow: 'A' });
    await deleteRecord(db, 'ideas', idea.id);
    expect(await db.ideas.get(idea.id)).toBeUndefined();
    expect((await db.syncMeta.get(`ideas/${idea.id}`))!.deleted).toBe(true);
    expect((await db.outbox.toArray()).map((r) => r.op)).toEqual(['create', 'delete']);
  });

  it('refuses to change a published decision', async () => {
    const idea = await createRecord(db, 'ideas', { unitId, impossibleNow: 'A' });
    const decision = await createRecord(db, 'unitDecisions', {
      unitId,
      ideaId: idea.id,
      outcome: 'decline',
      rationale: 'Not within our budget',
      participants: [{ role: 'leader', name: 'Kari' }],
      state: 'published',
      publishedAt: new Date().toISOString(),
      publishedBy: 'Kari',
    });
    await expect(patchRecord(db, 'unitDecisions', decision.id, { rationale: 'changed' })).rejects.toMatchObject({ kind: 'refused', reason: 'publishedImmutable' });
  });

  it('reports records that no longer validate instead of dropping them', async () => {
    await db.ideas.put({ id: 'not-a-uuid' } as never);
    const { records, invalid } = await readValid(db, 'ideas');
    expect(records).toHaveLength(0);
    expect(invalid).toHaveLength(1);
    expect(await db.ideas.count()).toBe(1);
  });
});
