/** One idea, readable in full, with its photos and support, and the method's part: its answer and the leader's actions. */
import { receiptCode, type Idea } from '../../domain';
import { deleteIdeaPhoto, getIdea, supportCounts } from '../../data/ideas';
import { useState } from 'preact/hooks';
import { useLeaderMode } from '../method/leaderMode';
import { sourceEntry } from '../../data/library';
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
  const leader = useLeaderMode();
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
      {idea.sourceIdeaId ? <TakenUpFrom idea={idea} /> : null}
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
            <div key={sha} class="photo-item">
              <PhotoView sha256={sha} alt={t('idea.photoAlt', { n: i + 1 })} missingText={t('idea.photoMissing')} />
              {leader ? <DeletePhotoButton idea={idea} sha256={sha} n={i + 1} /> : null}
            </div>
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

/** An idea taken up from another unit ("Vi vil prøve dette også"): where it came from and what that unit's answer was. */
function TakenUpFrom({ idea }: { idea: Idea }) {
  const t = useT();
  const source = useLiveQuery(() => sourceEntry(appDb(), idea), [idea.id, idea.sourceIdeaId]).value;
  if (!source) return null;
  return (
    <section class="card taken-up-from">
      <p>
        <a href={href('other-units')}>{t('library.source', { unit: source.unitName, text: source.text })}</a>
      </p>
      <p>{t('library.sourceAnswer', { status: t(`status.${source.status}`), rationale: source.answer.rationale })}</p>
    </section>
  );
}

/** The unit leader deletes a photo, after saying so twice (it cannot be undone: the bytes go everywhere). */
function DeletePhotoButton({ idea, sha256, n }: { idea: Idea; sha256: string; n: number }) {
  const t = useT();
  const [confirming, setConfirming] = useState(false);
  const [failed, setFailed] = useState(false);
  if (!confirming)
    return (
      <button type="button" class="button" onClick={() => setConfirming(true)}>
        {t('idea.deletePhoto', { n })}
      </button>
    );
  return (
    <div role="group" aria-label={t('idea.deletePhoto', { n })}>
      <p>{t('idea.deletePhotoConfirm')}</p>
      <button
        type="button"
        class="button button--danger"
        onClick={() => void deleteIdeaPhoto(appDb(), idea, sha256).catch(() => setFailed(true))}
      >
        {t('idea.deletePhotoNow', { n })}
      </button>
      <button type="button" class="button" onClick={() => setConfirming(false)}>
        {t('idea.deletePhotoCancel')}
      </button>
      {failed ? (
        <p class="alert alert--error" role="alert">
          {t('library.tryFailed')}
        </p>
      ) : null}
    </div>
  );
}
