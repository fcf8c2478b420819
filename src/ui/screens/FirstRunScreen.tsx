/**
 * First run on a tablet: name the municipality and the unit it serves, and
 * (on a tablet without a server) choose the leader PIN: whoever sets the
 * tablet up is its leader, so nobody can claim the PIN later on a leader
 * screen. The unit is created locally only (the server admin creates the
 * real ones; an enrolled tablet gets its unit from the server, and its PIN
 * is chosen with the one-time code).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { Unit } from '../../domain';
import { setLeaderPin } from '../../data/leaderPin';
import { createLocalUnit } from '../../data/local';
import { appDb } from '../appDb';
import { LanguageSwitcher } from '../components/LanguageSwitcher';
import { Field } from '../components/Field';
import { checkNewPin, pinFieldId, PinFields, type NewPin, type PinError } from '../components/PinFields';
import { checkForm, firstInvalid, type FormErrors } from '../formErrors';
import { useT } from '../i18n/useT';
import { storageErrorKey } from '../storageMessages';
import { enrollCodeFromHash } from '../../data/sync/enrollLink';
import { EnrollScreen } from '../sync/EnrollScreen';

/** What first run asks for, as the unit record has it. */
const UnitNames = Unit.pick({ municipality: true, name: true });

export function FirstRunScreen({ onDone }: { onDone: (unit: Unit) => void }) {
  const t = useT();
  const [municipality, setMunicipality] = useState('');
  const [name, setName] = useState('');
  const [pin, setPin] = useState<NewPin>({ pin: '', repeat: '' });
  const [pinError, setPinError] = useState<PinError>(null);
  const [errors, setErrors] = useState<FormErrors<'municipality' | 'name'>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // A scanned QR link (`#enroll=CODE`) goes straight to enrollment.
  const [enrollCode] = useState(() => enrollCodeFromHash(window.location.hash));
  const [enrolling, setEnrolling] = useState(enrollCode !== null);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [enrolling]);

  async function submit(e: Event) {
    e.preventDefault();
    const checked = checkForm(
      UnitNames,
      { municipality, name },
      { municipality: { key: 'firstRun.municipalityRequired' }, name: { key: 'firstRun.unitRequired' } },
    );
    const badPin = checkNewPin(pin);
    setErrors(checked.ok ? {} : checked.errors);
    setPinError(badPin);
    setFailure(null);
    const first = checked.ok ? undefined : firstInvalid(checked.errors);
    if (first) return document.getElementById(first === 'municipality' ? 'municipality' : 'unit-name')?.focus();
    if (badPin) return document.getElementById(pinFieldId('first-run-pin', badPin))?.focus();
    if (!checked.ok) return;
    setBusy(true);
    try {
      const unit = await createLocalUnit(appDb(), checked.value);
      await setLeaderPin(appDb(), pin.pin);
      onDone(unit);
    } catch (err) {
      setFailure(t(storageErrorKey(err)));
      setBusy(false);
    }
  }

  return (
    <div class="shell shell--first-run">
      <header class="shell__header">
        <div class="shell__brand">
          <span class="shell__name">{t('app.name')}</span>
        </div>
        <LanguageSwitcher id="first-run-language" />
      </header>
      <main id="main" class="first-run">
        {enrolling ? (
          <>
            {/* EnrollScreen sets the enrolled unit in the UI store; App then shows the shell. */}
            <EnrollScreen param={enrollCode} />
            <button type="button" class="button" onClick={() => setEnrolling(false)}>
              {t('firstRun.back')}
            </button>
          </>
        ) : (
          <>
            <h1 ref={heading} tabIndex={-1}>
              {t('firstRun.title')}
            </h1>
            <p class="lead">{t('firstRun.intro')}</p>
            <form onSubmit={submit} noValidate class="card">
              <Field
                id="municipality"
                label={t('firstRun.municipality')}
                value={municipality}
                onInput={setMunicipality}
                error={errors.municipality ? t.message(errors.municipality) : undefined}
                required
                maxLength={120}
              />
              <Field
                id="unit-name"
                label={t('firstRun.unit')}
                hint={t('firstRun.unitHint')}
                value={name}
                onInput={setName}
                error={errors.name ? t.message(errors.name) : undefined}
                required
                maxLength={120}
              />
              <PinFields
                idPrefix="first-run-pin"
                value={pin}
                onInput={(v) => {
                  setPin(v);
                  setPinError(null);
                }}
                error={pinError}
              />
              {failure || errors.form ? (
                <p class="alert alert--error" role="alert">
                  {failure ?? (errors.form ? t.message(errors.form) : null)}
                </p>
              ) : null}
              <button type="submit" class="button button--primary" disabled={busy}>
                {t('firstRun.start')}
              </button>
            </form>
            <section class="card">
              <h2>{t('firstRun.enrollTitle')}</h2>
              <p>{t('firstRun.enrollIntro')}</p>
              <button type="button" class="button" onClick={() => setEnrolling(true)}>
                {t('firstRun.enrollButton')}
              </button>
            </section>
          </>
        )}
      </main>
    </div>
  );
}
