/**
 * Connect this tablet to the municipal server with a one-time code: typed, or
 * prefilled from the QR link (`#enroll=CODE` → `#/enroll/CODE`). The person
 * with the code is the tablet's leader: on a tablet without a leader PIN they
 * choose it here, and it is stored only once the server accepted the code.
 * The tablet gets a name ("Pauserommet 2. etasje") so IT can tell the
 * tablets apart. On success the tablet goes to capture with a confirmation;
 * the used code is not left in the form or the address.
 *
 * Also the re-enroll prompt after the server refused the token (queued
 * changes stay and are sent after re-enrolling), and, as `ResetPinScreen`
 * (`#/reset-pin`), the way out of a forgotten leader PIN: a fresh code from
 * the administrator proves authority, and the new PIN replaces the old one.
 */
import { useRef, useState } from 'preact/hooks';
import { EnrollRequest } from '../../domain';
import { APP_VERSION } from '../../data/appVersion';
import { hasLeaderPin, setLeaderPin } from '../../data/leaderPin';
import { enrollDevice } from '../../data/sync/enrollment';
import { SyncFailure, type SyncIssueCode } from '../../data/sync/errors';
import { getEnrollment } from '../../data/sync/state';
import { syncStore } from '../../data/sync/syncStore';
import { browserTransport } from '../../data/sync/transport';
import { appDb } from '../appDb';
import { checkNewPin, pinFieldId, PinFields, type NewPin, type PinError } from '../components/PinFields';
import { checkForm } from '../formErrors';
import type { Message } from '../i18n';
import { useT } from '../i18n/useT';
import { replaceRoute, type RouteProps } from '../navigation';
import { showNotice, uiStore } from '../store';
import { useLiveQuery } from '../useLiveQuery';
import { useStore } from '../useStore';
import { syncNow } from './syncRuntime';

const DEVICE_LABEL_MAX = 120;

/** What the person types, as the enrollment request has it (the code's form and the name's length). */
const EnrollInput = EnrollRequest.pick({ code: true, deviceLabel: true });

/** Why enrolling failed, in the words of this screen. */
const enrollErrorKey = (code: SyncIssueCode) =>
  code === 'unauthorized'
    ? 'enroll.error.code'
    : code === 'offline' || code === 'unreachable'
      ? 'enroll.error.offline'
      : 'enroll.error.other';

export function EnrollScreen({ param, resetPin = false }: RouteProps & { resetPin?: boolean }) {
  const t = useT();
  const enrollment = useStore(syncStore, (s) => s.enrollment);
  const unitName = useStore(syncStore, (s) => s.unitName);
  const savedServer = useStore(syncStore, (s) => s.serverUrl);
  const unit = useStore(uiStore, (s) => s.unit);
  // Whether this tablet has a PIN, and the name it was given when last enrolled.
  const known = useLiveQuery(async () => {
    const [hasPin, previous] = await Promise.all([hasLeaderPin(appDb()), getEnrollment(appDb())]);
    return { hasPin, deviceLabel: previous?.deviceLabel ?? '' };
  }, []).value;
  const [server, setServer] = useState(savedServer ?? window.location.origin);
  const [code, setCode] = useState(param ?? '');
  const [deviceLabel, setDeviceLabel] = useState<string | null>(null);
  const [pin, setPin] = useState<NewPin>({ pin: '', repeat: '' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Message | null>(null);
  const [labelError, setLabelError] = useState<Message | null>(null);
  const [pinError, setPinError] = useState<PinError>(null);
  const [pinReplaced, setPinReplaced] = useState(false);
  const labelInput = useRef<HTMLInputElement>(null);

  const label = deviceLabel ?? known?.deviceLabel ?? '';
  // The PIN is chosen here when the tablet has none, and replaced here when it was forgotten.
  const choosesPin = resetPin || known?.hasPin === false;

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    if (!server.trim() || !code.trim()) return setError({ key: 'enroll.error.required' });
    const checked = checkForm(
      EnrollInput,
      { code, deviceLabel: label },
      { code: { key: 'enroll.error.code' }, deviceLabel: { key: 'enroll.error.deviceLabel' } },
    );
    // The request would name a nameless tablet "tablet"; this form asks for a name IT can tell apart.
    const badLabel = checked.ok
      ? label.trim()
        ? null
        : { key: 'enroll.error.deviceLabel' as const }
      : (checked.errors.deviceLabel ?? null);
    const badPin = choosesPin ? checkNewPin(pin) : null;
    setError(checked.ok ? null : (checked.errors.code ?? checked.errors.form ?? null));
    setLabelError(badLabel);
    setPinError(badPin);
    if (!checked.ok && !badLabel) return;
    if (badLabel) return labelInput.current?.focus();
    if (badPin) return document.getElementById(pinFieldId('enroll-pin', badPin))?.focus();
    if (!checked.ok) return;
    setBusy(true);
    try {
      const enrolled = await enrollDevice(appDb(), browserTransport, {
        serverUrl: server,
        code: checked.value.code,
        deviceLabel: checked.value.deviceLabel,
        appVersion: APP_VERSION,
      });
      // The server accepted the code: its holder's PIN becomes the tablet's.
      if (choosesPin) await setLeaderPin(appDb(), pin.pin);
      setPin({ pin: '', repeat: '' });
      void syncNow();
      if (resetPin) {
        setPinReplaced(true);
        uiStore.setState({ unit: enrolled });
        return;
      }
      // Done: off the used code, to the screen the tablet is for, with the confirmation.
      replaceRoute('capture');
      showNotice('capture', { key: 'enroll.success', params: { unit: enrolled.name } });
      uiStore.setState({ unit: enrolled });
    } catch (err) {
      const failure = err instanceof SyncFailure ? err : undefined;
      setError(
        failure?.code === 'tooManyAttempts'
          ? { key: 'enroll.error.tooMany', params: { minutes: Math.ceil((failure.retryAfterSeconds ?? 0) / 60) } }
          : { key: enrollErrorKey(failure?.code ?? 'serverError') },
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card enroll">
      <h1>{t(resetPin ? 'enroll.resetPin.title' : 'enroll.title')}</h1>
      <p class="lead">{t(resetPin ? 'enroll.resetPin.intro' : enrollment === 'needsReenroll' ? 'enroll.reenrollIntro' : 'enroll.intro')}</p>
      {enrollment === 'enrolled' && !pinReplaced ? <p>{t('enroll.enrolledAs', { unit: unitName ?? unit?.name ?? '' })}</p> : null}
      <div aria-live="polite">{pinReplaced ? <p class="alert alert--info">{t('enroll.resetPin.done')}</p> : null}</div>
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
        <div class={`field${labelError ? ' field--error' : ''}`}>
          <label for="enroll-device-label">{t('enroll.deviceLabel')}</label>
          <p class="field__hint" id="enroll-device-label-hint">
            {t('enroll.deviceLabelHint')}
          </p>
          <input
            id="enroll-device-label"
            ref={labelInput}
            type="text"
            maxLength={DEVICE_LABEL_MAX}
            autoComplete="off"
            aria-invalid={labelError ? true : undefined}
            aria-describedby={labelError ? 'enroll-device-label-hint enroll-device-label-error' : 'enroll-device-label-hint'}
            value={label}
            onInput={(e) => {
              setDeviceLabel(e.currentTarget.value);
              setLabelError(null);
            }}
          />
          {labelError ? (
            <p class="field__error" id="enroll-device-label-error">
              {t.message(labelError)}
            </p>
          ) : null}
        </div>
        {choosesPin ? (
          <PinFields
            idPrefix="enroll-pin"
            value={pin}
            onInput={(v) => {
              setPin(v);
              setPinError(null);
            }}
            error={pinError}
            replacing={resetPin}
          />
        ) : null}
        <p id="enroll-error" class="field__error" role="alert">
          {error === null ? null : t.message(error)}
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

/** `#/reset-pin`: enrollment with a fresh code that also replaces a forgotten leader PIN (linked from the PIN entry). */
export function ResetPinScreen(props: RouteProps) {
  return <EnrollScreen {...props} resetPin />;
}
