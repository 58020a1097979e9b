/**
 * The compliance calendar (`listObligations` and `listInspectionPeriods`): one firm for one year, and a
 * fleet of firms over several years, as the calendar page and `anjian obligations` use it — every
 * version of CSIM, NET, ETECH and BRIEF available, each date judged with the version then in force.
 * One applicability timeline per firm is shared across its years, so verdicts are computed once per
 * stretch between effective-date boundaries. Firms come from the applicability bench's generator.
 */
import { buildBenchFirms } from '../src/domain/applicability/bench.ts';
import { createApplicabilityTimeline, type CalendarSources } from '../src/domain/calendar/applicability-timeline.ts';
import { listInspectionPeriods } from '../src/domain/calendar/list-inspection-periods.ts';
import { listObligations } from '../src/domain/calendar/list-obligations.ts';
import type { CatalogItem, CatalogVersion } from '../src/domain/catalog/resolve.ts';
import type { FirmProfile } from '../src/domain/firms/profile.ts';
import { percentile } from './catalog-bench.ts';

const CALENDAR_DOCUMENTS = ['CSIM', 'NET', 'ETECH', 'BRIEF'];

export interface ObligationsBenchResult {
  itemCount: number;
  singleFirmYearMedianMs: number;
  singleFirmYearMaxMs: number;
  firmCount: number;
  years: number;
  fleetMs: number;
  occurrences: number;
  /** Inspection periods of one firm-year (median of the single runs). */
  periodsSingleFirmYearMedianMs: number;
  periodsFleetMs: number;
  periods: number;
  /** Applicability evaluations the fleet needed (obligations and periods together). */
  fleetEvaluations: number;
}

/** The last version of each document in catalog order (the newest). */
export function selectCurrentItems(catalog: readonly CatalogVersion[]): CatalogItem[] {
  const latest = new Map<string, CatalogVersion>();
  for (const version of catalog) latest.set(version.document, version);
  return [...latest.values()].flatMap((version) => version.items);
}

function sourcesFor(catalog: readonly CatalogVersion[], profile: FirmProfile): CalendarSources {
  return {
    profiles: [{ validFrom: '2020-01-01', profile, revision: 1 }],
    versions: catalog.filter((version) => CALENDAR_DOCUMENTS.includes(version.document)),
  };
}

export function measureObligations(
  catalog: readonly CatalogVersion[],
  options: { firmCount: number; years: number; firstYear?: number; singleRuns?: number },
): ObligationsBenchResult {
  const firstYear = options.firstYear ?? 2021;
  const firms = buildBenchFirms(options.firmCount);
  const lastYear = firstYear + options.years - 1;
  const single: number[] = [];
  const singlePeriods: number[] = [];
  for (let run = 0; run < (options.singleRuns ?? 21); run += 1) {
    const sources = sourcesFor(catalog, firms[run % firms.length]);
    let started = performance.now();
    listObligations(sources, lastYear);
    single.push(performance.now() - started);
    started = performance.now();
    listInspectionPeriods(sources, lastYear);
    singlePeriods.push(performance.now() - started);
  }

  const timelines = firms.map((firm) => {
    const sources = sourcesFor(catalog, firm);
    return { sources, timeline: createApplicabilityTimeline(sources) };
  });
  let occurrences = 0;
  let started = performance.now();
  for (const { sources, timeline } of timelines) {
    for (let year = firstYear; year <= lastYear; year += 1) occurrences += listObligations(sources, year, undefined, timeline).length;
  }
  const fleetMs = performance.now() - started;
  let periods = 0;
  started = performance.now();
  for (const { sources, timeline } of timelines) {
    for (let year = firstYear; year <= lastYear; year += 1) periods += listInspectionPeriods(sources, year, timeline).length;
  }
  const periodsFleetMs = performance.now() - started;
  return {
    itemCount: selectCurrentItems(catalog.filter((version) => CALENDAR_DOCUMENTS.includes(version.document))).length,
    singleFirmYearMedianMs: percentile(single, 0.5),
    singleFirmYearMaxMs: Math.max(...single),
    firmCount: options.firmCount,
    years: options.years,
    fleetMs,
    occurrences,
    periodsSingleFirmYearMedianMs: percentile(singlePeriods, 0.5),
    periodsFleetMs,
    periods,
    fleetEvaluations: timelines.reduce((sum, { timeline }) => sum + timeline.evaluations(), 0),
  };
}
