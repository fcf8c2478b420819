/** Sign in with e-mail and password, or through the municipality's identity provider when it is configured. */
import { useState } from 'preact/hooks';
import { SessionView } from '../../domain/console/api';
import { ApiError, API, post } from '../api';
import { errorText, Field, Notice, PageTitle } from '../components/common';
import { signedIn, useConsole } from '../store';
import { href, type Route } from '../router';
import { useT } from '../useT';

export function SignInPage({ route }: { route: Route }) {
  const t = useT();
  const sso = useConsole((s) => s.config?.sso ?? false);
  const notice = useConsole((s) => s.notice);
  const [email, setEmail] = useState(route.query.get('email') ?? '');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const ssoError = route.query.get('sso');

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      signedIn(await post(SessionView, '/session', { email, password }));
    } catch (err) {
      setError(err instanceof ApiError && err.body?.error === 'badCredentials' ? t('signIn.bad') : errorText(t, err));
      setBusy(false);
    }
  }

  return (
    <main id="main" class="narrow">
      <PageTitle title={`${t('signIn.title')} – ${t('app.title')}`}>{t('signIn.title')}</PageTitle>
      <p>{t('signIn.intro')}</p>
      {notice && <Notice kind="ok">{t(notice)}</Notice>}
      {ssoError && <Notice kind="error">{ssoError === 'forbidden' ? t('signIn.ssoNoRole') : t('signIn.ssoFailed')}</Notice>}
      <form onSubmit={submit} noValidate>
        <Field id="signin-email" label={t('signIn.email')} type="email" value={email} onInput={setEmail} autoComplete="username" required />
        <Field
          id="signin-password"
          label={t('signIn.password')}
          type="password"
          value={password}
          onInput={setPassword}
          autoComplete="current-password"
          required
        />
        {error && <Notice kind="error">{error}</Notice>}
        <button type="submit" class="primary" disabled={busy}>
          {busy ? t('signIn.busy') : t('signIn.submit')}
        </button>
      </form>
      {sso && (
        <>
          <p class="or">{t('signIn.or')}</p>
          <a class="button" href={`${API}/sso/start`}>
            {t('signIn.sso')}
          </a>
        </>
      )}
      <p>
        <a href={href('privacy')}>{t('nav.privacy')}</a>
      </p>
    </main>
  );
}
