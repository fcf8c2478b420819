/** Prompt sessions ("what is impossible now?"): start one, and the list of earlier ones. */
import { format } from 'date-fns';
import { useState } from 'preact/hooks';
import type { z } from 'zod';
import { DEFAULT_SESSION_QUESTION, PromptSession, SESSION_TIMER_RANGE, VOTES_PER_PARTICIPANT_RANGE } from '../../domain';
import { listSessions, startSession } from '../../data/method';
import { appDb } from '../appDb';
import { Field } from '../components/Field';
import { checkForm, firstInvalid, type FieldMessage, type FormErrors } from '../formErrors';
import { useT } from '../i18n/useT';
import '../i18n/methodStrings';
import { href, navigate } from '../navigation';
import { uiStore } from '../store';
import { storageErrorKey } from '../storageMessages';
import { useLiveQuery } from '../useLiveQuery';
import { useStore } from '../useStore';

/** What starting a session asks for, as the session record has it. */
const SessionStartInput = PromptSession.pick({
  date: true,
  facilitator: true,
  question: true,
  timerMinutes: true,
  votesPerParticipant: true,
});
type StartField = keyof z.input<typeof SessionStartInput>;

const START_MESSAGES: Record<StartField, FieldMessage> = {
  date: { key: 'form.error.invalid' },
  facilitator: { key: 'form.error.invalid' },
  question: { key: 'session.questionRequired' },
  timerMinutes: { key: 'session.error.timerMinutes', params: SESSION_TIMER_RANGE },
  votesPerParticipant: { key: 'session.error.votes', params: VOTES_PER_PARTICIPANT_RANGE },
};

/** The id (after `session-`) of each field's input. */
const FIELD_IDS: Record<StartField, string> = {
  date: 'date',
  facilitator: 'facilitator',
  question: 'question',
  timerMinutes: 'timer',
  votesPerParticipant: 'votes',
};

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
  const [errors, setErrors] = useState<FormErrors<StartField>>({});
  const [failure, setFailure] = useState<string | null>(null);

  async function submit(e: Event) {
    e.preventDefault();
    if (!unit) return;
    const checked = checkForm(
      SessionStartInput,
      {
        date,
        facilitator,
        question,
        // An empty timer is no timer; empty votes are the method's default.
        timerMinutes: timerMinutes.trim() === '' ? 0 : Number(timerMinutes),
        votesPerParticipant: votes.trim() === '' ? undefined : Number(votes),
      },
      START_MESSAGES,
    );
    setErrors(checked.ok ? {} : checked.errors);
    setFailure(null);
    if (!checked.ok) {
      const first = firstInvalid(checked.errors);
      if (first) document.getElementById(`session-${FIELD_IDS[first]}`)?.focus();
      return;
    }
    try {
      const session = await startSession(appDb(), { unitId: unit.id, ...checked.value });
      navigate('session-live', session.id);
    } catch (err) {
      setFailure(t(storageErrorKey(err)));
    }
  }

  const error = (field: StartField) => (errors[field] ? t.message(errors[field]) : undefined);
  return (
    <section class="sessions" aria-labelledby="sessions-title">
      <h1 id="sessions-title">{t('sessions.title')}</h1>
      <p class="lead">{t('sessions.intro')}</p>
      <form class="card" onSubmit={submit} noValidate aria-labelledby="session-new-title">
        <h2 id="session-new-title">{t('sessions.new')}</h2>
        <Field
          id="session-facilitator"
          label={t('session.facilitator')}
          value={facilitator}
          onInput={setFacilitator}
          maxLength={120}
          error={error('facilitator')}
        />
        <Field id="session-date" type="date" label={t('session.date')} value={date} onInput={setDate} required error={error('date')} />
        <Field
          id="session-question"
          label={t('session.question')}
          hint={t('session.questionHint')}
          value={question}
          onInput={setQuestion}
          multiline
          required
          maxLength={500}
          error={error('question')}
        />
        <Field
          id="session-timer"
          type="number"
          label={t('session.timerMinutes')}
          value={timerMinutes}
          onInput={setTimerMinutes}
          min={SESSION_TIMER_RANGE.min}
          max={SESSION_TIMER_RANGE.max}
          error={error('timerMinutes')}
        />
        <Field
          id="session-votes"
          type="number"
          label={t('session.votesPerParticipant')}
          value={votes}
          onInput={setVotes}
          min={VOTES_PER_PARTICIPANT_RANGE.min}
          max={VOTES_PER_PARTICIPANT_RANGE.max}
          error={error('votesPerParticipant')}
        />
        {failure || errors.form ? (
          <p class="field__error" role="alert">
            {failure ?? (errors.form ? t.message(errors.form) : null)}
          </p>
        ) : null}
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
              <a href={href('session', s.id)}>{t.date(s.date, 'date')}</a>
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
