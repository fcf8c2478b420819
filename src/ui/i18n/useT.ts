/** The translator for the current UI language; re-renders when the language changes. */
import { useMemo } from 'preact/hooks';
import { translator, type Translator } from './index';
import { useUi } from '../store';

export function useT(): Translator {
  const language = useUi((s) => s.language);
  return useMemo(() => translator(language), [language]);
}
