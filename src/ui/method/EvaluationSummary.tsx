/** Per criterion: where the parties agree (spread ≤ 1), where they differ, and who said what. */
import { summariseEvaluations, type Criterion, type Evaluation } from '../../domain';
import { useT } from '../i18n/useT';
import '../i18n/methodStrings';
import { criterionLabel } from './criteria';
import { describeParties } from './PartiesEditor';

export function EvaluationSummary({ evaluations, criteria }: { evaluations: Evaluation[]; criteria: Criterion[] }) {
  const t = useT();
  if (evaluations.length === 0) return <p class="empty">{t('evaluation.none')}</p>;
  const byKey = new Map(criteria.map((c) => [c.key, c]));
  const summaries = summariseEvaluations(
    evaluations,
    criteria.map((c) => c.key),
  );
  const fmt = new Intl.NumberFormat(t.language, { maximumFractionDigits: 1 });
  return (
    <div class="evaluation-summary">
      <p>{t.plural('evaluation.count', evaluations.length)}</p>
      <ul class="evaluation-summary__list">
        {summaries.map((s) => (
          <li key={s.key} class={`evaluation-summary__item evaluation-summary__item--${s.agreement}`}>
            <h3>{criterionLabel(byKey.get(s.key) ?? { key: s.key, label: null }, t)}</h3>
            <p>
              <strong>{t(`agreement.${s.agreement}`)}</strong>
              {s.mean !== null ? ` · ${t('agreement.range', { min: s.min!, max: s.max!, mean: fmt.format(s.mean) })}` : ''}
              {s.unscored ? ` · ${t.plural('agreement.unscoredCount', s.unscored)}` : ''}
            </p>
            {s.scores.length ? (
              <ul>
                {s.scores.map((score) => (
                  <li key={score.evaluationId}>
                    {t('agreement.said', { who: describeParties(score.participants, t), score: score.score })}
                    {score.note ? ` – ${score.note}` : ''}
                  </li>
                ))}
              </ul>
            ) : null}
          </li>
        ))}
      </ul>
    </div>
  );
}
