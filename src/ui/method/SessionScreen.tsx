/**
 * One prompt session: its record (date, facilitator, question, who took
 * part), the quick prioritisation (each participant, picked from the
 * session's participants with a large button, spreads their votes, and can
 * take one back while the session is open) and
 * its ideas ranked by votes; closing ends idea collection and voting.
 */
import { format } from 'date-fns';
import { useState } from 'preact/hooks';
import { SessionRuleError, sameVoter, sessionVoters, votesLeft } from '../../domain';
import { castVote, closeSession, getSession, sessionResults, setSessionParticipants, withdrawVote } from '../../data/method';
import { appDb } from '../appDb';
import type { PlainKey } from '../i18n';
import { useT } from '../i18n/useT';
import { LostEditsNotice } from '../sync/LostEditsNotice';
import type { RouteProps } from '../navigation';
import { href } from '../navigation';
import { storageErrorKey } from '../storageMessages';
import { useLiveQuery } from '../useLiveQuery';
import { SessionTimer } from './SessionTimer';

export function SessionScreen({ param }: RouteProps) {
  const t = useT();
  const id = param ?? '';
  const session = useLiveQuery(() => getSession(appDb(), id).catch(() => null), [id]).value;
  const results = useLiveQuery(() => sessionResults(appDb(), id), [id]).value;
  const [chosenVoter, setVoter] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const [count, setCount] = useState<string | null>(null);
  const [names, setNames] = useState<string | null>(null);

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
    const n = raw.trim() === '' ? list.length || null : Math.max(0, Math.round(Number(raw)));
    await setSessionParticipants(appDb(), session.id, Number.isFinite(n) ? n : null, list);
    setStatus(t('session.participantsSaved'));
  }

  async function close() {
    if (!session) return;
    await closeSession(appDb(), session.id);
    setStatus(t('session.closedNow'));
  }

  return (
    <section class="session" aria-labelledby="session-title">
      <h1 id="session-title">
        {t('session.title', { date: format(new Date(`${session.date}T12:00:00`), 'PPP', { locale: t.dateLocale }) })}
      </h1>
      <dl class="facts card">
        <dt>{t('session.facilitator')}</dt>
        <dd>{session.facilitator ?? t('session.noFacilitator')}</dd>
        <dt>{t('session.question')}</dt>
        <dd>{session.question}</dd>
        <dt>{t('session.state')}</dt>
        <dd>
          {open ? t('session.open') : t('session.closedAt', { time: format(new Date(session.closedAt!), 'Pp', { locale: t.dateLocale }) })}
        </dd>
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

      <form class="card" onSubmit={saveParticipants} aria-labelledby="participants-title">
        <h2 id="participants-title">{t('session.participants')}</h2>
        <div class="field">
          <label for="session-count">{t('session.participantCount')}</label>
          <input
            id="session-count"
            type="number"
            min={0}
            max={500}
            inputMode="numeric"
            value={count ?? session.participantCount ?? ''}
            onInput={(e) => setCount(e.currentTarget.value)}
          />
        </div>
        <div class="field">
          <label for="session-names">{t('session.participantNames')}</label>
          <p class="field__hint" id="session-names-hint">
            {t('session.participantNamesHint')}
          </p>
          <textarea
            id="session-names"
            rows={3}
            aria-describedby="session-names-hint"
            value={names ?? session.participantNames.join('\n')}
            onInput={(e) => setNames(e.currentTarget.value)}
          />
        </div>
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
