/** Period (whole months) and units, kept in the page's address so a reload, a link or the report keeps them. */
import { useState } from 'preact/hooks';
import type { UnitView } from '../../domain/console/api';
import { Period, recentPeriod } from '../../domain/readModels/time';
import type { Translator } from '../i18n';
import { navigate, type Route } from '../router';
import { Notice } from './common';

export interface Filter {
  from: string;
  to: string;
  units: string[];
}

export function filterOf(route: Route): Filter {
  const fallback = recentPeriod(Date.now());
  const period = Period.safeParse({ from: route.query.get('from') ?? fallback.from, to: route.query.get('to') ?? fallback.to });
  const p = period.success ? period.data : fallback;
  return { from: p.from, to: p.to, units: route.query.getAll('unit') };
}

export function filterQuery(f: Filter): URLSearchParams {
  const q = new URLSearchParams({ from: f.from, to: f.to });
  for (const u of f.units) q.append('unit', u);
  return q;
}

export function PeriodFilter({ page, filter, units, t }: { page: string; filter: Filter; units: UnitView[]; t: Translator }) {
  const [from, setFrom] = useState(filter.from);
  const [to, setTo] = useState(filter.to);
  const [chosen, setChosen] = useState(filter.units);
  const [invalid, setInvalid] = useState(false);

  function apply(e: Event) {
    e.preventDefault();
    if (!Period.safeParse({ from, to }).success) return setInvalid(true);
    setInvalid(false);
    navigate(page, filterQuery({ from, to, units: chosen }));
  }

  return (
    <form class="filter no-print" onSubmit={apply}>
      <fieldset>
        <legend>{t('period.legend')}</legend>
        <div class="field">
          <label for={`${page}-from`}>{t('period.from')}</label>
          <input id={`${page}-from`} type="month" value={from} onInput={(e) => setFrom(e.currentTarget.value)} required />
        </div>
        <div class="field">
          <label for={`${page}-to`}>{t('period.to')}</label>
          <input id={`${page}-to`} type="month" value={to} onInput={(e) => setTo(e.currentTarget.value)} required />
        </div>
        {units.length > 1 && (
          <div class="field">
            <label for={`${page}-units`}>{t('period.units')}</label>
            <select
              id={`${page}-units`}
              multiple
              size={Math.min(6, units.length)}
              onChange={(e) => setChosen([...e.currentTarget.selectedOptions].map((o) => o.value))}
            >
              {units.map((u) => (
                <option key={u.id} value={u.id} selected={chosen.includes(u.id)}>
                  {u.name}
                </option>
              ))}
            </select>
          </div>
        )}
        <button type="submit" class="primary">
          {t('period.apply')}
        </button>
      </fieldset>
      {invalid && <Notice kind="error">{t('period.invalid')}</Notice>}
    </form>
  );
}
