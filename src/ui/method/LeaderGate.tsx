/**
 * Guards leader-only content (the leader overview, evaluations, decisions,
 * procedure, unit settings). The PIN is set by whoever enrolls the tablet
 * with the administrator's one-time code, or in first run on a tablet without
 * a server; a leader screen never lets the first passer-by claim it. Here the
 * leader enters the PIN and their name (who publishes). Wrong PINs get a
 * clear message and, after repeats, a lock. A forgotten PIN is replaced by
 * connecting again with a fresh code (`#/reset-pin`).
 *
 * Only a tablet that has never been connected and has no PIN yet (set up
 * before PINs were part of first run) still sets one here: it has no server
 * whose code could prove authority.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { format } from 'date-fns';
import { hasLeaderPin, lastLeaderName, rememberLeaderName, setLeaderPin, verifyLeaderPin } from '../../data/leaderPin';
import { getEnrollment } from '../../data/sync/state';
import { appDb } from '../appDb';
import { checkNewPin, pinFieldId, PinFields, type NewPin, type PinError } from '../components/PinFields';
import { useT } from '../i18n/useT';
import '../i18n/methodStrings';
import { href } from '../navigation';
import { useLiveQuery } from '../useLiveQuery';
import { enterLeaderMode, leaveLeaderMode, useLeaderMode } from './leaderMode';

export function LeaderGate({ children }: { children: ComponentChildren }) {
  const t = useT();
  const active = useLeaderMode();
  // Both reads start before any await, so the live query watches both.
  const pinState = useLiveQuery(async () => {
    const [hasPin, enrollment] = await Promise.all([hasLeaderPin(appDb()), getEnrollment(appDb())]);
    return { hasPin, everConnected: enrollment !== undefined };
  }, []).value;
  // Focus goes to what the PIN opened only right after unlocking, not whenever a gated screen opens.
  const unlocked = useRef(false);
  const message = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (active && unlocked.current) {
      unlocked.current = false;
      message.current?.focus();
    }
  }, [active]);
  const onUnlocked = () => {
    unlocked.current = true;
  };

  if (!active) {
    if (pinState === undefined) return <p role="status">{t('app.loading')}</p>;
    if (pinState.hasPin) return <PinEntry onUnlocked={onUnlocked} />;
    return pinState.everConnected ? <NoPin /> : <PinSetup onUnlocked={onUnlocked} />;
  }
  return (
    <>
      <div class="leader-bar">
        <p ref={message} tabIndex={-1}>
          {t('leader.active')}
        </p>
        <button type="button" class="button" onClick={leaveLeaderMode}>
          {t('leader.leave')}
        </button>
      </div>
      {children}
    </>
  );
}

/** An enrolled tablet without a PIN: the PIN comes with a fresh one-time code, never from whoever is here first. */
function NoPin() {
  const t = useT();
  return (
    <section class="card leader-gate" aria-labelledby="leader-nopin-title">
      <h2 id="leader-nopin-title">{t('leader.noPinTitle')}</h2>
      <p>{t('leader.noPinIntro')}</p>
      <a class="button" href={href('reset-pin')}>
        {t('leader.noPinLink')}
      </a>
    </section>
  );
}

function PinSetup({ onUnlocked }: { onUnlocked: () => void }) {
  const t = useT();
  const [pin, setPin] = useState<NewPin>({ pin: '', repeat: '' });
  const [error, setError] = useState<PinError>(null);

  async function submit(e: Event) {
    e.preventDefault();
    const problem = checkNewPin(pin);
    setError(problem);
    if (problem) {
      document.getElementById(pinFieldId('leader-pin-new', problem))?.focus();
      return;
    }
    await setLeaderPin(appDb(), pin.pin);
    onUnlocked();
    enterLeaderMode();
  }

  return (
    <form class="card leader-gate" onSubmit={submit} noValidate>
      <h2>{t('leader.setupTitle')}</h2>
      <p>{t('leader.setupIntro')}</p>
      <PinFields idPrefix="leader-pin-new" value={pin} onInput={setPin} error={error} />
      <button type="submit" class="button button--primary">
        {t('leader.setPin')}
      </button>
    </form>
  );
}

function PinEntry({ onUnlocked }: { onUnlocked: () => void }) {
  const t = useT();
  const [pin, setPin] = useState('');
  const [name, setName] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  useEffect(() => {
    let live = true;
    void lastLeaderName(appDb())
      .then((last) => live && setName((typed) => typed || last))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);

  async function submit(e: Event) {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    const result = await verifyLeaderPin(appDb(), pin);
    setBusy(false);
    setPin('');
    if (result.ok) {
      if (name.trim()) await rememberLeaderName(appDb(), name).catch(() => undefined);
      onUnlocked();
      enterLeaderMode(Date.now(), name);
      return;
    }
    if (result.reason === 'locked') setMessage(t('leader.locked', { time: format(new Date(result.until), 'HH:mm:ss') }));
    else if (result.reason === 'wrong') setMessage(t.plural('leader.wrongPin', result.attemptsLeft));
    input.current?.focus();
  }

  return (
    <form class="card leader-gate" onSubmit={submit} noValidate>
      <h2>{t('leader.enterTitle')}</h2>
      <p>{t('leader.enterIntro')}</p>
      <div class={`field${message ? ' field--error' : ''}`}>
        <label for="leader-pin">{t('leader.pin')}</label>
        <input
          id="leader-pin"
          ref={input}
          type="password"
          inputMode="numeric"
          autoComplete="off"
          maxLength={8}
          value={pin}
          aria-invalid={message ? true : undefined}
          aria-describedby={message ? 'leader-pin-error' : undefined}
          onInput={(e) => setPin(e.currentTarget.value)}
        />
        {message ? (
          <p class="field__error" id="leader-pin-error">
            {message}
          </p>
        ) : null}
      </div>
      <div class="field">
        <label for="leader-name">{t('leader.name')}</label>
        <p class="field__hint" id="leader-name-hint">
          {t('leader.nameHint')}
        </p>
        <input
          id="leader-name"
          type="text"
          autoComplete="name"
          maxLength={120}
          aria-describedby="leader-name-hint"
          value={name}
          onInput={(e) => setName(e.currentTarget.value)}
        />
      </div>
      <p role="alert" class="visually-hidden">
        {message ?? ''}
      </p>
      <button type="submit" class="button button--primary" disabled={busy}>
        {t('leader.enter')}
      </button>
      <p class="leader-gate__forgot">
        <a href={href('reset-pin')}>{t('leader.forgotPin')}</a>
      </p>
    </form>
  );
}
