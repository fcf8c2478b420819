/**
 * An idea's evaluations as the leader weighs them: per criterion each party's
 * score and note and where they agree or differ (EvaluationSummary), then what
 * each evaluation recommended and whether the parties agree. Shown on the
 * evaluation screen and in front of the leader on the decision screen.
 */
import { summariseRecommendations, type Criterion, type Evaluation } from '../../domain';
import { ideaEvaluations, procedureVersions, proceduresByIds } from '../../data/method';
import { appDb } from '../appDb';
import { useT } from '../i18n/useT';
import '../i18n/methodStrings';
import { useLiveQuery } from '../useLiveQuery';
import { EvaluationSummary } from './EvaluationSummary';
import { describeParties } from './PartiesEditor';

export function IdeaEvaluations({ ideaId, unitId }: { ideaId: string; unitId: string }) {
  const evaluations = useLiveQuery(() => ideaEvaluations(appDb(), ideaId), [ideaId]).value ?? [];
  const procedureIds = evaluations.map((e) => e.procedureId);
  const used = useLiveQuery(() => proceduresByIds(appDb(), procedureIds), [procedureIds.join()]).value ?? [];
  const current = useLiveQuery(async () => (await procedureVersions(appDb(), unitId))[0] ?? null, [unitId]).value;
  // Criteria of every version involved, newest wording last so it wins.
  const criteria = new Map<string, Criterion>();
  for (const p of [...used].sort((a, b) => a.version - b.version)) for (const c of p.criteria) criteria.set(c.key, c);
  for (const c of current?.criteria ?? []) criteria.set(c.key, c);
  return (
    <>
      <EvaluationSummary evaluations={evaluations} criteria={[...criteria.values()]} />
      <Recommendations evaluations={evaluations} />
    </>
  );
}

function Recommendations({ evaluations }: { evaluations: readonly Evaluation[] }) {
  const t = useT();
  if (evaluations.length === 0) return null;
  const summary = summariseRecommendations(evaluations);
  const outcome = summary.agreedOn ? t(`outcome.${summary.agreedOn}`) : '';
  return (
    <div class={`recommendations recommendations--${summary.agreement}`}>
      <h3>{t('recommendation.title')}</h3>
      <p>
        <strong>
          {summary.agreement === 'agree'
            ? t('recommendation.agree', { outcome })
            : summary.agreement === 'single'
              ? t('recommendation.single', { outcome })
              : summary.agreement === 'differ'
                ? t('recommendation.differ')
                : t('recommendation.none')}
        </strong>
      </p>
      <ul>
        {summary.by.map((b) => {
          const who = describeParties(b.participants, t);
          return (
            <li key={b.evaluationId}>
              {b.recommendation
                ? t('recommendation.by', { who, outcome: t(`outcome.${b.recommendation}`) })
                : t('recommendation.noneBy', { who })}
              {b.note ? ` – ${b.note}` : ''}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
