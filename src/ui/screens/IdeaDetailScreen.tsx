/** One idea, readable in full, with its photos and support, and the method's part: its answer and the leader's actions. */
import { receiptCode } from '../../domain';
import { getIdea, supportCounts } from '../../data/ideas';
import { appDb } from '../appDb';
import { PhotoView } from '../components/PhotoView';
import { SupportButton } from '../components/SupportButton';
import type { PlainKey } from '../i18n';
import { IdeaDecisionSection } from '../method/IdeaDecisionSection';
import { useT } from '../i18n/useT';
import { LostEditsNotice } from '../sync/LostEditsNotice';
import type { RouteProps } from '../navigation';
import { href } from '../navigation';
import { useLiveQuery } from '../useLiveQuery';

export function IdeaDetailScreen({ param }: RouteProps) {
  const t = useT();
  const id = param ?? '';
  const { value: idea } = useLiveQuery(() => getIdea(appDb(), id), [id]);
  const { value: counts } = useLiveQuery(
    async () => (idea ? supportCounts(appDb(), idea.unitId) : new Map<string, number>()),
    [idea?.unitId],
  );

  if (idea === undefined) return <p role="status">{t('app.loading')}</p>;
  if (idea === null)
    return (
      <section>
        <h1>{t('idea.notFound')}</h1>
        <a href={href('board')}>{t('idea.back')}</a>
      </section>
    );
  const created = new Date(idea.createdAt);
  return (
    <article class="idea-detail" aria-labelledby="idea-title">
      <p>
        <a href={href('board')}>
          <span aria-hidden="true">← </span>
          {t('idea.back')}
        </a>
      </p>
      <p class="idea-detail__label">{t('capture.impossibleNow')}</p>
      <h1 id="idea-title" class="idea-detail__title">
        {idea.impossibleNow}
      </h1>
      <dl class="facts card">
        <dt>{t('idea.wouldChange')}</dt>
        <dd>{idea.wouldChange ?? t('idea.notGiven')}</dd>
        <dt>{t('idea.beneficiaries')}</dt>
        <dd>{idea.beneficiaries.length ? idea.beneficiaries.map((b) => t(`beneficiary.${b}`)).join(', ') : t('idea.notGiven')}</dd>
        <dt>{t('idea.kind')}</dt>
        <dd>{idea.kind ? `${t(`kind.${idea.kind}`)} – ${t(`kind.${idea.kind}.explain`)}` : t('kind.unknown')}</dd>
        <dt>{t('idea.bearer')}</dt>
        <dd>{idea.bearerName ?? t('idea.anonymous')}</dd>
        <dt>{t('idea.status')}</dt>
        <dd>{t(`status.${idea.status}`)}</dd>
        <dt>{t('idea.receipt')}</dt>
        <dd class="receipt__code">{receiptCode(idea.id)}</dd>
        <dt>{t('idea.created')}</dt>
        <dd>
          <time dateTime={idea.createdAt}>
            {t.date(created, 'dateTime')} ({t.ago(created)})
          </time>
        </dd>
      </dl>
      {idea.photos.length ? (
        <section class="photos" aria-labelledby="photos-title">
          <h2 id="photos-title">{t('idea.photos')}</h2>
          {idea.photos.map((sha, i) => (
            <PhotoView key={sha} sha256={sha} alt={t('idea.photoAlt', { n: i + 1 })} missingText={t('idea.photoMissing')} />
          ))}
        </section>
      ) : null}
      <LostEditsNotice table="ideas" recordId={idea.id} fieldLabel={(f) => ideaFieldLabel(t, f)} />
      <SupportButton idea={idea} count={counts?.get(idea.id) ?? 0} />
      <IdeaDecisionSection idea={idea} />
    </article>
  );
}

/** An idea field by the label this screen gives it (for a notice of a lost edit). */
function ideaFieldLabel(t: ReturnType<typeof useT>, field: string): string {
  const labels: Record<string, PlainKey> = {
    impossibleNow: 'capture.impossibleNow',
    wouldChange: 'idea.wouldChange',
    beneficiaries: 'idea.beneficiaries',
    kind: 'idea.kind',
    bearerName: 'idea.bearer',
  };
  return Object.hasOwn(labels, field) ? t(labels[field]!) : field;
}
