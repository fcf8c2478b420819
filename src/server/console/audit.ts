/**
 * The audit log: who changed what, when, for every console (and admin CLI)
 * action that changes something: in the change's own transaction where the
 * console makes the change, right after it where it reuses an admin CLI
 * operation. Details hold ids and settings, never passwords, codes or tokens.
 */
import type { AuditEntry } from '../../domain/console/api';
import type { AuditRow, WriteTx } from '../storage/types';

export interface Actor {
  id: string | null;
  /** The account's e-mail, or "cli" for the admin command line. */
  label: string;
}

export const CLI_ACTOR: Actor = { id: null, label: 'cli' };

export async function audit(
  tx: WriteTx,
  at: number,
  actor: Actor,
  action: string,
  target: { type: string; id: string | null },
  detail: AuditRow['detail'] = {},
): Promise<void> {
  await tx.console.addAudit({
    at,
    actorId: actor.id,
    actorLabel: actor.label,
    action,
    targetType: target.type,
    targetId: target.id,
    detail,
  });
}

export const auditView = (r: AuditRow): AuditEntry => ({ ...r });
