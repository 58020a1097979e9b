import { describe, expect, it } from 'vitest';
import type { VersionDiff } from '../domain/catalog/diff.ts';
import { diffText } from '../domain/catalog/diff.ts';
import { renderDiffMarkdown } from '../server/catalog/catalog-export.ts';
import { displayWidth, renderDiffTable, wrapRuns } from './terminal-table.ts';

const stripAnsi = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, '');

function buildDiff(): VersionDiff {
  const oldText = '密碼輸入錯誤次數達三次者，應予中斷連線。';
  const newText = '密碼輸入錯誤次數達五次者，應予鎖定帳號並中斷連線。';
  return {
    document: 'CSIM', from: '111', to: '112', approval: '金管證券字第 11203447331 號', date: '2023-08-15', titleChange: null, view: 'grouped',
    counts: { added: 1, changed: 1, renumbered: 0, removed: 1 },
    rows: [
      { kind: 'changed', lineage: 'CSIM@109:8.3.e', path: '8.3.e', oldPath: '8.3.e', newText, oldText, newNotInSource: false, oldNotInSource: false, reasons: ['配合 | 實務修訂'], reasonRefs: [], sourceRows: [3], segments: diffText(oldText, newText), isTextChanged: true, scopeChange: null, movedWithParent: [] },
      { kind: 'added', lineage: 'CSIM@112:8.3.f', path: '8.3.f', oldPath: null, newText: '應定期檢視帳號。', oldText: null, newNotInSource: false, oldNotInSource: false, reasons: [], reasonRefs: [], sourceRows: [4], segments: [], isTextChanged: false, scopeChange: null, movedWithParent: [] },
      { kind: 'removed', lineage: 'CSIM@109:8.3.g', path: null, oldPath: '8.3.g', newText: null, oldText: '舊條文。', newNotInSource: false, oldNotInSource: false, reasons: ['刪除'], reasonRefs: [], sourceRows: [5], segments: [], isTextChanged: false, scopeChange: null, movedWithParent: [] },
    ],
  };
}

describe('terminal width', () => {
  it.each([['abc', 3], ['防火牆', 6], ['（CC-17010）', 2 + 8 + 2], ['ＡＢ', 4]])('%s takes %i columns', (text, width) => {
    expect(displayWidth(text)).toBe(width);
  });

  it('wraps runs so no line is wider than the column, keeping every character and its style', () => {
    const runs = [{ text: '公司應建立遠端連線管理辦法，', style: 'plain' as const }, { text: '及身分認證 and MFA', style: 'added' as const }];
    const lines = wrapRuns(runs, 9);
    for (const line of lines) expect(displayWidth(line.map((run) => run.text).join(''))).toBeLessThanOrEqual(9);
    expect(lines.flat().map((run) => run.text).join('')).toBe(runs.map((run) => run.text).join(''));
    expect(lines.flat().filter((run) => run.style === 'added').map((run) => run.text).join('')).toBe('及身分認證 and MFA');
  });
});

describe('comparison table', () => {
  it('in the terminal: every line has the same width, additions green-underlined, deletions red-struck', () => {
    const output = renderDiffTable(buildDiff(), { totalWidth: 80, isColour: true });
    const tableLines = output.trimEnd().split('\n').slice(2);
    expect(output.split('\n')[0]).toBe('CSIM 112 與 111 條文對照表（金管證券字第 11203447331 號，2023-08-15）');
    const widths = new Set(tableLines.map((line) => displayWidth(stripAnsi(line))));
    expect(widths.size).toBe(1);
    expect(output).toContain('\u001b[32;4m五\u001b[0m');
    expect(output).toContain('\u001b[31;9m三\u001b[0m');
    expect(stripAnsi(output)).toContain('（刪除）');
  });

  it('without colour the changes stay visible as [+ +] and [- -]', () => {
    const output = renderDiffTable(buildDiff(), { totalWidth: 100, isColour: false });
    expect(output).not.toContain('\u001b[');
    expect(output).toContain('[+五+]');
    expect(output).toContain('[-三-]');
  });

  it('in Markdown: three columns, <u> for additions, ~~ for deletions, pipes escaped', () => {
    const markdown = renderDiffMarkdown(buildDiff());
    const lines = markdown.split('\n').filter((line) => line.startsWith('|'));
    expect(lines[0]).toBe('| 修正條文 | 現行條文 | 說明 |');
    expect(lines[2]).toContain('達<u>五</u>次者');
    expect(lines[2]).toContain('達~~三~~次者');
    expect(lines[2]).toContain('配合 \\| 實務修訂');
    expect(lines[3]).toContain('<u>應定期檢視帳號。</u>');
    expect(lines[4]).toContain('~~舊條文。~~');
  });
});
