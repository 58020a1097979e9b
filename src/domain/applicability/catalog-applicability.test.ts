/**
 * Applicability against the real catalog files (CSIM 109/111/112, NET, ETECH, BRIEF), for profiles a
 * user would recognise. Verdicts and the reasons shown to the user are both asserted.
 */
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../catalog-files/load-catalog.ts';
import type { FirmProfile } from '../firms/profile.ts';
import { compareApplicability, evaluateApplicability, type Verdict } from './evaluate.ts';

const BILLION = 1_000_000_000;
const catalog = loadCatalog();

function itemsOf(document: string, version: string) {
  const found = catalog.find((entry) => entry.document === document && entry.version === version);
  if (!found) {
    throw new Error(`catalog has no ${document} ${version}`);
  }
  return found.items;
}

function buildFirm(overrides: Partial<FirmProfile> = {}): FirmProfile {
  return {
    name: '測試證券',
    paidInCapitalNtd: 3 * BILLION,
    brokerage: true,
    publicCompany: true,
    foreign: false,
    channels: { internet: true, voice: true, traditional: true, dma: false, colocation: false },
    shares: { internetDmaTurnoverPct: 40, brokerageMarketSharePct: 0.3, naturalPersonClientPct: 90 },
    website: true,
    apiServices: false,
    cloud: { user: true, provider: false, critical: true },
    socialMedia: true,
    mobileApps: [{ name: '行動下單', level: 'L2' }],
    mobileDevices: false,
    byod: false,
    iot: false,
    videoIdentityVerification: false,
    internationalTransfer: false,
    ...overrides,
  };
}

const FIRMS = {
  online: buildFirm(),
  voiceOnly: buildFirm({ channels: { internet: false, voice: true, traditional: true, dma: false, colocation: false }, mobileApps: [] }),
  notBrokerage: buildFirm({ brokerage: false, publicCompany: false, channels: { internet: false, voice: false, traditional: false, dma: false, colocation: false } }),
  tier1: buildFirm({ paidInCapitalNtd: 25 * BILLION }),
  cisoByShares: buildFirm({ shares: { internetDmaTurnoverPct: 75, brokerageMarketSharePct: 2.1, naturalPersonClientPct: 80 } }),
  foreign: buildFirm({ foreign: true, tierOverride: { tier: 4, reason: '證交所核定' } }),
  cloudProvider: buildFirm({ cloud: { user: false, provider: true, critical: true } }),
  noApp: buildFirm({ mobileApps: [] }),
  unanswered: { name: '新設證券' } as FirmProfile,
};

type FirmName = keyof typeof FIRMS;

const CASES: [string, string, FirmName, string, Verdict, string][] = [
  // [document, version, firm, item id, verdict, reason fragment]
  ['CSIM', '109', 'online', 'CSIM:7.1.c', 'applies', '適用網際網路下單證券商 — 本公司提供網際網路下單'],
  ['CSIM', '109', 'voiceOnly', 'CSIM:7.1.c', 'not_applicable', '適用網際網路下單證券商 — 本公司未提供網際網路下單'],
  ['CSIM', '109', 'unanswered', 'CSIM:7.1.c', 'needs_answer', 'channels.internet'],
  ['CSIM', '109', 'voiceOnly', 'CSIM:7.1.b', 'applies', '另 a、b、e 項並適用於所有證券商'],
  ['CSIM', '109', 'voiceOnly', 'CSIM:7.1.b.f', 'applies', '另 a、b、e 項並適用於所有證券商'],
  ['CSIM', '109', 'voiceOnly', 'CSIM:7.1.e.h', 'applies', '另 a、b、e 項並適用於所有證券商'],
  ['CSIM', '109', 'voiceOnly', 'CSIM:7.1.d', 'not_applicable', '本公司未提供網際網路下單'],
  ['CSIM', '111', 'voiceOnly', 'CSIM:7.1.e', 'applies', '另 a、b、e 項並適用於所有證券商'],
  ['CSIM', '112', 'voiceOnly', 'CSIM:7.1.f', 'applies', '另 a、b、f 項並適用於所有證券商'],
  ['CSIM', '112', 'voiceOnly', 'CSIM:7.1.f.h', 'applies', '另 a、b、f 項並適用於所有證券商'],
  ['CSIM', '112', 'voiceOnly', 'CSIM:7.1.e', 'not_applicable', '適用網際網路下單證券商 — 本公司未提供網際網路下單'],
  ['CSIM', '112', 'online', 'CSIM:7.1.e', 'applies', '本公司提供網際網路下單'],
  ['CSIM', '112', 'voiceOnly', 'CSIM:7.1.b.i', 'applies', '另 a、b、f 項'],
  ['CSIM', '109', 'voiceOnly', 'CSIM:4.2', 'not_applicable', '不適用語音下單及傳統下單之證券商 — 本公司未提供網際網路下單'],
  ['CSIM', '109', 'online', 'CSIM:4.2', 'applies', '本公司提供網際網路下單'],
  ['CSIM', '109', 'voiceOnly', 'CSIM:5.5', 'not_applicable', '本公司未提供網際網路下單'],
  ['CSIM', '112', 'voiceOnly', 'CSIM:9.9', 'not_applicable', '本公司未提供網際網路下單'],
  ['CSIM', '112', 'voiceOnly', 'CSIM:9.10', 'not_applicable', '本公司未提供網際網路下單'],
  ['CSIM', '112', 'voiceOnly', 'CSIM:9.11', 'not_applicable', '本公司未提供網際網路下單'],
  ['CSIM', '112', 'online', 'CSIM:9.11.c.a', 'applies', '本公司提供網際網路下單'],
  ['CSIM', '112', 'online', 'CSIM:9.9', 'applies', '本公司提供網際網路下單'],
  ['CSIM', '109', 'notBrokerage', 'CSIM:7.2.e', 'not_applicable', '證券經紀商 — 本公司未經營經紀業務'],
  ['CSIM', '109', 'notBrokerage', 'CSIM:7.2.f', 'not_applicable', '本公司未經營經紀業務'],
  ['CSIM', '112', 'notBrokerage', 'CSIM:10.3', 'not_applicable', '本公司未經營經紀業務'],
  ['CSIM', '112', 'online', 'CSIM:10.3', 'applies', '證券經紀商 — 本公司經營經紀業務'],
  ['CSIM', '109', 'online', 'CSIM:8.5.d', 'applies', '公司如屬公開發行公司者 — 本公司為公開發行公司'],
  ['CSIM', '109', 'notBrokerage', 'CSIM:8.5.d', 'not_applicable', '本公司非公開發行公司'],
  ['CSIM', '109', 'online', 'CSIM:12.1.a', 'applies', '本公司使用雲端服務'],
  ['CSIM', '109', 'online', 'CSIM:12.1.b', 'not_applicable', '本公司未提供雲端服務'],
  ['CSIM', '109', 'cloudProvider', 'CSIM:12.1.b', 'applies', '本公司提供雲端服務'],
  ['CSIM', '109', 'cloudProvider', 'CSIM:12.1.a', 'not_applicable', '本公司未使用雲端服務'],
  ['NET', '1', 'tier1', 'NET:6.3.3', 'applies', '本公司為第一類證券商'],
  ['NET', '1', 'cisoByShares', 'NET:6.3.4', 'applies', '本公司為第一類證券商'],
  ['NET', '1', 'online', 'NET:6.3.3', 'not_applicable', '本公司為第二類證券商'],
  ['NET', '1', 'unanswered', 'NET:6.3.4', 'needs_answer', '屬第一類或第二類證券商'],
  ['NET', '1', 'notBrokerage', 'NET:6.1', 'applies', '本公司設有官方網站'],
  ['ETECH', '111.09', 'online', 'ETECH:4.1', 'applies', '本公司使用雲端服務'],
  ['ETECH', '111.09', 'online', 'ETECH:4.2', 'not_applicable', '本公司未提供雲端服務'],
  ['ETECH', '111.09', 'cloudProvider', 'ETECH:4.2', 'applies', '本公司提供雲端服務'],
  ['ETECH', '111.09', 'cloudProvider', 'ETECH:4.1', 'not_applicable', '本公司未使用雲端服務'],
  ['ETECH', '111.09', 'noApp', 'ETECH:6.3.3.1', 'not_applicable', '本公司未提供投資人行動應用程式'],
  ['BRIEF', '1', 'cisoByShares', 'BRIEF:1.p1', 'applies', '本公司應指派資訊安全長'],
  ['BRIEF', '1', 'online', 'BRIEF:1.p1', 'not_applicable', '本公司無須指派資訊安全長'],
];

describe('applicability over the catalog files', () => {
  it.each(CASES)('%s %s, %s firm: %s is %s', (document, version, firm, id, verdict, fragment) => {
    const result = evaluateApplicability(itemsOf(document, version), FIRMS[firm], { date: '2024-06-30' }).find((entry) => entry.id === id);
    expect(result, `${id} missing`).toBeDefined();
    expect(result!.verdict).toBe(verdict);
    expect(result!.reason).toContain(fragment);
  });

  it.each([
    ['2022-01-30', 'not_in_force', '111 年 1 月底導入生效'],
    ['2022-01-31', 'applies', '依所屬資安分級辦理（本公司第 4 級）'],
    ['2024-06-30', 'applies', '依所屬資安分級辦理（本公司第 4 級）'],
  ])('CSIM 2.8 on %s is %s', (date, verdict, fragment) => {
    const result = evaluateApplicability(itemsOf('CSIM', '112'), FIRMS.online, { date }).find((entry) => entry.id === 'CSIM:2.8')!;
    expect(result.verdict).toBe(verdict);
    expect(result.reason).toContain(fragment);
    expect(result.tier).toBe(4);
  });

  it('a foreign firm with an overridden tier sees it on tier-dependent items', () => {
    const result = evaluateApplicability(itemsOf('CSIM', '112'), buildFirm({ tierOverride: { tier: 2, reason: '證交所核定' } }), { date: '2024-06-30' }).find(
      (entry) => entry.id === 'CSIM:2.8',
    )!;
    expect(result.reason).toContain('本公司第 2 級');
  });

  it('111 → 112 for a voice-only firm: new duties for all firms, the new online-only 7.1.d does not apply', () => {
    const comparison = compareApplicability(itemsOf('CSIM', '111'), FIRMS.voiceOnly, itemsOf('CSIM', '112'), FIRMS.voiceOnly, { date: '2024-06-30' });
    const newly = comparison.newlyApplies.map((change) => change.after!.id);
    expect(newly).toContain('CSIM:7.1.b.i');
    expect(newly).not.toContain('CSIM:7.1.d');
    const added = comparison.changed.find((change) => change.after?.id === 'CSIM:7.1.d');
    expect(added).toMatchObject({ before: null, after: { verdict: 'not_applicable' } });
    // 109's 7.(1) e. is 112's 7.(1) f.: same lineage, still applies, so not reported.
    expect([...comparison.newlyApplies, ...comparison.noLongerApplies, ...comparison.changed].map((change) => change.lineage)).not.toContain('CSIM@109:7.1.e');
  });

  it('what-if: a voice-only firm adding internet ordering gains the online-only items', () => {
    const items = itemsOf('CSIM', '112');
    const comparison = compareApplicability(items, FIRMS.voiceOnly, items, { ...FIRMS.voiceOnly, channels: { ...FIRMS.voiceOnly.channels, internet: true } }, { date: '2024-06-30' });
    const newly = comparison.newlyApplies.map((change) => change.after!.id);
    for (const id of ['CSIM:7.1.c', 'CSIM:7.1.e', 'CSIM:4.2', 'CSIM:5.5', 'CSIM:9.9', 'CSIM:9.10', 'CSIM:9.11']) {
      expect(newly).toContain(id);
    }
    expect(newly).not.toContain('CSIM:7.1.f');
    expect(comparison.noLongerApplies).toEqual([]);
  });

  it('every item of every version gets a verdict and a reason in both languages', () => {
    for (const version of catalog) {
      for (const firm of Object.values(FIRMS)) {
        const results = evaluateApplicability(version.items, firm, { date: '2024-06-30' });
        expect(results).toHaveLength(version.items.length);
        for (const result of results) {
          expect(result.reason).toMatch(/[\u4e00-\u9fff]/);
          expect(result.reasonEn).toMatch(/^(Applies to|Parent item|Not yet in force)/);
        }
      }
    }
  });
});
