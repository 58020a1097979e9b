import { CheckInputError } from '../types.ts';
import type { AccountRecord, LeaverEntry, VendorEntry } from './account.ts';
import { parseAccountDate } from './parse-account-date.ts';
import { hasColumn, parseBoolean, pickColumn, readCsvRows } from './read-csv-records.ts';

export const GENERIC_COLUMNS = {
  account: ['account', 'username', 'user', '帳號'],
  enabled: ['enabled', '啟用'],
  lastLogon: ['lastlogon', 'last_logon', '最後登入'],
  created: ['created', '建立日期'],
  groups: ['groups', '群組'],
  privileged: ['privileged', '特權'],
  uid: ['uid'],
  employeeId: ['employeeid', 'employee_id', '員工編號'],
  sid: ['sid'],
};
export const LEAVER_COLUMNS = {
  account: ['account', 'samaccountname', 'username', '帳號'],
  employeeId: ['employeeid', 'employee_id', '員工編號'],
  leaveDate: ['leavedate', 'leave_date', '離職日', '離職日期'],
};
export const VENDOR_COLUMNS = {
  account: ['account', 'samaccountname', 'username', '帳號'],
  vendor: ['vendor', '廠商'],
  contractEnd: ['contractend', 'contract_end', '合約結束日', '合約到期日'],
};


/** The generic account CSV (columns in README.md). */
export async function parseGenericAccounts(file: string, text: string): Promise<AccountRecord[]> {
  const { headers, rows } = await readCsvRows(text, file);
  if (!hasColumn(headers, GENERIC_COLUMNS.account)) {
    throw new CheckInputError('缺少 account 欄位 / missing account column', file, 1);
  }
  const hasLastLogon = hasColumn(headers, GENERIC_COLUMNS.lastLogon);
  return rows.map(({ values, line }) => {
    const name = pickColumn(values, GENERIC_COLUMNS.account)?.trim();
    if (!name) {
      throw new CheckInputError('account 為空 / empty account', file, line);
    }
    const uidText = pickColumn(values, GENERIC_COLUMNS.uid)?.trim();
    if (uidText && !/^\d+$/.test(uidText)) {
      throw new CheckInputError(`uid 應為數字 / uid must be a number: ${uidText}`, file, line);
    }
    const created = pickColumn(values, GENERIC_COLUMNS.created);
    return {
      name,
      enabled: parseBoolean(pickColumn(values, GENERIC_COLUMNS.enabled), file, line, 'enabled'),
      lastLogon: hasLastLogon ? parseAccountDate(pickColumn(values, GENERIC_COLUMNS.lastLogon), file, line) : undefined,
      created: created ? (parseAccountDate(created, file, line) ?? undefined) : undefined,
      groups: (pickColumn(values, GENERIC_COLUMNS.groups) ?? '').split(/[;|]/).map((group) => group.trim()).filter(Boolean),
      isPrivileged: parseBoolean(pickColumn(values, GENERIC_COLUMNS.privileged), file, line, 'privileged'),
      uid: uidText ? Number(uidText) : undefined,
      employeeId: pickColumn(values, GENERIC_COLUMNS.employeeId)?.trim() || undefined,
      sid: pickColumn(values, GENERIC_COLUMNS.sid)?.trim() || undefined,
      file,
      line,
    };
  });
}

/** HR leaver list: account and/or employee id, and leave date. */
export async function parseLeavers(file: string, text: string): Promise<LeaverEntry[]> {
  const { rows } = await readCsvRows(text, file);
  return rows.map(({ values, line }) => {
    const account = pickColumn(values, LEAVER_COLUMNS.account)?.trim() || undefined;
    const employeeId = pickColumn(values, LEAVER_COLUMNS.employeeId)?.trim() || undefined;
    if (!account && !employeeId) {
      throw new CheckInputError('需有帳號或員工編號 / account or employee id required', file, line);
    }
    const leaveDate = parseAccountDate(pickColumn(values, LEAVER_COLUMNS.leaveDate), file, line);
    if (!leaveDate) {
      throw new CheckInputError('缺少離職日 / missing leave date', file, line);
    }
    return { account, employeeId, leaveDate, line };
  });
}

/** Vendor account list: account and contract end date. */
export async function parseVendors(file: string, text: string): Promise<VendorEntry[]> {
  const { rows } = await readCsvRows(text, file);
  return rows.map(({ values, line }) => {
    const account = pickColumn(values, VENDOR_COLUMNS.account)?.trim();
    if (!account) {
      throw new CheckInputError('缺少帳號 / missing account', file, line);
    }
    const contractEnd = parseAccountDate(pickColumn(values, VENDOR_COLUMNS.contractEnd), file, line);
    if (!contractEnd) {
      throw new CheckInputError('缺少合約結束日 / missing contract end', file, line);
    }
    return { account, vendor: pickColumn(values, VENDOR_COLUMNS.vendor)?.trim() || undefined, contractEnd, line };
  });
}
