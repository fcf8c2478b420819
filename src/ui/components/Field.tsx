/** A labelled text input or textarea with its error tied in via aria-describedby. */
import type { JSX } from 'preact';

interface FieldProps {
  id: string;
  label: string;
  value: string;
  onInput: (value: string) => void;
  error?: string | undefined;
  hint?: string | undefined;
  multiline?: boolean;
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
          type="text"
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
