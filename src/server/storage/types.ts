/**
 * The one storage interface the sync server is written against. Two real
 * back ends implement it (SQLite for a single small server, PostgreSQL for
 * several instances), so the protocol logic in ../sync.ts exists once.
 *
 * All writes happen inside `write()`, one database transaction: either every
 * statement of a push commits (records, device progress, conflicts; on SQLite
 * also their seqs, which PostgreSQL assigns right after, see writeRecords) or
 * none does. Reads that must be consistent (a pull reads the
 * counter and then the records) happen inside `read()`, one snapshot.
 */
import type { Conflict, RejectReason, StoredRecord, TableName } from '../../domain';
import type { Role } from '../../domain/console/roles';
import type { OverviewAggregates, OverviewPart } from '../../domain/readModels/overview';
import type { FactTable } from '../../domain/readModels/facts';

export type StorageKind = 'sqlite' | 'postgres';

/** The single server-wide row: database identity, record counter, tombstone horizon. */
export interface ServerState {
  /** Random id of this database's history; replaced by `mark-restored` after a restore. */
  epoch: string;
  /** The last allocated server_seq (never a timestamp). */
  serverSeq: number;
  /** Tombstones with server_seq <= horizon may have been purged. */
  horizon: number;
}

export interface StoredRow extends StoredRecord {
  /** null on PostgreSQL between a push's commit and its sequencing (never returned by scanRecords). */
  serverSeq: number | null;
}

export interface SequencedRow extends StoredRow {
  serverSeq: number;
}

export interface Device {
  deviceId: string;
  unitId: string;
  label: string;
  createdAt: number;
  expiresAt: number | null;
  revokedAt: number | null;
  lastAppliedSeq: number;
  lastSeenAt: number | null;
  appVersion: string;
  /** Changes waiting on the tablet, as it last reported (push or pull); null until it reports. */
  unsent: number | null;
  /** Whether its browser promised to keep the data (navigator.storage.persisted); null when unknown. */
  storagePersisted: boolean | null;
}

/** What a tablet says about itself on push and pull (see DeviceReport in the protocol). */
export interface DeviceReportRow {
  lastSeenAt: number;
  appVersion?: string;
  unsent?: number;
  storagePersisted?: boolean | null;
}

export interface NewDevice extends Device {
  tokenHash: string;
}

export interface EnrollmentCodeRow {
  codeHash: string;
  unitId: string;
  createdAt: number;
  expiresAt: number;
}

/**
 * An answer worth repeating to a replay (a refusal, or an edit that lost):
 * a device whose answer was lost re-sends the batch and must hear the same,
 * not a bare `duplicate`. Kept per device for its most recent mutations.
 */
export interface RecentAnswer {
  seq: number;
  mutationId: string;
  status: 'applied' | 'rejected';
  reason?: RejectReason;
  detail?: string;
  lostFields?: string[];
  /** The record the mutation wrote (null if it was too malformed to say). */
  record: { table: TableName; id: string } | null;
}

export interface LoggedConflict extends Conflict {
  unitId: string;
  deviceId: string;
  at: number;
}

/** A finished photo, without its bytes: what status, HEAD and the quota need. */
export interface BlobInfo {
  sha256: string;
  size: number;
  /** The unit whose tablet uploaded it (charged to its quota); null for photos stored before quotas. */
  unitId: string | null;
}

export interface StoredBlob extends BlobInfo {
  data: Buffer;
}

/** One tablet's unfinished upload of a blob; another tablet's upload of the same blob is a separate row. */
export interface BlobUpload {
  sha256: string;
  deviceId: string;
  unitId: string;
  /** The size the tablet declared. */
  total: number;
  data: Buffer;
  createdAt: number;
  updatedAt: number;
}

/** A fixed-window counter after counting one more attempt. */
export interface RateLimitCount {
  points: number;
  windowEndsAt: number;
}

export interface ReadTx {
  state(): Promise<ServerState>;
  /** Records with server_seq > afterSeq, ordered by server_seq. */
  scanRecords(afterSeq: number, limit: number): Promise<SequencedRow[]>;
  getRecord(table: TableName, id: string): Promise<StoredRow | undefined>;
  /** Many records in one round trip (absent ones are simply missing from the result). */
  getRecords(keys: { table: TableName; id: string }[]): Promise<StoredRow[]>;
  listRecords(table: TableName): Promise<StoredRow[]>;
  /** The live records of one table and one unit (small tables: erasure instructions). */
  unitRecords(table: TableName, unitId: string): Promise<StoredRow[]>;
  /** One table's records, tombstones included, in id order after `afterId` (pages over everything: finding a person). */
  tableRecordsPage(table: TableName, afterId: string, limit: number): Promise<StoredRow[]>;
  /** Ideas, tombstones included, whose photos include this one. */
  ideasWithPhoto(sha256: string): Promise<StoredRow[]>;
  /** The conflict log in id order after `afterId`, with each entry's id. */
  conflictsPage(afterId: number, limit: number): Promise<Array<LoggedConflict & { id: number }>>;
  findDeviceByTokenHash(tokenHash: string): Promise<Device | undefined>;
  getDevice(deviceId: string): Promise<Device | undefined>;
  listDevices(): Promise<Device[]>;
  listConflicts(): Promise<LoggedConflict[]>;
  /** A finished blob's metadata (never its bytes). */
  blobInfo(sha256: string): Promise<BlobInfo | undefined>;
  /** A finished blob with its bytes. */
  readBlob(sha256: string): Promise<StoredBlob | undefined>;
  /** Bytes held of this device's upload of a blob, if it was touched at or after `since` (never the bytes). */
  uploadReceived(sha256: string, deviceId: string, since: number): Promise<number>;
  /** What a unit's photos take: finished ones it uploaded, plus the declared totals of its uploads touched since `since`. */
  unitBlobBytes(unitId: string, since: number): Promise<number>;

  // Sync integrity (issue #9)
  /** Records of these tables that belong to one of these ideas (their `ideaId`), tombstones included. */
  listByIdea(tables: TableName[], ideaIds: string[]): Promise<StoredRow[]>;
  /** Logged conflicts on these records of this unit, oldest first (a pull tells a tablet which of its edits lost). */
  conflictsOn(unitId: string, recordIds: string[]): Promise<LoggedConflict[]>;
  /** The municipal console's reads (accounts, sessions, audit log, read models); see ConsoleReadTx. */
  readonly console: ConsoleReadTx;
}

export interface WriteTx extends ReadTx {
  /**
   * Read the server state and take the writer lock on the counter row
   * (PostgreSQL: SELECT … FOR UPDATE; SQLite: the transaction already holds
   * the single write lock). For admin writes that must not interleave with
   * seq allocation (epoch change, tombstone purge).
   */
  lockState(): Promise<ServerState>;
  /**
   * The device, locked until commit so one device's pushes apply one at a
   * time (PostgreSQL: FOR UPDATE), read together with the server state (one
   * round trip: a push needs both first). Undefined if the device is gone.
   */
  lockDevice(deviceId: string): Promise<{ device: Device; state: ServerState; recentAnswers: RecentAnswer[] } | undefined>;
  /**
   * Lock these records (present or not yet created) until commit, so two
   * pushes never merge into the same record at once. Call before reading
   * them. PostgreSQL: transaction advisory locks in one sorted pass, so two
   * writers cannot deadlock; SQLite: nothing to do (one writer).
   */
  lockRecords(keys: { table: TableName; id: string }[]): Promise<void>;
  /**
   * Store changed records; each gets a new server seq, handed out in commit
   * order so a pull never skips a row (docs/sync-protocol.md, "The cursor").
   * SQLite allocates them here, under its single writer. PostgreSQL stores
   * them unsequenced and numbers them after this transaction commits (see
   * postgres.ts), so concurrent pushes do not wait for each other's fsync.
   */
  writeRecords(records: StoredRecord[]): Promise<void>;
  addConflicts(conflicts: LoggedConflict[]): Promise<void>;
  /** Rewrite the losing value of one conflict-log entry (an erased name). */
  setConflictValue(id: number, loserValue: unknown): Promise<void>;
  insertDevice(device: NewDevice): Promise<void>;
  updateDeviceSync(
    deviceId: string,
    progress: {
      lastAppliedSeq: number;
      lastSeenAt: number;
      appVersion: string;
      recentAnswers: RecentAnswer[];
      unsent?: number;
      storagePersisted?: boolean | null;
    },
  ): Promise<void>;
  /** A pull's report: when the tablet was last seen and what it says about itself. */
  reportDevice(deviceId: string, report: DeviceReportRow): Promise<void>;
  revokeDevice(deviceId: string, at: number): Promise<boolean>;
  insertEnrollmentCode(code: EnrollmentCodeRow): Promise<void>;
  /** Mark an unused, unexpired code used; returns its unit, or undefined. */
  consumeEnrollmentCode(codeHash: string, now: number, deviceId: string): Promise<string | undefined>;
  setEpoch(epoch: string): Promise<void>;
  /** Delete tombstones with server_seq < beforeSeq and raise the horizon to beforeSeq - 1. */
  purgeTombstones(beforeSeq: number): Promise<number>;
  /** Delete tombstones deleted before `before` (their delete's clock) and raise the horizon past them; returns how many. */
  purgeTombstonesDeletedBefore(before: number): Promise<number>;
  /** Delete conflict-log entries logged before `before`; returns how many. */
  purgeConflictsBefore(before: number): Promise<number>;
  /**
   * Whether this transaction may do a server-wide chore alone (PostgreSQL: a
   * transaction-level advisory try-lock on `name`, released at commit; SQLite:
   * always, its one writer already is alone). False: another instance is at it.
   */
  tryExclusive(name: string): Promise<boolean>;
  /** Until commit, no other writer works on this blob (PostgreSQL: an advisory lock; SQLite: one writer). */
  lockBlob(sha256: string): Promise<void>;
  /** This device's upload of a blob, bytes included. */
  getUpload(sha256: string, deviceId: string): Promise<BlobUpload | undefined>;
  putUpload(upload: BlobUpload): Promise<void>;
  /** Drop this device's upload of a blob, or (no device) every upload of it. */
  deleteUploads(sha256: string, deviceId?: string): Promise<void>;
  /** Drop uploads last touched before `before`; returns how many. */
  purgeUploads(before: number): Promise<number>;
  /** Store a finished blob; a blob already stored (another tablet finished first) is kept as it is. */
  insertBlob(blob: StoredBlob & { deviceId: string; createdAt: number }): Promise<void>;
  /** Delete these photos (the blob and unfinished uploads) unless a live idea still shows them; returns how many went. */
  deleteUnshownBlobs(sha256s: string[]): Promise<number>;
  /**
   * Count one attempt of `subject` under `rule` in a fixed window of
   * `windowMs` (a new window starts when the last one has ended), in one
   * statement, so instances sharing the database share the count.
   */
  countAttempt(rule: string, subject: string, now: number, windowMs: number): Promise<RateLimitCount>;
  clearAttempts(rule: string, subject: string): Promise<void>;
  /** Drop counters whose window ended before `before`. */
  purgeAttempts(before: number): Promise<number>;

  // Sync integrity (issue #9)
  /**
   * Serialize writers that derive the status of these ideas (PostgreSQL:
   * transaction advisory locks in a key space of their own, in one sorted
   * pass; SQLite: one writer already). Taken after lockRecords and before
   * reading the ideas' decisions and evaluations, so two pushes touching one
   * idea's decisions cannot each derive from a state without the other's
   * write. No writer takes a record lock after a status lock, so the two
   * passes cannot deadlock.
   */
  lockIdeaStatus(ideaIds: string[]): Promise<void>;
  readonly console: ConsoleWriteTx;
}

export interface SyncStorage {
  readonly kind: StorageKind;
  write<T>(fn: (tx: WriteTx) => Promise<T>): Promise<T>;
  read<T>(fn: (tx: ReadTx) => Promise<T>): Promise<T>;
  /**
   * A read of ONE statement (e.g. the token check before every request): it
   * needs no snapshot, so PostgreSQL runs it without BEGIN/COMMIT, one round
   * trip instead of three. SQLite: the same as `read`.
   */
  readOne<T>(fn: (tx: ReadTx) => Promise<T>): Promise<T>;
  /**
   * Give any committed-but-unsequenced records their server seqs (PostgreSQL;
   * a no-op on SQLite). Pulls call it first, so rows left behind by a crash
   * between a push's commit and its sequencing are never stranded.
   */
  sequencePending(): Promise<void>;
  close(): Promise<void>;
}

// ------------------------------------------------------------ the console

export interface AccountRow {
  id: string;
  /** Lower case; unique. */
  email: string;
  name: string;
  role: Role;
  unitId: string | null;
  /** scrypt hash (see server/console/passwords.ts); null until the person set one. */
  passwordHash: string | null;
  /** `issuer subject` of a single sign-on identity linked to the account. */
  oidcSubject: string | null;
  createdAt: number;
  disabledAt: number | null;
  lastSignInAt: number | null;
}

export interface SessionRow {
  /** SHA-256 of the cookie's random id: a leaked table holds no usable session. */
  idHash: string;
  accountId: string;
  csrfToken: string;
  createdAt: number;
  lastSeenAt: number;
  /** Absolute expiry; idle expiry is lastSeenAt + the idle limit. */
  expiresAt: number;
}

export type LinkPurpose = 'setup' | 'reset';

export interface AccountLinkRow {
  tokenHash: string;
  accountId: string;
  purpose: LinkPurpose;
  createdAt: number;
  expiresAt: number;
}

export interface OidcLoginRow {
  stateHash: string;
  codeVerifier: string;
  nonce: string;
  createdAt: number;
}

export interface AuditRow {
  id: number;
  at: number;
  actorId: string | null;
  actorLabel: string;
  action: string;
  targetType: string;
  targetId: string | null;
  detail: Record<string, string | number | boolean | null>;
}

/** Instants [start, end) and, optionally, the only units to count (null = every unit). */
export interface FactFilter {
  start: number;
  end: number;
  unitIds: string[] | null;
}

/** A record with the instant its fact counts it at. */
export interface FactRecord {
  id: string;
  unitId: string;
  at: number;
  data: Record<string, unknown>;
}

export interface ReportDecisionRow {
  idea: FactRecord;
  decision: FactRecord;
}

export interface ReportChangeRow {
  idea: FactRecord;
  decision: FactRecord | null;
  step: string | null;
}

export interface MeetingRow {
  id: string;
  title: string;
  /** YYYY-MM-DD */
  meetsOn: string;
  members: string[];
  createdAt: number;
}

export interface ConsoleReadTx {
  countAccounts(): Promise<number>;
  getAccount(id: string): Promise<AccountRow | undefined>;
  findAccountByEmail(email: string): Promise<AccountRow | undefined>;
  findAccountBySubject(subject: string): Promise<AccountRow | undefined>;
  listAccounts(): Promise<AccountRow[]>;
  findSession(idHash: string): Promise<SessionRow | undefined>;
  /** Newest first, ids below `before`. */
  listAudit(before: number, limit: number): Promise<AuditRow[]>;
  /** Per unit: tablets not revoked, codes neither used nor expired. */
  unitCounts(now: number): Promise<Array<{ unitId: string; tablets: number; openCodes: number }>>;
  /** Everything the overview counts, in a handful of aggregate queries over the read models (one snapshot). */
  overviewAggregates(filter: FactFilter, now: number, overdueListMax: number): Promise<OverviewAggregates>;
  /** One of those aggregates on its own (see figures.ts: PostgreSQL runs them side by side). */
  overviewPart<P extends OverviewPart>(part: P, filter: FactFilter, now: number, overdueListMax: number): Promise<OverviewAggregates[P]>;
  /** Records of one fact table whose fact instant lies in the filter, in (instant, id) order, after `after` (keyset pages). */
  factRecordsPage(table: FactTable, filter: FactFilter, after: { at: number; id: string } | null, limit: number): Promise<FactRecord[]>;
  /** First published decision per idea, for these ideas. */
  firstAnswers(ideaIds: string[]): Promise<Map<string, number>>;
  /** Ideas whose current status is `forwarded`, with their latest published forward decision. */
  forwardedIdeas(unitIds: string[] | null, limit: number): Promise<ReportDecisionRow[]>;
  /** Decisions published in the filter's period, newest first. */
  publishedDecisions(filter: FactFilter, limit: number): Promise<ReportDecisionRow[]>;
  /** Ideas adopted or in pilot now, with their latest adopt/pilot decision and ladder step. */
  activeChanges(unitIds: string[] | null, limit: number): Promise<ReportChangeRow[]>;

  // The steering group (issue #14)
  /** Newest first, with how many ideas each has on its agenda. */
  listMeetings(): Promise<Array<MeetingRow & { agendaSize: number }>>;
  getMeeting(id: string): Promise<MeetingRow | undefined>;
  /** The ideas on a meeting's agenda, in the order they were added. */
  agendaOf(meetingId: string): Promise<string[]>;
  /** The meetings each of these ideas is on the agenda of. */
  meetingsOf(ideaIds: string[]): Promise<Array<{ ideaId: string; meeting: MeetingRow }>>;
  /** Ideas whose status is `forwarded` (waiting for the steering group), oldest first. */
  forwardedIdeaIds(limit: number): Promise<string[]>;
  /**
   * Decided ideas of these units (null: every unit), newest answer first, in
   * keyset pages (answered_at, id) below `before` (the library).
   */
  decidedIdeaIds(
    unitIds: string[] | null,
    before: { at: number; id: string } | null,
    limit: number,
  ): Promise<Array<{ id: string; at: number }>>;
  /** Ideas that name each of these as the idea they take up (sourceIdeaId). */
  takenUp(ideaIds: string[]): Promise<Array<{ sourceIdeaId: string; id: string; unitId: string; status: string }>>;
}

export interface ConsoleWriteTx extends ConsoleReadTx {
  insertAccount(account: AccountRow): Promise<void>;
  updateAccount(id: string, patch: Partial<Omit<AccountRow, 'id' | 'createdAt'>>): Promise<void>;
  insertLink(link: AccountLinkRow): Promise<void>;
  /** Mark an unused, unexpired link used; returns it, or undefined. */
  consumeLink(tokenHash: string, now: number): Promise<AccountLinkRow | undefined>;
  /** Retire every open link of an account (a new one replaces them). */
  retireLinks(accountId: string, now: number): Promise<void>;
  insertSession(session: SessionRow): Promise<void>;
  touchSession(idHash: string, now: number): Promise<void>;
  deleteSession(idHash: string): Promise<void>;
  /** Sign out everywhere; returns how many sessions ended. */
  deleteSessionsOf(accountId: string): Promise<number>;
  /** Remove sessions past their absolute or idle expiry, and stale SSO logins. */
  purgeExpired(now: number, idleMs: number, oidcMaxAgeMs: number): Promise<void>;
  insertOidcLogin(login: OidcLoginRow): Promise<void>;
  /** Read and delete (one use). */
  takeOidcLogin(stateHash: string): Promise<OidcLoginRow | undefined>;
  addAudit(entry: Omit<AuditRow, 'id'>): Promise<void>;
  insertMeeting(meeting: MeetingRow): Promise<void>;
  updateMeeting(id: string, meeting: Pick<MeetingRow, 'title' | 'meetsOn' | 'members'>): Promise<void>;
  /** Put an idea on a meeting's agenda (again: nothing happens). */
  addToAgenda(meetingId: string, ideaId: string, unitId: string, at: number): Promise<void>;
  removeFromAgenda(meetingId: string, ideaId: string): Promise<void>;
}
