/**
 * The App lab-report review of ETECH 第六條三、(三)3.: compare the lab report's tested items with the
 * MAS 基準 V3.2 items required at the app's level and build the 自我檢核表 (self-check table). Pure: the
 * MAS items come in as an argument.
 */
import { CheckInputError, type Finding } from '../types.ts';
import type { TableRow } from '../eol/read-table.ts';

export type MasLevel = 'L1' | 'L2' | 'L3';

export interface MasLevels {
  L1?: boolean;
  L2?: boolean;
  L3?: boolean;
  F?: boolean;
}

/** One MAS item as the caller hands it in (from `catalog/mas/3.2.yaml`). `number` or `path` is "1".."42". */
export interface MasItemInput {
  number?: number | string;
  path?: string;
  requirementCode?: string;
  category?: string;
  title?: string;
  text?: string | null;
  levels?: MasLevels | Record<string, boolean | undefined>;
}

export interface MasItem {
  number: number;
  requirementCode?: string;
  category?: string;
  text?: string;
  levels: Required<MasLevels>;
}

export type TestResult = 'pass' | 'fail' | 'na';

export interface ReportEntry {
  number?: number;
  requirementCode?: string;
  result: TestResult;
  note?: string;
  line?: number;
}

export type SelfCheckResult = '符合' | '不符合' | '不適用' | '未檢測';

export interface SelfCheckRow {
  number: number;
  requirementCode?: string;
  category?: string;
  text?: string;
  /** Which level columns mark the item (`L1 L2 L3`, `F`). */
  requiredBy: string;
  result: SelfCheckResult;
  resultEn: 'pass' | 'fail' | 'not applicable' | 'not tested';
  note?: string;
  line?: number;
}

export const APP_REPORT_ITEMS = ['ETECH:6.3.3.3', 'ETECH:6.3.3.1', 'CSIM:9.11.c.b'];

const RULE_TEXT =
  'ETECH 第六條三、(三)3.：「公司對第三方檢測實驗室所提交之檢測報告，應依附錄所列檢測項目建立覆核機制，以確保檢測項目及內容一致，並留存覆核紀錄。」';

/** Drops a trailing dot and spaces: `4.1.1.1.2.` → `4.1.1.1.2`. */
export function normalizeRequirementCode(text: string): string | undefined {
  const match = /^\s*(\d+(?:\.\d+)+)\.?/.exec(text.normalize('NFKC'));
  return match ? match[1] : undefined;
}

/** Validates and normalizes the MAS items handed in by the caller. */
export function readMasItems(items: unknown): MasItem[] {
  if (!Array.isArray(items) || items.length === 0) {
    throw new CheckInputError('需要 MAS 檢測項目 / the MAS items are required', 'options.masItems');
  }
  return items.map((raw, index) => {
    const item = raw as MasItemInput;
    const numberText = String(item?.number ?? item?.path ?? '');
    const number = /^\d+$/.test(numberText) ? Number(numberText) : Number.NaN;
    const levels = item?.levels;
    if (!Number.isInteger(number) || number < 1 || levels === undefined || levels === null || typeof levels !== 'object') {
      throw new CheckInputError(`第 ${index + 1} 個 MAS 項目須有編號與 levels / MAS item ${index + 1} needs a number and levels`, 'options.masItems');
    }
    return {
      number,
      requirementCode: item.requirementCode === undefined ? undefined : normalizeRequirementCode(item.requirementCode) ?? item.requirementCode,
      category: item.category,
      text: item.text ?? undefined,
      levels: { L1: levels.L1 === true, L2: levels.L2 === true, L3: levels.L3 === true, F: levels.F === true },
    };
  });
}

/** Reads "L2", "l3", "L2+F", "L1,F", "L3 F" into a level and whether F items are added. */
export function parseLevel(text: unknown, withF?: unknown): { level: MasLevel; withF: boolean } {
  const value = typeof text === 'string' ? text.trim().toUpperCase() : '';
  if (value === '') {
    throw new CheckInputError(
      '需要 App 等級 level：L1、L2 或 L3（可加 +F），命令列用 --level / the app level is required: L1, L2 or L3 (optionally +F); on the command line give --level',
      'options.level',
    );
  }
  const match = /^(L[123])(?:\s*[+,/ ]\s*F)?$/.exec(value);
  if (!match) {
    throw new CheckInputError(`等級須為 L1、L2 或 L3（可加 +F）/ level must be L1, L2 or L3 (optionally +F): ${String(text)}`, 'options.level');
  }
  return { level: match[1] as MasLevel, withF: value.endsWith('F') || withF === true || withF === 'true' };
}

const PASS = /^(?:pass|passed|ok|yes|y|符合|通過|合格|✓|✔|v|o|○)$/i;
const FAIL = /^(?:fail|failed|ng|no|n|不符合|未通過|不合格|✗|✘|x|×)$/i;
const NOT_APPLICABLE = /^(?:na|n\/a|n\.a\.?|not applicable|不適用|免測|-|—|─)$/i;

export function parseTestResult(text: string | undefined): TestResult | undefined {
  const value = text?.normalize('NFKC').trim();
  if (value === undefined || value === '') {
    return undefined;
  }
  if (PASS.test(value)) {
    return 'pass';
  }
  if (FAIL.test(value)) {
    return 'fail';
  }
  if (NOT_APPLICABLE.test(value)) {
    return 'na';
  }
  return undefined;
}

export function readReportEntries(file: string, rows: TableRow[]): ReportEntry[] {
  return rows.map((row) => {
    const numberText = row.values.number?.normalize('NFKC');
    const codeText = row.values.requirement_code;
    let number: number | undefined;
    if (numberText !== undefined) {
      const match = /^\s*(?:#|no\.?|第)?\s*0*(\d+)\s*項?\s*$/i.exec(numberText);
      if (!match) {
        throw new CheckInputError(`編號無法辨識 / cannot read item number: ${numberText}`, file, row.line);
      }
      number = Number(match[1]);
    }
    let requirementCode: string | undefined;
    if (codeText !== undefined) {
      requirementCode = normalizeRequirementCode(codeText);
      if (requirementCode === undefined) {
        throw new CheckInputError(`技術要求編號無法辨識 / cannot read requirement code: ${codeText}`, file, row.line);
      }
    }
    if (number === undefined && requirementCode === undefined) {
      throw new CheckInputError('需要編號或技術要求編號 / an item number or requirement code is required', file, row.line);
    }
    const result = parseTestResult(row.values.result);
    if (result === undefined) {
      throw new CheckInputError(
        `檢測結果須為 pass/fail/NA（符合/不符合/不適用）/ result must be pass, fail or NA: ${row.values.result ?? '(empty)'}`,
        file,
        row.line,
      );
    }
    return { number, requirementCode, result, note: row.values.note, line: row.line };
  });
}

const WORST: Record<TestResult, number> = { fail: 2, pass: 1, na: 0 };

export interface AppReportEvaluation {
  table: SelfCheckRow[];
  findings: Finding[];
  stats: { level: string; required: number; passed: number; failed: number; notTested: number; notApplicable: number; notRequiredTested: number };
}

export function evaluateAppReport(
  file: string,
  masItems: MasItem[],
  entries: ReportEntry[],
  options: { level: MasLevel; withF: boolean },
): AppReportEvaluation {
  const byNumber = new Map(masItems.map((item) => [item.number, item]));
  const byCode = new Map(masItems.filter((item) => item.requirementCode !== undefined).map((item) => [item.requirementCode as string, item]));
  const findings: Finding[] = [];
  const tested = new Map<number, ReportEntry>();

  for (const entry of entries) {
    const location = { file, line: entry.line, subject: entry.number !== undefined ? `#${entry.number}` : entry.requirementCode };
    const fromNumber = entry.number === undefined ? undefined : byNumber.get(entry.number);
    const fromCode = entry.requirementCode === undefined ? undefined : byCode.get(entry.requirementCode);
    if (fromNumber !== undefined && fromCode !== undefined && fromNumber !== fromCode) {
      findings.push({
        rule: 'app-report.number-code-mismatch',
        severity: 'medium',
        status: 'warning',
        message: `報告列的編號 ${entry.number} 與技術要求 ${entry.requirementCode}（編號 ${fromCode.number}）不一致，以編號為準。`,
        messageEn: `The row's number ${entry.number} and requirement code ${entry.requirementCode} (item ${fromCode.number}) disagree; the number is used.`,
        location,
        items: ['ETECH:6.3.3.3'],
      });
    }
    const item = fromNumber ?? fromCode;
    if (item === undefined) {
      findings.push({
        rule: 'app-report.unknown-item',
        severity: 'medium',
        status: 'warning',
        message: `報告列「${entry.number ?? entry.requirementCode}」不是 MAS 基準 V3.2 的檢測項目。`,
        messageEn: `Report row "${entry.number ?? entry.requirementCode}" is not a MAS V3.2 check item.`,
        location,
        items: ['ETECH:6.3.3.3'],
      });
      continue;
    }
    const previous = tested.get(item.number);
    if (previous === undefined || WORST[entry.result] > WORST[previous.result]) {
      tested.set(item.number, { ...entry, number: item.number });
    }
  }

  const isRequired = (item: MasItem): boolean => item.levels[options.level] || (options.withF && item.levels.F);
  const table: SelfCheckRow[] = [];
  const stats = { level: `${options.level}${options.withF ? '+F' : ''}`, required: 0, passed: 0, failed: 0, notTested: 0, notApplicable: 0, notRequiredTested: 0 };
  for (const item of [...masItems].sort((a, b) => a.number - b.number)) {
    const entry = tested.get(item.number);
    const items = [`MAS:${item.number}`, 'ETECH:6.3.3.3'];
    const label = `${item.number}${item.requirementCode ? `（${item.requirementCode}）` : ''}`;
    const textNote = item.text ? `：${item.text}` : '';
    if (!isRequired(item)) {
      if (entry !== undefined) {
        stats.notRequiredTested += 1;
        findings.push({
          rule: 'app-report.not-required',
          severity: 'info',
          status: 'info',
          message: `檢測項目 ${label} 非 ${stats.level} 必要項目，報告仍有檢測（結果：${entry.result}）。`,
          messageEn: `Item ${label} is not required at ${stats.level} but was tested (result: ${entry.result}).`,
          location: { file, line: entry.line, subject: `MAS ${item.number}` },
          items,
        });
      }
      continue;
    }
    stats.required += 1;
    const requiredBy = (['L1', 'L2', 'L3', 'F'] as const).filter((level) => item.levels[level]).join(' ');
    const row: SelfCheckRow = {
      number: item.number,
      requirementCode: item.requirementCode,
      category: item.category,
      text: item.text,
      requiredBy,
      result: '未檢測',
      resultEn: 'not tested',
      note: entry?.note,
      line: entry?.line,
    };
    const location = { file, line: entry?.line, subject: `MAS ${item.number}` };
    if (entry === undefined) {
      stats.notTested += 1;
      findings.push({
        rule: 'app-report.not-tested',
        severity: 'high',
        status: 'fail',
        message: `${stats.level} 必要檢測項目 ${label} 未見於檢測報告${textNote}。${RULE_TEXT}`,
        messageEn: `Required ${stats.level} item ${label} is missing from the lab report.`,
        location,
        items,
      });
    } else if (entry.result === 'fail') {
      stats.failed += 1;
      row.result = '不符合';
      row.resultEn = 'fail';
      findings.push({
        rule: 'app-report.failed',
        severity: 'high',
        status: 'fail',
        message: `${stats.level} 必要檢測項目 ${label} 檢測結果為不符合${textNote}。`,
        messageEn: `Required ${stats.level} item ${label} failed in the lab report.`,
        location,
        items,
      });
    } else if (entry.result === 'na') {
      stats.notApplicable += 1;
      row.result = '不適用';
      row.resultEn = 'not applicable';
      findings.push({
        rule: 'app-report.not-applicable',
        severity: 'low',
        status: 'warning',
        message: `${stats.level} 必要檢測項目 ${label} 被標為不適用，請覆核其理由${entry.note ? `（${entry.note}）` : ''}。`,
        messageEn: `Required ${stats.level} item ${label} is marked not applicable; review the reason${entry.note ? ` (${entry.note})` : ''}.`,
        location,
        items,
      });
    } else {
      stats.passed += 1;
      row.result = '符合';
      row.resultEn = 'pass';
    }
    table.push(row);
  }

  findings.unshift({
    rule: 'app-report.self-check-table',
    severity: 'info',
    status: 'info',
    message: `自我檢核表（${stats.level}）：必要項目 ${stats.required} 項，符合 ${stats.passed}、不符合 ${stats.failed}、不適用 ${stats.notApplicable}、未檢測 ${stats.notTested}。`,
    messageEn: `Self-check table (${stats.level}): ${stats.required} required items, ${stats.passed} pass, ${stats.failed} fail, ${stats.notApplicable} not applicable, ${stats.notTested} not tested.`,
    location: { file, subject: 'self-check table' },
    items: APP_REPORT_ITEMS,
    detail: { table },
  });
  return { table, findings, stats };
}

function quoteCsv(value: string | number | undefined): string {
  const text = value === undefined ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The self-check table as CSV (UTF-8 with BOM so spreadsheet programs read the Chinese). */
export function renderSelfCheckCsv(table: SelfCheckRow[]): string {
  const header = ['編號', '檢測項目', '技術要求編號', '技術要求', '必要等級', '檢核結果', '備註'];
  const lines = table.map((row) =>
    [row.number, row.category, row.requirementCode, row.text, row.requiredBy, row.result, row.note].map(quoteCsv).join(','),
  );
  return `\uFEFF${[header.join(','), ...lines].join('\r\n')}\r\n`;
}
