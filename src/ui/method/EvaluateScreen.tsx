/**
 * Multi-party evaluation of one idea against the unit's current procedure
 * (leader mode). Each criterion shows its guidance; a score is chosen on the
 * criterion's scale or left unscored. Several evaluations per idea; the
 * summary below compares them, with what each recommends. The first evaluation moves a new idea under
 * evaluation (data/method.ts does that in the same commit).
 */
import { useEffect, useState } from 'preact/hooks';
import { ChangeKind, DecisionOutcome, EvaluationInput, type Party } from '../../domain';
import { ensureProcedure, getIdea, procedureVersions, recordEvaluation } from '../../data/method';
import { appDb } from '../appDb';
import { Field } from '../components/Field';
import { checkForm, firstInvalid, withoutError, type FormErrors } from '../formErrors';
import { useT } from '../i18n/useT';
import '../i18n/methodStrings';
import type { RouteProps } from '../navigation';
import { href } from '../navigation';
import { uiStore } from '../store';
import { storageErrorKey } from '../storageMessages';
import { useLiveQuery } from '../useLiveQuery';
import { useStore } from '../useStore';
import { criterionGuidance, criterionLabel } from './criteria';
import { IdeaEvaluations } from './IdeaEvaluations';
import { LeaderGate } from './LeaderGate';
import { leaderStore, useLeaderMode } from './leaderMode';
import { PartiesEditor } from './PartiesEditor';

interface ScoreDraft {
  score: string;
  note: string;
}

export function EvaluateScreen({ param }: RouteProps) {
  const t = useT();
  const id = param ?? '';
  const unitId = useStore(uiStore, (s) => s.unit?.id ?? '');
  const idea = useLiveQuery(() => getIdea(appDb(), id).catch(() => null), [id]).value;
  const procedure = useLiveQuery(async () => (await procedureVersions(appDb(), unitId))[0] ?? null, [unitId]).value;
  const leader = useLeaderMode();

  // First use in leader mode: the unit gets version 1 of the default procedure.
  useEffect(() => {
    if (leader && procedure === null && unitId) void ensureProcedure(appDb(), unitId);
  }, [leader, procedure, unitId]);

  if (idea === undefined) return <p role="status">{t('app.loading')}</p>;
  if (idea === null) return <h1>{t('idea.notFound')}</h1>;

  return (
    <section class="evaluate" aria-labelledby="evaluate-title">
      <h1 id="evaluate-title">{t('evaluation.title')}</h1>
      <p class="lead">
        <a href={href('idea', idea.id)}>{idea.impossibleNow}</a>
      </p>
      <LeaderGate>
        {procedure ? <EvaluationForm key={procedure.id} ideaId={idea.id} ideaKind={idea.kind} /> : <p role="status">{t('app.loading')}</p>}
      </LeaderGate>
      <section aria-labelledby="summary-title">
        <h2 id="summary-title" tabIndex={-1}>
          {t('evaluation.summary')}
        </h2>
        <IdeaEvaluations ideaId={idea.id} unitId={unitId} />
      </section>
      <p>
        <a class="button" href={href('decide', idea.id)}>
          {t('decision.toDecide')}
        </a>
      </p>
    </section>
  );
}

/** The form starts from the idea: its kind of change, and the leader (named as when unlocking) among the parties. */
function EvaluationForm({ ideaId, ideaKind }: { ideaId: string; ideaKind: ChangeKind | null }) {
  const t = useT();
  const unitId = useStore(uiStore, (s) => s.unit?.id ?? '');
  const procedure = useLiveQuery(async () => (await procedureVersions(appDb(), unitId))[0] ?? null, [unitId]).value;
  const [parties, setParties] = useState<Party[]>(() => [{ role: 'leader', name: leaderStore.getState().leaderName }]);
  const [scores, setScores] = useState<Record<string, ScoreDraft>>({});
  const [kind, setKind] = useState<ChangeKind | ''>(ideaKind ?? '');
  const [recommendation, setRecommendation] = useState<DecisionOutcome | ''>('');
  const [note, setNote] = useState('');
  const [status, setStatus] = useState('');
  const [errors, setErrors] = useState<FormErrors<'participants' | 'note'>>({});

  if (!procedure) return <p role="status">{t('app.loading')}</p>;
  const setScore = (key: string, patch: Partial<ScoreDraft>) =>
    setScores((s) => ({ ...s, [key]: { score: '', note: '', ...s[key], ...patch } }));

  async function submit(e: Event) {
    e.preventDefault();
    if (!procedure) return;
    const checked = checkForm(
      EvaluationInput,
      {
        participants: parties,
        scores: procedure.criteria.map((c) => ({
          key: c.key,
          score: scores[c.key]?.score ? Number(scores[c.key]!.score) : null,
          note: scores[c.key]?.note ?? null,
        })),
        kind: kind || null,
        recommendation: recommendation || null,
        note,
      },
      { participants: { key: 'parties.required' }, note: { key: 'form.error.invalid' } },
    );
    setErrors(checked.ok ? {} : checked.errors);
    if (!checked.ok) {
      const first = firstInvalid(checked.errors);
      if (first) document.getElementById(first === 'participants' ? 'evaluation-parties-leader' : 'evaluation-note')?.focus();
      if (checked.errors.form) setStatus(t.message(checked.errors.form));
      return;
    }
    try {
      const idea = await getIdea(appDb(), ideaId);
      await recordEvaluation(appDb(), idea, procedure, checked.value);
      setScores({});
      setNote('');
      setKind(ideaKind ?? '');
      setRecommendation('');
      setStatus(t('evaluation.saved'));
      document.getElementById('summary-title')?.focus();
    } catch (err) {
      setStatus(t(storageErrorKey(err)));
    }
  }

  return (
    <form class="card evaluation-form" onSubmit={submit} noValidate>
      <p>{t('evaluation.procedureUsed', { version: procedure.version })}</p>
      <PartiesEditor
        id="evaluation-parties"
        value={parties}
        onChange={(p) => {
          setParties(p);
          setErrors((e) => withoutError(e, 'participants'));
        }}
        error={errors.participants ? t.message(errors.participants) : undefined}
      />
      {procedure.criteria.map((c) => {
        const guidance = criterionGuidance(c, t);
        const value = scores[c.key]?.score ?? '';
        const steps = Array.from({ length: c.scaleMax - c.scaleMin + 1 }, (_, i) => c.scaleMin + i);
        return (
          <fieldset key={c.key} class="choices criterion" aria-describedby={guidance ? `crit-${c.key}-guidance` : undefined}>
            <legend>{criterionLabel(c, t)}</legend>
            {guidance ? (
              <p class="field__hint" id={`crit-${c.key}-guidance`}>
                {guidance}
              </p>
            ) : null}
            <p class="criterion__scale-hint">{t('evaluation.scale', { min: c.scaleMin, max: c.scaleMax })}</p>
            <div class="radio-row">
              {steps.map((n) => (
                <label class="choice" key={n}>
                  <input
                    type="radio"
                    name={`crit-${c.key}`}
                    value={String(n)}
                    checked={value === String(n)}
                    onChange={() => setScore(c.key, { score: String(n) })}
                  />
                  {String(n)}
                </label>
              ))}
              <label class="choice">
                <input
                  type="radio"
                  name={`crit-${c.key}`}
                  value=""
                  checked={value === ''}
                  onChange={() => setScore(c.key, { score: '' })}
                />
                {t('evaluation.notScored')}
              </label>
            </div>
            <div class="field">
              <label for={`crit-${c.key}-note`}>{t('evaluation.note', { criterion: criterionLabel(c, t) })}</label>
              <input
                id={`crit-${c.key}-note`}
                type="text"
                maxLength={1000}
                value={scores[c.key]?.note ?? ''}
                onInput={(e) => setScore(c.key, { note: e.currentTarget.value })}
              />
            </div>
          </fieldset>
        );
      })}
      <fieldset class="choices">
        <legend>{t('idea.kind')}</legend>
        <div class="radio-column">
          {ChangeKind.options.map((k) => (
            <label class="choice" key={k}>
              <input type="radio" name="evaluation-kind" value={k} checked={kind === k} onChange={() => setKind(k)} />
              {`${t(`kind.${k}`)} – ${t(`kind.${k}.explain`)}`}
            </label>
          ))}
          <label class="choice">
            <input type="radio" name="evaluation-kind" value="" checked={kind === ''} onChange={() => setKind('')} />
            {t('kind.unknown')}
          </label>
        </div>
      </fieldset>
      <div class="field">
        <label for="evaluation-recommendation">{t('evaluation.recommendation')}</label>
        <select
          id="evaluation-recommendation"
          value={recommendation}
          onChange={(e) => setRecommendation(e.currentTarget.value as DecisionOutcome | '')}
        >
          <option value="">{t('evaluation.noRecommendation')}</option>
          {DecisionOutcome.options.map((o) => (
            <option key={o} value={o}>
              {t(`outcome.${o}`)}
            </option>
          ))}
        </select>
      </div>
      <Field
        id="evaluation-note"
        label={t('evaluation.generalNote')}
        value={note}
        onInput={(v) => {
          setNote(v);
          setErrors((e) => withoutError(e, 'note'));
        }}
        multiline
        maxLength={2000}
        error={errors.note ? t.message(errors.note) : undefined}
      />
      <button type="submit" class="button button--primary">
        {t('evaluation.save')}
      </button>
      <p role="status">{status}</p>
    </form>
  );
}
