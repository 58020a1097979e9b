import type { Finding, Location } from '../types.ts';
import type { PasswordPolicy, Setting } from './policy.ts';

export const MIN_LENGTH = 6;
export const MAX_FAILURES = 3;
export const MAX_AGE_DAYS = 90;

const LENGTH_ITEMS = ['CSIM:8.3.f', 'ETECH:9'];
const LOCKOUT_ITEMS = ['CSIM:8.3.e', 'ETECH:9'];
const AGE_ITEMS = ['CSIM:8.3.f'];

function locate(system: string, setting?: Setting<unknown>, fallbackFile?: string): Location {
  return { file: setting?.source.file ?? fallbackFile, line: setting?.source.line, subject: system };
}

function unknown(rule: string, system: string, items: string[], what: string, whatEn: string, file?: string): Finding {
  return {
    rule,
    severity: 'medium',
    status: 'unknown',
    message: `${system}：輸入資料未顯示${what}設定，無法判定。`,
    messageEn: `${system}: the inputs do not show the ${whatEn} setting.`,
    location: { file, subject: system },
    items,
  };
}

/**
 * Applies the three rules: minimum length ≥ 6 with letters and digits or symbols (CSIM 8.(3) f.),
 * lock-out after at most 3 failures (CSIM 8.(3) e., ETECH 第九條), maximum age ≤ 90 days for staff
 * (CSIM 8.(3) f.). A setting the inputs do not reveal is an "unknown" finding.
 */
export function evaluatePasswordPolicy(system: string, policy: PasswordPolicy, file?: string): Finding[] {
  const findings: Finding[] = [];

  for (const issue of policy.stackIssues ?? []) {
    findings.push({
      rule: issue.status === 'fail' ? 'password.pam-not-enforced' : 'password.pam-faillock-reset',
      severity: issue.status === 'fail' ? 'high' : 'low',
      status: issue.status,
      message: `${system}：${issue.message}`,
      messageEn: `${system}: ${issue.messageEn}`,
      location: { file: issue.source.file, line: issue.source.line, subject: system },
      items: issue.setting === 'quality' ? LENGTH_ITEMS : LOCKOUT_ITEMS,
      detail: { setting: issue.source.text },
    });
  }

  const { minLength } = policy;
  if (!minLength) {
    findings.push(unknown('password.min-length', system, LENGTH_ITEMS, '密碼最小長度', 'minimum length', file));
  } else if (minLength.value < MIN_LENGTH) {
    findings.push({
      rule: 'password.min-length',
      severity: 'high',
      status: 'fail',
      message: `${system}：密碼最小長度為 ${minLength.value}，低於 ${MIN_LENGTH} 個字元。`,
      messageEn: `${system}: minimum password length is ${minLength.value}, below ${MIN_LENGTH}.`,
      location: locate(system, minLength, file),
      items: LENGTH_ITEMS,
      detail: { minLength: minLength.value, setting: minLength.source.text },
    });
  }

  findings.push(...evaluateComplexity(system, policy, file));

  const { lockoutThreshold } = policy;
  if (!lockoutThreshold) {
    findings.push(unknown('password.lockout', system, LOCKOUT_ITEMS, '密碼錯誤鎖定', 'lock-out', file));
  } else if (lockoutThreshold.value === 0 || lockoutThreshold.value > MAX_FAILURES) {
    const never = lockoutThreshold.value === 0;
    findings.push({
      rule: 'password.lockout',
      severity: 'high',
      status: 'fail',
      message: never
        ? `${system}：密碼輸入錯誤不會鎖定帳號（應於錯誤 ${MAX_FAILURES} 次內鎖定）。`
        : `${system}：密碼錯誤 ${lockoutThreshold.value} 次才鎖定，超過 ${MAX_FAILURES} 次。`,
      messageEn: never
        ? `${system}: failed passwords never lock the account (must lock within ${MAX_FAILURES}).`
        : `${system}: locks after ${lockoutThreshold.value} failures, more than ${MAX_FAILURES}.`,
      location: locate(system, lockoutThreshold, file),
      items: LOCKOUT_ITEMS,
      detail: { threshold: lockoutThreshold.value, setting: lockoutThreshold.source.text },
    });
  }

  const { maxAgeDays } = policy;
  if (!maxAgeDays) {
    findings.push(unknown('password.max-age', system, AGE_ITEMS, '密碼最長使用期限', 'maximum password age', file));
  } else if (maxAgeDays.value === 0 || maxAgeDays.value > MAX_AGE_DAYS) {
    const never = maxAgeDays.value === 0;
    findings.push({
      rule: 'password.max-age',
      severity: 'medium',
      status: 'fail',
      message: never
        ? `${system}：密碼永不到期（公司使用者密碼應至少每三個月變更一次）。`
        : `${system}：密碼最長使用期限 ${maxAgeDays.value} 天，超過 ${MAX_AGE_DAYS} 天。`,
      messageEn: never
        ? `${system}: passwords never expire (staff passwords must change at least every three months).`
        : `${system}: maximum password age is ${maxAgeDays.value} days, more than ${MAX_AGE_DAYS}.`,
      location: locate(system, maxAgeDays, file),
      items: AGE_ITEMS,
      detail: { maxAgeDays: maxAgeDays.value, setting: maxAgeDays.source.text },
    });
  }
  return findings;
}

/**
 * 「具有文數字或符號」: letters plus digits or symbols are required, or at least three character
 * classes (any three of upper, lower, digit, symbol include a letter and something else). Two classes
 * do not guarantee a letter, so they are a warning.
 */
function evaluateComplexity(system: string, policy: PasswordPolicy, file?: string): Finding[] {
  const { requiresLetter, requiresDigit, requiresSymbol, minClasses } = policy;
  const hasLetterAndOther =
    requiresLetter?.value === true && (requiresDigit?.value === true || requiresSymbol?.value === true);
  if (hasLetterAndOther || (minClasses && minClasses.value >= 3)) {
    return [];
  }
  const anchor = minClasses ?? requiresDigit ?? requiresLetter;
  if (minClasses && minClasses.value === 2) {
    return [
      {
        rule: 'password.complexity',
        severity: 'low',
        status: 'warning',
        message: `${system}：僅要求兩種字元類別，不保證同時含文字與數字或符號。`,
        messageEn: `${system}: only two character classes are required; letters plus digits or symbols are not guaranteed.`,
        location: locate(system, minClasses, file),
        items: LENGTH_ITEMS,
        detail: { setting: minClasses.source.text },
      },
    ];
  }
  const isKnown = minClasses !== undefined && requiresLetter !== undefined && requiresDigit !== undefined;
  if (!isKnown) {
    return [unknown('password.complexity', system, LENGTH_ITEMS, '密碼複雜度', 'complexity', file)];
  }
  return [
    {
      rule: 'password.complexity',
      severity: 'high',
      status: 'fail',
      message: `${system}：密碼未要求具有文數字或符號（複雜度）。`,
      messageEn: `${system}: passwords are not required to mix letters with digits or symbols.`,
      location: locate(system, anchor, file),
      items: LENGTH_ITEMS,
      detail: { setting: anchor?.source.text },
    },
  ];
}
