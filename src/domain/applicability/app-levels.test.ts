/** MAS (App lab-report) items bind a firm by its apps' test levels, naming the apps. */
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../catalog-files/load-catalog.ts';
import type { FirmProfile } from '../firms/profile.ts';
import { evaluateApplicability, type Verdict } from './evaluate.ts';

const mas = loadCatalog().find((entry) => entry.document === 'MAS')!;

function verdictsFor(mobileApps: FirmProfile['mobileApps']) {
  const results = evaluateApplicability(mas.items, { name: '測試證券', mobileApps }, { date: '2024-06-30' });
  return new Map(results.map((result) => [result.id, result]));
}

// Row 1: L1 L2 L3; row 2: F only; row 3: L2 L3; row 11: L3 only.
describe('MAS applicability by the firm\'s apps', () => {
  it.each<[string, FirmProfile['mobileApps'], Record<string, Verdict>]>([
    ['one L1 app', [{ name: '看盤', level: 'L1', fTested: false }], { 'MAS:1': 'applies', 'MAS:2': 'not_applicable', 'MAS:3': 'not_applicable', 'MAS:11': 'not_applicable' }],
    ['one L2 app', [{ name: '行動下單', level: 'L2', fTested: false }], { 'MAS:1': 'applies', 'MAS:3': 'applies', 'MAS:11': 'not_applicable' }],
    ['an L2 app tested on F', [{ name: '行動下單', level: 'L2', fTested: true }], { 'MAS:2': 'applies' }],
    ['F testing not answered', [{ name: '行動下單', level: 'L2' }], { 'MAS:2': 'needs_answer', 'MAS:1': 'applies' }],
    ['no apps', [], { 'MAS:1': 'not_applicable', 'MAS:2': 'not_applicable', 'MAS:11': 'not_applicable' }],
    ['apps not answered', undefined, { 'MAS:1': 'needs_answer', 'MAS:2': 'needs_answer', 'MAS:11': 'needs_answer' }],
  ])('%s', (_label, apps, expected) => {
    const verdicts = verdictsFor(apps);
    for (const [id, verdict] of Object.entries(expected)) {
      expect(verdicts.get(id)?.verdict, id).toBe(verdict);
    }
  });

  it('the reason names the apps that make the item apply, and the level', () => {
    const verdicts = verdictsFor([{ name: '看盤', level: 'L1', fTested: false }, { name: '理財', level: 'L3', fTested: false }]);
    const l3Only = verdicts.get('MAS:11')!;
    expect(l3Only.verdict).toBe('applies');
    expect(l3Only.reason).toContain('理財（L3）');
    expect(l3Only.reason).not.toContain('看盤');
    expect(l3Only.reasonEn).toMatch(/^Applies to apps tested at L3 — this firm’s apps: 理財 \(L3\)/);
    expect(verdicts.get('MAS:3')!.reason).toContain('理財（L3）');
  });

  it('no apps and unknown apps say why, and which field to fill in', () => {
    expect(verdictsFor([]).get('MAS:1')!.reason).toContain('本公司未提供投資人行動應用程式');
    expect(verdictsFor(undefined).get('MAS:1')!.missingFields).toEqual(['mobileApps']);
    expect(verdictsFor([{ name: '行動下單', level: 'L2' }]).get('MAS:2')!.missingFields).toEqual(['mobileApps[].fTested']);
    const notMarked = verdictsFor([{ name: '看盤', level: 'L1', fTested: false }]).get('MAS:3')!;
    expect(notMarked.reason).toContain('本公司 App 之檢測分類均不適用：看盤（L1）');
  });
});
