/**
 * Participant mode for the tablet or a projector: large type, the question,
 * one field where ideas are added one after another (Enter adds), and the
 * ideas raised so far. Each idea is saved at once as an Idea of the session.
 */
import { useRef, useState } from 'preact/hooks';
import { IdeaInput } from '../../domain';
import { addSessionIdea, getSession, sessionResults } from '../../data/method';
import { appDb } from '../appDb';
import { checkForm } from '../formErrors';
import { useT } from '../i18n/useT';
import '../i18n/methodStrings';
import type { RouteProps } from '../navigation';
import { href } from '../navigation';
import { storageErrorKey } from '../storageMessages';
import { useLiveQuery } from '../useLiveQuery';
import { SessionTimer } from './SessionTimer';

/** An idea raised in the session: its text, as an idea has it. */
const SessionIdea = IdeaInput.pick({ impossibleNow: true });

export function ParticipantScreen({ param }: RouteProps) {
  const t = useT();
  const id = param ?? '';
  const session = useLiveQuery(() => getSession(appDb(), id).catch(() => null), [id]).value;
  const results = useLiveQuery(() => sessionResults(appDb(), id), [id]).value;
  const [text, setText] = useState('');
  const [status, setStatus] = useState('');
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);

  if (session === undefined) return <p role="status">{t('app.loading')}</p>;
  if (session === null) return <h1>{t('session.notFound')}</h1>;
  const ideas = (results?.ranked ?? []).map((r) => r.idea).sort((a, b) => (a.createdAt < b.createdAt ? -1 : 1));

  async function add(e: Event) {
    e.preventDefault();
    if (!session) return;
    const checked = checkForm(SessionIdea, { impossibleNow: text }, { impossibleNow: { key: 'session.ideaRequired' } });
    if (!checked.ok) {
      const message = checked.errors.impossibleNow ?? checked.errors.form;
      setError(message ? t.message(message) : null);
      input.current?.focus();
      return;
    }
    try {
      await addSessionIdea(appDb(), session, checked.value.impossibleNow);
      setText('');
      setError(null);
      setStatus(t.plural('session.ideaAdded', ideas.length + 1));
    } catch (err) {
      setError(t(storageErrorKey(err)));
    }
    input.current?.focus();
  }

  return (
    <section class="participant-mode" aria-labelledby="participant-title">
      <h1 id="participant-title">{t('participant.title')}</h1>
      <p class="participant-mode__question">{session.question}</p>
      <SessionTimer session={session} />
      {session.closedAt ? (
        <p class="alert alert--info">{t('session.closedNoMore')}</p>
      ) : (
        <form class="participant-mode__form" onSubmit={add} noValidate>
          <label for="participant-idea">{t('participant.newIdea')}</label>
          <div class="participant-mode__row">
            <input
              id="participant-idea"
              ref={input}
              type="text"
              maxLength={2000}
              autoComplete="off"
              value={text}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? 'participant-idea-error' : undefined}
              onInput={(e) => setText(e.currentTarget.value)}
            />
            <button type="submit" class="button button--primary">
              {t('participant.add')}
            </button>
          </div>
          {error ? (
            <p class="field__error" id="participant-idea-error">
              {error}
            </p>
          ) : null}
        </form>
      )}
      <p role="status" class="visually-hidden">
        {status}
      </p>
      <h2>{t.plural('participant.raised', ideas.length)}</h2>
      <ol class="participant-mode__ideas">
        {ideas.map((idea) => (
          <li key={idea.id}>{idea.impossibleNow}</li>
        ))}
      </ol>
      <p>
        <a class="button" href={href('session', session.id)}>
          {t('participant.toSession')}
        </a>
      </p>
    </section>
  );
}
