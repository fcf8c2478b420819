/**
 * The idea board's reads and the capture/support writes. Writes go through
 * repository.commit so every change is queued for sync in the same
 * transaction; reads are plain queries the UI wraps in liveQuery.
 */
import { IdeaInput, newId, receiptCode, type Idea, type Support } from '../domain';
import type { BlobRow, NedenfraDb } from './db';
import { StorageError } from './errors';
import { commit, createRecord, deleteRecord, readValid, withReopen } from './repository';
import { z } from 'zod';

export const CAPTURE_DRAFT_KEY = 'capture';
/** The capture form's photo, drafted apart from the text so typing does not rewrite the image. */
export const CAPTURE_PHOTO_DRAFT_KEY = 'capture.photo';

/**
 * An id for a new idea of the unit whose receipt code (rules/receipt.ts) no
 * idea of the unit on this tablet has: the code is read from the id, so the
 * id is drawn again until it is free. Only the ids are read (the unitId
 * index's keys), which stays quick with 10,000 ideas.
 */
export async function newIdeaId(db: NedenfraDb, unitId: string, draw: () => string = newId): Promise<string> {
  const taken = new Set((await withReopen(db, () => db.ideas.where('unitId').equals(unitId).primaryKeys())).map(receiptCode));
  let id = draw();
  // A unit would need hundreds of thousands of ideas before this took more than a few draws; it never loops for ever.
  for (let n = 0; n < 1000 && taken.has(receiptCode(id)); n++) id = draw();
  return id;
}

/** Save a captured idea, its photos and clear the capture drafts (text and photo), all in one transaction. */
export async function saveIdea(db: NedenfraDb, unitId: string, input: IdeaInput, photos: BlobRow[] = []): Promise<Idea> {
  const parsed = IdeaInput.safeParse({ ...input, photos: photos.map((p) => p.sha256) });
  if (!parsed.success) throw new StorageError('invalidData', z.prettifyError(parsed.error), parsed.error);
  const id = await newIdeaId(db, unitId);
  return createRecord(db, 'ideas', { ...parsed.data, id, unitId }, { blobs: photos, draftKeysToClear: [CAPTURE_DRAFT_KEY, CAPTURE_PHOTO_DRAFT_KEY] });
}

export async function addSupport(db: NedenfraDb, unitId: string, ideaId: string): Promise<Support> {
  return createRecord(db, 'supports', { unitId, ideaId });
}

/** Take a support back (the board's undo): a tombstone that syncs like any delete. */
export async function removeSupport(db: NedenfraDb, supportId: string): Promise<void> {
  await deleteRecord(db, 'supports', supportId);
}

/** The unit's ideas, newest first (UUIDv7 ids sort by creation time). Invalid rows are skipped here and reported on About. */
export async function unitIdeas(db: NedenfraDb, unitId: string): Promise<Idea[]> {
  const rows = await db.ideas.where('unitId').equals(unitId).toArray();
  const { records } = await readValid(db, 'ideas', rows);
  return records.sort(newestFirst);
}

const newestFirst = (a: Idea, b: Idea) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.id < b.id ? 1 : -1);

/**
 * The unit's newest `limit` ideas, read newest-first through the createdAt
 * index: enough to paint the board's first screen while `unitIdeas` reads
 * all of them (with 10,000 ideas that full read is what a person waits for).
 */
export async function newestUnitIdeas(db: NedenfraDb, unitId: string, limit: number): Promise<Idea[]> {
  const rows = await db.ideas
    .orderBy('createdAt')
    .reverse()
    .filter((idea) => idea.unitId === unitId)
    .limit(limit)
    .toArray();
  const { records } = await readValid(db, 'ideas', rows);
  return records.sort(newestFirst);
}

export async function supportCounts(db: NedenfraDb, unitId: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  await db.supports.each((s) => {
    if (s.unitId === unitId) counts.set(s.ideaId, (counts.get(s.ideaId) ?? 0) + 1);
  });
  return counts;
}

export async function getIdea(db: NedenfraDb, id: string): Promise<Idea | null> {
  const row = await db.ideas.get(id);
  if (!row) return null;
  const { records } = await readValid(db, 'ideas', [row]);
  return records[0] ?? null;
}

/** Whether an idea on this tablet other than `exceptId` shows the photo (ideas have no index on photos: a scan, only on a deletion). */
export async function photoShownElsewhere(db: NedenfraDb, sha256: string, exceptId: string | null = null): Promise<boolean> {
  return (await db.ideas.filter((i) => i.id !== exceptId && Array.isArray(i.photos) && i.photos.includes(sha256)).count()) > 0;
}

/**
 * The unit leader deletes a photo (GDPR: a face, a name on a whiteboard): it
 * goes from the idea, and its bytes from this tablet in the same transaction
 * unless another idea shows it; the server deletes its copy when the change
 * arrives, and other tablets theirs on their next pull.
 */
export async function deleteIdeaPhoto(db: NedenfraDb, idea: Idea, sha256: string): Promise<void> {
  const elsewhere = await photoShownElsewhere(db, sha256, idea.id);
  await commit(db, [{ op: 'patch', table: 'ideas', id: idea.id, fields: { photos: idea.photos.filter((p) => p !== sha256) } }], {
    ...(elsewhere ? {} : { deleteBlobs: [sha256] }),
  });
}
