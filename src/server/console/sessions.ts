/**
 * Console sessions: a row in the database per session (several server
 * instances share them), found by the SHA-256 of a random id held in an
 * HttpOnly, SameSite=Strict cookie (Secure, and `__Host-` prefixed, on
 * HTTPS). A session ends after `sessionIdleMs` without a request and after
 * `sessionAbsoluteMs` in any case; signing in always makes a new session
 * (the id rotates), signing out everywhere deletes every row of the account.
 *
 * CSRF: every state-changing request must carry the session's token in
 * `X-CSRF-Token` (read from GET /session, never from a cookie), come from
 * this origin (Origin and Sec-Fetch-Site, when the browser sends them) and
 * send JSON, which a cross-site form cannot.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { SessionView } from '../../domain/console/api';
import { clientAddress } from '../rateLimit';
import { sha256Hex } from '../../domain';
import type { AccountRow, SessionRow } from '../storage/types';
import { accountView } from './accounts';
import { audit } from './audit';
import { LOGIN_ACCOUNT_RULE, LOGIN_ADDRESS_RULE, type ConsoleContext } from './context';
import { consoleError } from './errors';
import { verifyPassword } from './passwords';

export interface Signed {
  account: AccountRow;
  session: SessionRow;
}

export type ConsoleEnv = { Variables: { signed: Signed } };

/** Touch a session's last_seen_at at most this often (a write per request would be wasteful). */
const TOUCH_EVERY_MS = 60_000;

function isHttps(ctx: ConsoleContext, c: Context): boolean {
  if (ctx.settings.publicUrl) return ctx.settings.publicUrl.startsWith('https:');
  if (ctx.settings.trustProxy && c.req.header('x-forwarded-proto') === 'https') return true;
  return new URL(c.req.url).protocol === 'https:';
}

const cookieName = (secure: boolean) => (secure ? '__Host-nedenfra_console' : 'nedenfra_console');

function sessionCookie(ctx: ConsoleContext, c: Context): string | undefined {
  return getCookie(c, cookieName(isHttps(ctx, c)));
}

function setSessionCookie(ctx: ConsoleContext, c: Context, id: string): void {
  const secure = isHttps(ctx, c);
  setCookie(c, cookieName(secure), id, {
    httpOnly: true,
    sameSite: 'Strict',
    secure,
    path: '/',
    maxAge: Math.floor(ctx.settings.sessionAbsoluteMs / 1000),
  });
}

export function clearSessionCookie(ctx: ConsoleContext, c: Context): void {
  const secure = isHttps(ctx, c);
  deleteCookie(c, cookieName(secure), { path: '/', secure, httpOnly: true, sameSite: 'Strict' });
}

export function sessionView(ctx: ConsoleContext, s: Signed): SessionView {
  return {
    account: accountView(s.account),
    csrfToken: s.session.csrfToken,
    idleExpiresAt: s.session.lastSeenAt + ctx.settings.sessionIdleMs,
    absoluteExpiresAt: s.session.expiresAt,
  };
}

/** Start a session for an account that just proved who it is; ends the request's old session (rotation). */
export async function startSession(ctx: ConsoleContext, c: Context, account: AccountRow, method: 'password' | 'sso'): Promise<Signed> {
  const now = ctx.now();
  const id = randomBytes(32).toString('base64url');
  const session: SessionRow = {
    idHash: await sha256Hex(id),
    accountId: account.id,
    csrfToken: randomBytes(32).toString('base64url'),
    createdAt: now,
    lastSeenAt: now,
    expiresAt: now + ctx.settings.sessionAbsoluteMs,
  };
  const old = sessionCookie(ctx, c);
  const oldHash = old ? await sha256Hex(old) : undefined;
  await ctx.storage.write(async (tx) => {
    if (oldHash) await tx.console.deleteSession(oldHash);
    await tx.console.purgeExpired(now, ctx.settings.sessionIdleMs, 10 * 60_000);
    await tx.console.insertSession(session);
    await tx.console.updateAccount(account.id, { lastSignInAt: now });
    await audit(tx, now, { id: account.id, label: account.email }, 'session.signIn', { type: 'account', id: account.id }, { method });
  });
  setSessionCookie(ctx, c, id);
  ctx.log.info('consoleSignIn', { accountId: account.id, method });
  return { account: { ...account, lastSignInAt: now }, session };
}

/** E-mail and password, throttled per account and per address. Wrong e-mail and wrong password look the same. */
export async function signInWithPassword(ctx: ConsoleContext, c: Context, email: string, password: string): Promise<Signed> {
  const address = clientAddress(c, ctx.settings.trustProxy);
  for (const [rule, key] of [
    [LOGIN_ADDRESS_RULE, address],
    [LOGIN_ACCOUNT_RULE, email],
  ] as const) {
    const decision = await ctx.limiter.consume(rule, key);
    if (!decision.allowed) {
      ctx.log.warn('consoleSignInThrottled', { rule: rule.name });
      throw consoleError('tooManyAttempts', 'too many sign-in attempts; wait and try again', {
        retryAfterSeconds: decision.retryAfterSeconds,
      });
    }
  }
  const account = await ctx.storage.readOne((tx) => tx.console.findAccountByEmail(email));
  const ok = await verifyPassword(password, account?.passwordHash ?? null);
  if (!account || !ok || account.disabledAt !== null) {
    ctx.log.warn('consoleSignInRefused', { accountId: account?.id });
    throw consoleError('badCredentials', 'wrong e-mail or password');
  }
  await ctx.limiter.reset(LOGIN_ACCOUNT_RULE, email);
  return startSession(ctx, c, account, 'password');
}

/** The signed-in account of a request, or undefined (no cookie, unknown, expired, disabled). */
export async function currentSession(ctx: ConsoleContext, c: Context): Promise<Signed | undefined> {
  const id = sessionCookie(ctx, c);
  if (!id || id.length > 100) return undefined;
  const now = ctx.now();
  const idHash = await sha256Hex(id);
  const found = await ctx.storage.read(async (tx) => {
    const session = await tx.console.findSession(idHash);
    const account = session && (await tx.console.getAccount(session.accountId));
    return session && account ? { session, account } : undefined;
  });
  if (!found) return undefined;
  const { session, account } = found;
  const expired = session.expiresAt <= now || session.lastSeenAt + ctx.settings.sessionIdleMs <= now;
  if (expired || account.disabledAt !== null) {
    await ctx.storage.write((tx) => tx.console.deleteSession(session.idHash));
    return undefined;
  }
  if (now - session.lastSeenAt >= TOUCH_EVERY_MS) {
    await ctx.storage.write((tx) => tx.console.touchSession(session.idHash, now));
    return { account, session: { ...session, lastSeenAt: now } };
  }
  return found;
}

const safeEqual = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** Same-origin and JSON for every state-changing request, signed in or not. */
export function sameOriginOnly(ctx: ConsoleContext): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const site = c.req.header('sec-fetch-site');
    if (site && site !== 'same-origin' && site !== 'none') throw consoleError('forbidden', 'cross-site request refused');
    const origin = c.req.header('origin');
    const expected = ctx.settings.publicUrl ? new URL(ctx.settings.publicUrl).origin : new URL(c.req.url).origin;
    if (origin && origin !== expected) throw consoleError('forbidden', 'cross-origin request refused');
    if (!(c.req.header('content-type') ?? '').startsWith('application/json'))
      throw consoleError('invalidRequest', 'send JSON (Content-Type: application/json)');
    return next();
  };
}

/** Requires a live session; on state-changing requests also the CSRF token. */
export function signedIn(ctx: ConsoleContext): MiddlewareHandler<ConsoleEnv> {
  return async (c, next) => {
    const signed = await currentSession(ctx, c);
    if (!signed) {
      clearSessionCookie(ctx, c);
      throw consoleError('unauthenticated', 'sign in first');
    }
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD' && !safeEqual(c.req.header('x-csrf-token') ?? '', signed.session.csrfToken))
      throw consoleError('forbidden', 'missing or wrong CSRF token; reload the page');
    c.set('signed', signed);
    return next();
  };
}
