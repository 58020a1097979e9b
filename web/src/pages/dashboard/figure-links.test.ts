import { describe, expect, it } from 'vitest';
import { toPageHref, toPageTarget } from './figure-links.ts';

const firm = '/api/v1/firms/5f0c7a52-0000-4000-8000-000000000001';

describe('toPageTarget', () => {
  it.each([
    [`${firm}/deficiencies`, { isOpen: 'true', severity: 'high', ageMinDays: '0', ageMaxDays: '30' }, '/deficiencies?isOpen=true&severity=high&ageMinDays=0&ageMaxDays=30'],
    [`${firm}/deficiencies`, { overdue: 'true' }, '/deficiencies?overdue=true'],
    [`${firm}/campaigns`, { cycle: 'monthly', period: '2026-03' }, '/campaigns?cycle=monthly&period=2026-03'],
    [`${firm}/campaigns/abc/items`, { section: 'CC-17010', result: 'non_compliant' }, '/campaigns/abc?section=CC-17010&result=non_compliant'],
    [`${firm}/evidence`, { expiringWithinDays: '30' }, '/evidence?expiringWithinDays=30'],
  ])('leads %s %o to the page %s', (path, query, href) => {
    const target = toPageTarget({ path, query });
    expect(target).not.toBeNull();
    expect(toPageHref(target!)).toBe(href);
  });

  it('types booleans and numbers as the router parses them, keeping period names as text', () => {
    expect(toPageTarget({ path: `${firm}/deficiencies`, query: { isOpen: 'true', ageMinDays: '31' } })?.search).toEqual({ isOpen: true, ageMinDays: 31 });
    expect(toPageTarget({ path: `${firm}/campaigns`, query: { period: '2026-H1' } })?.search).toEqual({ period: '2026-H1' });
  });

  it('has no page for lists the app does not show', () => {
    expect(toPageTarget({ path: `${firm}/audit`, query: {} })).toBeNull();
  });
});
