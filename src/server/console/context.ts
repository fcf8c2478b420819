/**
 * What the console's server modules share: storage, clock, log, limits and
 * settings. Settings come from the environment (main.ts: consoleSettingsFromEnv);
 * tests pass them directly.
 */
import type { HybridLogicalClock } from '../../domain';
import type { Role } from '../../domain/console/roles';
import type { Logger } from '../log';
import type { RateLimiter, RateLimitRule } from '../rateLimit';
import type { SyncStorage } from '../storage/types';

export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The claim that carries group or role names (Entra ID: `roles` or `groups`). */
  roleClaim: string;
  /** Claim value → console role. */
  roleMap: Record<string, Role>;
  scopes: string;
}

export interface ConsoleSettings {
  /** The server's public address (PUBLIC_URL), for links, Secure cookies and the same-origin check. */
  publicUrl: string | null;
  /** Trust X-Forwarded-For / -Proto from a reverse proxy (TRUST_PROXY=1). */
  trustProxy: boolean;
  /** A session ends after this long without a request … */
  sessionIdleMs: number;
  /** … and this long after sign-in, whatever happens. */
  sessionAbsoluteMs: number;
  oidc: OidcSettings | null;
}

export const DEFAULT_CONSOLE_SETTINGS: ConsoleSettings = {
  publicUrl: null,
  trustProxy: false,
  sessionIdleMs: 30 * 60_000,
  sessionAbsoluteMs: 12 * 3_600_000,
  oidc: null,
};

export interface ConsoleContext {
  storage: SyncStorage;
  /** The server's hybrid logical clock: the console's writes of synced records are stamped with it. */
  clock: HybridLogicalClock;
  now: () => number;
  log: Logger;
  limiter: RateLimiter;
  settings: ConsoleSettings;
}

/** Sign-in attempts: per account (guessing one password) and per address (trying many accounts). */
export const LOGIN_ACCOUNT_RULE: RateLimitRule = { name: 'login-account', points: 5, windowSeconds: 15 * 60 };
export const LOGIN_ADDRESS_RULE: RateLimitRule = { name: 'login-address', points: 30, windowSeconds: 15 * 60 };
/** One-time links: a token is 256 bits, but a flood of guesses still costs hashing work. */
export const LINK_ADDRESS_RULE: RateLimitRule = { name: 'password-link-address', points: 30, windowSeconds: 15 * 60 };

/** Read the console settings from the environment (see README, "The municipal console"). */
/** The console's own settings; `trustProxy` is the server's (TRUST_PROXY in config.ts), which app.ts passes in. */
export function consoleSettingsFromEnv(env: NodeJS.ProcessEnv): Omit<ConsoleSettings, 'trustProxy'> {
  const minutes = (v: string | undefined, fallback: number) => {
    const n = Number(v);
    return Number.isFinite(n) && n > 0 ? n * 60_000 : fallback;
  };
  const issuer = env.OIDC_ISSUER?.trim();
  const oidc: OidcSettings | null =
    issuer && env.OIDC_CLIENT_ID
      ? {
          issuer,
          clientId: env.OIDC_CLIENT_ID,
          clientSecret: env.OIDC_CLIENT_SECRET ?? '',
          roleClaim: env.OIDC_ROLE_CLAIM?.trim() || 'roles',
          roleMap: parseRoleMap(env.OIDC_ROLE_MAP ?? ''),
          scopes: env.OIDC_SCOPES?.trim() || 'openid email profile',
        }
      : null;
  return {
    publicUrl: env.PUBLIC_URL?.replace(/\/+$/, '') || null,
    sessionIdleMs: minutes(env.CONSOLE_SESSION_IDLE_MINUTES, DEFAULT_CONSOLE_SETTINGS.sessionIdleMs),
    sessionAbsoluteMs: minutes(env.CONSOLE_SESSION_MAX_MINUTES, DEFAULT_CONSOLE_SETTINGS.sessionAbsoluteMs),
    oidc,
  };
}

/** `claimValue=role,claimValue=role` (e.g. `Nedenfra.Admin=administrator,Nedenfra.Leder=unitLeader`). */
export function parseRoleMap(text: string): Record<string, Role> {
  const map: Record<string, Role> = {};
  for (const pair of text.split(',')) {
    const at = pair.lastIndexOf('=');
    if (at <= 0) continue;
    const value = pair.slice(0, at).trim();
    const role = pair.slice(at + 1).trim();
    if (role === 'administrator' || role === 'adviser' || role === 'unitLeader') map[value] = role;
    else throw new Error(`OIDC_ROLE_MAP: unknown role "${role}" (use administrator, adviser or unitLeader)`);
  }
  return map;
}
