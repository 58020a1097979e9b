/**
 * Check `app-report`: review a mobile-app lab report against the MAS 基準 V3.2 items required at the
 * app's level (ETECH 第六條三、(三)3. and its appendix). The MAS items are handed in by the caller
 * (`options.masItems`, or `createAppReportCheck(items)`); the check reads no files itself.
 */
import { CheckInputError, type CheckDefinition, type CheckOptions } from '../types.ts';
import { buildResult } from '../eol/check-support.ts';
import { readTable, type ColumnSpec } from '../eol/read-table.ts';
import { APP_REPORT_ITEMS, evaluateAppReport, parseLevel, readMasItems, readReportEntries, type MasItemInput, type ReportEntry } from './evaluate-app-report.ts';

export const REPORT_COLUMNS: ColumnSpec = {
  aliases: {
    number: ['no', 'item', 'item_no', 'item_number', '編號', '項次', '序號', '項目編號'],
    requirement_code: ['requirement', 'code', 'requirementcode', 'technical_requirement', '技術要求', '技術要求編號', '檢測項目編號'],
    result: ['outcome', 'status', 'verdict', '結果', '檢測結果', '判定', '檢核結果'],
    note: ['notes', 'remark', 'remarks', 'comment', '備註', '說明'],
  },
  required: ['result'],
  jsonKeys: ['items', 'results', 'tests', 'report'],
};

async function runAppReport(masItemsInput: unknown, inputs: Parameters<CheckDefinition['run']>[0], options: CheckOptions) {
  const masItems = readMasItems(masItemsInput);
  const { level, withF } = parseLevel(options.level, options.withF);
  if (inputs.length !== 1) {
    throw new CheckInputError('需要一份檢測報告結果檔 / exactly one lab-report result file is required');
  }
  const table = await readTable(inputs[0], REPORT_COLUMNS, typeof options.format === 'string' ? options.format : undefined);
  if (!table.columns.has('number') && !table.columns.has('requirement_code')) {
    throw new CheckInputError('需要「編號」或「技術要求」欄位 / a "number" or "requirement_code" column is required', table.file, table.format === 'json' ? undefined : 1);
  }
  const entries: ReportEntry[] = readReportEntries(table.file, table.rows);
  const evaluation = evaluateAppReport(table.file, masItems, entries, { level, withF });
  const { stats } = evaluation;
  return buildResult({
    check: 'app-report',
    checkVersion: '1.0.0',
    items: APP_REPORT_ITEMS,
    findings: evaluation.findings,
    stats: { ...stats, rows: entries.length, ...(typeof options.app === 'string' && options.app !== '' ? { app: options.app } : {}) },
    summary: () => ({
      zh: `App 檢測報告覆核（${stats.level}）：必要 ${stats.required} 項，符合 ${stats.passed}、不符合 ${stats.failed}、不適用 ${stats.notApplicable}、未檢測 ${stats.notTested}。`,
      en: `App lab report review (${stats.level}): ${stats.required} required items, ${stats.passed} pass, ${stats.failed} fail, ${stats.notApplicable} not applicable, ${stats.notTested} not tested.`,
    }),
  });
}

const base = {
  id: 'app-report',
  title: 'App 檢測報告覆核（自我檢核表）',
  titleEn: 'Mobile app lab report review (self-check table)',
  version: '1.0.0',
  inputKinds: ['app-report-csv', 'app-report-xlsx', 'app-report-json'],
  items: APP_REPORT_ITEMS,
};

/** Reads the MAS items from `options.masItems`. */
export const appReportCheck: CheckDefinition = {
  ...base,
  run: (inputs, options) => runAppReport(options.masItems, inputs, options),
};

/** A definition bound to the given MAS items (from `catalog/mas/3.2.yaml`). */
export function createAppReportCheck(masItems: MasItemInput[]): CheckDefinition {
  return { ...base, run: (inputs, options) => runAppReport(masItems, inputs, options) };
}

export { renderSelfCheckCsv } from './evaluate-app-report.ts';
