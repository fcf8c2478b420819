/** The one helper every form uses to turn a domain schema's refusal into field messages (src/ui/formErrors.ts). */
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { RequiredText } from '../../src/domain';
import { checkForm, firstInvalid, withoutError, type FieldMessage } from '../../src/ui/formErrors';

const Schema = z
  .object({ title: RequiredText(10), count: z.number().int().min(1).max(5), tags: z.array(RequiredText(3)).max(2), hidden: z.string() })
  .superRefine((v, ctx) => {
    if (v.count === 3) ctx.addIssue({ code: 'custom', path: ['count'], message: 'notThree' });
  });
const messages: Record<'title' | 'count' | 'tags', FieldMessage> = {
  title: { key: 'capture.errorRequired' },
  count: (issue) => (issue.message === 'notThree' ? { key: 'form.error.invalid' } : undefined),
  tags: { key: 'decision.error.rationale' },
};

describe('checkForm', () => {
  it('gives the parsed value when the schema takes the input', () => {
    expect(checkForm(Schema, { title: ' Hei ', count: 2, tags: [], hidden: 'x' }, messages)).toEqual({
      ok: true,
      value: { title: 'Hei', count: 2, tags: [], hidden: 'x' },
    });
  });

  it("words each field's first refusal, in the form's order; a text over its length says the schema's maximum", () => {
    const checked = checkForm(Schema, { title: 'x'.repeat(11), count: 3, tags: ['abcd'], hidden: 'x' }, messages);
    expect(checked).toEqual({
      ok: false,
      errors: {
        title: { key: 'form.error.tooLong', params: { max: 10 } },
        count: { key: 'form.error.invalid' },
        tags: { key: 'form.error.tooLong', params: { max: 3 } },
      },
    });
    expect(Object.keys(checked.ok ? {} : checked.errors)).toEqual(['title', 'count', 'tags']);
  });

  it('a static message covers any other refusal; a wording function that declines gets the generic one', () => {
    const checked = checkForm(Schema, { title: '  ', count: 9, tags: ['a', 'b', 'c'], hidden: 'x' }, messages);
    expect(checked.ok ? {} : checked.errors).toEqual({
      title: { key: 'capture.errorRequired' },
      count: { key: 'form.error.invalid' },
      tags: { key: 'decision.error.rationale' },
    });
  });

  it('a refusal in a field the form does not show is never silent', () => {
    const checked = checkForm(Schema, { title: 'Hei', count: 2, tags: [], hidden: 7 }, messages);
    expect(checked).toEqual({ ok: false, errors: { form: { key: 'form.error.other' } } });
    expect(firstInvalid(checked.ok ? {} : checked.errors)).toBeUndefined();
  });
});

it('firstInvalid and withoutError', () => {
  const errors = { count: { key: 'form.error.invalid' }, tags: { key: 'form.error.invalid' }, form: { key: 'form.error.other' } } as const;
  expect(firstInvalid(errors)).toBe('count');
  expect(withoutError(errors, 'count')).toEqual({ tags: { key: 'form.error.invalid' }, form: { key: 'form.error.other' } });
  expect(errors.count).toBeDefined(); // a copy
});
