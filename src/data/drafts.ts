/**
 * Form drafts: autosaved to IndexedDB so a person called away mid-sentence
 * loses nothing; the draft is cleared in the same transaction that saves the
 * record (commit's draftKeyToClear).
 */
import type { NedenfraDb } from './db';
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
