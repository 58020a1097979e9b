import { describe, expect, it } from 'vitest';
import type { CalendarPeriod, CampaignView, ObligationOccurrence } from '../../api/client.ts';
import { listOverduePeriods, listUpcoming, todayInTaipei } from './due-lists.ts';

const period = (cycle: CalendarPeriod['cycle'], id: string, due: string): CalendarPeriod => ({ cycle, id, start: `${id.slice(0, 4)}-01-01`, end: due, due });
const obligation = (obligationId: string, due: string): ObligationOccurrence => ({
  obligationId, title: obligationId, titleEn: obligationId, frequency: 'annual', periodId: '2026', periodStart: '2026-01-01', periodEnd: '2026-12-31',
  due, itemIds: [], reason: '', reasonEn: '',
} as unknown as ObligationOccurrence);
const campaign = (cycle: CampaignView['cycle'], periodId: string, status: CampaignView['status'], createdAt = '2026-01-01T00:00:00Z') =>
  ({ id: `${cycle}-${periodId}-${status}`, cycle, period: periodId, status, createdAt } as unknown as CampaignView);

describe('upcoming list', () => {
  it('keeps periods and obligations due from today up to 60 days later, soonest first, each once', () => {
    const periods = [period('monthly', '2026-03', '2026-04-10'), period('monthly', '2026-02', '2026-03-10'), period('annual', '2026', '2027-01-31'),
      period('monthly', '2026-03', '2026-04-10')];
    const upcoming = listUpcoming(periods, [obligation('board', '2026-05-19'), obligation('late', '2026-05-21')], '2026-03-20');
    expect(upcoming.map((entry) => [entry.kind, entry.due, entry.daysLeft])).toEqual([
      ['period', '2026-04-10', 21],
      ['obligation', '2026-05-19', 60],
    ]);
  });

  it('counts a period due today as upcoming, not overdue', () => {
    const today = '2026-04-10';
    const periods = [period('monthly', '2026-03', today)];
    expect(listUpcoming(periods, [], today)).toHaveLength(1);
    expect(listOverduePeriods(periods, [], today)).toEqual([]);
  });
});

describe('overdue periods', () => {
  it('lists past periods without an approved campaign, most overdue first, with the open campaign if any', () => {
    const periods = [period('monthly', '2026-01', '2026-02-10'), period('monthly', '2026-02', '2026-03-10'), period('semiannual', '2025-H2', '2026-01-31'),
      period('quarterly', '2025-Q4', '2026-01-15'), period('annual', '2024', '2025-01-31')];
    const campaigns = [campaign('monthly', '2026-01', 'approved'), campaign('monthly', '2026-02', 'in_review')];
    const overdue = listOverduePeriods(periods, campaigns, '2026-03-20');
    expect(overdue.map((entry) => [entry.period.cycle, entry.period.id, entry.daysOverdue, entry.campaign?.status ?? null])).toEqual([
      ['semiannual', '2025-H2', 48, null],
      ['monthly', '2026-02', 10, 'in_review'],
    ]);
  });
});

describe('today in Taiwan', () => {
  it('is already the next day from 16:00 UTC', () => {
    expect(todayInTaipei(new Date('2026-11-21T15:59:00Z'))).toBe('2026-11-21');
    expect(todayInTaipei(new Date('2026-11-21T16:00:00Z'))).toBe('2026-11-22');
  });
});
