/**
 * A firm's inspection periods in one fiscal year: for each inspection cycle (每月 / 半年 / 年度查核)
 * that some applicable item carries, the periods of that cycle with the section codes they cover
 * (e.g. the monthly periods cover CC-17010 and CC-18000).
 */
import type { Cycle } from '../catalog/schema.ts';
import { evaluateApplicability, type ApplicabilityItem } from '../applicability/evaluate.ts';
import type { FirmProfile } from '../firms/profile.ts';
import type { CalendarPeriod } from './build-ics.ts';
import { DEFAULT_FISCAL_YEAR_END } from './list-obligations.ts';
import { buildInspectionPeriods } from './periods.ts';

const CYCLE_ORDER: Cycle[] = ['monthly', 'semiannual', 'annual'];

export function listInspectionPeriods(
  profile: FirmProfile,
  items: readonly (ApplicabilityItem & { code: string | null })[],
  fiscalYear: number,
): CalendarPeriod[] {
  const fiscalYearEnd = profile.fiscalYearEnd ?? DEFAULT_FISCAL_YEAR_END;
  const periods: CalendarPeriod[] = [];
  for (const cycle of CYCLE_ORDER) {
    for (const period of buildInspectionPeriods(fiscalYear, cycle, fiscalYearEnd)) {
      // Evaluate on the period's last day: an item in force by then is inspected in that period.
      const results = evaluateApplicability(items, profile, { date: period.end });
      const applying = items.filter((item, index) => item.cycle === cycle && results[index].verdict === 'applies');
      if (applying.length === 0) {
        continue;
      }
      const codes = [...new Set(applying.map((item) => item.code).filter((code): code is string => code !== null))].sort();
      periods.push({ ...period, codes, itemIds: applying.map((item) => item.id) });
    }
  }
  return periods;
}
