/**
 * Connect this tablet to the municipal server with a one-time code: typed, or
 * prefilled from the QR link (`#enroll=CODE` → `#/enroll/CODE`). Also the
 * re-enroll prompt after the server refused the token; queued changes stay and
 * are sent after re-enrolling. As `ResetPinScreen` (`#/reset-pin`) it is also
 * the way out of a forgotten leader PIN: a fresh code from the administrator
 * proves authority, and the PIN is removed once enrollment succeeded.
 */
import { useState } from 'preact/hooks';
import { clearLeaderPin } from '../../data/leaderPin';
import { enrollDevice } from '../../data/sync/enrollment';
import { SyncFailure, type SyncIssueCode } from '../../data/sync/errors';
import { browserTransport } from '../../data/sync/transport';
import { appDb } from '../appDb';
import type { MessageKey } from '../i18n';
import { useT } from '../i18n/useT';
import type { RouteProps } from '../navigation';
import { useUi, uiStore } from '../store';
import { syncNow, useSyncStatus } from './syncRuntime';

const ENROLL_ERRORS: Partial<Record<SyncIssueCode, MessageKey>> = {
  unauthorized: 'enroll.error.code',
  offline: 'enroll.error.offline',
  tooManyAttempts: 'enroll.error.tooMany',
};

export function EnrollScreen({ param, resetPin = false }: RouteProps & { resetPin?: boolean }) {
  const t = useT();
  const enrollment = useSyncStatus((s) => s.enrollment);
  const unitName = useSyncStatus((s) => s.unitName);
  const savedServer = useSyncStatus((s) => s.serverUrl);
  const unit = useUi((s) => s.unit);
  const [server, setServer] = useState(savedServer ?? window.location.origin);
  const [code, setCode] = useState(param ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<MessageKey | null>(null);
  const [waitMinutes, setWaitMinutes] = useState(0);
  const [done, setDone] = useState<string | null>(null);
  const [pinCleared, setPinCleared] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!server.trim() || !code.trim()) return setError('enroll.error.required');
    setBusy(true);
    setError(null);
    try {
      const enrolled = await enrollDevice(appDb(), browserTransport, {
        serverUrl: server,
        code,
        deviceLabel: navigator.userAgent.slice(0, 100),
      });
      if (resetPin) {
        await clearLeaderPin(appDb());
        setPinCleared(true);
      }
      uiStore.setState({ unit: enrolled });
      setDone(enrolled.name);
      void syncNow();
    } catch (err) {
      const failure = err instanceof SyncFailure ? err : undefined;
      setWaitMinutes(Math.ceil((failure?.retryAfterSeconds ?? 0) / 60));
      setError(ENROLL_ERRORS[failure?.code ?? 'serverError'] ?? 'enroll.error.other');
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card enroll">
      <h1>{t(resetPin ? 'enroll.resetPin.title' : 'enroll.title')}</h1>
      <p class="lead">{t(resetPin ? 'enroll.resetPin.intro' : enrollment === 'needsReenroll' ? 'enroll.reenrollIntro' : 'enroll.intro')}</p>
      {enrollment === 'enrolled' && !done ? <p>{t('enroll.enrolledAs', { unit: unitName ?? unit?.name ?? '' })}</p> : null}
      <div aria-live="polite">
        {done ? <p class="alert alert--info">{t('enroll.success', { unit: done })}</p> : null}
        {pinCleared ? <p class="alert alert--info">{t('enroll.resetPin.done')}</p> : null}
      </div>
      <form onSubmit={submit} noValidate>
        <div class="field">
          <label for="enroll-server">{t('enroll.server')}</label>
          <input
            id="enroll-server"
            type="url"
            inputMode="url"
            autoComplete="url"
            value={server}
            onInput={(e) => setServer(e.currentTarget.value)}
          />
        </div>
        <div class={`field${error ? ' field--error' : ''}`}>
          <label for="enroll-code">{t('enroll.code')}</label>
          <input
            id="enroll-code"
            autoComplete="one-time-code"
            autoCapitalize="characters"
            spellcheck={false}
            aria-describedby="enroll-code-hint enroll-error"
            aria-invalid={error ? true : undefined}
            value={code}
            onInput={(e) => setCode(e.currentTarget.value)}
          />
          <p class="field__hint" id="enroll-code-hint">
            {t('enroll.codeHint')}
          </p>
        </div>
        <p id="enroll-error" class="field__error" role="alert">
          {error ? t(error, { minutes: waitMinutes }) : null}
        </p>
        <div class="actions">
          <button type="submit" class="button button--primary button--large" disabled={busy}>
            {busy ? t('enroll.working') : t('enroll.submit')}
          </button>
        </div>
      </form>
    </section>
  );
}

/** `#/reset-pin`: enrollment that also removes a forgotten leader PIN (linked from the PIN entry). */
export function ResetPinScreen(props: RouteProps) {
  return <EnrollScreen {...props} resetPin />;
}
