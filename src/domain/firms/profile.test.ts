import { describe, expect, it } from 'vitest';
import { firmProfileSchema, readBrokerage, validateFirmProfile } from './profile.ts';

const example = {
  name: '範例證券',
  registrationNumber: '證券商許可證字號 0001',
  paidInCapitalNtd: 12_000_000_000,
  fiscalYearEnd: '12-31',
  businessLines: { brokerage: true, proprietary: true, underwriting: false },
  channels: { internet: true, voice: true, traditional: true, dma: false, colocation: false },
  brokerage: true,
  publicCompany: true,
  foreign: false,
  shares: { internetDmaTurnoverPct: 55, brokerageMarketSharePct: 1.2, naturalPersonClientPct: 85 },
  website: true,
  apiServices: false,
  cloud: { user: true, provider: false, critical: false },
  socialMedia: true,
  mobileApps: [{ name: '行動下單', level: 'L2', fTested: false }],
  mobileDevices: true,
  byod: false,
  iot: true,
  videoIdentityVerification: false,
  internationalTransfer: false,
  tierOverride: { tier: 2, reason: '證交所通知 112 年分級' },
};

describe('firmProfileSchema', () => {
  it('accepts the full example profile and a name-only profile', () => {
    expect(firmProfileSchema.parse(example)).toEqual(example);
    expect(validateFirmProfile({ name: '新設證券' })).toEqual({ ok: true, profile: { name: '新設證券' } });
  });

  it.each([
    ['missing name', { paidInCapitalNtd: 1 }, 'name', '公司名稱'],
    ['negative capital', { name: 'x', paidInCapitalNtd: -1 }, 'paidInCapitalNtd', '實收資本額不可為負數'],
    ['share above 100 %', { name: 'x', shares: { naturalPersonClientPct: 101 } }, 'shares.naturalPersonClientPct', '不可超過 100%'],
    ['negative share', { name: 'x', shares: { brokerageMarketSharePct: -0.5 } }, 'shares.brokerageMarketSharePct', '不可小於 0%'],
    ['fiscal year end 02-30', { name: 'x', fiscalYearEnd: '02-30' }, 'fiscalYearEnd', '不是有效日期'],
    ['fiscal year end 13-31', { name: 'x', fiscalYearEnd: '13-31' }, 'fiscalYearEnd', '不是有效日期'],
    ['fiscal year end mid-month', { name: 'x', fiscalYearEnd: '06-15' }, 'fiscalYearEnd', '須為月底'],
    ['fiscal year end not MM-DD', { name: 'x', fiscalYearEnd: '2024-12-31' }, 'fiscalYearEnd', 'MM-DD'],
    ['app level L4', { name: 'x', mobileApps: [{ name: 'a', level: 'L4' }] }, 'mobileApps.0.level', 'L1、L2 或 L3'],
    ['override without reason', { name: 'x', tierOverride: { tier: 1 } }, 'tierOverride.reason', '須說明理由'],
    ['override with blank reason', { name: 'x', tierOverride: { tier: 1, reason: '  ' } }, 'tierOverride.reason', '須說明理由'],
    ['override tier 5', { name: 'x', tierOverride: { tier: 5, reason: 'r' } }, 'tierOverride.tier', '1、2、3 或 4'],
    ['brokerage disagreement', { name: 'x', brokerage: true, businessLines: { brokerage: false } }, 'brokerage', '不一致'],
    ['misspelled field', { name: 'x', webiste: true }, '(profile)', 'webiste'],
  ])('rejects %s and names the field', (_label, input, field, text) => {
    const result = validateFirmProfile(input);
    expect(result.ok).toBe(false);
    if (result.ok) {
      return;
    }
    const error = result.errors.find((candidate) => candidate.field === field);
    expect(error, JSON.stringify(result.errors)).toBeDefined();
    expect(error!.message).toContain(text);
    expect(error!.messageEn).toContain(field === '(profile)' ? '' : field);
  });

  it('accepts end of February either way and the zero and hundred percent bounds', () => {
    for (const fiscalYearEnd of ['02-28', '02-29', '06-30', '09-30', '03-31']) {
      expect(validateFirmProfile({ name: 'x', fiscalYearEnd }).ok).toBe(true);
    }
    expect(validateFirmProfile({ name: 'x', shares: { internetDmaTurnoverPct: 0, naturalPersonClientPct: 100 } }).ok).toBe(true);
  });

  it('reads brokerage from whichever place gives it', () => {
    expect(readBrokerage({ name: 'x', businessLines: { brokerage: false } })).toBe(false);
    expect(readBrokerage({ name: 'x', brokerage: true })).toBe(true);
    expect(readBrokerage({ name: 'x' })).toBeUndefined();
  });
});
