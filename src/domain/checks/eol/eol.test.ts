import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CheckInputError, type CheckInput } from '../types.ts';
import { eolCheck } from './index.ts';
import { matchCycle, matchProduct, slugify } from './match-product.ts';
import { parseLifecycleFile } from './parse-lifecycle.ts';

function buildCycle(cycle: string, fields: Record<string, unknown> = {}): Record<string, unknown> {
  return { cycle, releaseDate: '2015-01-01', eol: false, ...fields };
}

function buildLifecycle(products: Record<string, Record<string, unknown>[]>): CheckInput {
  return { name: 'lifecycle.json', text: JSON.stringify(products, null, 2) };
}

const lifecycle = buildLifecycle({
  fortios: [
    buildCycle('7.4', { eol: '2027-05-11', support: '2025-11-11', latest: '7.4.8' }),
    buildCycle('7.0', { eol: '2024-09-30', support: '2023-03-30' }),
    buildCycle('6.4', { eol: '2023-09-30', support: true }),
  ],
  'windows-server': [
    buildCycle('2012-R2', { eol: '2023-10-10', support: '2018-10-09', extendedSupport: '2026-10-13' }),
    buildCycle('2012', { eol: '2023-10-10' }),
    buildCycle('2019', { eol: '2029-01-09', support: '2024-01-09' }),
    buildCycle('2022', { eol: '2031-10-14' }),
  ],
  rhel: [buildCycle('7', { eol: '2024-06-30' }), buildCycle('9', { eol: '2032-05-31' })],
  'cisco-ios-xe': [buildCycle('17.3', { eol: true }), buildCycle('17.9')],
});

async function runEol(inventoryCsv: string, options: Record<string, unknown> = {}) {
  return eolCheck.run([{ name: 'inventory.csv', text: inventoryCsv }, lifecycle], { at: '2024-07-01', ...options });
}

describe('product and cycle matching', () => {
  const products = ['fortios', 'windows-server', 'windows', 'rhel', 'mssqlserver'];
  it.each([
    [{ vendor: 'Fortinet', product: 'FortiOS' }, 'fortios', undefined],
    [{ vendor: 'Microsoft', product: 'Windows Server 2012 R2' }, 'windows-server', '2012-r2'],
    [{ product: 'microsoft windows server 2019' }, 'windows-server', '2019'],
    [{ product: 'WINDOWS 10' }, 'windows', '10'],
    [{ vendor: 'Red Hat', product: 'Enterprise Linux' }, 'rhel', undefined],
    [{ product: 'Red Hat Enterprise Linux 8' }, 'rhel', '8'],
    [{ product: 'SQL Server' }, 'mssqlserver', undefined],
    [{ product: 'Forti OS' }, 'fortios', undefined],
  ])('%j → %s', (row, product, versionFromName) => {
    const match = matchProduct(row, products);
    expect(match?.product).toBe(product);
    expect(match?.versionFromName).toBe(versionFromName);
  });

  it('returns nothing for unknown products and honours user aliases and explicit products', () => {
    expect(matchProduct({ product: 'Catalyst 9300' }, products)).toBeUndefined();
    expect(matchProduct({ product: 'FG-OS' }, products, { 'FG OS': 'FortiOS' })?.product).toBe('fortios');
    expect(matchProduct({ product: 'anything', lifecycleProduct: 'RHEL' }, products)?.product).toBe('rhel');
  });

  const cycles = [{ cycle: '7.4' }, { cycle: '7' }, { cycle: '2012-R2' }, { cycle: '2012' }, { cycle: '15.2' }, { cycle: '22.04' }];
  it.each([
    ['7.4.3', '7.4'],
    ['v7.4', '7.4'],
    ['7.2.1', '7'],
    ['2012 R2', '2012-R2'],
    ['2012_r2', '2012-R2'],
    ['2012', '2012'],
    ['15.2(7)E3', '15.2'],
    ['22.04.3 LTS', '22.04'],
    ['7.40', '7'],
    ['74', undefined],
    ['8', undefined],
    ['', undefined],
  ])('version %j → cycle %s', (version, cycle) => {
    expect(matchCycle(version, cycles)?.cycle).toBe(cycle);
  });
});

describe('eol check', () => {
  it.each([
    ['fw-01,Fortinet,FortiOS,6.4.12,,', 'eol.past-eol', 'fail'],
    ['fw-02,Fortinet,FortiOS,6.4.12,汰換為 7.4（2024Q4）,', 'eol.past-eol-planned', 'warning'],
    ['fw-03,Fortinet,FortiOS,6.4.12,replace,2024-03-31', 'eol.retirement-overdue', 'fail'],
    ['fw-04,Fortinet,FortiOS,7.0.15,無,', 'eol.eol-soon', 'warning'],
    ['fw-05,Fortinet,FortiOS,7.4.8,,', undefined, undefined],
    ['srv-01,Microsoft,Windows Server 2012 R2,,,', 'eol.past-eol', 'fail'],
    ['srv-02,Microsoft,Windows Server,2019 Datacenter,,', 'eol.support-ended', 'warning'],
    ['srv-03,Red Hat,Red Hat Enterprise Linux,7.9,,', 'eol.past-eol', 'fail'],
    ['sw-01,Cisco,IOS XE,17.3.4a,,', 'eol.past-eol', 'fail'],
    ['sw-02,Cisco,IOS XE,17.9.5,,', undefined, undefined],
    ['sw-03,Cisco,Catalyst 9300,17.9.5,,', 'eol.unknown-product', 'unknown'],
    ['srv-04,Microsoft,Windows Server,2008 R2,,', 'eol.unknown-cycle', 'unknown'],
    ['srv-05,Microsoft,Windows Server,,,', 'eol.unknown-version', 'unknown'],
  ])('%s → %s', async (row, rule, status) => {
    const result = await runEol(`name,vendor,product,version,retirement_plan,retirement_date\n${row}\n`);
    const finding = result.findings.find((entry) => entry.status !== 'info');
    expect(finding?.rule).toBe(rule);
    expect(finding?.status).toBe(status);
    if (finding) {
      expect(finding.location).toMatchObject({ file: 'inventory.csv', line: 2 });
      expect(finding.items).toEqual(['NET:4.1.1', 'CSIM@112:7.1.a.j']);
    }
  });

  it('never reports a product missing from the data as compliant', async () => {
    const result = await runEol('product,version\nJunos,21.4\n');
    expect(result.status).toBe('warning');
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0].status).toBe('unknown');
  });

  it('warns 180 days ahead by default and honours warningDays', async () => {
    const row = 'product,version\nFortiOS,7.0.1\n';
    expect((await runEol(row, { at: '2024-04-03' })).findings[0].rule).toBe('eol.eol-soon');
    expect((await runEol(row, { at: '2024-04-02' })).findings.filter((entry) => entry.rule === 'eol.eol-soon')).toHaveLength(0);
    expect((await runEol(row, { at: '2024-01-01', warningDays: 365 })).findings[0].rule).toBe('eol.eol-soon');
    expect((await runEol(row, { at: '2024-09-30' })).findings[0].rule).toBe('eol.past-eol');
  });

  it('notes versions behind the cycle latest as info', async () => {
    const result = await runEol('product,version\nFortiOS,7.4.2\n', { at: '2024-07-01' });
    expect(result.findings.map((entry) => [entry.rule, entry.status])).toEqual([['eol.not-latest', 'info']]);
    expect(result.status).toBe('pass');
  });

  it('reads a Chinese-header XLSX inventory and a single-product lifecycle file named by its file', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('清冊');
    sheet.addRow(['設備名稱', '廠商', '產品', '版本', '汰除計畫']);
    sheet.addRow(['core-fw', 'Fortinet', 'FortiOS', '6.4.9', '']);
    const bytes = new Uint8Array(await workbook.xlsx.writeBuffer());
    const result = await eolCheck.run(
      [
        { name: 'inventory.xlsx', bytes },
        { name: 'api/fortios.json', text: JSON.stringify([buildCycle('6.4', { eol: '2023-09-30' })]) },
      ],
      { at: '2024-07-01' },
    );
    expect(result.status).toBe('fail');
    expect(result.findings[0]).toMatchObject({ rule: 'eol.past-eol', location: { file: 'inventory.xlsx', line: 2, subject: 'core-fw' } });
    expect(result.stats).toMatchObject({ rows: 1, pastEol: 1, products: 1 });
  });

  it('passes an inventory whose items are all supported', async () => {
    const result = await runEol('product,version\nWindows Server,2022\nRHEL,9.4\n');
    expect(result.status).toBe('pass');
    expect(result.findings).toEqual([]);
  });

  it.each([
    [[{ name: 'inventory.csv', text: 'product\nx\n' }], undefined],
    [[lifecycle], undefined],
    [[{ name: 'inventory.csv', text: 'vendor\nx\n' }, lifecycle], 1],
    [[{ name: 'inventory.csv', text: 'product\nx\n' }, { name: 'lifecycle.json', text: '{"fortios": [{"cycle": "7.4", "eol": "soon"}]}' }], 1],
  ])('rejects unusable inputs (%#)', async (inputs, line) => {
    const error = await eolCheck.run(inputs as CheckInput[], { at: '2024-07-01' }).catch((caught) => caught);
    expect(error).toBeInstanceOf(CheckInputError);
    expect(error.line).toBe(line);
  });

  it('reports the line of a cycle without "cycle"', () => {
    const text = '[\n  {"cycle": "1"},\n  {"eol": "2020-01-01"}\n]';
    expect(() => parseLifecycleFile('api/x.json', text)).toThrow(expect.objectContaining({ file: 'api/x.json', line: 3 }));
  });

  it('slugify and lifecycle parsing never crash on random input', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        expect(slugify(text)).toMatch(/^[a-z0-9\u4e00-\u9fff-]*$/);
        try {
          parseLifecycleFile('x.json', text);
        } catch (error) {
          expect(error).toBeInstanceOf(CheckInputError);
        }
      }),
    );
    fc.assert(
      fc.property(fc.json(), (text) => {
        try {
          parseLifecycleFile('x.json', text);
        } catch (error) {
          expect(error).toBeInstanceOf(CheckInputError);
        }
      }),
    );
  });
});
