/**
 * Privacy on the tablet (issue #14 part 3): the one privacy notice the
 * console shows too (src/domain/privacyNotice.ts), in the chosen language.
 */
import { PRIVACY_NOTICE } from '../../domain/privacyNotice';
import { useStore } from '../useStore';
import { uiStore } from '../store';

export function PrivacyScreen() {
  const notice = PRIVACY_NOTICE[useStore(uiStore, (s) => s.language)];
  return (
    <section class="privacy" aria-labelledby="privacy-title">
      <h1 id="privacy-title">{notice.title}</h1>
      <p class="lead">{notice.lead}</p>
      {notice.sections.map((s) => (
        <section key={s.id} class="card" aria-labelledby={`privacy-${s.id}`}>
          <h2 id={`privacy-${s.id}`}>{s.title}</h2>
          <p>{s.text}</p>
        </section>
      ))}
    </section>
  );
}
