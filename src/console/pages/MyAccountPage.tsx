/** Change one's own password; sign out everywhere. */
import { useState } from 'preact/hooks';
import { Ok, PASSWORD_MIN } from '../../domain/console/api';
import { ApiError, post } from '../api';
import { errorText, Field, Notice, PageTitle } from '../components/common';
import { signedOut, useConsole } from '../store';
import { useT } from '../useT';

export function MyAccountPage() {
  const t = useT();
  const account = useConsole((s) => s.session?.account);
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);

  async function change(e: Event) {
    e.preventDefault();
    if (next.length < PASSWORD_MIN) return setMessage({ kind: 'error', text: t('password.tooShort', { min: PASSWORD_MIN }) });
    try {
      await post(Ok, '/me/password', { currentPassword: current, newPassword: next });
      setCurrent('');
      setNext('');
      setMessage({ kind: 'ok', text: t('me.changed') });
    } catch (err) {
      setMessage({
        kind: 'error',
        text: err instanceof ApiError && err.body?.error === 'badCredentials' ? t('me.wrongCurrent') : errorText(t, err),
      });
    }
  }

  async function everywhere() {
    try {
      await post(Ok, '/signout-everywhere');
      signedOut('app.sessionEnded');
    } catch (err) {
      setMessage({ kind: 'error', text: errorText(t, err) });
    }
  }

  return (
    <>
      <PageTitle title={`${t('me.title')} – ${t('app.title')}`}>{t('me.title')}</PageTitle>
      <p>{account && `${account.name} · ${account.email} · ${t(`role.${account.role}`)}`}</p>
      {message && <Notice kind={message.kind}>{message.text}</Notice>}
      {account?.hasPassword && (
        <form onSubmit={change} class="card">
          <h2>{t('me.change')}</h2>
          <Field
            id="me-current"
            label={t('me.current')}
            type="password"
            value={current}
            onInput={setCurrent}
            autoComplete="current-password"
            required
          />
          <Field
            id="me-new"
            label={t('password.new')}
            type="password"
            value={next}
            onInput={setNext}
            autoComplete="new-password"
            required
          />
          <button type="submit" class="primary">
            {t('me.change')}
          </button>
        </form>
      )}
      <section class="card">
        <h2>{t('me.everywhere')}</h2>
        <p>{t('me.everywhereHelp')}</p>
        <button type="button" onClick={everywhere}>
          {t('me.everywhere')}
        </button>
      </section>
    </>
  );
}
