/**
 * Past dates are judged as the rules then stood: the version of each document in force on the date is
 * chosen, and an explicitly chosen later version marks what it added or amended as not yet in force.
 */
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../catalog-files/load-catalog.ts';
import type { FirmProfile } from '../firms/profile.ts';
import { evaluateApplicability } from './evaluate.ts';
import { selectVersionInForce } from './versions-in-force.ts';

const catalog = loadCatalog();

function versionOf(document: string, version: string) {
  const found = catalog.find((entry) => entry.document === document && entry.version === version);
  if (!found) {
    throw new Error(`catalog has no ${document} ${version}`);
  }
  return found;
}

function buildFirm(overrides: Partial<FirmProfile> = {}): FirmProfile {
  return {
    name: '測試證券', paidInCapitalNtd: 12_000_000_000, brokerage: true, publicCompany: true, foreign: false,
    channels: { internet: true, voice: true, traditional: true, dma: true, colocation: false },
    website: true, apiServices: true, cloud: { user: true, provider: false, critical: true }, socialMedia: true,
    mobileApps: [{ name: '行動下單', level: 'L2', fTested: false }], iot: true, ...overrides,
  };
}

function verdictOf(version: ReturnType<typeof versionOf>, path: string, date: string, isDated = true) {
  const results = evaluateApplicability(version.items, buildFirm(), { date, versions: isDated ? [version] : undefined });
  return results[version.items.findIndex((item) => item.path === path)];
}

describe('selectVersionInForce', () => {
  it.each([
    ['CSIM', '2021-06-30', '109'],
    ['CSIM', '2023-02-28', '111'],
    ['CSIM', '2023-08-14', '111'],
    ['CSIM', '2023-08-15', '112'],
    ['CSIM', '2019-01-01', '109'],
    ['ETECH', '2022-08-01', '111.07'],
    ['ETECH', '2022-09-21', '111.09'],
  ])('%s on %s → %s', (document, date, expected) => {
    expect(selectVersionInForce(catalog, document, date)?.version).toBe(expected);
  });
});

describe('an explicit version judged on a date before its own', () => {
  const csim112 = versionOf('CSIM', '112');
  const csim109 = versionOf('CSIM', '109');

  it('CSIM 112 on 2021-06-30: its 2023-08-15 additions 7.(1) d. and 7.(1) a.(j) are not yet in force', () => {
    for (const path of ['7.1.d', '7.1.a.j', '9.12']) {
      const result = verdictOf(csim112, path, '2021-06-30');
      expect(result.verdict, path).toBe('not_in_force');
      expect(result.reason).toContain('CSIM 112（2023-08-15）新增');
      expect(result.reasonEn).toContain('added by CSIM 112 (2023-08-15)');
    }
    // Without the versions' dates the old behaviour (every version always in force) remains.
    expect(verdictOf(csim112, '7.1.d', '2021-06-30', false).verdict).toBe('applies');
  });

  it('an amended item says the earlier text applied then; an item 112 only renumbered still applies', () => {
    const amended = verdictOf(csim112, '8.2.f', '2021-06-30');
    expect(amended.verdict).toBe('not_in_force');
    expect(amended.reason).toContain('修正');
    expect(amended.reasonEn).toContain('amended by CSIM 112 (2023-08-15)');
    expect(verdictOf(csim112, '7.1.g', '2021-06-30').verdict).toBe('applies');
  });

  it('on or after the version date the additions apply', () => {
    expect(verdictOf(csim112, '7.1.d', '2023-08-15').verdict).toBe('applies');
    expect(verdictOf(csim112, '7.1.a.j', '2024-06-30').verdict).toBe('applies');
  });

  it('CSIM 109 on 2021-06-30 (the version then in force) has its own 7.(1) d., which applies', () => {
    const result = verdictOf(csim109, '7.1.d', '2021-06-30');
    expect(result.verdict).toBe('applies');
    expect(result.lineage).toBe('CSIM@109:7.1.d');
  });

  it('a date before a document\'s first version: nothing of it is in force yet', () => {
    const result = verdictOf(csim109, '2.6', '2019-06-30');
    expect(result.verdict).toBe('not_in_force');
    expect(result.reason).toContain('CSIM 109 於 2020-12-11 訂定');
  });

  it('ETECH 111.09 on 2022-08-01: articles 9 and 10 (added) are not in force; under 111.07 they do not exist', () => {
    const etech0909 = versionOf('ETECH', '111.09');
    const etech0907 = versionOf('ETECH', '111.07');
    expect(verdictOf(etech0909, '9', '2022-08-01').verdict).toBe('not_in_force');
    expect(verdictOf(etech0909, '9', '2022-08-01').reason).toContain('ETECH 111.09（2022-09-21）新增');
    expect(verdictOf(etech0909, '2.1', '2022-08-01').verdict).toBe('not_in_force');
    expect(etech0907.items.some((item) => item.path === '9.1')).toBe(false);
    expect(verdictOf(etech0909, '9', '2022-10-01').verdict).not.toBe('not_in_force');
  });
});
