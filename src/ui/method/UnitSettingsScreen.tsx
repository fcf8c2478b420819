/** Unit settings (leader mode): the response target promised to staff and the active-change limit. */
import { useState } from 'preact/hooks';
import {
  ACTIVE_CHANGE_LIMIT_RANGE,
  DEFAULT_ACTIVE_CHANGE_LIMIT,
  DEFAULT_RESPONSE_TARGET_DAYS,
  RESPONSE_TARGET_RANGE,
  Unit,
} from '../../domain';
import { updateUnitSettings } from '../../data/method';
import { appDb } from '../appDb';
import { Field } from '../components/Field';
import { checkForm, firstInvalid, type FormErrors } from '../formErrors';
import { useT } from '../i18n/useT';
import '../i18n/methodStrings';
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

const SettingsInput = Unit.pick({ responseTargetDays: true, activeChangeLimit: true });

function SettingsForm() {
  const t = useT();
  const unit = useStore(uiStore, (s) => s.unit);
  const [days, setDays] = useState(String(unit?.responseTargetDays ?? DEFAULT_RESPONSE_TARGET_DAYS));
  const [limit, setLimit] = useState(String(unit?.activeChangeLimit ?? DEFAULT_ACTIVE_CHANGE_LIMIT));
  const [errors, setErrors] = useState<FormErrors<'responseTargetDays' | 'activeChangeLimit'>>({});
  const [status, setStatus] = useState('');
  if (!unit) return null;

  async function save(e: Event) {
    e.preventDefault();
    if (!unit) return;
    const checked = checkForm(
      SettingsInput,
      { responseTargetDays: Number(days), activeChangeLimit: Number(limit) },
      {
        responseTargetDays: { key: 'settings.error.days', params: RESPONSE_TARGET_RANGE },
        activeChangeLimit: { key: 'settings.error.limit', params: ACTIVE_CHANGE_LIMIT_RANGE },
      },
    );
    setErrors(checked.ok ? {} : checked.errors);
    if (!checked.ok) {
      const first = firstInvalid(checked.errors);
      if (first) document.getElementById(first === 'responseTargetDays' ? 'settings-days' : 'settings-limit')?.focus();
      return;
    }
    try {
      setUnit(await updateUnitSettings(appDb(), unit.id, checked.value));
      setStatus(t('settings.saved'));
    } catch (err) {
      setStatus(t(storageErrorKey(err)));
    }
  }

  const error = (field: 'responseTargetDays' | 'activeChangeLimit') => (errors[field] ? t.message(errors[field]) : undefined);
  return (
    <form class="card" onSubmit={save} noValidate>
      <Field
        id="settings-days"
        type="number"
        label={t('settings.responseTarget')}
        hint={t('settings.responseTargetHint')}
        value={days}
        onInput={setDays}
        min={RESPONSE_TARGET_RANGE.min}
        max={RESPONSE_TARGET_RANGE.max}
        error={error('responseTargetDays')}
      />
      <Field
        id="settings-limit"
        type="number"
        label={t('settings.activeLimit')}
        hint={t('settings.activeLimitHint')}
        value={limit}
        onInput={setLimit}
        min={ACTIVE_CHANGE_LIMIT_RANGE.min}
        max={ACTIVE_CHANGE_LIMIT_RANGE.max}
        error={error('activeChangeLimit')}
      />
      {errors.form ? (
        <p class="field__error" role="alert">
          {t.message(errors.form)}
        </p>
      ) : null}
      <button type="submit" class="button button--primary">
        {t('settings.save')}
      </button>
      <p role="status">{status}</p>
    </form>
  );
}
