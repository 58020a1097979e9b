import type { Readable } from 'node:stream';
import { CheckInputError } from '../types.ts';
import type { AccountRecord } from './account.ts';
import { readGroupName } from './account-rules.ts';
import { createAccountEvaluator, type AccountEvaluation, type AccountEvaluationOptions } from './evaluate-accounts.ts';
import { parseAccountDate } from './parse-account-date.ts';
import { findColumn, forEachCsvRecord, parseBoolean } from './read-csv-records.ts';

/** Get-ADUser columns the check reads (lower-case aliases). */
export const AD_COLUMNS = {
  name: ['samaccountname'],
  enabled: ['enabled'],
  lastLogon: ['lastlogondate', 'lastlogontimestamp', 'lastlogon'],
  sid: ['sid', 'objectsid'],
  memberOf: ['memberof'],
  created: ['whencreated', 'created'],
  employeeId: ['employeeid', 'employeenumber'],
  expires: ['accountexpirationdate'],
};

type ColumnIndexes = Record<keyof typeof AD_COLUMNS, number>;

/** Splits MemberOf: DNs joined with ";" or "|" or new lines (DNs themselves contain commas). */
function splitMemberOf(value: string | undefined): string[] {
  if (!value || value.includes('ADPropertyValueCollection')) {
    return [];
  }
  return value
    .split(/[;|\n]/)
    .map(readGroupName)
    .filter((group) => group !== '');
}

function cell(cells: string[], index: number): string | undefined {
  return index >= 0 ? cells[index] : undefined;
}

/** One Get-ADUser Export-Csv row as an account. */
function readAdRow(cells: string[], line: number, columns: ColumnIndexes, file: string): AccountRecord {
  const name = cell(cells, columns.name)?.trim();
  if (!name) {
    throw new CheckInputError('SamAccountName 為空 / empty SamAccountName', file, line);
  }
  const expiresText = cell(cells, columns.expires);
  const expires = expiresText ? parseAccountDate(expiresText, file, line) : null;
  const createdText = cell(cells, columns.created);
  const record: AccountRecord = {
    name,
    enabled: parseBoolean(cell(cells, columns.enabled), file, line, 'Enabled'),
    lastLogon: columns.lastLogon >= 0 ? parseAccountDate(cells[columns.lastLogon], file, line) : undefined,
    created: createdText ? (parseAccountDate(createdText, file, line) ?? undefined) : undefined,
    sid: cell(cells, columns.sid)?.trim() || undefined,
    groups: splitMemberOf(cell(cells, columns.memberOf)),
    employeeId: cell(cells, columns.employeeId)?.trim() || undefined,
    file,
    line,
  };
  if (expires) {
    record.expires = expires;
    record.detail = { accountExpires: expires.toISOString().slice(0, 10) };
  }
  return record;
}

/**
 * Streams a Get-ADUser export (Export-Csv, with or without the #TYPE line) through the account
 * rules. Memory stays flat: rows are evaluated as they arrive and only findings (capped per rule)
 * are kept.
 */
export async function analyseAdExportStream(
  readable: Readable | string,
  options: AccountEvaluationOptions & { file?: string },
): Promise<AccountEvaluation> {
  const file = options.file ?? 'ad-export.csv';
  const evaluator = createAccountEvaluator(options);
  let columns: ColumnIndexes | undefined;
  let width = 0;
  await forEachCsvRecord(
    readable,
    file,
    (headers) => {
      width = headers.length;
      columns = Object.fromEntries(
        Object.entries(AD_COLUMNS).map(([key, aliases]) => [key, findColumn(headers, aliases)]),
      ) as ColumnIndexes;
      if (columns.name < 0) {
        throw new CheckInputError('缺少 SamAccountName 欄位 / missing SamAccountName column', file, 1);
      }
    },
    (cells, line) => {
      if (cells.length !== width) {
        throw new CheckInputError(`欄位數 ${cells.length} 與標題 ${width} 不符 / ${cells.length} fields, header has ${width}`, file, line);
      }
      const account = readAdRow(cells, line, columns!, file);
      if (account.expires && account.expires.getTime() < options.at.getTime()) {
        account.enabled = false;
      }
      evaluator.add(account);
    },
  );
  return evaluator.finish();
}
