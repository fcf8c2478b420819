/**
 * The server's settings, from the environment (README: "Put it on the
 * municipal network"). Read once at start and checked: a setting that cannot
 * work stops the server with a message naming it, rather than half-working.
 *
 *   PORT (8080), HOST (0.0.0.0)
 *   PUBLIC_URL      the address tablets open, e.g. https://nedenfra.kommune.no
 *   TLS_CERT, TLS_KEY   PEM files: serve HTTPS directly (both or neither)
 *   TRUST_PROXY     1/true behind a TLS-terminating reverse proxy: client address from X-Forwarded-For
 *   CORS_ORIGINS    comma-separated origins allowed to call the API from elsewhere (none by default)
 *   PHOTO_QUOTA_MB  photo storage per unit (2048)
 *   RETENTION_DAYS  tombstones and the conflict log are purged after this many days (90)
 *   RETENTION_CHECK_MINUTES  how often the server looks for what to purge (60)
 *   BACKUP_DIR      where `admin backup` writes the server's own backups (./data/backups); erasures rewrite them
 */
import { z } from 'zod';
import { DEFAULT_PHOTO_QUOTA_BYTES } from './blobs';
import { DEFAULT_RETENTION_CHECK_MINUTES, DEFAULT_RETENTION_DAYS, type RetentionSettings } from './retention';

export interface ServerConfig {
  port: number;
  host: string;
  /** Without a trailing slash; null: the server makes one up from its address. */
  publicUrl: string | null;
  tls: { certFile: string; keyFile: string } | null;
  trustProxy: boolean;
  corsOrigins: string[];
  photoQuotaBytesPerUnit: number;
  retention: RetentionSettings;
}

const unset = (v: unknown) => (v === '' ? undefined : v);
const httpUrl = z.url({ protocol: /^https?$/ });
const flag = z.enum(['1', 'true', 'yes', 'on', '0', 'false', 'no', 'off']).transform((v) => ['1', 'true', 'yes', 'on'].includes(v));

const Env = z
  .object({
    PORT: z.preprocess(unset, z.coerce.number().int().min(0).max(65535).default(8080)),
    HOST: z.preprocess(unset, z.string().default('0.0.0.0')),
    PUBLIC_URL: z.preprocess(unset, httpUrl.optional()),
    TLS_CERT: z.preprocess(unset, z.string().optional()),
    TLS_KEY: z.preprocess(unset, z.string().optional()),
    TRUST_PROXY: z.preprocess((v) => (typeof v === 'string' ? unset(v.toLowerCase()) : v), flag.default(false)),
    CORS_ORIGINS: z.preprocess(
      unset,
      z
        .string()
        .optional()
        .transform((v) =>
          (v ?? '')
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean),
        )
        .pipe(z.array(httpUrl.refine((u) => new URL(u).origin === u.replace(/\/$/, ''), 'an origin: scheme, host and port, no path'))),
    ),
    PHOTO_QUOTA_MB: z.preprocess(unset, z.coerce.number().positive().optional()),
    RETENTION_DAYS: z.preprocess(unset, z.coerce.number().int().min(1).max(36_500).default(DEFAULT_RETENTION_DAYS)),
    RETENTION_CHECK_MINUTES: z.preprocess(unset, z.coerce.number().int().min(1).max(10_080).default(DEFAULT_RETENTION_CHECK_MINUTES)),
  })
  .refine((e) => (e.TLS_CERT === undefined) === (e.TLS_KEY === undefined), {
    message: 'set both TLS_CERT and TLS_KEY (PEM files), or neither',
    path: ['TLS_CERT'],
  });

export function serverConfigFromEnv(env: NodeJS.ProcessEnv): ServerConfig {
  const parsed = Env.safeParse(env);
  if (!parsed.success) throw new Error(`invalid server settings:\n${z.prettifyError(parsed.error)}`);
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    publicUrl: e.PUBLIC_URL ? e.PUBLIC_URL.replace(/\/+$/, '') : null,
    tls: e.TLS_CERT && e.TLS_KEY ? { certFile: e.TLS_CERT, keyFile: e.TLS_KEY } : null,
    trustProxy: e.TRUST_PROXY,
    corsOrigins: e.CORS_ORIGINS.map((o) => new URL(o).origin),
    photoQuotaBytesPerUnit: e.PHOTO_QUOTA_MB ? Math.round(e.PHOTO_QUOTA_MB * 1024 ** 2) : DEFAULT_PHOTO_QUOTA_BYTES,
    retention: { days: e.RETENTION_DAYS, checkEveryMs: e.RETENTION_CHECK_MINUTES * 60_000 },
  };
}

/** Browsers treat these as secure even over plain HTTP; nothing else. */
function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname.endsWith('.localhost') || /^127\./.test(hostname) || hostname === '[::1]';
}

/**
 * What to tell a person about to hand `url` to tablets, or null if it is fine.
 * Over plain HTTP on the network a browser gives the app no secure context:
 * no service worker (no offline use at all), no WebCrypto (no leader PIN,
 * no photos).
 */
export function insecureUrlWarning(url: string): string | null {
  const u = new URL(url);
  if (u.protocol !== 'http:' || isLoopback(u.hostname)) return null;
  return [
    `Tablets need HTTPS: opened as ${u.origin} the app cannot work offline, keep a leader PIN or read photos.`,
    'Either set TLS_CERT and TLS_KEY (PEM files) so this server speaks HTTPS itself, or put it behind a',
    'TLS reverse proxy (Caddy, nginx) with TRUST_PROXY=1, and set PUBLIC_URL=https://… to the address tablets open.',
    'README, "Put it on the municipal network", shows how.',
  ].join('\n');
}
