/**
 * The campaign checklist sheet: its columns, and the row-by-row validation of a sheet filled in
 * offline. Only the result, justification and notes columns are read back; the rest are for the
 * reader. Every problem is reported with its row and column (the letter and header in the uploaded
 * sheet, so a sheet whose columns were moved names the right cell); the caller applies nothing unless the
 * whole sheet is valid.
 */
import { checkAssessment, findEditBlock, RESULT_LABELS, RESULTS, type AssessmentResult, type CampaignStatus, type ItemState } from './campaign-rules.ts';

export const CHECKLIST_COLUMNS = [
  { key: 'id', header: '項目編號 Item', width: 16 },
  { key: 'text', header: '條文 Requirement', width: 70 },
  { key: 'cycle', header: '週期 Cycle', width: 12 },
  { key: 'result', header: '評核結果 Result', width: 16 },
  { key: 'justification', header: '不適用理由 Justification', width: 30 },
  { key: 'notes', header: '備註 Notes', width: 40 },
  { key: 'evidence', header: '佐證資料 Evidence', width: 30 },
  { key: 'assessor', header: '評核人 Assessor', width: 24 },
  { key: 'reviewer', header: '覆核人 Reviewer', width: 24 },
  { key: 'reviewState', header: '覆核狀態 Review', width: 12 },
  { key: 'revision', header: '版本 Revision', width: 10 },
] as const;
export type ChecklistColumn = (typeof CHECKLIST_COLUMNS)[number]['key'];

/** The spreadsheet letter of a 1-based column number (1 → A, 27 → AA). */
export function letterOfColumn(number: number): string {
  let letters = '';
  for (let rest = number; rest > 0; rest = Math.floor((rest - 1) / 26)) letters = String.fromCharCode(65 + ((rest - 1) % 26)) + letters;
  return letters;
}

/** The spreadsheet letter of a column as exported (A, B, …). */
export function columnLetter(key: ChecklistColumn): string {
  return letterOfColumn(CHECKLIST_COLUMNS.findIndex((column) => column.key === key) + 1);
}

/** Where each column is in an uploaded sheet (its letter and header there), when reordered. */
export type ChecklistLayout = Partial<Record<ChecklistColumn, { letter: string; header: string }>>;

export interface ChecklistRow {
  /** 1-based spreadsheet row number. */
  row: number;
  cells: Partial<Record<ChecklistColumn, string>>;
}

export interface CurrentItem extends ItemState {
  id: string;
  revision: number;
  justification: string | null;
  notes: string | null;
}

export interface ChecklistIssue {
  row: number;
  /** The column letter in the uploaded sheet. */
  column: string;
  /** Which checklist column the problem is in, whatever its letter. */
  key: ChecklistColumn;
  /** The column's header in the uploaded sheet. */
  header: string;
  where: string;
  message: string;
  messageEn: string;
}

export interface ChecklistUpdate {
  id: string;
  revision: number;
  result: AssessmentResult | null;
  justification: string | null;
  notes: string | null;
}

/** Parses a result cell: the code (non_compliant) or its zh-TW label (不符合); empty means none. */
export function parseResultCell(value: string): AssessmentResult | null | undefined {
  const trimmed = value.trim();
  if (trimmed === '') {
    return null;
  }
  const byCode = RESULTS.find((result) => result === trimmed.toLowerCase());
  if (byCode) {
    return byCode;
  }
  return RESULTS.find((result) => RESULT_LABELS[result] === trimmed);
}

function emptyToNull(value: string | undefined): string | null {
  const trimmed = (value ?? '').trim();
  return trimmed === '' ? null : trimmed;
}

/**
 * Validates the rows against the campaign's current items. Rows whose result, justification and
 * notes equal the stored ones are unchanged and skipped; changed rows must carry the item's current
 * revision and the item must be editable.
 */
export function validateChecklistRows(
  rows: readonly ChecklistRow[],
  current: ReadonlyMap<string, CurrentItem>,
  campaignStatus: CampaignStatus,
  layout: ChecklistLayout = {},
): { issues: ChecklistIssue[]; updates: ChecklistUpdate[] } {
  const issues: ChecklistIssue[] = [];
  const updates: ChecklistUpdate[] = [];
  const seen = new Map<string, number>();
  const issue = (row: number, key: ChecklistColumn, message: string, messageEn: string) => {
    const column = layout[key]?.letter ?? columnLetter(key);
    const header = layout[key]?.header ?? (CHECKLIST_COLUMNS.find((entry) => entry.key === key) as { header: string }).header;
    issues.push({
      row, column, key, header, where: `row ${row} column ${column}`,
      message: `第 ${row} 列 ${column} 欄（${header}）：${message}`, messageEn: `row ${row}, column ${column} (${header}): ${messageEn}`,
    });
  };
  for (const { row, cells } of rows) {
    const id = (cells.id ?? '').trim();
    if (id === '') {
      issue(row, 'id', '缺少項目編號', 'item id is missing');
      continue;
    }
    const item = current.get(id);
    if (!item) {
      issue(row, 'id', `本次自行查核沒有項目 ${id}`, `this campaign has no item ${id}`);
      continue;
    }
    const earlier = seen.get(id);
    if (earlier !== undefined) {
      issue(row, 'id', `項目 ${id} 重複（第 ${earlier} 列已出現）`, `item ${id} appears twice (first on row ${earlier})`);
      continue;
    }
    seen.set(id, row);
    const result = parseResultCell(cells.result ?? '');
    if (result === undefined) {
      issue(row, 'result', `無法辨識評核結果「${cells.result}」（可填：符合、部分符合、不符合、不適用）`, `unknown result "${cells.result}" (use compliant, partial, non_compliant or not_applicable)`);
      continue;
    }
    const justification = emptyToNull(cells.justification);
    const notes = emptyToNull(cells.notes);
    const isUnchanged = result === item.result && justification === (item.justification ?? null) && notes === (item.notes ?? null);
    if (isUnchanged) {
      continue;
    }
    const revisionText = (cells.revision ?? '').trim();
    const revision = Number(revisionText);
    if (!/^\d+$/.test(revisionText)) {
      issue(row, 'revision', '版本欄須為整數（請勿修改匯出的版本）', 'revision must be a whole number (keep the exported value)');
      continue;
    }
    if (revision !== item.revision) {
      issue(row, 'revision', `項目 ${id} 已於匯出後被修改（目前版本 ${item.revision}，表格為 ${revision}），請重新匯出`, `item ${id} changed after export (now revision ${item.revision}, sheet has ${revision}); export again`);
      continue;
    }
    const block = findEditBlock(campaignStatus, item);
    if (block) {
      issue(row, 'result', block.message, block.messageEn);
      continue;
    }
    if (result === null) {
      issue(row, 'result', '請填寫評核結果', 'result is empty');
      continue;
    }
    for (const problem of checkAssessment({ result, justification })) {
      issue(row, 'justification', problem.message, problem.messageEn);
    }
    updates.push({ id, revision, result, justification, notes });
  }
  return { issues, updates: issues.length > 0 ? [] : updates };
}
