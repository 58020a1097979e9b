/**
 * Log retention rules: every system keeps its logs at least three years (CSIM 7.(1) b.(c) for firewall
 * logs, 8.(4) c for audit logs; NET 第四條三、 for network-device logs). Pure.
 */
import type { Finding } from '../types.ts';
import { CheckInputError } from '../types.ts';
import { addDays, addMonths, daysBetween, parseDate } from '../eol/dates.ts';
import { describeDuration, durationToDays, parseDuration, type Duration } from '../eol/check-support.ts';
import type { TableRow } from '../eol/read-table.ts';

export const REQUIRED_YEARS = 3;
const REQUIRED_DAYS = REQUIRED_YEARS * 365;

export const LOG_ITEMS = ['CSIM:7.1.b.c', 'CSIM:8.4.c', 'NET:4.3'];

const RULE_TEXTS = {
  firewall: 'CSIM 7.(1) b.(c)：「防火牆進出紀錄及其備份應至少保存三年。」',
  network: 'NET 第四條三、：「證券商應留存網路設備存取日誌並至少保留三年，供留存備查。」',
  audit: 'CSIM 8.(4) c：「相關留存紀錄應確保數位證據之收集、保護與適當管理程序，至少留存三年。」',
};

export type LogKind = 'firewall' | 'network' | 'audit' | 'unspecified';

/** What the type column says the logs are; decides which rule texts apply. */
export function classifyLogKind(text: string | undefined): LogKind {
  if (text === undefined) {
    return 'unspecified';
  }
  const value = text.toLowerCase();
  if (/firewall|fw\b|防火牆|waf/.test(value)) {
    return 'firewall';
  }
  if (/network|router|switch|網路|路由|交換|load.?balancer|vpn|wlan|wireless|無線/.test(value)) {
    return 'network';
  }
  return 'audit';
}

export function itemsForKind(kind: LogKind): string[] {
  switch (kind) {
    case 'firewall':
      return ['CSIM:7.1.b.c', 'NET:4.3'];
    case 'network':
      return ['NET:4.3', 'CSIM@112:7.1.b.c'];
    case 'audit':
      return ['CSIM:8.4.c'];
    case 'unspecified':
      return LOG_ITEMS;
  }
}

function ruleTextFor(kind: LogKind): string {
  switch (kind) {
    case 'firewall':
      return RULE_TEXTS.firewall;
    case 'network':
      return RULE_TEXTS.network;
    case 'audit':
      return RULE_TEXTS.audit;
    case 'unspecified':
      return `${RULE_TEXTS.firewall} ${RULE_TEXTS.audit}`;
  }
}

export interface LogRetentionOptions {
  at: string;
  /** Days of slack before the oldest log date counts as evidence of shorter retention (default 31). */
  toleranceDays?: number;
}

export interface LogRetentionStats {
  systems: number;
  short: number;
  evidenceShort: number;
  unknown: number;
}

function readDate(row: TableRow, field: string, file: string): string | undefined {
  const text = row.values[field];
  if (text === undefined) {
    return undefined;
  }
  const date = parseDate(text);
  if (date === null) {
    throw new CheckInputError(`欄位「${field}」不是日期 / "${field}" is not a date: ${text}`, file, row.line);
  }
  return date;
}

export function evaluateLogRetention(
  file: string,
  rows: TableRow[],
  options: LogRetentionOptions,
): { findings: Finding[]; stats: LogRetentionStats } {
  const tolerance = options.toleranceDays ?? 31;
  const findings: Finding[] = [];
  const stats: LogRetentionStats = { systems: rows.length, short: 0, evidenceShort: 0, unknown: 0 };
  const requiredStart = addMonths(options.at, -12 * REQUIRED_YEARS);

  for (const row of rows) {
    const system = row.values.system ?? `#${row.index + 1}`;
    const kind = classifyLogKind(row.values.type);
    const items = itemsForKind(kind);
    const location = { file, line: row.line, subject: system };
    const retentionText = row.values.retention;
    let retention: Duration | undefined;
    if (retentionText !== undefined) {
      retention = parseDuration(retentionText, { defaultUnit: 'day', mMeans: 'month' });
      if (retention === undefined) {
        throw new CheckInputError(
          `無法辨識保存期限「${retentionText}」（例：3y、1095 days、36 個月）/ cannot read retention "${retentionText}" (e.g. 3y, 1095 days, 36 個月)`,
          file,
          row.line,
        );
      }
    }
    const oldest = readDate(row, 'oldest_log', file);
    const since = readDate(row, 'in_service_since', file);
    const retentionDays = retention === undefined ? undefined : durationToDays(retention);
    const detail: Record<string, unknown> = { kind, retention: retentionText, retentionDays, oldestLog: oldest, inServiceSince: since, requiredDays: REQUIRED_DAYS };

    if (retention !== undefined && retentionDays !== undefined && retentionDays < REQUIRED_DAYS) {
      stats.short += 1;
      const written = describeDuration(retention);
      findings.push({
        rule: 'logs.retention-short',
        severity: 'high',
        status: 'fail',
        message: `${system} 日誌保存期限為 ${written.zh}，少於 3 年。${ruleTextFor(kind)}`,
        messageEn: `${system} keeps logs for ${written.en}, less than 3 years.`,
        location,
        items,
        detail,
      });
      continue;
    }

    if (oldest !== undefined) {
      // Logs can only go back to when the system went live.
      const expectedByRule = since !== undefined && since > requiredStart ? since : requiredStart;
      const claimedStart =
        retentionDays === undefined || !Number.isFinite(retentionDays) ? undefined : addDays(options.at, -Math.floor(retentionDays));
      const expectedByClaim = claimedStart === undefined ? undefined : since !== undefined && since > claimedStart ? since : claimedStart;
      const keptDays = daysBetween(oldest, options.at);
      detail.keptDays = keptDays;
      if (oldest > addDays(expectedByRule, tolerance)) {
        stats.evidenceShort += 1;
        findings.push({
          rule: 'logs.evidence-short',
          severity: 'high',
          status: 'fail',
          message: `${system} 最早的日誌為 ${oldest}（至 ${options.at} 僅 ${keptDays} 天），不足 3 年${retentionText ? `，與所填保存期限「${retentionText}」不符` : ''}。${ruleTextFor(kind)}`,
          messageEn: `${system}: the oldest log is from ${oldest} (${keptDays} days before ${options.at}), less than 3 years${retentionText ? `, contradicting the stated retention "${retentionText}"` : ''}.`,
          location,
          items,
          detail: { ...detail, expectedOldest: expectedByRule },
        });
        continue;
      }
      if (expectedByClaim !== undefined && oldest > addDays(expectedByClaim, tolerance)) {
        findings.push({
          rule: 'logs.evidence-contradicts-claim',
          severity: 'low',
          status: 'warning',
          message: `${system} 最早的日誌為 ${oldest}，短於所填保存期限「${retentionText}」（仍達 3 年）。`,
          messageEn: `${system}: the oldest log is from ${oldest}, shorter than the stated retention "${retentionText}" (still at least 3 years).`,
          location,
          items,
          detail: { ...detail, expectedOldest: expectedByClaim },
        });
        continue;
      }
    }

    if (retention === undefined && oldest === undefined) {
      stats.unknown += 1;
      findings.push({
        rule: 'logs.retention-unknown',
        severity: 'medium',
        status: 'unknown',
        message: `${system} 未填日誌保存期限，也沒有最早日誌日期，無法判定是否保存 3 年。`,
        messageEn: `${system} gives neither a retention period nor the oldest log date; 3-year retention cannot be determined.`,
        location,
        items,
        detail,
      });
    }
  }
  return { findings, stats };
}
