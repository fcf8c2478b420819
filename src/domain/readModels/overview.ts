/**
 * The steering group's overview, as pure functions: from the storage's
 * aggregates (counted in SQL over record facts, see facts.ts) to the figures
 * the console draws, per unit and for the whole municipality. The rules of
 * the method live here, not in SQL: where an idea stands in the funnel, what
 * counts as answered within the unit's promise, who is overloaded.
 */
import { z } from 'zod';
import { ChangeKind } from '../common';
import { Id } from '../ids';
import { DecisionOutcome } from '../records/evaluation';
import type { IdeaStatus } from '../records/idea';
import { DECIDED_STATUSES } from '../rules/decision';
import { DAY_MS, Month, monthsBetween, Period } from './time';

/**
 * The funnel, in order. Each stage counts the ideas that got at least that
 * far. "New practice" is reached when a follow-up closed the change as the
 * new practice (the idea's status is then `practice`, rules/ideaStatus.ts); a
 * change that was stopped got as far as adopted or pilot.
 */
export const FUNNEL_STAGES = ['new', 'evaluated', 'decided', 'adoptedOrPilot', 'newPractice'] as const;
export type FunnelStage = (typeof FUNNEL_STAGES)[number];

export interface IdeaProgress {
  status: string;
  /** At least one evaluation was recorded. */
  evaluated: boolean;
}

/** Adopted or piloted, whether the change is still open or was stopped. */
const CHANGED: ReadonlySet<string> = new Set<IdeaStatus>(['adopted', 'pilot', 'stopped']);
const DECIDED: ReadonlySet<string> = new Set(DECIDED_STATUSES);

/** The furthest funnel stage an idea reached. */
export function furthestStage(p: IdeaProgress): FunnelStage {
  if (p.status === 'practice') return 'newPractice';
  if (CHANGED.has(p.status)) return 'adoptedOrPilot';
  if (DECIDED.has(p.status)) return 'decided';
  if (p.evaluated || p.status !== 'new') return 'evaluated';
  return 'new';
}

/** What the storage counts (see SyncStorage's console reads); every list may omit zero rows. */
export interface OverviewAggregates {
  /** Ideas created in the period, per unit and Oslo month. */
  ideasByMonth: Array<{ unitId: string; month: string; count: number }>;
  /** Ideas created in the period by where they stand; kind = the evaluators' latest, else the bearer's. */
  ideaCube: Array<{ unitId: string; status: string; evaluated: boolean; kind: string | null; count: number }>;
  /** Prompt sessions started in the period and the people present. */
  sessions: Array<{ unitId: string; count: number; people: number }>;
  /** Ideas whose first published decision falls in the period, by days to that answer (see answerDays). */
  answerDays: Array<{ unitId: string; days: number; count: number }>;
  /** Decisions published in the period, by outcome. */
  outcomes: Array<{ unitId: string; outcome: string; count: number }>;
  /** Ideas adopted or in pilot now, their change still open. */
  activeChanges: Array<{ unitId: string; count: number }>;
  /** Ideas without a published decision, past their unit's promise now. */
  overdue: Array<{ unitId: string; count: number }>;
  /** The most overdue of them first (earliest deadline), at most OVERDUE_LIST_MAX. */
  overdueList: Array<{ ideaId: string; unitId: string; createdAt: number; text: string }>;
}

export const OVERDUE_LIST_MAX = 200;

/** The aggregates one by one: each is one read of its own, so a database with several connections may run them at once. */
export const OVERVIEW_PARTS = [
  'ideasByMonth',
  'ideaCube',
  'sessions',
  'answerDays',
  'outcomes',
  'activeChanges',
  'overdue',
  'overdueList',
] as const satisfies ReadonlyArray<keyof OverviewAggregates>;
export type OverviewPart = (typeof OVERVIEW_PARTS)[number];

export const KindKey = z.enum([...ChangeKind.options, 'unclassified']);
export type KindKey = z.infer<typeof KindKey>;

const Count = z.number().int().min(0);

export const Figures = z.object({
  ideas: Count,
  ideasByMonth: z.array(Count),
  sessions: Count,
  sessionPeople: Count,
  funnel: z.object({ new: Count, evaluated: Count, decided: Count, adoptedOrPilot: Count, newPractice: Count }),
  answered: Count,
  /** Median days from idea to first published decision, of the ideas answered in the period. */
  medianAnswerDays: z.number().min(0).nullable(),
  answeredWithinPromise: Count,
  /** answeredWithinPromise / answered, 0–1; null when nothing was answered. */
  withinPromiseShare: z.number().min(0).max(1).nullable(),
  overdueNow: Count,
  activeChanges: Count,
  outcomes: z.record(DecisionOutcome, Count),
  kinds: z.record(KindKey, Count),
});
export type Figures = z.infer<typeof Figures>;

export const OverviewUnit = z.object({
  id: Id,
  name: z.string(),
  municipality: z.string(),
  responseTargetDays: z.number().int(),
  activeChangeLimit: z.number().int(),
  /** More active changes than the unit's limit. */
  overloaded: z.boolean(),
  figures: Figures,
});
export type OverviewUnit = z.infer<typeof OverviewUnit>;

export const OverdueIdea = z.object({
  ideaId: Id,
  unitId: Id,
  unitName: z.string(),
  createdAt: z.number(),
  daysOverdue: Count,
  text: z.string(),
});
export type OverdueIdea = z.infer<typeof OverdueIdea>;

export const Overview = z.object({
  period: Period,
  months: z.array(Month),
  generatedAt: z.number(),
  units: z.array(OverviewUnit),
  total: Figures,
  overloadedUnits: Count,
  overdue: z.array(OverdueIdea),
  /** More overdue ideas exist than the list shows. */
  overdueTruncated: z.boolean(),
});
export type Overview = z.infer<typeof Overview>;

export interface OverviewUnitInput {
  id: string;
  name: string;
  municipality: string;
  responseTargetDays: number;
  activeChangeLimit: number;
}

/** The median of values given as a histogram (value → how often); null for none. */
export function histogramMedian(histogram: ReadonlyArray<{ value: number; count: number }>): number | null {
  const sorted = histogram.filter((h) => h.count > 0).sort((a, b) => a.value - b.value);
  const n = sorted.reduce((s, h) => s + h.count, 0);
  if (n === 0) return null;
  const at = (k: number) => {
    let seen = 0;
    for (const h of sorted) {
      seen += h.count;
      if (k < seen) return h.value;
    }
    return sorted[sorted.length - 1]!.value;
  };
  return n % 2 === 1 ? at((n - 1) / 2) : (at(n / 2 - 1) + at(n / 2)) / 2;
}

function emptyFigures(months: number): Figures {
  return {
    ideas: 0,
    ideasByMonth: Array.from({ length: months }, () => 0),
    sessions: 0,
    sessionPeople: 0,
    funnel: { new: 0, evaluated: 0, decided: 0, adoptedOrPilot: 0, newPractice: 0 },
    answered: 0,
    medianAnswerDays: null,
    answeredWithinPromise: 0,
    withinPromiseShare: null,
    overdueNow: 0,
    activeChanges: 0,
    outcomes: Object.fromEntries(DecisionOutcome.options.map((o) => [o, 0])) as Figures['outcomes'],
    kinds: Object.fromEntries(KindKey.options.map((k) => [k, 0])) as Figures['kinds'],
  };
}

const kindKey = (kind: string | null): KindKey => (KindKey.safeParse(kind).success ? (kind as KindKey) : 'unclassified');

/**
 * Figures for each readable unit and for them together. `units` are the
 * units to show (already limited to what the account may read); aggregate
 * rows of other units are ignored.
 */
export function buildOverview(input: {
  period: Period;
  units: readonly OverviewUnitInput[];
  aggregates: OverviewAggregates;
  now: number;
}): Overview {
  const { period, aggregates: a, now } = input;
  const months = monthsBetween(period.from, period.to);
  const monthIndex = new Map(months.map((m, i) => [m, i]));
  const byId = new Map(input.units.map((u) => [u.id, { unit: u, figures: emptyFigures(months.length) }]));
  const total = emptyFigures(months.length);
  const each = (unitId: string, fn: (f: Figures) => void) => {
    const entry = byId.get(unitId);
    if (!entry) return;
    fn(entry.figures);
    fn(total);
  };

  for (const r of a.ideasByMonth) {
    const i = monthIndex.get(r.month);
    if (i !== undefined) each(r.unitId, (f) => void (f.ideasByMonth[i]! += r.count));
  }
  const stageRank = (s: FunnelStage) => FUNNEL_STAGES.indexOf(s);
  for (const r of a.ideaCube) {
    const reached = stageRank(furthestStage(r));
    each(r.unitId, (f) => {
      f.ideas += r.count;
      for (const stage of FUNNEL_STAGES) if (stageRank(stage) <= reached) f.funnel[stage] += r.count;
      f.kinds[kindKey(r.kind)] += r.count;
    });
  }
  for (const r of a.sessions)
    each(r.unitId, (f) => {
      f.sessions += r.count;
      f.sessionPeople += r.people;
    });
  const histograms = new Map<Figures, Array<{ value: number; count: number }>>();
  for (const r of a.answerDays) {
    const entry = byId.get(r.unitId);
    if (!entry) continue;
    const within = r.days <= entry.unit.responseTargetDays ? r.count : 0;
    for (const f of [entry.figures, total]) {
      f.answered += r.count;
      f.answeredWithinPromise += within;
      const h = histograms.get(f) ?? [];
      h.push({ value: r.days, count: r.count });
      histograms.set(f, h);
    }
  }
  for (const [f, h] of histograms) {
    f.medianAnswerDays = histogramMedian(h);
    f.withinPromiseShare = f.answered > 0 ? f.answeredWithinPromise / f.answered : null;
  }
  for (const r of a.outcomes) {
    const outcome = DecisionOutcome.safeParse(r.outcome);
    if (outcome.success) each(r.unitId, (f) => void (f.outcomes[outcome.data] += r.count));
  }
  for (const r of a.activeChanges) each(r.unitId, (f) => void (f.activeChanges += r.count));
  for (const r of a.overdue) each(r.unitId, (f) => void (f.overdueNow += r.count));

  const units = [...byId.values()].map(({ unit, figures }) => ({
    ...unit,
    overloaded: figures.activeChanges > unit.activeChangeLimit,
    figures,
  }));
  const overdue = a.overdueList.flatMap((o) => {
    const entry = byId.get(o.unitId);
    if (!entry) return [];
    const deadline = o.createdAt + entry.unit.responseTargetDays * DAY_MS;
    return [
      {
        ideaId: o.ideaId,
        unitId: o.unitId,
        unitName: entry.unit.name,
        createdAt: o.createdAt,
        daysOverdue: Math.max(0, Math.floor((now - deadline) / DAY_MS)),
        text: o.text,
      },
    ];
  });
  return Overview.parse({
    period,
    months,
    generatedAt: now,
    units,
    total,
    overloadedUnits: units.filter((u) => u.overloaded).length,
    overdue,
    overdueTruncated: total.overdueNow > overdue.length,
  });
}
