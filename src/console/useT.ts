/** The translator for the chosen language. */
import { useMemo } from 'preact/hooks';
import { translator, type Translator } from './i18n';
import { useConsole } from './store';

export function useT(): Translator {
  const language = useConsole((s) => s.language);
  return useMemo(() => translator(language), [language]);
}
