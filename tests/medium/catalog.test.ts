/**
 * The catalog as stored in the database (embedded and PostgreSQL): item integrity, search, generated
 * comparison tables, and the CLI agreeing with the API.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
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

/** The seed 002 row numbers that carry a change, from the note in catalog/csim/112.yaml. */
function seedRowsWithChanges(): number[] {
  const file = parseYaml(readFileSync(fileURLToPath(new URL('../../catalog/csim/112.yaml', import.meta.url)), 'utf8')) as { note: string };
  const total = Number(/table has (\d+) rows/.exec(file.note)?.[1]);
  const unchanged = (/Rows without a change of their own: ([\d,\s]+)\./.exec(file.note)?.[1] ?? '').split(',').map((entry) => Number(entry.trim()));
  expect(total).toBeGreaterThan(30);
  expect(unchanged.every(Number.isInteger)).toBe(true);
  return Array.from({ length: total }, (_, index) => index + 1).filter((row) => !unchanged.includes(row));
}

describe('comparison tables', () => {
  it('CSIM 111→112 covers every changed row of the seed table, in document order', async () => {
    const diff = await diffCatalog(runtime.db, 'CSIM', '111', '112');
    const rows = new Set(diff.rows.flatMap((row) => row.sourceRows));
    expect([...rows].sort((a, b) => a - b)).toEqual(seedRowsWithChanges());
    const { items } = await getItems(runtime.db, 'CSIM', '112');
    const order = new Map(items.map((item) => [item.path, item.order]));
    const positions = diff.rows.filter((row) => row.path !== null).map((row) => order.get(row.path!)!);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    const mfa = diff.rows.find((row) => row.path === '7.1.d')!;
    expect(mfa.kind).toBe('added');
    expect(mfa.oldText).toBeNull();
  });

  it('CSIM 109→112 spans two amendments: items of 111 and 112 are added, reasons of both collected', async () => {
    const diff = await diffCatalog(runtime.db, 'CSIM', '109', '112');
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
