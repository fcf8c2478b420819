/**
 * The app's screens: one table, one hash router. To add a screen, append an
 * entry to `routes` (labelKey null keeps it out of the navigation, e.g. a
 * screen opened with a parameter such as `#/idea/<id>`). The shell renders the
 * navigation from this table and the matching screen into <main>.
 */
import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { MessageKey } from './i18n';
import { useT } from './i18n/useT';
import { CaptureScreen } from './screens/CaptureScreen';

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

/**
 * A screen loaded on first use. Only capture (the screen a tablet opens on)
 * ships in the first bundle; the rest are separate chunks, all precached by
 * the service worker, so they load offline too — just not before first paint.
 */
function lazyScreen(load: () => Promise<ComponentType<RouteProps>>): ComponentType<RouteProps> {
  let loaded: ComponentType<RouteProps> | null = null;
  return function LazyScreen(props: RouteProps) {
    const t = useT();
    const [Screen, setScreen] = useState(() => loaded);
    useEffect(() => {
      if (Screen) return;
      let live = true;
      void load().then((component) => {
        loaded = component;
        if (live) setScreen(() => component);
      });
      return () => {
        live = false;
      };
    }, []);
    return Screen ? (
      <Screen {...props} />
    ) : (
      <p class="loading" role="status">
        {t('app.loading')}
      </p>
    );
  };
}

// The method module registers its section on the idea detail when loaded.
const method = () => import('./method');

export const routes: RouteDef[] = [
  { id: 'capture', labelKey: 'nav.capture', component: CaptureScreen },
  { id: 'board', labelKey: 'nav.board', component: lazyScreen(async () => (await import('./screens/BoardScreen')).BoardScreen) },
  {
    id: 'idea',
    labelKey: null,
    component: lazyScreen(async () => (await Promise.all([import('./screens/IdeaDetailScreen'), method()]))[0].IdeaDetailScreen),
  },
  { id: 'sessions', labelKey: 'nav.sessions', component: lazyScreen(async () => (await method()).SessionsScreen) },
  { id: 'session', labelKey: null, component: lazyScreen(async () => (await method()).SessionScreen) },
  { id: 'session-live', labelKey: null, component: lazyScreen(async () => (await method()).ParticipantScreen) },
  { id: 'evaluate', labelKey: null, component: lazyScreen(async () => (await method()).EvaluateScreen) },
  { id: 'decide', labelKey: null, component: lazyScreen(async () => (await method()).DecideScreen) },
  { id: 'leader', labelKey: 'nav.leader', component: lazyScreen(async () => (await method()).LeaderScreen) },
  { id: 'procedure', labelKey: null, component: lazyScreen(async () => (await method()).ProcedureScreen) },
  { id: 'unit-settings', labelKey: null, component: lazyScreen(async () => (await method()).UnitSettingsScreen) },
  { id: 'about', labelKey: 'nav.about', component: lazyScreen(async () => (await import('./screens/AboutScreen')).AboutScreen) },
  { id: 'enroll', labelKey: null, component: lazyScreen(async () => (await import('./sync/EnrollScreen')).EnrollScreen) },
  { id: 'reset-pin', labelKey: null, component: lazyScreen(async () => (await import('./sync/EnrollScreen')).ResetPinScreen) },
  { id: 'refused', labelKey: null, component: lazyScreen(async () => (await import('./sync/RefusedChangesScreen')).RefusedChangesScreen) },
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
