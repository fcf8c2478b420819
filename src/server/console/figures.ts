/**
 * The overview and the steering-group report for one account and query:
 * which units it may read (roles.ts), the storage's aggregates over record
 * facts for that period and those units, and the domain's read-model
 * functions that turn them into figures.
 */
import { changeOf, FollowUp, Unit, UnitDecision } from '../../domain';
import { REPORT_LIST_MAX, Report } from '../../domain/console/api';
import { readableUnitIds } from '../../domain/console/roles';
import { buildOverview, OVERDUE_LIST_MAX, OVERVIEW_PARTS, type Overview, type OverviewAggregates } from '../../domain/readModels/overview';
import { periodRange, type Period } from '../../domain/readModels/time';
import type { AccountRow, FactFilter, FactRecord, ReportChangeRow, ReportDecisionRow } from '../storage/types';
import type { ConsoleContext } from './context';
import { consoleError } from './errors';

export interface Scope {
  period: Period;
  /** The units counted, in name order. */
  units: Unit[];
  filter: FactFilter;
}

export async function listUnitRecords(ctx: ConsoleContext): Promise<Unit[]> {
  const rows = await ctx.storage.read((tx) => tx.listRecords('units'));
  return rows
    .filter((r) => !r.deleted)
    .flatMap((r) => {
      const unit = Unit.safeParse(r.data);
      return unit.success ? [unit.data] : [];
    })
    .sort((a, b) => a.name.localeCompare(b.name, 'nb') || a.id.localeCompare(b.id));
}

/** The units and instants a query covers for this account; asking for a unit it may not read is refused. */
export async function scopeFor(ctx: ConsoleContext, account: AccountRow, query: { period: Period; unitIds: string[] }): Promise<Scope> {
  const all = await listUnitRecords(ctx);
  const readable = new Set(
    readableUnitIds(
      account,
      all.map((u) => u.id),
    ),
  );
  if (query.unitIds.some((id) => !readable.has(id))) throw consoleError('forbidden', 'you may not read that unit');
  const chosen = query.unitIds.length > 0 ? new Set(query.unitIds) : readable;
  const units = all.filter((u) => chosen.has(u.id));
  const { start, end } = periodRange(query.period);
  // Every unit: no filter in SQL (cheaper); otherwise exactly the chosen ones (possibly none).
  const unitIds = units.length === all.length && all.length > 0 ? null : units.map((u) => u.id);
  return { period: query.period, units, filter: { start, end, unitIds } };
}

/**
 * The aggregates the overview needs. PostgreSQL runs them side by side, each
 * on a pooled connection (bench P9: the request waits for the slowest, not
 * the sum); they are then not one snapshot, which a live dashboard can bear.
 * SQLite has one reader, so it reads them in one transaction.
 */
async function aggregatesFor(ctx: ConsoleContext, filter: FactFilter, now: number): Promise<OverviewAggregates> {
  if (ctx.storage.kind === 'sqlite') return ctx.storage.read((tx) => tx.console.overviewAggregates(filter, now, OVERDUE_LIST_MAX));
  const parts: Array<[string, unknown]> = await Promise.all(
    OVERVIEW_PARTS.map(async (part) => [
      part,
      await ctx.storage.readOne((tx) => tx.console.overviewPart(part, filter, now, OVERDUE_LIST_MAX)),
    ]),
  );
  return Object.fromEntries(parts) as unknown as OverviewAggregates;
}

export async function overviewFor(ctx: ConsoleContext, scope: Scope): Promise<Overview> {
  const now = ctx.now();
  const aggregates = await aggregatesFor(ctx, scope.filter, now);
  return buildOverview({ period: scope.period, units: scope.units, aggregates, now });
}

const text = (v: unknown) => (typeof v === 'string' ? v : '');
const ideaText = (r: FactRecord) => text(r.data.impossibleNow);

export async function reportFor(ctx: ConsoleContext, scope: Scope): Promise<Report> {
  const overview = await overviewFor(ctx, scope);
  const names = new Map(scope.units.map((u) => [u.id, u.name]));
  const { forwarded, decisions, changes, followUps } = await ctx.storage.read(async (tx) => {
    const changes = await tx.console.activeChanges(scope.filter.unitIds, REPORT_LIST_MAX + 1);
    return {
      forwarded: await tx.console.forwardedIdeas(scope.filter.unitIds, REPORT_LIST_MAX + 1),
      decisions: await tx.console.publishedDecisions(scope.filter, REPORT_LIST_MAX + 1),
      changes,
      followUps: await tx.listByIdea(
        ['followUps'],
        changes.map((c) => c.idea.id),
      ),
    };
  });
  // A change's next follow-up: what its latest follow-up set, else the decision's date (rules/change.ts).
  const followUpsOf = new Map<string, FollowUp[]>();
  for (const r of followUps) {
    const parsed = FollowUp.safeParse(r.data);
    if (!r.deleted && parsed.success) followUpsOf.set(parsed.data.ideaId, [...(followUpsOf.get(parsed.data.ideaId) ?? []), parsed.data]);
  }
  const nextFollowUp = (c: ReportChangeRow): string | null => {
    const decision = UnitDecision.safeParse(c.decision?.data);
    if (!decision.success) return null;
    return changeOf([decision.data], followUpsOf.get(c.idea.id) ?? [])?.nextFollowUp ?? null;
  };
  const idea = (r: FactRecord) => ({
    ideaId: r.id,
    unitId: r.unitId,
    unitName: names.get(r.unitId) ?? '',
    createdAt: r.at,
    text: ideaText(r),
  });
  const decision = (r: ReportDecisionRow) => ({
    ...idea(r.idea),
    decisionId: r.decision.id,
    publishedAt: r.decision.at,
    outcome: r.decision.data.outcome,
    rationale: text(r.decision.data.rationale),
  });
  const truncated = [forwarded, decisions, changes].some((list) => list.length > REPORT_LIST_MAX);
  return Report.parse({
    overview,
    forwarded: forwarded.slice(0, REPORT_LIST_MAX).map(decision),
    decisions: decisions.slice(0, REPORT_LIST_MAX).map(decision),
    changes: changes.slice(0, REPORT_LIST_MAX).map((c) => ({
      ...idea(c.idea),
      outcome: c.idea.data.status === 'pilot' ? 'pilot' : 'adopt',
      decidedAt: c.decision?.at ?? null,
      step: c.step,
      followUpDate: nextFollowUp(c),
    })),
    truncated,
  });
}
