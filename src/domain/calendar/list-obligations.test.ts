import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../catalog-files/load-catalog.ts';
import type { FirmProfile } from '../firms/profile.ts';
import { createApplicabilityTimeline, type CalendarSources } from './applicability-timeline.ts';
import { listInspectionPeriods } from './list-inspection-periods.ts';
import { listObligations, type ObligationOccurrence } from './list-obligations.ts';
import { OBLIGATIONS } from './obligations.ts';

const catalog = loadCatalog();

/** One version per document, as a firm's calendar would use. */
function buildCatalogItems(csimVersion: '109' | '111' | '112') {
  const pick = new Map([
    ['CSIM', csimVersion],
    ['NET', '1'],
    ['ETECH', '111.09'],
  ]);
  return catalog.filter((entry) => pick.get(entry.document) === entry.version).flatMap((entry) => entry.items);
}

function buildFirm(overrides: Partial<FirmProfile> = {}): FirmProfile {
  return {
    name: '範例證券',
    paidInCapitalNtd: 12_000_000_000,
    fiscalYearEnd: '12-31',
    brokerage: true,
    publicCompany: true,
    channels: { internet: true, voice: true, traditional: true, dma: false, colocation: false },
    website: true,
    socialMedia: true,
    iot: true,
    cloud: { user: true, provider: false, critical: false },
    mobileApps: [{ name: '行動下單', level: 'L2' }],
    ...overrides,
  };
}

function byId(occurrences: ObligationOccurrence[], id: string): ObligationOccurrence[] {
  return occurrences.filter((occurrence) => occurrence.obligationId === id);
}

describe('listObligations', () => {
  const items112 = buildCatalogItems('112');

  it('board statement: three months after fiscal year end', () => {
    const calendarYear = byId(listObligations(buildFirm(), items112, 2024), 'board-statement');
    expect(calendarYear).toHaveLength(1);
    expect(calendarYear[0]).toMatchObject({ due: '2024-03-31', periodId: '2023', periodStart: '2023-01-01', periodEnd: '2023-12-31', itemIds: ['CSIM:2.6'] });
    const june = byId(listObligations(buildFirm({ fiscalYearEnd: '06-30' }), items112, 2024), 'board-statement');
    expect(june).toHaveLength(1);
    expect(june[0]).toMatchObject({ due: '2024-09-30', periodId: '2024', periodEnd: '2024-06-30' });
  });

  it('an online firm with apps, social media and IoT gets every obligation of the table', () => {
    const ids = new Set(listObligations(buildFirm(), items112, 2024).map((occurrence) => occurrence.obligationId));
    expect([...ids].sort()).toEqual(OBLIGATIONS.map((definition) => definition.id).sort());
  });

  it('frequencies: four password changes, two scans and two account reviews a year', () => {
    const occurrences = listObligations(buildFirm(), items112, 2024);
    expect(byId(occurrences, 'staff-password-change').map((occurrence) => occurrence.due)).toEqual(['2024-03-31', '2024-06-30', '2024-09-30', '2024-12-31']);
    expect(byId(occurrences, 'vulnerability-scan').map((occurrence) => occurrence.periodId)).toEqual(['2024-H1', '2024-H2']);
    expect(byId(occurrences, 'unused-account-review').map((occurrence) => occurrence.due)).toEqual(['2024-06-30', '2024-12-31']);
    expect(byId(occurrences, 'risk-assessment').map((occurrence) => occurrence.due)).toEqual(['2024-12-31']);
    const sorted = occurrences.map((occurrence) => occurrence.due);
    expect(sorted).toEqual([...sorted].sort());
  });

  it('a voice-only firm without apps: all-firm duties stay, online-only ones go', () => {
    const voiceOnly = buildFirm({ channels: { internet: false, voice: true, traditional: true }, mobileApps: [] });
    const ids = new Set(listObligations(voiceOnly, items112, 2024).map((occurrence) => occurrence.obligationId));
    for (const kept of ['board-statement', 'firewall-rule-review', 'social-engineering-drill', 'policy-review', 'security-audit', 'staff-password-change', 'unused-account-review']) {
      expect(ids, kept).toContain(kept);
    }
    for (const gone of ['vulnerability-scan', 'risk-assessment', 'app-lab-test']) {
      expect(ids, gone).not.toContain(gone);
    }
  });

  it('links renumbered items by lineage: 109 7.(1) e.(h) is 112 7.(1) f.(h)', () => {
    const drill112 = byId(listObligations(buildFirm(), items112, 2024), 'social-engineering-drill')[0];
    expect(drill112.itemIds).toEqual(['CSIM:7.1.f.h']);
    const drill109 = byId(listObligations(buildFirm(), buildCatalogItems('109'), 2024), 'social-engineering-drill')[0];
    expect(drill109.itemIds).toEqual(['CSIM:7.1.e.h']);
    const firewall112 = byId(listObligations(buildFirm(), items112, 2024), 'firewall-rule-review')[0];
    expect(firewall112.itemIds).toEqual(['CSIM:7.1.b.f', 'CSIM:7.1.b.i', 'NET:4.2.3']);
  });

  it.each([
    ['no mobile app', { mobileApps: [] }, 'app-lab-test'],
    ['no brokerage', { brokerage: false }, 'capacity-review'],
    ['no IoT', { iot: false }, 'iot-inventory-and-updates'],
    ['no social media', { socialMedia: false }, 'social-media-privacy-review'],
  ])('%s → no %s', (_label, overrides, obligationId) => {
    expect(byId(listObligations(buildFirm(overrides as Partial<FirmProfile>), items112, 2024), obligationId)).toEqual([]);
    expect(byId(listObligations(buildFirm(), items112, 2024), obligationId).length).toBeGreaterThan(0);
  });

  it('the app lab test cites both CSIM 9.(11) c.(a) and ETECH 第六條', () => {
    const test = byId(listObligations(buildFirm(), items112, 2024), 'app-lab-test')[0];
    expect(test.itemIds).toEqual(['CSIM:9.11.c.a', 'ETECH:6.3.3.1']);
    expect(test.note).toContain('初次上架前');
  });

  it('system classification review (111 年 1 月底生效) starts with 2022', () => {
    expect(byId(listObligations(buildFirm(), items112, 2021), 'system-classification-review')).toEqual([]);
    expect(byId(listObligations(buildFirm(), items112, 2022), 'system-classification-review')).toHaveLength(1);
  });

  it('explains why each obligation applies', () => {
    const scan = byId(listObligations(buildFirm(), items112, 2024), 'vulnerability-scan')[0];
    expect(scan.reason).toContain('本公司提供網際網路下單');
  });
});

describe('never a guess: occurrences that need an answer are listed and flagged', () => {
  const items112 = buildCatalogItems('112');

  it('apps not answered: the app lab test is listed, flagged, naming mobileApps', () => {
    const [test] = byId(listObligations(buildFirm({ mobileApps: undefined }), items112, 2024), 'app-lab-test');
    expect(test).toMatchObject({ needsAnswer: true, due: '2024-12-31' });
    expect(test.missingFields).toContain('mobileApps');
    const answered = byId(listObligations(buildFirm(), items112, 2024), 'app-lab-test')[0];
    expect(answered).toMatchObject({ needsAnswer: false, missingFields: [] });
  });

  it('internet ordering not answered: online-only duties are flagged with channels.internet', () => {
    const unknown = buildFirm({ channels: { voice: true, traditional: true } });
    const scans = byId(listObligations(unknown, items112, 2024), 'vulnerability-scan');
    expect(scans).toHaveLength(2);
    expect(scans.every((scan) => scan.needsAnswer && scan.missingFields.includes('channels.internet'))).toBe(true);
    // Duties of every firm are not flagged.
    expect(byId(listObligations(unknown, items112, 2024), 'policy-review')[0].needsAnswer).toBe(false);
  });

  it('no fiscal year end: the calendar year is assumed and every occurrence and non-monthly period is flagged', () => {
    const noFiscalYearEnd = buildFirm({ fiscalYearEnd: undefined });
    const occurrences = listObligations(noFiscalYearEnd, items112, 2024);
    expect(occurrences.length).toBeGreaterThan(0);
    expect(occurrences.every((occurrence) => occurrence.needsAnswer && occurrence.missingFields.includes('fiscalYearEnd'))).toBe(true);
    expect(byId(occurrences, 'board-statement')[0].due).toBe('2024-03-31');
    const periods = listInspectionPeriods(noFiscalYearEnd, items112, 2024);
    expect(periods.filter((period) => period.cycle === 'monthly').some((period) => period.missingFields?.includes('fiscalYearEnd'))).toBe(false);
    expect(periods.filter((period) => period.cycle !== 'monthly').every((period) => period.needsAnswer && period.missingFields?.includes('fiscalYearEnd'))).toBe(true);
  });

  it('inspection periods keep items that need an answer as pending, with the fields', () => {
    const unknown = buildFirm({ channels: { voice: true, traditional: true } });
    const [january] = listInspectionPeriods(unknown, items112, 2024);
    expect(january.itemIds).not.toContain('CSIM:7.1.c');
    expect(january.pendingItemIds).toContain('CSIM:7.1.c');
    expect(january).toMatchObject({ needsAnswer: true });
    expect(january.missingFields).toContain('channels.internet');
  });
});

describe('history: the profile revision and catalog versions in force on each date', () => {
  const csimVersions = catalog.filter((entry) => ['CSIM', 'NET', 'ETECH'].includes(entry.document));
  const offline = buildFirm({ channels: { internet: false, voice: true, traditional: true }, mobileApps: [] });
  const sources: CalendarSources = {
    profiles: [
      { validFrom: '2023-01-01', profile: offline, revision: 1 },
      { validFrom: '2024-07-01', profile: buildFirm(), revision: 2 },
    ],
    versions: csimVersions,
  };

  it('online-ordering duties appear only after the revision that adds internet ordering', () => {
    const scans = byId(listObligations(sources, 2024), 'vulnerability-scan');
    expect(scans.map((scan) => [scan.due, scan.profileRevision])).toEqual([['2024-12-31', 2]]);
    expect(byId(listObligations(sources, 2024), 'staff-password-change').map((entry) => entry.profileRevision)).toEqual([1, 1, 2, 2]);
    const periods = listInspectionPeriods(sources, 2024);
    const june = periods.find((period) => period.id === '2024-06')!;
    const july = periods.find((period) => period.id === '2024-07')!;
    expect(june.itemIds).not.toContain('CSIM:7.1.c');
    expect(july.itemIds).toContain('CSIM:7.1.c');
  });

  it('before the first revision the profile did not exist: conditional duties need an answer', () => {
    const [scan] = byId(listObligations(sources, 2022), 'vulnerability-scan');
    expect(scan).toMatchObject({ needsAnswer: true, profileRevision: null });
    expect(scan.missingFields).toContain('channels.internet');
  });

  it('each date uses the CSIM version then in force: 2022 cites 109 numbering, 2024 the 112 additions', () => {
    const firewall2022 = byId(listObligations({ ...sources, profiles: [{ validFrom: '2020-01-01', profile: buildFirm() }] }, 2022), 'firewall-rule-review')[0];
    expect(firewall2022.itemIds).not.toContain('CSIM:7.1.b.i');
    const firewall2024 = byId(listObligations({ ...sources, profiles: [{ validFrom: '2020-01-01', profile: buildFirm() }] }, 2024), 'firewall-rule-review')[0];
    expect(firewall2024.itemIds).toContain('CSIM:7.1.b.i');
  });

  it('evaluates once per stretch between boundaries, not once per date', () => {
    const timeline = createApplicabilityTimeline({ ...sources, profiles: [{ validFrom: '2020-01-01', profile: buildFirm() }] });
    listObligations(sources, 2024, undefined, timeline);
    listInspectionPeriods(sources, 2024, timeline);
    const distinctDates = new Set([...listObligations(sources, 2024).map((entry) => entry.due), ...listInspectionPeriods(sources, 2024).map((period) => period.end)]);
    expect(timeline.evaluations()).toBeLessThan(distinctDates.size / 2);
  });
});
