/**
 * Terminal rendering: display width of CJK text, styled runs wrapped into fixed-width columns, and the
 * comparison table 修正條文 | 現行條文 | 說明 with additions underlined in green and deletions struck in red.
 */
import type { TextSegment, VersionDiff } from '../domain/catalog/diff.ts';
import { columnSegments, DIFF_HEADERS, diffTitle, emptyCell, kindLabel, reasonText } from '../server/catalog/catalog-export.ts';

export type Style = 'plain' | 'added' | 'removed' | 'heading' | 'dim';

export interface Run {
  text: string;
  style: Style;
}

const ANSI: Record<Style, [string, string]> = {
  plain: ['', ''],
  added: ['\u001b[32;4m', '\u001b[0m'],
  removed: ['\u001b[31;9m', '\u001b[0m'],
  heading: ['\u001b[1m', '\u001b[0m'],
  dim: ['\u001b[2m', '\u001b[0m'],
};

/** Without colour the marks are still visible: [+added+] and [-removed-]. */
const PLAIN_MARKS: Record<Style, [string, string]> = {
  plain: ['', ''],
  added: ['[+', '+]'],
  removed: ['[-', '-]'],
  heading: ['', ''],
  dim: ['', ''],
};

/** Columns a character takes in a terminal: 2 for East Asian wide and full-width characters. */
export function charWidth(char: string): number {
  const code = char.codePointAt(0) ?? 0;
  if (code < 0x20 || (code >= 0x7f && code < 0xa0)) return 0;
  if (
    (code >= 0x1100 && code <= 0x115f) ||
    (code >= 0x2e80 && code <= 0xa4cf && code !== 0x303f) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x20000 && code <= 0x3fffd)
  ) {
    return 2;
  }
  return 1;
}

export function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) width += charWidth(char);
  return width;
}

/** Wraps styled runs into lines no wider than `width` columns; each line is a list of runs. */
export function wrapRuns(runs: Run[], width: number): Run[][] {
  const lines: Run[][] = [[]];
  let used = 0;
  const push = (char: string, style: Style) => {
    const line = lines[lines.length - 1];
    const last = line[line.length - 1];
    if (last && last.style === style) last.text += char;
    else line.push({ text: char, style });
  };
  for (const run of runs) {
    for (const char of run.text) {
      if (char === '\n') {
        lines.push([]);
        used = 0;
        continue;
      }
      const charColumns = charWidth(char);
      if (used + charColumns > width && used > 0) {
        lines.push([]);
        used = 0;
      }
      push(char, run.style);
      used += charColumns;
    }
  }
  return lines;
}

function paint(runs: Run[], isColour: boolean): string {
  const marks = isColour ? ANSI : PLAIN_MARKS;
  return runs.map((run) => `${marks[run.style][0]}${run.text}${marks[run.style][1]}`).join('');
}

function runsWidth(runs: Run[], isColour: boolean): number {
  return runs.reduce((sum, run) => sum + displayWidth(run.text) + (isColour ? 0 : displayWidth(PLAIN_MARKS[run.style].join(''))), 0);
}

/** A boxed table of styled cells; columns share `totalWidth`. */
export function renderTable(headers: string[], rows: Run[][][], options: { totalWidth: number; isColour: boolean; widths?: number[] }): string {
  const columnCount = headers.length;
  const inner = Math.max(columnCount * 8, options.totalWidth - (columnCount * 3 + 1));
  const widths = options.widths ?? headers.map(() => Math.floor(inner / columnCount));
  const border = (left: string, middle: string, right: string) => `${left}${widths.map((width) => '─'.repeat(width + 2)).join(middle)}${right}`;
  const out: string[] = [border('┌', '┬', '┐')];
  const emit = (cells: Run[][]) => {
    // Without colour the [+ +] marks take room too, so wrap the marked text.
    const wrapped = cells.map((runs, index) => {
      const marked = options.isColour ? runs : runs.map((run) => ({ text: `${PLAIN_MARKS[run.style][0]}${run.text}${PLAIN_MARKS[run.style][1]}`, style: 'plain' as Style }));
      return wrapRuns(marked, widths[index]);
    });
    const height = Math.max(...wrapped.map((lines) => lines.length));
    for (let line = 0; line < height; line += 1) {
      const parts = wrapped.map((lines, index) => {
        const runs = lines[line] ?? [];
        const pad = widths[index] - runsWidth(runs, true);
        return ` ${paint(runs, options.isColour)}${' '.repeat(Math.max(0, pad))} `;
      });
      out.push(`│${parts.join('│')}│`);
    }
  };
  emit(headers.map((header) => [{ text: header, style: 'heading' }]));
  for (const row of rows) {
    out.push(border('├', '┼', '┤'));
    emit(row);
  }
  out.push(border('└', '┴', '┘'));
  return out.join('\n');
}

/** The comparison table for a terminal, in document order (a changed document title first). */
export function renderDiffTable(diff: VersionDiff, options: { totalWidth: number; isColour: boolean }): string {
  const cell = (heading: string | null, segments: TextSegment[], empty: string): Run[] => [
    ...(heading ? [{ text: `${heading} `, style: 'heading' as Style }] : []),
    ...(segments.length === 0 ? [{ text: empty, style: 'dim' as Style }] : segments.map((segment) => ({
      text: segment.text,
      style: (segment.kind === 'same' ? 'plain' : segment.kind) as Style,
    }))),
  ];
  const rows: Run[][][] = [];
  if (diff.titleChange) {
    const segments = diff.titleChange.segments;
    rows.push([
      cell('名稱', segments.filter((segment) => segment.kind !== 'removed'), ''),
      cell('名稱', segments.filter((segment) => segment.kind !== 'added'), ''),
      [{ text: '〔名稱變更〕', style: 'dim' }],
    ]);
  }
  for (const row of diff.rows) {
    const { newer, older } = columnSegments(row);
    const reason: Run[] = [
      { text: `〔${kindLabel(row)}〕`, style: 'dim' },
      { text: reasonText(row), style: 'plain' },
    ];
    rows.push([cell(row.path, newer, emptyCell(row, 'newer')), cell(row.oldPath, older, emptyCell(row, 'older')), reason]);
  }
  const inner = Math.max(60, options.totalWidth - 10);
  const reasonWidth = Math.max(16, Math.floor(inner * 0.22));
  const textWidth = Math.floor((inner - reasonWidth) / 2);
  const summary = `${diffTitle(diff)}\n新增 ${diff.counts.added}、修正 ${diff.counts.changed}、移列 ${diff.counts.renumbered}、刪除 ${diff.counts.removed}`;
  return `${summary}\n${renderTable([...DIFF_HEADERS], rows, { ...options, widths: [textWidth, textWidth, reasonWidth] })}\n`;
}
