import { describe, expect, it } from 'vitest';
import { extractTerms, foldForSearch, highlight, queryPhrases, queryTerms } from './grams.ts';

describe('variant characters', () => {
  it.each([
    ['身份認證', '身分認證'],
    ['在台子公司', '在臺子公司'],
    ['防火墻', '防火牆'],
    ['ＡＰＩ', 'api'],
  ])('%s and %s fold to the same text', (a, b) => {
    expect(foldForSearch(a)).toBe(foldForSearch(b));
    expect(queryTerms(a).sort()).toEqual(queryTerms(b).sort());
  });

  it('份 outside 身份 is left alone (股份 is not 股分)', () => {
    expect(foldForSearch('股份有限公司')).toBe('股份有限公司');
  });

  it('a query in one spelling finds the terms indexed from the other', () => {
    const indexed = extractTerms('應落實身份認證機制');
    for (const term of queryTerms('身分認證')) expect(indexed.has(term), term).toBe(true);
  });

  it('highlights the verbatim text whichever spelling was searched', () => {
    expect(highlight('外資集團在台子公司', queryPhrases('在臺'))).toEqual([
      { text: '外資集團', hit: false },
      { text: '在台', hit: true },
      { text: '子公司', hit: false },
    ]);
    expect(highlight('應落實身份認證機制', queryPhrases('身分'))).toEqual([
      { text: '應落實', hit: false },
      { text: '身份', hit: true },
      { text: '認證機制', hit: false },
    ]);
    expect(highlight('使用 API 服務', queryPhrases('api'))).toEqual([
      { text: '使用 ', hit: false },
      { text: 'API', hit: true },
      { text: ' 服務', hit: false },
    ]);
  });
});
