/**
 * Privacy on the tablet (issue #14 part 3): what is stored, where, for how
 * long, who can see it and how to ask for erasure, in plain words (the same
 * as the console's page; docs/privacy.md is the fuller basis).
 */
import { useT } from '../i18n/useT';

const SECTIONS = ['what', 'where', 'howLong', 'who', 'acrossUnits', 'erasure'] as const;

export function PrivacyScreen() {
  const t = useT();
  return (
    <section class="privacy" aria-labelledby="privacy-title">
      <h1 id="privacy-title">{t('privacy.title')}</h1>
      <p class="lead">{t('privacy.lead')}</p>
      {SECTIONS.map((s) => (
        <section key={s} class="card" aria-labelledby={`privacy-${s}`}>
          <h2 id={`privacy-${s}`}>{t(`privacy.${s}.title`)}</h2>
          <p>{t(`privacy.${s}.text`)}</p>
        </section>
      ))}
    </section>
  );
}
