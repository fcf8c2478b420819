/**
 * Guards leader-only content (evaluations, decisions, procedure, unit
 * settings). First time on a tablet: set a 4–8 digit PIN twice. Afterwards:
 * enter the PIN; wrong PINs get a clear message and, after repeats, a lock.
 * A forgotten PIN is reset by enrolling again (`#/reset-pin`).
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { format } from 'date-fns';
import { PIN_PATTERN, hasLeaderPin, setLeaderPin, verifyLeaderPin } from '../../data/leaderPin';
import { appDb } from '../appDb';
import type { MessageKey } from '../i18n';
import { useT } from '../i18n/useT';
import { href } from '../navigation';
import { useLiveQuery } from '../useLiveQuery';
import { enterLeaderMode, leaveLeaderMode, useLeaderMode } from './leaderMode';

export function LeaderGate({ children }: { children: ComponentChildren }) {
  const t = useT();
  const active = useLeaderMode();
  const hasPin = useLiveQuery(() => hasLeaderPin(appDb()), []).value;
  if (!active) {
    if (hasPin === undefined) return <p role="status">{t('app.loading')}</p>;
    return hasPin ? <PinEntry /> : <PinSetup />;
  }
  return (
    <>
      <div class="leader-bar">
        <p>{t('leader.active')}</p>
        <button type="button" class="button" onClick={leaveLeaderMode}>
          {t('leader.leave')}
        </button>
      </div>
      {children}
    </>
  );
}

function PinInput(props: {
  id: string;
  label: string;
  value: string;
  onInput: (v: string) => void;
  error?: string | undefined;
  inputRef?: { current: HTMLInputElement | null };
}) {
  return (
    <div class={`field${props.error ? ' field--error' : ''}`}>
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        ref={props.inputRef ?? null}
        type="password"
        inputMode="numeric"
        autoComplete="off"
        maxLength={8}
        value={props.value}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={props.error ? `${props.id}-error` : undefined}
        onInput={(e) => props.onInput(e.currentTarget.value)}
      />
      {props.error ? (
        <p class="field__error" id={`${props.id}-error`}>
          {props.error}
        </p>
      ) : null}
    </div>
  );
}

function PinSetup() {
  const t = useT();
  const [pin, setPin] = useState('');
  const [repeat, setRepeat] = useState('');
  const [error, setError] = useState<{ field: 'pin' | 'repeat'; key: MessageKey } | null>(null);
  const first = useRef<HTMLInputElement>(null);
  const second = useRef<HTMLInputElement>(null);

  async function submit(e: Event) {
    e.preventDefault();
    if (!PIN_PATTERN.test(pin)) {
      setError({ field: 'pin', key: 'leader.pinFormat' });
      first.current?.focus();
      return;
    }
    if (pin !== repeat) {
      setError({ field: 'repeat', key: 'leader.pinMismatch' });
      second.current?.focus();
      return;
    }
    await setLeaderPin(appDb(), pin);
    enterLeaderMode();
  }

  return (
    <form class="card leader-gate" onSubmit={submit} noValidate>
      <h2>{t('leader.setupTitle')}</h2>
      <p>{t('leader.setupIntro')}</p>
      <PinInput
        id="leader-pin-new"
        label={t('leader.newPin')}
        value={pin}
        onInput={setPin}
        inputRef={first}
        error={error?.field === 'pin' ? t(error.key) : undefined}
      />
      <PinInput
        id="leader-pin-repeat"
        label={t('leader.repeatPin')}
        value={repeat}
        onInput={setRepeat}
        inputRef={second}
        error={error?.field === 'repeat' ? t(error.key) : undefined}
      />
      <button type="submit" class="button button--primary">
        {t('leader.setPin')}
      </button>
    </form>
  );
}

function PinEntry() {
  const t = useT();
  const [pin, setPin] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);

  async function submit(e: Event) {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    const result = await verifyLeaderPin(appDb(), pin);
    setBusy(false);
    setPin('');
    if (result.ok) {
      enterLeaderMode();
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
      <PinInput id="leader-pin" label={t('leader.pin')} value={pin} onInput={setPin} inputRef={input} error={message ?? undefined} />
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
