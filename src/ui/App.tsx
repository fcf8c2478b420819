/** Root: loads the device's unit and language, then shows first run or the app shell. */
import { useEffect } from 'preact/hooks';
import { currentUnit, storedLanguage } from '../data/local';
import { requestPersistence } from '../data/storageHealth';
import { AppShell } from './AppShell';
import { appDb } from './appDb';
import { useT } from './i18n/useT';
import { FirstRunScreen } from './screens/FirstRunScreen';
import { applyHtmlLang, setLanguage, setUnit, uiStore, useUi } from './store';

export function App() {
  const t = useT();
  const unit = useUi((s) => s.unit);
  useEffect(() => {
    applyHtmlLang(uiStore.getState().language);
    void (async () => {
      const db = appDb();
      const language = await storedLanguage(db);
      if (language && language !== uiStore.getState().language) await setLanguage(language);
      setUnit(await currentUnit(db));
    })();
  }, []);

  if (unit === undefined)
    return (
      <p class="loading" role="status">
        {t('app.loading')}
      </p>
    );
  if (unit === null) return <FirstRunScreen onDone={(u) => { setUnit(u); void requestPersistence(); }} />;
  return <AppShell />;
}
