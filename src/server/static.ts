/**
 * Serving the built PWA next to the API, with @hono/node-server's static
 * files: the brotli/gzip files the build writes beside each text asset
 * (vite.config.ts) are sent to browsers that accept them, every file gets an
 * ETag (size + modification time, so a 304 needs no read) and a caching rule:
 * the service worker, HTML and the manifest must be revalidated every time (a
 * new deploy must be noticed); content-hashed assets are immutable.
 * Navigations to client routes fall back to index.html.
 */
import { serveStatic } from '@hono/node-server/serve-static';
import type { Env, Hono, MiddlewareHandler } from 'hono';
import { compress } from 'hono/compress';
import { etag } from 'hono/etag';
import { resolve } from 'node:path';

/** Vite names built assets like `index-B1a2c3d4.js`. */
const HASHED = /[-.][A-Za-z0-9_-]{8,}\.[a-z0-9]+$/;

function cacheControl(path: string): string {
  const name = path.split('/').pop() ?? '';
  if (name === 'sw.js' || name.endsWith('.html') || name.endsWith('.webmanifest')) return 'no-cache';
  if (path.startsWith('/assets/') && HASHED.test(name)) return 'public, max-age=31536000, immutable';
  return 'public, max-age=3600';
}

const COMPRESSIBLE = /^(text\/|application\/(javascript|json|manifest\+json)|image\/svg\+xml)/;

/** Caching headers and a stat-based ETag on what serveStatic found (it sets Content-Length and Last-Modified). */
function cachingHeaders(servedPath: (requested: string) => string): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const res = c.res;
    // Already done by an inner one (the index.html fallback runs inside the first file route).
    if (res.status !== 200 || res.headers.has('cache-control')) return;
    const length = res.headers.get('content-length');
    const modified = res.headers.get('last-modified');
    if (length && modified && !res.headers.has('etag'))
      res.headers.set('ETag', `W/"${Number(length).toString(16)}-${(Date.parse(modified) / 1000).toString(16)}"`);
    res.headers.set('Cache-Control', cacheControl(servedPath(c.req.path)));
    // The same URL is sent compressed or not depending on Accept-Encoding.
    if (COMPRESSIBLE.test(res.headers.get('content-type') ?? '') && !/accept-encoding/i.test(res.headers.get('vary') ?? ''))
      res.headers.append('Vary', 'Accept-Encoding');
  };
}

/** Mount the built app under `/` (after the API routes). */
export function mountStatic<E extends Env>(app: Hono<E>, dir: string): void {
  const root = resolve(dir);
  // Gzip on the fly only what the build left without a twin (serveStatic declares the length: small files pass).
  app.use('*', compress());
  app.use('*', etag());
  app.get(
    '*',
    cachingHeaders((p) => (p.endsWith('/') ? `${p}index.html` : p)),
    serveStatic({ root, precompressed: true }),
  );
  // A navigation to a client route (no file extension, wants HTML) gets the app shell.
  app.get(
    '*',
    async (c, next) => {
      if (/\.[^/]*$/.test(c.req.path) || !(c.req.header('accept') ?? '').includes('text/html')) return c.text('Not found', 404);
      return next();
    },
    cachingHeaders(() => '/index.html'),
    serveStatic({ root, path: 'index.html', precompressed: true }),
  );
}
