import { describe, expect, it } from 'vitest';
import { buildInspectionPeriods } from './periods.ts';

describe('buildInspectionPeriods', () => {
  it('12 monthly periods for a calendar fiscal year, due at the end of the following month', () => {
    const periods = buildInspectionPeriods(2024, 'monthly', '12-31');
    expect(periods.map((period) => period.id)).toEqual([
      '2024-01', '2024-02', '2024-03', '2024-04', '2024-05', '2024-06',
      '2024-07', '2024-08', '2024-09', '2024-10', '2024-11', '2024-12',
    ]);
    expect(periods[1]).toEqual({ id: '2024-02', cycle: 'monthly', start: '2024-02-01', end: '2024-02-29', due: '2024-03-31' });
    expect(periods[0].due).toBe('2024-02-29');
    expect(periods[11]).toMatchObject({ start: '2024-12-01', end: '2024-12-31', due: '2025-01-31' });
  });

  it('two half-years and one year', () => {
    expect(buildInspectionPeriods(2023, 'semiannual')).toEqual([
      { id: '2023-H1', cycle: 'semiannual', start: '2023-01-01', end: '2023-06-30', due: '2023-07-31' },
      { id: '2023-H2', cycle: 'semiannual', start: '2023-07-01', end: '2023-12-31', due: '2024-01-31' },
    ]);
    expect(buildInspectionPeriods(2023, 'annual')).toEqual([
      { id: '2023', cycle: 'annual', start: '2023-01-01', end: '2023-12-31', due: '2024-01-31' },
    ]);
  });

  it('a fiscal year ending 06-30 is named by the year it ends in', () => {
    const halves = buildInspectionPeriods(2024, 'semiannual', '06-30');
    expect(halves.map(({ id, start, end }) => [id, start, end])).toEqual([
      ['2024-H1', '2023-07-01', '2023-12-31'],
      ['2024-H2', '2024-01-01', '2024-06-30'],
    ]);
    const months = buildInspectionPeriods(2024, 'monthly', '06-30');
    expect(months[0].id).toBe('2023-07');
    expect(months[11].id).toBe('2024-06');
    expect(buildInspectionPeriods(2024, 'annual', '06-30')[0]).toMatchObject({ start: '2023-07-01', end: '2024-06-30', due: '2024-07-31' });
  });

  it('a fiscal year ending in February ends on the 29th in leap years', () => {
    expect(buildInspectionPeriods(2024, 'annual', '02-28')[0]).toMatchObject({ start: '2023-03-01', end: '2024-02-29' });
    expect(buildInspectionPeriods(2023, 'annual', '02-29')[0]).toMatchObject({ start: '2022-03-01', end: '2023-02-28' });
  });

  it('quarters', () => {
    expect(buildInspectionPeriods(2024, 'quarterly', '03-31').map(({ id, end }) => [id, end])).toEqual([
      ['2024-Q1', '2023-06-30'],
      ['2024-Q2', '2023-09-30'],
      ['2024-Q3', '2023-12-31'],
      ['2024-Q4', '2024-03-31'],
    ]);
  });
});
