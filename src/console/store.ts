/**
 * The console's UI state: language (kept in localStorage), the session
 * (undefined while loading, null when signed out) and a notice to show on
 * the sign-in page. Actions are plain functions, callable outside components.
 */
import { createStore } from 'zustand/vanilla';
import type { Language } from '../domain';
import type { PublicConfig, SessionView } from '../domain/console/api';
import { setCsrfToken } from './api';
import { useStore } from './useStore';
import type { MessageKey } from './i18n';

export interface ConsoleState {
  language: Language;
  session: SessionView | null | undefined;
  config: PublicConfig | null;
  notice: MessageKey | null;
}

const LANGUAGE_KEY = 'nedenfra.console.language';

function storedLanguage(): Language {
  try {
    const value = localStorage.getItem(LANGUAGE_KEY);
    return value === 'nn' || value === 'en' ? value : 'nb';
  } catch {
    return 'nb';
  }
}

export const consoleStore = createStore<ConsoleState>(() => ({
  language: storedLanguage(),
  session: undefined,
  config: null,
  notice: null,
}));

export function useConsole<T>(select: (s: ConsoleState) => T): T {
  return useStore(consoleStore, select);
}

export function setLanguage(language: Language): void {
  try {
    localStorage.setItem(LANGUAGE_KEY, language);
  } catch {
    // private mode: the choice lasts this visit
  }
  consoleStore.setState({ language });
}

export function signedIn(session: SessionView): void {
  setCsrfToken(session.csrfToken);
  consoleStore.setState({ session, notice: null });
}

export function signedOut(notice: MessageKey | null = null): void {
  setCsrfToken(null);
  consoleStore.setState({ session: null, notice });
}
