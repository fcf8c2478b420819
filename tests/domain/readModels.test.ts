/** The console's pure read-model rules: Oslo months and periods, answer days, the funnel, medians, record facts, roles. */
import { describe, expect, it } from 'vitest';
import { can, readableUnitIds } from '../../src/domain/console/roles';
import { factOf } from '../../src/domain/readModels/facts';
import { buildOverview, furthestStage, histogramMedian } from '../../src/domain/readModels/overview';
import {
  answerDays,
  DAY_MS,
  monthsBetween,
  osloDate,
  osloMonth,
  Period,
  periodRange,
  recentPeriod,
} from '../../src/domain/readModels/time';

describe('time', () => {
  it('puts an instant in its Oslo month, also around midnight and DST', () => {
    expect(osloMonth(Date.UTC(2026, 0, 31, 23, 30))).toBe('2026-02'); // 00:30 in Oslo (UTC+1)
    expect(osloMonth(Date.UTC(2026, 5, 30, 22, 30))).toBe('2026-07'); // 00:30 in Oslo (UTC+2)
    expect(osloMonth(Date.UTC(2026, 5, 30, 21, 59))).toBe('2026-06');
    expect(osloDate(Date.UTC(2026, 11, 31, 23, 0))).toBe('01.01.2027');
  });

  it('a period runs from Oslo midnight of its first month to Oslo midnight after its last', () => {
    const { start, end } = periodRange({ from: '2026-03', to: '2026-10' });
    expect(start).toBe(Date.UTC(2026, 1, 28, 23)); // CET
    expect(end).toBe(Date.UTC(2026, 9, 31, 23)); // November starts in CET again
    expect(periodRange({ from: '2026-04', to: '2026-04' }).start).toBe(Date.UTC(2026, 2, 31, 22)); // CEST
    expect(monthsBetween('2025-11', '2026-02')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(recentPeriod(Date.UTC(2026, 1, 10), 3)).toEqual({ from: '2025-12', to: '2026-02' });
    expect(Period.safeParse({ from: '2026-05', to: '2026-04' }).success).toBe(false);
    expect(Period.safeParse({ from: '2026-13', to: '2026-14' }).success).toBe(false);
  });

  it('answer days are days begun, so "within N days" is answerDays <= N', () => {
    const t = Date.UTC(2026, 0, 1);
    expect(answerDays(t, t)).toBe(0);
    expect(answerDays(t, t + 2 * 3_600_000)).toBe(1);
    expect(answerDays(t, t + 30 * DAY_MS)).toBe(30);
    expect(answerDays(t, t + 30 * DAY_MS + 1)).toBe(31);
    expect(answerDays(t, t - DAY_MS)).toBe(0);
  });
});

describe('overview rules', () => {
  it('the funnel stage an idea reached', () => {
    expect(furthestStage({ status: 'new', evaluated: false })).toBe('new');
    expect(furthestStage({ status: 'new', evaluated: true })).toBe('evaluated');
    expect(furthestStage({ status: 'underEvaluation', evaluated: false })).toBe('evaluated');
    expect(furthestStage({ status: 'declined', evaluated: false })).toBe('decided');
    expect(furthestStage({ status: 'pilot', evaluated: true })).toBe('adoptedOrPilot');
    expect(furthestStage({ status: 'adopted', evaluated: true })).toBe('adoptedOrPilot');
    // A follow-up closed the change: as the new practice (the top of the funnel), or stopped (it got as far as adopted).
    expect(furthestStage({ status: 'practice', evaluated: true })).toBe('newPractice');
    expect(furthestStage({ status: 'stopped', evaluated: false })).toBe('adoptedOrPilot');
  });

  it('medians from histograms', () => {
    expect(histogramMedian([])).toBeNull();
    expect(histogramMedian([{ value: 5, count: 1 }])).toBe(5);
    expect(
      histogramMedian([
        { value: 9, count: 1 },
        { value: 1, count: 1 },
      ]),
    ).toBe(5);
    expect(
      histogramMedian([
        { value: 3, count: 2 },
        { value: 10, count: 1 },
        { value: 1, count: 0 },
      ]),
    ).toBe(3);
    expect(
      histogramMedian([
        { value: 2, count: 2 },
        { value: 4, count: 2 },
      ]),
    ).toBe(3);
  });

  it('builds per-unit and total figures, ignores units it was not asked for, flags overload', () => {
    const unit = (id: string, limit: number) => ({ id, name: id, municipality: 'K', responseTargetDays: 30, activeChangeLimit: limit });
    const a = '01900000-0000-7000-8000-00000000000a';
    const b = '01900000-0000-7000-8000-00000000000b';
    const hidden = '01900000-0000-7000-8000-00000000000c';
    const overview = buildOverview({
      period: { from: '2026-01', to: '2026-02' },
      units: [unit(a, 1), unit(b, 3)],
      now: Date.UTC(2026, 2, 1),
      aggregates: {
        ideasByMonth: [
          { unitId: a, month: '2026-02', count: 2 },
          { unitId: hidden, month: '2026-02', count: 50 },
          { unitId: b, month: '2025-12', count: 9 },
        ],
        ideaCube: [
          { unitId: a, status: 'practice', evaluated: true, kind: 'social', count: 1 },
          { unitId: a, status: 'new', evaluated: false, kind: null, count: 1 },
          { unitId: hidden, status: 'new', evaluated: false, kind: null, count: 50 },
        ],
        sessions: [{ unitId: b, count: 2, people: 11 }],
        answerDays: [
          { unitId: a, days: 10, count: 1 },
          { unitId: b, days: 40, count: 2 },
        ],
        outcomes: [{ unitId: a, outcome: 'adopt', count: 1 }],
        activeChanges: [
          { unitId: a, count: 2 },
          { unitId: b, count: 3 },
        ],
        overdue: [{ unitId: b, count: 1 }],
        overdueList: [{ ideaId: '01900000-0000-7000-8000-0000000000ff', unitId: b, createdAt: Date.UTC(2026, 0, 1), text: 'x' }],
      },
    });
    expect(overview.months).toEqual(['2026-01', '2026-02']);
    expect(overview.total.ideasByMonth).toEqual([0, 2]);
    expect(overview.total.funnel).toEqual({ new: 2, evaluated: 1, decided: 1, adoptedOrPilot: 1, newPractice: 1 });
    expect(overview.total.kinds).toMatchObject({ social: 1, unclassified: 1 });
    expect(overview.total.answered).toBe(3);
    expect(overview.total.medianAnswerDays).toBe(40);
    expect(overview.total.answeredWithinPromise).toBe(1);
    expect(overview.total.withinPromiseShare).toBeCloseTo(1 / 3);
    expect(overview.units.map((u) => u.overloaded)).toEqual([true, false]);
    expect(overview.overloadedUnits).toBe(1);
    expect(overview.overdue[0]).toMatchObject({ unitName: b, daysOverdue: 29 }); // deadline Jan 31, now Mar 1
    expect(overview.overdueTruncated).toBe(false);
  });
});

describe('record facts', () => {
  const base = { id: '01900000-0000-7000-8000-000000000001', unitId: '01900000-0000-7000-8000-000000000002', deleted: false };
  it('maps each counted table; deleted and other records have none', () => {
    expect(
      factOf({ ...base, table: 'ideas', data: { createdAt: '2026-02-28T23:30:00.000Z', status: 'pilot', kind: 'social' } }),
    ).toMatchObject({
      month: '2026-03',
      state: 'pilot',
      kind: 'social',
      ideaId: null,
    });
    expect(
      factOf({
        ...base,
        table: 'unitDecisions',
        data: { createdAt: '2026-01-01T10:00:00Z', publishedAt: '2026-02-01T10:00:00Z', state: 'published', outcome: 'park', ideaId: 'i' },
      }),
    ).toMatchObject({ at: Date.UTC(2026, 1, 1, 10), state: 'published', outcome: 'park', ideaId: 'i' });
    expect(
      factOf({
        ...base,
        table: 'promptSessions',
        data: { startedAt: '2026-01-01T10:00:00Z', participantCount: null, participantNames: ['a', 'b'] },
      })?.amount,
    ).toBe(2);
    expect(factOf({ ...base, table: 'units', data: { createdAt: '2026-01-01T10:00:00Z', responseTargetDays: 14 } })?.amount).toBe(14);
    expect(factOf({ ...base, table: 'ideas', deleted: true, data: { createdAt: '2026-01-01T10:00:00Z' } })).toBeNull();
    expect(factOf({ ...base, table: 'supports', data: { createdAt: '2026-01-01T10:00:00Z' } })).toBeNull();
    expect(factOf({ ...base, table: 'ideas', data: { createdAt: 'not a date' } })).toBeNull();
  });
});

describe('roles', () => {
  it('administrators manage, advisers read all, unit leaders read their unit', () => {
    expect(can('administrator', 'manageAccounts')).toBe(true);
    expect(can('adviser', 'manageUnits')).toBe(false);
    expect(can('adviser', 'readAllUnits')).toBe(true);
    expect(readableUnitIds({ role: 'unitLeader', unitId: 'b' }, ['a', 'b'])).toEqual(['b']);
    expect(readableUnitIds({ role: 'unitLeader', unitId: null }, ['a', 'b'])).toEqual([]);
    expect(readableUnitIds({ role: 'adviser', unitId: null }, ['a', 'b'])).toEqual(['a', 'b']);
  });
});
