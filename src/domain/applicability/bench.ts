/**
 * Measures the applicability engine: one firm against the whole catalog, and a fleet of firms over
 * several years (one evaluation per firm per year-end). Pure: the caller passes the items (e.g. every
 * version from `loadCatalog()`); firms are generated deterministically to cover every profile shape.
 */
import { classifyFirm } from '../firms/classify.ts';
import type { FirmProfile } from '../firms/profile.ts';
import { evaluateApplicability, type ApplicabilityItem } from './evaluate.ts';

export interface ApplicabilityBenchResult {
  itemCount: number;
  /** Median of `singleFirmRuns` evaluations of one firm against every item. */
  singleFirmMedianMs: number;
  singleFirmMaxMs: number;
  firmCount: number;
  years: number;
  /** Total for firmCount × years evaluations (classification included). */
  fleetMs: number;
  /** Verdicts computed in the fleet run (firmCount × years × itemCount). */
  fleetVerdicts: number;
}

/** Deterministic varied profiles: channels, brokerage, capital tiers, cloud, apps, unknowns. */
export function buildBenchFirms(count: number): FirmProfile[] {
  return Array.from({ length: count }, (_, index) => {
    const bit = (n: number) => ((index >> n) & 1) === 1;
    return {
      name: `基準測試證券 ${index + 1}`,
      paidInCapitalNtd: index % 7 === 6 ? undefined : ((index * 3_700_000_000) % 30_000_000_000) + 500_000_000,
      fiscalYearEnd: index % 5 === 0 ? '06-30' : '12-31',
      brokerage: index % 9 !== 0,
      publicCompany: bit(1),
      foreign: index % 11 === 0,
      channels: { internet: bit(0), voice: true, traditional: true, dma: bit(2), colocation: bit(3) },
      shares: { internetDmaTurnoverPct: (index * 13) % 100, brokerageMarketSharePct: (index % 40) / 10, naturalPersonClientPct: (index * 7) % 100 },
      cloud: { user: bit(1), provider: bit(4), critical: bit(2) },
      socialMedia: bit(3),
      website: index % 13 === 12 ? undefined : true,
      mobileApps: bit(0) ? [{ name: 'App', level: 'L2' }] : [],
      mobileDevices: bit(2),
      byod: bit(5),
      iot: bit(1),
      apiServices: bit(4),
      videoIdentityVerification: bit(3),
      internationalTransfer: index % 11 === 0,
    } satisfies FirmProfile;
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

export function measureApplicability(
  items: readonly ApplicabilityItem[],
  options: { firmCount?: number; years?: number; firstYear?: number; singleFirmRuns?: number } = {},
): ApplicabilityBenchResult {
  const firmCount = options.firmCount ?? 120;
  const years = options.years ?? 5;
  const firstYear = options.firstYear ?? 2021;
  const singleFirmRuns = options.singleFirmRuns ?? 21;
  const firms = buildBenchFirms(firmCount);

  const single: number[] = [];
  for (let run = 0; run < singleFirmRuns; run += 1) {
    const firm = firms[run % firms.length];
    const start = performance.now();
    evaluateApplicability(items, firm, { date: `${firstYear + years - 1}-12-31` });
    single.push(performance.now() - start);
  }

  let fleetVerdicts = 0;
  const start = performance.now();
  for (const firm of firms) {
    const classification = classifyFirm(firm);
    for (let year = firstYear; year < firstYear + years; year += 1) {
      fleetVerdicts += evaluateApplicability(items, firm, { date: `${year}-12-31`, classification }).length;
    }
  }
  const fleetMs = performance.now() - start;

  return {
    itemCount: items.length,
    singleFirmMedianMs: median(single),
    singleFirmMaxMs: Math.max(...single),
    firmCount,
    years,
    fleetMs,
    fleetVerdicts,
  };
}
