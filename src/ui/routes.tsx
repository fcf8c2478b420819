/**
 * The app's screens: one table, one hash router. To add a screen, append an
 * entry to `routes` (labelKey null keeps it out of the navigation, e.g. a
 * screen opened with a parameter such as `#/idea/<id>`). The shell renders the
 * navigation from this table and the matching screen into <main>.
 */
import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { MessageKey } from './i18n';
import { AboutScreen } from './screens/AboutScreen';
import { BoardScreen } from './screens/BoardScreen';
import { CaptureScreen } from './screens/CaptureScreen';
import { IdeaDetailScreen } from './screens/IdeaDetailScreen';
import { EnrollScreen } from './sync/EnrollScreen';
import { DecideScreen, EvaluateScreen, LeaderScreen, ParticipantScreen, ProcedureScreen, SessionScreen, SessionsScreen, UnitSettingsScreen } from './method';

export interface RouteProps {
  /** The part after the route id: `#/idea/123` → "123". */
  param: string | null;
}

export interface RouteDef {
  id: string;
  /** Navigation label; null = not listed in the navigation. */
  labelKey: MessageKey | null;
  component: ComponentType<RouteProps>;
}

export const routes: RouteDef[] = [
  { id: 'capture', labelKey: 'nav.capture', component: CaptureScreen },
  { id: 'board', labelKey: 'nav.board', component: BoardScreen },
  { id: 'idea', labelKey: null, component: IdeaDetailScreen },
  { id: 'sessions', labelKey: 'nav.sessions', component: SessionsScreen },
  { id: 'session', labelKey: null, component: SessionScreen },
  { id: 'session-live', labelKey: null, component: ParticipantScreen },
  { id: 'evaluate', labelKey: null, component: EvaluateScreen },
  { id: 'decide', labelKey: null, component: DecideScreen },
  { id: 'leader', labelKey: 'nav.leader', component: LeaderScreen },
  { id: 'procedure', labelKey: null, component: ProcedureScreen },
  { id: 'unit-settings', labelKey: null, component: UnitSettingsScreen },
  { id: 'about', labelKey: 'nav.about', component: AboutScreen },
  { id: 'enroll', labelKey: null, component: EnrollScreen },
];

export const DEFAULT_ROUTE = 'capture';

export interface Location {
  route: RouteDef;
  param: string | null;
}

export function href(id: string, param?: string): string {
  return param ? `#/${id}/${encodeURIComponent(param)}` : `#/${id}`;
}

export function parseHash(hash: string): Location {
  const [id = '', param] = hash.replace(/^#\/?/, '').split('/');
  const route = routes.find((r) => r.id === id) ?? routes.find((r) => r.id === DEFAULT_ROUTE)!;
  return { route, param: param ? decodeURIComponent(param) : null };
}

export function navigate(id: string, param?: string): void {
  window.location.hash = href(id, param);
}

export function useLocation(): Location {
  const [location, setLocation] = useState(() => parseHash(window.location.hash));
  useEffect(() => {
    const onChange = () => setLocation(parseHash(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return location;
}
