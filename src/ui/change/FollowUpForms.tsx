/**
 * The leader's follow-up of an open change: a result for each expected
 * benefit (realised or not, what was measured or seen), where the change
 * stands on the anchoring ladder, and what now — go on with a new follow-up
 * date (a pilot: extend it), or close it as the new practice, or stop it with
 * the reason. Saved in one commit; a closing frees the change's slot under the
 * unit's limit at once. Also the quick form to set the ladder step alone.
 */
import { addMonths, format } from 'date-fns';
import { useState } from 'preact/hooks';
import {
  AnchoringStep,
  BenefitResult,
  FollowUp,
  FollowUpOutcome,
  Realisation,
  newId,
  type Benefit,
  type Change,
  type Idea,
} from '../../domain';
import { recordFollowUp, setLadderStep, type ResultInput } from '../../data/changes';
import { appDb } from '../appDb';
import { Field } from '../components/Field';
import { checkForm, firstInvalid, withoutError, type FieldMessage, type FormErrors } from '../formErrors';
import type { PlainKey } from '../i18n';
import { useT } from '../i18n/useT';
import '../i18n/methodStrings';
import { leaderStore } from '../method/leaderMode';
import { storageErrorKey } from '../storageMessages';
import { NumberField } from './Benefits';
import { readNumber } from './format';

/** Where the change stands now: one of the four steps, with what shows it. */
export function LadderForm({ ideaId }: { ideaId: string }) {
  const t = useT();
  const [step, setStep] = useState<AnchoringStep | ''>('');
  const [note, setNote] = useState('');
  const [error, setError] = useState(false);
  const [status, setStatus] = useState('');
  async function submit(e: Event) {
    e.preventDefault();
    if (!step) {
      setError(true);
      document.getElementById('ladder-step-awareness')?.focus();
      return;
    }
    try {
      await setLadderStep(appDb(), ideaId, step, note.trim() || null, leaderStore.getState().leaderName);
      setStep('');
      setNote('');
      setStatus(t('ladder.saved'));
    } catch (err) {
      setStatus(t(storageErrorKey(err)));
    }
  }
  return (
    <form class="card ladder-form" onSubmit={submit} noValidate aria-labelledby="ladder-form-title">
      <h3 id="ladder-form-title">{t('ladder.set')}</h3>
      <StepChoice
        name="ladder-step"
        value={step}
        onChange={(s) => (setStep(s), setError(false))}
        error={error ? t('ladder.error.step') : undefined}
      />
      <Field id="ladder-note" label={t('ladder.noteLabel')} value={note} onInput={setNote} maxLength={1000} />
      <button type="submit" class="button button--primary">
        {t('ladder.save')}
      </button>
      <p role="status">{status}</p>
    </form>
  );
}

function StepChoice(props: {
  name: string;
  value: AnchoringStep | '';
  onChange: (step: AnchoringStep | '') => void;
  legend?: string;
  unchanged?: boolean;
  error?: string | undefined;
}) {
  const t = useT();
  return (
    <fieldset class="choices" aria-describedby={props.error ? `${props.name}-error` : undefined}>
      <legend>{props.legend ?? t('ladder.set')}</legend>
      <div class="radio-column">
        {props.unchanged ? (
          <label class="choice">
            <input
              type="radio"
              name={props.name}
              id={`${props.name}-unchanged`}
              checked={props.value === ''}
              onChange={() => props.onChange('')}
            />
            {t('followUp.stepUnchanged')}
          </label>
        ) : null}
        {AnchoringStep.options.map((s) => (
          <label class="choice" key={s}>
            <input
              type="radio"
              name={props.name}
              id={`${props.name}-${s}`}
              checked={props.value === s}
              onChange={() => props.onChange(s)}
            />
            <span>
              <strong>{t(`step.${s}`)}</strong>
              <span class="choice__explain">{t(`step.${s}.explain`)}</span>
            </span>
          </label>
        ))}
      </div>
      {props.error ? (
        <p class="field__error" id={`${props.name}-error`}>
          <span aria-hidden="true">⚠ </span>
          {props.error}
        </p>
      ) : null}
    </fieldset>
  );
}

interface ResultDraft {
  realised: Realisation | '';
  measured: string;
  observed: string;
}

type FormField = 'outcome' | 'nextDate' | 'note' | 'by';
const FIRST_CONTROL: Record<FormField, string> = {
  outcome: 'followUp-outcome-continue',
  nextDate: 'followUp-nextDate',
  note: 'followUp-note',
  by: 'followUp-by',
};
/** The form's words for what the follow-up's schema refuses (records/followUp.ts), in the form's order. */
const MESSAGES: Record<FormField, FieldMessage> = {
  outcome: { key: 'followUp.error.outcome' },
  nextDate: { key: 'followUp.error.nextDate' },
  note: (issue) => (issue.code === 'too_big' ? undefined : { key: 'followUp.error.reason' }),
  by: () => undefined,
};

/** A follow-up of the open change on `idea`. `onSaved` hears whether it closed the change. */
export function FollowUpForm({
  idea,
  change,
  benefits,
  onSaved,
}: {
  idea: Pick<Idea, 'id' | 'unitId'>;
  change: Change;
  benefits: readonly Benefit[];
  onSaved: (closed: boolean) => void;
}) {
  const t = useT();
  const [results, setResults] = useState<Record<string, ResultDraft>>({});
  const [step, setStep] = useState<AnchoringStep | ''>('');
  const [outcome, setOutcome] = useState<FollowUpOutcome | ''>('');
  const [nextDate, setNextDate] = useState(() => format(addMonths(new Date(), 3), 'yyyy-MM-dd'));
  const [note, setNote] = useState('');
  const [by, setBy] = useState(() => leaderStore.getState().leaderName ?? '');
  const [errors, setErrors] = useState<FormErrors<FormField>>({});
  const [resultErrors, setResultErrors] = useState<ReadonlySet<string>>(new Set());
  const [status, setStatus] = useState('');
  const pilot = change.kind === 'pilot';
  const closing = outcome === 'practice' || outcome === 'stopped';
  const setResult = (id: string, patch: Partial<ResultDraft>) => {
    setResults((r) => ({ ...r, [id]: { realised: '', measured: '', observed: '', ...r[id], ...patch } }));
    setResultErrors((s) => new Set([...s].filter((x) => x !== id)));
  };

  async function submit(e: Event) {
    e.preventDefault();
    const owner = { id: newId(), unitId: idea.unitId, ideaId: idea.id, createdAt: new Date().toISOString() };
    // Each result and the follow-up are checked with their own schemas, field by field.
    const chosen: ResultInput[] = [];
    const badResults = new Set<string>();
    for (const b of benefits) {
      const draft = results[b.id];
      if (!draft?.realised) continue;
      const result = {
        benefitId: b.id,
        realised: draft.realised,
        measured: readNumber(draft.measured),
        observed: draft.observed.trim() || null,
      };
      if (BenefitResult.safeParse({ ...owner, ...result }).success) chosen.push(result);
      else badResults.add(b.id);
    }
    const fields = {
      outcome,
      nextDate: outcome === 'continue' ? nextDate || null : null,
      note: note.trim() || null,
      by: by.trim() || null,
    };
    const checked = checkForm(FollowUp, { ...owner, decisionId: change.decision.id, ...fields }, MESSAGES);
    const found = checked.ok ? {} : checked.errors;
    setErrors(found);
    setResultErrors(badResults);
    const firstBad = benefits.find((b) => badResults.has(b.id));
    if (firstBad) document.getElementById(`result-${firstBad.id}-${firstBad.evidence === 'measure' ? 'measured' : 'observed'}`)?.focus();
    const first = firstInvalid(found);
    if (!firstBad && first) document.getElementById(FIRST_CONTROL[first])?.focus();
    if (found.form) setStatus(t.message(found.form));
    if (firstBad || !checked.ok) return;
    try {
      await recordFollowUp(appDb(), idea.id, {
        outcome: checked.value.outcome,
        nextDate: checked.value.nextDate,
        note: checked.value.note,
        by: checked.value.by,
        step: step || null,
        results: chosen,
      });
      setResults({});
      setStep('');
      setOutcome('');
      setNote('');
      setStatus(t('followUp.saved'));
      onSaved(checked.value.outcome !== 'continue');
    } catch (err) {
      setStatus(t(storageErrorKey(err)));
    }
  }

  const outcomeLabel: Record<FollowUpOutcome, PlainKey> = {
    continue: pilot ? 'followUp.outcome.continuePilot' : 'followUp.outcome.continue',
    practice: pilot ? 'followUp.outcome.practicePilot' : 'followUp.outcome.practice',
    stopped: 'followUp.outcome.stopped',
  };
  return (
    <form class="card follow-up-form" onSubmit={submit} noValidate aria-labelledby="follow-up-title">
      <h3 id="follow-up-title">{t('followUp.title')}</h3>
      <p>{t('followUp.intro')}</p>
      {benefits.length ? (
        <section aria-labelledby="follow-up-results">
          <h4 id="follow-up-results">{t('followUp.results')}</h4>
          {benefits.map((b) => {
            const draft = results[b.id] ?? { realised: '', measured: '', observed: '' };
            const bad = resultErrors.has(b.id);
            return (
              <fieldset key={b.id} class="choices result" aria-describedby={bad ? `result-${b.id}-error` : undefined}>
                <legend>{t('followUp.resultFor', { benefit: b.description })}</legend>
                <p class="field__hint">{t('followUp.realised')}</p>
                <div class="radio-row">
                  {Realisation.options.map((r) => (
                    <label class="choice" key={r}>
                      <input
                        type="radio"
                        name={`result-${b.id}`}
                        checked={draft.realised === r}
                        onChange={() => setResult(b.id, { realised: r })}
                      />
                      {t(`realised.${r}`)}
                    </label>
                  ))}
                  <label class="choice">
                    <input
                      type="radio"
                      name={`result-${b.id}`}
                      checked={draft.realised === ''}
                      onChange={() => setResult(b.id, { realised: '' })}
                    />
                    {t('followUp.notAssessed')}
                  </label>
                </div>
                {draft.realised ? (
                  <>
                    {b.evidence === 'measure' ? (
                      <NumberField
                        id={`result-${b.id}-measured`}
                        label={`${t('followUp.measured')}: ${b.indicator}`}
                        value={draft.measured}
                        onInput={(v) => setResult(b.id, { measured: v })}
                      />
                    ) : null}
                    <Field
                      id={`result-${b.id}-observed`}
                      label={t('followUp.observed')}
                      value={draft.observed}
                      onInput={(v) => setResult(b.id, { observed: v })}
                      multiline
                      maxLength={2000}
                    />
                  </>
                ) : null}
                {bad ? (
                  <p class="field__error" id={`result-${b.id}-error`}>
                    <span aria-hidden="true">⚠ </span>
                    {t('followUp.error.result')}
                  </p>
                ) : null}
              </fieldset>
            );
          })}
        </section>
      ) : null}
      <StepChoice name="followUp-step" legend={t('followUp.step')} value={step} onChange={setStep} unchanged />
      <fieldset class="choices" aria-describedby={errors.outcome ? 'followUp-outcome-error' : undefined}>
        <legend>{t('followUp.outcome')}</legend>
        <div class="radio-column">
          {FollowUpOutcome.options.map((o) => (
            <label class="choice" key={o}>
              <input
                type="radio"
                name="followUp-outcome"
                id={`followUp-outcome-${o}`}
                checked={outcome === o}
                onChange={() => {
                  setOutcome(o);
                  setErrors((e) => withoutError(e, 'outcome'));
                }}
              />
              {t(outcomeLabel[o])}
            </label>
          ))}
        </div>
        {errors.outcome ? (
          <p class="field__error" id="followUp-outcome-error">
            <span aria-hidden="true">⚠ </span>
            {t.message(errors.outcome)}
          </p>
        ) : null}
      </fieldset>
      {outcome === 'continue' ? (
        <div class={`field${errors.nextDate ? ' field--error' : ''}`}>
          <label for="followUp-nextDate">{t('followUp.nextDate')}</label>
          <input
            id="followUp-nextDate"
            type="date"
            required
            value={nextDate}
            aria-invalid={errors.nextDate ? true : undefined}
            aria-describedby={errors.nextDate ? 'followUp-nextDate-error' : undefined}
            onInput={(e) => {
              setNextDate(e.currentTarget.value);
              setErrors((x) => withoutError(x, 'nextDate'));
            }}
          />
          {errors.nextDate ? (
            <p class="field__error" id="followUp-nextDate-error">
              <span aria-hidden="true">⚠ </span>
              {t.message(errors.nextDate)}
            </p>
          ) : null}
        </div>
      ) : null}
      <Field
        id="followUp-note"
        label={outcome === 'stopped' ? t('followUp.reason') : t('followUp.note')}
        value={note}
        onInput={(v) => {
          setNote(v);
          setErrors((x) => withoutError(x, 'note'));
        }}
        multiline
        required={outcome === 'stopped'}
        maxLength={2000}
        error={errors.note ? t.message(errors.note) : undefined}
      />
      <Field
        id="followUp-by"
        label={t('followUp.by')}
        value={by}
        onInput={(v) => {
          setBy(v);
          setErrors((x) => withoutError(x, 'by'));
        }}
        maxLength={120}
        autoComplete="name"
        error={errors.by ? t.message(errors.by) : undefined}
      />
      <button type="submit" class="button button--primary">
        {closing ? t('followUp.saveClosing') : t('followUp.save')}
      </button>
      <p role="status">{status}</p>
    </form>
  );
}
