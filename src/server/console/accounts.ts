/**
 * Console accounts: creation with a one-time set-up link, password links
 * (set-up and reset), setting and changing passwords, role changes. Used by
 * the console API and by the admin CLI (`account create`, `account reset`),
 * so the first administrator can be made without any account yet.
 *
 * A link's token is 256 random bits in the URL's fragment (never sent to the
 * server in a request line or a log); the database keeps only its SHA-256.
 * Setting a password through a link, or an administrator's reset, ends every
 * session of the account.
 */
import { randomBytes } from 'node:crypto';
import type { AccountView, CreateAccountRequest, PasswordLink, UpdateAccountRequest } from '../../domain/console/api';
import type { Role } from '../../domain/console/roles';
import { newId } from '../../domain';
import { sha256Hex } from '../../domain';
import type { AccountRow, LinkPurpose, SyncStorage, WriteTx } from '../storage/types';
import { audit, type Actor } from './audit';
import { consoleError } from './errors';
import { hashPassword } from './passwords';

export const LINK_TTL_MS: Record<LinkPurpose, number> = { setup: 72 * 3_600_000, reset: 24 * 3_600_000 };

export function accountView(a: AccountRow): AccountView {
  return {
    id: a.id,
    email: a.email,
    name: a.name,
    role: a.role,
    unitId: a.unitId,
    hasPassword: a.passwordHash !== null,
    sso: a.oidcSubject !== null,
    createdAt: a.createdAt,
    disabledAt: a.disabledAt,
    lastSignInAt: a.lastSignInAt,
  };
}

/** The console's address for a password link: `<base>/kommune/#/password/<token>`. */
export function passwordLinkUrl(baseUrl: string, token: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/kommune/#/password/${token}`;
}

async function unitExists(tx: WriteTx, unitId: string): Promise<boolean> {
  const unit = await tx.getRecord('units', unitId);
  return unit !== undefined && !unit.deleted;
}

async function assertRoleFits(tx: WriteTx, role: Role, unitId: string | null): Promise<void> {
  if (unitId !== null && !(await unitExists(tx, unitId))) throw consoleError('invalidRequest', `no unit ${unitId}`);
  if (role === 'unitLeader' && unitId === null) throw consoleError('invalidRequest', 'a unit leader needs a unit');
}

/** Inside a transaction: retire the account's open links and make a new one. */
async function newLink(tx: WriteTx, accountId: string, purpose: LinkPurpose, now: number, baseUrl: string): Promise<PasswordLink> {
  const token = randomBytes(32).toString('base64url');
  const tokenHash = await sha256Hex(token);
  const expiresAt = now + LINK_TTL_MS[purpose];
  await tx.console.retireLinks(accountId, now);
  await tx.console.insertLink({ tokenHash, accountId, purpose, createdAt: now, expiresAt });
  return { url: passwordLinkUrl(baseUrl, token), expiresAt };
}

export async function createAccount(
  storage: SyncStorage,
  input: CreateAccountRequest & { unitId: string | null },
  actor: Actor,
  now: number,
  baseUrl: string,
): Promise<{ account: AccountView; link: PasswordLink }> {
  return storage.write(async (tx) => {
    if (await tx.console.findAccountByEmail(input.email)) throw consoleError('conflict', 'an account with this e-mail exists');
    await assertRoleFits(tx, input.role, input.unitId);
    const account: AccountRow = {
      id: newId(now),
      email: input.email,
      name: input.name,
      role: input.role,
      unitId: input.unitId,
      passwordHash: null,
      oidcSubject: null,
      createdAt: now,
      disabledAt: null,
      lastSignInAt: null,
    };
    await tx.console.insertAccount(account);
    const link = await newLink(tx, account.id, 'setup', now, baseUrl);
    await audit(
      tx,
      now,
      actor,
      'account.create',
      { type: 'account', id: account.id },
      { email: account.email, role: account.role, unitId: account.unitId },
    );
    return { account: accountView(account), link };
  });
}

/** A new reset link (the old password keeps working until the link is used). */
export async function issueResetLink(
  storage: SyncStorage,
  accountId: string,
  actor: Actor,
  now: number,
  baseUrl: string,
): Promise<PasswordLink> {
  return storage.write(async (tx) => {
    const account = await tx.console.getAccount(accountId);
    if (!account) throw consoleError('notFound', 'no such account');
    const link = await newLink(tx, account.id, account.passwordHash ? 'reset' : 'setup', now, baseUrl);
    await audit(tx, now, actor, 'account.resetLink', { type: 'account', id: account.id }, { email: account.email });
    return link;
  });
}

/** Use a one-time link: set the password, end every session. Returns the account. */
export async function setPasswordWithLink(storage: SyncStorage, token: string, password: string, now: number): Promise<AccountView> {
  const [hash, tokenHash] = await Promise.all([hashPassword(password), sha256Hex(token)]);
  return storage.write(async (tx) => {
    const link = await tx.console.consumeLink(tokenHash, now);
    const account = link && (await tx.console.getAccount(link.accountId));
    if (!link || !account || account.disabledAt !== null) throw consoleError('invalidLink', 'this link is unknown, used or expired');
    await tx.console.updateAccount(account.id, { passwordHash: hash });
    await tx.console.deleteSessionsOf(account.id);
    await audit(
      tx,
      now,
      { id: account.id, label: account.email },
      'account.passwordSet',
      { type: 'account', id: account.id },
      { purpose: link.purpose },
    );
    return accountView({ ...account, passwordHash: hash });
  });
}

/** Administrators left who can still sign in (the last one may not be demoted or disabled). */
async function activeAdministrators(tx: WriteTx): Promise<number> {
  return (await tx.console.listAccounts()).filter((a) => a.role === 'administrator' && a.disabledAt === null).length;
}

export async function updateAccount(
  storage: SyncStorage,
  accountId: string,
  change: UpdateAccountRequest,
  actor: Actor,
  now: number,
): Promise<AccountView> {
  return storage.write(async (tx) => {
    const account = await tx.console.getAccount(accountId);
    if (!account) throw consoleError('notFound', 'no such account');
    const role = change.role ?? account.role;
    const unitId = change.unitId !== undefined ? change.unitId : account.unitId;
    await assertRoleFits(tx, role, unitId);
    const disabledAt = change.disabled === undefined ? account.disabledAt : change.disabled ? (account.disabledAt ?? now) : null;
    const losesAdmin = account.role === 'administrator' && account.disabledAt === null && (role !== 'administrator' || disabledAt !== null);
    if (losesAdmin && (await activeAdministrators(tx)) <= 1)
      throw consoleError('conflict', 'the last administrator cannot be demoted or disabled');
    const patch = { role, unitId, disabledAt, ...(change.name !== undefined ? { name: change.name } : {}) };
    await tx.console.updateAccount(account.id, patch);
    // New rights apply at the next request anyway; a disabled account or a lost role ends its sessions at once.
    if (disabledAt !== null || role !== account.role || unitId !== account.unitId) await tx.console.deleteSessionsOf(account.id);
    await audit(
      tx,
      now,
      actor,
      'account.update',
      { type: 'account', id: account.id },
      {
        email: account.email,
        role,
        unitId,
        disabled: disabledAt !== null,
        ...(change.name !== undefined ? { name: change.name } : {}),
      },
    );
    return accountView({ ...account, ...patch });
  });
}
