/**
 * Single sign-on with OpenID Connect (Entra ID, ID-porten, any compliant
 * provider) through openid-client: authorization code flow with PKCE, state
 * and nonce. The state, verifier and nonce live in the database for ten
 * minutes (several instances may share one sign-in), found by the state's
 * SHA-256 and deleted on use.
 *
 * Who the person is: an account already linked to the provider's subject;
 * else an account with the same (verified) e-mail, which gets linked; else a
 * new account, if the role claim maps to a role. The role claim (e.g. Entra
 * ID's `roles` or `groups`) decides the role at every sign-in when it maps to
 * one; a person whose claims map to no role and who has no account is refused.
 */
import * as client from 'openid-client';
import { newId } from '../../domain';
import type { Role } from '../../domain/console/roles';
import { sha256Hex } from '../../domain';
import type { AccountRow } from '../storage/types';
import { audit } from './audit';
import type { ConsoleContext, OidcSettings } from './context';
import { consoleError } from './errors';

export const OIDC_LOGIN_MAX_AGE_MS = 10 * 60_000;
const ROLE_PRIORITY: Role[] = ['administrator', 'adviser', 'unitLeader'];

/** Plain HTTP only to a provider on this machine (tests, a local provider); anywhere else it must be HTTPS. */
const isLoopback = (url: URL) => ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);

let cached: { key: string; config: Promise<client.Configuration> } | undefined;

function configuration(settings: OidcSettings): Promise<client.Configuration> {
  const key = `${settings.issuer}\u0000${settings.clientId}`;
  if (cached?.key !== key) {
    const issuer = new URL(settings.issuer);
    const config = client.discovery(
      issuer,
      settings.clientId,
      settings.clientSecret,
      undefined,
      isLoopback(issuer) ? { execute: [client.allowInsecureRequests] } : undefined,
    );
    cached = { key, config };
    // A failed discovery is retried at the next sign-in, not remembered.
    config.catch(() => {
      if (cached?.config === config) cached = undefined;
    });
  }
  return cached.config;
}

export function callbackUrl(baseUrl: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/kommune/api/sso/callback`;
}

/** Where to send the browser to sign in. */
export async function startSso(ctx: ConsoleContext, baseUrl: string): Promise<URL> {
  const settings = ctx.settings.oidc;
  if (!settings) throw consoleError('notFound', 'single sign-on is not configured');
  const config = await configuration(settings).catch((e: unknown) => {
    ctx.log.warn('ssoDiscoveryFailed', { message: e instanceof Error ? e.message.slice(0, 200) : 'error' });
    throw consoleError('ssoFailed', 'the identity provider could not be reached');
  });
  const codeVerifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const stateHash = await sha256Hex(state);
  await ctx.storage.write((tx) => tx.console.insertOidcLogin({ stateHash, codeVerifier, nonce, createdAt: ctx.now() }));
  return client.buildAuthorizationUrl(config, {
    redirect_uri: callbackUrl(baseUrl),
    scope: settings.scopes,
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  });
}

/** The console role the claims map to (the most powerful one when several match), or null. */
export function roleFromClaims(settings: OidcSettings, claims: Record<string, unknown>): Role | null {
  const raw = claims[settings.roleClaim];
  const values = Array.isArray(raw) ? raw.map(String) : typeof raw === 'string' ? raw.split(/[\s,]+/) : [];
  const roles = new Set(values.flatMap((v) => (settings.roleMap[v] ? [settings.roleMap[v]] : [])));
  return ROLE_PRIORITY.find((r) => roles.has(r)) ?? null;
}

/** Finish the sign-in from the provider's redirect; returns the account to start a session for. */
export async function finishSso(ctx: ConsoleContext, callback: URL): Promise<AccountRow> {
  const settings = ctx.settings.oidc;
  if (!settings) throw consoleError('notFound', 'single sign-on is not configured');
  const state = callback.searchParams.get('state') ?? '';
  const stateHash = state ? await sha256Hex(state) : undefined;
  const login = stateHash ? await ctx.storage.write((tx) => tx.console.takeOidcLogin(stateHash)) : undefined;
  if (!login || ctx.now() - login.createdAt > OIDC_LOGIN_MAX_AGE_MS)
    throw consoleError('ssoFailed', 'the sign-in expired or was already used');
  let claims: Record<string, unknown>;
  try {
    const tokens = await client.authorizationCodeGrant(await configuration(settings), callback, {
      pkceCodeVerifier: login.codeVerifier,
      expectedState: state,
      expectedNonce: login.nonce,
      idTokenExpected: true,
    });
    claims = { ...(tokens.claims() ?? {}) };
  } catch (e) {
    ctx.log.warn('ssoRefused', { message: e instanceof Error ? e.message.slice(0, 200) : 'error' });
    throw consoleError('ssoFailed', 'the identity provider did not confirm the sign-in');
  }
  const subject = `${String(claims.iss)} ${String(claims.sub)}`;
  const email = typeof claims.email === 'string' && claims.email_verified !== false ? claims.email.trim().toLowerCase() : null;
  const role = roleFromClaims(settings, claims);
  const name = typeof claims.name === 'string' && claims.name.trim() ? claims.name.trim().slice(0, 120) : (email ?? String(claims.sub));
  const now = ctx.now();
  return ctx.storage.write(async (tx) => {
    let account = (await tx.console.findAccountBySubject(subject)) ?? (email ? await tx.console.findAccountByEmail(email) : undefined);
    if (account?.oidcSubject && account.oidcSubject !== subject) account = undefined; // that e-mail belongs to another identity
    if (!account) {
      if (!role || !email) throw consoleError('forbidden', 'your account has no role in Nedenfra; ask the administrator');
      account = {
        id: newId(now),
        email,
        name,
        role,
        unitId: null,
        passwordHash: null,
        oidcSubject: subject,
        createdAt: now,
        disabledAt: null,
        lastSignInAt: null,
      };
      await tx.console.insertAccount(account);
      await audit(
        tx,
        now,
        { id: account.id, label: email },
        'account.create',
        { type: 'account', id: account.id },
        { email, role, sso: true },
      );
      return account;
    }
    if (account.disabledAt !== null) throw consoleError('forbidden', 'this account is disabled');
    const patch: Partial<AccountRow> = {};
    if (account.oidcSubject !== subject) patch.oidcSubject = subject;
    if (role && role !== account.role) patch.role = role;
    if (Object.keys(patch).length > 0) {
      await tx.console.updateAccount(account.id, patch);
      await audit(
        tx,
        now,
        { id: account.id, label: account.email },
        'account.update',
        { type: 'account', id: account.id },
        {
          role: patch.role ?? account.role,
          sso: true,
        },
      );
      account = { ...account, ...patch };
    }
    return account;
  });
}
