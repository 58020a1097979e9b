/**
 * The compliance calendar's obligations (`listObligations`): one firm for one year, and a fleet of
 * firms over several years, against the current version of every document (as the calendar page and
 * `anjian firm obligations` use it). Firms come from the applicability bench's generator.
 */
import { buildBenchFirms } from '../src/domain/applicability/bench.ts';
import { listObligations } from '../src/domain/calendar/list-obligations.ts';
import type { CatalogItem, CatalogVersion } from '../src/domain/catalog/resolve.ts';
import { percentile } from './catalog-bench.ts';

export interface ObligationsBenchResult {
  itemCount: number;
  singleFirmYearMedianMs: number;
  singleFirmYearMaxMs: number;
  firmCount: number;
  years: number;
  fleetMs: number;
  occurrences: number;
}

/** The last version of each document in catalog order (the newest). */
export function selectCurrentItems(catalog: readonly CatalogVersion[]): CatalogItem[] {
  const latest = new Map<string, CatalogVersion>();
  for (const version of catalog) latest.set(version.document, version);
  return [...latest.values()].flatMap((version) => version.items);
}

export function measureObligations(
  catalog: readonly CatalogVersion[],
  options: { firmCount: number; years: number; firstYear?: number; singleRuns?: number },
): ObligationsBenchResult {
  const items = selectCurrentItems(catalog);
  const firstYear = options.firstYear ?? 2021;
  const firms = buildBenchFirms(options.firmCount);
  const single: number[] = [];
  for (let run = 0; run < (options.singleRuns ?? 21); run += 1) {
    const started = performance.now();
    listObligations(firms[run % firms.length], items, firstYear + options.years - 1);
    single.push(performance.now() - started);
  }
  let occurrences = 0;
  const started = performance.now();
  for (const firm of firms) {
    for (let year = firstYear; year < firstYear + options.years; year += 1) occurrences += listObligations(firm, items, year).length;
  }
  return {
    itemCount: items.length,
    singleFirmYearMedianMs: percentile(single, 0.5),
    singleFirmYearMaxMs: Math.max(...single),
    firmCount: options.firmCount,
    years: options.years,
    fleetMs: performance.now() - started,
    occurrences,
  };
}
