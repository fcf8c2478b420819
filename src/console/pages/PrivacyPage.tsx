/**
 * Privacy (issue #14 part 3, transparency): the one privacy notice the
 * tablets show too (src/domain/privacyNotice.ts), in the chosen language.
 * Open without signing in.
 */
import { PRIVACY_NOTICE } from '../../domain/privacyNotice';
import { PageTitle } from '../components/common';
import { useConsole } from '../store';
import { useT } from '../useT';

export function PrivacyPage() {
  const t = useT();
  const notice = PRIVACY_NOTICE[useConsole((s) => s.language)];
  return (
    <>
      <PageTitle title={`${notice.title} – ${t('app.title')}`}>{notice.title}</PageTitle>
      <p>{notice.lead}</p>
      {notice.sections.map((s) => (
        <section key={s.id} aria-labelledby={`privacy-${s.id}`}>
          <h2 id={`privacy-${s.id}`}>{s.title}</h2>
          <p>{s.text}</p>
        </section>
      ))}
    </>
  );
}
