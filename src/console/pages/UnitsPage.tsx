/**
 * Units without a terminal: create, rename, and make a one-time enrollment
 * code with its printable A4 sheet (unit name, code, a large QR code, three
 * steps in plain words) to put up in the break room.
 */
import { useState } from 'preact/hooks';
import { EnrollmentSheet, Ok, UnitList, type EnrollmentSheet as Sheet, type UnitView } from '../../domain/console/api';
import { get, patch, post } from '../api';
import { errorText, Field, Loading, Notice, PageTitle, useResource } from '../components/common';
import { QrCode } from '../components/QrCode';
import type { Translator } from '../i18n';
import { useT } from '../useT';

const TTL_CHOICES = [24, 72, 168, 720];

export function SheetView({ sheet, t, onBack }: { sheet: Sheet; t: Translator; onBack: () => void }) {
  return (
    <article class="sheet" aria-labelledby="sheet-title">
      <div class="no-print actions">
        <Notice kind="ok">{t('sheet.ready')}</Notice>
        <button type="button" class="primary" onClick={() => window.print()}>
          {t('sheet.print')}
        </button>
        <button type="button" onClick={onBack}>
          {t('sheet.back')}
        </button>
      </div>
      <h1 id="sheet-title" tabIndex={-1}>
        {t('sheet.title', { unit: sheet.unitName })}
      </h1>
      <p class="sheet-lead">{t('sheet.lead', { unit: sheet.unitName, municipality: sheet.municipality })}</p>
      <QrCode qr={sheet.qr} label={t('sheet.qr', { code: sheet.code })} />
      <ol class="sheet-steps">
        <li>{t('sheet.step1')}</li>
        <li>{t('sheet.step2')}</li>
        <li>{t('sheet.step3')}</li>
      </ol>
      <p class="sheet-code">
        <span>{t('sheet.code')}:</span> <strong>{sheet.code}</strong>
      </p>
      <p>{t('sheet.expires', { date: t.dateTime(sheet.expiresAt) })}</p>
    </article>
  );
}

function UnitRow({
  unit,
  t,
  onChanged,
  onSheet,
}: {
  unit: UnitView;
  t: Translator;
  onChanged: (text: string) => void;
  onSheet: (s: Sheet) => void;
}) {
  const [renaming, setRenaming] = useState(false);
  const [name, setName] = useState(unit.name);
  const [ttl, setTtl] = useState(72);
  const [error, setError] = useState<string | null>(null);

  async function rename(e: Event) {
    e.preventDefault();
    try {
      await patch(Ok, `/units/${unit.id}`, { name });
      setRenaming(false);
      onChanged(t('units.renamed', { name: name.trim() }));
    } catch (err) {
      setError(errorText(t, err));
    }
  }

  async function code() {
    try {
      onSheet(await post(EnrollmentSheet, `/units/${unit.id}/codes`, { ttlHours: ttl }));
    } catch (err) {
      setError(errorText(t, err));
    }
  }

  return (
    <tr>
      <th scope="row">
        {renaming ? (
          <form onSubmit={rename} class="inline">
            <Field id={`rename-${unit.id}`} label={t('units.renameLabel', { name: unit.name })} value={name} onInput={setName} required />
            <button type="submit" class="primary">
              {t('units.save')}
            </button>
            <button type="button" onClick={() => setRenaming(false)}>
              {t('units.cancel')}
            </button>
          </form>
        ) : (
          unit.name
        )}
        {error && <Notice kind="error">{error}</Notice>}
      </th>
      <td>{unit.municipality}</td>
      <td class="num">{unit.tablets}</td>
      <td class="num">{unit.openCodes}</td>
      <td class="row-actions">
        {!renaming && (
          <button type="button" onClick={() => setRenaming(true)} aria-label={`${t('units.rename')}: ${unit.name}`}>
            {t('units.rename')}
          </button>
        )}
        <label for={`ttl-${unit.id}`} class="visually-hidden">
          {`${t('units.ttl')} (${unit.name})`}
        </label>
        <select id={`ttl-${unit.id}`} value={String(ttl)} onChange={(e) => setTtl(Number(e.currentTarget.value))}>
          {TTL_CHOICES.map((h) => (
            <option key={h} value={String(h)}>
              {h < 48 ? t('units.ttlHours', { hours: h }) : t('units.ttlDays', { days: h / 24 })}
            </option>
          ))}
        </select>
        <button type="button" class="primary" onClick={code} aria-label={`${t('units.code')}: ${unit.name}`}>
          {t('units.code')}
        </button>
      </td>
    </tr>
  );
}

export function UnitsPage() {
  const t = useT();
  const units = useResource(() => get(UnitList, '/units'), 'units');
  const [municipality, setMunicipality] = useState('');
  const [name, setName] = useState('');
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [sheet, setSheet] = useState<Sheet | null>(null);
  const known = units.data?.units[0]?.municipality ?? '';

  async function create(e: Event) {
    e.preventDefault();
    try {
      const created = await post(UnitList, '/units', { municipality: municipality || known, name });
      setName('');
      setMessage({ kind: 'ok', text: t('units.created', { name: created.units[0]?.name ?? name }) });
      units.reload();
    } catch (err) {
      setMessage({ kind: 'error', text: errorText(t, err) });
    }
  }

  if (sheet)
    return (
      <SheetView
        sheet={sheet}
        t={t}
        onBack={() => {
          setSheet(null);
          units.reload();
        }}
      />
    );

  return (
    <>
      <PageTitle title={`${t('units.title')} – ${t('app.title')}`}>{t('units.title')}</PageTitle>
      {message && <Notice kind={message.kind}>{message.text}</Notice>}
      <form onSubmit={create} class="card">
        <h2>{t('units.create')}</h2>
        <Field id="unit-municipality" label={t('units.municipality')} value={municipality || known} onInput={setMunicipality} required />
        <Field id="unit-name" label={t('units.name')} value={name} onInput={setName} required />
        <button type="submit" class="primary">
          {t('units.add')}
        </button>
      </form>
      <h2>{t('units.list')}</h2>
      {units.loading && !units.data ? (
        <Loading t={t} />
      ) : units.error ? (
        <Notice kind="error">{errorText(t, units.error)}</Notice>
      ) : units.data?.units.length === 0 ? (
        <p>{t('units.none')}</p>
      ) : (
        <div class="table-wrap" tabIndex={0} role="region" aria-label={t('units.list')}>
          <table>
            <caption class="visually-hidden">{t('units.list')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('col.unit')}</th>
                <th scope="col">{t('units.municipality')}</th>
                <th scope="col" class="num">
                  {t('units.tablets')}
                </th>
                <th scope="col" class="num">
                  {t('units.openCodes')}
                </th>
                <th scope="col">{t('units.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {units.data?.units.map((u) => (
                <UnitRow
                  key={`${u.id}-${u.name}`}
                  unit={u}
                  t={t}
                  onSheet={setSheet}
                  onChanged={(text) => {
                    setMessage({ kind: 'ok', text });
                    units.reload();
                  }}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
