/** The answer on the idea's own row on the board: date, outcome and rationale in one line (full text on the idea). */
import { currentDecision, isAnswered, statusForOutcome, type Idea } from '../../domain';
import { ideaDecisions } from '../../data/method';
import { appDb } from '../appDb';
import { useT } from '../i18n/useT';
import '../i18n/methodStrings';
import { useLiveQuery } from '../useLiveQuery';
// The board shows this before any method screen loaded the method's styles.
import './method.css';

export function IdeaAnswerLine({ idea }: { idea: Pick<Idea, 'id' | 'status'> }) {
  return isAnswered(idea) ? <AnswerLine ideaId={idea.id} /> : null;
}

function AnswerLine({ ideaId }: { ideaId: string }) {
  const t = useT();
  const decision = useLiveQuery(async () => currentDecision(await ideaDecisions(appDb(), ideaId)) ?? null, [ideaId]).value;
  if (!decision) return null;
  return (
    <p class="idea-row__answer">
      {t('answer.short', {
        date: t.date(new Date(decision.publishedAt!), 'date'),
        outcome: t(`status.${statusForOutcome(decision.outcome)}`),
        rationale: decision.rationale,
      })}
    </p>
  );
}
