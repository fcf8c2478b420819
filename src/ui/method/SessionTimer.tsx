/**
 * The session countdown. The visible minutes:seconds are a role="timer" (not
 * announced as they tick); a separate status region speaks once, when time is up.
 */
import { useEffect, useState } from 'preact/hooks';
import { sessionTimer, type PromptSession } from '../../domain';
import { useT } from '../i18n/useT';
import '../i18n/methodStrings';

export function SessionTimer({ session }: { session: PromptSession }) {
  const t = useT();
  const [now, setNow] = useState(() => new Date());
  const timer = sessionTimer(session, now);
  const ticking = timer.secondsLeft !== null && !timer.ended;
  useEffect(() => {
    if (!ticking) return;
    const id = setInterval(() => setNow(new Date()), 1000);
    return () => clearInterval(id);
  }, [ticking]);
  if (timer.secondsLeft === null) return null;
  const m = Math.floor(timer.secondsLeft / 60);
  const s = timer.secondsLeft % 60;
  return (
    <div class="session-timer">
      <p class="session-timer__label" id={`timer-${session.id}`}>
        {t('session.timeLeft')}
      </p>
      <p class="session-timer__value" role="timer" aria-labelledby={`timer-${session.id}`}>
        {`${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`}
      </p>
      <p role="status" class="session-timer__end">
        {timer.ended && !session.closedAt ? t('session.timeUp') : ''}
      </p>
    </div>
  );
}
