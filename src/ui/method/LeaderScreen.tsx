/**
 * The leader's overview, behind the leader PIN: what must be followed up now
 * and the unit's changes (src/ui/change), ideas waiting for an answer (parked
 * ones whose date has come among them), the nearest (or most overdue)
 * deadline first, with the way to evaluate and decide; and the links to the
 * procedure and unit settings.
 */
import type { Unit } from '../../domain';
import { awaitingAnswer } from '../../data/method';
import { appDb } from '../appDb';
import { useT } from '../i18n/useT';
import '../i18n/methodStrings';
import { href } from '../navigation';
import { uiStore } from '../store';
import { useLiveQuery } from '../useLiveQuery';
import { useStore } from '../useStore';
import { DueBadge } from '../change/DueBadge';
import { LeaderChanges } from '../change/LeaderChanges';
import { LeaderGate } from './LeaderGate';
import { ResponseClockBadge, ResponsePromise } from './ResponseClockBadge';

export function LeaderScreen() {
  const t = useT();
  const unit = useStore(uiStore, (s) => s.unit);
  if (!unit) return null;
  return (
    <section class="leader" aria-labelledby="leader-title">
      <h1 id="leader-title">{t('leader.title')}</h1>
      <ResponsePromise unit={unit} />
      <LeaderGate>
        <LeaderOverview unit={unit} />
      </LeaderGate>
    </section>
  );
}

function LeaderOverview({ unit }: { unit: Unit }) {
  const t = useT();
  const waiting = useLiveQuery(() => awaitingAnswer(appDb(), unit), [unit.id, unit.responseTargetDays]).value;
  const overdue = waiting?.filter((w) => w.clock.overdue).length ?? 0;
  return (
    <>
      <nav aria-label={t('leader.tools')}>
        <ul class="leader__tools">
          <li>
            <a href={href('procedure')}>{t('procedure.title')}</a>
          </li>
          <li>
            <a href={href('unit-settings')}>{t('settings.title')}</a>
          </li>
          <li>
            <a href={href('sessions')}>{t('sessions.title')}</a>
          </li>
        </ul>
      </nav>
      <LeaderChanges unit={unit} />
      <h2 id="awaiting-title">{t('awaiting.title')}</h2>
      {waiting === undefined ? (
        <p role="status">{t('app.loading')}</p>
      ) : waiting.length === 0 ? (
        <p class="empty">{t('awaiting.none')}</p>
      ) : (
        <>
          <p>{overdue ? t.plural('awaiting.overdueCount', overdue) : t.plural('awaiting.count', waiting.length)}</p>
          <ol class="awaiting" aria-labelledby="awaiting-title">
            {waiting.map(({ idea, clock, parkedUntil }) => (
              <li key={idea.id} class={`card awaiting__item${clock.overdue ? ' awaiting__item--overdue' : ''}`}>
                <a href={href('idea', idea.id)}>{idea.impossibleNow}</a>
                <p>
                  <span class={`badge badge--${idea.status}`}>{t(`status.${idea.status}`)}</span>{' '}
                  {parkedUntil ? (
                    <>
                      {t('due.parkedReturns', { date: t.date(clock.deadline, 'date') })} <DueBadge daysLeft={clock.daysLeft} />
                    </>
                  ) : (
                    <>
                      <ResponseClockBadge idea={idea} unit={unit} /> {t('awaiting.deadline', { date: t.date(clock.deadline, 'date') })}
                    </>
                  )}
                </p>
                <p class="actions">
                  <a class="button" href={href('evaluate', idea.id)}>
                    {t('evaluation.toEvaluate')}
                    <span class="visually-hidden">{`: ${idea.impossibleNow.slice(0, 80)}`}</span>
                  </a>
                  <a class="button" href={href('decide', idea.id)}>
                    {t('decision.toDecide')}
                    <span class="visually-hidden">{`: ${idea.impossibleNow.slice(0, 80)}`}</span>
                  </a>
                </p>
              </li>
            ))}
          </ol>
        </>
      )}
    </>
  );
}
