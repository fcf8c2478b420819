/**
 * The one screen shown instead of the app when the page is not a secure
 * context (plain http:// on the network, not localhost): the browser then
 * gives no service worker (no offline use), no WebCrypto (no leader PIN, no
 * photos). Half-working would lose people's ideas, so the app does not start;
 * this says why and what to do, in the three languages (src/main.tsx).
 */
import { useEffect, useRef } from 'preact/hooks';
import { LanguageSwitcher } from './components/LanguageSwitcher';
import { useT } from './i18n/useT';

export function InsecureContextScreen() {
  const t = useT();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <div class="shell shell--first-run">
      <header class="shell__header">
        <div class="shell__brand">
          <span class="shell__name">{t('app.name')}</span>
        </div>
        <LanguageSwitcher id="insecure-language" />
      </header>
      <main id="main" class="first-run">
        <section class="card" aria-labelledby="insecure-title">
          <h1 id="insecure-title" ref={heading} tabIndex={-1}>
            {t('insecure.title')}
          </h1>
          <p class="lead">{t('insecure.lead')}</p>
          <p>{t('insecure.why')}</p>
          <p class="alert alert--info">{t('insecure.address', { address: window.location.origin })}</p>
          <p>{t('insecure.what')}</p>
          <p class="field__hint">{t('insecure.forIt')}</p>
        </section>
      </main>
    </div>
  );
}
