/**
 * What units tried (issue #14 part 2): the same library the tablets show as
 * "Fra andre enheter", across every unit, searchable by text, kind of change
 * and theme, with how often each was taken up by other units. It holds no
 * names (rules/library.ts builds entries from records as other units see them).
 */
import { useState } from 'preact/hooks';
import { ChangeKind } from '../../domain/common';
import { LibraryPage as LibraryPageSchema } from '../../domain/console/library';
import { Beneficiary } from '../../domain/records/idea';
import type { LibraryEntry } from '../../domain/rules/library';
import { get } from '../api';
import { errorText, Loading, Notice, PageTitle, useResource } from '../components/common';
import type { MessageKey, Translator } from '../i18n';
import { href, navigate, type Route } from '../router';
import { useT } from '../useT';

function Entry({ entry, t }: { entry: LibraryEntry; t: Translator }) {
  const level = entry.answer.level === 'steeringGroup' ? t('library.bySteering') : t('library.byUnit');
  return (
    <li class="card">
      <h2>{entry.text}</h2>
      <p>
        {entry.unitName} · {entry.kind ? t(`kind.${entry.kind}`) : t('kind.unclassified')}
        {entry.beneficiaries.length > 0 && ` · ${entry.beneficiaries.map((b) => t(`library.theme.${b}`)).join(', ')}`}
      </p>
      <p>
        <strong>{t(`steering.outcome.${entry.answer.outcome}` as MessageKey)}</strong> ({level},{' '}
        {t.date(Date.parse(entry.answer.publishedAt))}): {entry.answer.rationale}
      </p>
      {entry.step && <p>{t('library.step', { step: t(`library.ladder.${entry.step}`) })}</p>}
      {entry.learnings[0]?.learned && <p>{t('library.learned', { text: entry.learnings[0].learned })}</p>}
      <p>
        {entry.takenUpBy.length === 0
          ? t('library.notTakenUp')
          : t('library.takenUp', { count: entry.takenUpBy.length, units: entry.takenUpBy.map((u) => u.unitName).join(', ') })}
      </p>
    </li>
  );
}

export function LibraryPage({ route }: { route: Route }) {
  const t = useT();
  const q = route.query.get('q') ?? '';
  const kind = route.query.get('kind') ?? 'all';
  const theme = route.query.get('theme') ?? 'all';
  const [text, setText] = useState(q);
  const query = new URLSearchParams({ q, kind, theme }).toString();
  const page = useResource(() => get(LibraryPageSchema, `/library?${query}`), query);
  const go = (next: Record<string, string>) => navigate('library', { q, kind, theme, ...next });

  return (
    <>
      <PageTitle title={`${t('library.title')} – ${t('app.title')}`}>{t('library.title')}</PageTitle>
      <p class="hint">{t('library.lead')}</p>
      <form
        class="filter no-print"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          go({ q: text });
        }}
      >
        <div class="field">
          <label for="library-q">{t('library.search')}</label>
          <input id="library-q" type="search" value={text} onInput={(e) => setText(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="library-kind">{t('library.kind')}</label>
          <select id="library-kind" value={kind} onChange={(e) => go({ kind: e.currentTarget.value })}>
            <option value="all">{t('library.all')}</option>
            {ChangeKind.options.map((k) => (
              <option key={k} value={k}>
                {t(`kind.${k}`)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="library-theme">{t('library.themeLabel')}</label>
          <select id="library-theme" value={theme} onChange={(e) => go({ theme: e.currentTarget.value })}>
            <option value="all">{t('library.all')}</option>
            {Beneficiary.options.map((b) => (
              <option key={b} value={b}>
                {t(`library.theme.${b}`)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" class="primary">
          {t('library.searchButton')}
        </button>
      </form>
      {page.loading && !page.data ? (
        <Loading t={t} />
      ) : page.error ? (
        <Notice kind="error">{errorText(t, page.error)}</Notice>
      ) : page.data?.entries.length === 0 ? (
        <p>{t('library.none')}</p>
      ) : (
        <>
          <p role="status">{t('library.count', { count: page.data?.entries.length ?? 0 })}</p>
          {page.data?.truncated && <p>{t('library.truncated')}</p>}
          <ul class="cards">
            {page.data?.entries.map((e) => (
              <Entry key={e.ideaId} entry={e} t={t} />
            ))}
          </ul>
        </>
      )}
      <p class="no-print">
        <a href={href('privacy')}>{t('nav.privacy')}</a>
      </p>
    </>
  );
}
