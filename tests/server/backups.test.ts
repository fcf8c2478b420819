/**
 * The backups the server controls (src/server/backups.ts): `admin backup`
 * writes a SQLite copy into BACKUP_DIR, and an erasure rewrites every such
 * copy so the name is gone from the file's bytes, free pages included.
 * SQLite only: on PostgreSQL the server makes no backups of its own.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runAdminCommand } from '../../src/server/admin';
import { eraseInBackups, listBackups } from '../../src/server/backups';
import { openSqliteStorage } from '../../src/server/storage/sqlite';
import type { SyncStorage } from '../../src/server/storage/types';
import { TestServer } from './helpers';
import { pushNamedRecords } from './namedRecords';

const KARI = 'Kari Nordmann';

describe('backups the server controls', () => {
  let dir = '';
  let storage: SyncStorage | undefined;
  afterEach(async () => {
    await storage?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('admin backup writes a copy; an erasure rewrites it so the name is not in its bytes', async () => {
    dir = mkdtempSync(join(tmpdir(), 'nedenfra-backups-'));
    storage = await openSqliteStorage(join(dir, 'live.sqlite'));
    const s = new TestServer(storage);
    const tablet = await s.enroll((await s.unit('Renovasjon')).id);
    await pushNamedRecords(tablet, KARI);
    const backupDir = join(dir, 'backups');
    expect(await runAdminCommand(storage, ['backup'], { BACKUP_DIR: backupDir })).toMatch(/^backup /);
    const [file] = listBackups(backupDir);
    expect(file).toBeDefined();
    expect(readFileSync(file!).includes(KARI)).toBe(true);

    expect(await eraseInBackups(backupDir, 'kari nordmann', 'Person a1b2c3', s.time)).toBe(1);
    const bytes = readFileSync(file!);
    expect(bytes.includes(KARI)).toBe(false);
    expect(bytes.includes('Person a1b2c3')).toBe(true);
  });

  it('refuses to back up PostgreSQL itself (its own tools do that)', async () => {
    dir = mkdtempSync(join(tmpdir(), 'nedenfra-backups-'));
    const fake = { constructor: Object } as unknown as SyncStorage;
    await expect(runAdminCommand(fake, ['backup'], { BACKUP_DIR: dir })).rejects.toThrow(/SQLite/);
  });
});
