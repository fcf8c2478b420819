/** The translator for the current UI language; re-renders when the language changes. */
import { useMemo } from 'preact/hooks';
import { translator, type Translator } from './index';
import { uiStore } from '../store';
import { useStore } from '../useStore';

export function useT(): Translator {
  const language = useStore(uiStore, (s) => s.language);
  return useMemo(() => translator(language), [language]);
}
