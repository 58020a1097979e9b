/**
 * Small calendar helpers shared by the eol, logs, backup, training and cadence checks.
 * Dates are plain `YYYY-MM-DD` strings in UTC; instants are epoch milliseconds. No date library:
 * the arithmetic needed here is day counts and month steps on the proleptic Gregorian calendar.
 */

const MS_PER_DAY = 86_400_000;

function isValidCalendarDate(year: number, month: number, day: number): boolean {
  if (!Number.isInteger(year) || year < 1 || year > 9999 || month < 1 || month > 12 || day < 1) {
    return false;
  }
  return day <= daysInMonth(year, month);
}

/** Epoch milliseconds of a UTC calendar day; unlike Date.UTC, years 0–99 are not shifted to 19xx. */
function utcMs(year: number, monthIndex: number, day: number): number {
  const value = new Date(0);
  value.setUTCFullYear(year, monthIndex, day);
  return value.getTime();
}

function daysInMonth(year: number, month: number): number {
  return new Date(utcMs(year, month, 0)).getUTCDate();
}

function formatParts(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * Reads a calendar date as users write it and returns `YYYY-MM-DD`, or null when the text is not a
 * valid date. Accepts `2024-01-31`, `2024/1/31`, `2024.01.31`, `2024年1月31日`, an ISO date-time (the
 * date part), and Republic-of-China years (`112/01/31`, `民國112年1月31日`, year ≤ 3 digits → +1911).
 */
export function parseDate(text: string): string | null {
  const trimmed = text.trim().replace(/^民國\s*/, '');
  const match = /^(\d{2,4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:$|[T\s]\d{1,2}:\d{2})/.exec(trimmed);
  if (!match) {
    return null;
  }
  let year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (match[1].length <= 3) {
    year += 1911;
  }
  return isValidCalendarDate(year, month, day) ? formatParts(year, month, day) : null;
}

/** Days since 1970-01-01 for a `YYYY-MM-DD` date. */
export function toDayNumber(date: string): number {
  const [year, month, day] = date.split('-').map(Number);
  return Math.floor(utcMs(year, month - 1, day) / MS_PER_DAY);
}

export function fromDayNumber(dayNumber: number): string {
  const value = new Date(dayNumber * MS_PER_DAY);
  return formatParts(value.getUTCFullYear(), value.getUTCMonth() + 1, value.getUTCDate());
}

export function addDays(date: string, days: number): string {
  return fromDayNumber(toDayNumber(date) + days);
}

/** Adds calendar months; the day is clamped to the target month's length (01-31 + 1 month → 02-28/29). */
export function addMonths(date: string, months: number): string {
  const [year, month, day] = date.split('-').map(Number);
  const monthIndex = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(monthIndex / 12);
  const targetMonth = (monthIndex % 12) + 1;
  return formatParts(targetYear, targetMonth, Math.min(day, daysInMonth(targetYear, targetMonth)));
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return toDayNumber(to) - toDayNumber(from);
}

export function yearOf(date: string): number {
  return Number(date.slice(0, 4));
}

/** Today's date in UTC. The only place these checks read the clock. */
export function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}

export interface Instant {
  /** Epoch milliseconds. */
  ms: number;
  /** True when the text had only a date (no time of day). */
  isDateOnly: boolean;
  /** The calendar date (UTC) of the instant. */
  date: string;
}

/**
 * Reads a date or a date-time. A time without a zone is taken as UTC; `Z` and `±hh:mm` offsets are
 * honoured. Returns null when unreadable.
 */
export function parseInstant(text: string): Instant | null {
  const trimmed = text.trim();
  const date = parseDate(trimmed);
  if (date === null) {
    return null;
  }
  const time = /[T\s](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i.exec(trimmed);
  if (!time) {
    if (/[T\s]\d{1,2}:\d{2}/.test(trimmed)) {
      return null;
    }
    return { ms: toDayNumber(date) * MS_PER_DAY, isDateOnly: true, date };
  }
  const hours = Number(time[1]);
  const minutes = Number(time[2]);
  const seconds = time[3] === undefined ? 0 : Number(time[3]);
  if (hours > 23 || minutes > 59 || seconds > 59) {
    return null;
  }
  let offsetMinutes = 0;
  const zone = time[4];
  if (zone !== undefined && zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    offsetMinutes = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2)));
  }
  const ms = toDayNumber(date) * MS_PER_DAY + ((hours * 60 + minutes - offsetMinutes) * 60 + seconds) * 1000;
  return { ms, isDateOnly: false, date: new Date(ms).toISOString().slice(0, 10) };
}
