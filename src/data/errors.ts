/**
 * Storage failures in words a person at the tablet can act on. Every write
 * path turns IndexedDB errors into a StorageError; the UI shows its `kind`
 * translated and keeps what was typed.
 */
import Dexie from 'dexie';
import type { RejectReason } from '../domain';

/** `refused`: the domain's merge refused the write, as the server would (see `reason`). */
export type StorageErrorKind = 'quota' | 'connectionLost' | 'invalidData' | 'refused' | 'unknown';

export class StorageError extends Error {
  constructor(
    readonly kind: StorageErrorKind,
    message: string,
    override readonly cause?: unknown,
    /** For `refused` (and `invalidData` from the merge): the reason the server would give. */
    readonly reason?: RejectReason,
  ) {
    super(message);
    this.name = 'StorageError';
  }
}

/** A write the domain's merge refused: invalid content stays `invalidData` (forms show it per field); the rest is `refused`. */
export const refusedWrite = (reason: RejectReason, detail: string) =>
  new StorageError(reason === 'invalid' ? 'invalidData' : 'refused', `${reason}: ${detail}`, undefined, reason);

export function toStorageError(err: unknown): StorageError {
  if (err instanceof StorageError) return err;
  const name = errorName(err);
  if (name === 'QuotaExceededError' || name === Dexie.errnames.QuotaExceeded)
    return new StorageError('quota', 'The tablet is out of storage space.', err);
  if (
    name === Dexie.errnames.DatabaseClosed ||
    name === 'InvalidStateError' ||
    name === Dexie.errnames.InvalidState ||
    name === 'UnknownError' ||
    name === Dexie.errnames.Upgrade
  )
    return new StorageError('connectionLost', 'The connection to local storage was lost.', err);
  return new StorageError('unknown', err instanceof Error ? err.message : String(err), err);
}

function errorName(err: unknown): string | undefined {
  if (!err || typeof err !== 'object') return undefined;
  const e = err as { name?: string; inner?: { name?: string } };
  // Dexie wraps the DOMException: AbortError with inner QuotaExceededError.
  if (e.inner?.name === 'QuotaExceededError') return 'QuotaExceededError';
  return e.name;
}

export function isRetryable(err: StorageError): boolean {
  return err.kind === 'connectionLost';
}
