import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { CheckInputError, type CheckResult } from '../types.ts';
import { appReportCheck, createAppReportCheck, renderSelfCheckCsv } from './index.ts';
import type { MasItemInput, SelfCheckRow } from './evaluate-app-report.ts';

function buildMasItem(number: number, levels: string, fields: Partial<MasItemInput> = {}): MasItemInput {
  return {
    number,
    requirementCode: `4.1.${number}.1.${number}.`,
    category: 'category',
    text: `requirement ${number}`,
    levels: { L1: levels.includes('1'), L2: levels.includes('2'), L3: levels.includes('3'), F: levels.includes('F') },
    ...fields,
  };
}

// 1: L1 L2 L3; 2: F only; 3: L2 L3; 4: L3 only.
const MAS = [buildMasItem(1, '123'), buildMasItem(2, 'F'), buildMasItem(3, '23'), buildMasItem(4, '3')];

async function runReport(csv: string, options: Record<string, unknown> = {}): Promise<CheckResult> {
  return appReportCheck.run([{ name: 'report.csv', text: csv }], { masItems: MAS, level: 'L2', ...options });
}

function tableOf(result: CheckResult): SelfCheckRow[] {
  return (result.findings.find((finding) => finding.rule === 'app-report.self-check-table')?.detail?.table ?? []) as SelfCheckRow[];
}

describe('app-report check', () => {
  it.each([
    ['L1', [1]],
    ['L2', [1, 3]],
    ['L3', [1, 3, 4]],
    ['L1+F', [1, 2]],
    ['l3 f', [1, 2, 3, 4]],
  ])('requires the items of level %s', async (level, numbers) => {
    const result = await runReport('number,result\n', { level });
    expect(tableOf(result).map((row) => row.number)).toEqual(numbers);
    expect(result.findings.filter((finding) => finding.rule === 'app-report.not-tested').map((finding) => finding.items[0])).toEqual(
      numbers.map((number) => `MAS:${number}`),
    );
  });

  it('builds the self-check table with 符合/不符合/不適用/未檢測 and findings for every gap', async () => {
    const result = await runReport('編號,檢測結果,備註\n1,符合,\n4,fail,\n3,不適用,無密碼登入功能\n');
    expect(tableOf(result).map((row) => [row.number, row.result])).toEqual([
      [1, '符合'],
      [3, '不適用'],
    ]);
    expect(result.findings.map((finding) => [finding.rule, finding.status, finding.location.line])).toEqual([
      ['app-report.self-check-table', 'info', undefined],
      ['app-report.not-applicable', 'warning', 4],
      ['app-report.not-required', 'info', 3],
    ]);
    expect(result.status).toBe('warning');
    expect(result.stats).toMatchObject({ level: 'L2', required: 2, passed: 1, notApplicable: 1, notRequiredTested: 1 });
  });

  it('fails missing and failed required items, citing the MAS row and ETECH 6.3.3.3', async () => {
    const result = await runReport('requirement_code,result\n4.1.1.1.1.,fail\n');
    expect(result.status).toBe('fail');
    const failures = result.findings.filter((finding) => finding.status === 'fail');
    expect(failures.map((finding) => [finding.rule, finding.items])).toEqual([
      ['app-report.failed', ['MAS:1', 'ETECH:6.3.3.3']],
      ['app-report.not-tested', ['MAS:3', 'ETECH:6.3.3.3']],
    ]);
    expect(failures[1].message).toContain('應依附錄所列檢測項目建立覆核機制');
  });

  it('keeps the worst result when an item appears twice and flags unknown or inconsistent rows', async () => {
    const result = await runReport('number,requirement_code,result\n1,,pass\n1,,fail\n3,4.1.1.1.1,pass\n99,,pass\n');
    expect(tableOf(result).map((row) => [row.number, row.result])).toEqual([
      [1, '不符合'],
      [3, '符合'],
    ]);
    expect(result.findings.filter((finding) => finding.status === 'warning').map((finding) => [finding.rule, finding.location.line])).toEqual([
      ['app-report.number-code-mismatch', 4],
      ['app-report.unknown-item', 5],
    ]);
  });

  it('reads a JSON report and binds items through the factory', async () => {
    const check = createAppReportCheck(MAS.map((item) => ({ ...item, number: undefined, path: String(item.number) })));
    const text = JSON.stringify({ results: [{ no: '#1', result: 'PASS' }, { 項次: '第3項', 結果: '通過' }] }, null, 2);
    const result = await check.run([{ name: 'report.json', text }], { level: 'L2' });
    expect(result.status).toBe('pass');
    expect(tableOf(result).every((row) => row.result === '符合')).toBe(true);
  });

  it('renders the table as CSV for the review record', async () => {
    const result = await runReport('number,result\n1,pass\n3,"fail"\n');
    const csv = renderSelfCheckCsv(tableOf(result));
    expect(csv.split('\r\n')).toEqual([
      '\uFEFF編號,檢測項目,技術要求編號,技術要求,必要等級,檢核結果,備註',
      '1,category,4.1.1.1.1,requirement 1,L1 L2 L3,符合,',
      '3,category,4.1.3.1.3,requirement 3,L2 L3,不符合,',
      '',
    ]);
  });

  it('works with the catalog MAS file (42 items; 23/29/35 required at L1/L2/L3, 6 F)', async () => {
    const file = parseYaml(readFileSync(new URL('../../../../catalog/mas/3.2.yaml', import.meta.url), 'utf8')) as { items: MasItemInput[] };
    const check = createAppReportCheck(file.items);
    const counts = [];
    for (const level of ['L1', 'L2', 'L3', 'L1+F']) {
      const result = await check.run([{ name: 'r.csv', text: 'number,result\n' }], { level });
      counts.push(result.stats.required);
    }
    expect(file.items).toHaveLength(42);
    expect(counts).toEqual([23, 29, 35, 29]);
  });

  it.each([
    ['number,result\n1,maybe\n', 2],
    ['number,result\n1,pass\nfirst,pass\n', 3],
    ['requirement_code,result\nabc,pass\n', 2],
    ['number,result\n1,\n', 2],
    ['note,result\nx,pass\n', 1],
  ])('rejects malformed report %j at line %i', async (csv, line) => {
    await expect(runReport(csv)).rejects.toMatchObject({ name: 'CheckInputError', file: 'report.csv', line });
  });

  it.each([
    [{ level: 'L4' }, 'options.level'],
    [{ level: undefined }, 'options.level'],
    [{ masItems: [] }, 'options.masItems'],
    [{ masItems: [{ number: 'x', levels: {} }] }, 'options.masItems'],
  ])('rejects bad options %j', async (options, file) => {
    await expect(runReport('number,result\n1,pass\n', options)).rejects.toMatchObject({ name: 'CheckInputError', file });
  });

  it('never fails other than with CheckInputError on random reports', async () => {
    const cell = fc.string({ maxLength: 12 }).map((text) => text.replace(/"/g, ''));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(cell, cell, cell), { maxLength: 6 }), async (rows) => {
        const csv = `number,requirement_code,result\n${rows.map((cells) => cells.map((value) => `"${value}"`).join(',')).join('\n')}\n`;
        try {
          const result = await runReport(csv);
          expect(tableOf(result)).toHaveLength(2);
        } catch (error) {
          expect(error).toBeInstanceOf(CheckInputError);
        }
      }),
      { numRuns: 300 },
    );
  });
});
