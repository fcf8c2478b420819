/**
 * What every write of synced records on the server does besides storing
 * them, whoever writes (a tablet's push, the console's steering-group
 * decisions, an erasure, an administrator deleting a photo):
 *   - the derived status of every idea whose record, decisions or
 *     evaluations changed (rules/ideaStatus.ts), in the same transaction;
 *   - photos no idea shows any more are deleted (the blob and any unfinished
 *     upload of it), in the same transaction;
 *   - the server's own writes are merged with the domain's merge like any
 *     mutation (`mergeAsServer`), stamped with a server clock later than
 *     every clock the record holds, so they win on every tablet.
 */
import {
  applyMutation,
  compareHlc,
  HLC_ZERO,
  ideaStatusFrom,
  MUTATION_SCHEMA_VERSION,
  newId,
  referencesOf,
  STATUS_SOURCE_TABLES,
  statusIdeaOf,
  withDerivedStatus,
  type Hlc,
  type HybridLogicalClock,
  type MergeResult,
  type MutationOp,
  type StoredRecord,
  type TableName,
} from '../domain';
import type { WriteTx } from './storage/types';

export const recordKey = (table: string, id: string) => `${table}\u0000${id}`;

/**
 * Derive the status of every idea of this unit whose record, decisions or
 * evaluations are in `changed`, and store it with the idea (added to
 * `changed`). The ideas' status locks are taken first, so the decisions and
 * evaluations read here include every committed write of a concurrent push
 * (see WriteTx.lockIdeaStatus).
 */
export async function materializeIdeaStatus(tx: WriteTx, changed: Map<string, StoredRecord>, unitId: string): Promise<void> {
  const ideaIds = new Set<string>();
  for (const record of changed.values()) {
    const ideaId = statusIdeaOf(record);
    if (ideaId && record.unitId === unitId) ideaIds.add(ideaId);
  }
  if (ideaIds.size === 0) return;
  const ids = [...ideaIds];
  await tx.lockIdeaStatus(ids);
  const stored = await tx.getRecords(ids.map((id) => ({ table: 'ideas' as const, id })));
  const sources = new Map<string, StoredRecord>();
  for (const r of await tx.listByIdea([...STATUS_SOURCE_TABLES], ids)) sources.set(recordKey(r.table, r.id), r);
  for (const [key, r] of changed) if (statusIdeaOf(r) !== null && r.table !== 'ideas') sources.set(key, r); // this batch's versions
  const byIdea = new Map<string, StoredRecord[]>();
  for (const r of sources.values()) {
    const ideaId = statusIdeaOf(r)!;
    byIdea.set(ideaId, [...(byIdea.get(ideaId) ?? []), r]);
  }
  const storedById = new Map(stored.map((r) => [r.id, r]));
  for (const id of ids) {
    const key = recordKey('ideas', id);
    const idea = changed.get(key) ?? storedById.get(id);
    if (!idea || idea.deleted || idea.unitId !== unitId) continue;
    const next = withDerivedStatus(idea, ideaStatusFrom(idea, byIdea.get(idea.id) ?? []));
    if (next !== idea) changed.set(key, next);
  }
}

const photosOf = (r: StoredRecord | undefined): string[] =>
  r && r.table === 'ideas' && !r.deleted && Array.isArray(r.data.photos)
    ? r.data.photos.filter((p): p is string => typeof p === 'string')
    : [];

/**
 * Photos the ideas in `after` no longer show (removed from an idea, or the
 * idea deleted), compared with `before`: deleted from the server unless
 * another idea still shows them. Call after the records are written.
 */
export async function dropUnshownPhotos(
  tx: WriteTx,
  before: ReadonlyMap<string, StoredRecord>,
  after: Iterable<StoredRecord>,
): Promise<number> {
  const dropped = new Set<string>();
  for (const record of after) {
    if (record.table !== 'ideas') continue;
    const now = new Set(photosOf(record));
    for (const sha of photosOf(before.get(recordKey(record.table, record.id)))) if (!now.has(sha)) dropped.add(sha);
  }
  return dropped.size ? tx.deleteUnshownBlobs([...dropped]) : 0;
}

const latestClock = (clocks: Record<string, Hlc>): Hlc => Object.values(clocks).reduce((a, b) => (compareHlc(a, b) >= 0 ? a : b), HLC_ZERO);

/** A server clock later than every clock these records hold (so the server's write wins everywhere). */
export function stampAfter(clock: HybridLogicalClock, records: Iterable<StoredRecord | undefined>): Hlc {
  for (const r of records) if (r) clock.receive(latestClock(r.clocks));
  return clock.send();
}

/**
 * Merge one of the server's own writes (the console's) with the domain's
 * merge, as a mutation authored by the server, against the stored record and
 * the records it names. The caller has locked the record; nothing is written.
 */
export async function mergeAsServer(
  tx: WriteTx,
  clock: HybridLogicalClock,
  write: { table: TableName; id: string; unitId: string; op: MutationOp; fields: Record<string, unknown> },
): Promise<{ existing: StoredRecord | undefined; result: MergeResult }> {
  const existing = await tx.getRecord(write.table, write.id);
  const refs = [...referencesOf(write.table, existing?.data ?? {}), ...referencesOf(write.table, write.fields)];
  const named = new Map((await tx.getRecords(refs.map((r) => ({ table: r.table, id: r.id })))).map((r) => [recordKey(r.table, r.id), r]));
  const result = applyMutation(
    existing,
    {
      mutationId: newId(),
      seq: 1,
      table: write.table,
      recordId: write.id,
      op: write.op,
      fields: write.fields,
      hlc: stampAfter(clock, [existing]),
      schemaVersion: MUTATION_SCHEMA_VERSION,
    },
    { unitId: write.unitId, author: 'server', find: (table, id) => named.get(recordKey(table, id)) },
  );
  return { existing, result };
}
