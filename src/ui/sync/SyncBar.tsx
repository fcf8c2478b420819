/**
 * Always visible in the header, and kept to a line or two so it never pushes
 * the capture form off a phone's screen: what is true about sync right now
 * (not connected to a server; sending; everything sent; N changes waiting),
 * a progress bar while sending, what went wrong in plain words with what to
 * do (no network, server not answering, …; refused changes link to their
 * reasons), and the "End of shift — sync now" button, which confirms a sync
 * that went through even when there was nothing to send. Status changes are
 * announced through a polite live region; errors through role="alert".
 */
import './syncBar.css';
import { useEffect, useState } from 'preact/hooks';
import { enrollCodeFromHash } from '../../data/sync/enrollLink';
import { syncStore } from '../../data/sync/syncStore';
import { useT } from '../i18n/useT';
import { href, navigate } from '../navigation';
import { useStore } from '../useStore';
import { startSync, syncNow } from './syncRuntime';

export function SyncBar({ autoStart = true, sync = syncNow }: { autoStart?: boolean; sync?: () => Promise<unknown> }) {
  const t = useT();
  const phase = useStore(syncStore, (s) => s.phase);
  const unsent = useStore(syncStore, (s) => s.unsent);
  const progress = useStore(syncStore, (s) => s.progress);
  const lastSyncedAt = useStore(syncStore, (s) => s.lastSyncedAt);
  const lastError = useStore(syncStore, (s) => s.lastError);
  const rejections = useStore(syncStore, (s) => s.rejections);
  const enrollment = useStore(syncStore, (s) => s.enrollment);
  // When a person's "sync now" went through: confirmed until the next sync starts.
  const [confirmedAt, setConfirmedAt] = useState<number | null>(null);
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
  useEffect(() => {
    if (syncing) setConfirmedAt(null);
  }, [syncing]);

  async function syncByHand() {
    setConfirmedAt(null);
    const result = await sync();
    if (result !== undefined) setConfirmedAt(Date.now());
  }

  const notConnected = enrollment === 'notEnrolled';
  const needsEnroll = notConnected || enrollment === 'needsReenroll';
  // One line that says what is true: never "everything is sent" on a tablet that has no server to send to.
  const [headline, detail] = notConnected
    ? [t('sync.notConnected'), t('sync.localOnly')]
    : syncing
      ? [t('sync.syncing'), unsent > 0 ? t.plural('sync.unsent', unsent) : '']
      : confirmedAt !== null && unsent === 0 && !lastError
        ? [t('sync.done', { time: t.date(confirmedAt, 'time') }), '']
        : [
            unsent > 0 ? t.plural('sync.unsent', unsent) : lastSyncedAt ? t('sync.allSent') : t('sync.neverSynced'),
            lastSyncedAt ? t('sync.lastSynced', { when: t.ago(lastSyncedAt) }) : unsent > 0 ? t('sync.neverSynced') : '',
          ];
  const showError = lastError !== null && !syncing && !(notConnected && lastError === 'notEnrolled');
  return (
    <section class="sync-bar" aria-label={t('sync.region')}>
      <p class="sync-bar__status" role="status" aria-live="polite">
        <strong>{headline}</strong>
        {detail ? <span class="sync-bar__when">{detail}</span> : null}
      </p>
      {syncing && progress ? (
        <label class="sync-bar__progress">
          <span>{t('sync.progressLabel')}</span>
          <progress max={progress.total} value={progress.pushed} />
          <span>{t('sync.progress', progress)}</span>
        </label>
      ) : null}
      {needsEnroll ? (
        <a class={`button sync-bar__button${notConnected ? '' : ' button--primary'}`} href={href('enroll')}>
          {t(notConnected ? 'sync.enroll' : 'sync.reenroll')}
        </a>
      ) : (
        <button type="button" class="button button--primary sync-bar__button" disabled={syncing} onClick={() => void syncByHand()}>
          {t('sync.now')}
        </button>
      )}
      {showError ? (
        <p class="sync-bar__error" role="alert">
          {t(`sync.error.${lastError}`)}
        </p>
      ) : null}
      {rejections > 0 ? (
        <p class="sync-bar__rejected">
          {t.plural('sync.rejected', rejections)} <a href={href('refused')}>{t('sync.rejected.link')}</a>
        </p>
      ) : null}
    </section>
  );
}
