import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../catalog-files/load-catalog.ts';
import {
  CHECK_NAMES, CheckUnavailableError, UnknownCheckError, buildCheckInput, findCitedItem, listChecks, loadCheck, runCheckWithTimeout, selectMasItems,
} from './registry.ts';
import { CheckInputError } from './types.ts';

const catalog = loadCatalog();
const masItems = selectMasItems(catalog);

describe('check registry', () => {
  it.each(CHECK_NAMES)('loads %s as a definition with that id, citing catalog items that exist', async (name) => {
    const definition = await loadCheck(name, { masItems });
    expect(definition.id).toBe(name);
    expect(definition.items.length).toBeGreaterThan(0);
    const missing = definition.items.filter((id) => !findCitedItem(catalog, id));
    expect(missing).toEqual([]);
  });

  it('hands app-report the 42 MAS 3.2 items and refuses to run it without them', async () => {
    expect(masItems.map((item) => item.path)).toEqual(Array.from({ length: 42 }, (_, index) => String(index + 1)));
    expect(masItems[0]).toMatchObject({ requirementCode: expect.any(String), category: expect.any(String), levels: expect.any(Object) });
    await expect(loadCheck('app-report')).rejects.toBeInstanceOf(CheckUnavailableError);
    const check = await loadCheck('app-report', { masItems });
    const result = await check.run([{ name: 'report.csv', text: 'number,result\n1,符合\n' }], { level: 'L1' });
    expect(result.stats.required).toBe(23);
  });

  it.each(CHECK_NAMES)('refuses to run %s on no input at all (no "pass, 0 targets" evidence)', async (name) => {
    const definition = await loadCheck(name, { masItems });
    const run = runCheckWithTimeout(definition, [], { level: 'L1' }, 5000);
    await expect(run).rejects.toBeInstanceOf(CheckInputError);
    await expect(run).rejects.toThrow(new RegExp(`check "${name}" needs at least one ${name === 'tls' ? 'file or host:port target' : 'file'}`));
  });

  it('rejects an unknown name and lists every check', async () => {
    await expect(loadCheck('antivirus')).rejects.toBeInstanceOf(UnknownCheckError);
    const checks = await listChecks({ masItems });
    expect(checks.filter((check) => check.available).map((check) => check.name)).toEqual([...CHECK_NAMES]);
    expect(checks.filter((check) => check.isLiveTarget).map((check) => check.name)).toEqual(['tls']);
  });

  it('resolves unversioned citations to the newest version and versioned ones exactly', () => {
    expect(findCitedItem(catalog, 'CSIM:8.3.e')?.version).toBe('112');
    expect(findCitedItem(catalog, 'CSIM@109:7.1.d')?.version).toBe('109');
    expect(findCitedItem(catalog, 'CSIM:99.99')).toBeUndefined();
  });

  it.each([
    ['rules.txt', Buffer.from('-A INPUT -j ACCEPT\n'), 'text'],
    ['policy.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('最小長度 8', 'utf16le')]), 'text'],
    ['inventory.xlsx', Buffer.from('PK\u0003\u0004rest'), 'bytes'],
    ['unnamed', Buffer.from('PK\u0003\u0004rest'), 'bytes'],
    ['cert.der', Buffer.from([0x30, 0x82, 0x01]), 'bytes'],
    ['blob.bin', Buffer.from([0xc3, 0x28]), 'bytes'],
  ])('reads %s as %s', (name, content, kind) => {
    const input = buildCheckInput(name, new Uint8Array(content));
    expect(kind === 'text' ? input.text : input.bytes).toBeDefined();
    expect(kind === 'text' ? input.bytes : input.text).toBeUndefined();
  });
});
