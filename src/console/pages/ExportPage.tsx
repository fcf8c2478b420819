/** CSV export for Norwegian Excel: dataset, period, units, header language, and a switch to leave out all names. */
import { useState } from 'preact/hooks';
import { UnitList, type ExportDataset } from '../../domain/console/api';
import { EXPORT_DATASETS } from '../../domain/console/api';
import type { Language } from '../../domain';
import { API, get } from '../api';
import { PageTitle, useResource } from '../components/common';
import { filterOf, filterQuery, PeriodFilter } from '../components/PeriodFilter';
import { CONSOLE_LANGUAGES } from '../i18n';
import type { Route } from '../router';
import { useT } from '../useT';

export function ExportPage({ route }: { route: Route }) {
  const t = useT();
  const filter = filterOf(route);
  const units = useResource(() => get(UnitList, '/units'), 'units');
  const [dataset, setDataset] = useState<ExportDataset>('ideas');
  const [language, setLanguage] = useState<Language>(t.language);
  const [withoutNames, setWithoutNames] = useState(false);
  const query = filterQuery(filter);
  query.set('dataset', dataset);
  query.set('language', language);
  if (withoutNames) query.set('withoutNames', '1');
  return (
    <>
      <PageTitle title={`${t('export.title')} – ${t('app.title')}`}>{t('export.title')}</PageTitle>
      <p>{t('export.intro')}</p>
      <PeriodFilter key={filterQuery(filter).toString()} page="export" filter={filter} units={units.data?.units ?? []} t={t} />
      <div class="card">
        <fieldset>
          <legend>{t('export.dataset')}</legend>
          {EXPORT_DATASETS.map((d) => (
            <div class="choice" key={d}>
              <input type="radio" id={`export-${d}`} name="dataset" value={d} checked={dataset === d} onChange={() => setDataset(d)} />
              <label for={`export-${d}`}>{t(`export.${d}`)}</label>
            </div>
          ))}
        </fieldset>
        <div class="field">
          <label for="export-language">{t('export.language')}</label>
          <select id="export-language" value={language} onChange={(e) => setLanguage(e.currentTarget.value as Language)}>
            {CONSOLE_LANGUAGES.map((l) => (
              <option key={l} value={l}>
                {t(`lang.${l}`)}
              </option>
            ))}
          </select>
        </div>
        <div class="choice">
          <input
            type="checkbox"
            id="export-without-names"
            checked={withoutNames}
            onChange={(e) => setWithoutNames(e.currentTarget.checked)}
          />
          <label for="export-without-names">{t('export.withoutNames')}</label>
        </div>
        <a class="button primary" href={`${API}/export.csv?${query}`} download>
          {t('export.download')}
        </a>
      </div>
    </>
  );
}
