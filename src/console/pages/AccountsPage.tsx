/** Accounts (administrators): create one with a one-time set-up link, change role or unit, disable, send a new password link. */
import { useState } from 'preact/hooks';
import { AccountList, CreatedAccount, PasswordLink, UnitList, type AccountView, type PasswordLink as Link } from '../../domain/console/api';
import { ROLES, type Role } from '../../domain/console/roles';
import { get, patch, post } from '../api';
import { errorText, Field, Loading, Notice, PageTitle, useResource } from '../components/common';
import type { Translator } from '../i18n';
import { useT } from '../useT';

function LinkNotice({ t, email, link }: { t: Translator; email: string; link: Link }) {
  return (
    <div class="notice notice-ok" role="status">
      <p>{t('accounts.link', { email, date: t.dateTime(link.expiresAt) })}</p>
      <p>
        <code class="link">{link.url}</code>
      </p>
    </div>
  );
}

export function AccountsPage() {
  const t = useT();
  const data = useResource(
    async () => ({ accounts: (await get(AccountList, '/accounts')).accounts, units: (await get(UnitList, '/units')).units }),
    'accounts',
  );
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('unitLeader');
  const [unitId, setUnitId] = useState('');
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [link, setLink] = useState<{ email: string; link: Link } | null>(null);
  const units = data.data?.units ?? [];

  async function create(e: Event) {
    e.preventDefault();
    try {
      const created = await post(CreatedAccount, '/accounts', { email, name, role, unitId: unitId || null });
      setLink({ email: created.account.email, link: created.link });
      setMessage(null);
      setEmail('');
      setName('');
      data.reload();
    } catch (err) {
      setMessage({ kind: 'error', text: errorText(t, err) });
    }
  }

  async function change(a: AccountView, body: Record<string, unknown>) {
    try {
      await patch(AccountList, `/accounts/${a.id}`, body);
      setMessage({ kind: 'ok', text: t('accounts.saved') });
      data.reload();
    } catch (err) {
      setMessage({ kind: 'error', text: errorText(t, err) });
    }
  }

  async function reset(a: AccountView) {
    try {
      setLink({ email: a.email, link: await post(PasswordLink, `/accounts/${a.id}/reset-link`) });
    } catch (err) {
      setMessage({ kind: 'error', text: errorText(t, err) });
    }
  }

  return (
    <>
      <PageTitle title={`${t('accounts.title')} – ${t('app.title')}`}>{t('accounts.title')}</PageTitle>
      {message && <Notice kind={message.kind}>{message.text}</Notice>}
      {link && <LinkNotice t={t} email={link.email} link={link.link} />}
      <form onSubmit={create} class="card">
        <h2>{t('accounts.create')}</h2>
        <Field id="account-email" label={t('accounts.email')} type="email" value={email} onInput={setEmail} required />
        <Field id="account-name" label={t('accounts.name')} value={name} onInput={setName} required />
        <div class="field">
          <label for="account-role">{t('accounts.role')}</label>
          <select id="account-role" value={role} onChange={(e) => setRole(e.currentTarget.value as Role)}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {t(`role.${r}`)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="account-unit">{t('accounts.unit')}</label>
          <select id="account-unit" value={unitId} onChange={(e) => setUnitId(e.currentTarget.value)}>
            <option value="">{t('accounts.noUnit')}</option>
            {units.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" class="primary">
          {t('accounts.add')}
        </button>
      </form>
      <h2>{t('accounts.list')}</h2>
      {data.loading && !data.data ? (
        <Loading t={t} />
      ) : data.error ? (
        <Notice kind="error">{errorText(t, data.error)}</Notice>
      ) : (
        <div class="table-wrap" tabIndex={0} role="region" aria-label={t('accounts.list')}>
          <table>
            <caption class="visually-hidden">{t('accounts.list')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('accounts.email')}</th>
                <th scope="col">{t('accounts.name')}</th>
                <th scope="col">{t('accounts.role')}</th>
                <th scope="col">{t('accounts.unit')}</th>
                <th scope="col">{t('accounts.status')}</th>
                <th scope="col">{t('accounts.lastSignIn')}</th>
                <th scope="col">{t('units.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {data.data?.accounts.map((a) => (
                <tr key={`${a.id}-${a.role}-${a.unitId}-${a.disabledAt}`}>
                  <th scope="row">{a.email}</th>
                  <td>{a.name}</td>
                  <td>
                    <label for={`role-${a.id}`} class="visually-hidden">
                      {t('accounts.roleOf', { email: a.email })}
                    </label>
                    <select id={`role-${a.id}`} value={a.role} onChange={(e) => change(a, { role: e.currentTarget.value })}>
                      {ROLES.map((r) => (
                        <option key={r} value={r}>
                          {t(`role.${r}`)}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>
                    <label for={`unit-${a.id}`} class="visually-hidden">
                      {t('accounts.unitOf', { email: a.email })}
                    </label>
                    <select
                      id={`unit-${a.id}`}
                      value={a.unitId ?? ''}
                      onChange={(e) => change(a, { unitId: e.currentTarget.value || null })}
                    >
                      <option value="">{t('accounts.noUnit')}</option>
                      {units.map((u) => (
                        <option key={u.id} value={u.id}>
                          {u.name}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>
                    {a.disabledAt ? t('accounts.disabled') : a.hasPassword || a.sso ? t('accounts.active') : t('accounts.pending')}
                    {a.sso && ` · ${t('accounts.sso')}`}
                  </td>
                  <td>{a.lastSignInAt ? t.dateTime(a.lastSignInAt) : t('tablets.never')}</td>
                  <td class="row-actions">
                    <button type="button" onClick={() => reset(a)}>
                      {t('accounts.reset', { email: a.email })}
                    </button>
                    <button
                      type="button"
                      class={a.disabledAt ? undefined : 'danger'}
                      onClick={() => change(a, { disabled: !a.disabledAt })}
                    >
                      {a.disabledAt ? t('accounts.enable', { email: a.email }) : t('accounts.disable', { email: a.email })}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
