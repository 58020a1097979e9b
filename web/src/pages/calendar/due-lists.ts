/**
 * What the calendar page lists above the year: what falls due in the next days (inspection periods and
 * statutory obligations), and the inspection periods whose due date passed without an approved
 * self-inspection (campaign) for that cycle and period.
 */
import type { CalendarPeriod, CampaignView, ObligationOccurrence } from '../../api/client.ts';
import { todayInTaipei } from '../../components/taiwan-date.ts';

export const UPCOMING_DAYS = 60;
/** Overdue periods are looked for this far back (a year of monthly, semi-annual and annual periods). */
export const OVERDUE_LOOKBACK_DAYS = 365;

export interface UpcomingEntry {
  key: string;
  kind: 'period' | 'obligation';
  due: string;
  daysLeft: number;
  period?: CalendarPeriod;
  obligation?: ObligationOccurrence;
}

export interface OverduePeriod {
  period: CalendarPeriod;
  daysOverdue: number;
  /** The newest campaign of that cycle and period that is not approved yet, if any. */
  campaign: CampaignView | null;
}

export { todayInTaipei };

/** Days from `from` to `to` (both YYYY-MM-DD), counted in whole calendar days. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** The same period may come from two years' calendars: keep one per cycle and id. */
function uniquePeriods(periods: CalendarPeriod[]): CalendarPeriod[] {
  return [...new Map(periods.map((period) => [`${period.cycle}:${period.id}`, period])).values()];
}

/** Periods and obligations due from `today` up to `days` days later, soonest first. */
export function listUpcoming(periods: CalendarPeriod[], obligations: ObligationOccurrence[], today: string, days = UPCOMING_DAYS): UpcomingEntry[] {
  const isUpcoming = (due: string) => {
    const left = daysBetween(today, due);
    return left >= 0 && left <= days;
  };
  const fromPeriods: UpcomingEntry[] = uniquePeriods(periods).filter((period) => isUpcoming(period.due)).map((period) => ({
    key: `period:${period.cycle}:${period.id}`, kind: 'period', due: period.due, daysLeft: daysBetween(today, period.due), period,
  }));
  const seen = new Set<string>();
  const fromObligations: UpcomingEntry[] = [];
  for (const obligation of obligations) {
    const key = `obligation:${obligation.obligationId}:${obligation.periodId}`;
    if (!seen.has(key) && isUpcoming(obligation.due)) {
      seen.add(key);
      fromObligations.push({ key, kind: 'obligation', due: obligation.due, daysLeft: daysBetween(today, obligation.due), obligation });
    }
  }
  return [...fromPeriods, ...fromObligations].sort((a, b) => a.due.localeCompare(b.due) || a.key.localeCompare(b.key));
}

/**
 * Inspection periods (monthly, semi-annual, annual: the cycles a campaign can have) due before `today`,
 * within the look-back, that no approved campaign covers; most overdue first.
 */
export function listOverduePeriods(periods: CalendarPeriod[], campaigns: CampaignView[], today: string, lookbackDays = OVERDUE_LOOKBACK_DAYS): OverduePeriod[] {
  const approved = new Set(campaigns.filter((campaign) => campaign.status === 'approved').map((campaign) => `${campaign.cycle}:${campaign.period}`));
  return uniquePeriods(periods)
    .filter((period) => period.cycle !== 'quarterly')
    .map((period) => ({ period, daysOverdue: daysBetween(period.due, today) }))
    .filter(({ period, daysOverdue }) => daysOverdue > 0 && daysOverdue <= lookbackDays && !approved.has(`${period.cycle}:${period.id}`))
    .map(({ period, daysOverdue }) => ({
      period,
      daysOverdue,
      campaign: campaigns
        .filter((campaign) => campaign.cycle === period.cycle && campaign.period === period.id)
        .sort((a, b) => (b.createdAt ?? '').localeCompare(a.createdAt ?? ''))[0] ?? null,
    }))
    .sort((a, b) => b.daysOverdue - a.daysOverdue || a.period.id.localeCompare(b.period.id));
}
