/** The steering group's overview for a period, per unit and for the whole municipality. */
import { Overview, UnitList } from '../../domain/console/api';
import { get } from '../api';
import { errorText, Loading, Notice, PageTitle, useResource } from '../components/common';
import { Figures, periodText } from '../components/Figures';
import { filterOf, filterQuery, PeriodFilter } from '../components/PeriodFilter';
import { href, type Route } from '../router';
import { useT } from '../useT';

export function OverviewPage({ route }: { route: Route }) {
  const t = useT();
  const filter = filterOf(route);
  const query = filterQuery(filter).toString();
  const data = useResource(
    async () => ({ overview: await get(Overview, `/overview?${query}`), units: (await get(UnitList, '/units')).units }),
    query,
  );
  const o = data.data?.overview;
  return (
    <>
      <PageTitle title={`${t('overview.title')} – ${t('app.title')}`}>{t('overview.title')}</PageTitle>
      <PeriodFilter key={query} page="overview" filter={filter} units={data.data?.units ?? []} t={t} />
      {data.loading && !o ? (
        <Loading t={t} />
      ) : data.error ? (
        <Notice kind="error">{errorText(t, data.error)}</Notice>
      ) : o && o.units.length === 0 ? (
        <p>{t('overview.noUnits')}</p>
      ) : o ? (
        <>
          <p>
            {t('overview.intro', {
              period: periodText(t, o),
              units: filter.units.length ? t('overview.someUnits', { count: o.units.length }) : t('overview.allUnits'),
            })}{' '}
            <a href={href('report', filterQuery(filter))}>{t('report.title')}</a>
          </p>
          <Figures overview={o} t={t} />
        </>
      ) : null}
    </>
  );
}
