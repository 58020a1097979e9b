/**
 * Check `backup`: backup plans per system against 3-2-1, the RPO and yearly restore tests.
 */
import { CheckInputError, type CheckDefinition } from '../types.ts';
import { buildResult, resolveEvaluationInstant } from '../eol/check-support.ts';
import { readTable, type ColumnSpec } from '../eol/read-table.ts';
import { BACKUP_ITEMS, evaluateBackupPlans } from './evaluate-backup-plans.ts';

export const BACKUP_COLUMNS: ColumnSpec = {
  aliases: {
    system: ['name', 'system_name', 'host', '系統', '系統名稱', '主機'],
    copies: ['backup_copies', 'copy_count', 'number_of_copies', '份數', '備份份數'],
    media: ['media_types', 'media_type', 'storage', 'storage_types', 'storage_devices', '媒體', '儲存媒體', '儲存設備', '媒體類型'],
    offsite_copies: ['offsite', 'off_site', 'off_site_copies', 'offsite_copy', '異地', '異地備份', '異地份數', '異地保存'],
    frequency: ['interval', 'backup_frequency', 'backup_interval', 'schedule', '備份頻率', '頻率', '備份週期'],
    rpo: ['recovery_point_objective', '資料復原點目標', '復原點目標'],
    last_backup: ['last_successful_backup', 'last_success', 'last_backup_at', '最近備份', '最近成功備份', '最後備份日期', '上次備份'],
    last_restore_test: ['restore_test', 'last_restore', 'last_restore_test_date', '回存測試', '最近回存測試', '還原測試', '最近還原測試'],
  },
  required: ['system'],
  jsonKeys: ['systems', 'plans', 'items', 'backups'],
};

export const backupCheck: CheckDefinition = {
  id: 'backup',
  title: '資料備份機制檢查（3-2-1、RPO、回存測試）',
  titleEn: 'Backup plan check (3-2-1, RPO, restore tests)',
  version: '1.0.0',
  inputKinds: ['backup-plan-csv', 'backup-plan-xlsx', 'backup-plan-json'],
  items: BACKUP_ITEMS,
  async run(inputs, options) {
    if (inputs.length === 0) {
      throw new CheckInputError('需要備份計畫清單 / a list of backup plans is required');
    }
    const at = resolveEvaluationInstant(options.at);
    const format = typeof options.format === 'string' ? options.format : undefined;
    const findings = [];
    const totals = { plans: 0, failing: 0, unknown: 0 };
    for (const input of inputs) {
      const table = await readTable(input, BACKUP_COLUMNS, format);
      const result = evaluateBackupPlans(table.file, table.rows, { at });
      findings.push(...result.findings);
      totals.plans += result.stats.plans;
      totals.failing += result.stats.failing;
      totals.unknown += result.stats.unknown;
    }
    return buildResult({
      check: 'backup',
      checkVersion: '1.0.0',
      items: BACKUP_ITEMS,
      findings,
      stats: { ...totals, at: at.date },
      summary: () => ({
        zh: `${totals.plans} 個系統的備份計畫：${totals.failing} 個不符合、${totals.unknown} 個資料不足。`,
        en: `${totals.plans} backup plans: ${totals.failing} failing, ${totals.unknown} with missing data.`,
      }),
    });
  },
};
