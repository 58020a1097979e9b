import { CheckInputError } from '../types.ts';
import type { AccountRecord } from './account.ts';
import { dateFromEpochDays } from './parse-account-date.ts';

export interface LinuxAccountFiles {
  passwd: { file: string; text: string };
  shadow?: { file: string; text: string };
  group?: { file: string; text: string };
  /** `lastlog` output, or `last -F` / `last --time-format iso` output. */
  logins?: { file: string; text: string };
}

const NO_LOGIN_SHELLS = /(^|\/)(nologin|false|sync|shutdown|halt)$/;
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

function splitLines(text: string): Array<[number, string]> {
  return text
    .split(/\r?\n/)
    .map((line, index): [number, string] => [index + 1, line])
    .filter(([, line]) => line.trim() !== '' && !line.trimStart().startsWith('#'));
}

function readInteger(value: string, file: string, line: number, field: string): number {
  if (!/^\d+$/.test(value)) {
    throw new CheckInputError(`${field} 應為數字 / ${field} must be a number: ${value}`, file, line);
  }
  return Number(value);
}

/** "Mon Jan 15 15:04:05 +0800 2024" (lastlog) or "Mon Jan 15 15:04:05 2024" (last -F). */
function readCtime(text: string): Date | undefined {
  const match = /\b([A-Z][a-z]{2})\s+(\d{1,2})\s+(\d{2}):(\d{2}):(\d{2})\s+(?:([+-])(\d{2})(\d{2})\s+)?(\d{4})\b/.exec(text);
  if (!match) {
    return undefined;
  }
  const month = MONTHS.indexOf(match[1].toLowerCase());
  if (month < 0) {
    return undefined;
  }
  const offsetMinutes = match[6] ? (match[6] === '-' ? -1 : 1) * (Number(match[7]) * 60 + Number(match[8])) : 0;
  const utc = Date.UTC(Number(match[9]), month, Number(match[2]), Number(match[3]), Number(match[4]), Number(match[5]));
  return new Date(utc - offsetMinutes * 60_000);
}

/** Last logon per user from `lastlog` or `last -F` / `last --time-format iso`; null = never. */
export function parseLoginRecords(file: string, text: string): Map<string, Date | null> {
  const logins = new Map<string, Date | null>();
  const lines = splitLines(text);
  const isLastlog = /^Username\s+Port/.test(lines[0]?.[1] ?? '');
  for (const [line, content] of isLastlog ? lines.slice(1) : lines) {
    const user = content.split(/\s+/)[0];
    if (!isLastlog && (/^(wtmp|btmp) begins/.test(content) || user === 'reboot' || user === 'shutdown')) {
      continue;
    }
    if (/\*\*Never logged in\*\*/.test(content)) {
      if (!logins.has(user)) {
        logins.set(user, null);
      }
      continue;
    }
    const iso = /\b(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:[,.]\d+)?(?:Z|[+-]\d{2}:?\d{2})?)/.exec(content);
    const date = iso ? new Date(iso[1].replace(',', '.')) : readCtime(content);
    if (!date || Number.isNaN(date.getTime())) {
      const hint = /\b[A-Z][a-z]{2}\s+[A-Z][a-z]{2}\s+\d{1,2}\s+\d{2}:\d{2}\b/.test(content)
        ? '（`last` 未含年份，請改用 `last -F`） / `last` without a year: use `last -F`'
        : '';
      throw new CheckInputError(`登入紀錄無法解讀 / unreadable login record${hint ? ` ${hint}` : ''}`, file, line);
    }
    const previous = logins.get(user);
    if (!previous || previous.getTime() < date.getTime()) {
      logins.set(user, date);
    }
  }
  return logins;
}

/**
 * Accounts from passwd (+ shadow, group, lastlog/last). An account is enabled when its shell allows
 * a login, its password is not locked (`!`/`*` in shadow) and it has not expired. Key-based SSH logins
 * are not visible in these files.
 */
export function parseLinuxAccounts(files: LinuxAccountFiles, at: Date): AccountRecord[] {
  const shadow = new Map<string, { hash: string; expire?: number; line: number }>();
  if (files.shadow) {
    for (const [line, content] of splitLines(files.shadow.text)) {
      const fields = content.split(':');
      if (fields.length < 8 || fields.length > 9 || fields[0] === '') {
        throw new CheckInputError(`shadow 每行應有 9 個欄位 / shadow lines have 9 fields (found ${fields.length})`, files.shadow.file, line);
      }
      const expire = fields[7] === '' ? undefined : readInteger(fields[7], files.shadow.file, line, 'expire');
      shadow.set(fields[0], { hash: fields[1], expire, line });
    }
  }
  const groupNames = new Map<number, string>();
  const memberships = new Map<string, string[]>();
  if (files.group) {
    for (const [line, content] of splitLines(files.group.text)) {
      const fields = content.split(':');
      if (fields.length !== 4 || fields[0] === '') {
        throw new CheckInputError(`group 每行應有 4 個欄位 / group lines have 4 fields (found ${fields.length})`, files.group.file, line);
      }
      groupNames.set(readInteger(fields[2], files.group.file, line, 'gid'), fields[0]);
      for (const member of fields[3].split(',').filter(Boolean)) {
        memberships.set(member, [...(memberships.get(member) ?? []), fields[0]]);
      }
    }
  }
  const logins = files.logins ? parseLoginRecords(files.logins.file, files.logins.text) : undefined;
  const accounts: AccountRecord[] = [];
  for (const [line, content] of splitLines(files.passwd.text)) {
    const fields = content.split(':');
    if (fields.length !== 7 || fields[0] === '') {
      throw new CheckInputError(`passwd 每行應有 7 個欄位 / passwd lines have 7 fields (found ${fields.length})`, files.passwd.file, line);
    }
    const [name, , uidText, gidText, , , shell] = fields;
    const uid = readInteger(uidText, files.passwd.file, line, 'uid');
    const gid = readInteger(gidText, files.passwd.file, line, 'gid');
    const shadowEntry = shadow.get(name);
    const hasLoginShell = !NO_LOGIN_SHELLS.test(shell.trim());
    const isLocked = shadowEntry ? /^[!*]/.test(shadowEntry.hash) : undefined;
    const expires = shadowEntry?.expire !== undefined ? dateFromEpochDays(shadowEntry.expire) : undefined;
    const isExpired = expires !== undefined && expires.getTime() < at.getTime();
    const enabled = !hasLoginShell || isExpired || isLocked === true ? false : isLocked === false ? true : undefined;
    const primary = groupNames.get(gid);
    const groups = [...(primary ? [primary] : []), ...(memberships.get(name) ?? [])];
    accounts.push({
      name,
      enabled: !hasLoginShell ? false : enabled,
      lastLogon: logins ? (logins.has(name) ? logins.get(name) : null) : undefined,
      uid,
      gid,
      groups: [...new Set(groups)],
      expires,
      file: files.passwd.file,
      line,
      detail: { shell, passwordLocked: isLocked, ...(expires ? { expires: expires.toISOString().slice(0, 10) } : {}) },
    });
  }
  return accounts;
}
