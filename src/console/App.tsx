/**
 * The console's shell: loads the settings and the session, shows the
 * sign-in or password page when there is no session, otherwise the menu the
 * account's role allows and the page the address names (hash routes).
 */
import { useEffect } from 'preact/hooks';
import { Ok, PublicConfig, SessionView } from '../domain/console/api';
import { can, type Permission } from '../domain/console/roles';
import type { Language } from '../domain';
import { get, post, whenUnauthenticated } from './api';
import { Loading, Notice } from './components/common';
import { CONSOLE_LANGUAGES, type MessageKey } from './i18n';
import { AccountsPage } from './pages/AccountsPage';
import { AuditPage } from './pages/AuditPage';
import { ExportPage } from './pages/ExportPage';
import { MyAccountPage } from './pages/MyAccountPage';
import { OverviewPage } from './pages/OverviewPage';
import { LibraryPage } from './pages/LibraryPage';
import { PasswordPage } from './pages/PasswordPage';
import { PersonalDataPage } from './pages/PersonalDataPage';
import { PrivacyPage } from './pages/PrivacyPage';
import { ReportPage } from './pages/ReportPage';
import { SignInPage } from './pages/SignInPage';
import { SteeringPage } from './pages/SteeringPage';
import { TabletsPage } from './pages/TabletsPage';
import { UnitsPage } from './pages/UnitsPage';
import { href, useRoute, type Route } from './router';
import { consoleStore, setLanguage, signedIn, signedOut, useConsole } from './store';
import { useT } from './useT';

const PAGES: Array<{ path: string; label: MessageKey; needs?: Permission }> = [
  { path: 'overview', label: 'nav.overview' },
  { path: 'report', label: 'nav.report' },
  { path: 'export', label: 'nav.export' },
  { path: 'steering', label: 'nav.steering', needs: 'answerForwarded' },
  { path: 'library', label: 'nav.library' },
  { path: 'personal-data', label: 'nav.personalData', needs: 'managePersonalData' },
  { path: 'units', label: 'nav.units', needs: 'manageUnits' },
  { path: 'tablets', label: 'nav.tablets', needs: 'manageTablets' },
  { path: 'accounts', label: 'nav.accounts', needs: 'manageAccounts' },
  { path: 'audit', label: 'nav.audit', needs: 'readAudit' },
  { path: 'me', label: 'nav.me' },
  { path: 'privacy', label: 'nav.privacy' },
];

function page(path: string, route: Route) {
  switch (path) {
    case 'overview':
      return <OverviewPage route={route} />;
    case 'report':
      return <ReportPage route={route} />;
    case 'export':
      return <ExportPage route={route} />;
    case 'steering':
      return <SteeringPage route={route} />;
    case 'library':
      return <LibraryPage route={route} />;
    case 'personal-data':
      return <PersonalDataPage route={route} />;
    case 'privacy':
      return <PrivacyPage />;
    case 'units':
      return <UnitsPage />;
    case 'tablets':
      return <TabletsPage />;
    case 'accounts':
      return <AccountsPage />;
    case 'audit':
      return <AuditPage />;
    case 'me':
      return <MyAccountPage />;
    default:
      return null;
  }
}

function LanguagePicker() {
  const t = useT();
  return (
    <div class="language">
      <label for="console-language">{t('app.language')}</label>
      <select id="console-language" value={t.language} onChange={(e) => setLanguage(e.currentTarget.value as Language)}>
        {CONSOLE_LANGUAGES.map((l) => (
          <option key={l} value={l} lang={l}>
            {t(`lang.${l}`)}
          </option>
        ))}
      </select>
    </div>
  );
}

export function ConsoleApp() {
  const t = useT();
  const route = useRoute();
  const session = useConsole((s) => s.session);

  useEffect(() => {
    document.documentElement.lang = t.language;
  }, [t.language]);

  useEffect(() => {
    whenUnauthenticated(() => signedOut('app.sessionEnded'));
    void get(PublicConfig, '/config')
      .then((config) => consoleStore.setState({ config }))
      .catch(() => undefined);
    get(SessionView, '/session').then(signedIn, () => signedOut());
  }, []);

  const header = (
    <header class="top">
      <a class="skip" href="#main">
        {t('app.skip')}
      </a>
      <p class="brand">
        <span>{t('app.name')}</span> <span class="sub">{t('app.subtitle')}</span>
      </p>
      <LanguagePicker />
    </header>
  );

  if (route.path[0] === 'password' && route.path[1])
    return (
      <>
        {header}
        <PasswordPage token={route.path[1]} />
      </>
    );
  // Anyone may read how their data is handled, signed in or not.
  if (session === null && route.path[0] === 'privacy')
    return (
      <>
        {header}
        <main id="main">
          <PrivacyPage />
        </main>
      </>
    );
  if (session === undefined)
    return (
      <>
        {header}
        <main id="main">
          <Loading t={t} />
        </main>
      </>
    );
  if (session === null)
    return (
      <>
        {header}
        <SignInPage route={route} />
      </>
    );

  const role = session.account.role;
  const allowed = PAGES.filter((p) => !p.needs || can(role, p.needs));
  const current = route.path[0] && route.path[0] !== 'signin' ? route.path[0] : 'overview';
  const known = allowed.find((p) => p.path === current);

  async function signOut() {
    await post(Ok, '/signout').catch(() => undefined);
    signedOut();
  }

  return (
    <>
      {header}
      <div class="account-bar no-print">
        <span>{t('app.signedInAs', { name: session.account.name, role: t(`role.${role}`) })}</span>
        <button type="button" onClick={signOut}>
          {t('app.signOut')}
        </button>
      </div>
      <nav class="menu no-print" aria-label={t('app.menu')}>
        <ul>
          {allowed.map((p) => (
            <li key={p.path}>
              <a href={href(p.path)} aria-current={p.path === current ? 'page' : undefined}>
                {t(p.label)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main">{known ? page(known.path, route) : <Notice kind="error">{t('app.notFound')}</Notice>}</main>
    </>
  );
}
