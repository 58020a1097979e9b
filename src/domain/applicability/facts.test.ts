import { describe, expect, it } from 'vitest';
import { FACTS } from '../catalog/schema.ts';
import { classifyFirm } from '../firms/classify.ts';
import type { FirmProfile } from '../firms/profile.ts';
import { deriveFacts, describeFact } from './facts.ts';

function factsOf(profile: FirmProfile) {
  return deriveFacts(profile, classifyFirm(profile));
}

describe('deriveFacts', () => {
  it('derives every fact in FACTS, unknown for an empty profile', () => {
    const facts = factsOf({ name: '新設證券' });
    expect(Object.keys(facts).sort()).toEqual([...FACTS].sort());
    for (const fact of FACTS) {
      expect(facts[fact].value, fact).toBeNull();
      expect(facts[fact].fields.length, fact).toBeGreaterThan(0);
    }
  });

  it.each<[string, FirmProfile, Partial<Record<(typeof FACTS)[number], boolean | null>>]>([
    ['voice only', { name: 'x', channels: { internet: false, voice: true } }, { onlineOrdering: false, electronicTrading: true }],
    ['traditional only', { name: 'x', channels: { internet: false, voice: false, dma: false, colocation: false, traditional: true } }, { electronicTrading: false }],
    ['internet unknown, voice no', { name: 'x', channels: { voice: false, dma: false, colocation: false } }, { onlineOrdering: null, electronicTrading: null }],
    ['co-location only', { name: 'x', channels: { internet: false, voice: false, dma: false, colocation: true } }, { electronicTrading: true }],
    ['brokerage from business lines', { name: 'x', businessLines: { brokerage: false } }, { brokerage: false }],
    ['no cloud means no critical cloud', { name: 'x', cloud: { user: false, provider: false } }, { cloudUser: false, cloudProvider: false, cloudCritical: false }],
    ['cloud user, criticality unknown', { name: 'x', cloud: { user: true } }, { cloudUser: true, cloudProvider: null, cloudCritical: null }],
    ['empty app list', { name: 'x', mobileApps: [] }, { mobileApps: false }],
    ['one app', { name: 'x', mobileApps: [{ name: 'a', level: 'L1' }] }, { mobileApps: true }],
    ['big firm: CISO and Type 1', { name: 'x', paidInCapitalNtd: 15e9 }, { cisoRequired: true, type1: true }],
    ['small firm, low shares: Type 2', { name: 'x', paidInCapitalNtd: 1e9, shares: { naturalPersonClientPct: 10 } }, { cisoRequired: false, type1: false }],
  ])('%s', (_label, profile, expected) => {
    const facts = factsOf(profile);
    for (const [fact, value] of Object.entries(expected)) {
      expect(facts[fact as (typeof FACTS)[number]].value, fact).toBe(value);
    }
  });

  it('describes facts for reasons, naming the field when unanswered', () => {
    const facts = factsOf({ name: 'x', channels: { internet: false } });
    expect(describeFact(facts.onlineOrdering)).toEqual({ text: '本公司未提供網際網路下單', textEn: 'this firm offers no internet ordering' });
    expect(describeFact(facts.website).text).toBe('尚未填答是否設有官方網站（website）');
  });
});
