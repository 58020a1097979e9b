import { describe, expect, it } from 'vitest';
import {
  checkAssessment,
  classifyEvidenceValidity,
  deriveCampaignStatus,
  findEditBlock,
  findReviewBlock,
  selectCampaignItems,
  summarizeProgress,
  type SelectableItem,
} from './campaign-rules.ts';
import type { ApplicabilityResult } from '../applicability/evaluate.ts';

function item(path: string, cycle: SelectableItem['cycle'] = 'monthly'): SelectableItem {
  const cut = path.lastIndexOf('.');
  return { id: `CSIM:${path}`, path, parentPath: cut < 0 ? null : path.slice(0, cut), lineage: `CSIM@109:${path}`, code: 'CC-17010', cycle, order: 0 };
}

function verdict(id: string, value: ApplicabilityResult['verdict']): ApplicabilityResult {
  return { id, versionedId: id, lineage: id, verdict: value, reason: `理由 ${id}`, reasonEn: id, cycle: 'monthly', missingFields: value === 'needs_answer' ? ['channels.internet'] : [] };
}

describe('selectCampaignItems', () => {
  it('takes applicable leaf items of the cycle, lists needs_answer items and counts the rest', () => {
    const items = [item('7.1'), item('7.1.a'), item('7.1.a.a'), item('7.1.c'), item('7.1.c.c'), item('7.1.g.a'), item('7.2.a', 'semiannual')];
    const results = [
      verdict('CSIM:7.1', 'applies'), verdict('CSIM:7.1.a', 'applies'), verdict('CSIM:7.1.a.a', 'applies'),
      verdict('CSIM:7.1.c', 'needs_answer'), verdict('CSIM:7.1.c.c', 'needs_answer'), verdict('CSIM:7.1.g.a', 'not_applicable'),
      verdict('CSIM:7.2.a', 'applies'),
    ];
    const selection = selectCampaignItems(items, results, 'monthly');
    expect(selection.items.map((entry) => entry.id)).toEqual(['CSIM:7.1.a.a']);
    expect(selection.items[0].reason).toBe('理由 CSIM:7.1.a.a');
    expect(selection.needsAnswer.map((entry) => entry.id)).toEqual(['CSIM:7.1.c.c']);
    expect(selection.excluded).toBe(1);
  });
});

describe('assessment and review rules', () => {
  it.each([
    ['not_applicable without justification', { result: 'not_applicable' as const, justification: '  ' }, 1],
    ['not_applicable with justification', { result: 'not_applicable' as const, justification: '無此業務' }, 0],
    ['non_compliant without justification', { result: 'non_compliant' as const }, 0],
  ])('%s', (_label, input, problems) => {
    expect(checkAssessment(input)).toHaveLength(problems);
  });

  it('refuses review by the assessor and of items not submitted', () => {
    expect(findReviewBlock({ reviewState: 'submitted', result: 'compliant', assessorId: 'u1' }, 'u1')?.where).toBe('reviewer');
    expect(findReviewBlock({ reviewState: 'pending', result: 'compliant', assessorId: 'u1' }, 'u2')?.where).toBe('reviewState');
    expect(findReviewBlock({ reviewState: 'submitted', result: 'compliant', assessorId: 'u1' }, 'u2')).toBeNull();
  });

  it('locks edits on approved campaigns and submitted items', () => {
    const pending = { reviewState: 'pending' as const, result: null, assessorId: null };
    expect(findEditBlock('approved', pending)?.where).toBe('campaign');
    expect(findEditBlock('in_review', { ...pending, reviewState: 'submitted' })?.where).toBe('reviewState');
    expect(findEditBlock('open', { ...pending, reviewState: 'returned' })).toBeNull();
  });

  it.each([
    [['approved', 'approved'], 'approved'],
    [['approved', 'returned'], 'in_review'],
    [['pending', 'returned'], 'open'],
    [[], 'open'],
  ] as const)('derives campaign status from %j', (states, status) => {
    expect(deriveCampaignStatus(states)).toBe(status);
  });
});

describe('progress and evidence validity', () => {
  it('computes compliance per section, leaving not_applicable out of the rate', () => {
    const progress = summarizeProgress([
      { section: 'A', result: 'compliant', reviewState: 'approved' },
      { section: 'A', result: 'non_compliant', reviewState: 'submitted' },
      { section: 'A', result: 'not_applicable', reviewState: 'pending' },
      { section: 'B', result: null, reviewState: 'pending' },
    ]);
    expect(progress.overall.complianceRate).toBeCloseTo(0.5);
    expect(progress.sections.map((section) => [section.section, section.total, section.complianceRate])).toEqual([['A', 3, 0.5], ['B', 1, null]]);
  });

  it.each([
    [null, 'valid'],
    ['2024-03-14', 'expired'],
    ['2024-03-15', 'expiring'],
    ['2024-04-14', 'expiring'],
    ['2024-04-15', 'valid'],
  ] as const)('evidence valid until %s is %s on 2024-03-15', (validUntil, expected) => {
    expect(classifyEvidenceValidity(validUntil, '2024-03-15', 30)).toBe(expected);
  });
});
