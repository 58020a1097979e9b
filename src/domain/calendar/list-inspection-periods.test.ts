import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../catalog-files/load-catalog.ts';
import type { FirmProfile } from '../firms/profile.ts';
import { listInspectionPeriods } from './list-inspection-periods.ts';

const csim112 = loadCatalog().find((entry) => entry.document === 'CSIM' && entry.version === '112')!.items;

function buildFirm(overrides: Partial<FirmProfile> = {}): FirmProfile {
  return { name: '範例證券', fiscalYearEnd: '12-31', brokerage: true, channels: { internet: true, voice: true }, ...overrides };
}

describe('listInspectionPeriods', () => {
  it('monthly periods cover CC-17010 and CC-18000; half-years and the year cover the rest', () => {
    const periods = listInspectionPeriods(buildFirm(), csim112, 2024);
    const monthly = periods.filter((period) => period.cycle === 'monthly');
    expect(monthly).toHaveLength(12);
    expect(monthly[0].codes).toEqual(['CC-17010', 'CC-18000']);
    expect(periods.filter((period) => period.cycle === 'semiannual').map((period) => period.id)).toEqual(['2024-H1', '2024-H2']);
    const annual = periods.find((period) => period.cycle === 'annual')!;
    expect(annual.codes).toContain('CC-11000');
    expect(annual.due).toBe('2025-01-31');
  });

  it('lists only applicable items: a voice-only firm has no online-only 7.(1) c. in its monthly inspection', () => {
    const online = listInspectionPeriods(buildFirm(), csim112, 2024)[0];
    const voiceOnly = listInspectionPeriods(buildFirm({ channels: { internet: false, voice: true } }), csim112, 2024)[0];
    expect(online.itemIds).toContain('CSIM:7.1.c');
    expect(voiceOnly.itemIds).not.toContain('CSIM:7.1.c');
    expect(voiceOnly.itemIds).toContain('CSIM:7.1.b.f');
    // 1. 風險評鑑與管理 (CC-11000, annual) is online-only.
    const voiceAnnual = listInspectionPeriods(buildFirm({ channels: { internet: false, voice: true } }), csim112, 2024).find((period) => period.cycle === 'annual')!;
    expect(voiceAnnual.codes).not.toContain('CC-11000');
  });
});
