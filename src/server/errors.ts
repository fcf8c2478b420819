/** A protocol error the device acts on: an HTTP status plus a SyncErrorBody. */
import type { SyncErrorBody, SyncErrorCode } from '../domain';

const STATUS: Record<SyncErrorCode, number> = {
  invalidRequest: 400,
  unauthorized: 401,
  clientTooOld: 426,
  serverTooOld: 400,
  seqGap: 409,
  resyncRequired: 409,
  hashMismatch: 422,
  tooLarge: 413,
  busy: 429,
  unavailable: 503,
  quotaExceeded: 413,
  tooManyRequests: 429,
  internal: 500,
};

/**
 * Retry-After (seconds) for the retryable answers. Busy: a lock wait already
 * took lock_timeout and the holder is finishing or about to be cut off.
 * Unavailable: a database restart or failover takes a few seconds.
 */
export const RETRY_AFTER_SECONDS: Partial<Record<SyncErrorCode, number>> = { busy: 2, unavailable: 5 };

export class SyncError extends Error {
  readonly status: number;
  constructor(
    readonly body: SyncErrorBody,
    /** Sent as Retry-After (429). */
    readonly retryAfterSeconds?: number,
  ) {
    super(body.message);
    this.status = STATUS[body.error];
  }
}

export const syncError = (error: SyncErrorCode, message: string, extra: Partial<SyncErrorBody> = {}) =>
  new SyncError({ error, message, ...extra });

export const tooManyRequests = (message: string, retryAfterSeconds: number) =>
  new SyncError({ error: 'tooManyRequests', message }, retryAfterSeconds);
