/** Language choice, available everywhere (header, first run, About). */
import type { Language } from '../../domain';
import { LANGUAGES } from '../i18n';
import { useT } from '../i18n/useT';
import { setLanguage, uiStore } from '../store';
import { useStore } from '../useStore';

export function LanguageSwitcher({ id }: { id: string }) {
  const t = useT();
  const language = useStore(uiStore, (s) => s.language);
  return (
    <div class="language-switcher">
      <label for={id}>{t('lang.label')}</label>
      <select id={id} value={language} onChange={(e) => void setLanguage(e.currentTarget.value as Language)}>
        {LANGUAGES.map((l) => (
          <option key={l} value={l} lang={l}>
            {t(`lang.${l}`)}
          </option>
        ))}
      </select>
    </div>
  );
}
