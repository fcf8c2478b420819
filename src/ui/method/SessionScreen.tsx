/**
 * One prompt session: its record (date, facilitator, question, who took
 * part), the quick prioritisation (each participant, picked from the
 * session's participants with a large button, spreads their votes, and can
 * take one back while the session is open) and
 * its ideas ranked by votes; closing ends idea collection and voting.
 */
import { useState } from 'preact/hooks';
import { PARTICIPANT_COUNT_RANGE, PromptSession, SessionRuleError, sameVoter, sessionVoters, votesLeft } from '../../domain';
import { castVote, closeSession, getSession, sessionResults, setSessionParticipants, withdrawVote } from '../../data/method';
import { appDb } from '../appDb';
import { Field } from '../components/Field';
import { checkForm, firstInvalid, type FormErrors } from '../formErrors';
import type { PlainKey } from '../i18n';
import { useT } from '../i18n/useT';
import '../i18n/methodStrings';
import { LostEditsNotice } from '../sync/LostEditsNotice';
import type { RouteProps } from '../navigation';
import { href } from '../navigation';
import { storageErrorKey } from '../storageMessages';
import { useLiveQuery } from '../useLiveQuery';
import { SessionTimer } from './SessionTimer';

/** Who took part, as the session record has it. */
const ParticipantsInput = PromptSession.pick({ participantCount: true, participantNames: true });
type ParticipantsField = 'participantCount' | 'participantNames';

export function SessionScreen({ param }: RouteProps) {
  const t = useT();
  const id = param ?? '';
  const session = useLiveQuery(() => getSession(appDb(), id).catch(() => null), [id]).value;
  const results = useLiveQuery(() => sessionResults(appDb(), id), [id]).value;
  const [chosenVoter, setVoter] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const [count, setCount] = useState<string | null>(null);
  const [names, setNames] = useState<string | null>(null);
  const [errors, setErrors] = useState<FormErrors<ParticipantsField>>({});

  if (session === undefined || results === undefined) return <p role="status">{t('app.loading')}</p>;
  if (session === null) return <h1>{t('session.notFound')}</h1>;
  const open = session.closedAt === null;
  const voters = sessionVoters(session);
  // The participant picked with the buttons (the first one until someone picks).
  const voter = voters.find((v) => v === chosenVoter) ?? voters[0] ?? null;
  const left = voter === null ? 0 : votesLeft(session, results.votes, voter);
  const voterName = (v: string) => (/^\d+$/.test(v) ? t('vote.numbered', { n: v }) : v);

  async function vote(ideaId: string) {
    if (!session || voter === null) return;
    try {
      await castVote(appDb(), session.id, ideaId, voter);
      setStatus(''); // the votes left are shown (and announced) beside the voter field
    } catch (err) {
      setStatus(err instanceof SessionRuleError ? t(`vote.error.${err.code}`) : t(storageErrorKey(err)));
    }
  }

  async function unvote(ideaId: string) {
    if (!session || voter === null) return;
    try {
      await withdrawVote(appDb(), session.id, ideaId, voter);
      setStatus('');
    } catch (err) {
      setStatus(err instanceof SessionRuleError ? t(`vote.error.${err.code}`) : t(storageErrorKey(err)));
    }
  }

  async function saveParticipants(e: Event) {
    e.preventDefault();
    if (!session) return;
    // Each person once, however the name was typed ("Kari" and "kari" are one voter).
    const list = sessionVoters({
      participantCount: null,
      participantNames: (names ?? session.participantNames.join('\n')).split(/[\n,]/),
    });
    const raw = count ?? (session.participantCount === null ? '' : String(session.participantCount));
    const checked = checkForm(
      ParticipantsInput,
      { participantCount: raw.trim() === '' ? list.length || null : Number(raw), participantNames: list },
      {
        participantCount: { key: 'session.error.participantCount', params: PARTICIPANT_COUNT_RANGE },
        participantNames: (issue) =>
          issue.code === 'too_big' && issue.origin === 'string'
            ? { key: 'session.error.nameTooLong', params: { max: Number(issue.maximum) } }
            : undefined,
      },
    );
    setErrors(checked.ok ? {} : checked.errors);
    if (!checked.ok) {
      const first = firstInvalid(checked.errors);
      if (first) document.getElementById(first === 'participantCount' ? 'session-count' : 'session-names')?.focus();
      return;
    }
    try {
      await setSessionParticipants(appDb(), session.id, checked.value.participantCount, checked.value.participantNames);
      setStatus(t('session.participantsSaved'));
    } catch (err) {
      setStatus(t(storageErrorKey(err)));
    }
  }

  async function close() {
    if (!session) return;
    try {
      await closeSession(appDb(), session.id);
      setStatus(t('session.closedNow'));
    } catch (err) {
      setStatus(t(storageErrorKey(err)));
    }
  }

  return (
    <section class="session" aria-labelledby="session-title">
      <h1 id="session-title">{t('session.title', { date: t.date(session.date, 'date') })}</h1>
      <dl class="facts card">
        <dt>{t('session.facilitator')}</dt>
        <dd>{session.facilitator ?? t('session.noFacilitator')}</dd>
        <dt>{t('session.question')}</dt>
        <dd>{session.question}</dd>
        <dt>{t('session.state')}</dt>
        <dd>{open ? t('session.open') : t('session.closedAt', { time: t.date(new Date(session.closedAt!), 'shortDateTime') })}</dd>
      </dl>
      {open ? <SessionTimer session={session} /> : null}
      <LostEditsNotice table="promptSessions" recordId={session.id} fieldLabel={(f) => sessionFieldLabel(t, f)} />
      <p role="status" class="session__status">
        {status}
      </p>
      {open ? (
        <p>
          <a class="button" href={href('session-live', session.id)}>
            {t('session.toParticipantMode')}
          </a>
        </p>
      ) : null}

      <form class="card" onSubmit={saveParticipants} noValidate aria-labelledby="participants-title">
        <h2 id="participants-title">{t('session.participants')}</h2>
        <Field
          id="session-count"
          type="number"
          label={t('session.participantCount')}
          value={count ?? (session.participantCount === null ? '' : String(session.participantCount))}
          onInput={setCount}
          min={PARTICIPANT_COUNT_RANGE.min}
          max={PARTICIPANT_COUNT_RANGE.max}
          error={errors.participantCount ? t.message(errors.participantCount) : undefined}
        />
        <Field
          id="session-names"
          label={t('session.participantNames')}
          hint={t('session.participantNamesHint')}
          value={names ?? session.participantNames.join('\n')}
          onInput={setNames}
          multiline
          error={errors.participantNames ? t.message(errors.participantNames) : undefined}
        />
        {errors.form ? (
          <p class="field__error" role="alert">
            {t.message(errors.form)}
          </p>
        ) : null}
        <button type="submit" class="button">
          {t('session.saveParticipants')}
        </button>
      </form>

      <section class="card" aria-labelledby="ranking-title">
        <h2 id="ranking-title">{t('session.ranking')}</h2>
        {open ? (
          <>
            <p>{t('vote.intro', { votes: session.votesPerParticipant })}</p>
            {voters.length === 0 ? (
              <p class="alert alert--info">{t('vote.noParticipants')}</p>
            ) : (
              <fieldset class="choices voters">
                <legend>{t('vote.voter')}</legend>
                {voters.map((v) => {
                  const name = voterName(v);
                  const votes = t.plural('vote.leftShort', votesLeft(session, results.votes, v));
                  return (
                    <label key={v} class="voter">
                      <input
                        type="radio"
                        name="vote-voter"
                        value={v}
                        aria-label={`${name}, ${votes}`}
                        checked={v === voter}
                        onChange={() => setVoter(v)}
                      />
                      <span class="voter__name">{name}</span>
                      <span class="voter__left">{votes}</span>
                    </label>
                  );
                })}
              </fieldset>
            )}
            <p aria-live="polite">{voter !== null ? t.plural('vote.left', left, { voter: voterName(voter) }) : ''}</p>
          </>
        ) : null}
        {results.ranked.length === 0 ? (
          <p class="empty">{t('session.noIdeas')}</p>
        ) : (
          <ol class="ranking">
            {results.ranked.map((r) => (
              <li key={r.idea.id} class="ranking__item">
                <span class="ranking__rank">{t('session.rank', { rank: r.rank })}</span>
                <a href={href('idea', r.idea.id)}>{r.idea.impossibleNow}</a>
                <span class="ranking__votes">{t.plural('session.votes', r.votes)}</span>
                {open && voter !== null ? (
                  <button
                    type="button"
                    class="button"
                    aria-label={`${t('vote.give')}: ${r.idea.impossibleNow.slice(0, 80)}`}
                    disabled={left === 0}
                    onClick={() => void vote(r.idea.id)}
                  >
                    {t('vote.give')}
                  </button>
                ) : null}
                {open && voter !== null && results.votes.some((v) => v.ideaId === r.idea.id && sameVoter(v.voter, voter)) ? (
                  <button
                    type="button"
                    class="button"
                    aria-label={`${t('vote.withdraw')}: ${r.idea.impossibleNow.slice(0, 80)}`}
                    onClick={() => void unvote(r.idea.id)}
                  >
                    {t('vote.withdraw')}
                  </button>
                ) : null}
              </li>
            ))}
          </ol>
        )}
      </section>
      {open ? (
        <button type="button" class="button button--primary" onClick={() => void close()}>
          {t('session.close')}
        </button>
      ) : null}
      <p>
        <a href={href('sessions')}>{t('session.back')}</a>
      </p>
    </section>
  );
}

/** A session field by the label this screen gives it (for a notice of a lost edit). */
function sessionFieldLabel(t: ReturnType<typeof useT>, field: string): string {
  const labels: Record<string, PlainKey> = {
    participantCount: 'session.participants',
    participantNames: 'session.participants',
    facilitator: 'session.facilitator',
    question: 'session.question',
    closedAt: 'session.state',
  };
  return Object.hasOwn(labels, field) ? t(labels[field]!) : field;
}
