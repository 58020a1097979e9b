import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CatalogFileError, parseVersionFile } from './parse.ts';
import { loadCatalog } from '../../catalog-files/load-catalog.ts';

const header = `document: CSIM
version: "109"
title: 建立證券商資通安全檢查機制
date: 2020-12-11
source: { file: 003.txt }
`;

function errorOf(text: string): CatalogFileError {
  try {
    parseVersionFile(text, 'catalog/csim/109.yaml');
  } catch (error) {
    if (error instanceof CatalogFileError) return error;
    throw error;
  }
  throw new Error('expected a CatalogFileError');
}

describe('a broken catalog file names the file, the line and the field', () => {
  it.each([
    {
      name: 'unknown cycle',
      text: `${header}items:\n  - path: "1"\n    text: 風險評鑑與管理\n    cycle: weekly\n`,
      line: 9, field: 'items[0].cycle',
    },
    {
      name: 'text missing without notInSource',
      text: `${header}items:\n  - path: "1"\n    label: "1."\n`,
      line: 7, field: 'items[0].text',
    },
    {
      name: 'malformed path',
      text: `${header}items:\n  - path: "1"\n    text: 甲\n  - path: "1.(2)"\n    text: 乙\n`,
      line: 9, field: 'items[1].path',
    },
    {
      name: 'bad effective date',
      text: `${header}items:\n  - path: "2.8"\n    text: 甲\n    effective: { from: 2022-13-45, text: 111 年 1 月底生效 }\n`,
      line: 9, field: 'items[0].effective',
    },
    {
      name: 'unknown scope fact',
      text: `${header}items:\n  - path: "1"\n    text: 甲\n    scope:\n      when: { fact: onlineShopping }\n      text: 適用網際網路下單證券商\n`,
      line: 10, field: 'items[0].scope.when',
    },
    {
      name: 'unknown field (a typo)',
      text: `${header}items:\n  - path: "1"\n    txet: 甲\n`,
      line: 7, field: 'items[0]',
    },
  ])('$name', ({ text, line, field }) => {
    const error = errorOf(text);
    expect(error.file).toBe('catalog/csim/109.yaml');
    expect(error.line).toBe(line);
    expect(error.field.startsWith(field)).toBe(true);
    expect(error.message).toContain(`catalog/csim/109.yaml:${line}`);
  });

  it('reports YAML syntax errors with their line', () => {
    const error = errorOf(`${header}items:\n  - path: "1"\n    text: [unclosed\n`);
    expect(error.reason).toMatch(/YAML syntax/);
    expect(error.line).toBeGreaterThanOrEqual(8);
  });

  it('refuses a version defined twice and a change to an item its base lacks', () => {
    const dir = mkdtempSync(join(tmpdir(), 'anjian-catalog-'));
    mkdirSync(join(dir, 'csim'));
    writeFileSync(join(dir, 'csim', '109.yaml'), `${header}items:\n  - path: "1"\n    text: 甲\n`);
    writeFileSync(join(dir, 'csim', '112.yaml'), `document: CSIM\nversion: "112"\nbase: "109"\ntitle: t\ndate: 2023-08-15\nsource: { file: 002.txt }\nchanges:\n  - op: change\n    path: "9.9"\n    text: 乙\n`);
    expect(() => loadCatalog(dir)).toThrow(/112\.yaml: changes\[0\]\.path: changed item 9\.9 is not in this version/);
    writeFileSync(join(dir, 'csim', '112.yaml'), header + 'items:\n  - path: "1"\n    text: 甲\n');
    expect(() => loadCatalog(dir)).toThrow(/version 109 of CSIM is also defined/);
  });
});
