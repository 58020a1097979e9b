import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CheckInputError } from '../types.ts';
import { locateJsonElements, parseNumber, parseYesNo, readTable, type ColumnSpec } from './read-table.ts';

const spec: ColumnSpec = {
  aliases: { system: ['系統', 'system name'], retention: ['保存期限'], note: [] },
  required: ['system'],
  jsonKeys: ['systems'],
};

describe('readTable', () => {
  it('maps CSV headers through aliases and keeps start lines of multi-line records', async () => {
    const text = '\uFEFF# exported 2024-05-01\nSystem Name,保存期限,other\n"core\nbanking",3y,x\n\nweb,1095 days,\n';
    const table = await readTable({ name: 'systems.csv', text }, spec);
    expect(table.rows).toEqual([
      { line: 3, index: 0, values: { system: 'core\nbanking', retention: '3y' } },
      { line: 6, index: 1, values: { system: 'web', retention: '1095 days' } },
    ]);
  });

  it('reports the line of a malformed CSV record', async () => {
    const error = await readTable({ name: 'bad.csv', text: 'system,retention\na,1\nb,2,3\n' }, spec).catch((caught) => caught);
    expect(error).toBeInstanceOf(CheckInputError);
    expect(error).toMatchObject({ file: 'bad.csv', line: 3 });
  });

  it('reports a missing required column at the header line', async () => {
    await expect(readTable({ name: 'x.csv', text: 'name,retention\na,1\n' }, spec)).rejects.toMatchObject({ line: 1, file: 'x.csv' });
  });

  it('reads JSON arrays and wrapped arrays with element lines', async () => {
    const text = '{\n  "systems": [\n    {"system": "a", "retention": 3},\n    {\n      "system": "b", "tags": ["x", "y"]\n    }\n  ]\n}';
    const table = await readTable({ name: 'systems.json', text }, { ...spec, aliases: { ...spec.aliases, tags: [] } });
    expect(table.rows.map((row) => [row.line, row.values])).toEqual([
      [3, { system: 'a', retention: '3' }],
      [4, { system: 'b', tags: 'x;y' }],
    ]);
  });

  it.each([
    ['[1, 2]', 1],
    ['{"systems": [{"system": {"nested": true}}]}', 1],
    ['[\n{"system": "a"},\n{"system": }\n]', 3],
    ['{"other": []}', 1],
  ])('rejects malformed JSON %j with a line', async (text, line) => {
    await expect(readTable({ name: 'in.json', text }, spec)).rejects.toMatchObject({ name: 'CheckInputError', file: 'in.json', line });
  });

  it('reports deeply nested garbage as an input error without overflowing the stack', async () => {
    await expect(readTable({ name: 'deep.json', text: '['.repeat(100_000) }, spec)).rejects.toMatchObject({ name: 'CheckInputError', line: 1 });
  });

  it('reads XLSX sheets: dates, formulas, rich text; line = sheet row', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('systems');
    sheet.addRow(['系統', '保存期限', 'note']);
    sheet.addRow(['core', { formula: '1+2', result: 3 }, new Date(Date.UTC(2024, 0, 31))]);
    sheet.addRow([]);
    sheet.addRow([{ richText: [{ text: 'we' }, { text: 'b' }] }, '36 個月']);
    const bytes = new Uint8Array(await workbook.xlsx.writeBuffer());
    const table = await readTable({ name: 'systems.xlsx', bytes }, spec);
    expect(table.rows.map((row) => [row.line, row.values])).toEqual([
      [2, { system: 'core', retention: '3', note: '2024-01-31' }],
      [4, { system: 'web', retention: '36 個月' }],
    ]);
  });

  it('rejects bytes that are not a workbook', async () => {
    await expect(readTable({ name: 'x.xlsx', bytes: new Uint8Array([0x50, 0x4b, 1, 2]) }, spec)).rejects.toBeInstanceOf(CheckInputError);
  });

  it('never fails other than with CheckInputError on random CSV or JSON', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 200 }), fc.constantFrom('a.csv', 'a.json'), async (text, name) => {
        try {
          await readTable({ name, text }, { ...spec, required: [] });
        } catch (error) {
          expect(error).toBeInstanceOf(CheckInputError);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('locates elements in any valid JSON without throwing', () => {
    fc.assert(
      fc.property(fc.json(), (text) => {
        const lines = locateJsonElements(text);
        const parsed = JSON.parse(text);
        if (Array.isArray(parsed)) {
          expect(lines.get('')).toHaveLength(parsed.length);
        }
      }),
    );
  });
});

describe('cell readers', () => {
  it.each([
    ['Yes', true],
    ['通過', true],
    ['N', false],
    ['未通過', false],
    ['maybe', undefined],
  ])('parseYesNo(%j) = %s', (text, expected) => {
    expect(parseYesNo(text)).toBe(expected);
  });

  it.each([
    ['1,095', 1095],
    ['１５', 15],
    ['2.5', 2.5],
    ['-1', undefined],
    ['abc', undefined],
  ])('parseNumber(%j) = %s', (text, expected) => {
    expect(parseNumber(text)).toBe(expected);
  });
});
