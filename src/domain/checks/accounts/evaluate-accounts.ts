import type { Finding, FindingSeverity } from '../types.ts';
import type { AccountRecord, LeaverEntry, VendorEntry } from './account.ts';
import { DEFAULT_ACCOUNT_NAMES, isPrivilegedGroup, isSharedAccountName } from './account-rules.ts';
import { daysBetween } from './parse-account-date.ts';

export interface AccountEvaluationOptions {
  /** Evaluation date. */
  at: Date;
  /** Days without logon before an account counts as unused (CSIM 8.(2) f.). Default 180. */
  unusedDays?: number;
  leavers?: LeaverEntry[];
  vendors?: VendorEntry[];
  /** At most this many findings per rule; the rest are counted in stats. Default 1000. */
  maxFindingsPerRule?: number;
}

export interface AccountEvaluation {
  findings: Finding[];
  stats: Record<string, number>;
}

const ITEMS = {
  unused: ['CSIM:8.2.f'],
  defaultName: ['CSIM:8.3.g'],
  shared: ['CSIM:8.2.c', 'CSIM:8.2.f'],
  privileged: ['CSIM:7.2.b.c'],
  leaver: ['CSIM:5.2', 'CSIM:8.2.b'],
  vendor: ['CSIM:8.2.d'],
};

/**
 * Evaluates accounts one at a time, so that a streamed export of a million rows keeps only its
 * findings in memory. Call `add` per account and `finish` once.
 */
export function createAccountEvaluator(options: AccountEvaluationOptions) {
  const unusedDays = options.unusedDays ?? 180;
  const maxPerRule = options.maxFindingsPerRule ?? 1000;
  const leaversByAccount = new Map<string, LeaverEntry>();
  const leaversByEmployee = new Map<string, LeaverEntry>();
  for (const leaver of options.leavers ?? []) {
    if (leaver.account) {
      leaversByAccount.set(leaver.account.toLowerCase(), leaver);
    }
    if (leaver.employeeId) {
      leaversByEmployee.set(leaver.employeeId.toLowerCase(), leaver);
    }
  }
  const vendorsByAccount = new Map((options.vendors ?? []).map((vendor) => [vendor.account.toLowerCase(), vendor]));
  const findings: Finding[] = [];
  const counts = new Map<string, number>();
  const stats: Record<string, number> = { accounts: 0, enabled: 0, disabled: 0, lastLogonUnknown: 0 };

  /** Counts the rule and, below the cap, builds the finding (messages are built only when kept). */
  function push(
    account: AccountRecord,
    rule: string,
    severity: FindingSeverity,
    status: Finding['status'],
    describe: () => [message: string, messageEn: string, detail?: Record<string, unknown>],
    items: string[],
  ): void {
    const count = (counts.get(rule) ?? 0) + 1;
    counts.set(rule, count);
    if (count > maxPerRule) {
      return;
    }
    const [message, messageEn, detail] = describe();
    findings.push({
      rule,
      severity,
      status,
      message,
      messageEn,
      location: { file: account.file, line: account.line, subject: account.name },
      items,
      detail: { ...account.detail, ...detail },
    });
  }

  function add(account: AccountRecord): void {
    stats.accounts += 1;
    const name = account.name;
    const lower = name.toLowerCase();
    const isEnabled = account.enabled !== false;
    if (isEnabled) {
      stats.enabled += 1;
    } else {
      stats.disabled += 1;
    }
    const enabledNote = (): string => (account.enabled === undefined ? '（匯出資料未註明是否啟用）' : '');
    const day = (date: Date): string => date.toISOString().slice(0, 10);

    // Leavers still enabled (CSIM 5.(2), 8.(2) b.).
    const leaver =
      leaversByAccount.size + leaversByEmployee.size === 0
        ? undefined
        : (leaversByAccount.get(lower) ?? (account.employeeId ? leaversByEmployee.get(account.employeeId.toLowerCase()) : undefined));
    if (leaver && isEnabled && leaver.leaveDate.getTime() <= options.at.getTime()) {
      push(account, 'accounts.leaver-enabled', 'high', 'fail', () => [
        `帳號 ${name} 的使用者已於 ${day(leaver.leaveDate)} 離職，帳號仍為啟用${enabledNote()}。`,
        `Account ${name}: the user left on ${day(leaver.leaveDate)} and the account is still enabled.`,
        { leaveDate: day(leaver.leaveDate), leaverLine: leaver.line },
      ], ITEMS.leaver);
    }

    // Vendor accounts past contract end (CSIM 8.(2) d.).
    const vendor = vendorsByAccount.size === 0 ? undefined : vendorsByAccount.get(lower);
    if (vendor && isEnabled && vendor.contractEnd.getTime() < options.at.getTime()) {
      push(account, 'accounts.vendor-expired', 'high', 'fail', () => [
        `委外帳號 ${name}${vendor.vendor ? `（${vendor.vendor}）` : ''}合約已於 ${day(vendor.contractEnd)} 結束，帳號仍為啟用。`,
        `Vendor account ${name}: the contract ended on ${day(vendor.contractEnd)} and the account is still enabled.`,
        { contractEnd: day(vendor.contractEnd), vendor: vendor.vendor },
      ], ITEMS.vendor);
    }

    // Built-in and default accounts (CSIM 8.(3) g.).
    const sid = account.sid;
    if (isEnabled && sid?.endsWith('-500')) {
      const isRenamed = lower !== 'administrator';
      push(account, 'accounts.builtin-administrator', 'high', isRenamed ? 'warning' : 'fail', () => [
        isRenamed
          ? `帳號 ${name} 是內建系統管理員（SID 結尾 -500，已更名），仍為啟用。`
          : `內建系統管理員帳號 ${name}（SID 結尾 -500）仍為啟用。`,
        isRenamed
          ? `Account ${name} is the built-in Administrator (SID ends -500, renamed) and is enabled.`
          : `The built-in Administrator ${name} (SID ends -500) is enabled.`,
        { sid },
      ], ITEMS.defaultName);
    } else if (isEnabled && sid?.endsWith('-501')) {
      push(account, 'accounts.builtin-guest', 'high', 'fail', () => [
        `內建來賓帳號 ${name}（SID 結尾 -501）仍為啟用。`,
        `The built-in Guest account ${name} (SID ends -501) is enabled.`,
        { sid },
      ], ITEMS.defaultName);
    } else if (isEnabled && DEFAULT_ACCOUNT_NAMES.has(lower)) {
      push(account, 'accounts.default-name', 'high', 'fail', () => [
        `預設帳號名稱 ${name} 仍為啟用${enabledNote()}。`,
        `Default account name ${name} is enabled.`,
      ], ITEMS.defaultName);
    }

    // Shared or generic accounts.
    if (isEnabled && isSharedAccountName(name)) {
      push(account, 'accounts.shared', 'medium', 'warning', () => [
        `帳號 ${name} 看似共用或通用帳號，無法對應到個人，請確認用途與負責人。`,
        `Account ${name} looks shared or generic; confirm its purpose and owner.`,
      ], ITEMS.shared);
    }

    // Privileged accounts (CSIM 7.(2) b.(c)): uid 0 other than root fails; members are listed for review.
    if (account.uid === 0 && lower !== 'root') {
      push(account, 'accounts.uid-zero', 'high', 'fail', () => [
        `帳號 ${name} 的 UID 為 0，等同 root。`,
        `Account ${name} has UID 0 (root-equivalent).`,
      ], ITEMS.privileged);
    }
    const privilegedGroups = account.groups.length === 0 ? [] : account.groups.filter(isPrivilegedGroup);
    if (account.gid === 0 && lower !== 'root' && !privilegedGroups.includes('root')) {
      privilegedGroups.push('root (gid 0)');
    }
    if (isEnabled && (privilegedGroups.length > 0 || account.isPrivileged)) {
      push(account, 'accounts.privileged', 'info', 'info', () => [
        `帳號 ${name} 具最高權限（${privilegedGroups.join('、') || '匯出標記為特權'}），使用應經權責主管同意並留存紀錄。`,
        `Account ${name} is privileged (${privilegedGroups.join(', ') || 'marked privileged'}); use needs approval and records.`,
        { groups: privilegedGroups },
      ], ITEMS.privileged);
    }

    // Unused accounts (CSIM 8.(2) f.).
    if (!isEnabled) {
      return;
    }
    const lastLogon = account.lastLogon;
    if (lastLogon === undefined) {
      stats.lastLogonUnknown += 1;
      return;
    }
    if (lastLogon === null) {
      const created = account.created;
      const isNew = created !== undefined && daysBetween(created, options.at) <= unusedDays;
      push(account, 'accounts.never-used', 'medium', isNew ? 'warning' : 'fail', () => [
        isNew ? `帳號 ${name} 於 ${day(created!)} 建立，尚未登入。` : `帳號 ${name} 從未登入且仍為啟用。`,
        isNew ? `Account ${name} was created on ${day(created!)} and has not logged on yet.` : `Account ${name} has never logged on and is enabled.`,
        { created: created ? day(created) : undefined },
      ], ITEMS.unused);
      return;
    }
    const idle = daysBetween(lastLogon, options.at);
    if (idle > unusedDays) {
      push(account, 'accounts.unused', 'medium', 'fail', () => [
        `帳號 ${name} 已 ${idle} 天未登入（上次 ${day(lastLogon)}），超過 ${unusedDays} 天仍為啟用。`,
        `Account ${name} has not logged on for ${idle} days (last ${day(lastLogon)}), more than ${unusedDays}.`,
        { idleDays: idle, lastLogon: lastLogon.toISOString() },
      ], ITEMS.unused);
    }
  }

  function finish(): AccountEvaluation {
    const result = [...findings];
    for (const [rule, count] of counts) {
      stats[`rule:${rule}`] = count;
      if (count > maxPerRule) {
        result.push({
          rule: 'accounts.truncated',
          severity: 'info',
          status: 'info',
          message: `規則 ${rule} 共 ${count} 筆，僅列出前 ${maxPerRule} 筆。`,
          messageEn: `Rule ${rule} matched ${count} accounts; only the first ${maxPerRule} are listed.`,
          location: { subject: rule },
          items: [],
          detail: { rule, count, listed: maxPerRule },
        });
      }
    }
    if (stats.lastLogonUnknown > 0) {
      result.push({
        rule: 'accounts.last-logon-unknown',
        severity: 'medium',
        status: 'unknown',
        message: `${stats.lastLogonUnknown} 個啟用中的帳號無最後登入資料，無法判斷是否久未使用。`,
        messageEn: `${stats.lastLogonUnknown} enabled accounts have no last-logon data; cannot tell whether they are unused.`,
        location: {},
        items: ITEMS.unused,
        detail: { accounts: stats.lastLogonUnknown },
      });
    }
    return { findings: result, stats };
  }

  return { add, finish };
}
