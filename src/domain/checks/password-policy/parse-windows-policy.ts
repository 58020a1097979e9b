import { CheckInputError } from '../types.ts';
import type { PasswordPolicy, Source } from './policy.ts';

const NEVER = /^(never|none|unlimited|永不|無|無限制|沒有)$/i;

function readCount(value: string, file: string, line: number, label: string): number {
  if (NEVER.test(value)) {
    return 0;
  }
  if (!/^\d+$/.test(value)) {
    throw new CheckInputError(`${label} 無法解讀 / cannot read ${label}: ${value}`, file, line);
  }
  return Number(value);
}

interface NetAccountsKey {
  key: keyof PasswordPolicy;
  pattern: RegExp;
}

// English and zh-TW captions of `net accounts`.
const NET_ACCOUNTS_KEYS: NetAccountsKey[] = [
  { key: 'maxAgeDays', pattern: /^(maximum password age|密碼最長使用期限)/i },
  { key: 'minLength', pattern: /^(minimum password length|密碼長度下限|最小密碼長度)/i },
  { key: 'lockoutThreshold', pattern: /^(lockout threshold|鎖定閾值|鎖定臨界值)/i },
];

/** Output of `net accounts` (English or zh-TW Windows). Complexity is not shown by this command. */
export function parseNetAccounts(file: string, text: string): PasswordPolicy {
  const policy: PasswordPolicy = {};
  let recognised = 0;
  text.split(/\r?\n/).forEach((rawLine, index) => {
    const line = index + 1;
    const match = /^(.+?)[:：]\s+(\S.*?)\s*$/.exec(rawLine.trim());
    if (!match) {
      return;
    }
    const [, caption, value] = match;
    const known = NET_ACCOUNTS_KEYS.find((entry) => entry.pattern.test(caption.trim()));
    if (!known) {
      return;
    }
    recognised += 1;
    const source: Source = { file, line, text: rawLine.trim() };
    const count = readCount(value, file, line, caption.trim());
    (policy as Record<string, unknown>)[known.key] = { value: count, source };
  });
  if (recognised === 0) {
    throw new CheckInputError('不是 net accounts 的輸出 / not `net accounts` output', file, 1);
  }
  return policy;
}

/** A .NET TimeSpan as PowerShell prints it ("42.00:00:00", "00:00:00") in whole days. */
function readTimeSpanDays(value: string, file: string, line: number): number {
  const match = /^(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})(?:\.\d+)?$/.exec(value);
  if (!match) {
    throw new CheckInputError(`時間長度無法解讀 / cannot read time span: ${value}`, file, line);
  }
  return Number(match[1] ?? 0) + Number(match[2]) / 24;
}

/** `Get-ADDefaultDomainPasswordPolicy` (or Get-ADFineGrainedPasswordPolicy) printed with Format-List. */
export function parseAdPasswordPolicy(file: string, text: string): PasswordPolicy {
  const policy: PasswordPolicy = {};
  let recognised = 0;
  text.split(/\r?\n/).forEach((rawLine, index) => {
    const line = index + 1;
    const match = /^\s*(\w+)\s*:\s*(.*?)\s*$/.exec(rawLine);
    if (!match) {
      return;
    }
    const [, key, value] = match;
    const source: Source = { file, line, text: rawLine.trim() };
    switch (key) {
      case 'ComplexityEnabled': {
        recognised += 1;
        if (!/^(true|false)$/i.test(value)) {
          throw new CheckInputError(`ComplexityEnabled 應為 True/False: ${value}`, file, line);
        }
        // Windows complexity: three of upper case, lower case, digits, symbols.
        policy.minClasses = { value: /^true$/i.test(value) ? 3 : 0, source };
        if (/^false$/i.test(value)) {
          policy.requiresLetter = { value: false, source };
          policy.requiresDigit = { value: false, source };
          policy.requiresSymbol = { value: false, source };
        }
        break;
      }
      case 'MinPasswordLength':
        recognised += 1;
        policy.minLength = { value: readCount(value, file, line, key), source };
        break;
      case 'LockoutThreshold':
        recognised += 1;
        policy.lockoutThreshold = { value: readCount(value, file, line, key), source };
        break;
      case 'MaxPasswordAge':
        recognised += 1;
        policy.maxAgeDays = { value: Math.ceil(readTimeSpanDays(value, file, line)), source };
        break;
      default:
        break;
    }
  });
  if (recognised === 0) {
    throw new CheckInputError('不是 Get-ADDefaultDomainPasswordPolicy 的輸出 / not Get-ADDefaultDomainPasswordPolicy output', file, 1);
  }
  return policy;
}
