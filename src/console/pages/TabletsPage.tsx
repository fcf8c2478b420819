/** Every tablet: name, unit, last sync, app version, unsent changes and storage as last reported; revoke one. */
import { useState } from 'preact/hooks';
import { DeviceList, Ok, UnitList, type DeviceView } from '../../domain/console/api';
import { get, post } from '../api';
import { errorText, Loading, Notice, PageTitle, useResource } from '../components/common';
import { useT } from '../useT';

export function TabletsPage() {
  const t = useT();
  const data = useResource(
    async () => ({ devices: (await get(DeviceList, '/devices')).devices, units: (await get(UnitList, '/units')).units }),
    'tablets',
  );
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const unitName = new Map(data.data?.units.map((u) => [u.id, u.name]));

  async function revoke(d: DeviceView) {
    if (!window.confirm(t('tablets.confirm', { name: d.label }))) return;
    try {
      await post(Ok, `/devices/${d.deviceId}/revoke`);
      setMessage({ kind: 'ok', text: t('tablets.done', { name: d.label }) });
      data.reload();
    } catch (err) {
      setMessage({ kind: 'error', text: errorText(t, err) });
    }
  }

  const yesNo = (v: boolean | null) => (v === null ? t('tablets.unknown') : v ? t('yes') : t('no'));
  return (
    <>
      <PageTitle title={`${t('tablets.title')} – ${t('app.title')}`}>{t('tablets.title')}</PageTitle>
      {message && <Notice kind={message.kind}>{message.text}</Notice>}
      {data.loading && !data.data ? (
        <Loading t={t} />
      ) : data.error ? (
        <Notice kind="error">{errorText(t, data.error)}</Notice>
      ) : data.data?.devices.length === 0 ? (
        <p>{t('tablets.none')}</p>
      ) : (
        <div class="table-wrap" tabIndex={0} role="region" aria-label={t('tablets.title')}>
          <table>
            <caption class="visually-hidden">{t('tablets.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('tablets.name')}</th>
                <th scope="col">{t('tablets.unit')}</th>
                <th scope="col">{t('tablets.lastSync')}</th>
                <th scope="col">{t('tablets.version')}</th>
                <th scope="col" class="num">
                  {t('tablets.unsent')}
                </th>
                <th scope="col">{t('tablets.persisted')}</th>
                <th scope="col">{t('tablets.status')}</th>
              </tr>
            </thead>
            <tbody>
              {data.data?.devices.map((d) => (
                <tr key={d.deviceId}>
                  <th scope="row">{d.label}</th>
                  <td>{unitName.get(d.unitId) ?? d.unitId}</td>
                  <td>{d.lastSeenAt ? t.dateTime(d.lastSeenAt) : t('tablets.never')}</td>
                  <td>{d.appVersion}</td>
                  <td class="num">{d.unsent ?? t('tablets.unknown')}</td>
                  <td>{yesNo(d.storagePersisted)}</td>
                  <td>
                    {d.revokedAt ? (
                      t('tablets.revoked', { date: t.date(d.revokedAt) })
                    ) : (
                      <>
                        {t('tablets.active')}{' '}
                        <button type="button" class="danger" onClick={() => revoke(d)}>
                          {t('tablets.revoke', { name: d.label })}
                        </button>
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
