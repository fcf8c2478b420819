/**
 * Administration of a municipal server: units, enrollment codes, devices,
 * after-restore and compaction. The functions are exported for tests and
 * scripts; the command line is `npm run admin -- <command>` (tsx src/server/admin.ts):
 *
 *   unit create --municipality Steinkjer --name "Renovasjon"     (prints the unit id)
 *   unit rename <unit-id> --name "Renovasjon og gjenvinning"
 *   code create --unit <unit-id> [--ttl-hours 24] [--url https://server]   (default: PUBLIC_URL)
 *   account create --role administrator --email ola@kommune.no --name "Ola Nordmann" [--unit <unit-id>] [--url …]
 *                                                              (prints a one-time set-up link for the console)
 *   account reset --email ola@kommune.no [--url …]             (prints a one-time link to set a new password)
 *   unit list | device list | device revoke <id> | mark-restored | compact --before-seq N
 *   backup [--keep-days 90]     (SQLite: a copy in BACKUP_DIR, default ./data/backups; older ones deleted; see backups.ts)
 *
 * Changes made here are written to the console's audit log as done by "cli".
 *
 * Database: DATABASE_URL=postgres://… selects PostgreSQL (tuned by the NEDENFRA_PG_*
 * variables, see postgres.ts), else the SQLite file NEDENFRA_DB (default ./data/nedenfra.sqlite).
 */
import { randomInt, randomUUID } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import QRCode from 'qrcode';
import { HLC_ZERO, HybridLogicalClock, newId, sha256Hex, Unit } from '../domain';
import { insecureUrlWarning } from './config';
import type { Logger } from './log';
import { openPostgresStorage, postgresOptionsFromEnv } from './storage/postgres';
import { openSqliteStorage } from './storage/sqlite';
import type { Device, SyncStorage } from './storage/types';
import { normalizeEnrollmentCode } from './sync';
import { CreateAccountRequest, Email } from '../domain/console/api';
import { createAccount, issueResetLink } from './console/accounts';
import { audit, CLI_ACTOR } from './console/audit';
import { ConsoleError } from './console/errors';
import { backupDirFrom, makeBackup } from './backups';
import { DEFAULT_RETENTION_DAYS } from './retention';

export const DEFAULT_SQLITE_PATH = './data/nedenfra.sqlite';

export function openStorageFromEnv(env: NodeJS.ProcessEnv = process.env, log?: Logger): Promise<SyncStorage> {
  const url = env.DATABASE_URL;
  if (url && /^postgres(ql)?:\/\//.test(url)) return openPostgresStorage(url, { ...postgresOptionsFromEnv(env), ...(log ? { log } : {}) });
  return openSqliteStorage(env.NEDENFRA_DB || DEFAULT_SQLITE_PATH);
}

/** Create a unit; it reaches its tablets (and other units) as an ordinary `units` record. */
export async function createUnit(
  storage: SyncStorage,
  input: { municipality: string; name: string; responseTargetDays?: number; activeChangeLimit?: number },
  now: number = Date.now(),
): Promise<Unit> {
  const id = newId(now);
  const unit = Unit.parse({ ...input, id, unitId: id, createdAt: new Date(now).toISOString() });
  const hlc = new HybridLogicalClock('server', () => now).send();
  const data = unit as Record<string, unknown>;
  await storage.write((tx) =>
    tx.writeRecords([
      { table: 'units', id, unitId: id, data, clocks: Object.fromEntries(Object.keys(data).map((f) => [f, hlc])), deleted: false },
    ]),
  );
  return unit;
}

/**
 * Rename a unit. The new name is stamped with a server clock later than every
 * clock the record holds, so it wins over earlier edits and reaches every
 * tablet of the unit (and the other units) on their next pull.
 */
export async function renameUnit(storage: SyncStorage, unitId: string, name: string, now: number = Date.now()): Promise<Unit> {
  return storage.write(async (tx) => {
    await tx.lockRecords([{ table: 'units', id: unitId }]);
    const record = await tx.getRecord('units', unitId);
    if (!record || record.deleted) throw new Error(`no unit ${unitId}`);
    const latest = Object.values(record.clocks).reduce((a, b) => (a > b ? a : b), HLC_ZERO);
    const hlc = new HybridLogicalClock('server', () => now, latest).send();
    const unit = Unit.parse({ ...record.data, name });
    await tx.writeRecords([{ ...record, data: unit, clocks: { ...record.clocks, name: hlc } }]);
    return unit;
  });
}

export async function listUnits(storage: SyncStorage): Promise<Unit[]> {
  const rows = await storage.read((tx) => tx.listRecords('units'));
  return rows.map((r) => Unit.parse(r.data));
}

/** Easy to read aloud and type: no 0/O, 1/I/L. */
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

export async function createEnrollmentCode(
  storage: SyncStorage,
  input: { unitId: string; ttlHours?: number },
  now: number = Date.now(),
): Promise<{ code: string; expiresAt: number }> {
  const raw = Array.from({ length: 12 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');
  const code = `${raw.slice(0, 4)}-${raw.slice(4, 8)}-${raw.slice(8)}`;
  const expiresAt = now + (input.ttlHours ?? 24) * 3_600_000;
  const codeHash = await sha256Hex(normalizeEnrollmentCode(code));
  await storage.write(async (tx) => {
    if (!(await tx.getRecord('units', input.unitId))) throw new Error(`no unit ${input.unitId}`);
    await tx.insertEnrollmentCode({ codeHash, unitId: input.unitId, createdAt: now, expiresAt });
  });
  return { code, expiresAt };
}

export function enrollmentUrl(baseUrl: string, code: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/#enroll=${encodeURIComponent(code)}`;
}

export function listDevices(storage: SyncStorage): Promise<Device[]> {
  return storage.read((tx) => tx.listDevices());
}

export function revokeDevice(storage: SyncStorage, deviceId: string, now: number = Date.now()): Promise<boolean> {
  return storage.write((tx) => tx.revokeDevice(deviceId, now));
}

/** Run after restoring a backup: devices notice the new epoch and re-push their state. */
export async function markRestored(storage: SyncStorage): Promise<string> {
  const epoch = randomUUID();
  await storage.write(async (tx) => {
    await tx.lockState();
    await tx.setEpoch(epoch);
  });
  return epoch;
}

/** Purge tombstones below `beforeSeq`; devices with an older cursor must pull from 0. */
export async function compact(storage: SyncStorage, beforeSeq: number): Promise<{ purged: number; horizon: number }> {
  return storage.write(async (tx) => {
    const state = await tx.lockState();
    if (beforeSeq > state.serverSeq + 1) throw new Error(`before-seq ${beforeSeq} is past the server counter ${state.serverSeq}`);
    const purged = await tx.purgeTombstones(beforeSeq);
    return { purged, horizon: (await tx.state()).horizon };
  });
}

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

function required(args: string[], name: string): string {
  const v = flag(args, name);
  if (!v) throw new Error(`missing --${name}`);
  return v;
}

const USAGE = `usage: admin.ts <command>
  unit create --municipality X --name Y
  unit rename ID --name Y
  unit list
  account create --role administrator|adviser|unitLeader --email E --name N [--unit ID] [--url https://server]
  account reset --email E [--url https://server]
  code create --unit ID [--ttl-hours 24] [--url https://server]   (default: PUBLIC_URL)
  device list
  device revoke ID
  mark-restored
  compact --before-seq N
  backup [--keep-days N]   (SQLite only; into BACKUP_DIR)`;

const auditCli = (storage: SyncStorage, action: string, target: { type: string; id: string }, detail: Record<string, string | number>) =>
  storage.write((tx) => audit(tx, Date.now(), CLI_ACTOR, action, target, detail));

/** The address links and QR codes point at: --url, else PUBLIC_URL; undefined when neither is set. */
const configuredBaseUrl = (args: string[], env: NodeJS.ProcessEnv) => flag(args, 'url') ?? (env.PUBLIC_URL || undefined);
const baseUrlOf = (args: string[], env: NodeJS.ProcessEnv) => configuredBaseUrl(args, env) ?? `http://localhost:${env.PORT ?? 8080}`;

/** The command line; returns the text to print. */
export async function runAdminCommand(storage: SyncStorage, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const [a, b] = args;
  const cmd = [a, b].join(' ');
  try {
    return await runCommand(storage, args, cmd, a, b, env);
  } catch (e) {
    // The console's errors carry a clear message; show it without the class name.
    if (e instanceof ConsoleError) throw new Error(e.body.message, { cause: e });
    throw e;
  }
}

async function runCommand(storage: SyncStorage, args: string[], cmd: string, a?: string, b?: string, env: NodeJS.ProcessEnv = process.env) {
  if (cmd === 'unit create') {
    const unit = await createUnit(storage, { municipality: required(args, 'municipality'), name: required(args, 'name') });
    await auditCli(storage, 'unit.create', { type: 'unit', id: unit.id }, { name: unit.name, municipality: unit.municipality });
    return unit.id;
  }
  if (cmd === 'unit rename') {
    const id = args[2];
    if (!id || id.startsWith('--')) throw new Error('usage: unit rename ID --name Y');
    const unit = await renameUnit(storage, id, required(args, 'name'));
    await auditCli(storage, 'unit.rename', { type: 'unit', id }, { name: unit.name });
    return `renamed ${id} to ${unit.name}`;
  }
  if (cmd === 'account create') {
    const input = CreateAccountRequest.safeParse({
      email: required(args, 'email'),
      name: required(args, 'name'),
      role: required(args, 'role'),
      unitId: flag(args, 'unit') ?? null,
    });
    if (!input.success) throw new Error(input.error.issues.map((i) => `--${i.path.join('.') || 'input'}: ${i.message}`).join('; '));
    const { account, link } = await createAccount(storage, input.data, CLI_ACTOR, Date.now(), baseUrlOf(args, env));
    return `Account ${account.email} (${account.role}) created.\nOne-time set-up link, valid until ${new Date(link.expiresAt).toISOString()}:\n${link.url}`;
  }
  if (cmd === 'account reset') {
    const email = Email.safeParse(required(args, 'email'));
    if (!email.success) throw new Error('--email: not an e-mail address');
    const account = await storage.read((tx) => tx.console.findAccountByEmail(email.data));
    if (!account) throw new Error(`no account ${email.data}`);
    const link = await issueResetLink(storage, account.id, CLI_ACTOR, Date.now(), baseUrlOf(args, env));
    return `One-time link for ${account.email}, valid until ${new Date(link.expiresAt).toISOString()}:\n${link.url}`;
  }
  if (cmd === 'unit list') return (await listUnits(storage)).map((u) => `${u.id}\t${u.municipality}\t${u.name}`).join('\n');
  if (cmd === 'code create') {
    const ttl = Number(flag(args, 'ttl-hours') ?? 24);
    if (!(ttl > 0)) throw new Error('--ttl-hours must be a positive number');
    const { code, expiresAt } = await createEnrollmentCode(storage, { unitId: required(args, 'unit'), ttlHours: ttl });
    await auditCli(storage, 'code.create', { type: 'unit', id: required(args, 'unit') }, { expiresAt });
    const base = configuredBaseUrl(args, env);
    const url = enrollmentUrl(baseUrlOf(args, env), code);
    const qr = await QRCode.toString(url, { type: 'terminal', small: true });
    const notes = [
      base ? null : 'This link only works on the server itself: set PUBLIC_URL (or --url) to the https:// address tablets open.',
      insecureUrlWarning(url),
    ].filter((n): n is string => n !== null);
    return `Enrollment code: ${code}\nValid until: ${new Date(expiresAt).toISOString()} (one use)\nURL: ${url}\n${notes.map((n) => `\n${n}\n`).join('')}\n${qr}`;
  }
  if (cmd === 'device list')
    return (await listDevices(storage))
      .map((d) =>
        [
          d.deviceId,
          d.unitId,
          d.label,
          d.revokedAt ? 'revoked' : 'active',
          `seq=${d.lastAppliedSeq}`,
          d.lastSeenAt ? new Date(d.lastSeenAt).toISOString() : 'never',
          d.appVersion,
        ].join('\t'),
      )
      .join('\n');
  if (cmd === 'device revoke') {
    if (!b || !args[2]) throw new Error('usage: device revoke ID');
    if (!(await revokeDevice(storage, args[2]))) return `no active device ${args[2]}`;
    await auditCli(storage, 'device.revoke', { type: 'device', id: args[2] }, {});
    return `revoked ${args[2]}`;
  }
  if (a === 'mark-restored') return `new epoch ${await markRestored(storage)}; tablets will re-push their state`;
  if (a === 'compact') {
    const before = Number(required(args, 'before-seq'));
    if (!Number.isInteger(before) || before < 1) throw new Error('--before-seq must be a positive integer');
    const { purged, horizon } = await compact(storage, before);
    return `purged ${purged} tombstones; horizon ${horizon}`;
  }
  if (a === 'backup') {
    const keepDays = Number(flag(args, 'keep-days') ?? env.RETENTION_DAYS ?? DEFAULT_RETENTION_DAYS);
    if (!(keepDays > 0)) throw new Error('--keep-days must be a positive number');
    const { file, deleted } = await makeBackup(storage, backupDirFrom(env), Date.now(), keepDays);
    await auditCli(storage, 'backup.create', { type: 'backup', id: file }, { deleted });
    return `backup ${file}; ${deleted} older than ${keepDays} days deleted`;
  }
  throw new Error(USAGE);
}

const invokedDirectly = (() => {
  try {
    const self = fileURLToPath(import.meta.url);
    // Bundled into the server (build/server/main.js, scripts/buildServer.ts) this module's URL is the bundle's: only a file named admin is the CLI.
    return /[/\\]admin\.[cm]?[jt]s$/.test(self) && process.argv[1] !== undefined && realpathSync(process.argv[1]) === self;
  } catch {
    return false;
  }
})();

if (invokedDirectly) {
  const storage = await openStorageFromEnv();
  try {
    console.log(await runAdminCommand(storage, process.argv.slice(2)));
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    process.exitCode = 1;
  } finally {
    await storage.close();
  }
}
