/**
 * When to sync, and never twice at once.
 *
 * Triggers: app start, the `online` event, the page becoming visible, a timer
 * while visible, the "End of shift — sync now" button, and Background Sync
 * (the service worker's `sync` event calls `runSync`). The page registers
 * Background Sync only after a pass failed: an online browser fires a
 * registered tag at once, so registering at start would run a second pass
 * beside the tab's own. Where Background Sync is missing (Firefox, Safari),
 * the foreground triggers alone still drain the queue.
 *
 * Exclusion: every pass runs under the Web Lock `nedenfra-sync`, shared by all
 * tabs and the service worker; without Web Locks, an in-process mutex.
 *
 * Failures: transient ones (offline, 5xx) are retried after an exponential
 * backoff with jitter, capped; the others wait for a person (re-enroll, update,
 * free space). A queue that stops draining — its head failed K times, or its
 * oldest row is older than N hours while the server is reachable — is
 * flagged as `stuckQueue`.
 */
import { Mutex } from '../../domain';
import type { NedenfraDb } from '../db';
import { withReopen } from '../repository';
import { syncOnce, type SyncOptions, type SyncResult } from './engine';
import { SyncFailure, type SyncIssueCode } from './errors';
import { syncFailed, syncFlagged, syncProgressed, syncStarted, syncSucceeded } from './syncStore';
import type { Transport } from './transport';

export const SYNC_LOCK = 'nedenfra-sync';
export const SYNC_TAG = 'nedenfra-sync';

interface LockManagerLike {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
}

/** Where Web Locks are missing: passes of this context, one at a time. */
const localLock = new Mutex();

/** Run `fn` while holding the cross-context sync lock (Web Locks), or an in-process mutex without them. */
export function withSyncLock<T>(fn: () => Promise<T>, locks: LockManagerLike | undefined = globalThis.navigator?.locks): Promise<T> {
  return locks ? locks.request(SYNC_LOCK, fn) : localLock.run(fn);
}

export interface StuckRule {
  /** Oldest unsent change older than this while syncs fail → stuck. */
  maxAgeMs: number;
  /** The queue head failed this many times → stuck. */
  maxAttempts: number;
}

export const DEFAULT_STUCK_RULE: StuckRule = { maxAgeMs: 12 * 3_600_000, maxAttempts: 8 };

/** True when the queue has stopped draining (see header). Only meaningful after a failed sync. */
export async function isQueueStuck(db: NedenfraDb, now: number, rule: StuckRule = DEFAULT_STUCK_RULE): Promise<boolean> {
  const head = await withReopen(db, () => db.outbox.orderBy('seq').first());
  if (!head) return false;
  return head.attempts >= rule.maxAttempts || now - head.createdAt > rule.maxAgeMs;
}

export interface RunOptions extends SyncOptions {
  locks?: LockManagerLike;
  stuck?: StuckRule;
}

/**
 * One locked sync pass that reports into the sync store. The service worker's
 * `sync` handler calls this too; a failure is rethrown so the browser retries
 * the Background Sync later.
 */
export async function runSync(db: NedenfraDb, transport: Transport, opts: RunOptions = {}): Promise<SyncResult> {
  const now = opts.now ?? Date.now;
  return withSyncLock(async () => {
    syncStarted();
    try {
      const result = await syncOnce(db, transport, {
        ...opts,
        onProgress: (p) => {
          syncProgressed(p);
          opts.onProgress?.(p);
        },
      });
      syncSucceeded(now());
      return result;
    } catch (err) {
      const failure = err instanceof SyncFailure ? err : new SyncFailure('serverError', String(err), true, err);
      syncFailed(failure.code);
      if (failure.code !== 'offline' && failure.code !== 'unreachable' && failure.retryable && (await isQueueStuck(db, now(), opts.stuck).catch(() => false)))
        syncFlagged('stuckQueue');
      throw failure;
    }
  }, opts.locks);
}

export interface BackoffRule {
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffRule = { baseMs: 5_000, maxMs: 10 * 60_000 };

/** Delay before retry number `failures` (1, 2, …): exponential, capped, with "equal jitter" so it never drops to zero. */
export function backoffDelay(failures: number, rule: BackoffRule = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const ceiling = Math.min(rule.maxMs, rule.baseMs * 2 ** Math.max(0, failures - 1));
  return ceiling / 2 + random() * (ceiling / 2);
}

/**
 * The slice of the platform the scheduler listens to: the page's (src/ui/sync/syncRuntime.ts) or a
 * test's. The scheduler runs in the page only; this module is also bundled into the service worker
 * (for `runSync`), which has no window or document, so it never reaches for them itself.
 */
export interface SchedulerEnv {
  addEventListener(type: 'online', fn: () => void): void;
  removeEventListener(type: 'online', fn: () => void): void;
  document?: {
    visibilityState: string;
    addEventListener(type: 'visibilitychange', fn: () => void): void;
    removeEventListener(type: 'visibilitychange', fn: () => void): void;
  };
  isOnline(): boolean;
  /** The service worker registration, for Background Sync; absent or without `sync` where unsupported. */
  registration?: () => Promise<{ sync?: { register(tag: string): Promise<void> } } | undefined>;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  random(): number;
}

export interface SchedulerOptions extends RunOptions {
  env: SchedulerEnv;
  intervalMs?: number;
  backoff?: BackoffRule;
}

export type SyncReason = 'start' | 'online' | 'visible' | 'timer' | 'manual' | 'retry';

export class SyncScheduler {
  private failures = 0;
  private timer: unknown = null;
  private running: Promise<SyncResult | undefined> | null = null;
  private stopped = true;
  private readonly env: SchedulerEnv;
  /** Why each pass ran (for diagnostics and tests). */
  readonly log: SyncReason[] = [];

  constructor(
    private readonly db: NedenfraDb,
    private readonly transport: Transport,
    private readonly opts: SchedulerOptions,
  ) {
    this.env = opts.env;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.env.addEventListener('online', this.onOnline);
    this.env.document?.addEventListener('visibilitychange', this.onVisibility);
    void this.syncNow('start').catch(() => undefined);
  }

  stop(): void {
    this.stopped = true;
    this.env.removeEventListener('online', this.onOnline);
    this.env.document?.removeEventListener('visibilitychange', this.onVisibility);
    this.clearTimer();
  }

  /**
   * Sync now (the "End of shift" button passes 'manual', which also resets the
   * backoff). Concurrent requests in this tab share one pass; other tabs and
   * the service worker wait on the lock.
   */
  syncNow(reason: SyncReason = 'manual'): Promise<SyncResult | undefined> {
    if (reason === 'manual') this.failures = 0;
    if (this.running) return this.running;
    this.log.push(reason);
    this.clearTimer();
    const run = runSync(this.db, this.transport, this.opts).then(
      (result) => {
        this.failures = 0;
        this.schedule(this.opts.intervalMs ?? 5 * 60_000, 'timer');
        return result;
      },
      (err: unknown) => {
        const code: SyncIssueCode = err instanceof SyncFailure ? err.code : 'serverError';
        if (err instanceof SyncFailure && err.retryable) {
          this.failures++;
          this.schedule(backoffDelay(this.failures, this.opts.backoff, () => this.env.random()), 'retry');
          void this.requestBackgroundSync();
        }
        throw Object.assign(err instanceof Error ? err : new Error(String(err)), { code });
      },
    );
    this.running = run.finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private readonly onOnline = () => void this.syncNow('online').catch(() => undefined);
  private readonly onVisibility = () => {
    if (this.env.document?.visibilityState === 'visible') void this.syncNow('visible').catch(() => undefined);
  };

  private schedule(ms: number, reason: SyncReason): void {
    this.clearTimer();
    if (this.stopped) return;
    this.timer = this.env.setTimeout(() => {
      this.timer = null;
      const visible = (this.env.document?.visibilityState ?? 'visible') === 'visible';
      if (reason === 'timer' && !visible) return; // the next visibilitychange syncs
      if (!this.env.isOnline() && reason === 'retry') return; // the `online` event syncs
      void this.syncNow(reason).catch(() => undefined);
    }, ms);
  }

  private clearTimer(): void {
    if (this.timer !== null) this.env.clearTimeout(this.timer);
    this.timer = null;
  }

  /** After a failed pass: ask the browser to sync in the background when the connection returns (where supported). */
  private async requestBackgroundSync(): Promise<boolean> {
    try {
      const reg = await this.env.registration?.();
      if (!reg?.sync) return false;
      await reg.sync.register(SYNC_TAG);
      return true;
    } catch {
      return false;
    }
  }
}
