/** Root: loads the device's unit and language, then shows first run or the app shell. */
import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { Unit } from '../domain';
import { currentUnit, storedLanguage } from '../data/local';
import { keepStorage } from '../data/storageHealth';
import { AppShell } from './AppShell';
import { appDb } from './appDb';
import { useT } from './i18n/useT';
import { applyHtmlLang, setLanguage, setUnit, uiStore } from './store';
import { useStore } from './useStore';

export function App() {
  const t = useT();
  const unit = useStore(uiStore, (s) => s.unit);
  // First run is seen once per tablet: its screen (and enrollment) load only then, not on every start.
  const [FirstRun, setFirstRun] = useState<ComponentType<{ onDone: (unit: Unit) => void }> | null>(null);
  useEffect(() => {
    if (unit === null && !FirstRun) void import('./screens/FirstRunScreen').then((m) => setFirstRun(() => m.FirstRunScreen));
  }, [unit, FirstRun]);
  // A tablet in use (first run done, enrolled, or started again) asks the browser to keep its data.
  const unitId = unit?.id;
  useEffect(() => {
    if (unitId) void keepStorage();
  }, [unitId]);
  useEffect(() => {
    applyHtmlLang(uiStore.getState().language);
    void (async () => {
      const db = appDb();
      const language = await storedLanguage(db);
      if (language && language !== uiStore.getState().language) await setLanguage(language);
      setUnit(await currentUnit(db));
    })();
  }, []);

  if (unit === undefined || (unit === null && !FirstRun))
    return (
      <p class="loading" role="status">
        {t('app.loading')}
      </p>
    );
  if (unit === null && FirstRun) return <FirstRun onDone={setUnit} />;
  return <AppShell />;
}
