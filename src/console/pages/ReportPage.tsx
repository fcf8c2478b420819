/**
 * The printable report for a steering-group meeting (A4, see the print rules
 * in console.css): period, the overview's figures and charts, ideas forwarded
 * to the steering group, decisions made, changes in progress with their
 * ladder step. Printing to PDF is the browser's "Save as PDF".
 */
import { Report, UnitList } from '../../domain/console/api';
import { REPORT_LIST_MAX } from '../../domain/console/api';
import { get } from '../api';
import { errorText, Loading, Notice, PageTitle, useResource } from '../components/common';
import { DataTable } from '../components/DataTable';
import { Figures, periodText } from '../components/Figures';
import { filterOf, filterQuery, PeriodFilter } from '../components/PeriodFilter';
import type { Route } from '../router';
import { useT } from '../useT';

export function ReportPage({ route }: { route: Route }) {
  const t = useT();
  const filter = filterOf(route);
  const query = filterQuery(filter).toString();
  const data = useResource(
    async () => ({ report: await get(Report, `/report?${query}`), units: (await get(UnitList, '/units')).units }),
    query,
  );
  const r = data.data?.report;
  const municipality = data.data?.units[0]?.municipality ?? '';
  const empty = <p>{t('report.empty')}</p>;
  return (
    <article class="report">
      <PageTitle title={`${t('report.title')} – ${t('app.title')}`}>{t('report.title')}</PageTitle>
      <PeriodFilter key={query} page="report" filter={filter} units={data.data?.units ?? []} t={t} />
      {data.loading && !r ? (
        <Loading t={t} />
      ) : data.error ? (
        <Notice kind="error">{errorText(t, data.error)}</Notice>
      ) : r ? (
        <>
          <div class="no-print actions">
            <button type="button" class="primary" onClick={() => window.print()}>
              {t('report.print')}
            </button>
            <p class="hint">{t('report.printHelp')}</p>
          </div>
          <p class="report-for">{t('report.for', { municipality, period: periodText(t, r.overview) })}</p>
          <p class="hint">{t('report.generated', { date: t.dateTime(r.overview.generatedAt) })}</p>
          <Figures overview={r.overview} t={t} idPrefix="report" />
          {r.truncated && <p>{t('report.truncated', { max: REPORT_LIST_MAX })}</p>}
          <section aria-labelledby="report-forwarded" class="page-break">
            <h2 id="report-forwarded">{t('report.forwarded')}</h2>
            {r.forwarded.length === 0 ? (
              empty
            ) : (
              <DataTable
                caption={t('report.forwarded')}
                columns={[t('col.idea'), t('col.unit'), t('col.published'), t('col.rationale')]}
                rows={r.forwarded.map((f) => [f.text, f.unitName, t.date(f.publishedAt), f.rationale])}
              />
            )}
          </section>
          <section aria-labelledby="report-decisions">
            <h2 id="report-decisions">{t('report.decisions')}</h2>
            {r.decisions.length === 0 ? (
              empty
            ) : (
              <DataTable
                caption={t('report.decisions')}
                columns={[t('col.idea'), t('col.unit'), t('col.published'), t('col.outcome'), t('col.rationale')]}
                rows={r.decisions.map((d) => [d.text, d.unitName, t.date(d.publishedAt), t(`outcome.${d.outcome}`), d.rationale])}
              />
            )}
          </section>
          <section aria-labelledby="report-changes">
            <h2 id="report-changes">{t('report.changes')}</h2>
            {r.changes.length === 0 ? (
              empty
            ) : (
              <DataTable
                caption={t('report.changes')}
                columns={[t('col.idea'), t('col.unit'), t('col.outcome'), t('col.step'), t('col.followUp')]}
                rows={r.changes.map((c) => [
                  c.text,
                  c.unitName,
                  t(`outcome.${c.outcome}`),
                  c.step ? t(`step.${c.step}`) : t('step.none'),
                  c.followUpDate ? t.date(Date.parse(`${c.followUpDate}T12:00:00Z`)) : '',
                ])}
              />
            )}
          </section>
        </>
      ) : null}
    </article>
  );
}
