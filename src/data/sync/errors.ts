/**
 * Why a sync did not finish, as a code the UI translates into plain language
 * (src/ui/i18n/catalogs/sync.ts). `retryable` tells the scheduler whether to
 * back off and try again on its own, or wait for a person to act.
 */
export type SyncIssueCode =
  | 'offline' // the device has no network
  | 'unreachable' // the network is up, but the server did not answer (down, or a wrong address)
  | 'serverError' // 5xx or an answer the app cannot read; try again later
  | 'unauthorized' // token expired or revoked: enroll again (nothing is lost)
  | 'notEnrolled' // never enrolled on this tablet
  | 'clientTooOld' // the server needs a newer app
  | 'serverTooOld'
  | 'quota' // the tablet is out of storage space
  | 'photoQuota' // the server has no room left for this unit's photos (its quota); ideas still sync
  | 'tooManyAttempts' // the server throttles this address (wrong enrollment codes): wait retryAfterSeconds
  | 'storage' // local storage failed otherwise
  | 'stuckQueue'; // the queue has stopped draining

export class SyncFailure extends Error {
  constructor(
    readonly code: SyncIssueCode,
    message: string,
    readonly retryable: boolean,
    override readonly cause?: unknown,
    /** From the server's Retry-After, when it said how long to wait. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'SyncFailure';
  }
}
