/** Console API errors: a status and a ConsoleErrorBody the console shows in the person's language. */
import type { ConsoleErrorBody, ConsoleErrorCode } from '../../domain/console/api';
import { RETRY_AFTER_SECONDS, SyncError } from '../errors';
import { StorageUnavailableError } from '../storage/errors';

const STATUS: Record<ConsoleErrorCode, number> = {
  invalidRequest: 400,
  unauthenticated: 401,
  badCredentials: 401,
  forbidden: 403,
  notFound: 404,
  conflict: 409,
  invalidLink: 410,
  tooManyAttempts: 429,
  tooLarge: 413,
  unavailable: 503,
  ssoFailed: 502,
  internal: 500,
};

export class ConsoleError extends Error {
  readonly status: number;
  constructor(readonly body: ConsoleErrorBody) {
    super(body.message);
    this.status = STATUS[body.error];
  }
}

export const consoleError = (error: ConsoleErrorCode, message: string, extra: Partial<ConsoleErrorBody> = {}) =>
  new ConsoleError({ error, message, ...extra });

/**
 * An error raised below the console's own code, as the console answers it:
 * the server's shared middleware (body limits, throttling) speaks the sync
 * API's SyncError, and storage speaks StorageUnavailableError (a lost or busy
 * database: retryable, never a 500). Anything else is returned as it is.
 */
export function asConsoleError(err: Error): Error {
  if (err instanceof StorageUnavailableError)
    return consoleError('unavailable', 'the database is unavailable right now; try again shortly', {
      retryAfterSeconds: RETRY_AFTER_SECONDS[err.reason] ?? 5,
    });
  if (!(err instanceof SyncError)) return err;
  const retry = err.retryAfterSeconds ?? RETRY_AFTER_SECONDS[err.body.error];
  const extra = retry !== undefined ? { retryAfterSeconds: retry } : {};
  switch (err.body.error) {
    case 'tooLarge':
      return consoleError('tooLarge', err.body.message);
    case 'tooManyRequests':
    case 'busy':
      return consoleError('tooManyAttempts', err.body.message, extra);
    case 'unavailable':
      return consoleError('unavailable', err.body.message, extra);
    case 'unauthorized':
      return consoleError('unauthenticated', err.body.message);
    case 'internal':
      return err;
    default:
      return consoleError('invalidRequest', err.body.message);
  }
}
