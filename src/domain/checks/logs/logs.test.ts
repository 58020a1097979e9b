import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CheckInputError } from '../types.ts';
import { logsCheck } from './index.ts';

async function runLogs(csv: string, at = '2024-07-01') {
  return logsCheck.run([{ name: 'systems.csv', text: csv }], { at });
}

function rulesOf(result: Awaited<ReturnType<typeof runLogs>>): (string | undefined)[] {
  return result.findings.map((finding) => finding.rule);
}

describe('logs check', () => {
  it.each([
    ['3y', []],
    ['3 years', []],
    ['1095 days', []],
    ['1095', []],
    ['36 個月', []],
    ['3年', []],
    ['永久', []],
    ['五年', []],
    ['2y', ['logs.retention-short']],
    ['1094 days', ['logs.retention-short']],
    ['35 個月', ['logs.retention-short']],
    ['180d', ['logs.retention-short']],
    ['', ['logs.retention-unknown']],
  ])('retention %j → %j', async (retention, rules) => {
    const result = await runLogs(`system,retention\ncore,${retention}\n`);
    expect(rulesOf(result)).toEqual(rules);
  });

  it('fails with the rule text matching the log type', async () => {
    const result = await runLogs('system,type,retention\nfw-1,防火牆,1y\nsw-1,switch,1y\ncore,application,1y\n');
    expect(result.status).toBe('fail');
    expect(result.findings.map((finding) => finding.items)).toEqual([
      ['CSIM:7.1.b.c', 'NET:4.3'],
      ['NET:4.3', 'CSIM@112:7.1.b.c'],
      ['CSIM:8.4.c'],
    ]);
    expect(result.findings[0].message).toContain('防火牆進出紀錄及其備份應至少保存三年');
    expect(result.findings[2].message).toContain('至少留存三年');
    expect(result.findings[1].location).toEqual({ file: 'systems.csv', line: 3, subject: 'sw-1' });
  });

  it.each([
    // oldest log, in service since, retention → rules
    ['2021-07-01', '', '3y', []],
    ['2021-07-25', '', '3y', []],
    ['2023-01-01', '', '3y', ['logs.evidence-short']],
    ['2023-01-01', '', '', ['logs.evidence-short']],
    ['2023-01-01', '2023-01-01', '3y', []],
    ['2023-06-01', '2023-01-01', '3y', ['logs.evidence-short']],
    ['2021-01-01', '', '', []],
    ['2020-01-01', '', '7y', ['logs.evidence-contradicts-claim']],
    ['2023-01-01', '', '1y', ['logs.retention-short']],
  ])('oldest log %s (since %s, retention %s) → %j', async (oldest, since, retention, rules) => {
    const result = await runLogs(`system,retention,oldest_log,in_service_since\ncore,${retention},${oldest},${since}\n`);
    expect(rulesOf(result)).toEqual(rules);
  });

  it('reads JSON with Chinese keys', async () => {
    const text = JSON.stringify({ systems: [{ 系統名稱: '下單系統', 保存期限: '2 年', 最早日誌日期: '2022-08-01' }] }, null, 2);
    const result = await logsCheck.run([{ name: 'logs.json', text }], { at: '2024-07-01' });
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]).toMatchObject({ rule: 'logs.retention-short', location: { line: 3, subject: '下單系統' } });
    expect(result.stats).toMatchObject({ systems: 1, short: 1 });
  });

  it.each([
    ['system,retention\ncore,a while\n', 2],
    ['system,retention,oldest_log\ncore,3y\nweb,3y,last spring\n', 3],
    ['retention\n3y\n', 1],
    ['system,retention\n"core,3y\n', 2],
  ])('rejects malformed input %j at line %i', async (csv, line) => {
    const error = await runLogs(csv).catch((caught) => caught);
    expect(error).toBeInstanceOf(CheckInputError);
    expect(error).toMatchObject({ file: 'systems.csv', line });
  });

  it('never fails other than with CheckInputError on random rows', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 30 }), fc.string({ maxLength: 30 }), async (retention, oldest) => {
        const csv = `system,retention,oldest_log\n"s","${retention.replace(/"/g, '""')}","${oldest.replace(/"/g, '""')}"\n`;
        try {
          const result = await runLogs(csv);
          expect(['pass', 'fail', 'warning']).toContain(result.status);
        } catch (error) {
          expect(error).toBeInstanceOf(CheckInputError);
        }
      }),
      { numRuns: 300 },
    );
  });
});
