/**
 * `anjian check <name> TARGET…`: runs one automated check on local files (or a live host:port for
 * tls) without a server or database, so it works on an air-gapped machine. Prints a zh-TW report or
 * JSON. Exit codes: 0 pass, 1 findings (fail or warning), 2 the input could not be checked.
 */
import { closeSync, createReadStream, existsSync, openSync, readFileSync, readSync, statSync, writeFileSync } from 'node:fs';
import { Transform, type Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import type { Command } from 'commander';
import type { CliContext } from './cli-context.ts';
import { loadCatalog } from '../catalog-files/load-catalog.ts';
import type { CatalogVersion } from '../domain/catalog/resolve.ts';
import {
  CHECK_NAMES,
  buildCheckInput,
  CheckTimeoutError,
  CheckUnavailableError,
  LIVE_TARGET_CHECKS,
  UnknownCheckError,
  exitCodeForResult,
  findCitedItem,
  isCheckName,
  listChecks,
  loadCheck,
  needsMasItems,
  runCheckWithTimeout,
  selectMasItems,
} from '../domain/checks/registry.ts';
import {
  CheckInputError,
  statusFromFindings,
  type CheckDefinition,
  type CheckInput,
  type CheckOptions,
  type CheckResult,
  type Finding,
} from '../domain/checks/types.ts';
import { accountsCheck, analyseAdExportStream, detectAccountInput, parseLeavers, parseVendors } from '../domain/checks/accounts/index.ts';
import { renderSelfCheckCsv } from '../domain/checks/app-report/index.ts';
import type { SelfCheckRow } from '../domain/checks/app-report/evaluate-app-report.ts';

export const DEFAULT_CHECK_TIMEOUT_SECONDS = 120;
export const DEFAULT_MAX_INPUT_MB = 200;
export const DEFAULT_REPORT_FINDINGS = 200;
/** AD exports above this size are streamed from disk instead of read whole (memory stays flat). */
export const STREAM_AD_EXPORT_BYTES = 16 * 1024 * 1024;

export interface CheckCommandOptions {
  format?: string;
  json?: boolean;
  at?: string;
  /** Seconds. */
  timeout?: number | string;
  /** Megabytes per input file. */
  maxSize?: number | string;
  /** Findings printed in the text report (all are in --json). */
  limit?: number | string;
  /** Check-specific options as key=value. */
  option?: string[];
  unusedDays?: number | string;
  warningDays?: number | string;
  toleranceDays?: number | string;
  /** tls: the name to check (and send as SNI). */
  hostname?: string;
  /** tls: a PEM file of CA certificates to trust instead of the system store. */
  caBundle?: string;
  /** app-report: L1, L2, L3 (optionally +F). */
  level?: string;
  /** app-report: write the 自我檢核表 (self-check table) to this CSV file. */
  output?: string;
}

export interface CheckCommandIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

export interface CheckCommandDeps {
  /** The catalog, for the MAS items of app-report and the text of cited items. Loaded on demand. */
  loadCatalog?: () => CatalogVersion[];
  /** AD exports above this many bytes are streamed (default {@link STREAM_AD_EXPORT_BYTES}). */
  streamAdExportBytes?: number;
}

/** A usage or input problem found before the check runs: exit code 2. */
class CommandInputError extends Error {
  constructor(
    message: string,
    readonly file?: string,
  ) {
    super(message);
    this.name = 'CommandInputError';
  }
}

function parseNumber(value: number | string | undefined, name: string, fallback: number): number {
  if (value === undefined) {
    return fallback;
  }
  const number = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(number) || number <= 0) {
    throw new CommandInputError(`--${name} 必須是正數，收到「${value}」 / --${name} must be a positive number, got "${value}"`);
  }
  return number;
}

/** `key=value` with numbers, booleans and JSON read as such; keys in kebab-case become camelCase. */
function parseKeyValue(text: string): [string, unknown] {
  const index = text.indexOf('=');
  if (index <= 0) {
    throw new CommandInputError(`選項格式應為 key=value，收到「${text}」 / expected key=value, got "${text}"`);
  }
  const key = text.slice(0, index).trim().replace(/-([a-z])/g, (_match, letter: string) => letter.toUpperCase());
  const raw = text.slice(index + 1).trim();
  if (/^-?\d+(\.\d+)?$/.test(raw)) {
    return [key, Number(raw)];
  }
  if (raw === 'true' || raw === 'false') {
    return [key, raw === 'true'];
  }
  if (raw.startsWith('{') || raw.startsWith('[')) {
    try {
      return [key, JSON.parse(raw) as unknown];
    } catch {
      throw new CommandInputError(`選項 ${key} 的 JSON 無法解讀 / option ${key}: invalid JSON`);
    }
  }
  return [key, raw];
}

/** Builds the options the check sees from the command line. */
export function buildCheckOptions(options: CheckCommandOptions): CheckOptions {
  const checkOptions: CheckOptions = {};
  if (options.at !== undefined) {
    checkOptions.at = options.at;
  }
  if (options.format !== undefined) {
    checkOptions.format = options.format;
  }
  for (const name of ['unusedDays', 'warningDays', 'toleranceDays'] as const) {
    if (options[name] !== undefined) {
      checkOptions[name] = parseNumber(options[name], name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`), 0);
    }
  }
  if (options.hostname !== undefined) {
    checkOptions.hostname = options.hostname;
  }
  if (options.level !== undefined) {
    checkOptions.level = options.level;
  }
  if (options.caBundle !== undefined) {
    if (!existsSync(options.caBundle)) {
      throw new CommandInputError(`找不到 CA 憑證檔 / CA bundle not found: ${options.caBundle}`, options.caBundle);
    }
    checkOptions.caBundle = readFileSync(options.caBundle, 'utf8');
  }
  for (const entry of options.option ?? []) {
    const [key, value] = parseKeyValue(entry);
    checkOptions[key] = value;
  }
  return checkOptions;
}

function looksLikeLiveTarget(target: string): boolean {
  return /^(\[[0-9a-f:]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/.test(target) && !/\.(pem|txt|json|csv|ya?ml)$/i.test(target);
}

/** Checks that a target file exists, is a file and is within the size limit. */
function checkTargetFile(target: string, maxBytes: number): void {
  if (!existsSync(target)) {
    throw new CommandInputError(`找不到檔案 / file not found: ${target}`, target);
  }
  const stat = statSync(target);
  if (!stat.isFile()) {
    throw new CommandInputError(`不是檔案 / not a file: ${target}`, target);
  }
  if (stat.size > maxBytes) {
    throw new CommandInputError(
      `檔案 ${Math.ceil(stat.size / 1048576)} MB 超過上限 ${Math.round(maxBytes / 1048576)} MB（可用 --max-size 調整） / file is ${Math.ceil(stat.size / 1048576)} MB, over the ${Math.round(maxBytes / 1048576)} MB limit (see --max-size)`,
      target,
    );
  }
}

/** Reads each target: files as text (or bytes for spreadsheets and DER), live targets by name. */
export function readCheckInputs(checkName: string, targets: string[], maxBytes: number): CheckInput[] {
  const isLive = (LIVE_TARGET_CHECKS as readonly string[]).includes(checkName);
  return targets.map((target): CheckInput => {
    if (!existsSync(target) && isLive && looksLikeLiveTarget(target)) {
      return { name: target };
    }
    checkTargetFile(target, maxBytes);
    return buildCheckInput(target, new Uint8Array(readFileSync(target)));
  });
}

/** The first bytes of a file, decoded, to recognise its kind without reading it all. */
function readHead(path: string, bytes = 64 * 1024): string {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const length = readSync(fd, buffer, 0, bytes, 0);
    const head = buffer.subarray(0, length);
    if (head[0] === 0xff && head[1] === 0xfe) {
      return new StringDecoder('utf16le').write(head.subarray(2));
    }
    return new StringDecoder('utf8').write(head);
  } finally {
    closeSync(fd);
  }
}

/** A file as a text stream, UTF-16 (with BOM) decoded to UTF-8. */
function openTextStream(path: string): Readable {
  const fd = openSync(path, 'r');
  const bom = Buffer.alloc(2);
  readSync(fd, bom, 0, 2, 0);
  closeSync(fd);
  if (bom[0] !== 0xff || bom[1] !== 0xfe) {
    return createReadStream(path);
  }
  const decoder = new StringDecoder('utf16le');
  const toUtf8 = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      callback(null, Buffer.from(decoder.write(chunk), 'utf8'));
    },
    flush(callback) {
      callback(null, Buffer.from(decoder.end(), 'utf8'));
    },
  });
  return createReadStream(path, { start: 2 }).pipe(toUtf8);
}

/** Big AD exports among the targets (streamed); `undefined` when there are none. */
function findStreamedAdExports(targets: string[], options: CheckCommandOptions, thresholdBytes: number): string[] | undefined {
  const streamed = targets.filter((target) => {
    if (!existsSync(target) || statSync(target).size <= thresholdBytes) {
      return false;
    }
    try {
      return detectAccountInput({ name: target, text: readHead(target) }, targets.length === 1 ? options.format : undefined) === 'ad';
    } catch {
      return false;
    }
  });
  return streamed.length > 0 ? streamed : undefined;
}

/**
 * The accounts check with large AD exports streamed from disk: leaver and vendor lists and other
 * account lists are read as usual, each AD export is evaluated row by row.
 */
async function runAccountsStreaming(streamed: string[], others: CheckInput[], options: CheckOptions): Promise<CheckResult> {
  const at = new Date(options.at ?? new Date().toISOString());
  if (Number.isNaN(at.getTime())) {
    throw new CheckInputError(`at 日期無法解讀 / invalid at date: ${options.at}`);
  }
  const leavers = [];
  const vendors = [];
  const accountLists: CheckInput[] = [];
  for (const input of others) {
    const kind = input.text === undefined ? 'unknown' : detectAccountInput(input);
    if (kind === 'leavers') {
      leavers.push(...(await parseLeavers(input.name, input.text!)));
    } else if (kind === 'vendors') {
      vendors.push(...(await parseVendors(input.name, input.text!)));
    } else {
      accountLists.push(input);
    }
  }
  const numberOption = (value: unknown) => (value === undefined || value === '' ? undefined : Number(value));
  const findings: Finding[] = [];
  const stats: Record<string, number> = {};
  const addStats = (more: Record<string, number | string>) => {
    for (const [key, value] of Object.entries(more)) {
      if (typeof value === 'number') {
        stats[key] = (stats[key] ?? 0) + value;
      }
    }
  };
  for (const path of streamed) {
    const evaluation = await analyseAdExportStream(openTextStream(path), {
      at, leavers, vendors, file: path,
      unusedDays: numberOption(options.unusedDays), maxFindingsPerRule: numberOption(options.maxFindingsPerRule),
    });
    findings.push(...evaluation.findings);
    addStats(evaluation.stats);
  }
  if (accountLists.length > 0) {
    const rest = await accountsCheck.run([...accountLists, ...others.filter((input) => !accountLists.includes(input))], options);
    findings.push(...rest.findings);
    addStats(rest.stats);
    stats.leavers = leavers.length;
    stats.vendors = vendors.length;
  } else {
    Object.assign(stats, { leavers: leavers.length, vendors: vendors.length });
  }
  const failing = new Set(findings.filter((finding) => finding.status === 'fail').map((finding) => finding.location.subject));
  return {
    check: accountsCheck.id,
    checkVersion: accountsCheck.version,
    status: statusFromFindings(findings),
    evaluatedAt: at.toISOString(),
    summary: `共 ${stats.accounts ?? 0} 個帳號（啟用 ${stats.enabled ?? 0}），${failing.size} 個帳號不符合（AD 匯出以串流讀取）。`,
    summaryEn: `${stats.accounts ?? 0} accounts (${stats.enabled ?? 0} enabled); ${failing.size} accounts failing (AD exports streamed).`,
    findings,
    items: accountsCheck.items,
    stats: { ...stats, streamedFiles: streamed.length },
  };
}

/** Runs the check, streaming large AD exports for `accounts`. */
async function runCheckOnTargets(
  definition: CheckDefinition,
  name: string,
  targets: string[],
  checkOptions: CheckOptions,
  options: CheckCommandOptions,
  limits: { maxBytes: number; timeoutMs: number; streamAdExportBytes: number },
): Promise<CheckResult> {
  const streamed = name === 'accounts' ? findStreamedAdExports(targets, options, limits.streamAdExportBytes) : undefined;
  if (!streamed) {
    return runCheckWithTimeout(definition, readCheckInputs(name, targets, limits.maxBytes), checkOptions, limits.timeoutMs);
  }
  streamed.forEach((target) => checkTargetFile(target, limits.maxBytes));
  const others = readCheckInputs(name, targets.filter((target) => !streamed.includes(target)), limits.maxBytes);
  const streaming: CheckDefinition = { ...definition, run: (_inputs, runOptions) => runAccountsStreaming(streamed, others, runOptions) };
  return runCheckWithTimeout(streaming, [...streamed.map((target) => ({ name: target })), ...others], checkOptions, limits.timeoutMs);
}

const STATUS_LABELS: Record<CheckResult['status'], string> = {
  pass: '通過 (pass)',
  fail: '不符合 (fail)',
  warning: '需注意 (warning)',
  error: '無法判定 (error)',
};
const FINDING_LABELS: Record<Finding['status'], string> = { fail: '不符合', warning: '警告', unknown: '無法判定', info: '資訊' };
const SEVERITY_LABELS: Record<Finding['severity'], string> = { high: '高', medium: '中', low: '低', info: '資訊' };

function describeLocation(location: Finding['location']): string {
  const place = location.file ? `${location.file}${location.line !== undefined ? `:${location.line}` : ''}` : '';
  return [place, location.subject].filter((part) => part && part !== '').join('  ');
}

function shorten(text: string, length: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > length ? `${flat.slice(0, length)}…` : flat;
}

/** The readable zh-TW report of a result. `describeItem` adds the text of cited catalog items. */
export function formatCheckReport(
  result: CheckResult,
  options: { title?: string; limit?: number; describeItem?: (id: string) => string | undefined } = {},
): string {
  const limit = options.limit ?? DEFAULT_REPORT_FINDINGS;
  const cite = (id: string) => {
    const text = options.describeItem?.(id);
    return text ? `${id}（${shorten(text, 40)}）` : id;
  };
  const lines: string[] = [];
  lines.push(`${options.title ?? result.check}（${result.check} ${result.checkVersion}）`);
  lines.push(`結果：${STATUS_LABELS[result.status]}`);
  lines.push(`評估時間：${result.evaluatedAt}`);
  lines.push(`摘要：${result.summary}`);
  lines.push(`Summary: ${result.summaryEn}`);
  const counts = (['fail', 'warning', 'unknown', 'info'] as const)
    .map((status) => [status, result.findings.filter((finding) => finding.status === status).length] as const)
    .filter(([, count]) => count > 0)
    .map(([status, count]) => `${FINDING_LABELS[status]} ${count}`);
  lines.push('');
  lines.push(result.findings.length === 0 ? '沒有發現問題。' : `發現 ${result.findings.length} 項（${counts.join('、')}）：`);
  result.findings.slice(0, limit).forEach((finding, index) => {
    lines.push(`${String(index + 1).padStart(3)}. [${FINDING_LABELS[finding.status]}／${SEVERITY_LABELS[finding.severity]}] ${describeLocation(finding.location) || '（整體）'}`);
    lines.push(`     規則：${finding.rule}`);
    lines.push(`     ${finding.message}`);
    if (finding.items.length > 0) {
      lines.push(`     條文：${finding.items.map(cite).join('；')}`);
    }
  });
  if (result.findings.length > limit) {
    lines.push(`  …另有 ${result.findings.length - limit} 項未列出（完整結果請用 --json 或 --limit） / ${result.findings.length - limit} more findings not shown`);
  }
  const stats = Object.entries(result.stats);
  if (stats.length > 0) {
    lines.push('');
    lines.push(`統計：${stats.map(([key, value]) => `${key}=${value}`).join('，')}`);
  }
  if (result.items.length > 0) {
    lines.push(`本檢查可作為下列條文之佐證：${result.items.join('、')}`);
  }
  return `${lines.join('\n')}\n`;
}

function describeError(error: unknown): { code: string; message: string; file?: string; line?: number } {
  if (error instanceof CheckInputError) {
    return { code: 'INPUT', message: error.message, file: error.file, line: error.line };
  }
  if (error instanceof CommandInputError) {
    return { code: 'INPUT', message: error.file && !error.message.includes(error.file) ? `${error.file}: ${error.message}` : error.message, file: error.file };
  }
  if (error instanceof UnknownCheckError) {
    return { code: 'UNKNOWN_CHECK', message: error.message };
  }
  if (error instanceof CheckUnavailableError) {
    return { code: 'UNAVAILABLE', message: error.message };
  }
  if (error instanceof CheckTimeoutError) {
    return { code: 'TIMEOUT', message: error.message };
  }
  return { code: 'INTERNAL', message: `檢查執行失敗 / the check failed: ${error instanceof Error ? error.message : String(error)}` };
}

/** Writes app-report's 自我檢核表 (the `app-report.self-check-table` finding) as CSV. */
function writeSelfCheckTable(result: CheckResult, path: string): void {
  const table = result.findings.find((finding) => finding.rule === 'app-report.self-check-table')?.detail?.table;
  if (!Array.isArray(table)) {
    throw new CommandInputError('檢查結果沒有自我檢核表 / the result holds no self-check table', path);
  }
  try {
    writeFileSync(path, renderSelfCheckCsv(table as SelfCheckRow[]));
  } catch (error) {
    throw new CommandInputError(`無法寫入 / cannot write: ${(error as Error).message}`, path);
  }
}

/** Runs `anjian check`; returns the exit code rather than exiting, so it can run in-process. */
export async function runCheckCommand(
  name: string,
  targets: string[],
  options: CheckCommandOptions,
  io: CheckCommandIo,
  deps: CheckCommandDeps = {},
): Promise<0 | 1 | 2> {
  let catalog: CatalogVersion[] | null | undefined;
  const catalogOnce = (): CatalogVersion[] | null => {
    if (catalog === undefined) {
      try {
        catalog = (deps.loadCatalog ?? loadCatalog)();
      } catch {
        catalog = null;
      }
    }
    return catalog;
  };
  try {
    if (name === 'list') {
      const checks = await listChecks({ masItems: [{ id: 'MAS:1', path: '1', text: null }] });
      io.stdout(options.json ? `${JSON.stringify(checks, null, 2)}\n` : `${checks.map((check) => `${check.name.padEnd(16)} ${check.available ? `${check.title}（${(check.inputKinds ?? []).join(', ')}）` : `（無法使用 / unavailable）`}`).join('\n')}\n`);
      return 0;
    }
    if (!isCheckName(name)) {
      throw new UnknownCheckError(name);
    }
    if (targets.length === 0) {
      throw new CommandInputError(`請指定要檢查的檔案或目標 / give at least one file or target to check`);
    }
    const timeoutMs = parseNumber(options.timeout, 'timeout', DEFAULT_CHECK_TIMEOUT_SECONDS) * 1000;
    const maxBytes = parseNumber(options.maxSize, 'max-size', DEFAULT_MAX_INPUT_MB) * 1024 * 1024;
    const limit = parseNumber(options.limit, 'limit', DEFAULT_REPORT_FINDINGS);
    if (options.output !== undefined && name !== 'app-report') {
      throw new CommandInputError(`--output 只適用於 app-report / --output is for app-report only (it writes the self-check table)`);
    }
    if (options.output !== undefined && !/\.csv$/i.test(options.output)) {
      throw new CommandInputError(`--output 須為 .csv 檔 / --output must name a .csv file: ${options.output}`, options.output);
    }
    const checkOptions = buildCheckOptions(options);
    const masItems = needsMasItems(name) ? selectMasItems(catalogOnce() ?? []) : undefined;
    const definition = await loadCheck(name, { masItems });
    const result = await runCheckOnTargets(definition, name, targets, checkOptions, options, {
      maxBytes,
      timeoutMs,
      streamAdExportBytes: deps.streamAdExportBytes ?? STREAM_AD_EXPORT_BYTES,
    });
    if (options.output !== undefined) {
      writeSelfCheckTable(result, options.output);
      io.stderr(`自我檢核表已寫入 / self-check table written to ${options.output}\n`);
    }
    if (options.json) {
      io.stdout(`${JSON.stringify(result, null, 2)}\n`);
    } else {
      const describeItem = (id: string) => {
        const loaded = catalogOnce();
        return loaded ? (findCitedItem(loaded, id)?.text ?? undefined) : undefined;
      };
      io.stdout(formatCheckReport(result, { title: definition.title, limit, describeItem }));
    }
    return exitCodeForResult(result);
  } catch (error) {
    const described = describeError(error);
    if (options.json) {
      io.stdout(`${JSON.stringify({ error: described }, null, 2)}\n`);
    }
    io.stderr(`錯誤 / error: ${described.message}\n`);
    if (described.code === 'INTERNAL' && error instanceof Error && error.stack && process.env.ANJIAN_DEBUG) {
      io.stderr(`${error.stack}\n`);
    }
    return 2;
  }
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/**
 * Adds `check <name> TARGET…` (and `check list`) to the program. Needs no database: the runtime in
 * `context` is never opened, so the command works on an air-gapped machine.
 */
export function registerCheckCommands(program: Command, context?: CliContext): void {
  program
    .command('check')
    .description(`執行自動化技術檢查（離線）/ run an automated technical check offline. Checks: ${CHECK_NAMES.join(', ')}`)
    .argument('<name>', `檢查名稱，或 list 列出全部 / check name, or list (${CHECK_NAMES.join(', ')})`)
    .argument('[targets...]', '檔案（或 tls 的 host:port）/ files, or host:port for tls')
    .option('--format <format>', '輸入格式（未能自動辨識時）/ input format when not detected')
    .option('--json', '輸出 JSON / print the result as JSON')
    .option('--at <date>', '以此日期評估（ISO 日期）/ evaluate as of this date')
    .option('--timeout <seconds>', `時間上限（秒）/ time limit in seconds (default ${DEFAULT_CHECK_TIMEOUT_SECONDS})`)
    .option('--max-size <MB>', `單一檔案大小上限 / per-file size limit in MB (default ${DEFAULT_MAX_INPUT_MB})`)
    .option('--limit <n>', `報告列出的發現數 / findings shown in the report (default ${DEFAULT_REPORT_FINDINGS})`)
    .option('--unused-days <days>', '帳號未使用天數門檻（accounts）/ unused-account threshold')
    .option('--warning-days <days>', '即將到期的提醒天數（eol、tls）/ warn this many days ahead')
    .option('--tolerance-days <days>', '容許天數（logs）/ tolerance in days')
    .option('--hostname <name>', '檢查的主機名稱（tls）/ name to check and send as SNI (tls)')
    .option('--ca-bundle <file>', '信任的 CA 憑證 PEM 檔（tls）/ PEM file of CA certificates to trust (tls)')
    .option('--level <level>', 'App 等級 L1、L2、L3，可加 +F（app-report）/ app level (app-report)')
    .option('--output <file.csv>', '將自我檢核表寫入 CSV 檔（app-report）/ write the self-check table as CSV (app-report)')
    .option('-o, --option <key=value>', '其他檢查選項，可重複 / other check option, repeatable', collect, [])
    .action(async (name: string, targets: string[], _options: CheckCommandOptions, command: Command) => {
      const options = command.optsWithGlobals<CheckCommandOptions>();
      const io = context?.io ?? { stdout: process.stdout, stderr: process.stderr };
      const code = await runCheckCommand(name, targets, options, {
        stdout: (text) => io.stdout.write(text),
        stderr: (text) => io.stderr.write(text),
      });
      if (context) {
        context.exitCode = code;
      } else {
        process.exitCode = code;
      }
    });
}
