/**
 * Check `logs`: log retention of at least three years per system. Input: CSV, XLSX or JSON of systems
 * with their retention as written (`3y`, `1095 days`, `36 個月`) and, optionally, the oldest log present.
 */
import { CheckInputError, type CheckDefinition } from '../types.ts';
import { buildResult, resolveEvaluationDate } from '../eol/check-support.ts';
import { readTable, type ColumnSpec } from '../eol/read-table.ts';
import { LOG_ITEMS, evaluateLogRetention } from './evaluate-log-retention.ts';

export const LOG_COLUMNS: ColumnSpec = {
  aliases: {
    system: ['name', 'system_name', 'host', 'hostname', 'device', '系統', '系統名稱', '設備', '設備名稱', '主機'],
    type: ['kind', 'log_type', 'category', 'device_type', '類型', '日誌類型', '設備類型', '日誌種類'],
    retention: ['retention_period', 'retention_policy', 'keep', '保存期限', '保存期間', '保留期限', '留存期限', '保存年限', '保留期間'],
    oldest_log: ['oldest', 'oldest_log_date', 'earliest_log', 'earliest_log_date', 'oldest_record', '最早日誌', '最早日誌日期', '最早紀錄日期', '最早紀錄'],
    in_service_since: ['since', 'go_live', 'go_live_date', 'in_service', '上線日期', '啟用日期'],
  },
  required: ['system'],
  jsonKeys: ['systems', 'items', 'logs'],
};

export const logsCheck: CheckDefinition = {
  id: 'logs',
  title: '日誌保存期限檢查（至少三年）',
  titleEn: 'Log retention check (at least three years)',
  version: '1.0.0',
  inputKinds: ['log-retention-csv', 'log-retention-xlsx', 'log-retention-json'],
  items: LOG_ITEMS,
  async run(inputs, options) {
    if (inputs.length === 0) {
      throw new CheckInputError('需要系統日誌保存清單 / a list of systems and their log retention is required');
    }
    const at = resolveEvaluationDate(options.at);
    const format = typeof options.format === 'string' ? options.format : undefined;
    const toleranceDays = typeof options.toleranceDays === 'number' ? options.toleranceDays : undefined;
    const findings = [];
    const totals = { systems: 0, short: 0, evidenceShort: 0, unknown: 0 };
    for (const input of inputs) {
      const table = await readTable(input, LOG_COLUMNS, format);
      const result = evaluateLogRetention(table.file, table.rows, { at, toleranceDays });
      findings.push(...result.findings);
      for (const key of Object.keys(totals) as (keyof typeof totals)[]) {
        totals[key] += result.stats[key];
      }
    }
    return buildResult({
      check: 'logs',
      checkVersion: '1.0.0',
      items: LOG_ITEMS,
      findings,
      stats: { ...totals, at },
      summary: () => ({
        zh: `${totals.systems} 個系統：${totals.short} 個保存期限不足 3 年、${totals.evidenceShort} 個最早日誌不足 3 年、${totals.unknown} 個無法判定。`,
        en: `${totals.systems} systems: ${totals.short} with retention under 3 years, ${totals.evidenceShort} whose oldest log is under 3 years old, ${totals.unknown} undetermined.`,
      }),
    });
  },
};
