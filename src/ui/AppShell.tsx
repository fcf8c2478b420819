/**
 * The frame around every screen: skip link, header (unit, language, sync
 * status), navigation built from routes.tsx, and <main>. On every route change
 * focus moves to the screen's h1 so screen-reader and keyboard users land on
 * the new content.
 */
import { useEffect, useRef } from 'preact/hooks';
import { LanguageSwitcher } from './components/LanguageSwitcher';
import { useT } from './i18n/useT';
import { href, useLocation, type RouteId } from './navigation';
import { routes } from './routes';
import { clearNotice, uiStore } from './store';
import { SyncBar } from './sync/SyncBar';
import { UpdatePrompt } from './UpdatePrompt';
import { useStore } from './useStore';

export function AppShell() {
  const t = useT();
  const unit = useStore(uiStore, (s) => s.unit);
  const { id: routeId, param } = useLocation();
  const main = useRef<HTMLElement>(null);
  const Screen = routes[routeId].component;
  const firstRender = useRef(true);

  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    clearNotice(routeId);
    // Screens that load data render their h1 a moment later: wait for it.
    const root = main.current;
    if (!root) return;
    const focusHeading = () => {
      const heading = root.querySelector('h1');
      if (!heading) return false;
      heading.setAttribute('tabindex', '-1');
      heading.focus();
      return true;
    };
    if (focusHeading()) return;
    const observer = new MutationObserver(() => {
      if (focusHeading()) observer.disconnect();
    });
    observer.observe(root, { childList: true, subtree: true });
    const timeout = setTimeout(() => observer.disconnect(), 3000);
    return () => {
      observer.disconnect();
      clearTimeout(timeout);
    };
  }, [routeId, param]);

  return (
    <div class="shell">
      <a class="skip-link" href="#main">
        {t('shell.skipToContent')}
      </a>
      <header class="shell__header">
        <div class="shell__brand">
          <span class="shell__name">{t('app.name')}</span>
          {unit ? <span class="shell__unit">{`${unit.name} · ${unit.municipality}`}</span> : null}
        </div>
        {/* ---- Header slot: sync status. The sync engineer mounts <SyncBar/> (src/ui/sync/SyncBar.tsx) here. ---- */}
        <SyncBar />
        <LanguageSwitcher id="shell-language" />
      </header>
      <nav class="shell__nav" aria-label={t('nav.label')}>
        <ul>
          {(Object.entries(routes) as [RouteId, (typeof routes)[RouteId]][]).map(([id, { labelKey }]) =>
            labelKey ? (
              <li key={id}>
                <a href={href(id)} aria-current={id === routeId ? 'page' : undefined}>
                  {t(labelKey)}
                </a>
              </li>
            ) : null,
          )}
        </ul>
      </nav>
      <UpdatePrompt />
      <Notice routeId={routeId} />
      <main id="main" ref={main} tabIndex={-1}>
        <Screen key={`${routeId}/${param ?? ''}`} param={param} />
      </main>
    </div>
  );
}

/** A message a screen left for the next one (e.g. "connected" after enrolling); a person can close it. */
function Notice({ routeId }: { routeId: RouteId }) {
  const t = useT();
  const notice = useStore(uiStore, (s) => s.notice);
  return (
    <div class="notice" role="status">
      {notice?.route === routeId ? (
        <>
          <p>{t.message(notice.message)}</p>
          <button type="button" class="button" onClick={() => clearNotice()}>
            {t('notice.close')}
          </button>
        </>
      ) : null}
    </div>
  );
}
