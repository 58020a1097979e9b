/**
 * The catalog as stored in the database (embedded and PostgreSQL): item integrity, search, generated
 * comparison tables, and the CLI agreeing with the API.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, buildUser, openTestRuntime, signIn, testCatalog, type Session, type TestRuntime } from '../support/harness.ts';
import type { App } from '../../src/server/app.ts';
import { diffCatalog, getItems, listDocumentVersions, searchCatalog } from '../../src/server/catalog/catalog-service.ts';
import type { CatalogItem } from '../../src/domain/catalog/resolve.ts';
import { runCli } from '../../src/cli/main.ts';

let runtime: TestRuntime;
let app: App;
let session: Session;

beforeAll(async () => {
  runtime = await openTestRuntime();
  app = await buildTestApp(runtime);
  session = await signIn(app, await buildUser(runtime.db, { isPlatformAdmin: false }));
});
afterAll(async () => {
  await app?.close();
  await runtime?.close();
});

async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    openRuntime: async () => runtime,
    closeRuntime: false,
  });
  return { code, stdout, stderr };
}

const haystackOf = (item: CatalogItem) => [item.title, item.text, item.definition?.term, item.requirementCode].filter(Boolean).join('\n');

describe('stored catalog', () => {
  it('every item of every version has text or is marked not in source, and ids are unique per version', async () => {
    const versions = await listDocumentVersions(runtime.db);
    expect(versions.map((version) => `${version.document}@${version.version}`).sort()).toEqual(
      testCatalog().map((version) => `${version.document}@${version.version}`).sort(),
    );
    for (const version of versions) {
      const { items } = await getItems(runtime.db, version.document, version.version);
      expect(items.length, `${version.document}@${version.version}`).toBeGreaterThan(0);
      const withoutText = items.filter((item) => !(item.notInSource || (item.text !== null && item.text.trim().length > 0)));
      expect(withoutText.map((item) => item.versionedId)).toEqual([]);
      const ids = items.map((item) => item.id);
      expect(new Set(ids).size, `${version.document}@${version.version}`).toBe(ids.length);
      expect(new Set(items.map((item) => item.versionedId)).size).toBe(items.length);
    }
  });
});

describe('search', () => {
  it('防火牆 finds every CSIM and NET item that mentions it, one result per item across versions', async () => {
    const expected = new Set<string>();
    for (const version of testCatalog()) {
      for (const item of version.items) {
        if (haystackOf(item).includes('防火牆')) expected.add(item.lineage);
      }
    }
    const inCsimAndNet = [...expected].filter((lineage) => lineage.startsWith('CSIM@') || lineage.startsWith('NET@'));
    expect(inCsimAndNet.length).toBeGreaterThan(10);
    const results = await searchCatalog(runtime.db, '防火牆', { limit: 1000 });
    const found = results.map((result) => result.item.lineage);
    expect(new Set(found).size).toBe(found.length);
    expect(found.filter((lineage) => lineage.startsWith('CSIM@') || lineage.startsWith('NET@')).sort()).toEqual(inCsimAndNet.sort());
    expect([...found].sort()).toEqual([...expected].sort());
  });

  it('多因子 finds CSIM 7.2.b.e, CSIM@112 7.1.c.c and 7.1.d, and NET 5.3.1', async () => {
    const results = await searchCatalog(runtime.db, '多因子', { limit: 1000 });
    const byId = new Map(results.map((result) => [result.item.versionedId, result]));
    expect([...byId.keys()]).toEqual(expect.arrayContaining(['CSIM@112:7.2.b.e', 'CSIM@112:7.1.c.c', 'CSIM@112:7.1.d', 'NET@1:5.3.1']));
    expect(byId.get('CSIM@112:7.2.b.e')!.versions).toEqual(['109', '111', '112']);
    expect(byId.get('CSIM@112:7.1.c.c')!.versions).toEqual(['111', '112']);
    expect(byId.get('CSIM@112:7.1.d')!.versions).toEqual(['112']);
    // Restricted to 109, the item that 111 added is not there.
    const old = await searchCatalog(runtime.db, '多因子', { document: 'CSIM', version: '109', limit: 1000 });
    expect(old.map((result) => result.item.versionedId)).toEqual(['CSIM@109:7.2.b.e']);
  });
});

describe('search: variant characters and totals', () => {
  it('身份 and 身分 find the same items, CSIM 7.1.e (身分 CA 認證) and NET 4.1.3 (身份認證) among them', async () => {
    const ids = async (query: string) => (await searchCatalog(runtime.db, query, { limit: 1000 })).map((result) => result.item.id).sort();
    const withFen = await ids('身分');
    expect(withFen).toEqual(expect.arrayContaining(['CSIM:7.1.e', 'NET:4.1.3']));
    expect(await ids('身份')).toEqual(withFen);
    expect(await ids('身份認證')).toEqual(await ids('身分認證'));
  });

  it('台 and 臺 find the same items, and the hit marks the text as printed', async () => {
    const response = await app.inject({ method: 'GET', url: `/api/v1/catalog/search?q=${encodeURIComponent('在臺子公司')}`, headers: session.headers });
    const other = await app.inject({ method: 'GET', url: `/api/v1/catalog/search?q=${encodeURIComponent('在台子公司')}`, headers: session.headers });
    const hits = response.json().results as { versionedId: string; highlighted: { text: string; hit: boolean }[] }[];
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.map((hit) => hit.versionedId)).toEqual(other.json().results.map((hit: { versionedId: string }) => hit.versionedId));
    expect(hits[0].highlighted.filter((segment) => segment.hit).map((segment) => segment.text)).toContain('在台子公司');
  });

  it('total counts every match, not only the page the limit returns; the CLI takes the API\'s largest limit', async () => {
    const all = await app.inject({ method: 'GET', url: `/api/v1/catalog/search?q=${encodeURIComponent('防火牆')}&limit=500`, headers: session.headers });
    const page = await app.inject({ method: 'GET', url: `/api/v1/catalog/search?q=${encodeURIComponent('防火牆')}&limit=3`, headers: session.headers });
    expect(all.json().results.length).toBeGreaterThan(3);
    expect(page.json().results).toHaveLength(3);
    expect(page.json().total).toBe(all.json().results.length);
    const cliPage = await cli('catalog', 'search', '防火牆', '--limit', '3');
    expect(cliPage.stdout).toContain(`共 ${all.json().results.length} 筆，顯示前 3 筆`);
    expect((await cli('catalog', 'search', '防火牆', '--limit', '500', '--json')).code).toBe(0);
    const tooMany = await cli('catalog', 'search', '防火牆', '--limit', '501');
    expect(tooMany.code).not.toBe(0);
    expect(tooMany.stderr).toContain('--limit');
    expect((await app.inject({ method: 'GET', url: '/api/v1/catalog/search?q=a&limit=501', headers: session.headers })).statusCode).toBe(400);
  });
});

/**
 * The items whose text, number or wording the 修正條文 column of seed 002 (../shared/seeds/002_*.txt, the
 * 112 年 comparison table) shows as changed: underlined (<u>) or struck (<del>) words, a new label (e.→f.,
 * 說明 項次調整), or an unmarked rewording. Read off the seed by hand, not from catalog/csim/112.yaml.
 */
const SEED_002_CHANGED_ITEMS = [
  '1.4', // line 6: (4) … <u>復原時間目標(RTO)</u>
  '7.1', // line 6: （1）… 另 a、b、f 項 (was a、b、e)
  '7.1.a.h', // line 6: (h) … <u>身分認證</u>
  '7.1.a.j', '7.1.b', '7.1.b.h', '7.1.b.i', '7.1.c.c', '7.1.d', '7.1.d.a', // line 8
  '7.1.d.b', // line 11
  '7.1.d.c', // line 12
  '7.1.e', // line 13: e.<u>身分</u> CA 認證與憑證管理 (was d.)
  '7.1.e.c', '7.1.e.d', // lines 14–15
  '7.1.f', '7.1.g', '7.1.h', '7.1.i', // lines 16–19: f.–i. (were e.–h.), 項次調整
  '7.1.j', '7.1.j.g', // line 21
  '7.1.k', '7.1.l', // lines 22–23
  '7.2.b.f', '7.2.b.g', '7.2.b.h', '7.2.c.f', '7.2.c.g', // lines 24–27
  '8.2.f', '8.2.g', '8.2.h', // line 31
  '8.4.d', // line 32
  '8.5.h', '8.5.k', // line 34
  '9.4', '9.4.a', '9.4.b', // line 35
  '9.4.c', '9.4.d', '9.4.e', '9.4.f', '9.4.g', '9.4.h', '9.4.i', // lines 38–46
  '9.4.j', // line 47: the second i. (printed twice), numbered j.
  '9.11.c.a', // line 50: <u>目的事業主管機關</u>
  '9.12', '9.13', '10.3', '10.4', // line 52
  '10.5', // line 55
  '10.9', '10.10', // line 56
  '12.1', // line 57
  '12.1.a', '12.2.c.c', '12.4.g', '12.6', '12.6.a', // line 59
  '12.6.b', // line 62
];

/**
 * Rows of seed 002 (after the header on line 5, each line with a tab is a row; dash-only lines separate
 * pages) that show no change of their own: 18 (line 28, d~f 略), 19 (line 29, 8.存取控制 unchanged),
 * 24 and 32 (lines 37 and 46 continue an item of the row before), 34 (line 48, (5)~(10)略), 35 (line 49,
 * unchanged headings of 9.(11)). Every other row of the 42 carries a change.
 */
const SEED_002_ROWS_WITHOUT_CHANGE = [18, 19, 24, 32, 34, 35];

describe('comparison tables', () => {
  it('CSIM 111→112 covers every changed row of the seed table, in document order', async () => {
    const diff = await diffCatalog(runtime.db, 'CSIM', '111', '112');
    const rows = new Set(diff.rows.flatMap((row) => row.sourceRows));
    expect([...rows].sort((a, b) => a - b)).toEqual(
      Array.from({ length: 42 }, (_, index) => index + 1).filter((row) => !SEED_002_ROWS_WITHOUT_CHANGE.includes(row)),
    );
    const { items } = await getItems(runtime.db, 'CSIM', '112');
    const order = new Map(items.map((item) => [item.path, item.order]));
    const positions = diff.rows.filter((row) => row.path !== null).map((row) => order.get(row.path!)!);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    const mfa = diff.rows.find((row) => row.path === '7.1.d')!;
    expect(mfa.kind).toBe('added');
    expect(mfa.oldText).toBeNull();
  });

  it('CSIM 111→112 grouped: one row per item the seed shows changed, sub-items that only moved folded into their parent', async () => {
    const diff = await diffCatalog(runtime.db, 'CSIM', '111', '112');
    expect(diff.view).toBe('grouped');
    const paths = diff.rows.map((row) => row.path);
    expect(paths).toEqual(expect.arrayContaining(SEED_002_CHANGED_ITEMS));
    // The only other rows: a heading whose scope wording follows 7.(1) (a、b、e → a、b、f), shown as such.
    const extra = diff.rows.filter((row) => !SEED_002_CHANGED_ITEMS.includes(row.path!));
    expect(extra.map((row) => row.path)).toEqual(['7.1.a']);
    expect(extra[0]).toMatchObject({ kind: 'changed', isTextChanged: false, scopeChange: { to: '另 a、b、f 項並適用於所有證券商', isInherited: false } });
    // 7.1.e.a–h only moved with 7.1.e → 7.1.f: one row, with their numbers and the parent's 說明.
    const virus = diff.rows.find((row) => row.path === '7.1.f')!;
    expect(virus.movedWithParent.map((child) => `${child.oldPath}→${child.path}`)).toEqual(
      'abcdefgh'.split('').map((letter) => `7.1.e.${letter}→7.1.f.${letter}`),
    );
    expect(virus.reasons).toEqual(['項次調整']);
    expect(diff.rows.find((row) => row.path === '7.1.j')!.movedWithParent.map((child) => child.path)).toEqual(
      'abcdef'.split('').map((letter) => `7.1.j.${letter}`),
    );
    // Every renumbered row says why (項次調整 …); none is a bare sub-item.
    expect(diff.rows.filter((row) => row.kind === 'renumbered' && row.reasons.length === 0).map((row) => row.path)).toEqual([]);

    const detail = await diffCatalog(runtime.db, 'CSIM', '111', '112', { detail: true });
    expect(detail.view).toBe('detail');
    expect(detail.rows.map((row) => row.path)).toEqual(expect.arrayContaining(['7.1.f.a', '7.1.f.h', '7.1.j.f']));
    expect(detail.rows.length).toBeGreaterThan(diff.rows.length + 15);
    const api = await app.inject({ method: 'GET', url: '/api/v1/catalog/diff?document=CSIM&from=111&to=112&detail=true', headers: session.headers });
    const cliDetail = await cli('catalog', 'diff', 'CSIM', '111', '112', '--json', '--detail');
    expect(JSON.parse(cliDetail.stdout)).toEqual(api.json());
    expect(api.json().rows).toHaveLength(detail.rows.length);
  });

  it('Markdown, XLSX and terminal tables keep the 說明 references, the approval and a scope-only change', async () => {
    const markdown = await cli('catalog', 'diff', 'CSIM', '111', '112', '--format', 'markdown');
    expect(markdown.code, markdown.stderr).toBe(0);
    const lines = markdown.stdout.split('\n');
    expect(lines[0]).toBe('## CSIM 112 與 111 條文對照表（金管證券字第 11203447331 號，2023-08-15）');
    const eol = lines.find((line) => line.startsWith('| **7.1.a.j**'))!;
    expect(eol).toContain('[NET:4.1.1](/catalog/items/NET:4.1.1)');
    const scopeOnly = lines.find((line) => line.startsWith('| **7.1.a**'))!;
    expect(scopeOnly).toContain('〔適用範圍〕另 a、b、<u>f</u> 項並適用於所有證券商');
    expect(scopeOnly).toContain('〔適用範圍〕另 a、b、~~e~~ 項並適用於所有證券商');
    expect(scopeOnly).toContain('僅適用範圍變更');
    expect(lines.find((line) => line.startsWith('| **7.1.f**'))).toContain('7.1.f.h（原 7.1.e.h）');
    expect(lines.filter((line) => line.startsWith('| **7.1.f.'))).toEqual([]);

    const table = await cli('catalog', 'diff', 'CSIM', '111', '112', '--no-color');
    expect(table.stdout).toContain('金管證券字第 11203447331 號');
    expect(table.stdout).toContain('NET:4.1.1');
    expect(table.stdout).toContain('〔適用範圍變更〕');

    const directory = mkdtempSync(join(tmpdir(), 'anjian-diff-'));
    const written = await cli('catalog', 'diff', 'CSIM', '111', '112', '--format', 'xlsx', '--output', join(directory, 'diff.xlsx'));
    expect(written.code, written.stderr).toBe(0);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(join(directory, 'diff.xlsx'));
    const sheet = workbook.worksheets[0];
    const cells: string[] = [];
    sheet.eachRow((row) => cells.push(row.values ? JSON.stringify(row.values) : ''));
    const eolRow = cells.find((row) => row.includes('7.1.a.j'))!;
    expect(eolRow).toContain('參照 refs：NET:4.1.1');
    expect(sheet.rowCount - 1).toBe((await diffCatalog(runtime.db, 'CSIM', '111', '112')).rows.length);
    rmSync(directory, { recursive: true, force: true });
  });

  it("the ETECH table starts with the document's new title (資訊安全 → 資通安全自律規範)", async () => {
    const diff = await diffCatalog(runtime.db, 'ETECH', '111.07', '111.09');
    expect(diff.titleChange).toMatchObject({ from: '中華民國證券商業同業公會新興科技資訊安全自律規範', to: '中華民國證券商業同業公會新興科技資通安全自律規範' });
    const markdown = (await cli('catalog', 'diff', 'ETECH', '111.07', '111.09', '--format', 'markdown')).stdout.split('\n');
    const firstRow = markdown.findIndex((line) => line === '| --- | --- | --- |') + 1;
    expect(markdown[firstRow]).toContain('**名稱** 中華民國證券商業同業公會新興科技資<u>通</u>安全自律規範');
    expect(markdown[firstRow]).toContain('資~~訊~~安全自律規範');
    expect(markdown[0]).toContain('金管證券字第 1110355166 號，2022-09-21');
    const terminal = (await cli('catalog', 'diff', 'ETECH', '111.07', '111.09', '--no-color')).stdout;
    expect(terminal.indexOf('名稱變更')).toBeLessThan(terminal.indexOf('1.p1'));
  });

  it('CSIM 109→112 spans two amendments: items of 111 and 112 are added, reasons of both collected', async () => {
    const diff = await diffCatalog(runtime.db, 'CSIM', '109', '112', { detail: true });
    const byLineage = new Map(diff.rows.map((row) => [row.lineage, row]));
    expect(byLineage.get('CSIM@111:7.1.c.c')?.kind).toBe('added');
    expect(byLineage.get('CSIM@112:7.1.d')?.kind).toBe('added');
    const moved = byLineage.get('CSIM@109:7.1.i.b')!;
    expect(moved.kind).toBe('renumbered');
    expect([moved.oldPath, moved.path]).toEqual(['7.1.i.b', '7.1.j.b']);
    const direct = await diffCatalog(runtime.db, 'CSIM', '111', '112');
    expect(diff.counts.added).toBeGreaterThanOrEqual(direct.counts.added);
  });

  it('ETECH 111.07→111.09 compares the earlier and current wording', async () => {
    const diff = await diffCatalog(runtime.db, 'ETECH', '111.07', '111.09');
    expect(diff.rows.length).toBeGreaterThan(0);
    expect(diff.rows.some((row) => row.kind === 'changed' && row.segments.some((segment) => segment.kind !== 'same'))).toBe(true);
  });
});

describe('glossary', () => {
  it('lists the NET and ETECH definitions as terms with their verbatim text and source item', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/v1/catalog/glossary', headers: session.headers });
    expect(response.statusCode).toBe(200);
    const entries = response.json().entries as { term: string; definition: string; versionedId: string; document: string; version: string }[];
    const byTerm = new Map(entries.map((entry) => [entry.term, entry]));
    const net = byTerm.get('資通系統')!;
    expect(net).toMatchObject({ versionedId: 'NET@1:2.1', document: 'NET', version: '1' });
    expect(net.definition).toBe('資通系統：係指用以蒐集、控制、傳輸、儲存、流通、刪除資訊或對資訊為其他處理、使用或分享之系統。');
    // ETECH's latest version (111.09) adds 深度偽造 and amends 雲端運算服務.
    expect(byTerm.get('深度偽造(Deepfake)')).toMatchObject({ versionedId: 'ETECH@111.09:2.7' });
    expect(byTerm.get('雲端運算服務')!.definition).toContain('IaaS');
    const item = await app.inject({ method: 'GET', url: `/api/v1/catalog/items/${encodeURIComponent(net.versionedId)}`, headers: session.headers });
    expect(item.json().definition).toEqual({ term: '資通系統' });
  });

  it('filters by document and version: ETECH 111.07 has no 深度偽造', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/v1/catalog/glossary?document=ETECH&version=111.07', headers: session.headers });
    const terms = response.json().entries.map((entry: { term: string; version: string }) => entry.term);
    expect(terms).toContain('社群媒體');
    expect(terms).not.toContain('深度偽造(Deepfake)');
    expect(response.json().entries.every((entry: { version: string }) => entry.version === '111.07')).toBe(true);
    const unknown = await app.inject({ method: 'GET', url: '/api/v1/catalog/glossary?document=ETECH&version=999', headers: session.headers });
    expect(unknown.statusCode).toBe(404);
  });

  it('anjian catalog glossary --document NET --json equals the API, and the table lists each term with its item', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/v1/catalog/glossary?document=NET', headers: session.headers });
    const json = await cli('catalog', 'glossary', '--document', 'NET', '--json');
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual(response.json());
    expect(response.json().entries.length).toBeGreaterThanOrEqual(6);
    const table = await cli('catalog', 'glossary', '--document', 'net');
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toContain('第一類證券商  （NET@1:2.6）');
    expect(table.stdout).not.toContain('ETECH@');
    const bad = await cli('catalog', 'glossary', '--version', '1');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('--version');
  });
});

describe('CLI and API agree', () => {
  const ids = ['CSIM:7.1.d', 'CSIM@109:7.2.b.e', 'CSIM:8.3.e', 'NET:5.3.1', 'MAS:6', 'ETECH:9.p1', 'BRIEF:1'];
  it.each(ids)('catalog show %s --json equals GET /api/v1/catalog/items/:id', async (id) => {
    const response = await app.inject({ method: 'GET', url: `/api/v1/catalog/items/${encodeURIComponent(id)}`, headers: session.headers });
    expect(response.statusCode).toBe(200);
    const result = await cli('catalog', 'show', id, '--json');
    expect(result.code, result.stderr).toBe(0);
    const shown = JSON.parse(result.stdout);
    expect(shown).toEqual(response.json());
    for (const field of ['id', 'version', 'text', 'cycle', 'scope', 'effective', 'lineage', 'levels']) expect(shown).toHaveProperty(field);
  });

  it('MAS items carry their levels', async () => {
    const shown = JSON.parse((await cli('catalog', 'show', 'MAS:6', '--json')).stdout);
    expect(Object.keys(shown.levels).sort()).toEqual(['F', 'L1', 'L2', 'L3']);
  });

  it.each(['多因子', '防火牆', '密碼 三次'])('catalog search %s gives the API results in the same order', async (query) => {
    const response = await app.inject({ method: 'GET', url: `/api/v1/catalog/search?q=${encodeURIComponent(query)}&limit=200`, headers: session.headers });
    const result = await cli('catalog', 'search', query, '--limit', '200', '--json');
    expect(result.code, result.stderr).toBe(0);
    const fromCli = JSON.parse(result.stdout);
    expect(fromCli.results.length).toBeGreaterThan(0);
    expect(fromCli.results.map((entry: { versionedId: string }) => entry.versionedId)).toEqual(
      response.json().results.map((entry: { versionedId: string }) => entry.versionedId),
    );
    expect(fromCli).toEqual(response.json());
  });

  it('catalog diff --json equals the API diff', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/v1/catalog/diff?document=CSIM&from=111&to=112', headers: session.headers });
    const result = await cli('catalog', 'diff', 'CSIM', '111', '112', '--format', 'json');
    expect(JSON.parse(result.stdout)).toEqual(response.json());
  });

  it('catalog list CSIM --version 109 --json equals the API item list', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/v1/catalog/documents/CSIM/items?version=109', headers: session.headers });
    const result = await cli('catalog', 'list', 'CSIM', '--version', '109', '--json');
    expect(JSON.parse(result.stdout)).toEqual(response.json());
  });
});
