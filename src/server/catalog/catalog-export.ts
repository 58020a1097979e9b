/**
 * Catalog exports: every document version as OSCAL 1.1.3 or as the API's JSON, and the comparison
 * table between two versions (修正條文 | 現行條文 | 說明) as Markdown or as an XLSX workbook with the
 * changed words marked (underlined additions, struck deletions) in rich text.
 */
import ExcelJS from 'exceljs';
import type { Queryable } from '../db/client.ts';
import { AppError } from '../errors.ts';
import { buildOscalCatalog } from '../../domain/catalog/oscal.ts';
import type { DiffRow, TextSegment, VersionDiff } from '../../domain/catalog/diff.ts';
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

/** The segments each column shows: the newer text with additions, the older with deletions. */
export function columnSegments(row: DiffRow): { newer: TextSegment[]; older: TextSegment[] } {
  if (row.segments.length > 0) {
    return {
      newer: row.segments.filter((segment) => segment.kind !== 'removed'),
      older: row.segments.filter((segment) => segment.kind !== 'added'),
    };
  }
  return {
    newer: row.newText === null ? [] : [{ text: row.newText, kind: row.kind === 'added' ? 'added' : 'same' }],
    older: row.oldText === null ? [] : [{ text: row.oldText, kind: row.kind === 'removed' ? 'removed' : 'same' }],
  };
}

/** What a column says when it has no text: 略 where the source elides it, or why the cell is empty. */
function emptyCell(row: DiffRow, side: 'newer' | 'older'): string {
  if (side === 'newer') return row.newNotInSource ? '（略）' : row.kind === 'removed' ? '（刪除）' : '';
  return row.oldNotInSource ? '（略）' : row.kind === 'added' ? '（新增）' : '';
}

export function reasonText(row: DiffRow): string {
  return row.reasons.join('\n');
}

function escapeMarkdown(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

function markdownCell(row: DiffRow, side: 'newer' | 'older'): string {
  const segments = columnSegments(row)[side];
  const body = segments.length === 0
    ? emptyCell(row, side)
    : segments
        .map((segment) => {
          const text = escapeMarkdown(segment.text);
          if (segment.kind === 'added') return `<u>${text}</u>`;
          if (segment.kind === 'removed') return `~~${text}~~`;
          return text;
        })
        .join('');
  const heading = side === 'newer' ? (row.path ?? '') : (row.oldPath ?? '');
  return heading ? `**${escapeMarkdown(heading)}** ${body}` : body;
}

/** The comparison table in Markdown: additions `<u>underlined</u>`, deletions `~~struck~~`. */
export function renderDiffMarkdown(diff: VersionDiff, title?: string): string {
  const lines = [
    `## ${title ?? diff.document} ${diff.to} 與 ${diff.from} 條文對照表`,
    '',
    `新增 ${diff.counts.added}、修正 ${diff.counts.changed}、移列 ${diff.counts.renumbered}、刪除 ${diff.counts.removed}`,
    '',
    `| ${DIFF_HEADERS.join(' | ')} |`,
    '| --- | --- | --- |',
  ];
  for (const row of diff.rows) {
    lines.push(`| ${markdownCell(row, 'newer')} | ${markdownCell(row, 'older')} | ${escapeMarkdown(reasonText(row))} |`);
  }
  return `${lines.join('\n')}\n`;
}

const ADDED_FONT: Partial<ExcelJS.Font> = { underline: true, color: { argb: 'FF0B6E2E' }, bold: true };
const REMOVED_FONT: Partial<ExcelJS.Font> = { strike: true, color: { argb: 'FFC00000' } };

function richCell(row: DiffRow, side: 'newer' | 'older'): ExcelJS.CellRichTextValue {
  const heading = side === 'newer' ? row.path : row.oldPath;
  const runs: ExcelJS.RichText[] = heading ? [{ text: `${heading}\n`, font: { bold: true, color: { argb: 'FF555555' } } }] : [];
  const segments = columnSegments(row)[side];
  if (segments.length === 0) {
    runs.push({ text: emptyCell(row, side) || ' ', font: { italic: true } });
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

/** The comparison table as an XLSX workbook (one sheet), changed words in rich text. */
export async function buildDiffWorkbook(diff: VersionDiff, title?: string): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'anjian';
  const sheet = workbook.addWorksheet(`${diff.document} ${diff.from}→${diff.to}`.slice(0, 31));
  sheet.columns = [
    { header: DIFF_HEADERS[0], key: 'newer', width: 60 },
    { header: DIFF_HEADERS[1], key: 'older', width: 60 },
    { header: DIFF_HEADERS[2], key: 'reason', width: 40 },
    { header: '異動', key: 'kind', width: 8 },
    { header: '對照表列', key: 'rows', width: 10 },
  ];
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  for (const row of diff.rows) {
    const added = sheet.addRow({
      newer: richCell(row, 'newer'),
      older: richCell(row, 'older'),
      reason: reasonText(row),
      kind: KIND_LABELS[row.kind],
      rows: row.sourceRows.join(', '),
    });
    added.alignment = { wrapText: true, vertical: 'top' };
  }
  workbook.title = title ?? `${diff.document} ${diff.to} 與 ${diff.from} 條文對照表`;
  const buffer = await workbook.xlsx.writeBuffer();
  return Buffer.from(buffer as ArrayBuffer);
}
