/** About / diagnostics: what a municipal IT person needs to know about this tablet. */
import { useState } from 'preact/hooks';
import { APP_VERSION } from '../../data/appVersion';
import { requestPersistence, storageHealth } from '../../data/storageHealth';
import { getEnrollment } from '../../data/sync/state';
import { appDb } from '../appDb';
import { LanguageSwitcher } from '../components/LanguageSwitcher';
import { useT } from '../i18n/useT';
import { href } from '../navigation';
import { useLiveQuery } from '../useLiveQuery';

function megabytes(bytes: number | null, language: string): string {
  return bytes === null ? '–' : `${(bytes / 1_000_000).toLocaleString(language, { maximumFractionDigits: 1 })} MB`;
}

export function AboutScreen() {
  const t = useT();
  const [refresh, setRefresh] = useState(0);
  const [asked, setAsked] = useState<boolean | null | undefined>(undefined);
  const { value: health } = useLiveQuery(() => storageHealth(appDb()), [refresh]);
  const deviceLabel = useLiveQuery(async () => (await getEnrollment(appDb()))?.deviceLabel ?? null, []).value;

  async function askPersist() {
    setAsked(await requestPersistence());
    setRefresh((n) => n + 1);
  }

  const yesNo = (v: boolean | null | undefined) => (v === true ? t('about.yes') : v === false ? t('about.no') : t('about.unknown'));
  return (
    <section class="about" aria-labelledby="about-title">
      <h1 id="about-title">{t('about.title')}</h1>
      <p class="lead">{t('about.intro')}</p>
      <p>
        <a href={href('privacy')}>{t('nav.privacy')}</a>
      </p>
      <div class="card">
        <LanguageSwitcher id="about-language" />
      </div>
      <dl class="facts card">
        <dt>{t('about.deviceLabel')}</dt>
        <dd>{deviceLabel ?? t('about.notConnected')}</dd>
        <dt>{t('about.version')}</dt>
        <dd>{APP_VERSION}</dd>
        <dt>{t('about.schemaVersion')}</dt>
        <dd>{health?.schemaVersion ?? '–'}</dd>
        <dt>{t('about.ideas')}</dt>
        <dd>{health?.ideas ?? '–'}</dd>
        <dt>{t('about.queued')}</dt>
        <dd>{health?.queued ?? '–'}</dd>
        <dt>{t('about.persisted')}</dt>
        <dd>{yesNo(health?.persisted)}</dd>
        <dt>{t('about.usage')}</dt>
        <dd>
          {health ? t('about.usageValue', { usage: megabytes(health.usage, t.language), quota: megabytes(health.quota, t.language) }) : '–'}
        </dd>
      </dl>
      <div class="card">
        <p>{t('about.persistExplain')}</p>
        <button type="button" class="button" onClick={askPersist}>
          {t('about.persistAsk')}
        </button>
        <p role="status">{asked === undefined ? '' : asked ? t('about.persistGranted') : t('about.persistDenied')}</p>
      </div>
    </section>
  );
}
