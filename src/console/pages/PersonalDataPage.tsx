/**
 * Personal data (issue #14 part 3, GDPR), for administrators: search a name
 * and see where it is (every unit, live and deleted records, the conflict
 * log); export what names that person (JSON, CSV); erase the name everywhere
 * (it is replaced by a pseudonym, on the server, in its own backups, and on
 * every tablet at its next sync); delete a photo from an idea.
 */
import { useState } from 'preact/hooks';
import { DeletedPhoto, EraseResult, IdeaPhotos, NameSearch, type NameMatch } from '../../domain/console/personalData';
import { API, get, post } from '../api';
import { errorText, Field, Loading, Notice, PageTitle, useResource } from '../components/common';
import type { Translator } from '../i18n';
import { href, navigate, type Route } from '../router';
import { useT } from '../useT';

type Message = { kind: 'ok' | 'error'; text: string } | null;

function Match({ match, t, onErased }: { match: NameMatch; t: Translator; onErased: (text: string) => void }) {
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const name = encodeURIComponent(match.name);

  async function erase() {
    try {
      const r = await post(EraseResult, '/personal-data/erase', { name: match.name, confirm: true });
      onErased(t('personal.erased', { records: r.records, conflicts: r.conflicts, backups: r.backups, pseudonym: r.pseudonym }));
    } catch (err) {
      setError(errorText(t, err));
    }
  }

  return (
    <li class="card">
      <h2>{match.name}</h2>
      <p>{t('personal.found', { records: match.records, conflicts: match.conflicts, units: match.units.join(', ') })}</p>
      <p>{match.places.map((p) => `${t(`personal.table.${p.table}`)} – ${p.field} (${p.count})`).join('; ')}</p>
      <p class="actions">
        <a class="button" href={`${API}/personal-data/export.json?name=${name}`} download>
          {t('personal.exportJson')}
        </a>
        <a class="button" href={`${API}/personal-data/export.csv?name=${name}&language=${t.language}`} download>
          {t('personal.exportCsv')}
        </a>
        {!confirming && (
          <button type="button" onClick={() => setConfirming(true)}>
            {t('personal.erase', { name: match.name })}
          </button>
        )}
      </p>
      {confirming && (
        <div class="stack" role="group" aria-label={t('personal.confirmTitle')}>
          <p>{t('personal.confirm', { name: match.name })}</p>
          <p class="actions">
            <button type="button" class="danger" onClick={() => void erase()}>
              {t('personal.eraseNow', { name: match.name })}
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              {t('personal.cancel')}
            </button>
          </p>
        </div>
      )}
      {error && <Notice kind="error">{error}</Notice>}
    </li>
  );
}

function Photos({ t }: { t: Translator }) {
  const [ideaId, setIdeaId] = useState('');
  const [idea, setIdea] = useState<IdeaPhotos | null>(null);
  const [message, setMessage] = useState<Message>(null);

  async function find(e: Event) {
    e.preventDefault();
    try {
      setIdea(await get(IdeaPhotos, `/personal-data/ideas/${encodeURIComponent(ideaId.trim())}/photos`));
      setMessage(null);
    } catch (err) {
      setIdea(null);
      setMessage({ kind: 'error', text: errorText(t, err) });
    }
  }

  async function remove(sha256: string) {
    try {
      const r = await post(DeletedPhoto, `/personal-data/photos/${sha256}/delete`);
      setMessage({ kind: 'ok', text: t('personal.photoDeleted', { ideas: r.ideas }) });
      setIdea((i) => i && { ...i, photos: i.photos.filter((p) => p !== sha256) });
    } catch (err) {
      setMessage({ kind: 'error', text: errorText(t, err) });
    }
  }

  return (
    <section aria-labelledby="photos-title">
      <h2 id="photos-title">{t('personal.photos')}</h2>
      <p class="hint">{t('personal.photosLead')}</p>
      <form onSubmit={find} class="inline">
        <Field id="photo-idea" label={t('personal.ideaId')} value={ideaId} onInput={setIdeaId} required />
        <button type="submit">{t('personal.showPhotos')}</button>
      </form>
      {idea && (
        <>
          <p>{`${idea.unitName}: ${idea.text}`}</p>
          {idea.photos.length === 0 ? (
            <p>{t('personal.noPhotos')}</p>
          ) : (
            <ul class="photos">
              {idea.photos.map((p, i) => (
                <li key={p}>
                  <img src={`/api/v1/blobs/${p}`} alt={t('personal.photoAlt', { n: i + 1 })} width={160} />
                  <button type="button" class="danger" onClick={() => void remove(p)}>
                    {t('personal.deletePhoto', { n: i + 1 })}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
      {message && <Notice kind={message.kind}>{message.text}</Notice>}
    </section>
  );
}

export function PersonalDataPage({ route }: { route: Route }) {
  const t = useT();
  const q = route.query.get('q') ?? '';
  const [text, setText] = useState(q);
  const [message, setMessage] = useState<Message>(null);
  const search = useResource(
    () => (q ? get(NameSearch, `/personal-data/search?q=${encodeURIComponent(q)}`) : Promise.resolve(null)),
    `pd-${q}`,
  );

  return (
    <>
      <PageTitle title={`${t('personal.title')} – ${t('app.title')}`}>{t('personal.title')}</PageTitle>
      <p class="hint">
        {t('personal.lead')} <a href={href('privacy')}>{t('nav.privacy')}</a>
      </p>
      <form
        role="search"
        class="inline"
        onSubmit={(e) => {
          e.preventDefault();
          setMessage(null);
          navigate('personal-data', { q: text.trim() });
        }}
      >
        <Field id="person-q" type="search" label={t('personal.search')} value={text} onInput={setText} required />
        <button type="submit" class="primary">
          {t('personal.searchButton')}
        </button>
      </form>
      {message && <Notice kind={message.kind}>{message.text}</Notice>}
      {q &&
        (search.loading && !search.data ? (
          <Loading t={t} />
        ) : search.error ? (
          <Notice kind="error">{errorText(t, search.error)}</Notice>
        ) : search.data?.matches.length === 0 ? (
          <p role="status">{t('personal.noMatches', { q })}</p>
        ) : (
          <>
            {search.data?.truncated && <p>{t('personal.truncated')}</p>}
            <ul class="cards">
              {search.data?.matches.map((m) => (
                <Match
                  key={m.name}
                  match={m}
                  t={t}
                  onErased={(text) => {
                    setMessage({ kind: 'ok', text });
                    search.reload();
                  }}
                />
              ))}
            </ul>
          </>
        ))}
      <Photos t={t} />
    </>
  );
}
