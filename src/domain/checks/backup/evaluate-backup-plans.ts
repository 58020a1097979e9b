/**
 * Backup plan rules: 3-2-1 (CSIM 112 7.(2) c.(g)), backup interval and age against the RPO (CSIM 112
 * 7.(2) c.(f)) and a restore test within a year (CSIM 7.(2) c.(e)). Pure.
 */
import { CheckInputError, type Finding, type FindingSeverity } from '../types.ts';
import { addMonths, daysBetween, parseDate, parseInstant, type Instant } from '../eol/dates.ts';
import { describeMinutes, durationToMinutes, parseDuration, splitList } from '../eol/check-support.ts';
import { parseNumber, parseYesNo, type TableRow } from '../eol/read-table.ts';

const ITEM_321 = 'CSIM@112:7.2.c.g';
const ITEM_RPO = 'CSIM@112:7.2.c.f';
const ITEM_RESTORE = 'CSIM:7.2.c.e';
export const BACKUP_ITEMS = [ITEM_RPO, ITEM_321, ITEM_RESTORE];

const TEXT_321 =
  'CSIM 112 7.(2) c.(g)：「公司制定資料備份機制時，宜考量「3-2-1 備份原則」，至少製作三份備份；將備份分別存放在兩套獨立不同儲存設備；至少一份放在異地保存。」';
const TEXT_RPO = 'CSIM 112 7.(2) c.(f)：「公司應依據系統特性與資料復原點目標（RPO），考量備份頻率…制定適當之資料備份機制」';
const TEXT_RESTORE = 'CSIM 7.(2) c.(e)：「應建立回存測試機制，以驗證備份之完整性及儲存環境的適當性。」';

/** Cells that mean "never happened". */
const NEVER = new Set(['none', 'never', 'no', 'n/a', '-', '無', '未曾', '從未', '尚未', '否', '未執行']);

const FREQUENCY_WORDS: [RegExp, number][] = [
  [/^(?:continuous|continuously|real[-\s]?time|realtime|sync|synchronous|即時|同步|持續|連續)$/i, 0],
  [/^(?:hourly|每小時|每時)$/i, 60],
  [/^(?:daily|nightly|every\s*day|每日|每天|每晚)$/i, 1440],
  [/^(?:weekly|every\s*week|每週|每周|每星期)$/i, 10_080],
  [/^(?:monthly|every\s*month|每月)$/i, durationToMinutes({ amount: 1, unit: 'month', isUnlimited: false })],
  [/^(?:quarterly|每季)$/i, durationToMinutes({ amount: 3, unit: 'month', isUnlimited: false })],
  [/^(?:yearly|annually|每年)$/i, durationToMinutes({ amount: 1, unit: 'year', isUnlimited: false })],
];

/** Backup interval in minutes: `daily`, `每日`, `every 4 hours`, `每 4 小時`, `4h`, `15m`, `即時`. */
export function parseFrequency(text: string): number | undefined {
  const value = text.trim();
  for (const [pattern, minutes] of FREQUENCY_WORDS) {
    if (pattern.test(value)) {
      return minutes;
    }
  }
  const stripped = value.replace(/^(?:every|each|每)\s*/i, '').replace(/(?:一次|once)$/i, '').trim();
  const duration = parseDuration(stripped, { mMeans: 'minute' }) ?? parseDuration(`1 ${stripped}`, { mMeans: 'minute' });
  if (duration === undefined || duration.isUnlimited) {
    return undefined;
  }
  return durationToMinutes(duration);
}

export interface BackupOptions {
  /** Evaluation instant (end of the day for a date-only `at`). */
  at: Instant;
}

export interface BackupStats {
  plans: number;
  failing: number;
  unknown: number;
}

export function evaluateBackupPlans(file: string, rows: TableRow[], options: BackupOptions): { findings: Finding[]; stats: BackupStats } {
  const findings: Finding[] = [];
  const stats: BackupStats = { plans: rows.length, failing: 0, unknown: 0 };
  const atDate = options.at.date;

  for (const row of rows) {
    const system = row.values.system ?? `#${row.index + 1}`;
    const location = { file, line: row.line, subject: system };
    const rowFindings: Finding[] = [];
    const add = (
      rule: string,
      status: Finding['status'],
      severity: FindingSeverity,
      item: string,
      message: string,
      messageEn: string,
      detail: Record<string, unknown> = {},
    ): void => {
      rowFindings.push({ rule, status, severity, message, messageEn, location, items: [item], detail });
    };
    const bad = (field: string, expected: string): never => {
      throw new CheckInputError(
        `欄位「${field}」無法辨識（${expected}）/ cannot read "${field}" (${expected}): ${row.values[field]}`,
        file,
        row.line,
      );
    };
    const readCount = (field: string): number | undefined => {
      const text = row.values[field];
      if (text === undefined) {
        return undefined;
      }
      const number = parseNumber(text.replace(/\s*(?:份|個|套|copies|copy)$/i, ''));
      if (number !== undefined && Number.isInteger(number)) {
        return number;
      }
      const yesNo = parseYesNo(text);
      if (yesNo !== undefined) {
        return yesNo ? 1 : 0;
      }
      return bad(field, 'a whole number / 整數');
    };

    // 3-2-1: copies, distinct media, offsite.
    const copies = readCount('copies');
    const media = [...new Set(splitList(row.values.media).map((entry) => entry.toLowerCase().replace(/\s+/g, ' ')))];
    const offsite = readCount('offsite_copies');
    if (copies === undefined) {
      add('backup.copies-unknown', 'unknown', 'medium', ITEM_321, `${system} 未填備份份數。`, `${system}: number of backup copies not given.`);
    } else if (copies < 3) {
      add('backup.copies', 'warning', 'medium', ITEM_321, `${system} 僅有 ${copies} 份備份，少於 3 份。${TEXT_321}`, `${system} has ${copies} backup copies, fewer than 3.`, { copies });
    }
    if (row.values.media === undefined) {
      add('backup.media-unknown', 'unknown', 'medium', ITEM_321, `${system} 未填備份儲存媒體。`, `${system}: backup media not given.`);
    } else if (media.length < 2) {
      add('backup.media', 'warning', 'medium', ITEM_321, `${system} 備份僅存放於 ${media.length} 種儲存設備（${media.join('、')}），少於 2 套。${TEXT_321}`, `${system} keeps backups on ${media.length} kind of storage (${media.join(', ')}), fewer than 2.`, { media });
    }
    if (offsite === undefined) {
      add('backup.offsite-unknown', 'unknown', 'medium', ITEM_321, `${system} 未填異地備份份數。`, `${system}: offsite copies not given.`);
    } else if (offsite < 1) {
      add('backup.offsite', 'warning', 'medium', ITEM_321, `${system} 沒有異地保存的備份。${TEXT_321}`, `${system} has no offsite backup copy.`, { offsite });
    }

    // Interval and age against the RPO.
    const rpoText = row.values.rpo;
    let rpo: number | undefined;
    if (rpoText !== undefined) {
      const duration = parseDuration(rpoText, { defaultUnit: 'hour', mMeans: 'minute' });
      rpo = duration === undefined || duration.isUnlimited ? bad('rpo', 'e.g. 4h, 24 小時, 1 day') : durationToMinutes(duration);
    }
    const frequencyText = row.values.frequency;
    const interval = frequencyText === undefined ? undefined : parseFrequency(frequencyText) ?? bad('frequency', 'e.g. daily, 每日, every 4 hours, 4h');
    const lastBackupText = row.values.last_backup;
    let lastBackup: Instant | undefined;
    if (lastBackupText !== undefined && !NEVER.has(lastBackupText.toLowerCase())) {
      lastBackup = parseInstant(lastBackupText) ?? bad('last_backup', 'a date or date-time / 日期');
    }

    if (rpo === undefined) {
      add('backup.rpo-unknown', 'unknown', 'medium', ITEM_RPO, `${system} 未填資料復原點目標(RPO)，無法判斷備份頻率是否足夠。`, `${system}: no RPO given; backup frequency cannot be judged.`);
    } else {
      const rpoText2 = describeMinutes(rpo);
      if (interval === undefined) {
        add('backup.frequency-unknown', 'unknown', 'medium', ITEM_RPO, `${system} 未填備份頻率。`, `${system}: backup frequency not given.`);
      } else if (interval > rpo) {
        const intervalText = describeMinutes(interval);
        add('backup.interval-exceeds-rpo', 'fail', 'high', ITEM_RPO, `${system} 備份間隔 ${intervalText.zh} 大於 RPO ${rpoText2.zh}。${TEXT_RPO}`, `${system}: backup interval ${intervalText.en} exceeds the RPO of ${rpoText2.en}.`, { intervalMinutes: interval, rpoMinutes: rpo });
      }
      if (lastBackupText === undefined) {
        add('backup.last-backup-unknown', 'unknown', 'medium', ITEM_RPO, `${system} 未填最近一次成功備份時間。`, `${system}: last successful backup not given.`);
      } else if (lastBackup === undefined) {
        add('backup.never-backed-up', 'fail', 'high', ITEM_RPO, `${system} 沒有成功備份紀錄。${TEXT_RPO}`, `${system} has no successful backup.`);
      } else {
        // Date-only records are compared in whole days; shorter RPOs need a time of day.
        let ageMinutes: number;
        let isCertain = true;
        if (lastBackup.isDateOnly) {
          ageMinutes = daysBetween(lastBackup.date, atDate) * 1440;
          isCertain = rpo >= 1440 || ageMinutes > rpo;
        } else {
          ageMinutes = (options.at.ms - lastBackup.ms) / 60_000;
        }
        const ageText = describeMinutes(Math.max(0, Math.round(ageMinutes)));
        if (!isCertain) {
          add('backup.last-backup-imprecise', 'unknown', 'low', ITEM_RPO, `${system} 最近備份只記日期（${lastBackup.date}），RPO ${rpoText2.zh} 需要時間才能判斷。`, `${system}: the last backup has only a date (${lastBackup.date}); an RPO of ${rpoText2.en} needs a time of day.`);
        } else if (ageMinutes > rpo) {
          add('backup.stale', 'fail', 'high', ITEM_RPO, `${system} 最近一次成功備份為 ${lastBackupText}，距評估時已 ${ageText.zh}，超過 RPO ${rpoText2.zh}。${TEXT_RPO}`, `${system}: the last successful backup (${lastBackupText}) is ${ageText.en} old, beyond the RPO of ${rpoText2.en}.`, { ageMinutes, rpoMinutes: rpo });
        }
      }
    }

    // Restore test within a year.
    const restoreText = row.values.last_restore_test;
    if (restoreText === undefined) {
      add('backup.restore-test-unknown', 'unknown', 'medium', ITEM_RESTORE, `${system} 未填最近一次回存測試日期。`, `${system}: last restore test not given.`);
    } else if (NEVER.has(restoreText.toLowerCase())) {
      add('backup.restore-test-missing', 'fail', 'high', ITEM_RESTORE, `${system} 未曾辦理回存測試。${TEXT_RESTORE}`, `${system} has never had a restore test.`);
    } else {
      const restored = parseDate(restoreText) ?? bad('last_restore_test', 'a date / 日期');
      const due = addMonths(restored, 12);
      if (due < atDate) {
        add('backup.restore-test-overdue', 'fail', 'medium', ITEM_RESTORE, `${system} 最近一次回存測試為 ${restored}，已逾一年（應於 ${due} 前再測）。${TEXT_RESTORE}`, `${system}: the last restore test was on ${restored}, more than a year ago (due by ${due}).`, { lastRestoreTest: restored, due });
      }
    }

    if (rowFindings.some((finding) => finding.status === 'fail')) {
      stats.failing += 1;
    }
    if (rowFindings.some((finding) => finding.status === 'unknown')) {
      stats.unknown += 1;
    }
    findings.push(...rowFindings);
  }
  return { findings, stats };
}
