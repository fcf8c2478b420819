/** The admin CLI's operations on both back ends, and one real run of the CLI through tsx. */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  compact,
  createEnrollmentCode,
  createUnit,
  listDevices,
  listUnits,
  markRestored,
  openStorageFromEnv,
  runAdminCommand,
} from '../../src/server/admin';
import { buildServer } from '../../scripts/buildServer';
import { serverBackends, TestServer, type TestDb } from './helpers';
import { startServerProcess } from './serverProcess';

describe.each(serverBackends())('admin on %s', (_kind, backend) => {
  let db: TestDb;
  beforeAll(() => backend.setup(), 60_000);
  afterAll(() => backend.teardown());
  afterEach(async () => db?.close());

  it('creates units and one-time codes, lists and revokes devices', async () => {
    db = await backend.fresh();
    const s = new TestServer(db.storage);
    const unit = await createUnit(db.storage, { municipality: 'Sørum', name: 'Hjemmetjenesten' }, s.time);
    expect((await listUnits(db.storage)).map((u) => u.name)).toEqual(['Hjemmetjenesten']);
    await expect(createEnrollmentCode(db.storage, { unitId: '01900000-0000-7000-8000-000000000000' })).rejects.toThrow(/no unit/);

    const listing = await runAdminCommand(db.storage, ['code', 'create', '--unit', unit.id, '--url', 'https://nedenfra.kommune.no/']);
    const code = /Enrollment code: (\S+)/.exec(listing)?.[1];
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    expect(listing).toContain(`https://nedenfra.kommune.no/#enroll=${code}`);
    expect(listing).toContain('▄'); // the terminal QR code

    const tablet = await s.enroll(unit.id);
    const devices = await listDevices(db.storage);
    expect(devices.map((d) => d.deviceId)).toEqual([tablet.deviceId]);
    expect(await runAdminCommand(db.storage, ['device', 'list'])).toContain(tablet.deviceId);
    expect(await runAdminCommand(db.storage, ['device', 'revoke', tablet.deviceId])).toBe(`revoked ${tablet.deviceId}`);
    expect((await tablet.pull()).status).toBe(401);
    expect(await runAdminCommand(db.storage, ['unit', 'list'])).toContain(unit.id);
    await expect(runAdminCommand(db.storage, ['nonsense'])).rejects.toThrow(/usage/);
    await expect(runAdminCommand(db.storage, ['code', 'create'])).rejects.toThrow(/missing --unit/);
  });

  it('mark-restored changes the epoch; compact raises the horizon', async () => {
    db = await backend.fresh();
    const s = new TestServer(db.storage);
    const before = (await db.storage.read((tx) => tx.state())).epoch;
    const epoch = await markRestored(db.storage);
    expect(epoch).not.toBe(before);
    expect((await db.storage.read((tx) => tx.state())).epoch).toBe(epoch);
    await s.unit();
    await expect(compact(db.storage, 100)).rejects.toThrow(/past the server counter/);
    expect(await compact(db.storage, 2)).toEqual({ purged: 0, horizon: 1 });
    expect(await runAdminCommand(db.storage, ['compact', '--before-seq', '1'])).toBe('purged 0 tombstones; horizon 1');
  });
});

describe('admin command line', () => {
  let dir: string;
  beforeAll(() => void (dir = mkdtempSync(join(tmpdir(), 'nedenfra-cli-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('openStorageFromEnv picks SQLite from NEDENFRA_DB', async () => {
    const path = join(dir, 'env', 'db.sqlite');
    const storage = await openStorageFromEnv({ NEDENFRA_DB: path });
    expect(storage.kind).toBe('sqlite');
    await storage.close();
    expect(existsSync(path)).toBe(true);
  });

  it('runs through tsx: unit create, then code create', async () => {
    const run = promisify(execFile);
    const env = { ...process.env, NEDENFRA_DB: join(dir, 'cli.sqlite'), DATABASE_URL: '' };
    const cli = (...args: string[]) => run(process.execPath, ['--import', 'tsx', 'src/server/admin.ts', ...args], { env });
    const unitId = (await cli('unit', 'create', '--municipality', 'Steinkjer', '--name', 'Renovasjon')).stdout.trim();
    expect(unitId).toMatch(/^[0-9a-f-]{36}$/);
    const { stdout } = await cli('code', 'create', '--unit', unitId, '--ttl-hours', '2');
    expect(stdout).toMatch(/Enrollment code: [A-Z2-9-]{14}/);
    expect(stdout).toContain('#enroll=');
  }, 60_000);

  it('the server entrypoint starts, answers and stops on SIGTERM', async () => {
    const server = await startServerProcess({ NEDENFRA_DB: join(dir, 'main.sqlite'), DATABASE_URL: '' });
    try {
      expect(server.logs).toContainEqual(expect.objectContaining({ event: 'listening', url: server.url }));
      expect((await fetch(`${server.url}/api/v1/health`)).status).toBe(200);
      expect(await server.printed(/code create/)).toContain('npm run admin -- code create');
    } finally {
      await server.stop();
    }
    expect(server.exit).toEqual({ code: 0, signal: null, expected: true });
  }, 60_000);

  it('the prebuilt server that npm start runs (scripts/buildServer.ts) starts, answers, runs no admin command and stops cleanly', async () => {
    // Inside node_modules/ so the bundle's packages resolve, as they do from build/server/.
    const out = mkdtempSync(join(import.meta.dirname, '../../node_modules/.nedenfra-test-server-'));
    try {
      const script = await buildServer(out);
      const server = await startServerProcess({ NEDENFRA_DB: join(dir, 'bundle.sqlite'), DATABASE_URL: '' }, { script });
      try {
        expect((await fetch(`${server.url}/api/v1/health`)).status).toBe(200);
        expect(await server.printed(/code create/)).toContain('npm run admin -- code create');
      } finally {
        await server.stop();
      }
      // The admin module is bundled in (the console's routes use it): its CLI must not take the bundle's arguments for its own.
      expect(server.stderr()).not.toMatch(/usage/i);
      expect(server.exit).toEqual({ code: 0, signal: null, expected: true });
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 60_000);
});
