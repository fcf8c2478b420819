/**
 * The console's HTTP API (/kommune/api): every request body and every
 * response, as zod schemas shared by the server (which parses what comes in
 * and what goes out) and the console (which parses every answer). Times are
 * epoch ms. Not exported from the domain index, so the tablet's bundle never
 * carries them.
 */
import { z } from 'zod';
import { RequiredText } from '../common';
import { Id } from '../ids';
import { AnchoringStep } from '../records/ladderStep';
import { DecisionOutcome } from '../records/evaluation';
import { Overview } from '../readModels/overview';
import { Period } from '../readModels/time';
import { Role } from './roles';

export const Email = z.string().trim().toLowerCase().max(254).pipe(z.email());
export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 200;
/** Long passphrases rather than composition rules (NSM's advice); the upper bound keeps hashing bounded. */
export const NewPassword = z.string().min(PASSWORD_MIN).max(PASSWORD_MAX);

export const ConsoleErrorCode = z.enum([
  'invalidRequest', // 400
  'unauthenticated', // 401: no session, or it expired
  'badCredentials', // 401: wrong e-mail or password
  'forbidden', // 403: the role may not do this, or the CSRF check failed
  'notFound', // 404
  'conflict', // 409: e.g. the e-mail is taken
  'invalidLink', // 410: a set-up/reset link is unknown, used or expired
  'tooManyAttempts', // 429
  'tooLarge', // 413: the request body is larger than the console accepts
  'unavailable', // 503: the database is unavailable or busy right now; retry shortly
  'ssoFailed', // 502: the identity provider could not be reached or refused
  'internal', // 500
]);
export type ConsoleErrorCode = z.infer<typeof ConsoleErrorCode>;

export const ConsoleErrorBody = z.object({
  error: ConsoleErrorCode,
  message: z.string(),
  retryAfterSeconds: z.number().int().min(0).optional(),
});
export type ConsoleErrorBody = z.infer<typeof ConsoleErrorBody>;

export const Ok = z.object({ ok: z.literal(true) });

// ----------------------------------------------------------------- accounts

export const AccountView = z.object({
  id: Id,
  email: z.string(),
  name: z.string(),
  role: Role,
  unitId: Id.nullable(),
  hasPassword: z.boolean(),
  /** Signs in through the municipality's identity provider. */
  sso: z.boolean(),
  createdAt: z.number(),
  disabledAt: z.number().nullable(),
  lastSignInAt: z.number().nullable(),
});
export type AccountView = z.infer<typeof AccountView>;

export const PublicConfig = z.object({ sso: z.boolean() });
export type PublicConfig = z.infer<typeof PublicConfig>;

export const SessionView = z.object({
  account: AccountView,
  /** Sent back in the X-CSRF-Token header of every state-changing request. */
  csrfToken: z.string().min(20),
  idleExpiresAt: z.number(),
  absoluteExpiresAt: z.number(),
});
export type SessionView = z.infer<typeof SessionView>;

export const LoginRequest = z.object({ email: Email, password: z.string().min(1).max(PASSWORD_MAX) });
export const SetPasswordRequest = z.object({ token: z.string().min(20).max(100), password: NewPassword });
export const ChangePasswordRequest = z.object({ currentPassword: z.string().min(1).max(PASSWORD_MAX), newPassword: NewPassword });

export const CreateAccountRequest = z.object({
  email: Email,
  name: RequiredText(120),
  role: Role,
  unitId: Id.nullable().default(null),
});
export type CreateAccountRequest = z.input<typeof CreateAccountRequest>;

export const UpdateAccountRequest = z
  .object({ role: Role, unitId: Id.nullable(), name: RequiredText(120), disabled: z.boolean() })
  .partial()
  .refine((u) => Object.keys(u).length > 0, 'nothing to change');
export type UpdateAccountRequest = z.input<typeof UpdateAccountRequest>;

/** A one-time link to set (or reset) a password. */
export const PasswordLink = z.object({ url: z.string(), expiresAt: z.number() });
export type PasswordLink = z.infer<typeof PasswordLink>;

export const CreatedAccount = z.object({ account: AccountView, link: PasswordLink });
export const AccountList = z.object({ accounts: z.array(AccountView) });

// ------------------------------------------------------------ units, tablets

export const UnitView = z.object({
  id: Id,
  municipality: z.string(),
  name: z.string(),
  responseTargetDays: z.number().int(),
  activeChangeLimit: z.number().int(),
  createdAt: z.string(),
  /** Tablets enrolled and not revoked. */
  tablets: z.number().int().min(0),
  /** Enrollment codes not used and not expired. */
  openCodes: z.number().int().min(0),
});
export type UnitView = z.infer<typeof UnitView>;
export const UnitList = z.object({ units: z.array(UnitView) });

export const CreateUnitRequest = z.object({ municipality: RequiredText(120), name: RequiredText(120) });
export const RenameUnitRequest = z.object({ name: RequiredText(120) });

export const CODE_TTL_HOURS_MAX = 24 * 30;
export const CreateCodeRequest = z.object({ ttlHours: z.number().int().min(1).max(CODE_TTL_HOURS_MAX).default(72) });

/** A QR code as its module matrix: `size` × `size` characters of '1' (dark) and '0', row by row. */
export const QrMatrix = z
  .object({ size: z.number().int().min(21).max(177), modules: z.string().regex(/^[01]+$/) })
  .refine((q) => q.modules.length === q.size * q.size, 'modules must hold size × size cells');
export type QrMatrix = z.infer<typeof QrMatrix>;

export const EnrollmentSheet = z.object({
  unitId: Id,
  unitName: z.string(),
  municipality: z.string(),
  code: z.string(),
  /** The link the QR code holds: the tablet app with the code filled in. */
  url: z.string(),
  expiresAt: z.number(),
  qr: QrMatrix,
});
export type EnrollmentSheet = z.infer<typeof EnrollmentSheet>;

export const DeviceView = z.object({
  deviceId: Id,
  unitId: Id,
  label: z.string(),
  createdAt: z.number(),
  lastSeenAt: z.number().nullable(),
  appVersion: z.string(),
  /** Changes waiting on the tablet, as it last reported; null until it reports. */
  unsent: z.number().int().min(0).nullable(),
  /** Whether the browser promised to keep the tablet's data; null when unknown. */
  storagePersisted: z.boolean().nullable(),
  revokedAt: z.number().nullable(),
});
export type DeviceView = z.infer<typeof DeviceView>;
export const DeviceList = z.object({ devices: z.array(DeviceView) });

// -------------------------------------------------------------------- audit

export const AuditDetail = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]));
export type AuditDetail = z.infer<typeof AuditDetail>;

export const AuditEntry = z.object({
  id: z.number().int(),
  at: z.number(),
  actorId: z.string().nullable(),
  /** The actor's e-mail at the time (accounts may be renamed later), or "cli". */
  actorLabel: z.string(),
  action: z.string(),
  targetType: z.string(),
  targetId: z.string().nullable(),
  detail: AuditDetail,
});
export type AuditEntry = z.infer<typeof AuditEntry>;
export const AuditPage = z.object({ entries: z.array(AuditEntry), nextBefore: z.number().int().nullable() });
export type AuditPage = z.infer<typeof AuditPage>;

// ------------------------------------------------------- overview and report

/** `?from=YYYY-MM&to=YYYY-MM&unit=<id>&unit=<id>`: no unit means every unit the account may read. */
export const FiguresQuery = z.object({ period: Period, unitIds: z.array(Id).max(500).default([]) });
export type FiguresQuery = z.input<typeof FiguresQuery>;

export { Overview };

export const ReportIdea = z.object({
  ideaId: Id,
  unitId: Id,
  unitName: z.string(),
  createdAt: z.number(),
  text: z.string(),
});

export const ReportDecision = ReportIdea.extend({
  decisionId: Id,
  publishedAt: z.number(),
  outcome: DecisionOutcome,
  rationale: z.string(),
});

export const ReportChange = ReportIdea.extend({
  outcome: z.enum(['adopt', 'pilot']),
  decidedAt: z.number().nullable(),
  /** Where the change stands on the anchoring ladder (its latest ladder step); null before the first. */
  step: AnchoringStep.nullable(),
  followUpDate: z.string().nullable(),
});

export const REPORT_LIST_MAX = 500;

export const Report = z.object({
  overview: Overview,
  /** Ideas whose unit forwarded them to the steering group (its current decision). */
  forwarded: z.array(ReportDecision),
  /** Decisions published in the period, newest first. */
  decisions: z.array(ReportDecision),
  /** Ideas adopted or in pilot now, with where they stand on the ladder. */
  changes: z.array(ReportChange),
  /** A list was cut at REPORT_LIST_MAX entries. */
  truncated: z.boolean(),
});
export type Report = z.infer<typeof Report>;

// ------------------------------------------------------------------- export

export const EXPORT_DATASETS = ['ideas', 'evaluations', 'decisions', 'changes', 'benefits'] as const;
export const ExportDataset = z.enum(EXPORT_DATASETS);
export type ExportDataset = z.infer<typeof ExportDataset>;

export const ExportQuery = FiguresQuery.extend({
  dataset: ExportDataset,
  language: z.enum(['nb', 'nn', 'en']).default('nb'),
  /** Leave out every person's name (bearers, participants, responsible, publishers, authors). */
  withoutNames: z.boolean().default(false),
});
export type ExportQuery = z.input<typeof ExportQuery>;
