/**
 * Field messages from a domain schema's refusal. Every form checks what was
 * typed with the record's own schema, the rule the repository and the server
 * apply too (one source per rule), and shows beside each field a message for
 * the first thing the schema refused in it. The form only words the
 * refusals; the rules and their numbers (a text's longest length, a range)
 * stay in the schema.
 */
import type { z } from 'zod';
import type { Message } from './i18n';

type Issue = z.core.$ZodIssue;

/**
 * How a form words a refusal in one of its fields: one message for whatever
 * the schema refused there, or one per issue (undefined: the generic one). A
 * text over its length gets the generic "too long (at most N)" unless worded.
 */
export type FieldMessage = Message | ((issue: Issue) => Message | undefined);

/** The form's messages by field, in the form's order; `form` when the schema refused something the form does not show. */
export type FormErrors<F extends string> = Partial<Record<F | 'form', Message>>;

export type Checked<T, F extends string> = { ok: true; value: T } | { ok: false; errors: FormErrors<F> };

/** Parse a form's input with a domain schema: the parsed value, or the form's messages. */
export function checkForm<S extends z.ZodType, F extends string>(
  schema: S,
  input: unknown,
  messages: Record<F, FieldMessage>,
): Checked<z.output<S>, F> {
  const parsed = schema.safeParse(input);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, errors: formErrors(parsed.error.issues, messages) };
}

/** The first issue of each field (by the first key of its path) as the form's message, in the order `messages` lists the fields. */
export function formErrors<F extends string>(issues: readonly Issue[], messages: Record<F, FieldMessage>): FormErrors<F> {
  const errors: FormErrors<F> = {};
  const fields = Object.keys(messages) as F[];
  for (const field of fields) {
    const issue = issues.find((i) => i.path.length > 0 && String(i.path[0]) === field);
    if (issue) errors[field] = wording(messages[field], issue);
  }
  if (issues.some((i) => !fields.includes(String(i.path[0]) as F))) errors.form = { key: 'form.error.other' };
  return errors;
}

/** The first field (in the form's order) with a message, to move focus to; undefined when only `form` has one. */
export function firstInvalid<F extends string>(errors: FormErrors<F>): F | undefined {
  return (Object.keys(errors) as Array<F | 'form'>).find((f): f is F => f !== 'form');
}

/** The messages without one field's (the person changed that field). */
export function withoutError<F extends string>(errors: FormErrors<F>, field: F): FormErrors<F> {
  const rest = { ...errors };
  delete rest[field];
  return rest;
}

function wording(message: FieldMessage, issue: Issue): Message {
  const own = typeof message === 'function' ? message(issue) : undefined;
  if (own) return own;
  if (issue.code === 'too_big' && issue.origin === 'string') return { key: 'form.error.tooLong', params: { max: Number(issue.maximum) } };
  return typeof message === 'function' ? { key: 'form.error.invalid' } : message;
}
