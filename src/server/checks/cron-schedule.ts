/**
 * Five-field cron expressions (minute hour day-of-month month day-of-week) for scheduled checks, read in
 * Taiwan time (UTC+8, no daylight saving). Supports `*`, lists, ranges and steps (`*\/15`, `1-5`,
 * `0,30`); day-of-month and day-of-week follow cron's rule: when both are restricted, either may match.
 */
export interface CronSchedule {
  expression: string;
  minutes: Set<number>;
  hours: Set<number>;
  daysOfMonth: Set<number>;
  months: Set<number>;
  daysOfWeek: Set<number>;
  isDayOfMonthRestricted: boolean;
  isDayOfWeekRestricted: boolean;
}

export class CronSyntaxError extends Error {
  constructor(
    readonly expression: string,
    reason: string,
  ) {
    super(`排程格式錯誤「${expression}」：${reason} / invalid cron "${expression}": ${reason}`);
    this.name = 'CronSyntaxError';
  }
}

const TAIWAN_OFFSET_MS = 8 * 3600 * 1000;
const MINUTE_MS = 60_000;
const FIELDS = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12 },
  { name: 'day-of-week', min: 0, max: 7 },
] as const;

function parseField(expression: string, text: string, field: (typeof FIELDS)[number]): Set<number> {
  const values = new Set<number>();
  for (const part of text.split(',')) {
    const match = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
    if (!match) {
      throw new CronSyntaxError(expression, `${field.name} 欄位「${part}」無法解讀 / cannot read ${field.name} "${part}"`);
    }
    const step = match[4] ? Number(match[4]) : 1;
    const from = match[1] === '*' ? field.min : Number(match[2]);
    const to = match[1] === '*' ? field.max : match[3] !== undefined ? Number(match[3]) : match[4] ? field.max : from;
    if (step < 1 || from < field.min || to > field.max || from > to) {
      throw new CronSyntaxError(expression, `${field.name} 超出範圍 ${field.min}-${field.max} / ${field.name} out of range ${field.min}-${field.max}`);
    }
    for (let value = from; value <= to; value += step) {
      values.add(field.name === 'day-of-week' && value === 7 ? 0 : value);
    }
  }
  return values;
}

export function parseCron(expression: string): CronSchedule {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 5) {
    throw new CronSyntaxError(expression, '需要 5 個欄位（分 時 日 月 週） / expected 5 fields (minute hour day month weekday)');
  }
  const [minutes, hours, daysOfMonth, months, daysOfWeek] = parts.map((part, index) => parseField(expression, part, FIELDS[index]));
  return {
    expression,
    minutes,
    hours,
    daysOfMonth,
    months,
    daysOfWeek,
    isDayOfMonthRestricted: parts[2] !== '*',
    isDayOfWeekRestricted: parts[4] !== '*',
  };
}

function matchesDay(schedule: CronSchedule, local: Date): boolean {
  if (!schedule.months.has(local.getUTCMonth() + 1)) {
    return false;
  }
  const dom = schedule.daysOfMonth.has(local.getUTCDate());
  const dow = schedule.daysOfWeek.has(local.getUTCDay());
  if (schedule.isDayOfMonthRestricted && schedule.isDayOfWeekRestricted) {
    return dom || dow;
  }
  return dom && dow;
}

/** The latest minute at or before `at` when the schedule fires, looking back at most `lookBackDays`. */
export function findPreviousOccurrence(schedule: CronSchedule, at: Date, lookBackDays = 400): Date | null {
  let local = new Date(Math.floor((at.getTime() + TAIWAN_OFFSET_MS) / MINUTE_MS) * MINUTE_MS);
  const limit = local.getTime() - lookBackDays * 86_400_000;
  while (local.getTime() >= limit) {
    if (!matchesDay(schedule, local)) {
      // Jump to the last minute of the previous day.
      local = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate()) - MINUTE_MS);
      continue;
    }
    if (!schedule.hours.has(local.getUTCHours())) {
      local = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate(), local.getUTCHours()) - MINUTE_MS);
      continue;
    }
    if (schedule.minutes.has(local.getUTCMinutes())) {
      return new Date(local.getTime() - TAIWAN_OFFSET_MS);
    }
    local = new Date(local.getTime() - MINUTE_MS);
  }
  return null;
}

/** True when the schedule fired after `lastRunAt` (or ever, when it never ran) and at or before `now`. */
export function isScheduleDue(schedule: CronSchedule, lastRunAt: Date | null, now: Date): boolean {
  const previous = findPreviousOccurrence(schedule, now);
  return previous !== null && (lastRunAt === null || previous.getTime() > lastRunAt.getTime());
}
