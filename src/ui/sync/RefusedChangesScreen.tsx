/**
 * "Changes the server refused": what did not arrive, why in plain words, what
 * the person typed (so it can be entered again), and which idea it concerns.
 * Opened from the sync bar's "N changes were refused".
 */
import './refused.css';
import { useRef, useState } from 'preact/hooks';
import { dismissRefusedChange, refusedChanges, type RefusedChange } from '../../data/sync/rejections';
import { appDb } from '../appDb';
import { useT } from '../i18n/useT';
import { href } from '../navigation';
import { useLiveQuery } from '../useLiveQuery';

export function RefusedChangesScreen() {
  const t = useT();
  const { value: changes, error } = useLiveQuery(() => refusedChanges(appDb()), []);
  const [announcement, setAnnouncement] = useState('');
  const [failed, setFailed] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);

  async function dismiss(change: RefusedChange) {
    setFailed(false);
    try {
      await dismissRefusedChange(appDb(), change.id);
      setAnnouncement(t('refused.dismissed'));
      // The button is gone with its item: keep focus somewhere sensible.
      heading.current?.focus();
    } catch {
      setFailed(true);
    }
  }

  return (
    <section class="refused" aria-labelledby="refused-title">
      <h1 id="refused-title" ref={heading} tabIndex={-1}>
        {t('refused.title')}
      </h1>
      <p class="lead">{t('refused.intro')}</p>
      <p role="status" class="refused__status">
        {announcement}
      </p>
      {failed || error ? (
        <p role="alert" class="alert alert--error">
          {t('refused.storageError')}
        </p>
      ) : null}
      {changes === undefined ? (
        <p>{t('app.loading')}</p>
      ) : changes.length === 0 ? (
        <p class="card">{t('refused.none')}</p>
      ) : (
        <ul class="refused__list">
          {changes.map((change) => (
            <li key={change.id} class="card refused__item">
              <h2 class="refused__what" id={`refused-${change.id}`}>
                {t(`refused.table.${change.table}`)}
                {change.op ? ` – ${t(`refused.op.${change.op}`)}` : ''}
              </h2>
              <p>{t(`refused.reason.${change.reason}`)}</p>
              {change.reason === 'draftChanged' && change.idea?.existsHere ? (
                <p>
                  <a href={href('decide', change.idea.id)}>{t('refused.bothVersions')}</a>
                </p>
              ) : null}
              {change.idea ? (
                <p>
                  {t('refused.concerns')}{' '}
                  {change.idea.existsHere ? <a href={href('idea', change.idea.id)}>{change.idea.text}</a> : <q>{change.idea.text}</q>}
                </p>
              ) : null}
              {change.typedText && change.typedText !== change.idea?.text ? (
                <>
                  <h3 class="refused__label">{t('refused.typed')}</h3>
                  <p class="refused__text">{change.typedText}</p>
                </>
              ) : null}
              <p class="refused__when">{t('refused.when', { when: t.date(change.at, 'dateTime') })}</p>
              {change.detail ? (
                <details>
                  <summary>{t('refused.detail')}</summary>
                  <p class="refused__detail">{change.detail}</p>
                </details>
              ) : null}
              <button type="button" class="button" aria-describedby={`refused-${change.id}`} onClick={() => void dismiss(change)}>
                {t('refused.dismiss')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
