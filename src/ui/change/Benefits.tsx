/**
 * A change's expected benefits (gevinstrealisering): each with whom it is for,
 * its kind, how it will be seen, and what the latest follow-up found; and the
 * leader's form to state one. The form is checked with the record's own
 * schema (zod issues, field by field), so it refuses exactly what the
 * repository and the server would.
 */
import { useState } from 'preact/hooks';
import {
  Benefit,
  BenefitEvidence,
  BenefitGroup,
  BenefitKind,
  latestResults,
  newId,
  targetReached,
  type BenefitResult,
  type Idea,
} from '../../domain';
import { addBenefit, removeBenefit } from '../../data/changes';
import { appDb } from '../appDb';
import { Field } from '../components/Field';
import { checkForm, firstInvalid, withoutError, type FieldMessage, type FormErrors } from '../formErrors';
import { useT } from '../i18n/useT';
import '../i18n/methodStrings';
import { useLeaderMode } from '../method/leaderMode';
import { storageErrorKey } from '../storageMessages';
import { longDate, numberText, readNumber } from './format';

export function BenefitList({ benefits, results }: { benefits: readonly Benefit[]; results: readonly BenefitResult[] }) {
  const t = useT();
  const leader = useLeaderMode();
  const [status, setStatus] = useState('');
  const latest = latestResults(results);
  const recorded = new Set(results.map((r) => r.benefitId));
  if (benefits.length === 0) return <p class="empty-note">{t('benefit.none')}</p>;
  async function remove(id: string) {
    try {
      await removeBenefit(appDb(), id);
      setStatus(t('benefit.removed'));
      document.getElementById('benefits-title')?.focus();
    } catch (err) {
      setStatus(t(storageErrorKey(err)));
    }
  }
  return (
    <>
      <ul class="benefits">
        {benefits.map((b) => {
          const result = latest.get(b.id);
          const reached = result?.measured !== null && result?.measured !== undefined ? targetReached(b, result.measured) : null;
          return (
            <li key={b.id} class="card benefit">
              <h3 class="benefit__title">{b.description}</h3>
              <p class="benefit__meta">
                <span class="badge">{t(`benefitKind.${b.kind}`)}</span>{' '}
                {t('benefit.for', { groups: b.forWhom.map((g) => t(`group.${g}`)).join(', ') })}
              </p>
              <p>{evidenceText(b, t)}</p>
              {result ? (
                <div class={`benefit__result benefit__result--${result.realised}`}>
                  <p>
                    <strong>
                      {t('benefit.latest', { date: longDate(result.createdAt, t), realised: t(`realised.${result.realised}`) })}
                    </strong>
                  </p>
                  {result.measured !== null ? <p>{t('benefit.measured', { value: numberText(result.measured, t) })}</p> : null}
                  {result.observed ? <p class="benefit__observed">{result.observed}</p> : null}
                  {reached === null ? null : <p>{reached ? t('benefit.reached') : t('benefit.notReached')}</p>}
                </div>
              ) : (
                <p class="benefit__pending">{t('benefit.notFollowedUp')}</p>
              )}
              {leader && !recorded.has(b.id) ? (
                <button type="button" class="button" onClick={() => void remove(b.id)}>
                  {t('benefit.remove')}
                  <span class="visually-hidden">{`: ${b.description}`}</span>
                </button>
              ) : null}
            </li>
          );
        })}
      </ul>
      <p role="status">{status}</p>
    </>
  );
}

function evidenceText(b: Benefit, t: ReturnType<typeof useT>): string {
  if (b.evidence === 'observation') return t('benefit.observation', { indicator: b.indicator });
  if (b.target === null) return t('benefit.measure', { indicator: b.indicator });
  if (b.baseline === null) return t('benefit.measureTo', { indicator: b.indicator, target: numberText(b.target, t) });
  return t('benefit.measureFromTo', { indicator: b.indicator, baseline: numberText(b.baseline, t), target: numberText(b.target, t) });
}

interface BenefitDraft {
  forWhom: BenefitGroup[];
  kind: BenefitKind | '';
  description: string;
  evidence: BenefitEvidence | '';
  indicator: string;
  baseline: string;
  target: string;
}

const EMPTY: BenefitDraft = { forWhom: [], kind: '', description: '', evidence: '', indicator: '', baseline: '', target: '' };
type BenefitField = keyof BenefitDraft;
/** The form's words for what the schema refuses, in the form's order. */
const MESSAGES: Record<BenefitField, FieldMessage> = {
  forWhom: { key: 'benefit.error.forWhom' },
  kind: { key: 'benefit.error.kind' },
  description: (issue) => (issue.code === 'too_big' ? undefined : { key: 'benefit.error.description' }),
  evidence: { key: 'benefit.error.evidence' },
  indicator: (issue) => (issue.code === 'too_big' ? undefined : { key: 'benefit.error.indicator' }),
  baseline: { key: 'benefit.error.number' },
  target: { key: 'benefit.error.number' },
};
const FIRST_CONTROL: Record<BenefitField, string> = {
  forWhom: 'benefit-forWhom-users',
  kind: 'benefit-kind-quality',
  description: 'benefit-description',
  evidence: 'benefit-evidence-measure',
  indicator: 'benefit-indicator',
  baseline: 'benefit-baseline',
  target: 'benefit-target',
};

/** The leader states an expected benefit of the change on `idea`. */
export function BenefitForm({ idea }: { idea: Pick<Idea, 'id' | 'unitId'> }) {
  const t = useT();
  const [form, setForm] = useState<BenefitDraft>(EMPTY);
  const [errors, setErrors] = useState<FormErrors<BenefitField>>({});
  const [status, setStatus] = useState('');
  const set = <K extends BenefitField>(key: K, value: BenefitDraft[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    setErrors((e) => withoutError(e, key));
  };
  const measure = form.evidence === 'measure';

  async function submit(e: Event) {
    e.preventDefault();
    const input = {
      forWhom: form.forWhom,
      kind: form.kind,
      description: form.description,
      evidence: form.evidence,
      indicator: form.indicator,
      baseline: measure ? readNumber(form.baseline) : null,
      target: measure ? readNumber(form.target) : null,
    };
    // The record's own schema decides, field by field.
    const checked = checkForm(
      Benefit,
      { ...input, id: newId(), unitId: idea.unitId, ideaId: idea.id, createdAt: new Date().toISOString() },
      MESSAGES,
    );
    if (!checked.ok) {
      setErrors(checked.errors);
      const first = firstInvalid(checked.errors);
      if (first) document.getElementById(FIRST_CONTROL[first])?.focus();
      if (checked.errors.form) setStatus(t.message(checked.errors.form));
      return;
    }
    setErrors({});
    try {
      await addBenefit(appDb(), idea, checked.value);
      setForm(EMPTY);
      setStatus(t('benefit.saved'));
      document.getElementById('benefit-forWhom-users')?.focus();
    } catch (err) {
      setStatus(t(storageErrorKey(err)));
    }
  }

  const error = (f: BenefitField) => (errors[f] ? t.message(errors[f]) : undefined);
  const errorLine = (f: BenefitField) =>
    errors[f] ? (
      <p class="field__error" id={`benefit-${f}-error`}>
        <span aria-hidden="true">⚠ </span>
        {t.message(errors[f])}
      </p>
    ) : null;
  return (
    <form class="card benefit-form" onSubmit={submit} noValidate aria-labelledby="benefit-form-title">
      <h3 id="benefit-form-title">{t('benefit.add')}</h3>
      <fieldset class="choices" aria-describedby={errors.forWhom ? 'benefit-forWhom-error' : undefined}>
        <legend>{t('benefit.forWhom')}</legend>
        {BenefitGroup.options.map((g) => (
          <label class="choice" key={g}>
            <input
              type="checkbox"
              id={`benefit-forWhom-${g}`}
              checked={form.forWhom.includes(g)}
              onChange={(e) =>
                set(
                  'forWhom',
                  e.currentTarget.checked
                    ? BenefitGroup.options.filter((x) => x === g || form.forWhom.includes(x))
                    : form.forWhom.filter((x) => x !== g),
                )
              }
            />
            {t(`group.${g}`)}
          </label>
        ))}
        {errorLine('forWhom')}
      </fieldset>
      <fieldset class="choices" aria-describedby={errors.kind ? 'benefit-kind-error' : undefined}>
        <legend>{t('benefit.kind')}</legend>
        <div class="radio-column">
          {BenefitKind.options.map((k) => (
            <label class="choice" key={k}>
              <input type="radio" id={`benefit-kind-${k}`} name="benefit-kind" checked={form.kind === k} onChange={() => set('kind', k)} />
              {t(`benefitKind.${k}`)}
            </label>
          ))}
        </div>
        {errorLine('kind')}
      </fieldset>
      <Field
        id="benefit-description"
        label={t('benefit.description')}
        hint={t('benefit.descriptionHint')}
        value={form.description}
        onInput={(v) => set('description', v)}
        maxLength={500}
        required
        error={error('description')}
      />
      <fieldset class="choices" aria-describedby={errors.evidence ? 'benefit-evidence-error' : undefined}>
        <legend>{t('benefit.evidence')}</legend>
        <div class="radio-column">
          {BenefitEvidence.options.map((v) => (
            <label class="choice" key={v}>
              <input
                type="radio"
                id={`benefit-evidence-${v}`}
                name="benefit-evidence"
                checked={form.evidence === v}
                onChange={() => set('evidence', v)}
              />
              {t(`evidence.${v}`)}
            </label>
          ))}
        </div>
        {errorLine('evidence')}
      </fieldset>
      {form.evidence ? (
        <Field
          id="benefit-indicator"
          label={t(measure ? 'benefit.indicator.measure' : 'benefit.indicator.observation')}
          hint={t(measure ? 'benefit.indicator.measureHint' : 'benefit.indicator.observationHint')}
          value={form.indicator}
          onInput={(v) => set('indicator', v)}
          maxLength={300}
          required
          error={error('indicator')}
        />
      ) : null}
      {measure ? (
        <div class="field-pair">
          <NumberField
            id="benefit-baseline"
            label={t('benefit.baseline')}
            value={form.baseline}
            onInput={(v) => set('baseline', v)}
            error={error('baseline')}
          />
          <NumberField
            id="benefit-target"
            label={t('benefit.target')}
            value={form.target}
            onInput={(v) => set('target', v)}
            error={error('target')}
          />
        </div>
      ) : null}
      <button type="submit" class="button button--primary">
        {t('benefit.save')}
      </button>
      <p role="status">{status}</p>
    </form>
  );
}

/** A number typed as text (a comma or a point for decimals, as people write them), with its error tied in. */
export function NumberField(props: { id: string; label: string; value: string; onInput: (v: string) => void; error?: string | undefined }) {
  return (
    <div class={`field${props.error ? ' field--error' : ''}`}>
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        type="text"
        inputMode="decimal"
        autoComplete="off"
        maxLength={20}
        value={props.value}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={props.error ? `${props.id}-error` : undefined}
        onInput={(e) => props.onInput(e.currentTarget.value)}
      />
      {props.error ? (
        <p class="field__error" id={`${props.id}-error`}>
          <span aria-hidden="true">⚠ </span>
          {props.error}
        </p>
      ) : null}
    </div>
  );
}
