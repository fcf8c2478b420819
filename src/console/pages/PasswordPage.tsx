/** A one-time link (`#/password/<token>`): the person chooses their own password, then signs in. */
import { useState } from 'preact/hooks';
import { Ok, PASSWORD_MIN } from '../../domain/console/api';
import { ApiError, post } from '../api';
import { errorText, Field, Notice, PageTitle } from '../components/common';
import { href } from '../router';
import { signedOut } from '../store';
import { useT } from '../useT';

export function PasswordPage({ token }: { token: string }) {
  const t = useT();
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

  async function submit(e: Event) {
    e.preventDefault();
    if (password.length < PASSWORD_MIN) return setProblem(t('password.tooShort', { min: PASSWORD_MIN }));
    if (password !== repeat) return setProblem(t('password.mismatch'));
    setBusy(true);
    setProblem(null);
    try {
      await post(Ok, '/password', { token, password });
      signedOut();
      setDone(true);
    } catch (err) {
      setProblem(err instanceof ApiError && err.body?.error === 'invalidLink' ? t('password.invalidLink') : errorText(t, err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main id="main" class="narrow">
      <PageTitle title={`${t('password.title')} – ${t('app.title')}`}>{t('password.title')}</PageTitle>
      {done ? (
        <>
          <Notice kind="ok">{t('password.done')}</Notice>
          <a class="button primary" href={href('signin')}>
            {t('password.toSignIn')}
          </a>
        </>
      ) : (
        <form onSubmit={submit} noValidate>
          <p id="password-intro">{t('password.intro', { min: PASSWORD_MIN })}</p>
          <Field
            id="password-new"
            label={t('password.new')}
            type="password"
            value={password}
            onInput={setPassword}
            autoComplete="new-password"
            required
          />
          <Field
            id="password-repeat"
            label={t('password.repeat')}
            type="password"
            value={repeat}
            onInput={setRepeat}
            autoComplete="new-password"
            required
          />
          {problem && <Notice kind="error">{problem}</Notice>}
          <button type="submit" class="primary" disabled={busy}>
            {t('password.submit')}
          </button>
        </form>
      )}
    </main>
  );
}
