import { describe, expect, it } from 'vitest';
import { letterOfColumn, parseResultCell, validateChecklistRows, type CurrentItem } from './checklist-rows.ts';

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

  it('names the letter and header a moved column has in the uploaded sheet', () => {
    const { issues } = validateChecklistRows([
      { row: 2, cells: { id: 'CSIM:1.1', result: '大致符合', revision: '3' } },
    ], current, 'in_review', { result: { letter: 'AB', header: '評核結果 Result' } });
    expect(issues[0]).toMatchObject({ row: 2, column: 'AB', key: 'result', header: '評核結果 Result' });
    expect(issues[0].message).toContain('第 2 列 AB 欄（評核結果 Result）');
  });

  it.each([[1, 'A'], [11, 'K'], [26, 'Z'], [27, 'AA'], [28, 'AB'], [703, 'AAA']] as const)('column %i is %s', (number, letter) => {
    expect(letterOfColumn(number)).toBe(letter);
  });

  it.each([['符合', 'compliant'], ['NON_COMPLIANT', 'non_compliant'], ['', null], ['大致符合', undefined]] as const)('reads result %s', (cell, expected) => {
    expect(parseResultCell(cell)).toBe(expected);
  });
});
