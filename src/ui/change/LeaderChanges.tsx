/**
 * The leader overview's after-the-decision parts: what is due (follow-ups
 * whose date has come or comes within a week, parked ideas back on their
 * date, changes nobody wrote about for 30 days), and the unit's changes: those
 * running against the unit's limit, and those closed (which no longer count).
 */
import { format, parseISO, subDays } from 'date-fns';
import { QUIET_DAYS, stepRung, type Unit } from '../../domain';
import { unitChanges, type DueEntry } from '../../data/changes';
import { appDb } from '../appDb';
import { useT } from '../i18n/useT';
import '../i18n/methodStrings';
import { href } from '../navigation';
import { useLiveQuery } from '../useLiveQuery';
import { LadderMeter } from './ChangesNow';
import { DueBadge } from './DueBadge';
import { longDate } from './format';
import './change.css';

export function LeaderChanges({ unit }: { unit: Pick<Unit, 'id' | 'activeChangeLimit'> }) {
  const t = useT();
  const changes = useLiveQuery(() => unitChanges(appDb(), unit.id), [unit.id]).value;
  if (!changes) return <p role="status">{t('app.loading')}</p>;
  const { due, open, closed } = changes;
  return (
    <>
      <section class="due" aria-labelledby="due-title">
        <h2 id="due-title">{t('due.title')}</h2>
        {due.length === 0 ? (
          <p class="empty-note">{t('due.none')}</p>
        ) : (
          <>
            <p>{t.plural('due.count', due.length)}</p>
            <ol class="due__list">
              {due.map((item) => (
                <DueItemRow key={`${item.reason}/${item.ideaId}`} item={item} />
              ))}
            </ol>
          </>
        )}
      </section>
      <section aria-labelledby="changes-title">
        <h2 id="changes-title">{t('changes.title')}</h2>
        <p>{t('changes.load', { active: open.length, limit: unit.activeChangeLimit })}</p>
        {open.length === 0 ? (
          <p class="empty-note">{t('changes.none')}</p>
        ) : (
          <ul class="change-list">
            {open.map(({ idea, change, step, realisation }) => (
              <li key={idea.id} class="card change-list__item">
                <a href={href('change', idea.id)}>{idea.impossibleNow}</a>
                <p class="change-list__meta">
                  <span class="badge">{t(`status.${idea.status}`)}</span>{' '}
                  {step ? t('now.step', { step: t(`step.${step}`), rung: stepRung(step) }) : t('now.noStep')}
                  {change.nextFollowUp ? ` · ${t('changes.next', { date: longDate(change.nextFollowUp, t) })}` : ''}
                  {realisation.benefits
                    ? ` · ${t('changes.realised', { realised: realisation.realised, benefits: realisation.benefits })}`
                    : ''}
                </p>
                <LadderMeter rung={step ? stepRung(step) : 0} />
              </li>
            ))}
          </ul>
        )}
        {closed.length ? (
          <details>
            <summary>{t('changes.closedTitle')}</summary>
            <ul class="change-list">
              {closed.map(({ idea, change }) => (
                <li key={idea.id}>
                  <a href={href('change', idea.id)}>{idea.impossibleNow}</a> – {t(`change.state.${change.state}`)}{' '}
                  {change.closing ? longDate(change.closing.createdAt, t) : ''}
                </li>
              ))}
            </ul>
          </details>
        ) : null}
      </section>
    </>
  );
}

/** The day of the latest log entry of a change that became quiet on `dueOn`. */
const lastEntryDay = (dueOn: string) => format(subDays(parseISO(dueOn), QUIET_DAYS), 'yyyy-MM-dd');

function DueItemRow({ item }: { item: DueEntry }) {
  const t = useT();
  const what =
    item.reason === 'followUp'
      ? t('due.followUp', { date: longDate(item.dueOn, t) })
      : item.reason === 'parkedReturns'
        ? t('due.parkedReturns', { date: longDate(item.dueOn, t) })
        : t('due.quiet', { date: longDate(lastEntryDay(item.dueOn), t) });
  const short = item.idea.impossibleNow.slice(0, 80);
  return (
    <li class={`card due__item${item.daysLeft < 0 ? ' due__item--overdue' : ''}`}>
      <a href={href(item.reason === 'parkedReturns' ? 'idea' : 'change', item.idea.id)}>{item.idea.impossibleNow}</a>
      <p>
        {what} <DueBadge daysLeft={item.daysLeft} />
      </p>
      {item.reason === 'parkedReturns' ? (
        <p class="actions">
          <a class="button" href={href('evaluate', item.idea.id)}>
            {t('evaluation.toEvaluate')}
            <span class="visually-hidden">{`: ${short}`}</span>
          </a>
          <a class="button" href={href('decide', item.idea.id)}>
            {t('decision.toDecide')}
            <span class="visually-hidden">{`: ${short}`}</span>
          </a>
        </p>
      ) : (
        <p class="actions">
          <a class="button" href={href('change', item.idea.id)}>
            {t('due.toChange')}
            <span class="visually-hidden">{`: ${short}`}</span>
          </a>
        </p>
      )}
    </li>
  );
}
