/** Prompt sessions ("what is impossible now?"): start one, and the list of earlier ones. */
import { format } from 'date-fns';
import { useState } from 'preact/hooks';
import { DEFAULT_SESSION_QUESTION } from '../../domain';
import { listSessions, startSession } from '../../data/method';
import { appDb } from '../appDb';
import { Field } from '../components/Field';
import { useT } from '../i18n/useT';
import { href, navigate } from '../navigation';
import { uiStore } from '../store';
import { storageErrorKey } from '../storageMessages';
import { useLiveQuery } from '../useLiveQuery';
import { useStore } from '../useStore';

export function SessionsScreen() {
  const t = useT();
  const unit = useStore(uiStore, (s) => s.unit);
  const unitId = unit?.id ?? '';
  const sessions = useLiveQuery(() => listSessions(appDb(), unitId), [unitId]).value;
  const [facilitator, setFacilitator] = useState('');
  const [date, setDate] = useState(() => format(new Date(), 'yyyy-MM-dd'));
  const [question, setQuestion] = useState(DEFAULT_SESSION_QUESTION[t.language]);
  const [timerMinutes, setTimerMinutes] = useState('20');
  const [votes, setVotes] = useState('3');
  const [error, setError] = useState<string | null>(null);

  async function submit(e: Event) {
    e.preventDefault();
    if (!unit) return;
    if (!question.trim()) {
      setError(t('session.questionRequired'));
      document.getElementById('session-question')?.focus();
      return;
    }
    try {
      const session = await startSession(appDb(), {
        unitId: unit.id,
        date,
        facilitator,
        question,
        timerMinutes: Number(timerMinutes) || 0,
        votesPerParticipant: Math.min(10, Math.max(1, Number(votes) || 3)),
      });
      navigate('session-live', session.id);
    } catch (err) {
      setError(t(storageErrorKey(err)));
    }
  }

  return (
    <section class="sessions" aria-labelledby="sessions-title">
      <h1 id="sessions-title">{t('sessions.title')}</h1>
      <p class="lead">{t('sessions.intro')}</p>
      <form class="card" onSubmit={submit} noValidate aria-labelledby="session-new-title">
        <h2 id="session-new-title">{t('sessions.new')}</h2>
        <Field id="session-facilitator" label={t('session.facilitator')} value={facilitator} onInput={setFacilitator} maxLength={120} />
        <div class="field">
          <label for="session-date">{t('session.date')}</label>
          <input id="session-date" type="date" value={date} required onInput={(e) => setDate(e.currentTarget.value)} />
        </div>
        <Field
          id="session-question"
          label={t('session.question')}
          hint={t('session.questionHint')}
          value={question}
          onInput={setQuestion}
          multiline
          required
          maxLength={500}
          error={error ?? undefined}
        />
        <div class="field">
          <label for="session-timer">{t('session.timerMinutes')}</label>
          <input
            id="session-timer"
            type="number"
            min={0}
            max={240}
            inputMode="numeric"
            value={timerMinutes}
            onInput={(e) => setTimerMinutes(e.currentTarget.value)}
          />
        </div>
        <div class="field">
          <label for="session-votes">{t('session.votesPerParticipant')}</label>
          <input
            id="session-votes"
            type="number"
            min={1}
            max={10}
            inputMode="numeric"
            value={votes}
            onInput={(e) => setVotes(e.currentTarget.value)}
          />
        </div>
        <button type="submit" class="button button--primary">
          {t('sessions.start')}
        </button>
      </form>
      <h2>{t('sessions.earlier')}</h2>
      {sessions === undefined ? (
        <p role="status">{t('app.loading')}</p>
      ) : sessions.length === 0 ? (
        <p class="empty">{t('sessions.none')}</p>
      ) : (
        <ul class="session-list">
          {sessions.map((s) => (
            <li key={s.id}>
              <a href={href('session', s.id)}>{format(new Date(`${s.date}T12:00:00`), 'PPP', { locale: t.dateLocale })}</a>
              {' · '}
              {s.facilitator ?? t('session.noFacilitator')}
              {' · '}
              {s.closedAt ? t('session.closed') : t('session.open')}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
