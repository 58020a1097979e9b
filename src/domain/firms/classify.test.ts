import { describe, expect, it } from 'vitest';
import { classifyFirm } from './classify.ts';
import type { FirmProfile } from './profile.ts';

const BILLION = 1_000_000_000;

function buildFirm(overrides: Partial<FirmProfile> = {}): FirmProfile {
  return {
    name: '測試證券',
    paidInCapitalNtd: 3 * BILLION,
    brokerage: true,
    channels: { internet: true, voice: true, traditional: true, dma: false, colocation: false },
    shares: { internetDmaTurnoverPct: 30, brokerageMarketSharePct: 0.5, naturalPersonClientPct: 90 },
    foreign: false,
    ...overrides,
  };
}

function reasonOf(profile: FirmProfile, topic: string) {
  return classifyFirm(profile).reasons.find((reason) => reason.topic === topic)!;
}

describe('classifyFirm: CISO (內控處理準則 36-2)', () => {
  it.each([
    ['capital exactly NT$10 bn', { paidInCapitalNtd: 10 * BILLION }, true],
    ['capital just below NT$10 bn, shares low', { paidInCapitalNtd: 10 * BILLION - 1 }, false],
    ['all three conditions exactly at thresholds', { shares: { internetDmaTurnoverPct: 60, brokerageMarketSharePct: 2, naturalPersonClientPct: 50 } }, true],
    ['turnover 59.9 %', { shares: { internetDmaTurnoverPct: 59.9, brokerageMarketSharePct: 2, naturalPersonClientPct: 50 } }, false],
    ['market share 1.99 %', { shares: { internetDmaTurnoverPct: 60, brokerageMarketSharePct: 1.99, naturalPersonClientPct: 50 } }, false],
    ['natural persons 49 %', { shares: { internetDmaTurnoverPct: 60, brokerageMarketSharePct: 2, naturalPersonClientPct: 49 } }, false],
    ['capital alone decides even with shares unknown', { paidInCapitalNtd: 25 * BILLION, shares: undefined }, true],
    ['capital unknown, conditions all met', { paidInCapitalNtd: undefined, shares: { internetDmaTurnoverPct: 70, brokerageMarketSharePct: 3, naturalPersonClientPct: 60 } }, true],
    ['capital unknown, one condition fails', { paidInCapitalNtd: undefined }, null],
    ['capital small, one share unknown, others met', { shares: { internetDmaTurnoverPct: 70, brokerageMarketSharePct: 3 } }, null],
    ['capital small, one share unknown, another fails', { shares: { internetDmaTurnoverPct: 10 } }, false],
    ['no brokerage business implies 0 % market share', { brokerage: false, shares: { internetDmaTurnoverPct: 70, naturalPersonClientPct: 60 } }, false],
    ['no internet and no DMA implies 0 % turnover', { channels: { internet: false, dma: false }, shares: { brokerageMarketSharePct: 5, naturalPersonClientPct: 60 } }, false],
  ])('%s', (_label, overrides, expected) => {
    expect(classifyFirm(buildFirm(overrides as Partial<FirmProfile>)).cisoRequired).toBe(expected);
  });

  it('quotes the source and states the cumulative reading', () => {
    const reason = reasonOf(buildFirm({ shares: { internetDmaTurnoverPct: 60, brokerageMarketSharePct: 2, naturalPersonClientPct: 50 } }), 'ciso');
    expect(reason.verdict).toBe('required');
    expect(reason.text).toContain('或符合下列條件者應指派副總經理以上或職責相當之人兼任資訊安全長');
    expect(reason.text).toContain('須同時符合');
    expect(reason.textEn).toContain('cumulative');
    expect(reason.source).toContain('第36條之2');
  });

  it('names the fields needed when it cannot decide', () => {
    const reason = reasonOf(buildFirm({ paidInCapitalNtd: undefined, shares: { internetDmaTurnoverPct: 80 } }), 'ciso');
    expect(reason.verdict).toBe('needs_answer');
    expect(reason.text).toContain('paidInCapitalNtd');
    expect(reason.text).toContain('shares.brokerageMarketSharePct');
    expect(reason.text).toContain('shares.naturalPersonClientPct');
    expect(reason.text).not.toContain('請填寫：paidInCapitalNtd、shares.internetDmaTurnoverPct');
  });
});

describe('classifyFirm: tier and type', () => {
  it.each([
    [25 * BILLION, 1, 1],
    [20 * BILLION, 1, 1],
    [19.9 * BILLION, 2, 1],
    [10 * BILLION, 2, 1],
    [9.9 * BILLION, 3, 1],
    [4 * BILLION, 3, 1],
    [3.99 * BILLION, 4, 2],
    [0, 4, 2],
  ])('capital %d → tier %d, type %d', (capital, tier, type) => {
    const result = classifyFirm(buildFirm({ paidInCapitalNtd: capital }));
    expect(result.tier).toBe(tier);
    expect(result.tierSource).toBe('default');
    expect(result.type).toBe(type);
  });

  it('a tier-4 firm that must appoint a CISO is Type 1', () => {
    const result = classifyFirm(buildFirm({ shares: { internetDmaTurnoverPct: 90, brokerageMarketSharePct: 2.5, naturalPersonClientPct: 95 } }));
    expect(result).toMatchObject({ tier: 4, cisoRequired: true, type: 1 });
    expect(reasonOf(buildFirm({ shares: { internetDmaTurnoverPct: 90, brokerageMarketSharePct: 2.5, naturalPersonClientPct: 95 } }), 'type').text).toContain('應指派資訊安全長');
  });

  it('an override wins over the default and is recorded with its reason', () => {
    const profile = buildFirm({ paidInCapitalNtd: 30 * BILLION, tierOverride: { tier: 3, reason: '證交所 113 年通知' } });
    const result = classifyFirm(profile);
    expect(result).toMatchObject({ tier: 3, tierSource: 'override', type: 1 });
    expect(reasonOf(profile, 'tier').text).toContain('證交所 113 年通知');
  });

  it('an override to tier 4 makes a small firm without CISO Type 2', () => {
    const result = classifyFirm(buildFirm({ paidInCapitalNtd: 5 * BILLION, tierOverride: { tier: 4, reason: '通知' } }));
    expect(result).toMatchObject({ tier: 4, cisoRequired: false, type: 2 });
  });

  it('says the seeds give no tier thresholds', () => {
    const reason = reasonOf(buildFirm(), 'tier');
    expect(reason.text).toContain('未列分級門檻');
    expect(reason.textEn).toContain('give no thresholds');
  });

  it('tier and type unknown without capital; a Type 1 decision still possible by CISO', () => {
    const unknown = classifyFirm(buildFirm({ paidInCapitalNtd: undefined }));
    expect(unknown).toMatchObject({ tier: null, type: null, cisoRequired: null });
    expect(reasonOf(buildFirm({ paidInCapitalNtd: undefined }), 'tier').text).toContain('paidInCapitalNtd');
    const cisoByShares = classifyFirm(buildFirm({ paidInCapitalNtd: undefined, shares: { internetDmaTurnoverPct: 61, brokerageMarketSharePct: 2, naturalPersonClientPct: 51 } }));
    expect(cisoByShares).toMatchObject({ tier: null, type: 1 });
  });
});

describe('classifyFirm: foreign', () => {
  it.each([
    [true, true, '標準較佳之規範'],
    [false, false, '本國證券商'],
    [undefined, null, 'foreign'],
  ])('foreign=%s', (foreign, expected, text) => {
    const profile = buildFirm({ foreign });
    expect(classifyFirm(profile).foreign).toBe(expected);
    expect(reasonOf(profile, 'foreign').text).toContain(text);
  });

  it('cites NET 2.8 and ETECH article 3 for foreign firms', () => {
    expect(reasonOf(buildFirm({ foreign: true }), 'foreign').source).toMatch(/第二條八.*新興科技資通安全自律規範第三條/);
  });
});
