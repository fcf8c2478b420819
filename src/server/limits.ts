/**
 * Limits that hold before any work is done for a request: how much body a
 * route may receive (checked from Content-Length, and counted while a
 * streamed body is read, never after), how deeply a JSON body may nest, and
 * how many requests one client may have in flight at once. Anything
 * reachable from the network is reachable by an attacker; these keep one
 * client from taking the server's memory or time away from the others.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { SyncError, syncError, tooManyRequests } from './errors';

/** Bodies on any route that does not declare a larger limit (a form, a small JSON request). */
export const DEFAULT_BODY_LIMIT = 64 * 1024;

/**
 * Bounds every request body: a declared Content-Length over the route's limit
 * is refused before a byte is read; a streamed (chunked) body is counted as
 * the handler reads it and fails with 413 at the first byte over.
 */
export function limitBodies(limitFor: (method: string, path: string) => number): MiddlewareHandler {
  return async (c, next) => {
    const max = limitFor(c.req.method, c.req.path);
    const declared = c.req.header('content-length');
    if (declared !== undefined && !(Number(declared) <= max)) throw bodyTooLarge(max);
    const body = c.req.raw.body;
    if (body && declared === undefined) {
      let seen = 0;
      const counted = body.pipeThrough(
        new TransformStream<Uint8Array, Uint8Array>({
          transform(chunk, controller) {
            seen += chunk.byteLength;
            if (seen > max) controller.error(bodyTooLarge(max));
            else controller.enqueue(chunk);
          },
        }),
      );
      c.req.raw = new Request(c.req.raw, streamedBody(counted));
    }
    await next();
  };
}

/**
 * A Request init that streams `body`. Node's fetch requires `duplex: 'half'` for a
 * stream body; the DOM's RequestInit type (which some server dependencies pull in) lacks it.
 */
const streamedBody = (body: ReadableStream<Uint8Array>): RequestInit & { duplex: 'half' } => ({ body, duplex: 'half' });

const bodyTooLarge = (max: number) => syncError('tooLarge', `request body larger than ${max} bytes`);

/**
 * The request body's bytes (within the route's limit, see limitBodies), read
 * into one buffer as they arrive: a declared length is allocated once, so a
 * large body is held once, not as chunks plus a copy.
 */
export async function readBody(c: Context): Promise<Buffer> {
  const body = c.req.raw.body;
  if (!body) return Buffer.alloc(0);
  const declared = Number(c.req.header('content-length'));
  const reader: ReadableStreamDefaultReader<Uint8Array> = body.getReader();
  let out = Buffer.allocUnsafe(Number.isSafeInteger(declared) && declared > 0 ? declared : 64 * 1024);
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (size + value.byteLength > out.length) {
        const grown = Buffer.allocUnsafe(Math.max(size + value.byteLength, out.length * 2));
        out.copy(grown, 0, 0, size);
        out = grown;
      }
      out.set(value, size);
      size += value.byteLength;
    }
  } catch (err) {
    if (err instanceof SyncError) throw err;
    throw syncError('invalidRequest', 'the request body could not be read');
  }
  return out.subarray(0, size);
}

/** Objects and arrays nest this deep at most; the protocol's own bodies nest fewer than 10 levels. */
export const MAX_JSON_DEPTH = 32;

/** True when `text` opens more than `max` objects/arrays inside each other (a linear scan, no recursion). */
export function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c)
        i++; // backslash: skip the escaped character
      else if (ch === 0x22) inString = false;
    } else if (ch === 0x22) inString = true;
    else if (ch === 0x7b || ch === 0x5b) {
      if (++depth > max) return true;
    } else if (ch === 0x7d || ch === 0x5d) depth--;
  }
  return false;
}

/**
 * The request body as JSON, bounded in size and depth: deeply nested input
 * would otherwise reach recursive code later (stringify, validation) and
 * end as a stack overflow instead of a 400.
 */
export async function readJson(c: Context): Promise<unknown> {
  const text = (await readBody(c)).toString('utf8');
  if (nestsDeeperThan(text, MAX_JSON_DEPTH)) throw syncError('invalidRequest', `the JSON body nests deeper than ${MAX_JSON_DEPTH} levels`);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw syncError('invalidRequest', 'the body is not valid JSON');
  }
}

/**
 * At most `max` requests in flight per client key (a device, an address);
 * one more is answered 429 at once, so one client cannot hold many large
 * bodies in memory together. The count is per process: it bounds this
 * process's memory, which is what it protects.
 */
export function concurrencyLimit(max: number, keyOf: (c: Context) => string): MiddlewareHandler {
  const inFlight = new Map<string, number>();
  return async (c, next) => {
    const key = keyOf(c);
    const n = inFlight.get(key) ?? 0;
    if (n >= max) throw tooManyRequests(`more than ${max} requests at once from this client; retry when one has finished`, 1);
    inFlight.set(key, n + 1);
    try {
      await next();
    } finally {
      const left = (inFlight.get(key) ?? 1) - 1;
      if (left > 0) inFlight.set(key, left);
      else inFlight.delete(key);
    }
  };
}

/**
 * At most `maxBytes` of request bodies held at once, across all clients: a
 * body is held several times over while it is read, decoded and parsed, so
 * two large ones from different devices could still take the memory one
 * device may not. A declared body that does not fit beside those being
 * handled is answered 429 at once, before it is read; a streamed one is
 * counted as it arrives. Ordinary pushes are a few KB and never wait.
 */
export function bodyBudget(maxBytes: number): MiddlewareHandler {
  let held = 0;
  return async (c, next) => {
    let mine = 0;
    const take = (n: number) => {
      if (held > 0 && held + n > maxBytes) throw tooManyRequests('the server is receiving other large requests; retry shortly', 1);
      held += n;
      mine += n;
    };
    try {
      const declared = c.req.header('content-length');
      const body = c.req.raw.body;
      if (declared !== undefined) take(Number(declared));
      else if (body) {
        const counted = body.pipeThrough(
          new TransformStream<Uint8Array, Uint8Array>({
            transform(chunk, controller) {
              try {
                take(chunk.byteLength);
                controller.enqueue(chunk);
              } catch (err) {
                controller.error(err);
              }
            },
          }),
        );
        c.req.raw = new Request(c.req.raw, streamedBody(counted));
      }
      await next();
    } finally {
      held -= mine;
    }
  };
}
