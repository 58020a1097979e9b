import { CheckInputError, statusFromFindings, type CheckDefinition, type CheckInput, type Finding } from '../types.ts';
import type { LeaverEntry, VendorEntry } from './account.ts';
import { createAccountEvaluator, type AccountEvaluation, type AccountEvaluationOptions } from './evaluate-accounts.ts';
import { analyseAdExportStream } from './parse-ad-export.ts';
import { LEAVER_COLUMNS, VENDOR_COLUMNS, parseGenericAccounts, parseLeavers, parseVendors } from './parse-account-lists.ts';
import { parseLinuxAccounts, type LinuxAccountFiles } from './parse-linux-accounts.ts';

export { analyseAdExportStream } from './parse-ad-export.ts';
export { createAccountEvaluator } from './evaluate-accounts.ts';
export { parseLinuxAccounts, parseLoginRecords } from './parse-linux-accounts.ts';
export { parseGenericAccounts, parseLeavers, parseVendors } from './parse-account-lists.ts';
export { parseAccountDate } from './parse-account-date.ts';

export type AccountInputKind = 'ad' | 'passwd' | 'shadow' | 'group' | 'logins' | 'generic' | 'leavers' | 'vendors';
const KINDS: AccountInputKind[] = ['ad', 'passwd', 'shadow', 'group', 'logins', 'generic', 'leavers', 'vendors'];

function firstDataLine(text: string): string {
  return (
    text
      .replace(/^\uFEFF/, '')
      .split(/\r?\n/)
      .find((line) => line.trim() !== '' && !line.startsWith('#')) ?? ''
  );
}

function headerColumns(text: string): string[] {
  return firstDataLine(text)
    .split(',')
    .map((column) => column.replace(/"/g, '').trim().toLowerCase());
}

/** Recognises an input by file name, then by content. */
export function detectAccountInput(input: CheckInput, format?: string): AccountInputKind {
  if (format && (KINDS as string[]).includes(format)) {
    return format as AccountInputKind;
  }
  const name = input.name.replace(/^.*[\\/]/, '').toLowerCase();
  const text = input.text ?? '';
  for (const kind of ['passwd', 'shadow', 'group', 'lastlog'] as const) {
    if (name === kind || name.startsWith(`${kind}.`)) {
      return kind === 'lastlog' ? 'logins' : kind;
    }
  }
  const columns = headerColumns(text);
  if (LEAVER_COLUMNS.leaveDate.some((column) => columns.includes(column))) {
    return 'leavers';
  }
  if (VENDOR_COLUMNS.contractEnd.some((column) => columns.includes(column))) {
    return 'vendors';
  }
  if (columns.includes('samaccountname')) {
    return 'ad';
  }
  if (columns.some((column) => ['account', 'username', 'user', '帳號'].includes(column))) {
    return 'generic';
  }
  const line = firstDataLine(text);
  if (/^Username\s+Port/.test(line) || /^last\b/.test(name)) {
    return 'logins';
  }
  if (/^[^:\s]+:[^:]*:\d+:\d+:[^:]*:[^:]*:[^:]*$/.test(line)) {
    return 'passwd';
  }
  if (/^[^:\s]+:[^:]*:\d*:\d*:\d*:\d*:\d*:\d*:?[^:]*$/.test(line)) {
    return 'shadow';
  }
  if (/^[^:\s]+:[^:]*:\d+:[^:]*$/.test(line)) {
    return 'group';
  }
  throw new CheckInputError('無法辨識的帳號清單 / unrecognised account input', input.name);
}

/** A numeric option that may arrive as a string (--option key=value). */
function readCount(value: unknown, name: string): number | undefined {
  if (value === undefined) {
    return undefined;
  }
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0) {
    throw new CheckInputError(`選項 ${name} 應為非負整數 / option ${name} must be a non-negative integer: ${String(value)}`);
  }
  return number;
}

function combine(evaluations: AccountEvaluation[]): AccountEvaluation {
  const stats: Record<string, number> = {};
  for (const evaluation of evaluations) {
    for (const [key, value] of Object.entries(evaluation.stats)) {
      stats[key] = (stats[key] ?? 0) + value;
    }
  }
  return { findings: evaluations.flatMap((evaluation) => evaluation.findings), stats };
}

export const accountsCheck: CheckDefinition = {
  id: 'accounts',
  title: '帳號清查',
  titleEn: 'Account review',
  version: '1.0.0',
  inputKinds: KINDS,
  items: ['CSIM:5.2', 'CSIM:7.2.b.c', 'CSIM:8.2.b', 'CSIM:8.2.d', 'CSIM:8.2.f', 'CSIM:8.3.g'],
  async run(inputs, options) {
    const at = new Date(options.at ?? new Date().toISOString());
    if (Number.isNaN(at.getTime())) {
      throw new CheckInputError(`at 日期無法解讀 / invalid at date: ${options.at}`);
    }
    const format = inputs.length === 1 ? options.format : undefined;
    const byKind = new Map<AccountInputKind, CheckInput[]>();
    for (const input of inputs) {
      if (input.text === undefined) {
        throw new CheckInputError('需要文字檔 / a text file is required', input.name);
      }
      const kind = detectAccountInput(input, format);
      byKind.set(kind, [...(byKind.get(kind) ?? []), input]);
    }
    const leavers: LeaverEntry[] = [];
    for (const input of byKind.get('leavers') ?? []) {
      leavers.push(...(await parseLeavers(input.name, input.text!)));
    }
    const vendors: VendorEntry[] = [];
    for (const input of byKind.get('vendors') ?? []) {
      vendors.push(...(await parseVendors(input.name, input.text!)));
    }
    const evaluationOptions: AccountEvaluationOptions = {
      at,
      leavers,
      vendors,
      unusedDays: readCount(options.unusedDays, 'unusedDays'),
      maxFindingsPerRule: readCount(options.maxFindingsPerRule, 'maxFindingsPerRule'),
    };
    const evaluations: AccountEvaluation[] = [];
    for (const input of byKind.get('ad') ?? []) {
      evaluations.push(await analyseAdExportStream(input.text!, { ...evaluationOptions, file: input.name }));
    }
    const passwd = byKind.get('passwd') ?? [];
    if (passwd.length > 1) {
      throw new CheckInputError('一次只能檢查一組 passwd / one passwd file per run', passwd[1].name);
    }
    const [shadow] = byKind.get('shadow') ?? [];
    const [group] = byKind.get('group') ?? [];
    const [logins] = byKind.get('logins') ?? [];
    if (passwd.length === 0 && (shadow || group || logins)) {
      throw new CheckInputError('shadow/group/lastlog 需搭配 passwd / shadow, group and lastlog need passwd', (shadow ?? group ?? logins).name);
    }
    if (passwd.length === 1) {
      const asFile = (input?: CheckInput) => (input ? { file: input.name, text: input.text! } : undefined);
      const files: LinuxAccountFiles = { passwd: asFile(passwd[0])!, shadow: asFile(shadow), group: asFile(group), logins: asFile(logins) };
      const evaluator = createAccountEvaluator(evaluationOptions);
      parseLinuxAccounts(files, at).forEach(evaluator.add);
      evaluations.push(evaluator.finish());
    }
    for (const input of byKind.get('generic') ?? []) {
      const evaluator = createAccountEvaluator(evaluationOptions);
      (await parseGenericAccounts(input.name, input.text!)).forEach(evaluator.add);
      evaluations.push(evaluator.finish());
    }
    if (evaluations.length === 0) {
      throw new CheckInputError('未提供帳號清單 / no account list given (AD export, passwd or generic CSV)');
    }
    const { findings, stats } = combine(evaluations);
    const failing = new Set(findings.filter((finding: Finding) => finding.status === 'fail').map((finding) => finding.location.subject));
    return {
      check: 'accounts',
      checkVersion: '1.0.0',
      status: statusFromFindings(findings),
      evaluatedAt: at.toISOString(),
      summary: `共 ${stats.accounts} 個帳號（啟用 ${stats.enabled}），${failing.size} 個帳號不符合。`,
      summaryEn: `${stats.accounts} accounts (${stats.enabled} enabled); ${failing.size} accounts failing.`,
      findings,
      items: accountsCheck.items,
      stats: { ...stats, leavers: leavers.length, vendors: vendors.length },
    };
  },
};
