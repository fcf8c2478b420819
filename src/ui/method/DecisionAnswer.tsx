/** A published decision in plain language, as the idea bearer reads it: outcome, why, who took part, when, and what happens next. */
import type { UnitDecision } from '../../domain';
import { useT } from '../i18n/useT';
import '../i18n/methodStrings';
import { describeParties } from './PartiesEditor';

const day = (iso: string, t: ReturnType<typeof useT>) => t.date(iso, 'date');

export function DecisionAnswer({ decision, mergedInto }: { decision: UnitDecision; mergedInto?: string | undefined }) {
  const t = useT();
  return (
    <div class={`answer answer--${decision.outcome}`}>
      <p class="answer__outcome">
        <strong>{t(`answer.${decision.outcome}`)}</strong>
      </p>
      <p class="answer__rationale">{t('answer.because', { rationale: decision.rationale })}</p>
      {decision.responsible && decision.followUpDate ? (
        <p>{t('answer.followUp', { who: decision.responsible, date: day(decision.followUpDate, t) })}</p>
      ) : null}
      {decision.parkUntil ? <p>{t('answer.parkUntil', { date: day(decision.parkUntil, t) })}</p> : null}
      {decision.outcome === 'merge' && mergedInto ? <p>{t('answer.mergedInto', { idea: mergedInto })}</p> : null}
      <p>{t('answer.participants', { who: describeParties(decision.participants, t) })}</p>
      {decision.publishedAt ? (
        <p class="answer__meta">{t('answer.published', { date: day(decision.publishedAt, t), who: decision.publishedBy ?? '' })}</p>
      ) : null}
    </div>
  );
}
