import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CheckInputError } from '../types.ts';
import { trainingCheck } from './index.ts';

const HEADER = 'person,role,course,hours,date,passed';

async function runTraining(records: string[], options: { roster?: string; at?: string; year?: number } = {}) {
  const inputs = [{ name: 'training.csv', text: `${HEADER}\n${records.join('\n')}\n` }];
  if (options.roster !== undefined) {
    inputs.push({ name: 'roster.csv', text: options.roster });
  }
  return trainingCheck.run(inputs, { at: options.at ?? '2025-03-01', year: options.year });
}

function rulesOf(result: Awaited<ReturnType<typeof runTraining>>): [string, string][] {
  return result.findings.map((finding) => [finding.rule, finding.status]);
}

describe('training check', () => {
  it.each([
    [['王小明,資安專責人員,ISO 27001 LA,15,2024-05-01,通過'], []],
    [['王小明,資安專責人員,ISO 27001 LA,9,2024-05-01,通過', '王小明,資安專責人員,CEH,6,2024-10-01,yes'], []],
    [['王小明,資安專責人員,ISO 27001 LA,14.5,2024-05-01,通過'], [['training.security-hours-short', 'fail']]],
    [['王小明,Security Officer,CISSP,20,2024-05-01,未通過'], [['training.security-hours-short', 'fail']]],
    [['王小明,資安主管,CISSP,20,2024-05-01,'], [['training.security-assessment-unknown', 'unknown']]],
    [['陳大華,營業員,資安宣導,3,2024-03-01,'], []],
    [['陳大華,營業員,資安宣導,1.5,2024-03-01,', '陳大華,營業員,資安宣導,1.5,2024-09-01,'], []],
    [['陳大華,營業員,資安宣導,2,2024-03-01,'], [['training.staff-hours-short', 'fail']]],
    [['陳大華,,資安宣導,5,2024-03-01,'], [['training.role-unknown', 'unknown']]],
    [['陳大華,,資安宣導,2,2024-03-01,'], [['training.staff-hours-short', 'fail']]],
    [['陳大華,,資安專業,16,2024-03-01,yes'], []],
    [['陳大華,營業員,資安宣導,3h,2024-03-01,'], []],
    [['陳大華,營業員,資安宣導,90 分鐘,2024-03-01,'], [['training.staff-hours-short', 'fail']]],
  ])('%j → %j', async (records, expected) => {
    expect(rulesOf(await runTraining(records))).toEqual(expected);
  });

  it('evaluates each calendar year separately and warns while the year is still running', async () => {
    const result = await runTraining(['陳大華,營業員,宣導,3,2023-03-01,', '陳大華,營業員,宣導,1,2024-03-01,', '陳大華,營業員,宣導,1,2025-02-01,']);
    expect(result.findings.map((finding) => [finding.location.subject, finding.status])).toEqual([
      ['陳大華 (2024)', 'fail'],
      ['陳大華 (2025)', 'warning'],
    ]);
    expect(result.stats).toMatchObject({ years: '2023,2024,2025', personYears: 3 });
  });

  it('fails roster people without records and notes records of people not on the roster', async () => {
    const roster = '姓名,職稱\n王小明,資安專責人員\n陳大華,營業員\n林美玲,會計\n';
    const result = await runTraining(['王小明,,ISO 27001,15,2024-05-01,通過', '陳大華,,宣導,3,2024-03-01,', '張三,,宣導,3,2024-03-01,'], { roster, year: 2024 });
    expect(result.findings.map((finding) => [finding.rule, finding.status, finding.location])).toEqual([
      ['training.no-records', 'fail', { file: 'roster.csv', line: 4, subject: '林美玲 (2024)' }],
      ['training.not-in-roster', 'info', { file: 'training.csv', line: 4, subject: '張三' }],
    ]);
  });

  it('takes the role from the roster over the records', async () => {
    const roster = 'name,role\n王小明,資安專責人員\n';
    const result = await runTraining(['王小明,營業員,宣導,3,2024-05-01,'], { roster, year: 2024 });
    expect(rulesOf(result)).toEqual([['training.security-hours-short', 'fail']]);
    expect(result.findings[0].items).toEqual(['CSIM:3.3']);
    expect(result.findings[0].message).toContain('十五小時以上資訊安全專業課程訓練');
  });

  it('ignores records dated after the evaluation date', async () => {
    const result = await runTraining(['陳大華,營業員,宣導,3,2024-12-15,'], { at: '2024-12-01', year: 2024 });
    expect(rulesOf(result)).toEqual([['training.no-records', 'warning']]);
  });

  it.each([
    [['王小明,資安,課程,fifteen,2024-05-01,yes'], 2],
    [['王小明,資安,課程,15,2024-05-01,yes', '王小明,資安,課程,15,May 2024,yes'], 3],
    [['王小明,資安,課程,15,2024-05-01,maybe'], 2],
    [[',資安,課程,15,2024-05-01,yes'], 2],
  ])('rejects malformed records %j at line %i', async (records, line) => {
    const error = await runTraining(records).catch((caught) => caught);
    expect(error).toBeInstanceOf(CheckInputError);
    expect(error).toMatchObject({ file: 'training.csv', line });
  });

  it('needs a records file with hours and dates', async () => {
    await expect(trainingCheck.run([{ name: 'roster.csv', text: 'name\nA\n' }], {})).rejects.toBeInstanceOf(CheckInputError);
    await expect(trainingCheck.run([{ name: 't.csv', text: 'name,hours\nA,3\n' }], {})).rejects.toMatchObject({ line: 1 });
  });

  it('never fails other than with CheckInputError on random records', async () => {
    const cell = fc.string({ maxLength: 15 }).map((text) => text.replace(/"/g, ''));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(cell, { minLength: 6, maxLength: 6 }), { maxLength: 4 }), async (rows) => {
        try {
          const result = await runTraining(rows.map((cells) => cells.map((value) => `"${value}"`).join(',')));
          expect(['pass', 'fail', 'warning']).toContain(result.status);
        } catch (error) {
          expect(error).toBeInstanceOf(CheckInputError);
        }
      }),
      { numRuns: 300 },
    );
  });
});
