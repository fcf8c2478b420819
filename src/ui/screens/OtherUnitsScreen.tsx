/**
 * "Fra andre enheter" (issue #14 part 2): what other units tried, offline,
 * from what sync brought: each change with its answer, what the learning log
 * says and where it is on the anchoring ladder; search, and filter by kind of
 * change and theme. "Vi vil prøve dette også" starts the same idea here,
 * linked to the source. No one's name: other units' records arrive redacted.
 */
import { useMemo, useState } from 'preact/hooks';
import { Beneficiary, ChangeKind, matchesLibrary, NO_LIBRARY_FILTER, type LibraryEntry, type LibraryFilter } from '../../domain';
import { otherUnitsLibrary, takeUp } from '../../data/library';
import { appDb } from '../appDb';
import { useT } from '../i18n/useT';
import { href, navigate } from '../navigation';
import { uiStore } from '../store';
import { useLiveQuery } from '../useLiveQuery';
import { useStore } from '../useStore';

function Entry({ entry, unitId }: { entry: LibraryEntry; unitId: string }) {
  const t = useT();
  const [error, setError] = useState(false);
  const ours = entry.takenUpBy.find((u) => u.unitId === unitId);
  const learned = entry.learnings.find((l) => l.learned)?.learned;

  async function tryIt() {
    try {
      const idea = await takeUp(appDb(), unitId, entry);
      navigate('idea', idea.id);
    } catch {
      setError(true);
    }
  }

  return (
    <li class="card library-entry">
      <h2>{entry.text}</h2>
      <p class="library-entry__meta">
        {entry.unitName} · {entry.kind ? t(`kind.${entry.kind}`) : t('kind.unknown')}
        {entry.beneficiaries.length ? ` · ${entry.beneficiaries.map((b) => t(`beneficiary.${b}`)).join(', ')}` : ''}
      </p>
      <p>
        <strong>
          {entry.answer.level === 'steeringGroup'
            ? t('library.answerSteering', { status: t(`status.${entry.status}`) })
            : t(`status.${entry.status}`)}
        </strong>
        {' – '}
        {entry.answer.rationale}
      </p>
      {entry.step ? <p>{t('library.step', { step: t(`library.ladder.${entry.step}`) })}</p> : null}
      {learned ? <p>{t('library.learned', { text: learned })}</p> : null}
      {entry.takenUpBy.length ? <p>{t.plural('library.takenUp', entry.takenUpBy.length)}</p> : null}
      {ours ? (
        <p>
          <a href={href('idea', ours.ideaId)}>{t('library.oursLink', { status: t(`status.${ours.status}`) })}</a>
        </p>
      ) : (
        <button type="button" class="button" onClick={() => void tryIt()}>
          {t('library.tryIt')}
        </button>
      )}
      {error ? (
        <p class="alert alert--error" role="alert">
          {t('library.tryFailed')}
        </p>
      ) : null}
    </li>
  );
}

export function OtherUnitsScreen() {
  const t = useT();
  const unitId = useStore(uiStore, (s) => s.unit?.id ?? '');
  const entries = useLiveQuery(() => otherUnitsLibrary(appDb(), unitId), [unitId]).value;
  const [filter, setFilter] = useState<LibraryFilter>(NO_LIBRARY_FILTER);
  const shown = useMemo(() => (entries ?? []).filter((e) => matchesLibrary(e, filter)), [entries, filter]);
  const set = <K extends keyof LibraryFilter>(key: K, value: LibraryFilter[K]) => setFilter((f) => ({ ...f, [key]: value }));

  return (
    <section class="other-units" aria-labelledby="other-units-title">
      <h1 id="other-units-title">{t('library.title')}</h1>
      <p class="lead">{t('library.lead')}</p>
      <div class="board__filters card" role="search">
        <div class="field">
          <label for="library-search">{t('library.search')}</label>
          <input id="library-search" type="search" value={filter.query} onInput={(e) => set('query', e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="library-kind">{t('library.kind')}</label>
          <select id="library-kind" value={filter.kind} onChange={(e) => set('kind', e.currentTarget.value as LibraryFilter['kind'])}>
            <option value="all">{t('board.allKinds')}</option>
            {ChangeKind.options.map((k) => (
              <option key={k} value={k}>
                {t(`kind.${k}`)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="library-theme">{t('library.theme')}</label>
          <select id="library-theme" value={filter.theme} onChange={(e) => set('theme', e.currentTarget.value as LibraryFilter['theme'])}>
            <option value="all">{t('library.allThemes')}</option>
            {Beneficiary.options.map((b) => (
              <option key={b} value={b}>
                {t(`beneficiary.${b}`)}
              </option>
            ))}
          </select>
        </div>
      </div>
      {entries === undefined ? (
        <p role="status">{t('app.loading')}</p>
      ) : entries.length === 0 ? (
        <p>{t('library.empty')}</p>
      ) : (
        <>
          <p role="status" aria-live="polite">
            {t.plural('library.count', shown.length)}
          </p>
          <ul class="library-list">
            {shown.map((e) => (
              <Entry key={e.ideaId} entry={e} unitId={unitId} />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
