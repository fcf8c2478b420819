/**
 * The backups the server controls (issue #14, GDPR): copies of a SQLite
 * database that `npm run admin -- backup` writes into BACKUP_DIR (default
 * ./data/backups), named by their time. Because the server made them and
 * knows where they are, an erasure rewrites every one of them with the same
 * code as the live database (console/personalData.ts: erasePersonIn), and
 * `admin backup` deletes those older than the retention period.
 *
 * Backups made outside the server (pg_dump, PostgreSQL base backups, disk
 * snapshots, copies of the SQLite file) are not under its control: it cannot
 * rewrite them. docs/privacy.md says how long to keep them and what to do
 * after restoring one. On PostgreSQL the server makes no backups of its own.
 */
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { HybridLogicalClock } from '../domain';
import { erasePersonIn } from './console/personalData';
import { SqliteStorage, openSqliteStorage } from './storage/sqlite';
import type { SyncStorage } from './storage/types';

export const DEFAULT_BACKUP_DIR = './data/backups';
const NAME = /^nedenfra-\d{8}T\d{6}Z\.sqlite$/;

export const backupDirFrom = (env: NodeJS.ProcessEnv) => env.BACKUP_DIR?.trim() || DEFAULT_BACKUP_DIR;

/** The server's own backups in `dir`, oldest first. */
export function listBackups(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((f) => NAME.test(f))
      .sort()
      .map((f) => join(dir, f));
  } catch {
    return [];
  }
}

/** Write a backup of a SQLite database into `dir`, and delete the server's backups older than `keepDays`. */
export async function makeBackup(
  storage: SyncStorage,
  dir: string,
  now: number,
  keepDays: number,
): Promise<{ file: string; deleted: number }> {
  if (!(storage instanceof SqliteStorage))
    throw new Error('the server makes backups of a SQLite database only; back PostgreSQL up with its own tools (see docs/privacy.md)');
  mkdirSync(dir, { recursive: true });
  const stamp = new Date(now)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const file = join(dir, `nedenfra-${stamp}.sqlite`);
  await storage.backupTo(file);
  let deleted = 0;
  for (const old of listBackups(dir))
    if (old !== file && statSync(old).mtimeMs < now - keepDays * 86_400_000) {
      rmSync(old, { force: true });
      deleted++;
    }
  return { file, deleted };
}

/** Erase a name in every backup the server controls in `dir`; returns how many it rewrote. */
export async function eraseInBackups(dir: string, person: string, pseudonym: string, now: number): Promise<number> {
  let rewritten = 0;
  for (const file of listBackups(dir)) {
    const backup = await openSqliteStorage(file);
    try {
      const counts = await backup.write((tx) => erasePersonIn(tx, new HybridLogicalClock('server', () => now), person, pseudonym, now));
      if (counts.records > 0 || counts.conflicts > 0) rewritten++;
      // Nothing of a rewritten value may linger in the file's free pages.
      await backup.vacuum();
    } finally {
      await backup.close();
    }
  }
  return rewritten;
}
