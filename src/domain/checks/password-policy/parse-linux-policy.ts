import { CheckInputError } from '../types.ts';
import { judgeModule, type StackEntry } from './judge-pam-stack.ts';
import type { PasswordPolicy, Setting, Source, StackIssue } from './policy.ts';

/** Logical lines without comments: [1-based line, content]; backslash continuations are joined. */
function readLines(text: string): Array<[number, string]> {
  const lines: Array<[number, string]> = [];
  const raw = text.split(/\r?\n/);
  for (let index = 0; index < raw.length; index += 1) {
    const start = index + 1;
    let content = raw[index];
    while (content.endsWith('\\') && index + 1 < raw.length) {
      index += 1;
      content = content.slice(0, -1) + ' ' + raw[index];
    }
    const withoutComment = content.replace(/#.*$/, '').trim();
    if (withoutComment !== '') {
      lines.push([start, withoutComment]);
    }
  }
  return lines;
}

function parseInteger(value: string, file: string, line: number, key: string): number {
  if (!/^-?\d+$/.test(value)) {
    throw new CheckInputError(`${key} 應為整數 / ${key} must be an integer: ${value}`, file, line);
  }
  return Number(value);
}

/** `/etc/login.defs`: PASS_MAX_DAYS and PASS_MIN_LEN (the latter only matters without PAM quality modules). */
export function parseLoginDefs(file: string, text: string): PasswordPolicy & { passMinLen?: Setting<number> } {
  const policy: PasswordPolicy & { passMinLen?: Setting<number> } = {};
  for (const [line, content] of readLines(text)) {
    const match = /^(\S+)\s+(\S+)/.exec(content);
    if (!match) {
      continue;
    }
    const [, key, value] = match;
    const source: Source = { file, line, text: content };
    if (key === 'PASS_MAX_DAYS') {
      const days = parseInteger(value, file, line, key);
      // 99999 (the shadow default) and -1 mean "never expires".
      policy.maxAgeDays = { value: days >= 99999 || days < 0 ? 0 : days, source };
    } else if (key === 'PASS_MIN_LEN') {
      policy.passMinLen = { value: parseInteger(value, file, line, key), source };
    }
  }
  return policy;
}

/** `key = value` files: pwquality.conf, faillock.conf. */
export function parseKeyValueConf(file: string, text: string): Map<string, { value: string; source: Source }> {
  const values = new Map<string, { value: string; source: Source }>();
  for (const [line, content] of readLines(text)) {
    const match = /^([A-Za-z_][\w-]*)\s*(?:=\s*(.*))?$/.exec(content);
    if (!match) {
      throw new CheckInputError(`無法解析的設定行 / unreadable setting: ${content}`, file, line);
    }
    values.set(match[1], { value: (match[2] ?? '').trim(), source: { file, line, text: content } });
  }
  return values;
}

export type PamEntry = StackEntry;

/**
 * Parses a PAM stack file and follows `include`/`substack`/`@include` into other supplied files
 * (by base name). Commented-out lines do not count.
 */
export function expandPamStack(
  file: string,
  files: Map<string, string>,
  seen: Set<string> = new Set(),
  scope = '',
): PamEntry[] {
  const text = files.get(file);
  if (text === undefined) {
    return [];
  }
  if (seen.has(file)) {
    throw new CheckInputError('PAM include 形成循環 / PAM include loop', file);
  }
  seen.add(file);
  const entries: PamEntry[] = [];
  for (const [line, content] of readLines(text)) {
    const source: Source = { file, line, text: content };
    const debianInclude = /^@include\s+(\S+)$/.exec(content);
    if (debianInclude) {
      entries.push(...expandPamStack(debianInclude[1], files, new Set(seen), scope));
      continue;
    }
    // type control module [args]; control may be [value=action ...].
    const match = /^-?(auth|account|password|session)\s+(\[[^\]]*\]|\S+)\s+(\S+)\s*(.*)$/i.exec(content);
    if (!match) {
      throw new CheckInputError(`無法解析的 PAM 設定 / unreadable PAM line: ${content}`, file, line);
    }
    const [, type, control, module, rest] = match;
    if (control === 'include' || control === 'substack') {
      // A substack is one module of its caller for jumps; an include is inlined.
      const innerScope = control === 'substack' ? `${scope}/${file.replace(/\//g, '|')}@${line}` : scope;
      entries.push(...expandPamStack(module, files, new Set(seen), innerScope).filter((entry) => entry.type === type.toLowerCase()));
      continue;
    }
    const args = new Map<string, string>();
    for (const argument of rest.split(/\s+/).filter(Boolean)) {
      const [key, ...value] = argument.split('=');
      args.set(key, value.join('='));
    }
    entries.push({ type: type.toLowerCase(), control: control.toLowerCase(), module: module.replace(/^.*\//, ''), args, source, scope });
  }
  return entries;
}

function readNumber(
  key: string,
  args: Map<string, string>,
  conf: Map<string, { value: string; source: Source }> | undefined,
  fallback: Source,
): { value: number; source: Source } | undefined {
  if (args.has(key)) {
    const value = Number(args.get(key));
    if (!Number.isFinite(value)) {
      throw new CheckInputError(`${key} 應為數字 / ${key} must be a number`, fallback.file, fallback.line);
    }
    return { value, source: fallback };
  }
  const fromConf = conf?.get(key);
  if (fromConf) {
    const value = Number(fromConf.value);
    if (!Number.isFinite(value)) {
      throw new CheckInputError(`${key} 應為數字 / ${key} must be a number`, fromConf.source.file, fromConf.source.line);
    }
    return { value, source: fromConf.source };
  }
  return undefined;
}

export interface LinuxPolicyFiles {
  /** PAM files by base name (common-password, system-auth, password-auth, common-auth, …). */
  pam: Map<string, string>;
  loginDefs?: { file: string; text: string };
  pwqualityConf?: { file: string; text: string };
  faillockConf?: { file: string; text: string };
}

const PAM_ROOTS = ['common-password', 'common-auth', 'system-auth', 'password-auth'];

/**
 * What the Linux stack enforces. Quality settings come from the pam_pwquality / pam_cracklib line
 * the stack actually loads (arguments override pwquality.conf); lock-out from pam_faillock (arguments
 * override faillock.conf) or pam_tally2. Without PAM files, the .conf files are read as they are and
 * the evaluation notes that the stack itself was not seen.
 */
export function readLinuxPolicy(files: LinuxPolicyFiles): PasswordPolicy {
  const policy: PasswordPolicy = {};
  const issues: StackIssue[] = [];
  const loginDefs = files.loginDefs ? parseLoginDefs(files.loginDefs.file, files.loginDefs.text) : {};
  if (loginDefs.maxAgeDays) {
    policy.maxAgeDays = loginDefs.maxAgeDays;
  }
  const pwquality = files.pwqualityConf ? parseKeyValueConf(files.pwqualityConf.file, files.pwqualityConf.text) : undefined;
  const faillock = files.faillockConf ? parseKeyValueConf(files.faillockConf.file, files.faillockConf.text) : undefined;

  const hasPam = files.pam.size > 0;
  const entries: PamEntry[] = [];
  const roots = PAM_ROOTS.filter((name) => files.pam.has(name));
  for (const name of roots.length > 0 ? roots : [...files.pam.keys()]) {
    entries.push(...expandPamStack(name, files.pam));
  }

  const { quality, qualityIssues } = findEnforcedQuality(entries, pwquality);
  const isConfOnlyEnforced = !hasPam && pwquality !== undefined && readEnforcingOff(new Map(), pwquality) === undefined;
  if (!hasPam && pwquality && !isConfOnlyEnforced) {
    qualityIssues.push(enforcingOffIssue(readEnforcingOff(new Map(), pwquality)!));
  }
  if (quality || isConfOnlyEnforced) {
    const isCracklib = quality?.module === 'pam_cracklib.so';
    const conf = isCracklib ? undefined : pwquality;
    const origin: Source = quality?.source ?? { file: files.pwqualityConf!.file };
    // Defaults: pam_cracklib minlen 9 with credits 1; libpwquality minlen 8 (9 in older releases) with credits 0.
    const minlen = readNumber('minlen', quality?.args ?? new Map(), conf, origin);
    const credits = ['dcredit', 'ucredit', 'lcredit', 'ocredit'].map((key) => ({
      key,
      setting: readNumber(key, quality?.args ?? new Map(), conf, origin),
    }));
    const creditValue = (key: string): number =>
      credits.find((credit) => credit.key === key)?.setting?.value ?? (isCracklib ? 1 : 0);
    const minlenValue = minlen?.value ?? (isCracklib ? 9 : 8);
    const positiveCredit = credits.reduce((sum, credit) => sum + Math.max(0, creditValue(credit.key)), 0);
    const effective = Math.max(isCracklib ? 6 : 1, minlenValue - positiveCredit);
    if (quality || minlen) {
      policy.minLength = {
        value: effective,
        source: { ...(minlen?.source ?? origin), text: `${minlen?.source.text ?? `minlen=${minlenValue} (default)`}; credits ${positiveCredit}` },
      };
    }
    const sourceOf = (key: string): Source => credits.find((credit) => credit.key === key)?.setting?.source ?? origin;
    const letter = creditValue('ucredit') < 0 || creditValue('lcredit') < 0;
    const hasCreditInfo = quality !== undefined || credits.some((credit) => credit.setting);
    if (hasCreditInfo) {
      policy.requiresDigit = { value: creditValue('dcredit') < 0, source: sourceOf('dcredit') };
      policy.requiresLetter = { value: letter, source: creditValue('ucredit') < 0 ? sourceOf('ucredit') : sourceOf('lcredit') };
      policy.requiresSymbol = { value: creditValue('ocredit') < 0, source: sourceOf('ocredit') };
    }
    const minclass = readNumber('minclass', quality?.args ?? new Map(), conf, origin);
    if (minclass) {
      policy.minClasses = minclass;
    } else if (quality) {
      policy.minClasses = { value: 0, source: origin };
    }
  } else if (qualityIssues.length > 0 || (hasPam && entries.some((entry) => entry.type === 'password'))) {
    // No quality module is enforced: only login.defs' PASS_MIN_LEN could apply (it does not under PAM).
    const origin = qualityIssues[0]?.source ?? entries.find((entry) => entry.type === 'password')!.source;
    const why = qualityIssues[0]?.messageEn ?? 'no pam_pwquality/pam_cracklib in the password stack';
    policy.requiresDigit = { value: false, source: origin };
    policy.requiresLetter = { value: false, source: origin };
    policy.requiresSymbol = { value: false, source: origin };
    policy.minClasses = { value: 0, source: origin };
    policy.minLength = { value: 1, source: { ...origin, text: why } };
  }
  issues.push(...qualityIssues);

  const lockout = judgeLockout(entries, faillock);
  issues.push(...lockout.issues);
  if (lockout.threshold) {
    policy.lockoutThreshold = lockout.threshold;
  } else if (hasPam && entries.some((entry) => entry.type === 'auth')) {
    const origin = entries.find((entry) => entry.type === 'auth')!.source;
    policy.lockoutThreshold = { value: 0, source: { ...origin, text: 'no pam_faillock/pam_tally2 in the auth stack' } };
  } else if (!hasPam && faillock) {
    const deny = faillock.get('deny');
    policy.lockoutThreshold = deny
      ? { value: parseInteger(deny.value, deny.source.file, deny.source.line!, 'deny'), source: deny.source }
      : { value: 3, source: { file: files.faillockConf!.file, text: 'deny not set (default 3)' } };
  }
  if (issues.length > 0) {
    policy.stackIssues = issues;
  }
  return policy;
}

type ConfValues = Map<string, { value: string; source: Source }>;

/** The source of `enforcing=0` (argument first, then pwquality.conf), or undefined when enforcing. */
function readEnforcingOff(args: Map<string, string>, conf: ConfValues | undefined, line?: Source): Source | undefined {
  if (args.has('enforcing')) {
    return Number(args.get('enforcing')) === 0 ? line : undefined;
  }
  const fromConf = conf?.get('enforcing');
  return fromConf && Number(fromConf.value) === 0 ? fromConf.source : undefined;
}

function enforcingOffIssue(source: Source): StackIssue {
  return {
    setting: 'quality',
    status: 'fail',
    message: 'pam_pwquality 設定 enforcing = 0：不符合原則的密碼只會警告、仍可設定，未實際強制。',
    messageEn: 'pam_pwquality has enforcing = 0: weak passwords are only warned about and still accepted, so quality is not enforced.',
    source,
  };
}

/** The first pam_pwquality / pam_cracklib line the stack enforces, and why the others are not. */
function findEnforcedQuality(entries: PamEntry[], pwquality: ConfValues | undefined): { quality?: PamEntry; qualityIssues: StackIssue[] } {
  const qualityIssues: StackIssue[] = [];
  const lines = entries.filter((entry) => entry.type === 'password' && (entry.module === 'pam_pwquality.so' || entry.module === 'pam_cracklib.so'));
  for (const line of lines) {
    const judgement = judgeModule(entries, line, 'authtok_err');
    if (!judgement.isEnforced) {
      qualityIssues.push({ setting: 'quality', status: 'fail', message: `${judgement.reason}。`, messageEn: `${judgement.reasonEn}.`, source: line.source });
      continue;
    }
    const off = line.module === 'pam_pwquality.so' ? readEnforcingOff(line.args, pwquality, line.source) : undefined;
    if (off) {
      qualityIssues.push(enforcingOffIssue(off));
      continue;
    }
    return { quality: line, qualityIssues: [] };
  }
  return { qualityIssues };
}

function notLocking(message: string, messageEn: string, source: Source): StackIssue {
  return { setting: 'lockout', status: 'fail', message, messageEn, source };
}

/**
 * Lock-out as the auth stack enforces it. pam_faillock locks only with an enforced `preauth` line
 * (refuses a locked account) and an `authfail` line reached when the password is wrong (counts the
 * failure); without `authsucc` or an `account … pam_faillock.so` line the count is never reset (a
 * warning). pam_tally2 / pam_tally is one enforced line.
 */
function judgeLockout(entries: PamEntry[], faillock: ConfValues | undefined): { threshold?: Setting<number>; issues: StackIssue[] } {
  const faillockLines = entries.filter((entry) => entry.type === 'auth' && entry.module === 'pam_faillock.so');
  if (faillockLines.length > 0) {
    const issues: StackIssue[] = [];
    const preauth = faillockLines.find((entry) => entry.args.has('preauth'));
    const authfail = faillockLines.find((entry) => entry.args.has('authfail'));
    const authsucc = faillockLines.find((entry) => entry.args.has('authsucc'));
    const accountLine = entries.find((entry) => entry.type === 'account' && entry.module === 'pam_faillock.so');
    const anchor = (preauth ?? authfail ?? faillockLines[0]).source;
    if (!preauth) {
      issues.push(notLocking(
        'pam_faillock 缺少 preauth 行：已鎖定的帳號仍可以正確密碼登入，未實際鎖定。',
        'pam_faillock has no preauth line: a locked account still signs in with the right password, so nothing is locked.',
        anchor,
      ));
    } else {
      const judgement = judgeModule(entries, preauth, 'auth_err', 'success');
      if (!judgement.isEnforced) {
        issues.push(notLocking(`${judgement.reason}（preauth），已鎖定的帳號仍可登入。`, `${judgement.reasonEn} (preauth); a locked account can still sign in.`, preauth.source));
      }
    }
    if (!authfail) {
      issues.push(notLocking(
        'pam_faillock 缺少 authfail 行：密碼錯誤不會被計數，帳號永不鎖定。',
        'pam_faillock has no authfail line: failed passwords are not counted, so the account is never locked.',
        anchor,
      ));
    } else {
      const judgement = judgeModule(entries, authfail, 'auth_err', 'auth_err');
      if (!judgement.isEnforced) {
        issues.push(notLocking(`${judgement.reason}（authfail），密碼錯誤不會使帳號鎖定。`, `${judgement.reasonEn} (authfail); failed passwords do not lock the account.`, authfail.source));
      }
    }
    if (issues.length > 0) {
      return { threshold: { value: 0, source: { ...issues[0].source, text: issues[0].messageEn } }, issues };
    }
    if (!authsucc && !accountLine) {
      issues.push({
        setting: 'lockout',
        status: 'warning',
        message: 'pam_faillock 沒有 authsucc 行，也沒有 account 類型的 pam_faillock 行：登入成功後失敗次數不會歸零。',
        messageEn: 'pam_faillock has neither an authsucc line nor an account line: the failure count is never reset after a successful login.',
        source: anchor,
      });
    }
    const withDeny = [authfail!, preauth!].find((entry) => entry.args.has('deny')) ?? preauth!;
    const deny = readNumber('deny', withDeny.args, faillock, withDeny.source);
    // pam_faillock defaults to deny=3.
    return { threshold: deny ?? { value: 3, source: { ...preauth!.source, text: `${preauth!.source.text} (default deny)` } }, issues };
  }
  const tally = entries.find((entry) => entry.type === 'auth' && (entry.module === 'pam_tally2.so' || entry.module === 'pam_tally.so'));
  if (!tally) {
    return { issues: [] };
  }
  const judgement = judgeModule(entries, tally, 'auth_err');
  if (!judgement.isEnforced) {
    const issue = notLocking(`${judgement.reason}，帳號不會鎖定。`, `${judgement.reasonEn}; the account is not locked.`, tally.source);
    return { threshold: { value: 0, source: { ...tally.source, text: issue.messageEn } }, issues: [issue] };
  }
  // pam_tally2 without deny never locks.
  const deny = readNumber('deny', tally.args, undefined, tally.source);
  return { issues: [], threshold: deny ?? { value: 0, source: { ...tally.source, text: `${tally.source.text} (default deny)` } } };
}
