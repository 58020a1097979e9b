/**
 * The checklist workbook (exceljs): one row per campaign item, written for export and read back
 * for import. The sheet "meta" (hidden) names the campaign so a sheet cannot be applied to another.
 */
import ExcelJS from 'exceljs';
import { CHECKLIST_COLUMNS, letterOfColumn, type ChecklistLayout, type ChecklistRow } from '../../domain/assessments/checklist-rows.ts';
import { RESULT_LABELS, RESULTS, type AssessmentResult } from '../../domain/assessments/campaign-rules.ts';
import { AppError } from '../errors.ts';

export const CHECKLIST_SHEET = '自行查核檢核表';
const META_SHEET = 'meta';

export interface ChecklistExport {
  campaignId: string;
  title: string;
  cycle: string;
  period: string;
  items: {
    id: string;
    text: string;
    cycle: string;
    result: AssessmentResult | null;
    justification: string | null;
    notes: string | null;
    evidence: string[];
    assessor: string | null;
    reviewer: string | null;
    reviewState: string;
    revision: number;
  }[];
}

const CYCLE_LABELS: Record<string, string> = { monthly: '每月', semiannual: '半年', annual: '年度' };

export async function buildChecklistWorkbook(data: ChecklistExport): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'anjian';
  const sheet = workbook.addWorksheet(CHECKLIST_SHEET, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = CHECKLIST_COLUMNS.map((column) => ({ key: column.key, header: column.header, width: column.width }));
  sheet.getRow(1).font = { bold: true };
  for (const item of data.items) {
    sheet.addRow({
      id: item.id,
      text: item.text,
      cycle: CYCLE_LABELS[item.cycle] ?? item.cycle,
      result: item.result ? RESULT_LABELS[item.result] : '',
      justification: item.justification ?? '',
      notes: item.notes ?? '',
      evidence: item.evidence.join('\n'),
      assessor: item.assessor ?? '',
      reviewer: item.reviewer ?? '',
      reviewState: item.reviewState,
      revision: item.revision,
    });
  }
  const resultColumn = CHECKLIST_COLUMNS.findIndex((column) => column.key === 'result') + 1;
  for (let row = 2; row <= data.items.length + 1; row += 1) {
    sheet.getCell(row, resultColumn).dataValidation = {
      type: 'list', allowBlank: true, formulae: [`"${RESULTS.map((result) => RESULT_LABELS[result]).join(',')}"`],
    };
    sheet.getCell(row, 2).alignment = { wrapText: true, vertical: 'top' };
  }
  const meta = workbook.addWorksheet(META_SHEET, { state: 'hidden' });
  meta.addRow(['campaignId', data.campaignId]);
  meta.addRow(['title', data.title]);
  meta.addRow(['period', data.period]);
  meta.addRow(['exportedAt', new Date().toISOString()]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

function cellText(cell: ExcelJS.Cell): string {
  const value = cell.value;
  if (value === null || value === undefined) return '';
  if (typeof value === 'object' && 'richText' in value) return value.richText.map((part) => part.text).join('');
  if (typeof value === 'object' && 'result' in value) return String(value.result ?? '');
  return cell.text ?? String(value);
}

/** Reads a checklist workbook back: its campaign id (when present) and its data rows. */
export async function readChecklistWorkbook(buffer: Buffer | Uint8Array): Promise<{ campaignId: string | null; rows: ChecklistRow[]; layout: ChecklistLayout }> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(buffer) as never);
  } catch (error) {
    throw new AppError('VALIDATION', '無法讀取 Excel 檔（須為 .xlsx）', { messageEn: `not a readable .xlsx file: ${(error as Error).message}`, issues: [{ where: 'file', message: 'not an xlsx workbook' }] });
  }
  const sheet = workbook.getWorksheet(CHECKLIST_SHEET) ?? workbook.worksheets.find((entry) => entry.name !== META_SHEET);
  if (!sheet) {
    throw new AppError('VALIDATION', `找不到工作表「${CHECKLIST_SHEET}」`, { messageEn: `sheet ${CHECKLIST_SHEET} not found`, issues: [{ where: 'sheet', message: 'missing' }] });
  }
  // Columns are found by their header (so a reordered sheet still reads), falling back to position.
  const headerRow = sheet.getRow(1);
  const positions = new Map<string, number>();
  // Where each column is in this sheet, so errors name the letter and header the user sees.
  const layout: ChecklistLayout = {};
  CHECKLIST_COLUMNS.forEach((column, index) => {
    let position = index + 1;
    headerRow.eachCell((cell, number) => {
      if (cellText(cell).trim() === column.header) position = number;
    });
    positions.set(column.key, position);
    layout[column.key] = { letter: letterOfColumn(position), header: cellText(headerRow.getCell(position)).trim() || column.header };
  });
  const rows: ChecklistRow[] = [];
  for (let number = 2; number <= sheet.rowCount; number += 1) {
    const row = sheet.getRow(number);
    const cells: ChecklistRow['cells'] = {};
    let isEmpty = true;
    for (const column of CHECKLIST_COLUMNS) {
      const text = cellText(row.getCell(positions.get(column.key) as number));
      cells[column.key] = text;
      if (text.trim() !== '') isEmpty = false;
    }
    if (!isEmpty) rows.push({ row: number, cells });
  }
  const meta = workbook.getWorksheet(META_SHEET);
  let campaignId: string | null = null;
  meta?.eachRow((row) => {
    if (cellText(row.getCell(1)) === 'campaignId') campaignId = cellText(row.getCell(2)).trim() || null;
  });
  return { campaignId, rows, layout };
}
