/**
 * Who may do what in the municipal console. The method puts three kinds of
 * people above the break room: the municipality's administrator (units,
 * tablets, accounts, personal data), the development adviser and the
 * steering group (read every unit, answer the ideas units forward), and unit
 * leaders (read their own unit). Every role reads the library of what units
 * tried (it holds no names). One table here, checked by the server on every
 * request and used by the console only to hide what would be refused anyway.
 */
import { z } from 'zod';

export const Role = z.enum(['administrator', 'adviser', 'unitLeader']);
export type Role = z.infer<typeof Role>;
export const ROLES = Role.options;

export type Permission =
  /** Create and rename units, make enrollment codes. */
  | 'manageUnits'
  /** See every tablet and revoke one. */
  | 'manageTablets'
  /** Create accounts, change roles, make reset links. */
  | 'manageAccounts'
  /** Read the audit log. */
  | 'readAudit'
  /** Overview, report and export across every unit (otherwise: the account's own unit only). */
  | 'readAllUnits'
  /** The steering group's inbox, meetings and decisions on forwarded ideas. */
  | 'answerForwarded'
  /** Find, export and erase a person's name; delete photos. */
  | 'managePersonalData';

const PERMISSIONS: Record<Role, ReadonlySet<Permission>> = {
  administrator: new Set([
    'manageUnits',
    'manageTablets',
    'manageAccounts',
    'readAudit',
    'readAllUnits',
    'answerForwarded',
    'managePersonalData',
  ]),
  adviser: new Set(['readAllUnits', 'answerForwarded']),
  unitLeader: new Set(),
};

export function can(role: Role, permission: Permission): boolean {
  return PERMISSIONS[role].has(permission);
}

/**
 * The units an account may read figures of: every unit, or a unit leader's
 * own (none while an administrator has not given them one).
 */
export function readableUnitIds(account: { role: Role; unitId: string | null }, allUnitIds: readonly string[]): string[] {
  if (can(account.role, 'readAllUnits')) return [...allUnitIds];
  return account.unitId && allUnitIds.includes(account.unitId) ? [account.unitId] : [];
}
