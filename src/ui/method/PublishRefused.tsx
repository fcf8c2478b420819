/**
 * A publication the server refused because the draft changed on another
 * tablet before it arrived (`draftChanged`): nothing was published. In plain
 * words, with both versions side by side: what this leader published, and
 * the draft as it now stands (the server's, which the tablet holds again),
 * so the parties can agree and publish again.
 */
import { UnitDecision } from '../../domain';
import { dismissRefusedChange, refusedPublishes, type RefusedChange } from '../../data/sync/rejections';
import { appDb } from '../appDb';
import { useT } from '../i18n/useT';
import '../i18n/methodStrings';
import { useLiveQuery } from '../useLiveQuery';

export function PublishRefused({ ideaId }: { ideaId: string }) {
  const refused = useLiveQuery(() => refusedPublishes(appDb(), ideaId), [ideaId]).value ?? [];
  return (
    <>
      {refused.map((r) => (
        <RefusedVersions key={r.id} refused={r} />
      ))}
    </>
  );
}

function RefusedVersions({ refused: r }: { refused: RefusedChange }) {
  const t = useT();
  const now = useLiveQuery(async () => (await appDb().unitDecisions.get(r.recordId)) ?? null, [r.recordId]).value;
  const yours = UnitDecision.safeParse(r.fields);
  const current = now ? UnitDecision.safeParse(now) : null;
  return (
    <section class="alert alert--error publish-refused" aria-labelledby={`publish-refused-${r.id}`}>
      <h2 id={`publish-refused-${r.id}`}>{t('publishRefused.title')}</h2>
      <p>{t('publishRefused.explain')}</p>
      <div class="publish-refused__versions">
        <section aria-labelledby={`publish-refused-yours-${r.id}`}>
          <h3 id={`publish-refused-yours-${r.id}`}>{t('publishRefused.yours')}</h3>
          {yours.success ? <Version decision={yours.data} /> : <p class="refused__text">{r.typedText}</p>}
        </section>
        <section aria-labelledby={`publish-refused-now-${r.id}`}>
          <h3 id={`publish-refused-now-${r.id}`}>{t('publishRefused.now')}</h3>
          {current?.success ? <Version decision={current.data} /> : now === null ? <p>{t('publishRefused.gone')}</p> : null}
        </section>
      </div>
      <button type="button" class="button" onClick={() => void dismissRefusedChange(appDb(), r.id)}>
        {t('publishRefused.dismiss')}
      </button>
    </section>
  );
}

/** One version of the decision, field by field. */
function Version({ decision: d }: { decision: UnitDecision }) {
  const t = useT();
  return (
    <dl class="facts">
      <dt>{t('decision.outcome')}</dt>
      <dd>{t(`outcome.${d.outcome}`)}</dd>
      <dt>{t('decision.rationale')}</dt>
      <dd class="publish-refused__text">{d.rationale}</dd>
      {d.responsible ? (
        <>
          <dt>{t('decision.responsible')}</dt>
          <dd>{d.responsible}</dd>
        </>
      ) : null}
      {d.followUpDate ? (
        <>
          <dt>{t('decision.followUpDate')}</dt>
          <dd>{d.followUpDate}</dd>
        </>
      ) : null}
      {d.parkUntil ? (
        <>
          <dt>{t('decision.parkUntil')}</dt>
          <dd>{d.parkUntil}</dd>
        </>
      ) : null}
    </dl>
  );
}
