/** The audit log (administrators): who changed what, when, newest first, page by page. */
import { useState } from 'preact/hooks';
import { AuditPage as AuditPageSchema, type AuditEntry } from '../../domain/console/api';
import { get } from '../api';
import { errorText, Loading, Notice, PageTitle, useResource } from '../components/common';
import type { MessageKey } from '../i18n';
import { useT } from '../useT';

export function AuditPage() {
  const t = useT();
  const first = useResource(() => get(AuditPageSchema, '/audit'), 'audit');
  const [more, setMore] = useState<{ entries: AuditEntry[]; nextBefore: number | null } | null>(null);
  const entries = [...(first.data?.entries ?? []), ...(more?.entries ?? [])];
  const nextBefore = more ? more.nextBefore : (first.data?.nextBefore ?? null);
  const actionText = (action: string) => {
    const key = `audit.action.${action}` as MessageKey;
    const text = t(key);
    return text === key ? action : text;
  };

  async function older() {
    if (nextBefore === null) return;
    const page = await get(AuditPageSchema, `/audit?before=${nextBefore}`);
    setMore({ entries: [...(more?.entries ?? []), ...page.entries], nextBefore: page.nextBefore });
  }

  return (
    <>
      <PageTitle title={`${t('audit.title')} – ${t('app.title')}`}>{t('audit.title')}</PageTitle>
      {first.loading && !first.data ? (
        <Loading t={t} />
      ) : first.error ? (
        <Notice kind="error">{errorText(t, first.error)}</Notice>
      ) : entries.length === 0 ? (
        <p>{t('audit.none')}</p>
      ) : (
        <div class="table-wrap" tabIndex={0} role="region" aria-label={t('audit.title')}>
          <table>
            <caption class="visually-hidden">{t('audit.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('audit.when')}</th>
                <th scope="col">{t('audit.who')}</th>
                <th scope="col">{t('audit.what')}</th>
                <th scope="col">{t('audit.target')}</th>
                <th scope="col">{t('audit.detail')}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id}>
                  <th scope="row">{t.dateTime(e.at)}</th>
                  <td>{e.actorLabel}</td>
                  <td>{actionText(e.action)}</td>
                  <td>{e.targetId ? `${e.targetType} ${e.targetId}` : e.targetType}</td>
                  <td>
                    {Object.entries(e.detail)
                      .map(([k, v]) => `${k}: ${String(v)}`)
                      .join(', ')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {nextBefore !== null && (
        <button type="button" onClick={older}>
          {t('audit.more')}
        </button>
      )}
    </>
  );
}
