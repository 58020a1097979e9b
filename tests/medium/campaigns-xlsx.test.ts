/**
 * The checklist sheet: export, fill in offline, import. A sheet with any error changes nothing and
 * names each error's row and column; a sheet exported before someone else's save is refused.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProfile, buildFirm, buildTestApp, buildUser, openTestRuntime, signIn, signInWithMfa, type Session, type TestRuntime } from '../support/harness.ts';
import type { App } from '../../src/server/app.ts';

const PROFILE = buildProfile();

let runtime: TestRuntime;
let app: App;
let firmId: string;
let assessor: Session;
let campaignId: string;

interface ItemView { id: string; itemId: string; revision: number; result: string | null; notes: string | null; justification: string | null }

beforeAll(async () => {
  runtime = await openTestRuntime();
  app = await buildTestApp(runtime);
  firmId = await buildFirm(runtime.db, '表單證券', PROFILE);
  const ciso = await signInWithMfa(app, await buildUser(runtime.db, { memberships: [{ firmId, role: 'ciso' }] }));
  assessor = await signIn(app, await buildUser(runtime.db, { memberships: [{ firmId, role: 'assessor' }] }));
  const created = await app.inject({ method: 'POST', url: `/api/v1/firms/${firmId}/campaigns`, headers: ciso.headers, payload: { cycle: 'semiannual', period: '2024-H1', version: '112' } });
  expect(created.statusCode, created.body).toBe(201);
  campaignId = created.json().campaign.id;
});
afterAll(async () => {
  await app?.close();
  await runtime?.close();
});

async function listItems(): Promise<ItemView[]> {
  return (await app.inject({ method: 'GET', url: `/api/v1/firms/${firmId}/campaigns/${campaignId}/items`, headers: assessor.headers })).json().items;
}

async function exportSheet(): Promise<ExcelJS.Workbook> {
  const response = await app.inject({ method: 'GET', url: `/api/v1/firms/${firmId}/campaigns/${campaignId}/checklist.xlsx`, headers: assessor.headers });
  expect(response.statusCode).toBe(200);
  expect(response.headers['content-type']).toContain('spreadsheetml');
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(response.rawPayload as never);
  return workbook;
}

async function importSheet(workbook: ExcelJS.Workbook) {
  const buffer = Buffer.from(await workbook.xlsx.writeBuffer());
  const boundary = '----anjianxlsx';
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="checklist.xlsx"\r\nContent-Type: application/octet-stream\r\n\r\n`),
    buffer,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return app.inject({
    method: 'POST', url: `/api/v1/firms/${firmId}/campaigns/${campaignId}/checklist.xlsx`,
    headers: { ...assessor.headers, 'content-type': `multipart/form-data; boundary=${boundary}` }, payload,
  });
}

function rowOf(sheet: ExcelJS.Worksheet, itemId: string): number {
  for (let row = 2; row <= sheet.rowCount; row += 1) {
    if (sheet.getCell(row, 1).text === itemId) return row;
  }
  throw new Error(`no row for ${itemId}`);
}

describe('checklist sheet', () => {
  it('exports one row per item with its text and cycle, and imports the filled sheet', async () => {
    const items = await listItems();
    const workbook = await exportSheet();
    const sheet = workbook.worksheets[0];
    expect(sheet.rowCount).toBe(items.length + 1);
    const first = rowOf(sheet, items[0].itemId);
    expect(sheet.getCell(first, 2).text.length).toBeGreaterThan(0);
    expect(sheet.getCell(first, 3).text).toBe('半年');
    sheet.getCell(first, 4).value = '不符合';
    sheet.getCell(first, 6).value = '未訂定資訊資產清冊維護程序';
    const second = rowOf(sheet, items[1].itemId);
    sheet.getCell(second, 4).value = '不適用';
    sheet.getCell(second, 5).value = '本公司無此業務';

    const response = await importSheet(workbook);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().updated).toBe(2);
    const after = await listItems();
    expect(after[0]).toMatchObject({ result: 'non_compliant', notes: '未訂定資訊資產清冊維護程序' });
    expect(after[1]).toMatchObject({ result: 'not_applicable', justification: '本公司無此業務' });

    const again = await exportSheet();
    expect(again.worksheets[0].getCell(rowOf(again.worksheets[0], items[0].itemId), 4).text).toBe('不符合');
  });

  it('applies nothing from a sheet with errors and names each error’s row and column', async () => {
    const items = await listItems();
    const workbook = await exportSheet();
    const sheet = workbook.worksheets[0];
    const valid = rowOf(sheet, items[2].itemId);
    sheet.getCell(valid, 4).value = '符合';
    const badResult = rowOf(sheet, items[3].itemId);
    sheet.getCell(badResult, 4).value = '大致符合';
    const noJustification = rowOf(sheet, items[4].itemId);
    sheet.getCell(noJustification, 4).value = 'not_applicable';
    const unknown = sheet.rowCount + 1;
    sheet.getCell(unknown, 1).value = 'CSIM:99.9';
    sheet.getCell(unknown, 4).value = '符合';

    const response = await importSheet(workbook);
    expect(response.statusCode).toBe(400);
    const issues = response.json().error.issues as { row: number; column: string }[];
    expect(issues.map((issue) => [issue.row, issue.column])).toEqual([
      [badResult, 'D'],
      [noJustification, 'E'],
      [unknown, 'A'],
    ]);
    expect(response.json().error.message).toContain(`第 ${badResult} 列 D 欄`);
    const after = await listItems();
    expect(after[2].result).toBeNull();
    expect(after[2].revision).toBe(items[2].revision);
  });

  it('refuses a sheet exported before someone else saved the same item (409)', async () => {
    const workbook = await exportSheet();
    const items = await listItems();
    const target = items[5];
    const saved = await app.inject({
      method: 'PUT', url: `/api/v1/firms/${firmId}/campaigns/${campaignId}/items/${target.id}`, headers: assessor.headers,
      payload: { revision: target.revision, result: 'compliant' },
    });
    expect(saved.statusCode).toBe(200);
    const sheet = workbook.worksheets[0];
    sheet.getCell(rowOf(sheet, target.itemId), 4).value = '部分符合';
    sheet.getCell(rowOf(sheet, items[6].itemId), 4).value = '符合';
    const response = await importSheet(workbook);
    expect(response.statusCode).toBe(409);
    expect(response.json().error.issues[0]).toMatchObject({ row: rowOf(sheet, target.itemId), column: 'K' });
    const after = await listItems();
    expect(after[5].result).toBe('compliant');
    expect(after[6].result).toBeNull();
  });
});

describe('a sheet whose columns were moved', () => {
  /** Rewrites the checklist sheet with its columns in reverse order (A…K becomes K…A). */
  function reverseColumns(sheet: ExcelJS.Worksheet): void {
    const width = 11;
    for (let row = 1; row <= sheet.rowCount; row += 1) {
      const values = Array.from({ length: width }, (_, index) => sheet.getCell(row, index + 1).value);
      values.reverse().forEach((value, index) => {
        const cell = sheet.getCell(row, index + 1);
        cell.dataValidation = undefined as never;
        cell.value = value;
      });
    }
  }

  it('names the letter and header each problem has in the uploaded sheet', async () => {
    const items = await listItems();
    const workbook = await exportSheet();
    const sheet = workbook.worksheets[0];
    const badResult = rowOf(sheet, items[7].itemId);
    const noJustification = rowOf(sheet, items[8].itemId);
    reverseColumns(sheet);
    // Result was D and is now H; justification E → G; item id A → K.
    expect(sheet.getCell(1, 8).value).toBe('評核結果 Result');
    sheet.getCell(badResult, 8).value = '大致符合';
    sheet.getCell(noJustification, 8).value = 'not_applicable';
    const unknown = sheet.rowCount + 1;
    sheet.getCell(unknown, 11).value = 'CSIM:99.9';
    sheet.getCell(unknown, 8).value = '符合';

    const response = await importSheet(workbook);
    expect(response.statusCode, response.body).toBe(400);
    const issues = response.json().error.issues as { row: number; column: string; header: string }[];
    expect(issues.map((issue) => [issue.row, issue.column, issue.header])).toEqual([
      [badResult, 'H', '評核結果 Result'],
      [noJustification, 'G', '不適用理由 Justification'],
      [unknown, 'K', '項目編號 Item'],
    ]);
    expect(response.json().error.message).toContain(`第 ${badResult} 列 H 欄（評核結果 Result）`);
    expect((await listItems())[8].result).toBeNull();
  });

  it('still answers 409 naming the moved revision column when only the revision is stale', async () => {
    const items = await listItems();
    const workbook = await exportSheet();
    const sheet = workbook.worksheets[0];
    const target = rowOf(sheet, items[9].itemId);
    reverseColumns(sheet);
    sheet.getCell(target, 8).value = '符合';
    sheet.getCell(target, 1).value = items[9].revision + 5;
    const response = await importSheet(workbook);
    expect(response.statusCode, response.body).toBe(409);
    expect(response.json().error.issues[0]).toMatchObject({ row: target, column: 'A', header: '版本 Revision' });
  });
});
