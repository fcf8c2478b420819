/**
 * A new leader PIN, typed twice: part of first run (a tablet without a
 * server), of enrolling a tablet (whoever holds the one-time code is the
 * leader) and of replacing a forgotten PIN. The form that holds it checks it
 * with `checkNewPin` before doing anything else, so a mistyped PIN never
 * leaves a half-done enrollment behind.
 */
import type { Ref } from 'preact';
import { PIN_PATTERN } from '../../data/leaderPin';
import type { PlainKey } from '../i18n';
import { useT } from '../i18n/useT';

export interface NewPin {
  pin: string;
  repeat: string;
}

export type PinError = { field: 'pin' | 'repeat'; key: PlainKey } | null;

/** Why the two entries cannot be the new PIN, or null. */
export function checkNewPin({ pin, repeat }: NewPin): PinError {
  if (!PIN_PATTERN.test(pin)) return { field: 'pin', key: 'pin.format' };
  if (pin !== repeat) return { field: 'repeat', key: 'pin.mismatch' };
  return null;
}

/** The input of the field a PinError is about (to move focus there). */
export const pinFieldId = (idPrefix: string, error: NonNullable<PinError>) => `${idPrefix}-${error.field}`;

export function PinFields({
  idPrefix,
  value,
  onInput,
  error,
  replacing = false,
  firstRef,
}: {
  idPrefix: string;
  value: NewPin;
  onInput: (value: NewPin) => void;
  error: PinError;
  /** A forgotten PIN is being replaced ("Ny leder-PIN"). */
  replacing?: boolean;
  firstRef?: Ref<HTMLInputElement>;
}) {
  const t = useT();
  const field = (name: 'pin' | 'repeat', label: string, ref?: Ref<HTMLInputElement>) => {
    const id = `${idPrefix}-${name}`;
    const message = error?.field === name ? t(error.key) : null;
    const describedBy = [name === 'pin' ? `${idPrefix}-hint` : null, message ? `${id}-error` : null].filter(Boolean).join(' ');
    return (
      <div class={`field${message ? ' field--error' : ''}`}>
        <label for={id}>{label}</label>
        <input
          id={id}
          ref={ref ?? null}
          type="password"
          inputMode="numeric"
          autoComplete="new-password"
          maxLength={8}
          value={value[name]}
          aria-invalid={message ? true : undefined}
          aria-describedby={describedBy || undefined}
          onInput={(e) => onInput({ ...value, [name]: e.currentTarget.value })}
        />
        {message ? (
          <p class="field__error" id={`${id}-error`}>
            {message}
          </p>
        ) : null}
      </div>
    );
  };
  return (
    <fieldset class="choices pin-fields">
      <legend>{t('pin.legend')}</legend>
      <p class="field__hint" id={`${idPrefix}-hint`}>
        {t('pin.hint')}
      </p>
      {field('pin', t(replacing ? 'pin.replace' : 'pin.new'), firstRef)}
      {field('repeat', t('pin.repeat'))}
    </fieldset>
  );
}
