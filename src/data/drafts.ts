/**
 * Form drafts: autosaved to IndexedDB so a person called away mid-sentence
 * loses nothing; the draft is cleared in the same transaction that saves the
 * record (commit's draftKeysToClear).
 */
import { z } from 'zod';
import { Sha256 } from '../domain';
import type { BlobRow, NedenfraDb } from './db';
import { withReopen } from './repository';

export async function saveDraft(db: NedenfraDb, key: string, value: unknown): Promise<void> {
  await withReopen(db, () => db.drafts.put({ key, value, updatedAt: Date.now() }));
}

export async function loadDraft<T>(db: NedenfraDb, key: string): Promise<T | undefined> {
  return (await withReopen(db, () => db.drafts.get(key)))?.value as T | undefined;
}

export async function clearDraft(db: NedenfraDb, key: string): Promise<void> {
  await withReopen(db, () => db.drafts.delete(key));
}

/** A drafted photo as read back: the blob must still be a blob (duck-typed: test environments clone across realms). */
const DraftPhoto = z.object({
  sha256: Sha256,
  blob: z.custom<Blob>((v) => typeof v === 'object' && v !== null && typeof (v as Blob).size === 'number' && typeof (v as Blob).arrayBuffer === 'function'),
  type: z.string(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  size: z.number().int().min(0),
  uploaded: z.union([z.literal(0), z.literal(1)]),
  createdAt: z.number(),
});

/** The photos drafted under `key` (none if nothing usable is stored; a draft of one photo reads as a list of one). */
export async function loadPhotoDrafts(db: NedenfraDb, key: string): Promise<BlobRow[]> {
  const stored = await loadDraft(db, key);
  const parsed = z.array(DraftPhoto).safeParse(Array.isArray(stored) ? stored : stored === undefined ? [] : [stored]);
  return parsed.success ? (parsed.data) : [];
}
