/** Unit settings (leader mode): the response target promised to staff and the active-change limit. */
import { useState } from 'preact/hooks';
import { updateUnitSettings } from '../../data/method';
import { appDb } from '../appDb';
import { useT } from '../i18n/useT';
import { href } from '../navigation';
import { setUnit, uiStore } from '../store';
import { storageErrorKey } from '../storageMessages';
import { useStore } from '../useStore';
import { LeaderGate } from './LeaderGate';

export function UnitSettingsScreen() {
  const t = useT();
  return (
    <section class="unit-settings" aria-labelledby="unit-settings-title">
      <h1 id="unit-settings-title">{t('settings.title')}</h1>
      <LeaderGate>
        <SettingsForm />
      </LeaderGate>
      <p>
        <a href={href('leader')}>{t('leader.back')}</a>
      </p>
    </section>
  );
}

function SettingsForm() {
  const t = useT();
  const unit = useStore(uiStore, (s) => s.unit);
  const [days, setDays] = useState(String(unit?.responseTargetDays ?? 30));
  const [limit, setLimit] = useState(String(unit?.activeChangeLimit ?? 3));
  const [error, setError] = useState<{ field: 'days' | 'limit'; text: string } | null>(null);
  const [status, setStatus] = useState('');
  if (!unit) return null;

  async function save(e: Event) {
    e.preventDefault();
    if (!unit) return;
    const d = Number(days);
    const l = Number(limit);
    if (!Number.isInteger(d) || d < 1 || d > 365) return fail('days', t('settings.error.days'));
    if (!Number.isInteger(l) || l < 1 || l > 50) return fail('limit', t('settings.error.limit'));
    setError(null);
    try {
      setUnit(await updateUnitSettings(appDb(), unit.id, { responseTargetDays: d, activeChangeLimit: l }));
      setStatus(t('settings.saved'));
    } catch (err) {
      setStatus(t(storageErrorKey(err)));
    }
  }

  function fail(field: 'days' | 'limit', text: string) {
    setError({ field, text });
    document.getElementById(field === 'days' ? 'settings-days' : 'settings-limit')?.focus();
  }

  const input = (
    id: string,
    field: 'days' | 'limit',
    label: string,
    hint: string,
    value: string,
    onInput: (v: string) => void,
    max: number,
  ) => (
    <div class={`field${error?.field === field ? ' field--error' : ''}`}>
      <label for={id}>{label}</label>
      <p class="field__hint" id={`${id}-hint`}>
        {hint}
      </p>
      <input
        id={id}
        type="number"
        min={1}
        max={max}
        inputMode="numeric"
        value={value}
        aria-invalid={error?.field === field ? true : undefined}
        aria-describedby={`${id}-hint${error?.field === field ? ` ${id}-error` : ''}`}
        onInput={(e) => onInput(e.currentTarget.value)}
      />
      {error?.field === field ? (
        <p class="field__error" id={`${id}-error`}>
          {error.text}
        </p>
      ) : null}
    </div>
  );

  return (
    <form class="card" onSubmit={save} noValidate>
      {input('settings-days', 'days', t('settings.responseTarget'), t('settings.responseTargetHint'), days, setDays, 365)}
      {input('settings-limit', 'limit', t('settings.activeLimit'), t('settings.activeLimitHint'), limit, setLimit, 50)}
      <button type="submit" class="button button--primary">
        {t('settings.save')}
      </button>
      <p role="status">{status}</p>
    </form>
  );
}
