/**
 * Reviewer checks on catalog/csim/109.yaml (CSIM 建立證券商資通安全檢查機制, 民國 109 年 12 月 11 日):
 * the file loads and resolves, every numbered item of the source is there once, and the attributes
 * an auditor relies on (code, cycle, scope, effective date, tier dependence, verbatim text) are right.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseVersionFile } from './parse.ts';
import { resolveDocument, type CatalogItem } from './resolve.ts';
import type { Fact } from './schema.ts';
import { doesScopeBind } from './scope-test-support.ts';

const FILE_NAME = 'catalog/csim/109.yaml';
const yamlText = readFileSync(new URL('../../../catalog/csim/109.yaml', import.meta.url), 'utf8');
const [version] = resolveDocument([{ file: parseVersionFile(yamlText, FILE_NAME), fileName: FILE_NAME }]);
const items = version.items;

function itemAt(path: string): CatalogItem {
  const item = items.find((candidate) => candidate.path === path);
  if (!item) {
    throw new Error(`CSIM:${path} is not in the 109 catalog`);
  }
  return item;
}

function doesBind(path: string, facts: Fact[]): boolean {
  return doesScopeBind(itemAt(path).scope, facts);
}

/** Last day of the month, from an ROC year ("111 年 1 月底" is 2022-01-31). */
function endOfRocMonth(rocYear: number, month: number): string {
  const lastDay = new Date(Date.UTC(rocYear + 1911, month, 0));
  return lastDay.toISOString().slice(0, 10);
}

describe('CSIM 109 catalog file', () => {
  it('describes the 2020-12-11 base version of seed 003', () => {
    expect(version.document).toBe('CSIM');
    expect(version.version).toBe('109');
    expect(version.date).toBe('2020-12-11');
    expect(version.base).toBeUndefined();
    expect(version.sourceFile).toBe('003_ec957951a2b25cb9.txt');
  });

  it('holds every numbered item of sections 1–13 once', () => {
    // Counted in the seed: lines that start (after indentation) with a label. 13 sections ("1."),
    // 64 "(1)", 82 "a." and 69 "(a)" labels make 228; the unnumbered heading 資訊提供作業 (13.1) makes 229.
    expect(items).toHaveLength(229);
    const byDepth = (depth: number) => items.filter((item) => item.depth === depth).length;
    expect(byDepth(1)).toBe(13);
    expect(new Set(items.map((item) => item.id)).size).toBe(items.length);
  });

  it('numbers every item as FORMAT.md says and keeps the printed label', () => {
    expect(itemAt('7.1.a.h').label).toBe('(h)');
    expect(itemAt('13.1').label).toBeUndefined();
    for (const item of items.filter((candidate) => candidate.path !== '13.1')) {
      const last = item.path.split('.').at(-1)!;
      const isBracketed = item.depth !== 1 && (/^\d+$/.test(last) || item.depth === 4);
      const expected = isBracketed ? `(${last})` : `${last}.`;
      expect(item.label, item.id).toBe(expected);
    }
  });

  it('keeps document order: source lines increase and every parent comes first', () => {
    const lines = items.map((item) => item.sourceLine ?? 0);
    expect(lines.every((line, index) => index === 0 || line > lines[index - 1])).toBe(true);
    const seen = new Set<string>();
    for (const item of items) {
      if (item.parentPath !== null) {
        expect(seen.has(item.parentPath), item.id).toBe(true);
      }
      seen.add(item.path);
    }
  });

  it('gives every item clean text: no line breaks, page numbers or stray spaces', () => {
    for (const item of items) {
      expect(item.notInSource, item.id).toBe(false);
      expect(item.text, item.id).toBeTruthy();
      const text = item.text!;
      expect(text, item.id).not.toMatch(/[\r\n\t]/);
      expect(text, item.id).toBe(text.trim());
      expect(text, item.id).not.toMatch(/ {2}/);
      expect(text, item.id).not.toMatch(/(^|\s)-?\s*\d{1,2}\s*-?$/); // a page number left at the end
      expect(text, item.id).not.toMatch(/[\u4e00-\u9fff] [\u4e00-\u9fff]/); // a space inside Chinese text
      expect(text, item.id).not.toMatch(/^(\(\w+\)|\w\.)/); // the label repeated
    }
  });

  it('keeps the wording verbatim, joined across lines and pages', () => {
    expect(itemAt('8.3.e').text).toBe('密碼輸入錯誤次數達三次者，應予中斷連線。');
    expect(itemAt('7.1.c').text).toBe('網路傳輸安全管理：網路下單畫面應採加密方式（例如：SSL）處理。');
    expect(itemAt('9.11.b.b').text).toBe(
      '啟動行動應用程式時，如偵測行動裝置疑似遭破解（如 root、jailbreak、USB debugging 等），應提示使用者注意風險。',
    );
    expect(itemAt('12.1.b').text).toContain('應使用超文字傳輸安全協定（HTTPS）、安全檔案傳輸協定（SFTP）等加密之網路協定。');
    expect(itemAt('7.1.i.f').text).toBe('公司應依其所屬資安分級辦理進階持續性威脅攻擊防禦措施。(112 年 1 月底生效)');
    expect(itemAt('12.4').text).toBe('物聯網：應訂定物聯網相關資訊安全規範與管理辦法，須包含下列項目：');
    expect(itemAt('7.1.a').title).toBe('網路系統安全評估');
  });

  it('codes all 16 sections and sub-sections, and every item inherits one', () => {
    const codes: Record<string, string> = {
      '1': 'CC-11000', '2': 'CC-12000', '3': 'CC-13000', '4': 'CC-14000', '5': 'CC-15000', '6': 'CC-16000',
      '7': 'CC-17000', '7.1': 'CC-17010', '7.2': 'CC-17020', '8': 'CC-18000', '9': 'CC-19000',
      '10': 'CC-20000', '11': 'CC-21000', '12': 'CC-21100', '13': 'CC-22000', '13.1': 'CC-22010',
    };
    for (const [path, code] of Object.entries(codes)) {
      expect(itemAt(path).code, path).toBe(code);
      expect(itemAt(path).text, path).toContain(`（${code}`);
    }
    expect(itemAt('7.1.a.h').code).toBe('CC-17010');
    expect(itemAt('13.1.i').code).toBe('CC-22010');
    expect(items.filter((item) => item.code === null)).toEqual([]);
  });

  it('sets the inspection cycle from each heading', () => {
    expect(itemAt('8.3.f').cycle).toBe('monthly');
    expect(itemAt('9.11.c.a').cycle).toBe('semiannual');
    expect(itemAt('7.1.a.h').cycle).toBe('monthly');
    expect(itemAt('7.2.f').cycle).toBe('semiannual');
    expect(itemAt('11.2').cycle).toBe('semiannual'); // 半年度查核
    expect(itemAt('12.4.f').cycle).toBe('annual');
    expect(itemAt('1.4').cycle).toBe('annual');
    expect(itemAt('7').cycle).toBeNull();
    expect(items.filter((item) => item.cycle === null).map((item) => item.path)).toEqual(['7']);
  });

  it('scopes items to the firms the text names', () => {
    const voiceOnlyBroker: Fact[] = ['brokerage'];
    const onlineBroker: Fact[] = ['onlineOrdering', 'brokerage'];
    // 7.(1): internet-ordering firms, but a, b and e bind every firm.
    expect(doesBind('7.1.b.f', voiceOnlyBroker)).toBe(true);
    expect(itemAt('7.1.b.f').scope).toMatchObject({ when: { always: true }, statedAt: '7.1' });
    expect(doesBind('7.1.a.h', voiceOnlyBroker)).toBe(true);
    expect(doesBind('7.1.e.h', voiceOnlyBroker)).toBe(true);
    expect(doesBind('7.1.c', voiceOnlyBroker)).toBe(false);
    expect(doesBind('7.1.c', onlineBroker)).toBe(true);
    expect(doesBind('7.1.d.a', voiceOnlyBroker)).toBe(false);
    expect(doesBind('7.1.i.b', voiceOnlyBroker)).toBe(false);
    expect(doesBind('1.1', voiceOnlyBroker)).toBe(false);
    expect(doesBind('4.2', voiceOnlyBroker)).toBe(false);
    expect(doesBind('4.1', voiceOnlyBroker)).toBe(true);
    expect(doesBind('9.10.e', voiceOnlyBroker)).toBe(false);
    // API services need both facts.
    expect(doesBind('7.1.g', onlineBroker)).toBe(false);
    expect(doesBind('7.1.g', [...onlineBroker, 'apiServices'])).toBe(true);
    // Brokerage-only items.
    expect(itemAt('7.2.e').scope).toMatchObject({ when: { fact: 'brokerage' }, text: '證券經紀商' });
    expect(doesBind('7.2.f', ['onlineOrdering'])).toBe(false);
    expect(doesBind('10.3', ['onlineOrdering'])).toBe(false);
    // Public companies only.
    expect(itemAt('8.5.d').scope).toMatchObject({ when: { fact: 'publicCompany' }, text: '公司如屬公開發行公司者' });
    expect(doesBind('8.5.d', onlineBroker)).toBe(false);
    // Emerging technology: cloud users and providers are different firms.
    expect(doesBind('12.1.a', ['cloudUser'])).toBe(true);
    expect(doesBind('12.1.b', ['cloudUser'])).toBe(false);
    expect(doesBind('12.4.c', [])).toBe(false);
    expect(doesBind('12.4.c', ['iot'])).toBe(true);
    // Conditions read from the text itself (see each item's note).
    expect(doesBind('8.3.h.a', voiceOnlyBroker)).toBe(false);
    expect(doesBind('8.3.h.a', [...voiceOnlyBroker, 'electronicTrading'])).toBe(true);
    expect(doesBind('12.2.c.a', ['socialMedia'])).toBe(true);
    expect(doesBind('12.2.c.b', ['socialMedia'])).toBe(false);
    expect(doesBind('12.2.c.b', ['socialMedia', 'website'])).toBe(true);
    expect(doesBind('12.2.b', [])).toBe(true); // staff use of social media: every firm
    // Not limited to international transfer: binds every firm.
    expect(itemAt('8.5.j').scope).toBeNull();
    expect(itemAt('2.1').scope).toBeNull();
  });

  it('quotes every scope in the source’s own words', () => {
    for (const item of items.filter((candidate) => candidate.scope !== null)) {
      const statedIn = itemAt(item.scope!.statedAt);
      const words = item.scope!.text;
      expect(statedIn.text, item.id).toContain(words);
    }
  });

  it('dates the rules that give an effective date, from their own text', () => {
    expect(itemAt('2.8').effective).toMatchObject({
      from: '2022-01-31',
      milestones: [
        { label: '導入', from: '2022-01-31' },
        { label: '驗證', from: '2023-01-31' },
      ],
    });
    expect(itemAt('7.1.i.b').effective?.from).toBe('2023-01-31');
    expect(itemAt('7.1.i.a').effective?.from).toBe('2022-01-31');
    expect(itemAt('3.6').effective).toMatchObject({ from: '2023-01-31', text: '112 年 1 月底生效', statedAt: '3.6' });
    for (const item of items) {
      const stated = /\((\d+) 年 (\d+) 月底(?:導入)?生效/.exec(item.text!);
      if (stated) {
        expect(item.effective?.statedAt, item.id).toBe(item.path);
        expect(item.effective?.from, item.id).toBe(endOfRocMonth(Number(stated[1]), Number(stated[2])));
        expect(item.text, item.id).toContain(item.effective!.text);
      }
    }
    expect(items.filter((item) => item.effective !== null).map((item) => item.path)).toEqual([
      '2.8', '3.6', '4.3', '7.1.i.a', '7.1.i.b', '7.1.i.c', '7.1.i.d', '7.1.i.e', '7.1.i.f', '10.4',
    ]);
  });

  it('marks the rules that depend on the firm’s security tier', () => {
    for (const item of items.filter((candidate) => candidate.text!.includes('所屬資安分級'))) {
      expect(item.tierDependent, item.id).toBe(true);
    }
    expect(itemAt('3.3').tierDependent).toBe(true);
    expect(itemAt('10.4').tierDependent).toBe(true);
    expect(itemAt('3.2').tierDependent).toBe(false);
  });

  it('refers only to items that exist', () => {
    const ids = new Set(items.map((item) => item.id));
    for (const item of items) {
      for (const ref of item.refs) {
        expect(ids.has(ref), `${item.id} → ${ref}`).toBe(true);
      }
    }
    expect(itemAt('9.10.e').refs).toEqual(['CSIM:9.10.a', 'CSIM:9.10.b', 'CSIM:9.10.c', 'CSIM:9.10.d']);
  });
});
