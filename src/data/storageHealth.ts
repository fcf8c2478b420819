/**
 * What the About screen reports about the tablet's storage: whether the
 * browser promised to keep our data (persist), how full it is, and how much
 * is still waiting to be sent.
 */
import { CURRENT_SCHEMA_VERSION } from './schema';
import type { NedenfraDb } from './db';

export interface StorageHealth {
  persisted: boolean | null;
  usage: number | null;
  quota: number | null;
  ideas: number;
  queued: number;
  schemaVersion: number;
}

/** Ask the browser not to evict our data under storage pressure. Resolves null where unsupported. */
export async function requestPersistence(): Promise<boolean | null> {
  if (typeof navigator === 'undefined' || !navigator.storage?.persist) return null;
  try {
    return await navigator.storage.persist();
  } catch {
    return false;
  }
}


/**
 * Ask for persistence unless the browser already granted it: called whenever
 * the tablet gets its unit (first run, enrollment) and at each start, without
 * a button press. Chromium decides silently (engagement, installed app), so
 * asking again later can succeed where the first ask did not.
 */
export async function keepStorage(): Promise<boolean | null> {
  if (typeof navigator === 'undefined' || !navigator.storage?.persisted) return requestPersistence();
  if (await navigator.storage.persisted().catch(() => false)) return true;
  return requestPersistence();
}

export async function storageHealth(db: NedenfraDb): Promise<StorageHealth> {
  const storage = typeof navigator !== 'undefined' ? navigator.storage : undefined;
  const [persisted, estimate, ideas, queued] = await Promise.all([
    storage?.persisted ? storage.persisted().catch(() => null) : Promise.resolve(null),
    storage?.estimate ? storage.estimate().catch(() => null) : Promise.resolve(null),
    db.ideas.count(),
    db.outbox.count(),
  ]);
  return {
    persisted,
    usage: estimate?.usage ?? null,
    quota: estimate?.quota ?? null,
    ideas,
    queued,
    schemaVersion: CURRENT_SCHEMA_VERSION,
  };
}
