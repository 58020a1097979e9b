/**
 * Reviewer checks on the CSIM version chain 109 → 111 → 112 (catalog/csim/*.yaml): lineage survives
 * the 2023 renumbering of 7.(1), the amended texts are the 修正條文 words, the scope of 7.(1)'s items
 * follows the new "a、b、f" wording, and every row of the seed 002 comparison table is accounted for.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../catalog-files/load-catalog.ts';
import { parseVersionFile } from './parse.ts';
import type { CatalogItem, CatalogVersion } from './resolve.ts';
import type { Fact, VersionFile } from './schema.ts';
import { doesScopeBind } from './scope-test-support.ts';

const versions = loadCatalog();

function csimVersion(version: string): CatalogVersion {
  const found = versions.find((candidate) => candidate.document === 'CSIM' && candidate.version === version);
  if (!found) {
    throw new Error(`CSIM@${version} is not in the catalog`);
  }
  return found;
}

const v109 = csimVersion('109');
const v111 = csimVersion('111');
const v112 = csimVersion('112');

function itemAt(version: CatalogVersion, path: string): CatalogItem {
  const item = version.items.find((candidate) => candidate.path === path);
  if (!item) {
    throw new Error(`CSIM@${version.version}:${path} is not in the catalog`);
  }
  return item;
}

function readVersionFile(version: string): VersionFile {
  const fileName = `catalog/csim/${version}.yaml`;
  const text = readFileSync(new URL(`../../../${fileName}`, import.meta.url), 'utf8');
  return parseVersionFile(text, fileName);
}

function doesBind(item: CatalogItem, facts: Fact[]): boolean {
  return doesScopeBind(item.scope, facts);
}

describe('CSIM version chain', () => {
  it('chains 112 on 111 on 109', () => {
    expect(v109.base).toBeUndefined();
    expect(v111.base).toBe('109');
    expect(v112.base).toBe('111');
    expect(v111.sourceColumn).toBe('現行條文');
    expect(v112.sourceColumn).toBe('修正條文');
    expect(v112.date).toBe('2023-08-15');
    expect(v112.approval).toBe('金管證券字第 11203447331 號');
  });

  it.each([
    { older: v109, newer: v111 },
    { older: v111, newer: v112 },
  ])('keeps the lineage of every item of CSIM@$older.version in CSIM@$newer.version unless removed', ({ older, newer }) => {
    const newerLineages = new Set(newer.items.map((item) => item.lineage));
    const removedLineages = new Set(newer.removed.map((item) => item.lineage));
    const lost = older.items.filter((item) => !newerLineages.has(item.lineage) && !removedLineages.has(item.lineage));
    expect(lost.map((item) => item.versionedId)).toEqual([]);
  });

  it('follows CA 認證 from 7.1.d in 109 to 7.1.e in 112, and makes 7.1.d 多因子驗證 new', () => {
    const caIn109 = itemAt(v109, '7.1.d');
    const caIn112 = itemAt(v112, '7.1.e');
    expect(caIn112.lineage).toBe(caIn109.lineage);
    expect(caIn112.change?.kind).toBe('renumbered');
    expect(caIn112.change?.fromPath).toBe('7.1.d');
    expect(caIn112.title).toBe('身分 CA 認證與憑證管理');
    // Its children move with it.
    expect(itemAt(v112, '7.1.e.a').lineage).toBe(itemAt(v109, '7.1.d.a').lineage);

    const mfa = itemAt(v112, '7.1.d');
    expect(mfa.lineage).toBe('CSIM@112:7.1.d');
    expect(mfa.change?.kind).toBe('added');
    expect(mfa.title).toBe('多因子驗證');
    expect(v109.items.some((item) => item.lineage === mfa.lineage)).toBe(false);
  });

  it('moves 7.(1) e.–k. one letter on, keeping lineage through 111', () => {
    const moves: [string, CatalogVersion, string][] = [
      ['7.1.e', v109, '7.1.f'],
      ['7.1.f', v109, '7.1.g'],
      ['7.1.i', v109, '7.1.j'],
      ['7.1.j', v111, '7.1.k'],
      ['7.1.k', v111, '7.1.l'],
    ];
    for (const [fromPath, fromVersion, toPath] of moves) {
      expect(itemAt(v112, toPath).lineage, `${fromPath} → ${toPath}`).toBe(itemAt(fromVersion, fromPath).lineage);
    }
    expect(itemAt(v111, '7.1.j').lineage).toBe('CSIM@111:7.1.j');
  });
});

describe('CSIM 111 (現行條文)', () => {
  it('adds what the 現行條文 column shows beyond 109', () => {
    expect(itemAt(v111, '7.1.c').title).toBe('網路傳輸及連線安全管理');
    expect(itemAt(v111, '7.1.f').title).toBe('網路系統功能檢查');
    expect(itemAt(v109, '7.1.f').title).toBe('網路下單系統功能檢查');
    expect(itemAt(v111, '7.1.j').effective?.from).toBe('2023-02-28');
    expect(itemAt(v111, '7.1.k').effective?.from).toBe('2023-02-28');
    expect(itemAt(v111, '12.1.a').text).toContain('如有不符合需求之處');
  });

  it('marks items the column elides and 109 lacks as not in source', () => {
    const elided = v111.items.filter((item) => item.notInSource).map((item) => item.path);
    expect(elided).toEqual(['7.1.c.a', '7.1.c.b', '10.8', '12.5']);
  });

  it('lets elided items that 109 has inherit the 109 text', () => {
    expect(itemAt(v111, '7.1.a.a').text).toBe(itemAt(v109, '7.1.a.a').text);
    expect(itemAt(v111, '7.1.a.a').change).toBeUndefined();
  });
});

describe('CSIM 112 (修正條文)', () => {
  it.each([
    ['1.4', '應評估核心系統可容忍中斷時間、復原時間目標(RTO)、資料復原點目標(RPO)。'],
    ['7.1.a.j', '應避免使用生命週期終止(End of Service, EOS/End of Life, EOL)之網路設備，並針對 EOS/EOL 之網路設備擬定汰除相關計畫。'],
    ['7.1.b.h', '公司建立網路設備規則應以最小授權及正面表列為原則。'],
    ['7.1.d.a', '公司所約定之資訊，且無第三人知悉（如固定密碼、圖形鎖或手勢等）。'],
    ['7.1.d.b', '客戶所持有之實體設備（如密碼產生器、密碼卡、晶片卡、電腦、行動裝置、憑證載具等），公司應確認該設備為客戶與公司所約定持有之設備。'],
    ['7.1.d.c', '客戶提供給公司其所擁有之生物特徵（如指紋、臉部、虹膜、聲音、掌紋、靜脈、簽名等），公司應直接或間接驗證該生物特徵。'],
    ['7.1.e.c', '公司應於伺服器端驗證客戶交易身分及使用者帳號。'],
    ['8.2.g', '公司應建立資通系統帳號管理機制，包含帳號之申請、建立、修改、啟用、停用及刪除之程序。'],
  ])('gives %s the amended text', (path, text) => {
    expect(itemAt(v112, path).text).toBe(text);
  });

  it('keeps the base text in `was` for a changed item', () => {
    expect(itemAt(v112, '1.4').change).toMatchObject({ kind: 'changed', was: itemAt(v111, '1.4').text, row: 1 });
  });

  it('makes 7.(1) f. (電腦病毒) bind every firm and e. (CA 認證) only internet-ordering firms', () => {
    const virus = itemAt(v112, '7.1.f');
    const ca = itemAt(v112, '7.1.e');
    expect(virus.title).toBe('電腦病毒及惡意軟體之防範');
    expect(itemAt(v112, '7.1').text).toContain('另 a、b、f 項並適用於所有證券商');
    expect(virus.scope?.statedAt).toBe('7.1');
    expect(doesBind(virus, [])).toBe(true);
    expect(doesBind(ca, [])).toBe(false);
    expect(doesBind(ca, ['onlineOrdering'])).toBe(true);
    // New items inherit their parent's scope: a.(j) binds everyone, d. 多因子驗證 only internet ordering.
    expect(doesBind(itemAt(v112, '7.1.a.j'), [])).toBe(true);
    expect(doesBind(itemAt(v112, '7.1.d.a'), [])).toBe(false);
  });

  it('marks duties that depend on the firm\'s security tier', () => {
    for (const path of ['7.2.b.g', '7.2.b.h', '10.3']) {
      expect(itemAt(v112, path).tierDependent, path).toBe(true);
    }
    expect(itemAt(v112, '7.2.b.f').tierDependent).toBe(false);
  });

  it('keeps the second printed "i." of 9.(4) as its own item 9.4.j', () => {
    expect(itemAt(v112, '9.4.i').label).toBe('i.');
    expect(itemAt(v112, '9.4.j').label).toBe('i.');
    expect(itemAt(v112, '9.4.j').note).toMatch(/i\./);
  });

  it('resolves 同上 to the reason it repeats and links reasons to NET and ETECH rules', () => {
    const firewallRule = itemAt(v112, '7.1.b.h').change;
    expect(firewallRule).toMatchObject({ reason: '參考網路安全防護自律規範修訂', reasonAsPrinted: '同上' });
    expect(firewallRule?.reasonRefs).toEqual(['NET:4.2.2']);
    expect(itemAt(v112, '7.1.d.b').change?.reasonRefs).toEqual(['ETECH:9.2']);
    for (const change of readVersionFile('112').changes ?? []) {
      expect(change.reason, `${change.path}: a resolved reason never reads 同上`).not.toBe('同上');
    }
  });

  it('points every reason reference at an item the catalog holds', () => {
    const ids = new Set(versions.flatMap((version) => version.items.map((item) => item.id)));
    const refs = v112.items.flatMap((item) => item.change?.reasonRefs ?? []);
    expect(refs.length).toBeGreaterThan(0);
    expect(refs.filter((ref) => !ids.has(ref))).toEqual([]);
  });
});

describe('seed 002 rows', () => {
  const file112 = readVersionFile('112');
  const note = file112.note ?? '';

  it('accounts for every row of the table: a change or a listed row without one', () => {
    const rowCount = Number(/table has (\d+) rows/.exec(note)?.[1]);
    const withoutChange = (/Rows without a change of their own: ([\d, ]+)\./.exec(note)?.[1] ?? '')
      .split(',')
      .map((row) => Number(row.trim()))
      .filter((row) => row > 0);
    expect(rowCount).toBeGreaterThan(0);
    const changeRows = new Set((file112.changes ?? []).map((change) => change.row));
    expect((file112.changes ?? []).filter((change) => change.row === undefined)).toEqual([]);
    const missing: number[] = [];
    for (let row = 1; row <= rowCount; row += 1) {
      if (!changeRows.has(row) && !withoutChange.includes(row)) {
        missing.push(row);
      }
    }
    expect(missing).toEqual([]);
    // A row listed as without a change must really have none, and no row lies past the table.
    expect(withoutChange.filter((row) => changeRows.has(row))).toEqual([]);
    expect([...changeRows].filter((row) => row! > rowCount)).toEqual([]);
  });

  const seedUrl = new URL('../../../../shared/seeds/002_4d8659c218f0caf6.txt', import.meta.url);
  const hasSeed = existsSync(seedUrl);

  /** Rows of the table, by the rule the 112 note states: after the header, a line with a tab, unless every cell is dashes. */
  function readTableRows(): { line: number; cells: string[] }[] {
    const lines = readFileSync(seedUrl, 'utf8').split('\n');
    const header = lines.findIndex((line) => line.startsWith('修正條文\t現行條文\t說明'));
    expect(header).toBeGreaterThanOrEqual(0);
    return lines
      .map((line, index) => ({ line: index + 1, cells: line.split('\t') }))
      .filter((row) => row.line > header + 1 && row.cells.length > 1)
      .filter((row) => !row.cells.every((cell) => /^-*$/.test(cell.trim())));
  }

  it.skipIf(!hasSeed)('matches the seed: row count, and each change\'s line is its row\'s line', () => {
    const rowLines = readTableRows().map((row) => row.line);
    expect(`table has ${rowLines.length} rows`).toBe(/table has \d+ rows/.exec(note)?.[0]);
    for (const version of ['111', '112']) {
      for (const change of readVersionFile(version).changes ?? []) {
        expect(change.source?.line, `${version} ${change.path} row ${change.row}`).toBe(rowLines[change.row! - 1]);
      }
    }
  });

  /** One column of the table as running text: markup and whitespace removed, rows joined. */
  function readColumn(index: number): string {
    return readTableRows()
      .map((row) => row.cells[index] ?? '')
      .join('')
      .replace(/<[^>]+>/g, '')
      .replace(/\s+/g, '');
  }

  function findUnquoted(texts: { path: string; text?: string }[], column: string): string[] {
    return texts
      .filter((entry) => entry.text !== undefined && !column.includes(entry.text.replace(/\s+/g, '')))
      .map((entry) => entry.path);
  }

  it.skipIf(!hasSeed)('quotes new and changed 112 texts word for word from the 修正條文 column', () => {
    // k. and l. drop the struck date annotation (see their notes); everything else is as printed.
    const adjusted = new Set(['7.1.k', '7.1.l']);
    const changes = (readVersionFile('112').changes ?? []).filter((change) => !adjusted.has(change.path));
    const texts = changes.map((change) => ({ path: change.path, text: 'text' in change ? change.text : undefined }));
    expect(findUnquoted(texts, readColumn(0))).toEqual([]);
  });

  it.skipIf(!hasSeed)('quotes 112 `was` texts and 111 texts word for word from the 現行條文 column', () => {
    const column = readColumn(1);
    const was112 = (readVersionFile('112').changes ?? []).map((change) => ({
      path: change.path,
      text: 'was' in change ? change.was : undefined,
    }));
    expect(findUnquoted(was112, column)).toEqual([]);
    const texts111 = (readVersionFile('111').changes ?? []).map((change) => ({
      path: change.path,
      text: 'text' in change ? change.text : undefined,
    }));
    expect(texts111.filter((entry) => entry.text !== undefined).length).toBeGreaterThan(0);
    expect(findUnquoted(texts111, column)).toEqual([]);
  });
});

describe('not-in-source items', () => {
  it.each([v109, v111, v112])('CSIM@$version has no text for an item marked notInSource', (version: CatalogVersion) => {
    const withText = version.items.filter((item) => item.notInSource && item.text !== null);
    expect(withText.map((item) => item.versionedId)).toEqual([]);
  });

  it('carries the elided 111 items into 112 without inventing text', () => {
    for (const path of ['7.1.c.a', '10.8', '12.5']) {
      expect(itemAt(v112, path).notInSource, path).toBe(true);
      expect(itemAt(v112, path).text, path).toBeNull();
    }
  });
});
