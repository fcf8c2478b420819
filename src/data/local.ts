/**
 * Device-level settings kept in `kv`: which unit this tablet serves and the
 * chosen language. The unit record itself is local-only here: units are
 * created by the server admin and never pushed from a tablet.
 */
import { Language, Unit, newId } from '../domain';
import type { NedenfraDb } from './db';
import { StorageError, toStorageError } from './errors';
import { CURRENT_UNIT_KEY, withReopen } from './repository';

export { CURRENT_UNIT_KEY };
export const LANGUAGE_KEY = 'language';

export async function currentUnit(db: NedenfraDb): Promise<Unit | null> {
  return withReopen(db, async () => {
    const id = (await db.kv.get(CURRENT_UNIT_KEY))?.value;
    if (typeof id !== 'string') return null;
    const parsed = Unit.safeParse(await db.units.get(id));
    return parsed.success ? parsed.data : null;
  });
}

/** First run: name the municipality and unit on this tablet (not synced). */
export async function createLocalUnit(db: NedenfraDb, input: { municipality: string; name: string }): Promise<Unit> {
  const id = newId();
  const parsed = Unit.safeParse({ id, unitId: id, createdAt: new Date().toISOString(), ...input });
  if (!parsed.success) throw new StorageError('invalidData', 'Invalid unit', parsed.error);
  try {
    await withReopen(db, () =>
      db.transaction('rw', db.units, db.kv, async () => {
        await db.units.put(parsed.data);
        await db.kv.put({ key: CURRENT_UNIT_KEY, value: id });
      }),
    );
  } catch (err) {
    throw toStorageError(err);
  }
  return parsed.data;
}

export async function storedLanguage(db: NedenfraDb): Promise<Language | null> {
  const parsed = Language.safeParse((await withReopen(db, () => db.kv.get(LANGUAGE_KEY)))?.value);
  return parsed.success ? parsed.data : null;
}

export async function storeLanguage(db: NedenfraDb, language: Language): Promise<void> {
  await withReopen(db, () => db.kv.put({ key: LANGUAGE_KEY, value: language }));
}
