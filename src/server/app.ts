/**
 * The municipal sync server as a Hono app. Works through `app.fetch` without
 * a socket (the client engine's fault-injection tests call it in-process) and
 * takes its clock from `now`, so time can be simulated. Every body is parsed
 * with the domain's protocol schemas on the way in and out.
 */
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { z } from 'zod';
import {
  EnrollRequest,
  HealthResponse,
  HybridLogicalClock,
  MAX_BLOB_BYTES,
  MIN_SUPPORTED_PROTOCOL,
  PROTOCOL_VERSION,
  PullRequest,
  SyncErrorBody,
} from '../domain';
import { blobStatus, isSha256, putBlobChunk, readBlob } from './blobs';
import { RETRY_AFTER_SECONDS, SyncError, syncError } from './errors';
import { jsonLogger, type Logger } from './log';
import { serveStatic } from './static';
import { StorageUnavailableError, type Unavailability } from './storage/errors';
import type { SyncStorage } from './storage/types';
import { authenticate, enroll, pull, push, PushEnvelope, type SyncContext } from './sync';

export interface AppOptions {
  storage: SyncStorage;
  /** Epoch ms; injectable so tests can move time. */
  now?: () => number;
  /** Built PWA (dist/) to serve next to the API. */
  staticDir?: string;
  log?: Logger;
}

/** A full push batch of long texts stays far below this; anything bigger is not a tablet. */
const MAX_PUSH_BODY_BYTES = 20 * 1024 * 1024;

const STORAGE_UNAVAILABLE_MESSAGE: Record<Unavailability, string> = {
  busy: 'another request for the same device or record is in progress; retry shortly',
  unavailable: 'the database is unavailable right now; retry shortly',
};

const tooLarge = (): never => {
  throw syncError('tooLarge', 'request body too large');
};

function checkProtocol(protocol: number) {
  if (protocol < MIN_SUPPORTED_PROTOCOL)
    throw syncError('clientTooOld', `protocol ${protocol} is no longer supported; update the app`, { minProtocol: MIN_SUPPORTED_PROTOCOL });
  if (protocol > PROTOCOL_VERSION)
    throw syncError('serverTooOld', `this server speaks protocol ${PROTOCOL_VERSION}, the app needs ${protocol}`);
}

/** Checked before the body schema: an old app's body may no longer parse, and it should hear "update". */
function checkProtocolOf(body: unknown) {
  const protocol = (body as { protocol?: unknown } | null)?.protocol;
  if (typeof protocol === 'number') checkProtocol(protocol);
}

function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw syncError('invalidRequest', z.prettifyError(parsed.error));
  return parsed.data;
}

async function jsonBody(c: Context): Promise<unknown> {
  try {
    return await c.req.json();
  } catch {
    throw syncError('invalidRequest', 'the body is not valid JSON');
  }
}

export function createApp(opts: AppOptions): Hono {
  const now = opts.now ?? (() => Date.now());
  const log = opts.log ?? jsonLogger();
  const ctx: SyncContext = { storage: opts.storage, now, log, clock: new HybridLogicalClock('server', now) };
  const app = new Hono();

  app.onError((thrown, c) => {
    let err = thrown;
    if (err instanceof StorageUnavailableError) {
      // Neither the request's fault nor a bug: a retryable answer, and the tablet keeps its outbox.
      log.warn('storageUnavailable', {
        method: c.req.method,
        path: c.req.routePath,
        reason: err.reason,
        message: err.message.slice(0, 200),
      });
      err = syncError(err.reason, STORAGE_UNAVAILABLE_MESSAGE[err.reason]);
    }
    if (err instanceof SyncError) {
      const retryAfter = RETRY_AFTER_SECONDS[err.body.error];
      return c.json(SyncErrorBody.parse(err.body), err.status as 400, retryAfter ? { 'Retry-After': String(retryAfter) } : {});
    }
    log.error('internal', { method: c.req.method, path: c.req.routePath, error: err.name, message: err.message.slice(0, 200) });
    return c.json(SyncErrorBody.parse({ error: 'internal', message: 'internal server error; retry later' }), 500);
  });

  // Tablets may load the app from another origin (development, a CDN). Auth is a
  // bearer token, never a cookie, so allowing any origin grants nothing ambient.
  app.use(
    '/api/*',
    cors({
      origin: '*',
      allowMethods: ['GET', 'HEAD', 'POST', 'PUT', 'OPTIONS'],
      allowHeaders: ['Authorization', 'Content-Type'],
      exposeHeaders: ['X-Blob-Received', 'X-Blob-Complete'],
      maxAge: 600,
    }),
  );

  // For load balancers too: 200 only if the database answered (one plain read, which waits for no row
  // lock); otherwise 503 `unavailable` through onError.
  app.get('/api/v1/health', async (c) => {
    const state = await opts.storage.readOne((tx) => tx.state());
    return c.json(
      HealthResponse.parse({
        status: 'ok',
        protocol: PROTOCOL_VERSION,
        storage: opts.storage.kind,
        epoch: state.epoch,
        time: new Date(now()).toISOString(),
      }),
    );
  });

  app.post('/api/v1/enroll', async (c) => {
    const raw = await jsonBody(c);
    checkProtocolOf(raw);
    return c.json(await enroll(ctx, parseOrThrow(EnrollRequest, raw)));
  });

  app.post('/api/v1/push', bodyLimit({ maxSize: MAX_PUSH_BODY_BYTES, onError: tooLarge }), async (c) => {
    const raw = await jsonBody(c);
    checkProtocolOf(raw);
    const device = await authenticate(ctx, c.req.header('authorization'));
    return c.json(await push(ctx, device, parseOrThrow(PushEnvelope, raw)));
  });

  app.get('/api/v1/pull', async (c) => {
    const q = c.req.query();
    const protocol = Number(q.protocol);
    if (Number.isInteger(protocol)) checkProtocol(protocol);
    const req = parseOrThrow(PullRequest, {
      protocol: q.protocol,
      epoch: q.epoch ? q.epoch : null,
      cursor: q.cursor || undefined,
      limit: q.limit || undefined,
    });
    const device = await authenticate(ctx, c.req.header('authorization'));
    return c.json(await pull(ctx, device, req));
  });

  const blobHash = (c: Context) => {
    const sha256 = c.req.param('sha256') ?? '';
    if (!isSha256(sha256)) throw syncError('invalidRequest', 'blob name must be a lowercase hex SHA-256');
    return sha256;
  };

  // Content-addressed: the 256-bit hash is the capability, so reads need no token.
  // Hono answers HEAD with the GET route, so HEAD is handled here.
  app.get('/api/v1/blobs/:sha256', async (c) => {
    const sha256 = blobHash(c);
    if (c.req.method === 'HEAD') {
      const status = await blobStatus(ctx, sha256);
      return c.body(null, status.complete ? 200 : 404, {
        'X-Blob-Received': String(status.received),
        'X-Blob-Complete': String(status.complete),
      });
    }
    if (c.req.query('status') !== undefined) return c.json(await blobStatus(ctx, sha256));
    const bytes = await readBlob(ctx, sha256);
    if (!bytes) return c.json(SyncErrorBody.parse({ error: 'invalidRequest', message: 'no complete blob with this hash' }), 404);
    return c.body(new Uint8Array(bytes), 200, {
      'Content-Type': 'application/octet-stream',
      'Cache-Control': 'private, max-age=31536000, immutable',
    });
  });

  app.put('/api/v1/blobs/:sha256', bodyLimit({ maxSize: MAX_BLOB_BYTES, onError: tooLarge }), async (c) => {
    const sha256 = blobHash(c);
    const device = await authenticate(ctx, c.req.header('authorization'));
    const offset = parseOrThrow(z.coerce.number().int().min(0).default(0), c.req.query('offset') || undefined);
    const total = parseOrThrow(z.coerce.number().int().min(1).nullable(), c.req.query('total') || null);
    const chunk = Buffer.from(await c.req.arrayBuffer());
    return c.json(await putBlobChunk(ctx, device.deviceId, sha256, offset, total, chunk));
  });

  app.all('/api/*', (c) => c.json(SyncErrorBody.parse({ error: 'invalidRequest', message: 'no such endpoint' }), 404));

  if (opts.staticDir) {
    const dir = opts.staticDir;
    app.get('*', (c) => serveStatic(dir, c.req.path, c.req.header('accept')));
  }
  return app;
}
