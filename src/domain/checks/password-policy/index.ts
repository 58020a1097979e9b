import { CheckInputError, statusFromFindings, type CheckDefinition, type CheckInput, type Finding } from '../types.ts';
import { evaluatePasswordPolicy } from './evaluate-password-policy.ts';
import { parseJsonPolicy } from './parse-json-policy.ts';
import { readLinuxPolicy, type LinuxPolicyFiles } from './parse-linux-policy.ts';
import { parseAdPasswordPolicy, parseNetAccounts } from './parse-windows-policy.ts';
import type { PasswordPolicy } from './policy.ts';

export { evaluatePasswordPolicy } from './evaluate-password-policy.ts';
export { readLinuxPolicy, expandPamStack, parseLoginDefs } from './parse-linux-policy.ts';
export { parseNetAccounts, parseAdPasswordPolicy } from './parse-windows-policy.ts';
export { parseJsonPolicy, passwordPolicySchema } from './parse-json-policy.ts';

export type PolicyInputKind = 'login.defs' | 'pam' | 'pwquality.conf' | 'faillock.conf' | 'net-accounts' | 'ad-policy' | 'json';

function baseName(name: string): string {
  return name.replace(/^.*[\\/]/, '');
}

/** Recognises an input by its file name, then by its content. */
export function detectPolicyInput(input: CheckInput, format?: string): PolicyInputKind {
  const formats: PolicyInputKind[] = ['login.defs', 'pam', 'pwquality.conf', 'faillock.conf', 'net-accounts', 'ad-policy', 'json'];
  if (format && (formats as string[]).includes(format)) {
    return format as PolicyInputKind;
  }
  const name = baseName(input.name);
  const text = input.text ?? '';
  if (name === 'login.defs') {
    return 'login.defs';
  }
  if (name === 'pwquality.conf') {
    return 'pwquality.conf';
  }
  if (name === 'faillock.conf') {
    return 'faillock.conf';
  }
  if (/\.json$/i.test(name) || text.trimStart().startsWith('{')) {
    return 'json';
  }
  if (/ComplexityEnabled|MinPasswordLength|MaxPasswordAge/.test(text)) {
    return 'ad-policy';
  }
  if (/maximum password age|lockout threshold|密碼最長使用期限|鎖定閾值/i.test(text)) {
    return 'net-accounts';
  }
  if (/^(common-|system-auth|password-auth)/.test(name) || /^\s*(-?(auth|password|account|session)\s+\S+\s+\S+|@include\s)/m.test(text)) {
    return 'pam';
  }
  if (/^\s*PASS_(MAX_DAYS|MIN_LEN)\b/m.test(text)) {
    return 'login.defs';
  }
  throw new CheckInputError('無法辨識的密碼原則檔案 / unrecognised password policy input', input.name);
}

export const passwordPolicyCheck: CheckDefinition = {
  id: 'password-policy',
  title: '密碼原則',
  titleEn: 'Password policy',
  version: '1.0.0',
  inputKinds: ['login.defs', 'pam', 'pwquality.conf', 'faillock.conf', 'net-accounts', 'ad-policy', 'json'],
  items: ['CSIM:8.3.e', 'CSIM:8.3.f', 'ETECH:9'],
  async run(inputs, options) {
    const format = inputs.length === 1 ? options.format : undefined;
    const linux: LinuxPolicyFiles = { pam: new Map() };
    let hasLinux = false;
    const findings: Finding[] = [];
    const policies: Array<{ system: string; file: string; policy: PasswordPolicy }> = [];
    for (const input of inputs) {
      if (input.text === undefined) {
        throw new CheckInputError('需要文字檔 / a text file is required', input.name);
      }
      const kind = detectPolicyInput(input, format);
      const file = { file: input.name, text: input.text };
      switch (kind) {
        case 'login.defs':
          linux.loginDefs = file;
          hasLinux = true;
          break;
        case 'pwquality.conf':
          linux.pwqualityConf = file;
          hasLinux = true;
          break;
        case 'faillock.conf':
          linux.faillockConf = file;
          hasLinux = true;
          break;
        case 'pam':
          linux.pam.set(baseName(input.name), input.text);
          hasLinux = true;
          break;
        case 'net-accounts':
          policies.push({ system: `Windows (${input.name})`, file: input.name, policy: parseNetAccounts(input.name, input.text) });
          break;
        case 'ad-policy':
          policies.push({ system: `AD (${input.name})`, file: input.name, policy: parseAdPasswordPolicy(input.name, input.text) });
          break;
        case 'json': {
          const policy = parseJsonPolicy(input.name, input.text);
          const system = (JSON.parse(input.text) as { system?: string }).system ?? input.name;
          policies.push({ system, file: input.name, policy });
          break;
        }
      }
    }
    if (hasLinux) {
      const system = 'Linux';
      const firstFile = linux.loginDefs?.file ?? [...linux.pam.keys()][0] ?? linux.pwqualityConf?.file ?? linux.faillockConf?.file;
      policies.unshift({ system, file: firstFile ?? 'linux', policy: readLinuxPolicy(linux) });
      if (linux.pam.size === 0 && (linux.pwqualityConf || linux.faillockConf)) {
        findings.push({
          rule: 'password.pam-stack-not-seen',
          severity: 'low',
          status: 'unknown',
          message: 'Linux：未提供 PAM 設定（common-password / system-auth），無法確認 pwquality.conf / faillock.conf 是否實際生效。',
          messageEn: 'Linux: no PAM stack supplied; cannot tell whether pwquality.conf / faillock.conf are actually loaded.',
          location: { subject: system },
          items: ['CSIM:8.3.e', 'CSIM:8.3.f'],
        });
      }
    }
    for (const { system, file, policy } of policies) {
      findings.push(...evaluatePasswordPolicy(system, policy, file));
    }
    const status = policies.length === 0 ? 'error' : statusFromFindings(findings);
    const failing = findings.filter((finding) => finding.status === 'fail').length;
    return {
      check: 'password-policy',
      checkVersion: '1.0.0',
      status,
      evaluatedAt: options.at ?? new Date().toISOString(),
      summary: `檢查 ${policies.length} 組密碼原則，${failing} 項不符合。`,
      summaryEn: `${policies.length} password policies checked; ${failing} failing settings.`,
      findings,
      items: passwordPolicyCheck.items,
      stats: { policies: policies.length, failing, unknown: findings.filter((finding) => finding.status === 'unknown').length },
    };
  },
};
