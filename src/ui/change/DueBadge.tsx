/** When something is due, in words: "3 dager på overtid", "I dag", "Om 5 dager". Overdue is said in words and marked, never by colour alone. */
import { useT } from '../i18n/useT';
import '../i18n/methodStrings';

export function DueBadge({ daysLeft }: { daysLeft: number }) {
  const t = useT();
  if (daysLeft < 0)
    return (
      <span class="badge badge--overdue">
        <span aria-hidden="true">⚠ </span>
        {t.plural('due.overdue', -daysLeft)}
      </span>
    );
  return (
    <span class={`badge${daysLeft === 0 ? ' badge--due' : ''}`}>{daysLeft === 0 ? t('due.today') : t.plural('due.inDays', daysLeft)}</span>
  );
}
