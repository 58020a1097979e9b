/**
 * Check `cadence`: dates of recurring activities (scans, tests, drills, reviews, audits) against their
 * required cadence. Input: CSV, XLSX or JSON of (activity, date, system?).
 */
import { CheckInputError, type CheckDefinition, type Finding } from '../types.ts';
import { buildResult, resolveEvaluationDate } from '../eol/check-support.ts';
import { addMonths, parseDate } from '../eol/dates.ts';
import { readTable, type ColumnSpec } from '../eol/read-table.ts';
import { ACTIVITIES } from './activities.ts';
import { evaluateCadence, readActivityRecords, type ActivityRecord } from './evaluate-cadence.ts';

export const CADENCE_COLUMNS: ColumnSpec = {
  aliases: {
    activity: ['task', 'event', 'type', 'name', '活動', '作業', '項目', '作業項目', '名稱'],
    date: ['completed', 'completed_on', 'performed', 'performed_on', 'done', '日期', '辦理日期', '執行日期', '完成日期'],
    system: ['target', 'scope', 'host', '系統', '對象', '範圍'],
  },
  required: ['activity', 'date'],
  jsonKeys: ['activities', 'records', 'events', 'items'],
};

const CADENCE_ITEMS = [...new Set(ACTIVITIES.flatMap((activity) => activity.items))];

function readRequired(value: unknown): string[] {
  if (value === undefined) {
    return ACTIVITIES.filter((activity) => activity.isRequiredByDefault).map((activity) => activity.id);
  }
  const list = Array.isArray(value) ? value.map(String) : String(value).split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
  for (const id of list) {
    if (!ACTIVITIES.some((activity) => activity.id === id)) {
      throw new CheckInputError(`未知的活動「${id}」/ unknown activity "${id}"; known: ${ACTIVITIES.map((activity) => activity.id).join(', ')}`, 'options.activities');
    }
  }
  return list;
}

function readCadences(value: unknown): Record<string, number> | undefined {
  if (value === undefined) {
    return undefined;
  }
  if (value === null || typeof value !== 'object') {
    throw new CheckInputError('cadences 須為 {活動: 月數} / cadences must be {activity: months}', 'options.cadences');
  }
  const result: Record<string, number> = {};
  for (const [id, months] of Object.entries(value)) {
    if (!ACTIVITIES.some((activity) => activity.id === id) || typeof months !== 'number' || !Number.isInteger(months) || months < 1) {
      throw new CheckInputError(`cadences.${id} 須為已知活動的正整數月數 / must be a positive whole number of months for a known activity`, 'options.cadences');
    }
    result[id] = months;
  }
  return result;
}

export const cadenceCheck: CheckDefinition = {
  id: 'cadence',
  title: '定期作業週期檢查（弱掃、滲透測試、演練、檢視、查核）',
  titleEn: 'Recurring activity cadence check (scans, tests, drills, reviews, audits)',
  version: '1.0.0',
  inputKinds: ['activity-log-csv', 'activity-log-xlsx', 'activity-log-json'],
  items: CADENCE_ITEMS,
  async run(inputs, options) {
    if (inputs.length === 0) {
      throw new CheckInputError('需要作業紀錄（activity, date）/ activity records (activity, date) are required');
    }
    const at = resolveEvaluationDate(options.at);
    const fromOption = options.from;
    const from = fromOption === undefined ? addMonths(at, -12) : typeof fromOption === 'string' ? parseDate(fromOption) : null;
    if (from === null || from > at) {
      throw new CheckInputError(`期間起日無法辨識或晚於評估日 / cannot use period start: ${String(fromOption)}`, 'options.from');
    }
    const required = readRequired(options.activities);
    const cadences = readCadences(options.cadences);
    const format = typeof options.format === 'string' ? options.format : undefined;
    const records: ActivityRecord[] = [];
    const findings: Finding[] = [];
    for (const input of inputs) {
      const table = await readTable(input, CADENCE_COLUMNS, format);
      const read = readActivityRecords(table.file, table.rows, ACTIVITIES);
      records.push(...read.records);
      for (const row of read.unrecognized) {
        findings.push({
          rule: 'cadence.unrecognized-activity',
          severity: 'info',
          status: 'info',
          message: `無法對應的活動「${row.values.activity}」，未納入判斷。`,
          messageEn: `Unrecognized activity "${row.values.activity}"; not evaluated.`,
          location: { file: table.file, line: row.line, subject: row.values.activity },
          items: [],
        });
      }
    }
    const result = evaluateCadence(records, { at, from, required, cadences });
    findings.unshift(...result.findings);
    const failing = result.findings.filter((finding) => finding.status === 'fail' || finding.status === 'warning');
    const missing = result.findings.filter((finding) => finding.rule === 'cadence.missing').length;
    const overdue = result.findings.filter((finding) => finding.rule === 'cadence.overdue').length;
    const gaps = result.findings.filter((finding) => finding.rule === 'cadence.gap').length;
    return buildResult({
      check: 'cadence',
      checkVersion: '1.0.0',
      items: CADENCE_ITEMS,
      findings,
      stats: { records: records.length, activities: new Set(result.schedules.map((schedule) => schedule.activityId)).size, missing, overdue, gaps, from, at },
      summary: () => ({
        zh: `${from} 至 ${at}：${missing} 項作業無紀錄、${overdue} 項逾期、${gaps} 個期間內間隔過長（共 ${failing.length} 項待處理）。`,
        en: `${from} to ${at}: ${missing} activities with no record, ${overdue} overdue, ${gaps} gaps longer than the cadence (${failing.length} to address).`,
      }),
    });
  },
};
