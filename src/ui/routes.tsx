/**
 * The app's screens: one table keyed by route id (navigation.ts lists the ids,
 * and the type makes this table name every one of them exactly once). To add a
 * screen, add its id there and its entry here (labelKey null keeps it out of
 * the navigation, e.g. a screen opened with a parameter such as `#/idea/<id>`).
 * The shell renders the navigation from this table, in its order, and the
 * matching screen into <main>.
 */
import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { PlainKey } from './i18n';
import { useT } from './i18n/useT';
import type { RouteId, RouteProps } from './navigation';
import { CaptureScreen } from './screens/CaptureScreen';

export interface RouteDef {
  /** Navigation label; null = not listed in the navigation. */
  labelKey: PlainKey | null;
  component: ComponentType<RouteProps>;
}

/**
 * A screen loaded on first use. Only capture (the screen a tablet opens on)
 * ships in the first bundle; the rest are separate chunks, all precached by
 * the service worker, so they load offline too — just not before first paint.
 * A chunk that cannot be loaded (a deploy replaced it, storage trouble) shows
 * what happened and a reload button, never "Laster …" forever; the next
 * attempt loads it afresh.
 */
export function lazyScreen(
  load: () => Promise<ComponentType<RouteProps>>,
  reload: () => void = () => window.location.reload(),
): ComponentType<RouteProps> {
  let loaded: ComponentType<RouteProps> | null = null;
  return function LazyScreen(props: RouteProps) {
    const t = useT();
    const [Screen, setScreen] = useState(() => loaded);
    const [failed, setFailed] = useState(false);
    useEffect(() => {
      if (Screen) return;
      let live = true;
      load().then(
        (component) => {
          loaded = component;
          if (live) setScreen(() => component);
        },
        () => live && setFailed(true),
      );
      return () => {
        live = false;
      };
    }, [Screen]);
    if (Screen) return <Screen {...props} />;
    if (failed)
      return (
        <div class="alert alert--error" role="alert">
          <p>{t('app.screenFailed')}</p>
          <button type="button" class="button" onClick={reload}>
            {t('update.reload')}
          </button>
        </div>
      );
    return (
      <p class="loading" role="status">
        {t('app.loading')}
      </p>
    );
  };
}

const method = () => import('./method');

export const routes: Record<RouteId, RouteDef> = {
  capture: { labelKey: 'nav.capture', component: CaptureScreen },
  board: { labelKey: 'nav.board', component: lazyScreen(async () => (await import('./screens/BoardScreen')).BoardScreen) },
  idea: {
    labelKey: null,
    component: lazyScreen(async () => (await import('./screens/IdeaDetailScreen')).IdeaDetailScreen),
  },
  sessions: { labelKey: 'nav.sessions', component: lazyScreen(async () => (await method()).SessionsScreen) },
  session: { labelKey: null, component: lazyScreen(async () => (await method()).SessionScreen) },
  'session-live': { labelKey: null, component: lazyScreen(async () => (await method()).ParticipantScreen) },
  evaluate: { labelKey: null, component: lazyScreen(async () => (await method()).EvaluateScreen) },
  decide: { labelKey: null, component: lazyScreen(async () => (await method()).DecideScreen) },
  change: { labelKey: null, component: lazyScreen(async () => (await import('./change')).ChangeScreen) },
  leader: { labelKey: 'nav.leader', component: lazyScreen(async () => (await method()).LeaderScreen) },
  procedure: { labelKey: null, component: lazyScreen(async () => (await method()).ProcedureScreen) },
  'unit-settings': { labelKey: null, component: lazyScreen(async () => (await method()).UnitSettingsScreen) },
  'other-units': {
    labelKey: 'nav.otherUnits',
    component: lazyScreen(async () => (await import('./screens/OtherUnitsScreen')).OtherUnitsScreen),
  },
  privacy: { labelKey: null, component: lazyScreen(async () => (await import('./screens/PrivacyScreen')).PrivacyScreen) },
  about: { labelKey: 'nav.about', component: lazyScreen(async () => (await import('./screens/AboutScreen')).AboutScreen) },
  enroll: { labelKey: null, component: lazyScreen(async () => (await import('./sync/EnrollScreen')).EnrollScreen) },
  'reset-pin': { labelKey: null, component: lazyScreen(async () => (await import('./sync/EnrollScreen')).ResetPinScreen) },
  refused: { labelKey: null, component: lazyScreen(async () => (await import('./sync/RefusedChangesScreen')).RefusedChangesScreen) },
};
