/**
 * The one database the app uses. Tests install a fresh database per test with
 * `installDatabase` (fake-indexeddb), so screens run against the real Dexie code.
 */
import { NedenfraDb } from '../data/db';

let current: NedenfraDb | null = null;

export function appDb(): NedenfraDb {
  current ??= new NedenfraDb();
  return current;
}

export function installDatabase(db: NedenfraDb): void {
  current = db;
}
