/**
 * Reviewer checks on the catalog files of the four documents besides CSIM: NET (網路安全自律規範),
 * ETECH (新興科技資通安全自律規範, 111.07 and 111.09), MAS (App 檢測報告自我檢核表, 基準 V3.2) and BRIEF
 * (the regulator's briefing). Each document's folder is loaded on its own through the real loader, so a
 * broken file elsewhere in catalog/ does not hide what these files say.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CATALOG_DIR, loadCatalog } from '../../catalog-files/load-catalog.ts';
import type { CatalogItem, CatalogVersion } from './resolve.ts';

const versions: CatalogVersion[] = ['net', 'etech', 'mas', 'brief'].flatMap((folder) =>
  loadCatalog(join(DEFAULT_CATALOG_DIR, folder)),
);

function versionOf(document: string, version?: string): CatalogVersion {
  const found = versions.filter((candidate) => candidate.document === document && (version === undefined || candidate.version === version));
  if (found.length !== 1) {
    throw new Error(`expected one ${document}${version ? `@${version}` : ''} version, found ${found.length}`);
  }
  return found[0];
}

function itemAt(version: CatalogVersion, path: string): CatalogItem {
  const item = version.items.find((candidate) => candidate.path === path);
  if (!item) {
    throw new Error(`${version.document}@${version.version}:${path} is not in the catalog`);
  }
  return item;
}

const net = versionOf('NET');
const etechBefore = versionOf('ETECH', '111.07');
const etech = versionOf('ETECH', '111.09');
const mas = versionOf('MAS', '3.2');
const brief = versionOf('BRIEF');

describe('MAS 3.2 self-check list', () => {
  it('has the 42 rows numbered 1 to 42 in order', () => {
    expect(mas.items.map((item) => item.path)).toEqual(Array.from({ length: 42 }, (_, index) => String(index + 1)));
  });

  it('counts the same L1, L2, L3 and F rows as the header states', () => {
    const count = (level: 'L1' | 'L2' | 'L3' | 'F') => mas.items.filter((item) => item.levels?.[level]).length;
    expect({ L1: count('L1'), L2: count('L2'), L3: count('L3'), F: count('F') }).toEqual({ L1: 23, L2: 29, L3: 35, F: 6 });
  });

  it.each([
    ['1', '4.1.1.1.2', '行動應用程式發布安全', { L1: true, L2: true, L3: true, F: false }],
    ['2', '4.1.1.1.3', '行動應用程式發布安全', { L1: false, L2: false, L3: false, F: true }],
    ['10', '4.1.2.3.4', '敏感性資料保護', { L1: true, L2: true, L3: false, F: false }],
    ['11', '4.1.2.3.5', '敏感性資料保護', { L1: false, L2: false, L3: true, F: false }],
    ['17', '4.1.2.3.11', '敏感性資料保護', { L1: false, L2: true, L3: true, F: false }],
    ['28', '4.1.3.2.2', '交易資源控管安全', { L1: false, L2: false, L3: true, F: false }],
    ['40', '4.1.5.5.5', '行動應用程式碼安全', { L1: false, L2: false, L3: false, F: true }],
    ['42', '4.2.2.1.2', '伺服器端安全檢測', { L1: true, L2: true, L3: true, F: false }],
  ])('row %s is %s (%s) with its marks', (path, requirementCode, category, levels) => {
    const item = itemAt(mas, path);
    expect(item.requirementCode).toBe(requirementCode);
    expect(item.category).toBe(category);
    expect(item.levels).toEqual(levels);
  });

  it('keeps the requirement text of a row cut by a page break whole', () => {
    expect(itemAt(mas, '8').text).toBe('行動應用程式應於儲存敏感性資料前，取得使用者同意。');
    expect(itemAt(mas, '13').text).toBe('敏感性資料應儲存於受作業系統保護之區域，以防止其他應用程式未經授權之存取。');
  });

  it('gives every row a requirement code, a category and exactly the F mark or some L mark', () => {
    for (const item of mas.items) {
      expect(item.requirementCode, item.path).toMatch(/^4\.\d+\.\d+\.\d+\.\d+$/);
      expect(item.category, item.path).toBeTruthy();
      const levels = item.levels!;
      expect(levels.F !== (levels.L1 || levels.L2 || levels.L3), item.path).toBe(true);
    }
  });
});

describe('NET 網路安全自律規範', () => {
  it('numbers 第四條 一、(三) as 4.1.3 with its clean text', () => {
    const item = itemAt(net, '4.1.3');
    expect(item.label).toBe('(三)');
    expect(item.text).toBe('證券商經由網際網路連線至內部網路進行遠距之系統維護，應落實身份認證機制。');
  });

  it('requires multi-factor authentication for remote connections in 5.3.1', () => {
    const item = itemAt(net, '5.3.1');
    expect(item.text).toContain('多因子身分驗證機制');
    expect(item.text).toBe(
      '證券商應訂定遠端連線管理辦法，建立使用限制、組態需求、連線需求的遠距連線機制，亦應包含採多因子身分驗證機制、加密連線、採最小授權原則、留存完整使用者操作稽核軌跡、監控與警示異常操作行為、執行安全性漏洞更新等安控措施，並留存相關紀錄由權責主管定期覆核。',
    );
  });

  it('limits only the penetration test and the security health check to 第一類證券商', () => {
    const typeOneOnly = net.items.filter((item) => item.scope && JSON.stringify(item.scope.when) === '{"fact":"type1"}');
    expect(typeOneOnly.map((item) => item.path)).toEqual(['6.3.3', '6.3.4']);
    expect(typeOneOnly.every((item) => item.scope?.text === '第一類證券商')).toBe(true);
  });

  it('binds the DDoS protection to firms with internet ordering or an official website', () => {
    expect(itemAt(net, '6.1').scope?.when).toEqual({ any: [{ fact: 'onlineOrdering' }, { fact: 'website' }] });
    expect(itemAt(net, '6.2').scope).toBeNull();
  });

  it('has the eight articles', () => {
    expect(net.items.filter((item) => item.depth === 1).map((item) => item.label)).toEqual([
      '第一條', '第二條', '第三條', '第四條', '第五條', '第六條', '第七條', '第八條',
    ]);
  });
});

describe('ETECH 新興科技資通安全自律規範', () => {
  it('states the two-of-three factor rule for electronic trading login in article 9', () => {
    expect(itemAt(etech, '9.p1').text).toBe('證券商提供電子式交易登入時，其安全設計應具有下列三項之任兩項以上技術：');
    expect(itemAt(etech, '9.1').text).toBe('證券商所約定之資訊，且無第三人知悉（如固定密碼、圖形鎖或手勢等）。');
    expect(itemAt(etech, '9.2').text).toContain('客戶所持有之實體設備');
    expect(itemAt(etech, '9.3').text).toContain('生物特徵');
    expect(itemAt(etech, '9.p2').text).toBe('證券商對於電子式交易身分的申請、交付、使用、更新與驗證應訂有相關控管措施。');
    expect(itemAt(etech, '9.p7').text).toContain('密碼輸入錯誤次數達 3 次者應予帳號鎖定');
  });

  it('applies article 9 to internet trading only, citing the definition in 第二條 六、', () => {
    const scope = itemAt(etech, '9.p3').scope;
    expect(scope?.when).toEqual({ fact: 'onlineOrdering' });
    expect(scope?.statedAt).toBe('2.6');
    expect(scope?.text).toContain('不包含電話語音、電子式專屬線路下單');
  });

  it('keeps the lineage of the old 第九條 違規處理程序, renumbered to 11', () => {
    const oldArticle = itemAt(etechBefore, '9');
    const renumbered = itemAt(etech, '11');
    expect(oldArticle.title).toBe('違規處理程序');
    expect(renumbered.title).toBe('違規處理程序');
    expect(renumbered.lineage).toBe(oldArticle.lineage);
    expect(renumbered.change).toMatchObject({ kind: 'renumbered', fromPath: '9', reason: '調整條次。', row: 8 });
    expect(itemAt(etech, '12').lineage).toBe(itemAt(etechBefore, '10').lineage);
    expect(itemAt(etech, '9').lineage).not.toBe(oldArticle.lineage);
    expect(itemAt(etech, '9').change?.kind).toBe('added');
  });

  it('records the changed wording with what it was and why', () => {
    const purpose = itemAt(etech, '1.p1');
    expect(purpose.text).toBe('為強化證券商管理及應用新興科技，特訂定本自律規範。');
    expect(purpose.change?.was).toBe(itemAt(etechBefore, '1.p1').text);
    expect(purpose.change?.reason).toBe('依管控指引第一條(目的)修正規範目的。');
    expect(itemAt(etech, '10.p1').scope?.when).toEqual({ fact: 'videoIdentityVerification' });
  });

  it('has twelve articles now and ten before', () => {
    const articles = (version: CatalogVersion) => version.items.filter((item) => item.depth === 1).map((item) => item.path);
    expect(articles(etech)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12']);
    expect(articles(etechBefore)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
  });
});

describe('glossary terms', () => {
  const terms = (version: CatalogVersion) => version.items.flatMap((item) => (item.definition ? [item.definition.term] : []));

  it('lists the definitions of NET 第二條', () => {
    expect(terms(net)).toEqual(expect.arrayContaining(['資通系統', '存取', '網路設備', '資通安全事件', '資訊資產', '第一類證券商', '第二類證券商', '外國證券商']));
  });

  it('adds the 111.09 ETECH definitions only to that version', () => {
    expect(terms(etech)).toEqual(expect.arrayContaining(['雲端運算服務', '社群媒體', '行動裝置', '員工自攜行動裝置(BYOD)', '物聯網設備', '電子式交易驗證', '深度偽造(Deepfake)']));
    expect(terms(etechBefore)).not.toContain('電子式交易驗證');
    expect(terms(etechBefore)).not.toContain('深度偽造(Deepfake)');
  });
});

describe('BRIEF obligations', () => {
  it('keeps the CISO criteria in the source wording with its three conditions', () => {
    const rule = itemAt(brief, '1.p1');
    expect(rule.text).toContain('實收資本額達新臺幣(以下同)一百億元以上或符合下列條件者');
    expect(rule.scope?.when).toEqual({ fact: 'cisoRequired' });
    expect(['1.1', '1.2', '1.3'].map((path) => itemAt(brief, path).text)).toEqual([
      '網際網路下單加計電子式專屬線路下單(Direct Market Access，以下簡稱DMA)成交金額達公司成交金額百分之六十。',
      '經紀業務成交金額市占率達全市場百分之二。',
      '自然人客戶數達公司客戶數百分之五十。',
    ]);
  });

  it('binds the online-ordering capacity review to internet-ordering firms', () => {
    const review = itemAt(brief, '4.p1');
    expect(review.text).toContain('衡量現有設備是否足以負載');
    expect(review.scope?.when).toEqual({ fact: 'onlineOrdering' });
  });
});

describe('every item of the four documents', () => {
  const all = versions.flatMap((version) => version.items);
  const pageArtefacts = ['檢測項目 編號', '修正後條文', '原條文 說明', '填寫人', '資料來源'];

  it('has text or is marked as not in the source', () => {
    for (const item of all) {
      expect(item.text !== null || item.notInSource, item.versionedId).toBe(true);
    }
  });

  it('has clean text: no line breaks, doubled spaces, page artefacts or repeated label', () => {
    for (const item of all) {
      const text = item.text ?? '';
      expect(text, item.versionedId).not.toMatch(/[\r\n\t]| {2}|^\s|\s$/);
      for (const artefact of pageArtefacts) {
        expect(text, item.versionedId).not.toContain(artefact);
      }
      if (item.label) {
        expect(text.startsWith(item.label), item.versionedId).toBe(false);
      }
    }
  });

  it('points every item at a line of its seed file', () => {
    for (const item of all) {
      expect(item.sourceLine, item.versionedId).toBeGreaterThan(0);
    }
  });
});
