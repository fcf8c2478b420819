/**
 * Retention (issue #14; GDPR: nothing is kept longer than stated). The server
 * itself, not only an operator's command, purges what it keeps only for
 * sync's sake once the retention period (RETENTION_DAYS, default 90) has
 * passed:
 *   - tombstones (deleted records: their data stays until then, so a tablet
 *     offline for a while still learns of the delete), by the time of their
 *     delete; the tombstone horizon rises past them, so a tablet that has not
 *     synced since must pull from the start (docs/sync-protocol.md);
 *   - the conflict log (the losing values of concurrent edits), by its time.
 * At start and then every RETENTION_CHECK_MINUTES (default 60). With several
 * instances on one PostgreSQL, one purges at a time: a transaction-level
 * try-lock; an instance that does not get it skips that round.
 */
import type { Logger } from './log';
import type { SyncStorage } from './storage/types';

export const DEFAULT_RETENTION_DAYS = 90;
export const DEFAULT_RETENTION_CHECK_MINUTES = 60;
const DAY_MS = 86_400_000;

export interface RetentionSettings {
  days: number;
  checkEveryMs: number;
}

export interface Purged {
  tombstones: number;
  conflicts: number;
  /** The tombstone horizon after the purge. */
  horizon: number;
}

/** One purge at `now`; null when another instance is purging right now. */
export async function purgeExpired(storage: SyncStorage, now: number, days: number): Promise<Purged | null> {
  const cutoff = now - days * DAY_MS;
  return storage.write(async (tx) => {
    if (!(await tx.tryExclusive('retention'))) return null;
    await tx.lockState();
    const tombstones = await tx.purgeTombstonesDeletedBefore(cutoff);
    const conflicts = await tx.purgeConflictsBefore(cutoff);
    return { tombstones, conflicts, horizon: (await tx.state()).horizon };
  });
}

/** Purge at start and every `checkEveryMs`; never throws (a failed round is logged and the next one tries again). */
export function startRetention(storage: SyncStorage, settings: RetentionSettings, log: Logger, now: () => number = Date.now): () => void {
  let running: Promise<void> | undefined;
  const round = () => {
    running ??= purgeExpired(storage, now(), settings.days)
      .then(
        (purged) => {
          if (purged && (purged.tombstones > 0 || purged.conflicts > 0)) log.info('retentionPurged', { days: settings.days, ...purged });
        },
        (e: unknown) => log.warn('retentionFailed', { message: (e instanceof Error ? e.message : String(e)).slice(0, 200) }),
      )
      .finally(() => (running = undefined));
  };
  const timer = setInterval(round, settings.checkEveryMs);
  timer.unref();
  round();
  return () => clearInterval(timer);
}
