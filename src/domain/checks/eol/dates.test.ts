import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, addMonths, daysBetween, fromDayNumber, parseDate, parseInstant, toDayNumber } from './dates.ts';

describe('parseDate', () => {
  it.each([
    ['2024-01-31', '2024-01-31'],
    ['2024/1/5', '2024-01-05'],
    ['2024.12.01', '2024-12-01'],
    ['2024年2月29日', '2024-02-29'],
    ['  2024-03-01T10:00:00Z ', '2024-03-01'],
    ['2024-03-01 08:30', '2024-03-01'],
    ['112/01/31', '2023-01-31'],
    ['民國112年1月31日', '2023-01-31'],
    ['99/12/31', '2010-12-31'],
  ])('reads %j as %s', (text, expected) => {
    expect(parseDate(text)).toBe(expected);
  });

  it.each(['2023-02-29', '2024-13-01', '2024-00-10', '2024-01-32', 'yesterday', '', '2024-01', '31/01/2024', '2024-01-31x'])(
    'rejects %j',
    (text) => {
      expect(parseDate(text)).toBeNull();
    },
  );

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const result = parseDate(text);
        expect(result === null || /^\d{4}-\d{2}-\d{2}$/.test(result)).toBe(true);
      }),
    );
  });
});

describe('calendar arithmetic', () => {
  it.each([
    ['2024-01-31', 1, '2024-02-29'],
    ['2023-01-31', 1, '2023-02-28'],
    ['2024-08-31', 6, '2025-02-28'],
    ['2024-03-15', -3, '2023-12-15'],
    ['2024-02-29', 12, '2025-02-28'],
  ])('addMonths(%s, %i) = %s', (date, months, expected) => {
    expect(addMonths(date, months)).toBe(expected);
  });

  it('counts days across leap years', () => {
    expect(daysBetween('2023-01-01', '2024-01-01')).toBe(365);
    expect(daysBetween('2024-01-01', '2025-01-01')).toBe(366);
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(daysBetween('2024-05-02', '2024-05-01')).toBe(-1);
  });

  it('round-trips day numbers', () => {
    fc.assert(
      fc.property(fc.integer({ min: -700_000, max: 2_900_000 }), (day) => {
        expect(toDayNumber(fromDayNumber(day))).toBe(day);
      }),
    );
  });
});

describe('parseInstant', () => {
  it('honours offsets and treats a bare time as UTC', () => {
    expect(parseInstant('2024-05-01T02:00:00+08:00')?.date).toBe('2024-04-30');
    expect(parseInstant('2024-05-01 02:00')?.ms).toBe(Date.UTC(2024, 4, 1, 2, 0));
    expect(parseInstant('2024-05-01')).toMatchObject({ isDateOnly: true, ms: Date.UTC(2024, 4, 1) });
  });

  it.each(['2024-05-01T25:00', '2024-05-01 12:61', 'soon'])('rejects %j', (text) => {
    expect(parseInstant(text)).toBeNull();
  });
});
