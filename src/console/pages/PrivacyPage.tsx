/**
 * Privacy (issue #14 part 3, transparency): what Nedenfra stores, where, for
 * how long, who can see it and how to ask for erasure, in plain words. Open
 * without signing in. docs/privacy.md is the fuller basis for the
 * municipality's record of processing and its DPIA.
 */
import type { MessageKey } from '../i18n';
import { PageTitle } from '../components/common';
import { useT } from '../useT';

const SECTIONS = ['what', 'where', 'howLong', 'who', 'acrossUnits', 'erasure'] as const;

export function PrivacyPage() {
  const t = useT();
  return (
    <>
      <PageTitle title={`${t('privacy.title')} – ${t('app.title')}`}>{t('privacy.title')}</PageTitle>
      <p>{t('privacy.lead')}</p>
      {SECTIONS.map((s) => (
        <section key={s} aria-labelledby={`privacy-${s}`}>
          <h2 id={`privacy-${s}`}>{t(`privacy.${s}.title` as MessageKey)}</h2>
          <p>{t(`privacy.${s}.text` as MessageKey)}</p>
        </section>
      ))}
    </>
  );
}
