import { describe, expect, it } from 'vitest';
import { ageBucketOf, buildFollowUpReport, checkOwnerChange, checkTransition, isOverdue, type DeficiencyState, type TransitionRequest } from './deficiency-rules.ts';

const base: TransitionRequest = { from: 'open', to: 'planned', actorId: 'a', ownerId: 'o', plan: '計畫', dueDate: '2030-01-01', comment: null };

describe('checkTransition', () => {
  it.each([
    ['open', 'planned', null],
    ['open', 'closed', 'state'],
    ['planned', 'pending_verification', 'state'],
    ['in_remediation', 'pending_verification', null],
    ['pending_verification', 'closed', null],
    ['closed', 'pending_verification', 'state'],
  ] as [DeficiencyState, DeficiencyState, string | null][])('%s → %s', (from, to, refusal) => {
    expect(checkTransition({ ...base, from, to })?.kind ?? null).toBe(refusal);
  });

  it('refuses verification by the owner and reopening without a comment', () => {
    expect(checkTransition({ ...base, from: 'pending_verification', to: 'closed', actorId: 'o' })?.kind).toBe('actor');
    expect(checkTransition({ ...base, from: 'closed', to: 'open' })?.where).toBe('comment');
    expect(checkTransition({ ...base, from: 'closed', to: 'open', comment: '複查未過' })).toBeNull();
    expect(checkTransition({ ...base, plan: null })?.where).toBe('plan');
  });

  it('refuses closing by whoever asked for verification, by the owner at that time, and without an owner', () => {
    const pending = { ...base, from: 'pending_verification', to: 'closed', ownerId: 'o2', verificationRequestedBy: 'r', ownerAtVerificationRequest: 'o' } as const;
    expect(checkTransition({ ...pending, actorId: 'r' })?.kind).toBe('actor');
    expect(checkTransition({ ...pending, actorId: 'o' })?.kind).toBe('actor');
    expect(checkTransition({ ...pending, actorId: 'o2' })?.kind).toBe('actor');
    expect(checkTransition({ ...pending, actorId: 'v' })).toBeNull();
    expect(checkTransition({ ...pending, actorId: 'v', ownerId: null })?.where).toBe('ownerId');
  });

  it('needs an owner to start remediation', () => {
    expect(checkTransition({ ...base, from: 'open', to: 'in_remediation', ownerId: null })?.where).toBe('ownerId');
    expect(checkTransition({ ...base, from: 'open', to: 'in_remediation' })).toBeNull();
  });
});

describe('checkOwnerChange', () => {
  it.each([
    ['open', 'o', 'x', null],
    ['in_remediation', 'o', 'x', null],
    ['in_remediation', 'o', null, 'input'],
    ['pending_verification', 'o', 'x', 'state'],
    ['pending_verification', 'o', 'o', null],
    ['pending_verification', null, 'x', null],
    ['closed', 'o', 'x', 'state'],
  ] as [DeficiencyState, string | null, string | null, string | null][])('%s: %s → %s', (state, current, next, refusal) => {
    expect(checkOwnerChange(state, current, next)?.kind ?? null).toBe(refusal);
  });
});

describe('overdue and age', () => {
  it('flags open deficiencies past their due date only', () => {
    expect(isOverdue('in_remediation', '2024-01-31', '2024-02-01')).toBe(true);
    expect(isOverdue('closed', '2024-01-31', '2024-02-01')).toBe(false);
    expect(isOverdue('open', '2024-02-01', '2024-02-01')).toBe(false);
    expect([0, 30, 31, 90, 91, 181].map(ageBucketOf)).toEqual(['0-30', '0-30', '31-90', '31-90', '91-180', '181+']);
  });
});

describe('buildFollowUpReport', () => {
  it('summarises states, severities and overdue findings and gathers recommendations', () => {
    const report = buildFollowUpReport([
      { number: 2, title: 'B', description: null, source: 'self_inspection', items: ['CSIM:1.3'], severity: 'low', state: 'closed', ownerName: null, dueDate: '2024-01-01', plan: null, recommendation: null, createdAt: '2024-02-01T00:00:00Z', closedAt: '2024-03-01T00:00:00Z' },
      { number: 1, title: 'A', description: null, source: 'internal_audit', items: ['CSIM:7.1.b.f'], severity: 'high', state: 'open', ownerName: null, dueDate: '2024-01-01', plan: null, recommendation: '每年檢視', createdAt: '2024-01-05T00:00:00Z', closedAt: null },
    ], '2024-06-01', '測試證券');
    expect(report.findings.map((finding) => finding.number)).toEqual([1, 2]);
    expect(report.summary.overdue).toBe(1);
    expect(report.summary.byState.closed).toBe(1);
    expect(report.scope).toMatchObject({ sources: ['internal_audit', 'self_inspection'], from: '2024-01-05', to: '2024-02-01' });
    expect(report.recommendations).toEqual([{ number: 1, recommendation: '每年檢視' }]);
  });
});
