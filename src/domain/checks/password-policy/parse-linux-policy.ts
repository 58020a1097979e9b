import { CheckInputError } from '../types.ts';
import type { PasswordPolicy, Setting, Source } from './policy.ts';

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

export interface PamEntry {
  type: string;
  control: string;
  module: string;
  args: Map<string, string>;
  source: Source;
}

/**
 * Parses a PAM stack file and follows `include`/`substack`/`@include` into other supplied files
 * (by base name). Commented-out lines do not count.
 */
export function expandPamStack(
  file: string,
  files: Map<string, string>,
  seen: Set<string> = new Set(),
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
      entries.push(...expandPamStack(debianInclude[1], files, new Set(seen)));
      continue;
    }
    // type control module [args]; control may be [value=action ...].
    const match = /^-?(auth|account|password|session)\s+(\[[^\]]*\]|\S+)\s+(\S+)\s*(.*)$/i.exec(content);
    if (!match) {
      throw new CheckInputError(`無法解析的 PAM 設定 / unreadable PAM line: ${content}`, file, line);
    }
    const [, type, control, module, rest] = match;
    if (control === 'include' || control === 'substack') {
      entries.push(...expandPamStack(module, files, new Set(seen)).filter((entry) => entry.type === type.toLowerCase()));
      continue;
    }
    const args = new Map<string, string>();
    for (const argument of rest.split(/\s+/).filter(Boolean)) {
      const [key, ...value] = argument.split('=');
      args.set(key, value.join('='));
    }
    entries.push({ type: type.toLowerCase(), control, module: module.replace(/^.*\//, ''), args, source });
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

  const quality = entries.find(
    (entry) => entry.type === 'password' && (entry.module === 'pam_pwquality.so' || entry.module === 'pam_cracklib.so'),
  );
  if (quality || (!hasPam && pwquality)) {
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
  } else if (hasPam && entries.some((entry) => entry.type === 'password')) {
    // The stack was seen and loads no quality module: only login.defs' PASS_MIN_LEN could apply (it does not under PAM).
    const origin = entries.find((entry) => entry.type === 'password')!.source;
    policy.requiresDigit = { value: false, source: origin };
    policy.requiresLetter = { value: false, source: origin };
    policy.requiresSymbol = { value: false, source: origin };
    policy.minClasses = { value: 0, source: origin };
    policy.minLength = { value: 1, source: { ...origin, text: 'no pam_pwquality/pam_cracklib in the password stack' } };
  }

  const lockModule = entries.find(
    (entry) => entry.type === 'auth' && (entry.module === 'pam_faillock.so' || entry.module === 'pam_tally2.so' || entry.module === 'pam_tally.so'),
  );
  if (lockModule) {
    const conf = lockModule.module === 'pam_faillock.so' ? faillock : undefined;
    const deny = readNumber('deny', lockModule.args, conf, lockModule.source);
    // pam_faillock defaults to deny=3; pam_tally2 without deny never locks.
    policy.lockoutThreshold = deny ?? {
      value: lockModule.module === 'pam_faillock.so' ? 3 : 0,
      source: { ...lockModule.source, text: `${lockModule.source.text} (default deny)` },
    };
  } else if (hasPam && entries.some((entry) => entry.type === 'auth')) {
    const origin = entries.find((entry) => entry.type === 'auth')!.source;
    policy.lockoutThreshold = { value: 0, source: { ...origin, text: 'no pam_faillock/pam_tally2 in the auth stack' } };
  } else if (!hasPam && faillock) {
    const deny = faillock.get('deny');
    policy.lockoutThreshold = deny
      ? { value: parseInteger(deny.value, deny.source.file, deny.source.line!, 'deny'), source: deny.source }
      : { value: 3, source: { file: files.faillockConf!.file, text: 'deny not set (default 3)' } };
  }
  return policy;
}
