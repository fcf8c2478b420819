/** Who took part in an evaluation or decision: the method's parties, each with an optional name. */
import { UNIT_PARTY_ROLES, type Party, type PartyRole } from '../../domain';
import type { Translator } from '../i18n';
import { useT } from '../i18n/useT';
import '../i18n/methodStrings';

export function PartiesEditor({
  id,
  value,
  onChange,
  error,
  roles = UNIT_PARTY_ROLES,
}: {
  id: string;
  value: Party[];
  onChange: (parties: Party[]) => void;
  error?: string | undefined;
  /** The roles to offer (a unit's by default). */
  roles?: readonly PartyRole[];
}) {
  const t = useT();
  const find = (role: PartyRole) => value.find((p) => p.role === role);
  const set = (role: PartyRole, party: Party | null) =>
    onChange(roles.flatMap((r) => (r === role ? (party ? [party] : []) : value.filter((p) => p.role === r))));
  return (
    <fieldset class="choices parties" aria-describedby={error ? `${id}-error` : undefined}>
      <legend>{t('parties.legend')}</legend>
      {roles.map((role) => {
        const party = find(role);
        return (
          <div class="parties__row" key={role}>
            <label class="choice">
              <input
                type="checkbox"
                id={`${id}-${role}`}
                checked={Boolean(party)}
                onChange={(e) => set(role, e.currentTarget.checked ? { role, name: null } : null)}
              />
              {t(`role.${role}`)}
            </label>
            {party ? (
              <div class="field field--inline">
                <label for={`${id}-${role}-name`}>{t(`parties.name.${role}`)}</label>
                <input
                  id={`${id}-${role}-name`}
                  type="text"
                  maxLength={120}
                  value={party.name ?? ''}
                  onInput={(e) => set(role, { role, name: e.currentTarget.value || null })}
                />
              </div>
            ) : null}
          </div>
        );
      })}
      {error ? (
        <p class="field__error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}

export function describeParties(parties: readonly Party[], t: Translator): string {
  return parties.map((p) => (p.name ? `${p.name} (${t(`role.${p.role}`)})` : t(`role.${p.role}`))).join(', ');
}
