/** Serious consideration on the board: the unit's promise, and per idea the days left or how late the answer is. */
import { responseClock, type Idea, type Unit } from '../../domain';
import { useT } from '../i18n/useT';
import '../i18n/methodStrings';
// The board shows this before any method screen loaded the method's styles.
import './method.css';

export function ResponsePromise({ unit }: { unit: Pick<Unit, 'responseTargetDays'> }) {
  const t = useT();
  return <p class="response-promise">{t('response.promise', { days: unit.responseTargetDays })}</p>;
}

export function ResponseClockBadge({
  idea,
  unit,
  now = new Date(),
}: {
  idea: Pick<Idea, 'createdAt' | 'status'>;
  unit: Pick<Unit, 'responseTargetDays'>;
  now?: Date;
}) {
  const t = useT();
  const clock = responseClock(idea, unit, now);
  if (clock.answered) return null;
  return clock.overdue ? (
    <span class="badge badge--overdue">{t.plural('response.overdue', Math.max(1, -clock.daysLeft))}</span>
  ) : (
    <span class="badge badge--due">{t.plural('response.daysLeft', clock.daysLeft)}</span>
  );
}
