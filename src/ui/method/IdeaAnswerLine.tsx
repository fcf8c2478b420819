/** The answer on the idea's own row on the board: date, outcome and rationale in one line (full text on the idea). */
import { currentDecision, isAnswered, statusForOutcome, statusForSteeringOutcome, steeringAnswer, type Idea } from '../../domain';
import { ideaDecisions, ideaSteeringDecisions } from '../../data/method';
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
  // The steering group's answer, when the unit forwarded the idea and it has answered; else the unit's.
  const answer = useLiveQuery(async () => {
    const [unitDecisions, steering] = await Promise.all([ideaDecisions(appDb(), ideaId), ideaSteeringDecisions(appDb(), ideaId)]);
    const unit = currentDecision(unitDecisions);
    const fromSteering = steeringAnswer(unit, steering);
    if (fromSteering) return { decision: fromSteering, status: statusForSteeringOutcome(fromSteering.outcome) };
    return unit ? { decision: unit, status: statusForOutcome(unit.outcome) } : null;
  }, [ideaId]).value;
  if (!answer) return null;
  return (
    <p class="idea-row__answer">
      {t('answer.short', {
        date: t.date(answer.decision.publishedAt!, 'date'),
        outcome: t(`status.${answer.status}`),
        rationale: answer.decision.rationale,
      })}
    </p>
  );
}
