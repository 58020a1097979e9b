/**
 * Helpers the eol, logs, backup, training, cadence and app-report checks share: the evaluation date,
 * duration reading and result assembly.
 */
import { CheckInputError, statusFromFindings, type CheckResult, type Finding } from '../types.ts';
import { parseDate, parseInstant, todayUtc, type Instant } from './dates.ts';

/** The evaluation date (`options.at` or today, UTC) as `YYYY-MM-DD`. */
export function resolveEvaluationDate(at: unknown): string {
  if (at === undefined || at === null || at === '') {
    return todayUtc();
  }
  const date = typeof at === 'string' ? parseDate(at) : null;
  if (date === null) {
    throw new CheckInputError(`無法辨識評估日期 / cannot read the evaluation date: ${String(at)}`, 'options.at');
  }
  return date;
}

/**
 * The evaluation instant. A date-only `at` means the end of that day (UTC), so records dated on that
 * day count as "by then".
 */
export function resolveEvaluationInstant(at: unknown): Instant {
  if (typeof at === 'string' && at.trim() !== '') {
    const instant = parseInstant(at);
    if (instant === null) {
      throw new CheckInputError(`無法辨識評估日期 / cannot read the evaluation date: ${at}`, 'options.at');
    }
    return instant.isDateOnly ? { ...instant, ms: instant.ms + 86_400_000 - 1 } : instant;
  }
  const date = resolveEvaluationDate(at);
  const instant = parseInstant(date) as Instant;
  return { ...instant, ms: instant.ms + 86_400_000 - 1 };
}

export type DurationUnit = 'minute' | 'hour' | 'day' | 'week' | 'month' | 'year';

export interface Duration {
  amount: number;
  unit: DurationUnit;
  /** True for "permanent", "forever", "永久". */
  isUnlimited: boolean;
}

const UNIT_WORDS: [RegExp, DurationUnit][] = [
  [/^(?:y|yr|yrs|year|years|年)$/i, 'year'],
  [/^(?:mo|mon|mons|month|months|個月|个月|月)$/i, 'month'],
  [/^(?:w|wk|wks|week|weeks|週|周|星期|禮拜)$/i, 'week'],
  [/^(?:d|day|days|日|天)$/i, 'day'],
  [/^(?:h|hr|hrs|hour|hours|小時|時)$/i, 'hour'],
  [/^(?:min|mins|minute|minutes|分|分鐘)$/i, 'minute'],
];

const CHINESE_DIGITS: Record<string, number> = {
  零: 0, 〇: 0, 一: 1, 二: 2, 兩: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9,
};

/** Reads small Chinese numerals (一 … 九十九) into a number, or undefined. */
function readChineseNumber(text: string): number | undefined {
  if (text === '') {
    return undefined;
  }
  const match = /^([一二兩三四五六七八九])?十([一二三四五六七八九])?$/.exec(text);
  if (match) {
    return (match[1] ? CHINESE_DIGITS[match[1]] : 1) * 10 + (match[2] ? CHINESE_DIGITS[match[2]] : 0);
  }
  if (text.length === 1 && CHINESE_DIGITS[text] !== undefined) {
    return CHINESE_DIGITS[text];
  }
  return undefined;
}

/**
 * Reads a duration as written: `3y`, `3 years`, `1095 days`, `36 個月`, `三年`, `4h`, `15 分鐘`,
 * `1.5 years`, `永久`. A bare number takes `defaultUnit`; a lone `m` means `mMeans` (month by
 * default). Undefined when unreadable.
 */
export function parseDuration(
  text: string | undefined,
  options: { defaultUnit?: DurationUnit; mMeans?: 'month' | 'minute' } = {},
): Duration | undefined {
  const { defaultUnit, mMeans = 'month' } = options;
  if (text === undefined) {
    return undefined;
  }
  const value = text
    .trim()
    .replace(/[０-９．]/g, (char) => String.fromCharCode(char.charCodeAt(0) - 0xfee0))
    .replace(/^(?:至少|最少|保存|保留|留存|at least|keep)\s*/i, '')
    .replace(/(?:以上|或以上)$/, '')
    .trim();
  if (/^(?:永久|永久保存|permanent|permanently|forever|indefinite|indefinitely|unlimited)$/i.test(value)) {
    return { amount: Number.POSITIVE_INFINITY, unit: 'year', isUnlimited: true };
  }
  const match = /^(\d+(?:\.\d+)?|[一二兩三四五六七八九十〇零]+)\s*([a-z\u4e00-\u9fff]*)\.?$/i.exec(value);
  if (!match) {
    return undefined;
  }
  const amount = /^\d/.test(match[1]) ? Number(match[1]) : readChineseNumber(match[1]);
  if (amount === undefined || !Number.isFinite(amount)) {
    return undefined;
  }
  if (match[2] === '') {
    return defaultUnit === undefined ? undefined : { amount, unit: defaultUnit, isUnlimited: false };
  }
  const unit = /^m$/i.test(match[2]) ? mMeans : UNIT_WORDS.find(([pattern]) => pattern.test(match[2]))?.[1];
  return unit === undefined ? undefined : { amount, unit, isUnlimited: false };
}

const MINUTES_PER_UNIT: Record<DurationUnit, number> = {
  minute: 1,
  hour: 60,
  day: 1440,
  week: 10_080,
  month: (365 / 12) * 1440,
  year: 365 * 1440,
};

/** A duration in minutes (a month is 365/12 days, a year 365 days). */
export function durationToMinutes(duration: Duration): number {
  return duration.isUnlimited ? Number.POSITIVE_INFINITY : duration.amount * MINUTES_PER_UNIT[duration.unit];
}

export function durationToDays(duration: Duration): number {
  return durationToMinutes(duration) / 1440;
}

/** "3 年 / 3 years"-style text for messages. */
export function describeDuration(duration: Duration): { zh: string; en: string } {
  if (duration.isUnlimited) {
    return { zh: '永久', en: 'permanent' };
  }
  const zhUnits: Record<DurationUnit, string> = { minute: '分鐘', hour: '小時', day: '天', week: '週', month: '個月', year: '年' };
  return {
    zh: `${duration.amount} ${zhUnits[duration.unit]}`,
    en: `${duration.amount} ${duration.unit}${duration.amount === 1 ? '' : 's'}`,
  };
}

/** Minutes as "N 天 / N days" or "N 小時 / N hours" for messages. */
export function describeMinutes(minutes: number): { zh: string; en: string } {
  if (minutes >= 1440 && Number.isInteger(minutes / 1440)) {
    return { zh: `${minutes / 1440} 天`, en: `${minutes / 1440} days` };
  }
  if (minutes >= 60 && Number.isInteger(minutes / 60)) {
    return { zh: `${minutes / 60} 小時`, en: `${minutes / 60} hours` };
  }
  const rounded = Math.round(minutes * 10) / 10;
  return { zh: `${rounded} 分鐘`, en: `${rounded} minutes` };
}

export interface ResultParts {
  check: string;
  checkVersion: string;
  items: string[];
  findings: Finding[];
  stats: Record<string, number | string>;
  summary: (status: CheckResult['status']) => { zh: string; en: string };
}

export function buildResult(parts: ResultParts): CheckResult {
  const status = statusFromFindings(parts.findings);
  const summary = parts.summary(status);
  return {
    check: parts.check,
    checkVersion: parts.checkVersion,
    status,
    evaluatedAt: new Date().toISOString(),
    summary: summary.zh,
    summaryEn: summary.en,
    findings: parts.findings,
    items: parts.items,
    stats: parts.stats,
  };
}

/** Counts findings by status for summaries and stats. */
export function countFindings(findings: Finding[]): Record<Finding['status'], number> {
  const counts = { fail: 0, warning: 0, unknown: 0, info: 0 };
  for (const finding of findings) {
    counts[finding.status] += 1;
  }
  return counts;
}

/** Splits a list cell: `disk; tape, cloud` / `disk/tape` / `磁碟、磁帶`. */
export function splitList(text: string | undefined): string[] {
  if (text === undefined) {
    return [];
  }
  return text
    .split(/[;,、，；/|+\n]/)
    .map((part) => part.trim())
    .filter((part) => part !== '');
}
