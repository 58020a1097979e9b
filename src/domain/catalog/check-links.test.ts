/** Loading a catalog whose links point nowhere, or whose `was` misquotes its base, stops with file:line: field. */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../catalog-files/load-catalog.ts';
import { CatalogFileError } from './parse.ts';

const base = `document: CSIM
version: "109"
title: 建立證券商資通安全檢查機制
date: 2020-12-11
source: { file: 003.txt }
items:
  - path: "7"
    text: 通訊與作業管理
  - path: "7.1"
    text: 網路安全管理（另 a 項並適用於所有證券商）
  - path: "7.1.a"
    text: 網路系統安全評估
    scope:
      when: { always: true }
      text: 另 a 項並適用於所有證券商
      statedAt: "7.1"
    refs: ["NET:4.1.3"]
`;
const net = `document: NET
version: "1"
title: 網路安全自律規範
date: 2022-12-31
source: { file: 001.txt }
items:
  - path: "4"
    text: 網路安全管理
  - path: "4.1"
    text: 網路架構
  - path: "4.1.3"
    text: 證券商經由網際網路連線至內部網路進行遠距之系統維護，應落實身份認證機制。
`;
const amendment = (change: string) => `document: CSIM
version: "112"
base: "109"
title: 建立證券商資通安全檢查機制
date: 2023-08-15
source: { file: 002.txt }
changes:
${change}`;

const directories: string[] = [];
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

function catalogDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'anjian-links-'));
  directories.push(dir);
  mkdirSync(join(dir, 'csim'));
  mkdirSync(join(dir, 'net'));
  for (const [name, text] of Object.entries({ 'csim/109.yaml': base, 'net/1.yaml': net, ...files })) writeFileSync(join(dir, name), text);
  return dir;
}

function loadError(dir: string): CatalogFileError {
  try {
    loadCatalog(dir);
  } catch (error) {
    if (error instanceof CatalogFileError) return error;
    throw error;
  }
  throw new Error('expected the catalog to be refused');
}

describe('catalog links are checked on load', () => {
  it('a sound catalog loads', () => {
    const dir = catalogDir({ 'csim/112.yaml': amendment('  - op: change\n    path: "7.1.a"\n    text: 網路系統安全評估：\n    was: 網路系統安全評估\n    reasonRefs: ["NET:4.1.3"]\n') });
    expect(loadCatalog(dir).map((version) => `${version.document}@${version.version}`).sort()).toEqual(['CSIM@109', 'CSIM@112', 'NET@1']);
  });

  it.each<{ name: string; files: Record<string, string>; file: string; line: number; field: string; reason: RegExp }>([
    {
      name: 'a ref to an item no version has',
      files: { 'csim/109.yaml': base.replace('"NET:4.1.3"', '"NET:4.1.9"') },
      file: 'csim/109.yaml', line: 17, field: 'items[2].refs[0]', reason: /NET:4\.1\.9: no item 4\.1\.9/,
    },
    {
      name: 'a scope stated at an item that does not exist',
      files: { 'csim/109.yaml': base.replace('statedAt: "7.1"', 'statedAt: "7.2"') },
      file: 'csim/109.yaml', line: 16, field: 'items[2].scope.statedAt', reason: /no item 7\.2/,
    },
    {
      name: 'a 說明 reference to a missing rule',
      files: { 'csim/112.yaml': amendment('  - op: change\n    path: "7.1.a"\n    text: 網路系統安全評估：\n    reasonRefs: ["NET:4.1.3", "NET:4.2.9"]\n') },
      file: 'csim/112.yaml', line: 11, field: 'changes[0].reasonRefs[1]', reason: /NET:4\.2\.9: no item 4\.2\.9 in NET@1/,
    },
    {
      name: 'a reference to an unknown document',
      files: { 'csim/112.yaml': amendment('  - op: change\n    path: "7.1.a"\n    text: 網路系統安全評估：\n    reasonRefs: ["NETS:4.1.3"]\n') },
      file: 'csim/112.yaml', line: 11, field: 'changes[0].reasonRefs[0]', reason: /no document NETS/,
    },
    {
      name: 'a versioned ref to a version that does not exist',
      files: { 'csim/112.yaml': amendment('  - op: add\n    path: "7.1.b"\n    after: "7.1.a"\n    text: 防火牆之安全管理\n    refs: ["CSIM@111:7.1.a"]\n') },
      file: 'csim/112.yaml', line: 12, field: 'changes[0].refs[0]', reason: /CSIM has no version 111/,
    },
    {
      name: 'a `was` that misquotes the base text',
      files: { 'csim/112.yaml': amendment('  - op: change\n    path: "7.1"\n    text: 網路安全管理（另 a、b 項並適用於所有證券商）\n    was: 網路安全管理（另 b 項並適用於所有證券商）\n') },
      file: 'csim/112.yaml', line: 11, field: 'changes[0].was', reason: /differs from the text of CSIM@109:7\.1/,
    },
  ])('refuses $name with file:line: field', ({ files, file, line, field, reason }) => {
    const dir = catalogDir(files);
    const error = loadError(dir);
    expect(error.file.endsWith(join(...file.split('/')))).toBe(true);
    expect(error.field).toBe(field);
    expect(error.line).toBe(line);
    expect(error.reason).toMatch(reason);
    expect(error.message).toContain(`${relative(process.cwd(), join(dir, file))}:${line}: ${field}: `);
  });

  it('ignores only white space when comparing `was` (the tables print 以OWASP for 以 OWASP)', () => {
    const spaced = base.replace('網路系統安全評估\n', '網路系統安全評估 OWASP TOP 10\n');
    const dir = catalogDir({
      'csim/109.yaml': spaced,
      'csim/112.yaml': amendment('  - op: change\n    path: "7.1.a"\n    text: 網路系統安全評估：\n    was: 網路系統安全評估OWASP TOP10\n'),
    });
    expect(() => loadCatalog(dir)).not.toThrow();
  });
});
