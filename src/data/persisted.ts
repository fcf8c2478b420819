/**
 * Whether the browser promised to keep this origin's data, as the tablet
 * reports it to the server on sync. Its own module because the sync engine
 * also runs in the service worker, where `persist()` (storageHealth.ts) does
 * not exist but `persisted()` does.
 */
/** navigator.storage.persisted(): null where unsupported or it fails. */
export async function isStoragePersisted(): Promise<boolean | null> {
  const storage = typeof navigator !== 'undefined' ? navigator.storage : undefined;
  if (!storage?.persisted) return null;
  return storage.persisted().catch(() => null);
}
