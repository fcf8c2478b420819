/**
 * Headers on every answer, API and app alike. A strict Content-Security-Policy
 * (the built app needs nothing inline and talks only to its own origin; photos
 * are shown from blob: URLs), no MIME sniffing, no referrer, no framing.
 * CORS is off (same origin only) unless an allow-list is configured.
 */
import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import { secureHeaders } from 'hono/secure-headers';

export const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'blob:', 'data:'],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  workerSrc: ["'self'"],
  manifestSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

export function securityHeaders(): MiddlewareHandler {
  return secureHeaders({
    contentSecurityPolicy: CONTENT_SECURITY_POLICY,
    xFrameOptions: 'DENY',
    referrerPolicy: 'no-referrer',
    // Browsers ignore it over plain HTTP; over HTTPS it keeps tablets from being talked down to HTTP.
    // Without includeSubDomains: other hosts under the municipality's domain are not ours to decide for.
    strictTransportSecurity: 'max-age=15552000',
  });
}

/** CORS for origins on the allow-list only (bearer tokens, never cookies). */
export function apiCors(origins: readonly string[]): MiddlewareHandler {
  const allowed = new Set(origins);
  return cors({
    origin: (origin) => (allowed.has(origin) ? origin : null),
    allowMethods: ['GET', 'HEAD', 'POST', 'PUT', 'OPTIONS'],
    allowHeaders: ['Authorization', 'Content-Type'],
    exposeHeaders: ['X-Blob-Received', 'X-Blob-Complete', 'Retry-After'],
    maxAge: 600,
  });
}
