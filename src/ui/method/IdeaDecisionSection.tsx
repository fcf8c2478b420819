/**
 * The method's part of the idea detail: the answer in force (or the response
 * clock while the idea waits) and, for an adoption or a pilot, the way to its
 * change's page; the decision history, and the leader's actions.
 */
import { ACTIVE_CHANGE_OUTCOMES, decisionHistory, currentDecision, steeringAnswer, type Idea, type UnitDecision } from '../../domain';
import { getIdea, ideaDecisions, ideaSteeringDecisions } from '../../data/method';
import { appDb } from '../appDb';
import { useT } from '../i18n/useT';
import '../i18n/methodStrings';
import { href } from '../navigation';
import { uiStore } from '../store';
import { useLiveQuery } from '../useLiveQuery';
import { useStore } from '../useStore';
import { DecisionAnswer } from './DecisionAnswer';
import { ResponseClockBadge } from './ResponseClockBadge';

export function IdeaDecisionSection({ idea }: { idea: Idea }) {
  const t = useT();
  const unit = useStore(uiStore, (s) => s.unit);
  // Undefined while loading: the answer is not known yet, so nothing is said about it (not "waiting").
  const loaded = useLiveQuery(() => ideaDecisions(appDb(), idea.id), [idea.id]).value;
  const decisions = loaded ?? [];
  const inForce = currentDecision(decisions);
  const mergedInto = useLiveQuery(
    async () => (inForce?.mergeIntoIdeaId ? (await getIdea(appDb(), inForce.mergeIntoIdeaId).catch(() => null))?.impossibleNow : undefined),
    [inForce?.mergeIntoIdeaId],
  ).value;
  const history = decisionHistory(decisions);
  return (
    <section class="idea-decision card" aria-labelledby="idea-answer-title">
      <h2 id="idea-answer-title">{t('answer.title')}</h2>
      {loaded === undefined ? (
        <p class="answer__loading" role="status">
          {t('app.loading')}
        </p>
      ) : inForce ? (
        <>
          <DecisionAnswer decision={inForce} mergedInto={mergedInto ?? undefined} />
          {inForce.outcome === 'forward' ? <SteeringAnswer idea={idea} forward={inForce} /> : null}
          {ACTIVE_CHANGE_OUTCOMES.has(inForce.outcome) ? (
            <p>
              <a class="button button--primary" href={href('change', idea.id)}>
                {t('change.open')}
              </a>
            </p>
          ) : null}
        </>
      ) : (
        <p>
          {t('answer.waiting')} {unit ? <ResponseClockBadge idea={idea} unit={unit} /> : null}
        </p>
      )}
      {history.length > 1 ? (
        <details>
          <summary>{t('decision.history')}</summary>
          <ol class="decision-history">
            {history.map(({ decision, supersededBy }) => (
              <li key={decision.id}>
                {`${t.date(new Date(decision.publishedAt!), 'date')}: ${t(`outcome.${decision.outcome}`)} – ${decision.rationale}`}
                {supersededBy ? ` (${t('decision.superseded')})` : ''}
              </li>
            ))}
          </ol>
        </details>
      ) : null}
      <p class="actions">
        <a class="button" href={href('evaluate', idea.id)}>
          {t('evaluation.toEvaluate')}
        </a>
        <a class="button" href={href('decide', idea.id)}>
          {t('decision.toDecide')}
        </a>
      </p>
    </section>
  );
}

/** For a forwarded idea: the steering group's published answer (pulled from the server), or that it is still waiting. */
function SteeringAnswer({ idea, forward }: { idea: Idea; forward: UnitDecision }) {
  const t = useT();
  const unit = useStore(uiStore, (s) => s.unit);
  const decisions = useLiveQuery(() => ideaSteeringDecisions(appDb(), idea.id), [idea.id]).value;
  if (decisions === undefined) return null;
  const answer = steeringAnswer(forward, decisions);
  return (
    <section class="steering-answer" aria-labelledby="steering-answer-title">
      <h3 id="steering-answer-title">{t('answer.steering.title')}</h3>
      {answer ? (
        <DecisionAnswer decision={answer} />
      ) : (
        <p>
          {t('answer.steering.waiting')} {unit ? <ResponseClockBadge idea={idea} unit={unit} /> : null}
        </p>
      )}
    </section>
  );
}
