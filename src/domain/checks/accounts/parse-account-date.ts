import { CheckInputError } from '../types.ts';

const DAY_MS = 86_400_000;
/** Windows FILETIME epoch (1601-01-01) to Unix epoch, in milliseconds. */
const FILETIME_OFFSET_MS = 11_644_473_600_000;

function build(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): Date | undefined {
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) {
    return undefined;
  }
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  return date.getUTCDate() === day ? date : undefined;
}

function to24Hour(hour: number, marker: string | undefined): number {
  if (!marker) {
    return hour;
  }
  const isPm = /^(pm|下午|p\.m\.)$/i.test(marker);
  if (hour === 12) {
    return isPm ? 12 : 0;
  }
  return isPm ? hour + 12 : hour;
}

const US = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*(AM|PM|a\.m\.|p\.m\.))?)?$/i;
const TAIWAN = /^(\d{4})[/-](\d{1,2})[/-](\d{1,2})(?:\s+(?:(上午|下午)\s*)?(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*(上午|下午|AM|PM))?)?$/i;
const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * A date as account exports write it: PowerShell en-US (`1/15/2024 3:04:05 PM`), zh-TW
 * (`2024/1/15 下午 03:04:05`), ISO 8601, or a FILETIME integer (lastLogonTimestamp). Empty, 0 and
 * the FILETIME maximum mean "never" (null). Local times are read as UTC: the rules count days.
 */
export function parseAccountDate(value: string | undefined, file?: string, line?: number): Date | null {
  const text = (value ?? '').trim();
  if (text === '' || text === '0' || text === '9223372036854775807' || /^(never|從未|無)$/i.test(text)) {
    return null;
  }
  let date: Date | undefined;
  let match: RegExpExecArray | null;
  if ((match = ISO.exec(text))) {
    const parsed = new Date(match[7] ? text.replace(' ', 'T') : `${text.replace(' ', 'T')}Z`);
    date = Number.isNaN(parsed.getTime()) ? undefined : parsed;
  } else if ((match = US.exec(text))) {
    const hour = match[4] ? to24Hour(Number(match[4]), match[7]) : 0;
    date = build(Number(match[3]), Number(match[1]), Number(match[2]), hour, Number(match[5] ?? 0), Number(match[6] ?? 0));
  } else if ((match = TAIWAN.exec(text))) {
    const hour = match[5] ? to24Hour(Number(match[5]), match[4] ?? match[8]) : 0;
    date = build(Number(match[1]), Number(match[2]), Number(match[3]), hour, Number(match[6] ?? 0), Number(match[7] ?? 0));
  } else if (/^\d{15,19}$/.test(text)) {
    date = new Date(Number(BigInt(text) / 10_000n) - FILETIME_OFFSET_MS);
  }
  if (!date || Number.isNaN(date.getTime())) {
    throw new CheckInputError(`日期無法解讀 / unreadable date: ${text.slice(0, 40)}`, file, line);
  }
  return date;
}

/** Whole days from `from` to `to`. */
export function daysBetween(from: Date, to: Date): number {
  return Math.floor((to.getTime() - from.getTime()) / DAY_MS);
}

/** Days since 1970-01-01 (shadow fields) to a Date. */
export function dateFromEpochDays(days: number): Date {
  return new Date(days * DAY_MS);
}
