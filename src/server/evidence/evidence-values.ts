/** Small conversions shared by the evidence, campaign and deficiency services. */

/** Today's date in Taiwan (UTC+8), YYYY-MM-DD: the day a user in Taipei would name. */
export function todayInTaipei(now: Date = new Date()): string {
  return new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** A timestamp column (Date from pg, string from some drivers) as ISO 8601, or null. */
export function toIsoTime(value: Date | string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  return (value instanceof Date ? value : new Date(value)).toISOString();
}

/** YYYY-MM-DD plus whole years (29 February becomes 28 February in a common year). */
export function addYears(day: string, years: number): string {
  const [year, month, date] = day.split('-').map(Number);
  const result = new Date(Date.UTC(year + years, month - 1, date));
  if (result.getUTCMonth() !== month - 1) result.setUTCDate(0);
  return result.toISOString().slice(0, 10);
}

/** YYYY-MM-DD plus whole days. */
export function addDays(day: string, days: number): string {
  const result = new Date(`${day}T00:00:00Z`);
  result.setUTCDate(result.getUTCDate() + days);
  return result.toISOString().slice(0, 10);
}
