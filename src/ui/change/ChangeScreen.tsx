/**
 * A change's own page (`#/change/<ideaId>`): what was decided and who is
 * responsible, when it is followed up next, its expected benefits and what
 * was found for them, where it stands on the anchoring ladder (a step chart
 * and its table), the learning log anyone can write in, and the follow-ups.
 * The leader's tools (state a benefit, set the ladder step, follow up or
 * close the change) are behind the leader PIN, in one place at the end.
 */
import { differenceInCalendarDays, parseISO } from 'date-fns';
import { useRef, useState } from 'preact/hooks';
import { currentStep, stepRung, type Change, type LadderStep } from '../../domain';
import { changeDetail, type ChangeDetail } from '../../data/changes';
import { appDb } from '../appDb';
import { useT } from '../i18n/useT';
import '../i18n/methodStrings';
import type { RouteProps } from '../navigation';
import { href } from '../navigation';
import { DecisionAnswer } from '../method/DecisionAnswer';
import { LeaderGate } from '../method/LeaderGate';
import { useLiveQuery } from '../useLiveQuery';
import { BenefitForm, BenefitList } from './Benefits';
import { DueBadge } from './DueBadge';
import { FollowUpForm, LadderForm } from './FollowUpForms';
import { LadderChart } from './LadderChart';
import { LearningEntries, LearningForm } from './LearningLog';
import { longDate } from './format';

export function ChangeScreen({ param }: RouteProps) {
  const t = useT();
  const id = param ?? '';
  const detail = useLiveQuery(() => changeDetail(appDb(), id), [id]).value;
  if (detail === undefined) return <p role="status">{t('app.loading')}</p>;
  if (detail === null)
    return (
      <section>
        <h1>{t('idea.notFound')}</h1>
        <a href={href('board')}>{t('idea.back')}</a>
      </section>
    );
  const { idea, change } = detail;
  if (!change)
    return (
      <section class="change" aria-labelledby="change-title">
        <h1 id="change-title">{idea.impossibleNow}</h1>
        <p>{t('change.notAChange')}</p>
        <a href={href('idea', idea.id)}>{t('change.toIdea')}</a>
      </section>
    );
  return <ChangePage detail={detail} change={change} />;
}

function ChangePage({ detail, change }: { detail: ChangeDetail; change: Change }) {
  const t = useT();
  const { idea, benefits, results, ladder, learnings } = detail;
  const [announcement, setAnnouncement] = useState('');
  const stateHeading = useRef<HTMLParagraphElement>(null);
  const step = currentStep(ladder);
  const open = change.state === 'open';
  return (
    <article class="change" aria-labelledby="change-title">
      <p>
        <a href={href('idea', idea.id)}>
          <span aria-hidden="true">← </span>
          {t('change.toIdea')}
        </a>
      </p>
      <p class="change__label">{t(`change.${change.kind}`)}</p>
      <h1 id="change-title" class="change__title">
        {idea.impossibleNow}
      </h1>
      <p class="change__state" ref={stateHeading} tabIndex={-1}>
        <span class={`badge badge--change-${change.state}`}>{t(`change.state.${change.state}`)}</span>{' '}
        {step ? t('now.step', { step: t(`step.${step}`), rung: stepRung(step) }) : t('now.noStep')}
      </p>
      <p role="status">{announcement}</p>

      <section class="card" aria-labelledby="decided-title">
        <h2 id="decided-title">{t('change.decided')}</h2>
        <DecisionAnswer decision={change.decision} />
        {change.nextFollowUp ? (
          <p class="change__next">
            <strong>{t('change.nextFollowUp', { date: longDate(change.nextFollowUp, t) })}</strong>{' '}
            <DueBadge daysLeft={differenceInCalendarDays(parseISO(change.nextFollowUp), new Date())} />
          </p>
        ) : null}
        {change.closing ? (
          <>
            <p>
              <strong>
                {change.state === 'practice'
                  ? t('change.closedPractice', { date: longDate(change.closing.createdAt, t) })
                  : t('change.closedStopped', { date: longDate(change.closing.createdAt, t), reason: change.closing.note ?? '' })}
              </strong>
            </p>
            {change.state === 'practice' && change.closing.note ? <p>{t('change.closedNote', { note: change.closing.note })}</p> : null}
          </>
        ) : null}
      </section>

      <section aria-labelledby="benefits-title">
        <h2 id="benefits-title" tabIndex={-1}>
          {t('benefit.title')}
        </h2>
        <p>{t('benefit.intro')}</p>
        <BenefitList benefits={benefits} results={results} />
      </section>

      <section aria-labelledby="ladder-title">
        <h2 id="ladder-title">{t('ladder.title')}</h2>
        <p>{t('ladder.intro')}</p>
        {ladder.length ? (
          <>
            <LadderChart steps={ladder} />
            <LadderTable steps={ladder} />
          </>
        ) : (
          <p class="empty-note">{t('ladder.none')}</p>
        )}
      </section>

      <section aria-labelledby="log-title">
        <h2 id="log-title">{t('log.title')}</h2>
        <p>{t('log.intro')}</p>
        {open ? <LearningForm idea={idea} /> : null}
        <LearningEntries entries={learnings} />
      </section>

      <section aria-labelledby="follow-ups-title">
        <h2 id="follow-ups-title">{t('followUp.history')}</h2>
        {change.followUps.length ? (
          <ol class="follow-ups">
            {change.followUps.map((f) => (
              <li key={f.id}>
                {t(`followUp.line.${f.outcome}`, { date: longDate(f.createdAt, t), next: f.nextDate ? longDate(f.nextDate, t) : '' })}
                {f.note ? ` – ${f.note}` : ''}
                {f.by ? ` (${f.by})` : ''}
              </li>
            ))}
          </ol>
        ) : (
          <p class="empty-note">{t('followUp.none')}</p>
        )}
      </section>

      <section class="change__leader" aria-labelledby="leader-tools-title">
        <h2 id="leader-tools-title">{t('change.leaderTools')}</h2>
        {open ? (
          <LeaderGate>
            {benefits.length === 0 ? <p>{t('benefit.stateNow')}</p> : null}
            <BenefitForm idea={idea} />
            <LadderForm ideaId={idea.id} />
            <FollowUpForm
              idea={idea}
              change={change}
              benefits={benefits}
              onSaved={(closed) => {
                setAnnouncement(closed ? t('followUp.closed') : t('followUp.saved'));
                stateHeading.current?.focus();
              }}
            />
          </LeaderGate>
        ) : (
          <p>{t('change.closedHint')}</p>
        )}
      </section>
    </article>
  );
}

/** The ladder's history as the table the chart is drawn from. */
function LadderTable({ steps }: { steps: readonly LadderStep[] }) {
  const t = useT();
  return (
    <div class="table-scroll">
      <table class="ladder-table">
        <caption>{t('ladder.history')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('ladder.date')}</th>
            <th scope="col">{t('ladder.step')}</th>
            <th scope="col">{t('ladder.who')}</th>
            <th scope="col">{t('ladder.note')}</th>
          </tr>
        </thead>
        <tbody>
          {steps.map((s) => (
            <tr key={s.id}>
              <td>{longDate(s.createdAt, t)}</td>
              <td>{t(`step.${s.step}`)}</td>
              <td>{s.setBy ?? ''}</td>
              <td>{s.note ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
