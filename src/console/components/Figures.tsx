/**
 * The overview's figures, drawn: key numbers, then each chart with the table
 * it is drawn from, then the ideas overdue now. Shared by the overview page
 * and the printable report.
 */
import type { Overview } from '../../domain/console/api';
import { DecisionOutcome } from '../../domain';
import { FUNNEL_STAGES, KindKey } from '../../domain/readModels/overview';
import type { Translator } from '../i18n';
import { ChartFigure } from './Chart';
import { DataTable } from './DataTable';

export function monthLabel(t: Translator, month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Intl.DateTimeFormat(t.language === 'en' ? 'en-GB' : t.language === 'nn' ? 'nn-NO' : 'nb-NO', {
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(Date.UTC(y, m - 1, 15));
}

export function periodText(t: Translator, o: Pick<Overview, 'period'>): string {
  return `${monthLabel(t, o.period.from)} – ${monthLabel(t, o.period.to)}`;
}

export function Figures({ overview: o, t, idPrefix = 'fig' }: { overview: Overview; t: Translator; idPrefix?: string }) {
  const total = o.total;
  const pct = (share: number | null) => (share === null ? t('overview.none') : t('overview.percent', { value: t.number(share * 100) }));
  const days = (d: number | null) => (d === null ? t('overview.none') : t('overview.days', { days: t.number(d, d % 1 ? 1 : 0) }));
  const names = o.units.map((u) => u.name);
  const id = (s: string) => `${idPrefix}-${s}`;
  return (
    <>
      <section aria-labelledby={id('key')} class="key-figures">
        <h2 id={id('key')}>{t('overview.key')}</h2>
        <dl>
          <div>
            <dt>{t('overview.ideas')}</dt>
            <dd data-figure="ideas">{t.number(total.ideas)}</dd>
          </div>
          <div>
            <dt>{t('overview.sessions')}</dt>
            <dd data-figure="sessions">{t.number(total.sessions)}</dd>
          </div>
          <div>
            <dt>{t('overview.people')}</dt>
            <dd data-figure="people">{t.number(total.sessionPeople)}</dd>
          </div>
          <div>
            <dt>{t('overview.median')}</dt>
            <dd data-figure="median">{days(total.medianAnswerDays)}</dd>
          </div>
          <div>
            <dt>{t('overview.within')}</dt>
            <dd data-figure="within">{pct(total.withinPromiseShare)}</dd>
          </div>
          <div>
            <dt>{t('overview.overdueNow')}</dt>
            <dd data-figure="overdue">{t.number(total.overdueNow)}</dd>
          </div>
          <div>
            <dt>{t('overview.overloaded')}</dt>
            <dd data-figure="overloaded">{t.number(o.overloadedUnits)}</dd>
          </div>
        </dl>
      </section>

      <ChartFigure
        id={id('months')}
        t={t}
        title={t('chart.perMonth')}
        spec={{ labels: o.months.map((m) => monthLabel(t, m)), datasets: [{ label: t('col.ideas'), data: total.ideasByMonth }] }}
      >
        <DataTable
          caption={t('chart.tableOf', { title: t('chart.perMonth') })}
          columns={[t('col.month'), t('col.ideas')]}
          numeric={[1]}
          rows={o.months.map((m, i) => [monthLabel(t, m), t.number(total.ideasByMonth[i] ?? 0)])}
        />
      </ChartFigure>

      <ChartFigure
        id={id('participation')}
        t={t}
        title={t('chart.participation')}
        spec={{
          labels: names,
          horizontal: true,
          datasets: [
            { label: t('col.ideas'), data: o.units.map((u) => u.figures.ideas) },
            { label: t('col.sessions'), data: o.units.map((u) => u.figures.sessions) },
          ],
        }}
      >
        <DataTable
          caption={t('chart.tableOf', { title: t('chart.participation') })}
          columns={[t('col.unit'), t('col.ideas'), t('col.sessions'), t('col.people')]}
          numeric={[1, 2, 3]}
          rows={o.units.map((u) => [u.name, t.number(u.figures.ideas), t.number(u.figures.sessions), t.number(u.figures.sessionPeople)])}
        />
      </ChartFigure>

      <ChartFigure
        id={id('funnel')}
        t={t}
        title={t('chart.funnel')}
        spec={{
          labels: FUNNEL_STAGES.map((s) => t(`stage.${s}`)),
          horizontal: true,
          datasets: [{ label: t('col.ideas'), data: FUNNEL_STAGES.map((s) => total.funnel[s]) }],
        }}
      >
        <DataTable
          caption={t('chart.tableOf', { title: t('chart.funnel') })}
          columns={[t('col.stage'), t('col.ideas')]}
          numeric={[1]}
          rows={FUNNEL_STAGES.map((s) => [t(`stage.${s}`), t.number(total.funnel[s])])}
        />
      </ChartFigure>

      <ChartFigure
        id={id('answer')}
        t={t}
        title={t('chart.answer')}
        spec={{
          labels: names,
          horizontal: true,
          datasets: [{ label: t('col.median'), data: o.units.map((u) => u.figures.medianAnswerDays) }],
        }}
      >
        <DataTable
          caption={t('chart.tableOf', { title: t('chart.answer') })}
          columns={[t('col.unit'), t('col.answered'), t('col.median'), t('col.within'), t('col.promise')]}
          numeric={[1, 2, 3, 4]}
          rows={[
            ...o.units.map((u) => [
              u.name,
              t.number(u.figures.answered),
              days(u.figures.medianAnswerDays),
              pct(u.figures.withinPromiseShare),
              t.number(u.responseTargetDays),
            ]),
            [t('overview.allUnits'), t.number(total.answered), days(total.medianAnswerDays), pct(total.withinPromiseShare), ''],
          ]}
        />
      </ChartFigure>

      <ChartFigure
        id={id('load')}
        t={t}
        title={t('chart.load')}
        spec={{
          labels: names,
          horizontal: true,
          datasets: [
            { label: t('col.active'), data: o.units.map((u) => u.figures.activeChanges) },
            { label: t('col.limit'), data: o.units.map((u) => u.activeChangeLimit) },
          ],
        }}
      >
        <DataTable
          caption={t('chart.tableOf', { title: t('chart.load') })}
          columns={[t('col.unit'), t('col.active'), t('col.limit'), t('col.overloaded')]}
          numeric={[1, 2]}
          rows={o.units.map((u) => [
            u.name,
            t.number(u.figures.activeChanges),
            t.number(u.activeChangeLimit),
            u.overloaded ? t('yes') : t('no'),
          ])}
        />
      </ChartFigure>

      <ChartFigure
        id={id('outcomes')}
        t={t}
        title={t('chart.outcomes')}
        spec={{
          labels: DecisionOutcome.options.map((k) => t(`outcome.${k}`)),
          datasets: [{ label: t('col.count'), data: DecisionOutcome.options.map((k) => total.outcomes[k]) }],
        }}
      >
        <DataTable
          caption={t('chart.tableOf', { title: t('chart.outcomes') })}
          columns={[t('col.outcome'), t('col.count')]}
          numeric={[1]}
          rows={DecisionOutcome.options.map((k) => [t(`outcome.${k}`), t.number(total.outcomes[k])])}
        />
      </ChartFigure>

      <ChartFigure
        id={id('kinds')}
        t={t}
        title={t('chart.kinds')}
        spec={{
          labels: KindKey.options.map((k) => t(`kind.${k}`)),
          datasets: [{ label: t('col.ideas'), data: KindKey.options.map((k) => total.kinds[k]) }],
        }}
      >
        <DataTable
          caption={t('chart.tableOf', { title: t('chart.kinds') })}
          columns={[t('col.kind'), t('col.ideas')]}
          numeric={[1]}
          rows={KindKey.options.map((k) => [t(`kind.${k}`), t.number(total.kinds[k])])}
        />
      </ChartFigure>

      <section aria-labelledby={id('overdue')}>
        <h2 id={id('overdue')}>{t('overdue.title')}</h2>
        {o.overdue.length === 0 ? (
          <p>{t('overdue.none')}</p>
        ) : (
          <>
            {o.overdueTruncated && <p>{t('overdue.truncated', { shown: o.overdue.length, total: total.overdueNow })}</p>}
            <DataTable
              caption={t('overdue.title')}
              columns={[t('col.idea'), t('col.unit'), t('col.created'), t('col.daysOverdue')]}
              numeric={[3]}
              rows={o.overdue.map((i) => [i.text, i.unitName, t.date(i.createdAt), t.number(i.daysOverdue)])}
            />
          </>
        )}
      </section>
    </>
  );
}
