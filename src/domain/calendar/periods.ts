/**
 * Inspection periods and date arithmetic on whole days (YYYY-MM-DD strings, computed in UTC).
 *
 * A fiscal year is named by the calendar year it ends in: with fiscal year end 06-30, fiscal year
 * 2024 runs 2023-07-01 to 2024-06-30, and `2024-H1` is 2023-07-01 to 2023-12-31. Monthly periods keep
 * calendar-month ids (`2023-07` … `2024-06`). The fiscal year end must be a month end (the profile
 * schema enforces it; 02-28 and 02-29 both mean the end of February).
 *
 * Due rule (a product default; the sources say 每月/半年/年度查核 but give no deadline): an
 * inspection period's self-inspection is due on the last day of the month after the period ends.
 */
import type { Cycle } from '../catalog/schema.ts';

export interface InspectionPeriod {
  /** `2024-03` (monthly), `2024-H1` (semiannual), `2024` (annual) or `2024-Q1` (quarterly). */
  id: string;
  cycle: Cycle | 'quarterly';
  start: string;
  end: string;
  due: string;
}

export function formatDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** Last day of a month (month 1–12; overflows roll into the next year). */
export function lastDayOfMonth(year: number, month: number): string {
  return formatDay(new Date(Date.UTC(year, month, 0)));
}

export function firstDayOfMonth(year: number, month: number): string {
  return formatDay(new Date(Date.UTC(year, month - 1, 1)));
}

/** The month a fiscal year ends in, from MM-DD. */
export function fiscalYearEndMonth(fiscalYearEnd: string): number {
  const month = Number(fiscalYearEnd.slice(0, 2));
  if (!/^\d{2}-\d{2}$/.test(fiscalYearEnd) || month < 1 || month > 12) {
    throw new RangeError(`fiscal year end must be MM-DD, got ${fiscalYearEnd}`);
  }
  return month;
}

/**
 * Consecutive fiscal sub-periods of `months` months each, for fiscal year `year`:
 * [startYear, startMonth] of each, as absolute month numbers.
 */
function splitFiscalYear(year: number, fiscalYearEnd: string, months: number): { start: string; end: string }[] {
  const endMonth = fiscalYearEndMonth(fiscalYearEnd);
  // Absolute month index (year * 12 + month - 1) of the fiscal year's first month.
  const firstMonth = year * 12 + endMonth - 12;
  const parts: { start: string; end: string }[] = [];
  for (let offset = 0; offset < 12; offset += months) {
    const startIndex = firstMonth + offset;
    const endIndex = startIndex + months - 1;
    parts.push({
      start: firstDayOfMonth(Math.floor(startIndex / 12), (startIndex % 12) + 1),
      end: lastDayOfMonth(Math.floor(endIndex / 12), (endIndex % 12) + 1),
    });
  }
  return parts;
}

/** Last day of the month after the one `day` falls in. */
export function endOfFollowingMonth(day: string): string {
  return lastDayOfMonth(Number(day.slice(0, 4)), Number(day.slice(5, 7)) + 1);
}

/** Last day of the month `months` months after the month `day` falls in. */
export function endOfMonthAfter(day: string, months: number): string {
  return lastDayOfMonth(Number(day.slice(0, 4)), Number(day.slice(5, 7)) + months);
}

/**
 * Periods of fiscal year `year` for one cycle: 12 monthly, two half-years, four quarters or one
 * year, each with its start, end and due date (end of the following month).
 */
export function buildInspectionPeriods(
  year: number,
  cycle: Cycle | 'quarterly',
  fiscalYearEnd = '12-31',
): InspectionPeriod[] {
  const withDue = (id: string, part: { start: string; end: string }): InspectionPeriod => ({
    id,
    cycle,
    ...part,
    due: endOfFollowingMonth(part.end),
  });
  switch (cycle) {
    case 'monthly':
      return splitFiscalYear(year, fiscalYearEnd, 1).map((part) => withDue(part.start.slice(0, 7), part));
    case 'quarterly':
      return splitFiscalYear(year, fiscalYearEnd, 3).map((part, index) => withDue(`${year}-Q${index + 1}`, part));
    case 'semiannual':
      return splitFiscalYear(year, fiscalYearEnd, 6).map((part, index) => withDue(`${year}-H${index + 1}`, part));
    case 'annual':
      return splitFiscalYear(year, fiscalYearEnd, 12).map((part) => withDue(`${year}`, part));
    default: {
      const exhaustive: never = cycle;
      throw new RangeError(`unknown cycle ${String(exhaustive)}`);
    }
  }
}
