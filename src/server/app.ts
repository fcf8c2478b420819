/**
 * The municipal sync server as a Hono app. Works through `app.fetch` without
 * a socket (the client engine's fault-injection tests call it in-process) and
 * takes its clock from `now`, so time can be simulated. Every body is parsed
 * with the domain's protocol schemas on the way in and out.
 *
 * Anything reachable from the network is reachable by an attacker, so every
 * request is bounded before work (limits.ts): a body limit per route applied
 * while reading, authentication before a push or upload body is read, JSON
 * depth, requests in flight per client, bytes of bodies in flight
 * server-wide, and throttled enrollment and token guesses per source address
 * (rateLimit.ts). Every answer carries the security headers (headers.ts).
 */
import { Hono, type Context } from 'hono';
import { compress } from 'hono/compress';
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
import { blobStatus, DEFAULT_PHOTO_QUOTA_BYTES, imageTypeOf, isSha256, putBlobChunk, readBlob } from './blobs';
import { consoleApi } from './console/api';
import type { ConsoleSettings } from './console/context';
import { RETRY_AFTER_SECONDS, SyncError, syncError, tooManyRequests } from './errors';
import { apiCors, securityHeaders } from './headers';
import { bodyBudget, concurrencyLimit, DEFAULT_BODY_LIMIT, limitBodies, readBody, readJson } from './limits';
import { jsonLogger, type Logger } from './log';
import { addressKey, clientAddress, rateLimiterFor, type RateLimiter, type RateLimitRule } from './rateLimit';
import { mountStatic } from './static';
import { eraseInBackups } from './backups';
import { StorageUnavailableError, type Unavailability } from './storage/errors';
import type { Device, SyncStorage } from './storage/types';
import { authenticate, enroll, pull, push, PushEnvelope, type SyncContext } from './sync';

export interface AppOptions {
  storage: SyncStorage;
  /** Epoch ms; injectable so tests can move time. */
  now?: () => number;
  /** Built PWA (dist/) to serve next to the API. */
  staticDir?: string;
  log?: Logger;
  /** Behind a reverse proxy: take the client address from X-Forwarded-For (its last entry). */
  trustProxy?: boolean;
  /** Origins allowed to call the API from another origin (CORS); none by default: same origin only. */
  corsOrigins?: readonly string[];
  /** Default: shared through PostgreSQL, per process on SQLite (rateLimiterFor). */
  rateLimiter?: RateLimiter;
  photoQuotaBytesPerUnit?: number;
  /** The municipal console's settings (sessions, SSO, public URL); see src/server/console/context.ts. */
  console?: Partial<ConsoleSettings>;
  /** Where the server's own backups are (backups.ts): an erasure rewrites them too. None: no backups to rewrite. */
  backupDir?: string;
}

type AppEnv = { Variables: { device: Device } };

/** A full push batch of long texts stays far below this; anything bigger is not a tablet. */
const MAX_PUSH_BODY_BYTES = 20 * 1024 * 1024;
/** An enrollment request is a code, a label and a version. */
const MAX_ENROLL_BODY_BYTES = 4 * 1024;

const STORAGE_UNAVAILABLE_MESSAGE: Record<Unavailability, string> = {
  busy: 'another request for the same device or record is in progress; retry shortly',
  unavailable: 'the database is unavailable right now; retry shortly',
};

function bodyLimitFor(method: string, path: string): number {
  if (method === 'POST' && path === '/api/v1/push') return MAX_PUSH_BODY_BYTES;
  if (method === 'PUT' && path.startsWith('/api/v1/blobs/')) return MAX_BLOB_BYTES;
  if (method === 'POST' && path === '/api/v1/enroll') return MAX_ENROLL_BODY_BYTES;
  return DEFAULT_BODY_LIMIT;
}

/**
 * Pull answers this large or larger are gzipped (a first pull of a unit is
 * hundreds of KB of JSON over a break room's Wi-Fi); the everyday pull of a
 * few changes is not worth the time it takes.
 */
const COMPRESS_JSON_FROM_BYTES = 16 * 1024;

/** A JSON answer with its length declared, so compress() can tell small from large. */
function jsonWithLength(c: Context, value: unknown): Response {
  const text = JSON.stringify(value);
  return c.body(text, 200, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(text)) });
}

/** Wrong enrollment codes per address: 10 per 10 minutes (a success clears the count). */
export const ENROLL_RULE: RateLimitRule = { name: 'enroll', points: 10, windowSeconds: 600 };
/** Refused device tokens per address: a revoked tablet retrying is a handful; a guesser is not. */
export const TOKEN_RULE: RateLimitRule = { name: 'token', points: 20, windowSeconds: 600 };
/** Requests in flight at once: per enrolled device, and per address for requests without a token. */
const MAX_IN_FLIGHT_PER_DEVICE = 2;
const MAX_IN_FLIGHT_PER_ADDRESS = 16;
/** Push and upload bodies held at once, server-wide: one full push and then some (a body costs ~3× its size while parsed). */
const MAX_BODY_BYTES_IN_FLIGHT = 32 * 1024 * 1024;

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

export function createApp(opts: AppOptions): Hono<AppEnv> {
  const now = opts.now ?? (() => Date.now());
  const backupDir = opts.backupDir;
  const log = opts.log ?? jsonLogger();
  const ctx: SyncContext = { storage: opts.storage, now, log, clock: new HybridLogicalClock('server', now) };
  const limiter = opts.rateLimiter ?? rateLimiterFor(opts.storage, now);
  const trustProxy = opts.trustProxy ?? false;
  const photoQuota = opts.photoQuotaBytesPerUnit ?? DEFAULT_PHOTO_QUOTA_BYTES;
  const addressOf = (c: Context) => clientAddress(c, trustProxy);
  const app = new Hono<AppEnv>();

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
      const retryAfter = err.retryAfterSeconds ?? RETRY_AFTER_SECONDS[err.body.error];
      if (retryAfter !== undefined) c.header('Retry-After', String(retryAfter));
      return c.json(SyncErrorBody.parse(err.body), err.status as 400);
    }
    log.error('internal', { method: c.req.method, path: c.req.routePath, error: err.name, message: err.message.slice(0, 200) });
    return c.json(SyncErrorBody.parse({ error: 'internal', message: 'internal server error; retry later' }), 500);
  });

  app.use('*', securityHeaders());
  if (opts.corsOrigins?.length) app.use('/api/*', apiCors(opts.corsOrigins));
  app.use('*', limitBodies(bodyLimitFor));

  /** The device behind the bearer token; refused tokens count against the address (TOKEN_RULE). */
  async function deviceOf(c: Context): Promise<Device> {
    const address = addressOf(c);
    try {
      return await authenticate(ctx, c.req.header('authorization'), address);
    } catch (err) {
      if (!(err instanceof SyncError) || err.body.error !== 'unauthorized') throw err;
      const decision = await limiter.consume(TOKEN_RULE, addressKey(address));
      if (decision.allowed) throw err;
      log.warn('authThrottled', { address, retryAfterSeconds: decision.retryAfterSeconds });
      throw tooManyRequests('too many refused tokens from this address; wait and try again', decision.retryAfterSeconds);
    }
  }

  const perDevice = concurrencyLimit(MAX_IN_FLIGHT_PER_DEVICE, (c) => (c as Context<AppEnv>).get('device').deviceId);
  const perAddress = concurrencyLimit(MAX_IN_FLIGHT_PER_ADDRESS, (c) => addressKey(addressOf(c)));
  const largeBodies = bodyBudget(MAX_BODY_BYTES_IN_FLIGHT);
  const withDevice = async (c: Context<AppEnv>, next: () => Promise<void>) => {
    c.set('device', await deviceOf(c));
    await next();
  };

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

  app.post('/api/v1/enroll', perAddress, async (c) => {
    const address = addressOf(c);
    const key = addressKey(address);
    const decision = await limiter.consume(ENROLL_RULE, key);
    if (!decision.allowed) {
      log.warn('enrollThrottled', { address, retryAfterSeconds: decision.retryAfterSeconds });
      throw tooManyRequests('too many enrollment attempts from this address; wait and try again', decision.retryAfterSeconds);
    }
    const raw = await readJson(c);
    checkProtocolOf(raw);
    const enrolled = await enroll(ctx, parseOrThrow(EnrollRequest, raw), address);
    await limiter.reset(ENROLL_RULE, key);
    return c.json(enrolled);
  });

  // Authenticated first: the body of a request without a valid token is never read.
  app.post('/api/v1/push', withDevice, perDevice, largeBodies, async (c) => {
    const raw = await readJson(c);
    checkProtocolOf(raw);
    return c.json(await push(ctx, c.get('device'), parseOrThrow(PushEnvelope, raw)));
  });

  app.get('/api/v1/pull', withDevice, perDevice, compress({ threshold: COMPRESS_JSON_FROM_BYTES }), async (c) => {
    const q = c.req.query();
    const protocol = Number(q.protocol);
    if (Number.isInteger(protocol)) checkProtocol(protocol);
    const req = parseOrThrow(PullRequest, {
      protocol: q.protocol,
      epoch: q.epoch ? q.epoch : null,
      cursor: q.cursor || undefined,
      limit: q.limit || undefined,
      unsent: q.unsent || undefined,
      storagePersisted: q.persisted || undefined,
      appVersion: q.appVersion || undefined,
    });
    return jsonWithLength(c, await pull(ctx, c.get('device'), req));
  });

  const blobHash = (c: Context) => {
    const sha256 = c.req.param('sha256') ?? '';
    if (!isSha256(sha256)) throw syncError('invalidRequest', 'blob name must be a lowercase hex SHA-256');
    return sha256;
  };

  // Content-addressed: the 256-bit hash is the capability, so reads need no token.
  // With a token, status and HEAD also report that device's own partial upload.
  // Hono answers HEAD with the GET route, so HEAD is handled here.
  app.get('/api/v1/blobs/:sha256', perAddress, async (c) => {
    const sha256 = blobHash(c);
    if (c.req.method === 'HEAD' || c.req.query('status') !== undefined) {
      const device = c.req.header('authorization') ? await deviceOf(c) : undefined;
      const status = await blobStatus(ctx, sha256, device);
      if (c.req.method !== 'HEAD') return c.json(status);
      return c.body(null, status.complete ? 200 : 404, {
        'X-Blob-Received': String(status.received),
        'X-Blob-Complete': String(status.complete),
      });
    }
    const blob = await readBlob(ctx, sha256);
    if (!blob) return c.json(SyncErrorBody.parse({ error: 'invalidRequest', message: 'no complete blob with this hash' }), 404);
    // Served as an image only when the bytes are one; anything else is a download, never rendered.
    const image = imageTypeOf(blob.data);
    return c.body(new Uint8Array(blob.data), 200, {
      'Content-Type': image ?? 'application/octet-stream',
      ...(image ? {} : { 'Content-Disposition': `attachment; filename="${sha256}"` }),
      'Cache-Control': 'private, max-age=31536000, immutable',
    });
  });

  app.put('/api/v1/blobs/:sha256', withDevice, perDevice, largeBodies, async (c) => {
    const sha256 = blobHash(c);
    const offset = parseOrThrow(z.coerce.number().int().min(0).default(0), c.req.query('offset') || undefined);
    const total = parseOrThrow(z.coerce.number().int().min(1).nullable(), c.req.query('total') || null);
    const chunk = Buffer.from(await readBody(c));
    return c.json(await putBlobChunk(ctx, c.get('device'), sha256, offset, total, chunk, photoQuota));
  });

  // The console shares the sync API's throttling counters (through PostgreSQL with several instances) and proxy setting.
  app.route(
    '/kommune/api',
    consoleApi({
      storage: opts.storage,
      now,
      clock: ctx.clock,
      log,
      limiter,
      settings: { ...opts.console, trustProxy },
      ...(backupDir !== undefined ? { eraseInBackups: (person, pseudonym) => eraseInBackups(backupDir, person, pseudonym, now()) } : {}),
    }),
  );

  app.all('/api/*', (c) => c.json(SyncErrorBody.parse({ error: 'invalidRequest', message: 'no such endpoint' }), 404));

  if (opts.staticDir) mountStatic(app, opts.staticDir);
  return app;
}
