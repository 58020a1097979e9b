import { describe, expect, it } from 'vitest';
import { CronSyntaxError, findPreviousOccurrence, isScheduleDue, parseCron } from './cron-schedule.ts';

/** A Taiwan wall-clock time as an instant. */
const taipei = (text: string) => new Date(`${text}+08:00`);

describe('cron schedules in Taiwan time', () => {
  it.each([
    ['0 2 * * *', '2026-03-10T10:00:00', '2026-03-10T02:00:00'],
    ['0 2 * * *', '2026-03-10T01:59:00', '2026-03-09T02:00:00'],
    ['*/15 * * * *', '2026-03-10T10:44:30', '2026-03-10T10:30:00'],
    ['30 9 * * 1', '2026-03-12T12:00:00', '2026-03-09T09:30:00'],
    ['0 0 1 1,7 *', '2026-05-01T00:00:00', '2026-01-01T00:00:00'],
    ['0 8 15 * 0', '2026-03-16T09:00:00', '2026-03-15T08:00:00'],
  ])('%s before %s fires at %s', (expression, at, expected) => {
    expect(findPreviousOccurrence(parseCron(expression), taipei(at))?.toISOString()).toBe(taipei(expected).toISOString());
  });

  it('is due once per occurrence', () => {
    const schedule = parseCron('0 2 * * *');
    const created = taipei('2026-03-09T12:00:00');
    expect(isScheduleDue(schedule, created, taipei('2026-03-10T01:00:00'))).toBe(false);
    expect(isScheduleDue(schedule, created, taipei('2026-03-10T02:00:30'))).toBe(true);
    expect(isScheduleDue(schedule, taipei('2026-03-10T02:00:40'), taipei('2026-03-10T23:00:00'))).toBe(false);
  });

  it.each(['* * * *', '60 * * * *', '0 24 * * *', 'a b c d e', '0 0 0 * *', '5-1 * * * *'])('rejects %j', (expression) => {
    expect(() => parseCron(expression)).toThrow(CronSyntaxError);
  });
});
