/**
 * IndexedDB schema versions. Append a new version for every change; never
 * edit an old one (tablets in the field hold databases of every version).
 * A version that ships a new shape of records runs the records' own upgrade
 * steps over what is stored (upgradeStoredRecords; the steps live with each
 * record in src/domain/records/, and the server runs the same ones on old
 * mutations). tests/data/migration.test.ts opens a fixture written by version 1.
 */
import type Dexie from 'dexie';
import type { Transaction } from 'dexie';
import { TABLE_NAMES, migrationSteps } from '../domain';

/** Version 1: the first release (no photos, no drafts, no rejection log). */
export const SCHEMA_V1 = {
  units: 'id',
  ideas: 'id, unitId, createdAt, status, kind',
  supports: 'id, ideaId',
  promptSessions: 'id, unitId, date',
  sessionVotes: 'id, sessionId, ideaId',
  evaluationProcedures: 'id, unitId, version',
  evaluations: 'id, ideaId',
  unitDecisions: 'id, ideaId, state',
  learnings: 'id, ideaId',
  syncMeta: 'key',
  outbox: '++seq, mutationId',
  kv: 'key',
};

/** Version 2: photos as content-addressed blobs, form drafts, rejections, session index on ideas. */
export const SCHEMA_V2 = {
  ...SCHEMA_V1,
  ideas: 'id, unitId, createdAt, status, kind, sessionId',
  outbox: '++seq, mutationId, [table+recordId]',
  unitDecisions: 'id, ideaId, state, publishedAt',
  blobs: 'sha256, uploaded',
  drafts: 'key',
  rejections: '++id, mutationId',
};

/** Version 3 (issue #9): notices of edits that lost to another tablet's; old-style publishes in the outbox rewritten. */
export const SCHEMA_V3 = {
  ...SCHEMA_V2,
  lostEdits: '[table+recordId+field+loserHlc], [table+recordId]',
};

/**
 * Version 4 (issue #12): after the decision. Expected benefits, their results,
 * ladder steps and follow-ups, each by idea (a change's page reads them by
 * idea, and an idea's status is derived from its follow-ups too).
 */
export const SCHEMA_V4 = {
  ...SCHEMA_V3,
  benefits: 'id, ideaId',
  benefitResults: 'id, ideaId',
  ladderSteps: 'id, ideaId',
  followUps: 'id, ideaId',
};


/**
 * Version 5 (issue #14): the steering group's answers and erasure instructions (both written by the
 * server), and ideas by the other unit's idea they take up.
 */
export const SCHEMA_V5 = {
  ...SCHEMA_V4,
  ideas: 'id, unitId, createdAt, status, kind, sessionId, sourceIdeaId',
  steeringDecisions: 'id, ideaId, state, publishedAt',
  erasures: 'id',
};

export const CURRENT_SCHEMA_VERSION = 5;

/**
 * Inside an IndexedDB upgrade: every stored record in shape `from` rewritten to
 * shape `to` by its record's steps (exactly the steps this version shipped, so
 * a tablet skipping versions runs each step once).
 */
async function upgradeStoredRecords(tx: Transaction, from: number, to: number): Promise<void> {
  for (const table of TABLE_NAMES) {
    const steps = migrationSteps(table, from, to);
    if (steps.length === 0) continue;
    await tx
      .table(table)
      .toCollection()
      .modify((record: Record<string, unknown>) => {
        for (const step of steps) step.up(record);
      });
  }
}

export function applySchema(db: Dexie): void {
  db.version(1).stores(SCHEMA_V1);
  db.version(2)
    .stores(SCHEMA_V2)
    .upgrade(async (tx) => {
      // v1 ideas had no photos, beneficiaries or session link: fill the defaults
      // so every stored idea parses with the current schema …
      await tx
        .table('ideas')
        .toCollection()
        .modify((idea: Record<string, unknown>) => {
          idea.photos ??= [];
          idea.beneficiaries ??= [];
          idea.sessionId ??= null;
        });
      // … and said "anonymous" apart from the name: the ideas' step to shape 1 (records/idea.ts).
      await upgradeStoredRecords(tx, 0, 1);
    });
  db.version(3)
    .stores(SCHEMA_V3)
    .upgrade(async (tx) => {
      // Version 2 published a decision by patching its state; servers now refuse that (a publish must carry
      // the content the publisher saw). The local record is that content: send it as a `publish`.
      const outbox = tx.table('outbox');
      for (const row of (await outbox.toArray()) as Array<Record<string, unknown>>) {
        const fields = row.fields as Record<string, unknown> | undefined;
        if (row.table !== 'unitDecisions' || row.op !== 'patch' || fields?.state !== 'published') continue;
        const decision = (await tx.table('unitDecisions').get(row.recordId as string)) as Record<string, unknown> | undefined;
        if (!decision) continue;
        const { base: _base, ...rest } = row;
        await outbox.put({
          ...rest,
          op: 'publish',
          fields: { ...decision, state: 'published', publishedAt: fields.publishedAt, publishedBy: fields.publishedBy },
        });
      }
    });
  // No app before version 4 wrote learnings (there was no screen for them), so none needs migrating.
  db.version(4).stores(SCHEMA_V4);
  db.version(5)
    .stores(SCHEMA_V5)
    .upgrade(async (tx) => {
      // Ideas gained `sourceIdeaId` (the other unit's idea one takes up): none before.
      await tx
        .table('ideas')
        .toCollection()
        .modify((idea: Record<string, unknown>) => {
          idea.sourceIdeaId ??= null;
        });
    });
}

