import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CheckInputError } from '../types.ts';
import { durationToDays, durationToMinutes, parseDuration, resolveEvaluationDate, resolveEvaluationInstant, splitList } from './check-support.ts';

describe('parseDuration', () => {
  it.each([
    ['3y', 3 * 365],
    ['3 years', 3 * 365],
    ['1095 days', 1095],
    ['36 個月', 1095],
    ['36個月', 1095],
    ['3年', 3 * 365],
    ['三年', 3 * 365],
    ['十八個月', 18 * (365 / 12)],
    ['至少 3 年', 3 * 365],
    ['3年以上', 3 * 365],
    ['1.5 years', 1.5 * 365],
    ['36m', 1095],
    ['２年', 730],
    ['52 weeks', 364],
  ])('reads %j as %f days', (text, days) => {
    const duration = parseDuration(text);
    expect(duration).toBeDefined();
    expect(durationToDays(duration!)).toBeCloseTo(days, 5);
  });

  it('reads time units for RPOs', () => {
    expect(durationToMinutes(parseDuration('4h')!)).toBe(240);
    expect(durationToMinutes(parseDuration('15 分鐘')!)).toBe(15);
    expect(durationToMinutes(parseDuration('15m', { mMeans: 'minute' })!)).toBe(15);
    expect(durationToMinutes(parseDuration('24', { defaultUnit: 'hour' })!)).toBe(1440);
  });

  it('reads permanent retention', () => {
    expect(parseDuration('永久')?.isUnlimited).toBe(true);
    expect(durationToDays(parseDuration('forever')!)).toBe(Number.POSITIVE_INFINITY);
  });

  it.each(['', 'three years', '3 fortnights', '-3y', '3', 'y', '3 y y'])('returns undefined for %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  it('never throws on random text', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const duration = parseDuration(text);
        expect(duration === undefined || duration.amount >= 0).toBe(true);
      }),
    );
  });
});

describe('evaluation date', () => {
  it('uses options.at and rejects garbage with the option as location', () => {
    expect(resolveEvaluationDate('2024-06-30')).toBe('2024-06-30');
    expect(() => resolveEvaluationDate('June')).toThrow(CheckInputError);
    expect(resolveEvaluationInstant('2024-06-30').ms).toBe(Date.UTC(2024, 5, 30, 23, 59, 59, 999));
  });
});

describe('splitList', () => {
  it('splits on the separators people use', () => {
    expect(splitList('disk; tape, cloud')).toEqual(['disk', 'tape', 'cloud']);
    expect(splitList('磁碟、磁帶')).toEqual(['磁碟', '磁帶']);
    expect(splitList(undefined)).toEqual([]);
  });
});
