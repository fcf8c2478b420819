/**
 * The unit's ideas: newest first, filterable, searchable (by words, or by the
 * receipt code an idea bearer got at capture), with support (+1); above them
 * the changes the unit is trying now and the latest answers.
 * The first screenful is read on its own and painted at once; the full list
 * (count, filters, search) replaces it when read.
 */
import { useMemo, useState } from 'preact/hooks';
import { ChangeKind, IdeaStatus, type Idea } from '../../domain';
import { newestUnitIdeas, supportCounts, unitIdeas } from '../../data/ideas';
import { appDb } from '../appDb';
import { SupportButton } from '../components/SupportButton';
import { VirtualList } from '../components/VirtualList';
import { useT } from '../i18n/useT';
import { ChangesNow } from '../change/ChangesNow';
import { IdeaAnswerLine } from '../method/IdeaAnswerLine';
import { RecentlyDecided } from '../method/RecentlyDecided';
import { ResponseClockBadge, ResponsePromise } from '../method/ResponseClockBadge';
import { href } from '../navigation';
import { filterIdeas, indexIdeas, type BoardFilter } from '../search';
import { uiStore } from '../store';
import { useLiveQuery } from '../useLiveQuery';
import { useStore } from '../useStore';

export function BoardScreen() {
  const t = useT();
  const unit = useStore(uiStore, (s) => s.unit);
  const unitId = unit?.id ?? '';
  // First screenful, then everything: IndexedDB serves one request at a time, so the small read goes first.
  const [firstScreenRead, setFirstScreenRead] = useState(false);
  const ideas = useLiveQuery(async () => (firstScreenRead ? unitIdeas(appDb(), unitId) : undefined), [unitId, firstScreenRead]).value;
  const loading = ideas === undefined;
  const firstScreen = useLiveQuery(
    async () => (loading ? newestUnitIdeas(appDb(), unitId, FIRST_SCREEN_ROWS).finally(() => setFirstScreenRead(true)) : null),
    [unitId, loading],
  ).value;
  const counts = useLiveQuery(() => supportCounts(appDb(), unitId), [unitId]).value;
  const [filter, setFilter] = useState<BoardFilter>({ status: 'all', kind: 'all', query: '' });
  const index = useMemo(() => indexIdeas(ideas ?? []), [ideas]);
  const shown = useMemo(() => filterIdeas(index, filter), [index, filter]);

  const set = <K extends keyof BoardFilter>(key: K, value: BoardFilter[K]) => setFilter((f) => ({ ...f, [key]: value }));
  const list = (items: Idea[]) => (
    <VirtualList
      items={items}
      estimatedRowRem={7.5}
      label={t('board.listLabel')}
      itemKey={ideaKey}
      renderItem={(idea) => <IdeaRow idea={idea} supports={counts?.get(idea.id) ?? 0} />}
    />
  );

  return (
    <section class="board" aria-labelledby="board-title">
      <h1 id="board-title">{t('board.title')}</h1>
      {unit ? <ResponsePromise unit={unit} /> : null}
      <ChangesNow unitId={unitId} />
      <RecentlyDecided unitId={unitId} />
      <div class="board__filters card" role="search">
        <div class="field">
          <label for="board-search">{t('board.search')}</label>
          <p class="field__hint" id="board-search-hint">
            {t('board.searchHint')}
          </p>
          <input
            id="board-search"
            type="search"
            aria-describedby="board-search-hint"
            value={filter.query}
            onInput={(e) => set('query', e.currentTarget.value)}
          />
        </div>
        <div class="field">
          <label for="board-status">{t('board.status')}</label>
          <select id="board-status" value={filter.status} onChange={(e) => set('status', e.currentTarget.value as BoardFilter['status'])}>
            <option value="all">{t('board.allStatuses')}</option>
            {IdeaStatus.options.map((s) => (
              <option key={s} value={s}>
                {t(`status.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="board-kind">{t('board.kind')}</label>
          <select id="board-kind" value={filter.kind} onChange={(e) => set('kind', e.currentTarget.value as BoardFilter['kind'])}>
            <option value="all">{t('board.allKinds')}</option>
            {ChangeKind.options.map((k) => (
              <option key={k} value={k}>
                {t(`kind.${k}`)}
              </option>
            ))}
          </select>
        </div>
      </div>
      {ideas === undefined ? (
        firstScreen?.length ? (
          <>
            <p class="board__count" role="status">
              {t('app.loading')}
            </p>
            {list(firstScreen)}
          </>
        ) : (
          <p role="status">{t('app.loading')}</p>
        )
      ) : (
        <>
          <p class="board__count" role="status" aria-live="polite">
            {ideas.length === 0 ? '' : t.plural('board.count', shown.length)}
          </p>
          {ideas.length === 0 ? (
            <div class="empty">
              <p>{t('board.empty')}</p>
              <a class="button button--primary" href={href('capture')}>
                {t('board.emptyAction')}
              </a>
            </div>
          ) : shown.length === 0 ? (
            <p class="empty">{t('board.noMatches')}</p>
          ) : (
            list(shown)
          )}
        </>
      )}
    </section>
  );
}

/** More than a tall tablet screen shows (rows are 7.5rem or more). */
const FIRST_SCREEN_ROWS = 20;

const ideaKey = (idea: Idea) => idea.id;

function IdeaRow({ idea, supports }: { idea: Idea; supports: number }) {
  const t = useT();
  const unit = useStore(uiStore, (s) => s.unit);
  return (
    <article class="idea-row">
      <div class="idea-row__main">
        <a class="idea-row__title" href={href('idea', idea.id)}>
          {idea.impossibleNow}
        </a>
        <p class="idea-row__meta">
          <span class={`badge badge--${idea.status}`}>{t(`status.${idea.status}`)}</span>
          {idea.kind ? <span class="badge badge--kind">{t(`kind.${idea.kind}`)}</span> : null}
          {unit ? <ResponseClockBadge idea={idea} unit={unit} /> : null}
          <span>{t.ago(new Date(idea.createdAt))}</span>
          {idea.photos.length ? <span>{t('board.hasPhoto')}</span> : null}
        </p>
        <IdeaAnswerLine idea={idea} />
      </div>
      <SupportButton idea={idea} count={supports} />
    </article>
  );
}
