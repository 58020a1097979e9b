import { describe, expect, it } from 'vitest';
import { categorizeDeficiency, compareFirmsBySection, countBySection, rankSections, UNCLASSIFIED } from './section-statistics.ts';
import { filterFirmRows, sortFirmRows, type FirmOverviewRow } from './inspection-overview.ts';
import { addThreeMonths, buildBoardReport, type BoardReportInput } from './board-report.ts';

const SECTIONS = ['CC-17010', 'CC-18000', 'CC-19000'];

describe('deficiency counts by section', () => {
  it('files a deficiency under its first catalogued item, else unclassified', () => {
    expect(categorizeDeficiency([null, 'CC-18000', 'CC-19000'])).toBe('CC-18000');
    expect(categorizeDeficiency([])).toBe(UNCLASSIFIED);
  });

  it('gives counts and shares in section order, keeping empty sections and unknown ones after', () => {
    const counts = countBySection(['CC-18000', 'CC-18000', 'CC-19000', UNCLASSIFIED, 'CC-22010'], SECTIONS);
    expect(counts.map((entry) => [entry.section, entry.count])).toEqual([
      ['CC-17010', 0], ['CC-18000', 2], ['CC-19000', 1], ['CC-22010', 1], [UNCLASSIFIED, 1],
    ]);
    expect(counts[1].share).toBeCloseTo(0.4);
    expect(countBySection([], SECTIONS).every((entry) => entry.share === null)).toBe(true);
  });

  it('ranks the three largest categories as the briefing does', () => {
    const counts = countBySection(['CC-19000', 'CC-18000', 'CC-18000', 'CC-17010', 'CC-19000', 'CC-18000'], SECTIONS);
    expect(rankSections(counts).map((entry) => entry.section)).toEqual(['CC-18000', 'CC-19000', 'CC-17010']);
  });

  it('compares firms on the same columns', () => {
    const comparison = compareFirmsBySection([
      { firmId: 'a', name: '甲', categories: ['CC-18000'], complianceRates: { 'CC-18000': 0.5 } },
      { firmId: 'b', name: '乙', categories: ['CC-19000', 'CC-19000'], complianceRates: {} },
    ], SECTIONS);
    expect(comparison.overall.find((entry) => entry.section === 'CC-19000')?.count).toBe(2);
    expect(comparison.firms[0].bySection).toEqual({ 'CC-17010': 0, 'CC-18000': 1, 'CC-19000': 0 });
    expect(comparison.firms[1].complianceRates['CC-18000']).toBeNull();
    expect(comparison.top[0].section).toBe('CC-19000');
  });
});

function row(name: string, overrides: Partial<FirmOverviewRow> = {}): FirmOverviewRow {
  return {
    firmId: name, name,
    classification: { hasProfile: true, tier: 3, type: 2, cisoRequired: false },
    latestCampaigns: [], complianceByDocument: {}, complianceBySection: {}, complianceRate: null,
    openDeficiencies: { high: 0, medium: 0, low: 0, total: 0 }, overdue: { deficiencies: 0, campaigns: 0 }, inspectionFindings: 0,
    auditVerification: { state: 'intact', verifiedAt: null, events: 0, problems: 0 },
    ...overrides,
  };
}

describe('inspector rows', () => {
  const rows = [
    row('甲證券', { complianceRate: 0.9, openDeficiencies: { high: 1, medium: 0, low: 0, total: 1 } }),
    row('乙證券', { complianceRate: null, classification: { hasProfile: false, tier: null, type: null, cisoRequired: null } }),
    row('丙證券', { complianceRate: 0.5, overdue: { deficiencies: 2, campaigns: 0 }, auditVerification: { state: 'broken', verifiedAt: '2024-01-01', events: 3, problems: 1 } }),
  ];

  it('sorts by compliance either way with unknown values last', () => {
    expect(sortFirmRows(rows, 'complianceRate', 'asc').map((entry) => entry.name)).toEqual(['丙證券', '甲證券', '乙證券']);
    expect(sortFirmRows(rows, 'complianceRate', 'desc').map((entry) => entry.name)).toEqual(['甲證券', '丙證券', '乙證券']);
  });

  it('puts broken audit chains first when sorting by audit state', () => {
    expect(sortFirmRows(rows, 'audit')[0].name).toBe('丙證券');
  });

  it('filters by tier, overdue work and name', () => {
    expect(filterFirmRows(rows, { tier: 3 }).map((entry) => entry.name)).toEqual(['甲證券', '丙證券']);
    expect(filterFirmRows(rows, { hasOverdue: true }).map((entry) => entry.name)).toEqual(['丙證券']);
    expect(filterFirmRows(rows, { name: '乙' }).map((entry) => entry.name)).toEqual(['乙證券']);
  });
});

describe('board report', () => {
  const input: BoardReportInput = {
    firm: { id: 'f', name: '甲證券', registrationNumber: null },
    fiscalYear: 2024,
    period: { start: '2024-01-01', end: '2024-12-31' },
    classification: null,
    campaigns: [
      { id: 'c1', document: 'CSIM', version: '112', cycle: 'monthly', period: '2024-01', status: 'approved', items: [
        { section: 'CC-18000', result: 'compliant', reviewState: 'approved' },
        { section: 'CC-17010', result: 'non_compliant', reviewState: 'approved' },
      ] },
      { id: 'c2', document: 'CSIM', version: '112', cycle: 'monthly', period: '2024-02', status: 'open', items: [
        { section: 'CC-18000', result: 'partial', reviewState: 'pending' },
      ] },
    ],
    deficiencies: [
      { number: 1, title: 'x', source: 'self_inspection', severity: 'high', state: 'closed', stateLabel: '已結案', dueDate: null, isOverdue: false, createdAt: '2024-02-01', closedAt: '2024-03-01' },
      { number: 2, title: 'y', source: 'exchange_inspection', severity: 'low', state: 'open', stateLabel: '待處理', dueDate: '2024-03-01', isOverdue: true, createdAt: '2024-02-01', closedAt: null },
    ],
    evidence: { total: 3, linkedToCampaigns: 2, expired: 1 },
    auditVerification: { ok: true, events: 10, problems: [], verifiedAt: '2025-01-05T00:00:00Z' },
    generatedOn: '2025-01-05', generatedBy: null,
  };

  it('sums the year by section across campaigns and counts open and overdue deficiencies', () => {
    const report = buildBoardReport(input);
    expect(report.sections.map((section) => section.section)).toEqual(['CC-17010', 'CC-18000']);
    expect(report.sections[1].total).toBe(2);
    expect(report.overall.complianceRate).toBeCloseTo(1 / 3);
    expect(report.deficiencySummary).toMatchObject({ total: 2, open: 1, overdue: 1 });
    expect(report.signatories.map((entry) => entry.title)).toEqual(['負責資訊安全之最高主管', '董事長', '總經理', '稽核主管']);
    expect(report.title).toContain('資訊安全整體執行情形');
  });

  it('makes the statement due three months after the fiscal year ends', () => {
    expect(addThreeMonths('2024-12-31')).toBe('2025-03-31');
    expect(addThreeMonths('2024-06-30')).toBe('2024-09-30');
  });
});
