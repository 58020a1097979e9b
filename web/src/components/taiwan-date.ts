/** Today's date in Taiwan (UTC+8, no daylight saving), YYYY-MM-DD: the day the server counts with. */
export function todayInTaipei(now = new Date()): string {
  return new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}
