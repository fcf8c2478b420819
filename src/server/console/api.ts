/**
 * The municipal console's HTTP API, mounted at /kommune/api (app.ts). Every
 * body and query is parsed with the schemas in src/domain/console/api.ts and
 * every answer is parsed on its way out; nothing a client can send gets a
 * 5xx. Sign-in, set-up links and SSO are open; everything else needs a
 * session (sessions.ts), and each route checks the role (roles.ts) before it
 * does any work.
 */
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import {
  AccountList,
  AuditPage,
  ChangePasswordRequest,
  ConsoleErrorBody,
  CreateAccountRequest,
  CreateCodeRequest,
  CreatedAccount,
  CreateUnitRequest,
  DeviceList,
  EnrollmentSheet,
  ExportQuery,
  FiguresQuery,
  LoginRequest,
  Ok,
  Overview,
  PasswordLink,
  PublicConfig,
  RenameUnitRequest,
  Report,
  SessionView,
  SetPasswordRequest,
  UnitList,
  UpdateAccountRequest,
} from '../../domain/console/api';
import { can, type Permission } from '../../domain/console/roles';
import { recentPeriod } from '../../domain/readModels/time';
import { HybridLogicalClock, Id, Sha256 } from '../../domain';
import { LibraryPage, LibraryQuery } from '../../domain/console/library';
import {
  DeletedPhoto,
  EraseRequest,
  EraseResult,
  IdeaPhotos,
  NameSearch,
  PersonExport,
  PersonQuery,
  SearchQuery,
} from '../../domain/console/personalData';
import {
  AgendaRequest,
  Inbox,
  Meeting,
  MeetingInput,
  MeetingList,
  SteeringDecisionReply,
  SteeringDraftRequest,
  SteeringEditRequest,
  SteeringPublishRequest,
} from '../../domain/console/steering';
import type { Logger } from '../log';
import { clientAddress, memoryRateLimiter, type RateLimiter } from '../rateLimit';
import type { SyncStorage } from '../storage/types';
import { accountView, createAccount, issueResetLink, setPasswordWithLink, updateAccount } from './accounts';
import { audit, auditView, type Actor } from './audit';
import { DEFAULT_CONSOLE_SETTINGS, LINK_ADDRESS_RULE, type ConsoleContext, type ConsoleSettings } from './context';
import { exportCsv, exportFileName } from './csvExport';
import { asConsoleError, ConsoleError, consoleError } from './errors';
import { overviewFor, reportFor, scopeFor } from './figures';
import { finishSso, startSso } from './oidc';
import { hashPassword, verifyPassword } from './passwords';
import {
  clearSessionCookie,
  currentSession,
  sameOriginOnly,
  sessionView,
  signedIn,
  signInWithPassword,
  startSession,
  type ConsoleEnv,
} from './sessions';
import { library } from './library';
import { deletePhoto, erasePerson, exportPerson, findNames, ideaPhotos, personCsv } from './personalData';
import {
  addToAgenda,
  changeMeeting,
  createMeeting,
  deleteDraft,
  draftAnswer,
  editDraft,
  inbox,
  meeting,
  meetings,
  publishAnswer,
  removeFromAgenda,
} from './steering';
import { addUnit, changeUnitName, deviceView, newEnrollmentSheet, revokeTablet, unitViews } from './units';

export interface ConsoleApiOptions {
  storage: SyncStorage;
  now: () => number;
  /** The server's clock (shared with the sync API, so the console's writes order with the tablets'). */
  clock?: HybridLogicalClock;
  log: Logger;
  settings?: Partial<ConsoleSettings>;
  limiter?: RateLimiter;
  /** Erase a name in the backups the server controls (backups.ts); returns how many it rewrote. */
  eraseInBackups?: (person: string, pseudonym: string) => Promise<number>;
}

/** Console requests are small JSON; anything bigger is not the console. */
const MAX_BODY_BYTES = 64 * 1024;

function parse<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw consoleError('invalidRequest', z.prettifyError(parsed.error));
  return parsed.data;
}

async function body<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> {
  let raw: unknown;
  try {
    raw = await c.req.json();
  } catch {
    throw consoleError('invalidRequest', 'the body is not valid JSON');
  }
  return parse(schema, raw);
}

/** Parse the answer too: what leaves the server is what the console expects. */
const reply = <S extends z.ZodType>(c: Context, schema: S, value: z.input<S>, status: 200 | 201 = 200) =>
  c.json(schema.parse(value), status);

function figuresQuery(c: Context, now: number) {
  const fallback = recentPeriod(now);
  return parse(FiguresQuery, {
    period: { from: c.req.query('from') || fallback.from, to: c.req.query('to') || fallback.to },
    unitIds: c.req.queries('unit') ?? [],
  });
}

export function consoleApi(opts: ConsoleApiOptions): Hono<ConsoleEnv> {
  const ctx: ConsoleContext = {
    storage: opts.storage,
    clock: opts.clock ?? new HybridLogicalClock('server', opts.now),
    now: opts.now,
    log: opts.log,
    limiter: opts.limiter ?? memoryRateLimiter(opts.now),
    settings: { ...DEFAULT_CONSOLE_SETTINGS, ...opts.settings },
  };
  const api = new Hono<ConsoleEnv>();
  const baseUrl = (c: Context) => ctx.settings.publicUrl ?? new URL(c.req.url).origin;
  const actorOf = (c: Context<ConsoleEnv>): Actor => ({ id: c.var.signed.account.id, label: c.var.signed.account.email });
  const need = (c: Context<ConsoleEnv>, permission: Permission) => {
    if (!can(c.var.signed.account.role, permission)) throw consoleError('forbidden', 'your role may not do this');
  };

  api.onError((thrown, c) => {
    const err = asConsoleError(thrown);
    if (err instanceof ConsoleError) {
      if (err.body.retryAfterSeconds !== undefined) c.header('Retry-After', String(err.body.retryAfterSeconds));
      return c.json(ConsoleErrorBody.parse(err.body), err.status as 400);
    }
    ctx.log.error('consoleInternal', { method: c.req.method, path: c.req.routePath, error: err.name, message: err.message.slice(0, 200) });
    return c.json(ConsoleErrorBody.parse({ error: 'internal', message: 'internal server error; try again' }), 500);
  });
  api.use('*', async (c, next) => {
    await next();
    c.header('Cache-Control', 'no-store');
  });
  api.use(
    '*',
    bodyLimit({ maxSize: MAX_BODY_BYTES, onError: () => Promise.reject(consoleError('invalidRequest', 'request body too large')) }),
  );
  api.use('*', sameOriginOnly(ctx));

  // ------------------------------------------------------------ open routes

  api.get('/config', (c) => reply(c, PublicConfig, { sso: ctx.settings.oidc !== null }));

  api.get('/session', async (c) => {
    const signed = await currentSession(ctx, c);
    if (!signed) throw consoleError('unauthenticated', 'not signed in');
    return reply(c, SessionView, sessionView(ctx, signed));
  });

  api.post('/session', async (c) => {
    const { email, password } = await body(c, LoginRequest);
    return reply(c, SessionView, sessionView(ctx, await signInWithPassword(ctx, c, email, password)));
  });

  api.post('/password', async (c) => {
    const decision = await ctx.limiter.consume(LINK_ADDRESS_RULE, clientAddress(c, ctx.settings.trustProxy));
    if (!decision.allowed)
      throw consoleError('tooManyAttempts', 'too many attempts; wait and try again', { retryAfterSeconds: decision.retryAfterSeconds });
    const { token, password } = await body(c, SetPasswordRequest);
    await setPasswordWithLink(ctx.storage, token, password, ctx.now());
    clearSessionCookie(ctx, c);
    return reply(c, Ok, { ok: true });
  });

  // A top-level navigation (no fetch): errors become a message on the sign-in page.
  api.get('/sso/start', async (c) => {
    try {
      return c.redirect((await startSso(ctx, baseUrl(c))).href, 302);
    } catch (e) {
      if (!(e instanceof ConsoleError)) throw e;
      return c.redirect(`/kommune/#/signin?sso=${e.body.error}`, 302);
    }
  });

  api.get('/sso/callback', async (c) => {
    try {
      const callback = new URL(c.req.url);
      // The provider redirected to our public address; check the code against that same address.
      const publicCallback = new URL(`${baseUrl(c)}/kommune/api/sso/callback${callback.search}`);
      const account = await finishSso(ctx, publicCallback);
      await startSession(ctx, c, account, 'sso');
      return c.redirect('/kommune/#/', 302);
    } catch (e) {
      if (!(e instanceof ConsoleError)) throw e;
      return c.redirect(`/kommune/#/signin?sso=${e.body.error}`, 302);
    }
  });

  // ------------------------------------------------------- signed-in routes

  const my = new Hono<ConsoleEnv>();
  my.use('*', signedIn(ctx));

  my.post('/signout', async (c) => {
    await ctx.storage.write((tx) => tx.console.deleteSession(c.var.signed.session.idHash));
    clearSessionCookie(ctx, c);
    return reply(c, Ok, { ok: true });
  });

  my.post('/signout-everywhere', async (c) => {
    const now = ctx.now();
    const { account } = c.var.signed;
    await ctx.storage.write(async (tx) => {
      const ended = await tx.console.deleteSessionsOf(account.id);
      await audit(tx, now, actorOf(c), 'session.signOutEverywhere', { type: 'account', id: account.id }, { sessions: ended });
    });
    clearSessionCookie(ctx, c);
    return reply(c, Ok, { ok: true });
  });

  my.post('/me/password', async (c) => {
    const { currentPassword, newPassword } = await body(c, ChangePasswordRequest);
    const { account, session } = c.var.signed;
    if (!(await verifyPassword(currentPassword, account.passwordHash)))
      throw consoleError('badCredentials', 'the current password is wrong');
    const hash = await hashPassword(newPassword);
    const now = ctx.now();
    await ctx.storage.write(async (tx) => {
      await tx.console.updateAccount(account.id, { passwordHash: hash });
      // Every other session ends (someone else may know the old password); this one goes on.
      await tx.console.deleteSessionsOf(account.id);
      await tx.console.insertSession(session);
      await audit(tx, now, actorOf(c), 'account.passwordChange', { type: 'account', id: account.id });
    });
    return reply(c, Ok, { ok: true });
  });

  // Units: every role reads the units it may read; administrators change them.
  my.get('/units', async (c) => reply(c, UnitList, { units: await unitViews(ctx, c.var.signed.account) }));

  my.post('/units', async (c) => {
    need(c, 'manageUnits');
    const input = await body(c, CreateUnitRequest);
    const id = await addUnit(ctx, actorOf(c), input);
    const unit = (await unitViews(ctx, c.var.signed.account)).find((u) => u.id === id)!;
    return reply(c, UnitList, { units: [unit] }, 201);
  });

  my.patch('/units/:id', async (c) => {
    need(c, 'manageUnits');
    const id = parse(Id, c.req.param('id'));
    const { name } = await body(c, RenameUnitRequest);
    await changeUnitName(ctx, actorOf(c), id, name);
    return reply(c, Ok, { ok: true });
  });

  my.post('/units/:id/codes', async (c) => {
    need(c, 'manageUnits');
    const id = parse(Id, c.req.param('id'));
    const { ttlHours } = await body(c, CreateCodeRequest);
    return reply(c, EnrollmentSheet, await newEnrollmentSheet(ctx, actorOf(c), id, ttlHours, baseUrl(c)), 201);
  });

  my.get('/devices', async (c) => {
    need(c, 'manageTablets');
    const devices = await ctx.storage.read((tx) => tx.listDevices());
    return reply(c, DeviceList, { devices: devices.map(deviceView) });
  });

  my.post('/devices/:id/revoke', async (c) => {
    need(c, 'manageTablets');
    await revokeTablet(ctx, actorOf(c), parse(Id, c.req.param('id')));
    return reply(c, Ok, { ok: true });
  });

  my.get('/accounts', async (c) => {
    need(c, 'manageAccounts');
    return reply(c, AccountList, { accounts: (await ctx.storage.read((tx) => tx.console.listAccounts())).map(accountView) });
  });

  my.post('/accounts', async (c) => {
    need(c, 'manageAccounts');
    const input = await body(c, CreateAccountRequest);
    return reply(c, CreatedAccount, await createAccount(ctx.storage, input, actorOf(c), ctx.now(), baseUrl(c)), 201);
  });

  my.patch('/accounts/:id', async (c) => {
    need(c, 'manageAccounts');
    const id = parse(Id, c.req.param('id'));
    const change = await body(c, UpdateAccountRequest);
    return reply(c, AccountList, { accounts: [await updateAccount(ctx.storage, id, change, actorOf(c), ctx.now())] });
  });

  my.post('/accounts/:id/reset-link', async (c) => {
    need(c, 'manageAccounts');
    const id = parse(Id, c.req.param('id'));
    return reply(c, PasswordLink, await issueResetLink(ctx.storage, id, actorOf(c), ctx.now(), baseUrl(c)), 201);
  });

  my.get('/audit', async (c) => {
    need(c, 'readAudit');
    const before = parse(z.coerce.number().int().min(1).default(Number.MAX_SAFE_INTEGER), c.req.query('before') || undefined);
    const limit = 100;
    const rows = await ctx.storage.read((tx) => tx.console.listAudit(before, limit + 1));
    return reply(c, AuditPage, {
      entries: rows.slice(0, limit).map(auditView),
      nextBefore: rows.length > limit ? rows[limit - 1]!.id : null,
    });
  });

  my.get('/overview', async (c) => {
    const scope = await scopeFor(ctx, c.var.signed.account, figuresQuery(c, ctx.now()));
    return reply(c, Overview, await overviewFor(ctx, scope));
  });

  my.get('/report', async (c) => {
    const scope = await scopeFor(ctx, c.var.signed.account, figuresQuery(c, ctx.now()));
    return reply(c, Report, await reportFor(ctx, scope));
  });

  my.get('/export.csv', async (c) => {
    const { period, unitIds } = figuresQuery(c, ctx.now());
    const query = parse(ExportQuery, {
      period,
      unitIds,
      dataset: c.req.query('dataset'),
      language: c.req.query('language') || undefined,
      withoutNames: c.req.query('withoutNames') === '1' || c.req.query('withoutNames') === 'true',
    });
    const scope = await scopeFor(ctx, c.var.signed.account, query);
    const now = ctx.now();
    // Exports carry personal data: who took which out is worth a line in the audit log.
    await ctx.storage.write((tx) =>
      audit(
        tx,
        now,
        actorOf(c),
        'export.csv',
        { type: 'export', id: null },
        {
          dataset: query.dataset,
          from: period.from,
          to: period.to,
          units: scope.units.length,
          withoutNames: query.withoutNames,
        },
      ),
    );
    return c.body(exportCsv(ctx, scope, query), 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${exportFileName(query.dataset, period)}"`,
    });
  });

  // Personal data (GDPR): find, export and erase a person's name; delete a photo (personalData.ts).
  my.get('/personal-data/search', async (c) => {
    need(c, 'managePersonalData');
    const { q } = parse(SearchQuery, { q: c.req.query('q') ?? '' });
    return reply(c, NameSearch, await findNames(ctx, q));
  });

  const exported = async (c: Context<ConsoleEnv>, format: 'json' | 'csv') => {
    need(c, 'managePersonalData');
    const { name } = parse(PersonQuery, { name: c.req.query('name') ?? '' });
    const now = ctx.now();
    const data = PersonExport.parse(await exportPerson(ctx, name, now));
    await ctx.storage.write((tx) =>
      audit(tx, now, actorOf(c), 'person.export', { type: 'person', id: null }, { format, records: data.records.length }),
    );
    const file = `nedenfra-personopplysninger-${new Date(now).toISOString().slice(0, 10)}.${format}`;
    const headers = { 'Content-Disposition': `attachment; filename="${file}"` };
    if (format === 'json')
      return c.body(JSON.stringify(data, null, 2), 200, { ...headers, 'Content-Type': 'application/json; charset=utf-8' });
    const language = parse(z.enum(['nb', 'nn', 'en']).default('nb'), c.req.query('language') || undefined);
    return c.body(personCsv(data, language), 200, { ...headers, 'Content-Type': 'text/csv; charset=utf-8' });
  };
  my.get('/personal-data/export.json', (c) => exported(c, 'json'));
  my.get('/personal-data/export.csv', (c) => exported(c, 'csv'));

  my.post('/personal-data/erase', async (c) => {
    need(c, 'managePersonalData');
    const { name } = await body(c, EraseRequest);
    return reply(c, EraseResult, await erasePerson(ctx, actorOf(c), name, opts.eraseInBackups ?? (async () => 0)));
  });

  my.get('/personal-data/ideas/:id/photos', async (c) => {
    need(c, 'managePersonalData');
    return reply(c, IdeaPhotos, await ideaPhotos(ctx, parse(Id, c.req.param('id'))));
  });

  my.post('/personal-data/photos/:sha256/delete', async (c) => {
    need(c, 'managePersonalData');
    const sha256 = parse(Sha256, c.req.param('sha256'));
    return reply(c, DeletedPhoto, await deletePhoto(ctx, actorOf(c), sha256));
  });

  // What units tried, for every role: it holds no names (library.ts).
  my.get('/library', async (c) => {
    const query = parse(LibraryQuery, {
      q: c.req.query('q') || undefined,
      kind: c.req.query('kind') || undefined,
      theme: c.req.query('theme') || undefined,
      unitId: c.req.query('unit') || null,
    });
    return reply(c, LibraryPage, await library(ctx, query));
  });

  // The steering group: the inbox of forwarded ideas, meetings and their agendas, decisions (steering.ts).
  my.get('/steering/inbox', async (c) => {
    need(c, 'answerForwarded');
    return reply(c, Inbox, await inbox(ctx));
  });

  my.get('/steering/meetings', async (c) => {
    need(c, 'answerForwarded');
    return reply(c, MeetingList, { meetings: await meetings(ctx) });
  });

  my.post('/steering/meetings', async (c) => {
    need(c, 'answerForwarded');
    const id = await createMeeting(ctx, actorOf(c), await body(c, MeetingInput));
    return reply(c, Meeting, await meeting(ctx, id), 201);
  });

  my.get('/steering/meetings/:id', async (c) => {
    need(c, 'answerForwarded');
    return reply(c, Meeting, await meeting(ctx, parse(Id, c.req.param('id'))));
  });

  my.patch('/steering/meetings/:id', async (c) => {
    need(c, 'answerForwarded');
    const id = parse(Id, c.req.param('id'));
    await changeMeeting(ctx, actorOf(c), id, await body(c, MeetingInput));
    return reply(c, Meeting, await meeting(ctx, id));
  });

  my.post('/steering/meetings/:id/agenda', async (c) => {
    need(c, 'answerForwarded');
    const id = parse(Id, c.req.param('id'));
    await addToAgenda(ctx, actorOf(c), id, (await body(c, AgendaRequest)).ideaId);
    return reply(c, Meeting, await meeting(ctx, id));
  });

  my.post('/steering/meetings/:id/agenda/:ideaId/remove', async (c) => {
    need(c, 'answerForwarded');
    const id = parse(Id, c.req.param('id'));
    await removeFromAgenda(ctx, actorOf(c), id, parse(Id, c.req.param('ideaId')));
    return reply(c, Meeting, await meeting(ctx, id));
  });

  my.post('/steering/decisions', async (c) => {
    need(c, 'answerForwarded');
    return reply(c, SteeringDecisionReply, { decision: await draftAnswer(ctx, actorOf(c), await body(c, SteeringDraftRequest)) }, 201);
  });

  my.patch('/steering/decisions/:id', async (c) => {
    need(c, 'answerForwarded');
    const id = parse(Id, c.req.param('id'));
    return reply(c, SteeringDecisionReply, { decision: await editDraft(ctx, actorOf(c), id, await body(c, SteeringEditRequest)) });
  });

  my.post('/steering/decisions/:id/publish', async (c) => {
    need(c, 'answerForwarded');
    const id = parse(Id, c.req.param('id'));
    return reply(c, SteeringDecisionReply, { decision: await publishAnswer(ctx, actorOf(c), id, await body(c, SteeringPublishRequest)) });
  });

  my.post('/steering/decisions/:id/delete', async (c) => {
    need(c, 'answerForwarded');
    await deleteDraft(ctx, actorOf(c), parse(Id, c.req.param('id')));
    return reply(c, Ok, { ok: true });
  });

  api.route('/', my);
  api.all('*', () => {
    throw consoleError('notFound', 'no such endpoint');
  });
  return api;
}
