/**
 * The firewall / ACL check: parses rule sets from ten formats, then looks for permit any-any, missing
 * default deny, risky services open to any source, shadowed and redundant rules, disabled and unused
 * rules, missing owner/description/review date, and rule sets not reviewed within a year.
 */
import { CheckInputError, statusFromFindings, type CheckDefinition, type CheckInput, type CheckOptions, type CheckResult, type Finding } from '../types.ts';
import { FIREWALL_FORMATS, type FirewallFormat } from './model.ts';
import { detectFirewallFormat } from './detect-format.ts';
import { parseFirewallRules } from './parse-rule-set.ts';
import { analyseRuleSet, FIREWALL_ITEMS } from './analyse-rule-set.ts';
import { normalizeDate } from './parse-helpers.ts';

export { analyseRuleSet } from './analyse-rule-set.ts';
export { detectFirewallFormat } from './detect-format.ts';
export { parseFirewallRules } from './parse-rule-set.ts';
export type { FirewallFormat, FirewallRule, RuleChain, RuleSet } from './model.ts';

const CHECK_VERSION = '1.0.0';

function isFirewallFormat(value: string): value is FirewallFormat {
  return (FIREWALL_FORMATS as readonly string[]).includes(value);
}

function readDateOption(value: unknown, name: string): Date | undefined {
  if (value === undefined || value === null || value === '') {
    return undefined;
  }
  if (value instanceof Date) {
    return value;
  }
  const iso = typeof value === 'string' ? (normalizeDate(value.slice(0, 10)) ?? undefined) : undefined;
  if (!iso) {
    throw new CheckInputError(`option ${name} is not a date (YYYY-MM-DD) / ${name} 不是日期`);
  }
  return new Date(`${iso}T00:00:00Z`);
}

function readBooleanOption(value: unknown, name: string): boolean | undefined {
  if (value === undefined || value === true || value === 'true') {
    return value === undefined ? undefined : true;
  }
  if (value === false || value === 'false') {
    return false;
  }
  throw new CheckInputError(`option ${name} must be true or false / 選項 ${name} 須為 true 或 false: ${String(value)}`, `options.${name}`);
}

export async function runFirewallCheck(inputs: CheckInput[], options: CheckOptions): Promise<CheckResult> {
  if (inputs.length === 0) {
    throw new CheckInputError('no rule file given / 未提供規則檔');
  }
  const at = readDateOption(options.at, 'at') ?? new Date();
  const reviewedAt = readDateOption(options.reviewedAt, 'reviewedAt');
  const requireOwner = readBooleanOption(options.requireOwner, 'requireOwner');
  if (options.format !== undefined && !isFirewallFormat(options.format)) {
    throw new CheckInputError(`unknown format ${options.format}; use one of ${FIREWALL_FORMATS.join(', ')} / 不支援的格式`);
  }
  const findings: Finding[] = [];
  const stats: Record<string, number | string> = { inputs: inputs.length, rules: 0, chains: 0, shadowed: 0, redundant: 0 };
  const started = performance.now();
  for (const input of inputs) {
    if (input.text === undefined) {
      throw new CheckInputError('the firewall check reads text files / 防火牆檢查需要文字檔', input.name);
    }
    const format = (options.format as FirewallFormat | undefined) ?? detectFirewallFormat(input.text, input.name);
    if (!format) {
      throw new CheckInputError(
        `cannot tell the rule format; give --format (${FIREWALL_FORMATS.join(', ')}) / 無法判斷規則格式，請指定格式`,
        input.name,
      );
    }
    const ruleSet = parseFirewallRules(input.text, input.name, format);
    const analysis = analyseRuleSet(ruleSet, { at, reviewedAt, requireOwner });
    findings.push(...analysis.findings);
    stats[`rules.${format}`] = Number(stats[`rules.${format}`] ?? 0) + analysis.stats.rules;
    stats.rules = Number(stats.rules) + analysis.stats.rules;
    stats.chains = Number(stats.chains) + analysis.stats.chains;
    stats.shadowed = Number(stats.shadowed) + analysis.stats.shadowed;
    stats.redundant = Number(stats.redundant) + analysis.stats.redundant;
  }
  for (const finding of findings) {
    stats[`findings.${finding.rule}`] = Number(stats[`findings.${finding.rule}`] ?? 0) + 1;
  }
  stats.analysisMs = Math.round(performance.now() - started);
  const status = statusFromFindings(findings);
  const failing = findings.filter((finding) => finding.status === 'fail').length;
  const warnings = findings.filter((finding) => finding.status === 'warning' || finding.status === 'unknown').length;
  return {
    check: 'firewall',
    checkVersion: CHECK_VERSION,
    status,
    evaluatedAt: at.toISOString(),
    summary: `檢查 ${inputs.length} 個檔案、${stats.rules} 條規則：${failing} 項不符合、${warnings} 項警告或無法判斷。`,
    summaryEn: `Checked ${inputs.length} file(s), ${stats.rules} rule(s): ${failing} failing, ${warnings} warning or unknown.`,
    findings,
    items: [...new Set(Object.values(FIREWALL_ITEMS).flat())],
    stats,
  };
}

export const firewallCheck: CheckDefinition = {
  id: 'firewall',
  title: '防火牆與存取控制清單檢查',
  titleEn: 'Firewall and ACL rule review',
  version: CHECK_VERSION,
  inputKinds: [...FIREWALL_FORMATS],
  items: [...new Set(Object.values(FIREWALL_ITEMS).flat())],
  run: runFirewallCheck,
};
