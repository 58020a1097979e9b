/**
 * Feeds the reference inputs under ../shared/refdata/checks (or ANJIAN_CHECKS_REFDATA) to the checks
 * and compares the results with the expectation files found there. Runs in the conformance test and
 * alone: `node --import tsx tests/conformance/run-checks-conformance.ts [dir]`.
 *
 * Layout it understands (it reads the directory's README first and prints it):
 * - expectation files: any *.json / *.yaml / *.yml / *.csv whose name contains "expect"; each holds
 *   cases (an array, `{cases|expectations|tests: [...]}`, or `{ "<input>": {...} }`);
 * - a case names its inputs (`input|inputs|file|files|target`, relative to the expectation file, then
 *   to the root), its check (`check`, else the nearest folder named like a check) and what should
 *   happen: `status`, `exitCode`, `findings` ([{rule, file, line, status, severity}]), `rules`
 *   (present), `absentRules`, `findingCount`, `minFindings`, `items`, `error` (an input error expected,
 *   optionally with `line`), plus `at` and `options` for the run;
 * - `<input>.expected.json` beside an input is a case for that input;
 * - every other file under a folder named like a check is run too, so a crash shows.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseCsv } from 'csv-parse/sync';
import { parse as parseYaml } from 'yaml';
import { loadCatalog } from '../../src/catalog-files/load-catalog.ts';
import {
  CHECK_NAMES,
  buildCheckInput,
  exitCodeForResult,
  isCheckName,
  loadCheck,
  runCheckWithTimeout,
  selectMasItems,
  type CheckName,
} from '../../src/domain/checks/registry.ts';
import { CheckInputError, type CheckInput, type CheckOptions, type CheckResult, type Finding } from '../../src/domain/checks/types.ts';

export const DEFAULT_REFDATA_DIR = resolve(fileURLToPath(new URL('../..', import.meta.url)), '../shared/refdata/checks');

export interface ExpectedFinding {
  rule?: string;
  file?: string;
  line?: number;
  status?: string;
  severity?: string;
  subject?: string;
}

export interface ConformanceCase {
  /** Where the case was declared (file and position). */
  source: string;
  check: CheckName;
  inputs: string[];
  at?: string;
  options: CheckOptions;
  status?: string;
  exitCode?: number;
  findings: ExpectedFinding[];
  rules: string[];
  absentRules: string[];
  findingCount?: number;
  minFindings?: number;
  items: string[];
  /** An input error is expected (true), optionally at this line. */
  error?: boolean | { line?: number };
}

export interface ExpectationOutcome {
  case: string;
  what: string;
  isMet: boolean;
  detail?: string;
}

export interface ConformanceReport {
  dir: string;
  readme?: string;
  cases: number;
  met: number;
  total: number;
  outcomes: ExpectationOutcome[];
  /** Files run without expectations that made a check throw something other than an input error. */
  crashes: { file: string; check: string; message: string }[];
  /** Problems reading the expectation files themselves. */
  problems: string[];
  /** Files run without expectations (only a crash counts against them). */
  otherFilesRun: number;
}

const EXPECTATION_FILE = /expect/i;
const EXPECTATION_EXTENSIONS = new Set(['.json', '.yaml', '.yml', '.csv']);
const DOC_FILE = /^(readme|license|notice)(\.|$)/i;

function walk(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      if (name.startsWith('.')) {
        return [];
      }
      const full = join(dir, name);
      return statSync(full).isDirectory() ? walk(full) : [full];
    });
}

function isExpectationFile(path: string): boolean {
  return EXPECTATION_FILE.test(basename(path)) && EXPECTATION_EXTENSIONS.has(extname(path).toLowerCase());
}

/**
 * The check a file belongs to: the nearest folder (from the file upwards, below root) named like a
 * check, else a file name that starts with a check's name (`firewall-01.txt`); `_` reads as `-`.
 */
function checkFromPath(root: string, path: string): CheckName | undefined {
  const parts = relative(root, dirname(path)).split(/[\\/]/).reverse();
  for (const part of parts) {
    const name = part.toLowerCase().replace(/_/g, '-');
    if (isCheckName(name)) {
      return name;
    }
  }
  const base = basename(path).toLowerCase().replace(/_/g, '-');
  return [...CHECK_NAMES].sort((a, b) => b.length - a.length).find((name) => base === name || base.startsWith(`${name}-`) || base.startsWith(`${name}.`));
}

function asArray(value: unknown): unknown[] {
  if (value === undefined || value === null || value === '') {
    return [];
  }
  if (Array.isArray(value)) {
    return value;
  }
  if (typeof value === 'string' && value.includes(';')) {
    return value.split(';').map((part) => part.trim()).filter(Boolean);
  }
  return [value];
}

function pick(record: Record<string, unknown>, ...keys: string[]): unknown {
  for (const key of keys) {
    if (record[key] !== undefined && record[key] !== null && record[key] !== '') {
      return record[key];
    }
  }
  return undefined;
}

function toNumber(value: unknown): number | undefined {
  if (value === undefined || value === null || value === '') {
    return undefined;
  }
  const number = Number(value);
  return Number.isFinite(number) ? number : undefined;
}

function readExpectedFinding(value: unknown): ExpectedFinding {
  if (typeof value === 'string') {
    return { rule: value };
  }
  const record = value as Record<string, unknown>;
  const location = (record.location ?? {}) as Record<string, unknown>;
  return {
    rule: pick(record, 'rule', 'ruleId', 'id') as string | undefined,
    file: (pick(record, 'file') ?? location.file) as string | undefined,
    line: toNumber(pick(record, 'line') ?? location.line),
    status: pick(record, 'status') as string | undefined,
    severity: pick(record, 'severity') as string | undefined,
    subject: (pick(record, 'subject') ?? location.subject) as string | undefined,
  };
}

/** Reads one case; `base` is the folder its input paths are relative to. */
function readCase(root: string, base: string, source: string, raw: Record<string, unknown>, fallbackInput?: string): ConformanceCase | string {
  const inputValue = pick(raw, 'inputs', 'input', 'files', 'file', 'targets', 'target') ?? fallbackInput;
  const inputs = asArray(inputValue).map((entry) => {
    const text = String(entry);
    for (const candidate of [resolve(base, text), resolve(root, text)]) {
      if (existsSync(candidate)) {
        return candidate;
      }
    }
    return text; // a live target (host:port) or a missing file, reported when run
  });
  const checkValue = pick(raw, 'check', 'checkId', 'check_id');
  const check = typeof checkValue === 'string' ? checkValue.toLowerCase() : inputs[0] ? checkFromPath(root, inputs[0]) : checkFromPath(root, source.split('#')[0]);
  if (!check || !isCheckName(check)) {
    return `${source}: cannot tell which check (${String(checkValue ?? 'none')})`;
  }
  if (inputs.length === 0) {
    return `${source}: no input named`;
  }
  const errorValue = pick(raw, 'error', 'inputError', 'expectError');
  const findingsValue = pick(raw, 'findings', 'expectedFindings', 'expected_findings');
  const options = { ...((raw.options as CheckOptions | undefined) ?? {}) };
  const at = pick(raw, 'at', 'asOf', 'as_of', 'evaluatedAt') as string | undefined;
  const statusValue = pick(raw, 'status', 'expectedStatus', 'expected_status', 'result');
  return {
    source,
    check,
    inputs,
    at: at === undefined ? undefined : String(at),
    options,
    status: typeof statusValue === 'string' ? statusValue.toLowerCase() : undefined,
    exitCode: toNumber(pick(raw, 'exitCode', 'exit_code', 'exit')),
    findings: asArray(findingsValue).filter((entry) => typeof entry === 'object' || typeof entry === 'string').map(readExpectedFinding),
    rules: asArray(pick(raw, 'rules', 'expectedRules', 'rule')).map(String),
    absentRules: asArray(pick(raw, 'absentRules', 'absent_rules', 'notRules', 'forbiddenRules')).map(String),
    findingCount: toNumber(pick(raw, 'findingCount', 'finding_count', 'count')),
    minFindings: toNumber(pick(raw, 'minFindings', 'min_findings')),
    items: asArray(pick(raw, 'items', 'expectedItems')).map(String),
    error: errorValue === undefined ? undefined : typeof errorValue === 'object' ? { line: toNumber((errorValue as Record<string, unknown>).line) } : errorValue === true || errorValue === 'true' || errorValue === 'input' ? true : undefined,
  };
}

function readExpectationFile(root: string, path: string): { cases: ConformanceCase[]; problems: string[] } {
  const text = readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
  const extension = extname(path).toLowerCase();
  let data: unknown;
  try {
    data = extension === '.csv' ? parseCsv(text, { columns: true, skip_empty_lines: true, trim: true }) : extension === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    return { cases: [], problems: [`${path}: ${(error as Error).message}`] };
  }
  const besideInput = /^(.*)\.expect(ed|ation)?s?\.(json|ya?ml)$/i.exec(basename(path));
  const fallbackInput = besideInput && existsSync(join(dirname(path), besideInput[1])) ? join(dirname(path), besideInput[1]) : undefined;
  let entries: [string, Record<string, unknown>][];
  if (Array.isArray(data)) {
    entries = data.map((entry, index) => [`${path}#${index + 1}`, entry as Record<string, unknown>]);
  } else if (data && typeof data === 'object') {
    const record = data as Record<string, unknown>;
    const list = pick(record, 'cases', 'expectations', 'tests', 'files');
    if (Array.isArray(list)) {
      entries = list.map((entry, index) => [`${path}#${index + 1}`, { check: record.check, ...(entry as Record<string, unknown>) }]);
    } else if (fallbackInput || pick(record, 'input', 'inputs', 'file', 'files', 'status', 'findings') !== undefined) {
      entries = [[path, record]];
    } else {
      entries = Object.entries(record)
        .filter(([, value]) => value && typeof value === 'object')
        .map(([key, value]) => [`${path}#${key}`, { file: key, ...(value as Record<string, unknown>) }]);
    }
  } else {
    return { cases: [], problems: [`${path}: no cases`] };
  }
  // CSV files list one expected finding per row: group rows by check and input.
  if (extension === '.csv') {
    const grouped = new Map<string, Record<string, unknown>>();
    for (const [, row] of entries) {
      const key = `${row.check ?? ''}|${row.file ?? row.input ?? ''}`;
      const group = grouped.get(key) ?? { ...row, findings: [] as unknown[], rules: [] };
      if (row.rule || row.line) {
        (group.findings as unknown[]).push({ rule: row.rule || undefined, line: row.line || undefined, status: row.finding_status || undefined });
      }
      group.rule = undefined;
      grouped.set(key, group);
    }
    entries = [...grouped.values()].map((row, index) => [`${path}#${index + 1}`, row]);
  }
  const cases: ConformanceCase[] = [];
  const problems: string[] = [];
  for (const [source, raw] of entries) {
    const parsed = readCase(root, dirname(path), source, raw, fallbackInput);
    if (typeof parsed === 'string') {
      problems.push(parsed);
    } else {
      cases.push(parsed);
    }
  }
  return { cases, problems };
}

function matchesFinding(expected: ExpectedFinding, actual: Finding): boolean {
  return (
    (expected.rule === undefined || actual.rule === expected.rule) &&
    (expected.line === undefined || actual.location.line === expected.line) &&
    (expected.file === undefined || (actual.location.file !== undefined && basename(actual.location.file) === basename(expected.file))) &&
    (expected.status === undefined || actual.status === expected.status) &&
    (expected.severity === undefined || actual.severity === expected.severity) &&
    (expected.subject === undefined || actual.location.subject === expected.subject)
  );
}

function describeFinding(expected: ExpectedFinding): string {
  return Object.entries(expected)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}=${value}`)
    .join(' ');
}

function readInputs(paths: string[]): CheckInput[] {
  return paths.map((path) => (existsSync(path) && statSync(path).isFile() ? buildCheckInput(path, new Uint8Array(readFileSync(path))) : { name: path }));
}

type RunOutcome = { result: CheckResult } | { inputError: CheckInputError } | { crash: Error };

export async function runChecksConformance(dir: string = process.env.ANJIAN_CHECKS_REFDATA ?? DEFAULT_REFDATA_DIR, options: { timeoutMs?: number } = {}): Promise<ConformanceReport> {
  const root = resolve(dir);
  const files = walk(root);
  const readmePath = files.find((file) => /^readme/i.test(basename(file)) && dirname(file) === root);
  const report: ConformanceReport = { dir: root, readme: readmePath ? readFileSync(readmePath, 'utf8') : undefined, cases: 0, met: 0, total: 0, outcomes: [], crashes: [], problems: [], otherFilesRun: 0 };
  const cases: ConformanceCase[] = [];
  for (const file of files.filter(isExpectationFile)) {
    const read = readExpectationFile(root, file);
    cases.push(...read.cases);
    report.problems.push(...read.problems);
  }
  report.cases = cases.length;
  let masItems: ReturnType<typeof selectMasItems> | undefined;
  const context = () => {
    masItems ??= selectMasItems(loadCatalog());
    return { masItems };
  };
  const run = async (check: CheckName, inputs: string[], checkOptions: CheckOptions): Promise<RunOutcome> => {
    try {
      const definition = await loadCheck(check, check === 'app-report' ? context() : {});
      return { result: await runCheckWithTimeout(definition, readInputs(inputs), checkOptions, options.timeoutMs ?? 120_000) };
    } catch (error) {
      return error instanceof CheckInputError ? { inputError: error } : { crash: error instanceof Error ? error : new Error(String(error)) };
    }
  };
  const record = (name: string, what: string, isMet: boolean, detail?: string) => {
    report.outcomes.push({ case: name, what, isMet, detail });
    report.total += 1;
    report.met += isMet ? 1 : 0;
  };
  const covered = new Set<string>();
  for (const testCase of cases) {
    testCase.inputs.forEach((input) => covered.add(input));
    const name = `${testCase.check} ${testCase.inputs.map((input) => relative(root, input)).join(' + ')}`;
    const outcome = await run(testCase.check, testCase.inputs, { ...testCase.options, ...(testCase.at ? { at: testCase.at } : {}) });
    if (testCase.error !== undefined) {
      const expectedLine = typeof testCase.error === 'object' ? testCase.error.line : undefined;
      const isMet = 'inputError' in outcome && (expectedLine === undefined || outcome.inputError.line === expectedLine);
      record(name, `input error${expectedLine !== undefined ? ` at line ${expectedLine}` : ''}`, isMet,
        'inputError' in outcome ? outcome.inputError.message : 'result' in outcome ? `got a result (${outcome.result.status})` : outcome.crash.message);
      continue;
    }
    if (!('result' in outcome)) {
      const message = 'inputError' in outcome ? outcome.inputError.message : `crash: ${outcome.crash.message}`;
      const expectations = [testCase.status, testCase.exitCode, testCase.findingCount, testCase.minFindings].filter((value) => value !== undefined).length
        + testCase.findings.length + testCase.rules.length + testCase.absentRules.length + testCase.items.length;
      for (let index = 0; index < Math.max(1, expectations); index += 1) {
        record(name, 'a result', false, message);
      }
      continue;
    }
    const { result } = outcome;
    if (testCase.status !== undefined) {
      record(name, `status ${testCase.status}`, result.status === testCase.status, `got ${result.status}`);
    }
    if (testCase.exitCode !== undefined) {
      record(name, `exit code ${testCase.exitCode}`, exitCodeForResult(result) === testCase.exitCode, `got ${exitCodeForResult(result)}`);
    }
    for (const expected of testCase.findings) {
      record(name, `finding ${describeFinding(expected)}`, result.findings.some((finding) => matchesFinding(expected, finding)),
        `rules found: ${[...new Set(result.findings.map((finding) => `${finding.rule}@${finding.location.line ?? '-'}`))].slice(0, 12).join(', ')}`);
    }
    for (const rule of testCase.rules) {
      record(name, `rule ${rule}`, result.findings.some((finding) => finding.rule === rule));
    }
    for (const rule of testCase.absentRules) {
      record(name, `no rule ${rule}`, !result.findings.some((finding) => finding.rule === rule));
    }
    if (testCase.findingCount !== undefined) {
      record(name, `${testCase.findingCount} findings`, result.findings.length === testCase.findingCount, `got ${result.findings.length}`);
    }
    if (testCase.minFindings !== undefined) {
      record(name, `at least ${testCase.minFindings} findings`, result.findings.length >= testCase.minFindings, `got ${result.findings.length}`);
    }
    for (const item of testCase.items) {
      const cited = new Set([...result.items, ...result.findings.flatMap((finding) => finding.items)]);
      record(name, `cites ${item}`, cited.has(item));
    }
  }
  // Every other file in a check's folder: it must give a result or an input error, never a crash.
  for (const file of files) {
    if (covered.has(file) || isExpectationFile(file) || DOC_FILE.test(basename(file)) || /\.(md|txt\.md)$/i.test(file)) {
      continue;
    }
    const check = checkFromPath(root, file);
    if (!check) {
      continue;
    }
    const outcome = await run(check, [file], {});
    report.otherFilesRun += 1;
    if ('crash' in outcome) {
      report.crashes.push({ file: relative(root, file), check, message: outcome.crash.message });
    }
  }
  return report;
}

export function formatConformanceReport(report: ConformanceReport): string {
  const lines = [`checks conformance: ${report.met}/${report.total} expectations met`];
  lines.push(`  ${report.cases} cases from ${report.dir}; ${report.otherFilesRun} other files run; ${report.crashes.length} crashes; ${report.problems.length} unreadable expectations`);
  for (const outcome of report.outcomes.filter((entry) => !entry.isMet)) {
    lines.push(`  MISSED ${outcome.case}: ${outcome.what}${outcome.detail ? ` (${outcome.detail})` : ''}`);
  }
  for (const crash of report.crashes) {
    lines.push(`  CRASH ${crash.check} ${crash.file}: ${crash.message}`);
  }
  for (const problem of report.problems) {
    lines.push(`  EXPECTATIONS ${problem}`);
  }
  return lines.join('\n');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2] ?? process.env.ANJIAN_CHECKS_REFDATA ?? DEFAULT_REFDATA_DIR;
  if (!existsSync(dir)) {
    console.log(`checks conformance: skipped (${dir} does not exist)`);
  } else {
    const report = await runChecksConformance(dir);
    console.log(formatConformanceReport(report));
    process.exitCode = report.met === report.total && report.crashes.length === 0 ? 0 : 1;
  }
}
