/**
 * A firm's inspection periods in one fiscal year: for each inspection cycle (每月 / 半年 / 年度查核)
 * that some applicable item carries, the periods of that cycle with the section codes they cover
 * (e.g. the monthly periods cover CC-17010 and CC-18000). Each period is judged on its last day with
 * the profile revision and catalog versions in force then.
 *
 * Never a guess: items that need an answer are listed in `pendingItemIds` with the fields to fill in,
 * and a period with such items (or, for half-years and years, an unknown fiscal year end, when the
 * calendar year is assumed) is flagged `needsAnswer`.
 */
import type { Cycle } from '../catalog/schema.ts';
import type { ApplicabilityItem } from '../applicability/evaluate.ts';
import type { FirmProfile } from '../firms/profile.ts';
import { createApplicabilityTimeline, toSources, type ApplicabilityTimeline, type CalendarSources } from './applicability-timeline.ts';
import type { CalendarPeriod } from './build-ics.ts';
import { chooseFiscalYearEnd } from './list-obligations.ts';
import { buildInspectionPeriods } from './periods.ts';

const CYCLE_ORDER: Cycle[] = ['monthly', 'semiannual', 'annual'];

function codesOf(items: readonly ApplicabilityItem[]): string[] {
  return [...new Set(items.map((item) => item.code ?? null).filter((code): code is string => code !== null))].sort();
}

export function listInspectionPeriods(profile: FirmProfile, items: readonly ApplicabilityItem[], fiscalYear: number): CalendarPeriod[];
export function listInspectionPeriods(sources: CalendarSources, fiscalYear: number, timeline?: ApplicabilityTimeline): CalendarPeriod[];
export function listInspectionPeriods(
  first: FirmProfile | CalendarSources,
  second: readonly ApplicabilityItem[] | number,
  third?: number | ApplicabilityTimeline,
): CalendarPeriod[] {
  const isProfileForm = typeof second !== 'number';
  const sources = isProfileForm ? toSources(first, second) : toSources(first);
  const fiscalYear = isProfileForm ? (third as number) : second;
  const timeline = (!isProfileForm ? (third as ApplicabilityTimeline | undefined) : undefined) ?? createApplicabilityTimeline(sources);
  const fiscalYearEnd = chooseFiscalYearEnd(sources, fiscalYear);
  const periods: CalendarPeriod[] = [];
  for (const cycle of CYCLE_ORDER) {
    for (const period of buildInspectionPeriods(fiscalYear, cycle, fiscalYearEnd.fiscalYearEnd)) {
      // Evaluate on the period's last day: an item in force by then is inspected in that period.
      const at = timeline.on(period.end);
      const applying: ApplicabilityItem[] = [];
      const pending: ApplicabilityItem[] = [];
      const missing = new Set<string>();
      at.items.forEach((item, index) => {
        if (item.cycle !== cycle) {
          return;
        }
        const result = at.results[index];
        if (result.verdict === 'applies') {
          applying.push(item);
        } else if (result.verdict === 'needs_answer') {
          pending.push(item);
          result.missingFields.forEach((field) => missing.add(field));
        }
      });
      if (applying.length === 0 && pending.length === 0) {
        continue;
      }
      // Monthly periods are calendar months whatever the fiscal year end.
      if (!fiscalYearEnd.isKnown && cycle !== 'monthly') {
        missing.add('fiscalYearEnd');
      }
      const codes = codesOf(applying);
      periods.push({
        ...period,
        codes,
        itemIds: applying.map((item) => item.id),
        pendingItemIds: pending.map((item) => item.id),
        pendingCodes: codesOf(pending).filter((code) => !codes.includes(code)),
        needsAnswer: pending.length > 0 || missing.size > 0,
        missingFields: [...missing],
        profileRevision: at.revision,
      });
    }
  }
  return periods;
}
