import { describe, expect, it } from 'vitest';
import { parseResultCell, validateChecklistRows, type CurrentItem } from './checklist-rows.ts';

const current = new Map<string, CurrentItem>([
  ['CSIM:1.1', { id: 'CSIM:1.1', revision: 3, result: null, justification: null, notes: null, reviewState: 'pending', assessorId: null }],
  ['CSIM:1.2', { id: 'CSIM:1.2', revision: 1, result: 'compliant', justification: null, notes: null, reviewState: 'submitted', assessorId: 'u' }],
]);

describe('validateChecklistRows', () => {
  it('accepts a valid change and skips unchanged rows', () => {
    const { issues, updates } = validateChecklistRows([
      { row: 2, cells: { id: 'CSIM:1.1', result: '部分符合', notes: '尚缺紀錄', revision: '3' } },
      { row: 3, cells: { id: 'CSIM:1.2', result: '符合', revision: '1' } },
    ], current, 'in_review');
    expect(issues).toEqual([]);
    expect(updates).toEqual([{ id: 'CSIM:1.1', revision: 3, result: 'partial', justification: null, notes: '尚缺紀錄' }]);
  });

  it('reports each problem with its row and column and returns no updates', () => {
    const { issues, updates } = validateChecklistRows([
      { row: 2, cells: { id: 'CSIM:1.1', result: '符合', revision: '2' } },
      { row: 3, cells: { id: 'CSIM:1.2', result: '不符合', revision: '1' } },
      { row: 4, cells: { id: 'CSIM:9.9', result: '符合', revision: '1' } },
      { row: 5, cells: { id: 'CSIM:1.1', result: '符合', revision: '3' } },
    ], current, 'in_review');
    expect(issues.map((issue) => [issue.row, issue.column])).toEqual([[2, 'K'], [3, 'D'], [4, 'A'], [5, 'A']]);
    expect(updates).toEqual([]);
  });

  it.each([['符合', 'compliant'], ['NON_COMPLIANT', 'non_compliant'], ['', null], ['大致符合', undefined]] as const)('reads result %s', (cell, expected) => {
    expect(parseResultCell(cell)).toBe(expected);
  });
});
