/** A labelled input (text, number or date) or textarea with its hint and error tied in via aria-describedby. */
import type { JSX } from 'preact';

interface FieldProps {
  id: string;
  label: string;
  value: string;
  onInput: (value: string) => void;
  error?: string | undefined;
  hint?: string | undefined;
  multiline?: boolean;
  /** For an input: text (the default), a whole number, or a date. */
  type?: 'text' | 'number' | 'date';
  /** For a number: its range (the browser's spin buttons; the schema still decides). */
  min?: number;
  max?: number;
  required?: boolean;
  inputRef?: { current: HTMLInputElement | HTMLTextAreaElement | null };
  maxLength?: number;
  autoComplete?: string;
}

export function Field(props: FieldProps) {
  const describedBy =
    [props.hint ? `${props.id}-hint` : null, props.error ? `${props.id}-error` : null].filter(Boolean).join(' ') || undefined;
  // Absent attributes are left out rather than set to undefined (exactOptionalPropertyTypes).
  const common = {
    id: props.id,
    name: props.id,
    value: props.value,
    ...(props.required !== undefined ? { required: props.required } : {}),
    ...(props.maxLength !== undefined ? { maxLength: props.maxLength } : {}),
    ...(props.error ? { 'aria-invalid': true } : {}),
    ...(describedBy ? { 'aria-describedby': describedBy } : {}),
    onInput: (e: JSX.TargetedEvent<HTMLInputElement | HTMLTextAreaElement>) => props.onInput(e.currentTarget.value),
  };
  const type = props.type ?? 'text';
  return (
    <div class={`field${props.error ? ' field--error' : ''}`}>
      <label for={props.id}>{props.label}</label>
      {props.hint ? (
        <p class="field__hint" id={`${props.id}-hint`}>
          {props.hint}
        </p>
      ) : null}
      {props.multiline ? (
        <textarea {...common} rows={3} ref={props.inputRef as { current: HTMLTextAreaElement | null } | null} />
      ) : (
        <input
          {...common}
          type={type}
          {...(type === 'number' ? { inputMode: 'numeric' as const } : {})}
          {...(props.min !== undefined ? { min: props.min } : {})}
          {...(props.max !== undefined ? { max: props.max } : {})}
          autoComplete={props.autoComplete ?? 'off'}
          ref={props.inputRef as { current: HTMLInputElement | null } | null}
        />
      )}
      {props.error ? (
        <p class="field__error" id={`${props.id}-error`}>
          <span aria-hidden="true">⚠ </span>
          {props.error}
        </p>
      ) : null}
    </div>
  );
}
