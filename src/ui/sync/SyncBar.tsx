/**
 * Always visible in the header: how many changes wait, a progress bar while
 * sending, when the tablet last synced, what went wrong in plain words with
 * what to do (refused changes link to their reasons), and the "End of shift —
 * sync now" button. Status changes are announced through a polite live
 * region; errors through role="alert".
 */
import { formatDistanceToNow } from 'date-fns';
import './syncBar.css';
import { useEffect, useState } from 'preact/hooks';
import { enrollCodeFromHash } from '../../data/sync/enrollLink';
import type { MessageKey } from '../i18n';
import { useT } from '../i18n/useT';
import { href, navigate } from '../navigation';
import { startSync, syncNow, useSyncStatus } from './syncRuntime';

export function SyncBar({ autoStart = true }: { autoStart?: boolean }) {
  const t = useT();
  const phase = useSyncStatus((s) => s.phase);
  const unsent = useSyncStatus((s) => s.unsent);
  const progress = useSyncStatus((s) => s.progress);
  const lastSyncedAt = useSyncStatus((s) => s.lastSyncedAt);
  const lastError = useSyncStatus((s) => s.lastError);
  const rejections = useSyncStatus((s) => s.rejections);
  const enrollment = useSyncStatus((s) => s.enrollment);
  const [, tick] = useState(0);

  useEffect(() => {
    if (autoStart) void startSync().catch(() => undefined);
    // An enrollment link (QR code): #enroll=CODE opens the enrollment screen with the code filled in,
    // whether it started the app or was opened while the app was running.
    const openEnrollLink = () => {
      const code = enrollCodeFromHash(window.location.hash);
      if (code) navigate('enroll', code);
    };
    openEnrollLink();
    window.addEventListener('hashchange', openEnrollLink);
    // Keep "last synced 5 minutes ago" current.
    const timer = setInterval(() => tick((n) => n + 1), 30_000);
    return () => {
      clearInterval(timer);
      window.removeEventListener('hashchange', openEnrollLink);
    };
  }, [autoStart]);

  const syncing = phase === 'syncing';
  const needsEnroll = enrollment === 'notEnrolled' || enrollment === 'needsReenroll';
  return (
    <section class="sync-bar" aria-label={t('sync.region')}>
      <p class="sync-bar__status" role="status" aria-live="polite">
        <strong>{unsent > 0 ? t.plural('sync.unsent', unsent) : t('sync.allSent')}</strong>
        <span class="sync-bar__when">
          {syncing
            ? t('sync.syncing')
            : lastSyncedAt
              ? t('sync.lastSynced', { when: formatDistanceToNow(lastSyncedAt, { addSuffix: true, locale: t.dateLocale }) })
              : t('sync.neverSynced')}
        </span>
      </p>
      {syncing && progress ? (
        <label class="sync-bar__progress">
          <span>{t('sync.progressLabel')}</span>
          <progress max={progress.total} value={progress.pushed} />
          <span>{t('sync.progress', progress)}</span>
        </label>
      ) : null}
      {lastError && !syncing && !(needsEnroll && lastError === 'notEnrolled') ? (
        <p class="sync-bar__error" role="alert">
          {t(`sync.error.${lastError}` as MessageKey)}
        </p>
      ) : null}
      {rejections > 0 ? (
        <p class="sync-bar__rejected">
          {t.plural('sync.rejected', rejections)} <a href={href('refused')}>{t('sync.rejected.link')}</a>
        </p>
      ) : null}
      {needsEnroll ? (
        <a class="button button--large sync-bar__button" href={href('enroll')}>
          {t(enrollment === 'needsReenroll' ? 'sync.reenroll' : 'sync.enroll')}
        </a>
      ) : (
        <button
          type="button"
          class="button button--primary button--large sync-bar__button"
          disabled={syncing}
          onClick={() => void syncNow()}
        >
          {t('sync.now')}
        </button>
      )}
    </section>
  );
}
