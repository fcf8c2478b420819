/**
 * The database cannot do this now, but may in a moment: its connection was
 * lost, it is restarting, or a lock is held by a request elsewhere. The HTTP
 * layer answers it as retryable (429 `busy` / 503 `unavailable`, with
 * Retry-After), never as a 500, so the tablet keeps its outbox and tries again.
 */
export type Unavailability =
  /** A lock wait ran out (another request holds the device or a record): retry shortly. */
  | 'busy'
  /** The database is unreachable, restarting, overloaded or dropped the connection: retry later. */
  | 'unavailable';

export class StorageUnavailableError extends Error {
  override readonly name = 'StorageUnavailableError';

  constructor(
    readonly reason: Unavailability,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
