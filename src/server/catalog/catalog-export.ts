/**
 * Catalog exports: every document version as OSCAL 1.1.3 or as the API's JSON, and the comparison
 * table between two versions (修正條文 | 現行條文 | 說明) as Markdown or as an XLSX workbook with the
 * changed words marked (underlined additions, struck deletions) in rich text.
 */
import ExcelJS from 'exceljs';
import type { Queryable } from '../db/client.ts';
import { AppError } from '../errors.ts';
import { buildOscalCatalog } from '../../domain/catalog/oscal.ts';
import { diffText, type DiffRow, type TextSegment, type VersionDiff } from '../../domain/catalog/diff.ts';
import type { CatalogVersion } from '../../domain/catalog/resolve.ts';
import { DOCUMENT_CODES } from '../../domain/catalog/schema.ts';
import { presentItem } from '../routes/catalog-routes.ts';
import { listDocumentVersions, loadVersionChain } from './catalog-service.ts';

export const EXPORT_FORMATS = ['oscal', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportedFile {
  /** File name (no directory), e.g. `csim-112.oscal.json`. */
  fileName: string;
  document: string;
  version: string;
  content: string;
}

/** Versions selected by `document` and `version` (both optional); a version needs a document. */
export async function selectVersions(tx: Queryable, filter: { document?: string; version?: string }): Promise<CatalogVersion[]> {
  if (filter.document !== undefined && !(DOCUMENT_CODES as readonly string[]).includes(filter.document)) {
    throw new AppError('VALIDATION', `沒有文件 ${filter.document}（可用：${DOCUMENT_CODES.join('、')}）`, {
      messageEn: `unknown document ${filter.document} (known: ${DOCUMENT_CODES.join(', ')})`,
      issues: [{ where: '--document', message: 'unknown document' }],
    });
  }
  if (filter.version !== undefined && filter.document === undefined) {
    throw new AppError('VALIDATION', '指定 --version 時也要指定 --document', {
      messageEn: '--version needs --document',
      issues: [{ where: '--version', message: 'needs --document' }],
    });
  }
  const summaries = await listDocumentVersions(tx);
  const documents = [...new Set(summaries.map((summary) => summary.document))].filter(
    (document) => filter.document === undefined || document === filter.document,
  );
  const selected: CatalogVersion[] = [];
  for (const document of documents) {
    const chain = await loadVersionChain(tx, document);
    for (const version of chain) {
      if (filter.version === undefined || version.version === filter.version) selected.push(version);
    }
  }
  if (filter.version !== undefined && selected.length === 0) {
    const known = summaries.filter((summary) => summary.document === filter.document).map((summary) => summary.version);
    throw new AppError('NOT_FOUND', `${filter.document} 沒有版本 ${filter.version}（現有：${known.join('、')}）`, {
      messageEn: `${filter.document} has no version ${filter.version} (known: ${known.join(', ')})`,
      issues: [{ where: '--version', message: 'unknown version' }],
    });
  }
  return selected;
}

function baseName(version: CatalogVersion): string {
  return `${version.document.toLowerCase()}-${version.version}`;
}

/** The selected versions, one file each. */
export async function exportCatalog(
  tx: Queryable,
  options: { format: ExportFormat; document?: string; version?: string },
): Promise<ExportedFile[]> {
  const versions = await selectVersions(tx, options);
  return versions.map((version) => {
    if (options.format === 'oscal') {
      return {
        fileName: `${baseName(version)}.oscal.json`,
        document: version.document,
        version: version.version,
        content: `${JSON.stringify(buildOscalCatalog(version), null, 2)}\n`,
      };
    }
    const { items, removed, ...summary } = version;
    return {
      fileName: `${baseName(version)}.json`,
      document: version.document,
      version: version.version,
      content: `${JSON.stringify({ ...summary, items: items.map(presentItem), removed }, null, 2)}\n`,
    };
  });
}

// ── The comparison table ────────────────────────────────────────────────────────────────────────

export const DIFF_HEADERS = ['修正條文', '現行條文', '說明'] as const;

/** Where a row sits: the newer path, with the older one when it moved. */
export function rowHeading(row: DiffRow): string {
  if (row.path && row.oldPath && row.path !== row.oldPath) return `${row.path}（原 ${row.oldPath}）`;
  return row.path ?? row.oldPath ?? row.lineage;
}

export const KIND_LABELS: Record<DiffRow['kind'], string> = { added: '新增', changed: '修正', renumbered: '移列', removed: '刪除' };

/** A changed row whose text is the same on both sides changed only who it binds. */
export function isScopeOnlyChange(row: DiffRow): boolean {
  return row.kind === 'changed' && !row.isTextChanged && row.scopeChange !== null;
}

/** The change's label: 新增, 修正, 移列, 刪除, or 適用範圍變更 when only the scope changed. */
export function kindLabel(row: DiffRow): string {
  return isScopeOnlyChange(row) ? '適用範圍變更' : KIND_LABELS[row.kind];
}

/** The segments each column shows: the newer text with additions, the older with deletions. */
export function columnSegments(row: DiffRow): { newer: TextSegment[]; older: TextSegment[] } {
  let newer: TextSegment[];
  let older: TextSegment[];
  if (row.segments.length > 0) {
    newer = row.segments.filter((segment) => segment.kind !== 'removed');
    older = row.segments.filter((segment) => segment.kind !== 'added');
  } else {
    newer = row.newText === null ? [] : [{ text: row.newText, kind: row.kind === 'added' ? 'added' : 'same' }];
    older = row.oldText === null ? [] : [{ text: row.oldText, kind: row.kind === 'removed' ? 'removed' : 'same' }];
  }
  // A scope the item states itself (not one it inherits from a parent row) is shown with its changed words.
  if (row.scopeChange && !row.scopeChange.isInherited) {
    const scope = diffText(row.scopeChange.from ?? '', row.scopeChange.to ?? '');
    const label = (cell: TextSegment[]): TextSegment => ({ text: cell.length > 0 ? '\n〔適用範圍〕' : '〔適用範圍〕', kind: 'same' });
    newer = [...newer, label(newer), ...(row.scopeChange.to === null ? [{ text: '所有證券商', kind: 'added' as const }] : scope.filter((segment) => segment.kind !== 'removed'))];
    older = [...older, label(older), ...(row.scopeChange.from === null ? [{ text: '所有證券商', kind: 'removed' as const }] : scope.filter((segment) => segment.kind !== 'added'))];
  }
  return { newer, older };
}

/** What a column says when it has no text: 略 where the source elides it, or why the cell is empty. */
export function emptyCell(row: DiffRow, side: 'newer' | 'older'): string {
  if (side === 'newer') return row.newNotInSource ? '（略）' : row.kind === 'removed' ? '（刪除）' : '';
  return row.oldNotInSource ? '（略）' : row.kind === 'added' ? '（新增）' : '';
}

/** The sub-items folded into a row because they only moved with it: 「7.1.f.a（原 7.1.e.a）…」. */
export function movedChildrenText(row: DiffRow): string {
  if (row.movedWithParent.length === 0) return '';
  return `隨同移列 moved with it：${row.movedWithParent.map((child) => `${child.path}（原 ${child.oldPath}）`).join('、')}`;
}

/** The 說明 column as plain text: the reasons, the items they cite, the sub-items that moved along. */
export function reasonText(row: DiffRow): string {
  return [
    ...row.reasons,
    ...(row.reasonRefs.length > 0 ? [`參照 refs：${row.reasonRefs.join('、')}`] : []),
    ...(isScopeOnlyChange(row) ? ['（僅適用範圍變更 scope changed, text unchanged）'] : []),
    ...(movedChildrenText(row) ? [movedChildrenText(row)] : []),
  ].join('\n');
}

/** The heading of a comparison table: document, versions, and the newer version's approval and date. */
export function diffTitle(diff: VersionDiff, title?: string): string {
  const approval = [diff.approval, diff.date].filter(Boolean).join('，');
  return `${title ?? diff.document} ${diff.to} 與 ${diff.from} 條文對照表${approval ? `（${approval}）` : ''}`;
}

function escapeMarkdown(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

function markdownSegments(segments: TextSegment[]): string {
  return segments
    .map((segment) => {
      const text = escapeMarkdown(segment.text);
      if (segment.kind === 'added') return `<u>${text}</u>`;
      if (segment.kind === 'removed') return `~~${text}~~`;
      return text;
    })
    .join('');
}

function markdownCell(row: DiffRow, side: 'newer' | 'older'): string {
  const segments = columnSegments(row)[side];
  const body = segments.length === 0 ? emptyCell(row, side) : markdownSegments(segments);
  const heading = side === 'newer' ? (row.path ?? '') : (row.oldPath ?? '');
  return heading ? `**${escapeMarkdown(heading)}** ${body}` : body;
}

/** Link to an item's page in the web app. */
export function itemPageLink(id: string): string {
  return `/catalog/items/${encodeURIComponent(id).replace(/%3A/g, ':').replace(/%40/g, '@')}`;
}

function markdownReason(row: DiffRow): string {
  const parts = row.reasons.map(escapeMarkdown);
  if (row.reasonRefs.length > 0) parts.push(`參照：${row.reasonRefs.map((ref) => `[${escapeMarkdown(ref)}](${itemPageLink(ref)})`).join('、')}`);
  if (isScopeOnlyChange(row)) parts.push('（僅適用範圍變更）');
  if (row.movedWithParent.length > 0) parts.push(escapeMarkdown(movedChildrenText(row)));
  return parts.join('<br>');
}

/** The comparison table in Markdown: additions `<u>underlined</u>`, deletions `~~struck~~`. */
export function renderDiffMarkdown(diff: VersionDiff, title?: string): string {
  const lines = [
    `## ${diffTitle(diff, title)}`,
    '',
    `新增 ${diff.counts.added}、修正 ${diff.counts.changed}、移列 ${diff.counts.renumbered}、刪除 ${diff.counts.removed}`,
    '',
    `| ${DIFF_HEADERS.join(' | ')} |`,
    '| --- | --- | --- |',
  ];
  if (diff.titleChange) {
    const segments = diff.titleChange.segments;
    lines.push(`| **名稱** ${markdownSegments(segments.filter((segment) => segment.kind !== 'removed'))} | **名稱** ${markdownSegments(segments.filter((segment) => segment.kind !== 'added'))} | 變更名稱 |`);
  }
  for (const row of diff.rows) {
    lines.push(`| ${markdownCell(row, 'newer')} | ${markdownCell(row, 'older')} | ${markdownReason(row)} |`);
  }
  return `${lines.join('\n')}\n`;
}

const ADDED_FONT: Partial<ExcelJS.Font> = { underline: true, color: { argb: 'FF0B6E2E' }, bold: true };
const REMOVED_FONT: Partial<ExcelJS.Font> = { strike: true, color: { argb: 'FFC00000' } };

function richRuns(heading: string | null, segments: TextSegment[], empty: string): ExcelJS.CellRichTextValue {
  const runs: ExcelJS.RichText[] = heading ? [{ text: `${heading}\n`, font: { bold: true, color: { argb: 'FF555555' } } }] : [];
  if (segments.length === 0) {
    runs.push({ text: empty || ' ', font: { italic: true } });
  }
  for (const segment of segments) {
    runs.push(
      segment.kind === 'added' ? { text: segment.text, font: ADDED_FONT }
        : segment.kind === 'removed' ? { text: segment.text, font: REMOVED_FONT }
          : { text: segment.text },
    );
  }
  return { richText: runs };
}

function richCell(row: DiffRow, side: 'newer' | 'older'): ExcelJS.CellRichTextValue {
  return richRuns(side === 'newer' ? row.path : row.oldPath, columnSegments(row)[side], emptyCell(row, side));
}

/** The comparison table as an XLSX workbook (one sheet), changed words in rich text. */
export async function buildDiffWorkbook(diff: VersionDiff, title?: string): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'anjian';
  const sheet = workbook.addWorksheet(`${diff.document} ${diff.from}→${diff.to}`.slice(0, 31));
  sheet.columns = [
    { header: DIFF_HEADERS[0], key: 'newer', width: 60 },
    { header: DIFF_HEADERS[1], key: 'older', width: 60 },
    { header: DIFF_HEADERS[2], key: 'reason', width: 40 },
    { header: '異動', key: 'kind', width: 12 },
    { header: '對照表列', key: 'rows', width: 10 },
    { header: '參照條文', key: 'refs', width: 24 },
  ];
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  if (diff.titleChange) {
    const segments = diff.titleChange.segments;
    const added = sheet.addRow({
      newer: richRuns('名稱', segments.filter((segment) => segment.kind !== 'removed'), ''),
      older: richRuns('名稱', segments.filter((segment) => segment.kind !== 'added'), ''),
      reason: '變更名稱',
      kind: '名稱變更',
      rows: '',
      refs: '',
    });
    added.alignment = { wrapText: true, vertical: 'top' };
  }
  for (const row of diff.rows) {
    const added = sheet.addRow({
      newer: richCell(row, 'newer'),
      older: richCell(row, 'older'),
      reason: reasonText(row),
      kind: kindLabel(row),
      rows: row.sourceRows.join(', '),
      refs: row.reasonRefs.join('\n'),
    });
    added.alignment = { wrapText: true, vertical: 'top' };
  }
  workbook.title = diffTitle(diff, title);
  const buffer = await workbook.xlsx.writeBuffer();
  return Buffer.from(buffer as ArrayBuffer);
}
