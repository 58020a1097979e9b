import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CheckInputError, type CheckInput } from '../types.ts';
import { isSharedAccountName } from './account-rules.ts';
import { runAccountsBench } from './bench.ts';
import { accountsCheck } from './index.ts';
import { analyseAdExportStream } from './parse-ad-export.ts';
import { parseAccountDate } from './parse-account-date.ts';
import { parseGenericAccounts, parseLeavers } from './parse-account-lists.ts';
import { parseLinuxAccounts, parseLoginRecords } from './parse-linux-accounts.ts';

const AT = '2024-12-31';
const AD_HEADER = '#TYPE Selected.Microsoft.ActiveDirectory.Management.ADUser\n"SamAccountName","Enabled","LastLogonDate","SID","MemberOf","whenCreated","EmployeeID"';

interface AdUser {
  name: string;
  enabled?: string;
  lastLogon?: string;
  sid?: string;
  memberOf?: string;
  created?: string;
  employeeId?: string;
}

function buildAdExport(users: AdUser[]): string {
  const rows = users.map((user, index) =>
    [
      user.name,
      user.enabled ?? 'True',
      user.lastLogon ?? '12/1/2024 9:00:00 AM',
      user.sid ?? `S-1-5-21-1-2-3-${1100 + index}`,
      user.memberOf ?? '',
      user.created ?? '1/1/2020 9:00:00 AM',
      user.employeeId ?? '',
    ]
      .map((value) => `"${value}"`)
      .join(','),
  );
  return [AD_HEADER, ...rows].join('\r\n') + '\r\n';
}

async function run(inputs: CheckInput[], options: Record<string, unknown> = {}) {
  return accountsCheck.run(inputs, { at: AT, ...options });
}

function rulesFor(result: Awaited<ReturnType<typeof run>>, subject: string): string[] {
  return result.findings.filter((finding) => finding.location.subject === subject).map((finding) => finding.rule);
}

describe('parseAccountDate', () => {
  it.each([
    ['1/15/2024 3:04:05 PM', '2024-01-15T15:04:05.000Z'],
    ['12/31/2023 12:00:00 AM', '2023-12-31T00:00:00.000Z'],
    ['1/15/2024', '2024-01-15T00:00:00.000Z'],
    ['2024/1/15 下午 03:04:05', '2024-01-15T15:04:05.000Z'],
    ['2024/1/15 上午 12:30:00', '2024-01-15T00:30:00.000Z'],
    ['2024/01/15 15:04:05', '2024-01-15T15:04:05.000Z'],
    ['2024-01-15T15:04:05', '2024-01-15T15:04:05.000Z'],
    ['2024-01-15T15:04:05+08:00', '2024-01-15T07:04:05.000Z'],
    ['2024-01-15', '2024-01-15T00:00:00.000Z'],
    ['133498046450000000', '2024-01-15T15:04:05.000Z'],
  ])('%s', (text, iso) => {
    expect(parseAccountDate(text)?.toISOString()).toBe(iso);
  });

  it.each(['', '0', '9223372036854775807', 'Never'])('%j is never', (text) => {
    expect(parseAccountDate(text)).toBeNull();
  });

  it.each(['13/1/2024', '2/30/2024 1:00:00 PM', 'yesterday', '2024-13-01'])('%j is rejected', (text) => {
    expect(() => parseAccountDate(text, 'x.csv', 7)).toThrow(expect.objectContaining({ line: 7 }));
  });
});

describe('AD export', () => {
  it('applies each rule to the account it concerns', async () => {
    const text = buildAdExport([
      { name: 'alice' },
      { name: 'bob', lastLogon: '3/1/2024 10:00:00 AM' },
      { name: 'carol', lastLogon: '' },
      { name: 'newbie', lastLogon: '', created: '12/1/2024 9:00:00 AM' },
      { name: 'dave', lastLogon: '1/1/2023 9:00:00 AM', enabled: 'False' },
      { name: 'itadmin', sid: 'S-1-5-21-1-2-3-500' },
      { name: 'Guest', sid: 'S-1-5-21-1-2-3-501', enabled: 'False' },
      { name: 'sa' },
      { name: 'test01' },
      { name: 'svc_backup' },
      { name: 'erin', memberOf: 'CN=Domain Admins,CN=Users,DC=corp,DC=example;CN=Staff,OU=G,DC=corp,DC=example' },
    ]);
    const result = await run([{ name: 'ad.csv', text }]);
    expect(rulesFor(result, 'alice')).toEqual([]);
    expect(rulesFor(result, 'bob')).toEqual(['accounts.unused']);
    expect(rulesFor(result, 'carol')).toEqual(['accounts.never-used']);
    expect(result.findings.find((finding) => finding.location.subject === 'newbie')?.status).toBe('warning');
    expect(rulesFor(result, 'dave')).toEqual([]);
    expect(rulesFor(result, 'itadmin')).toEqual(['accounts.builtin-administrator']);
    expect(rulesFor(result, 'Guest')).toEqual([]);
    expect(rulesFor(result, 'sa')).toEqual(['accounts.default-name']);
    expect(rulesFor(result, 'test01')).toEqual(['accounts.shared']);
    expect(rulesFor(result, 'svc_backup')).toEqual(['accounts.shared']);
    expect(rulesFor(result, 'erin')).toEqual(['accounts.privileged']);
    const bob = result.findings.find((finding) => finding.location.subject === 'bob')!;
    expect(bob.location.line).toBe(4);
    expect(bob.detail?.idleDays).toBe(304);
    expect(result.stats.accounts).toBe(11);
    expect(result.status).toBe('fail');
  });

  it('flags enabled leavers and expired vendor accounts', async () => {
    const result = await run([
      { name: 'ad.csv', text: buildAdExport([{ name: 'frank', employeeId: 'E042' }, { name: 'grace' }, { name: 'v-acme' }, { name: 'v-beta' }]) },
      { name: 'leavers.csv', text: 'employeeId,leaveDate\nE042,2024-11-30\n' },
      { name: 'hr-future.csv', text: '帳號,離職日\ngrace,2025/1/31\n' },
      { name: 'vendors.csv', text: 'account,vendor,contractEnd\nv-acme,Acme,2024-06-30\nv-beta,Beta,2025-06-30\n' },
    ]);
    expect(rulesFor(result, 'frank')).toEqual(['accounts.leaver-enabled']);
    expect(rulesFor(result, 'grace')).toEqual([]);
    expect(rulesFor(result, 'v-acme')).toEqual(['accounts.vendor-expired']);
    expect(rulesFor(result, 'v-beta')).toEqual([]);
  });

  it('reports missing last-logon data as unknown, never as pass', async () => {
    const text = '"SamAccountName","Enabled"\n"alice","True"\n';
    const result = await run([{ name: 'ad.csv', text }]);
    expect(result.findings.map((finding) => finding.status)).toEqual(['unknown']);
    expect(result.status).toBe('warning');
  });

  it('honours unusedDays given as a string option and rejects a bad one', async () => {
    const text = buildAdExport([{ name: 'hana', lastLogon: '8/1/2024 9:00:00 AM' }]);
    expect(rulesFor(await run([{ name: 'ad.csv', text }]), 'hana')).toEqual([]);
    expect(rulesFor(await run([{ name: 'ad.csv', text }], { unusedDays: '90' }), 'hana')).toEqual(['accounts.unused']);
    await expect(run([{ name: 'ad.csv', text }], { unusedDays: 'soon' })).rejects.toBeInstanceOf(CheckInputError);
  });

  it('caps findings per rule and counts the rest', async () => {
    const users = Array.from({ length: 30 }, (_, index) => ({ name: `u${index}`, lastLogon: '' }));
    const result = await run([{ name: 'ad.csv', text: buildAdExport(users) }], { maxFindingsPerRule: 10 });
    expect(result.findings.filter((finding) => finding.rule === 'accounts.never-used')).toHaveLength(10);
    expect(result.stats['rule:accounts.never-used']).toBe(30);
    expect(result.findings.some((finding) => finding.rule === 'accounts.truncated')).toBe(true);
  });

  it.each([
    ['"SamAccountName","Enabled"\n"alice","True"\n"bob","Maybe"\n', 3],
    ['"SamAccountName","Enabled"\n"alice","True"\n"bob"\n', 3],
    ['"SamAccountName","Enabled"\n"alice","True"\n"bob,"True"\n', undefined],
    ['"Name","Enabled"\n"alice","True"\n', 1],
    ['"SamAccountName","Enabled","LastLogonDate"\n"a","True","1/1/2024"\n"b","True","soon"\n', 3],
  ])('malformed export %#', async (text, line) => {
    const promise = analyseAdExportStream(text, { at: new Date(AT), file: 'bad.csv' });
    await expect(promise).rejects.toBeInstanceOf(CheckInputError);
    if (line !== undefined) {
      await expect(promise).rejects.toMatchObject({ line, file: 'bad.csv' });
    }
  });

  it('keeps line numbers right after a quoted multi-line value', async () => {
    const text = '"SamAccountName","Enabled","LastLogonDate","MemberOf"\n"a","True","12/1/2024","CN=Staff,DC=x\nCN=Ops,DC=x"\n"b","True","1/1/2020",""\n';
    const result = await analyseAdExportStream(text, { at: new Date(AT), file: 'ad.csv' });
    expect(result.findings.find((finding) => finding.location.subject === 'b')?.location.line).toBe(4);
  });

  it('analyses 20,000 streamed rows with a flat finding list', async () => {
    const result = await runAccountsBench(20_000);
    expect(result.rows).toBe(20_000);
    expect(result.findings).toBeLessThan(3_000);
  });
});

describe('Linux accounts', () => {
  const passwd = [
    'root:x:0:0:root:/root:/bin/bash',
    'daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin',
    'alice:x:1000:1000:Alice:/home/alice:/bin/bash',
    'toor:x:0:1001::/home/toor:/bin/sh',
    'bob:x:1002:1002::/home/bob:/bin/bash',
    'olduser:x:1003:1003::/home/olduser:/bin/bash',
    'expired:x:1004:1004::/home/expired:/bin/bash',
  ].join('\n');
  const shadow = [
    'root:*:19000:0:99999:7:::',
    'daemon:*:19000:0:99999:7:::',
    'alice:$y$j9T$abc:19000:0:90:7:::',
    'toor:$6$xyz:19000:0:90:7:::',
    'bob:$6$xyz:19000:0:90:7:::',
    'olduser:$6$xyz:19000:0:90:7:::',
    'expired:$6$xyz:19000:0:90:7::19000:',
  ].join('\n');
  const group = ['root:x:0:', 'sudo:x:27:alice', 'alice:x:1000:', 'wheel:x:10:bob'].join('\n');
  const lastlog = [
    'Username         Port     From             Latest',
    'root             pts/0    10.0.0.5         Mon Dec  2 10:00:00 +0800 2024',
    'daemon                                     **Never logged in**',
    'alice            pts/1    10.0.0.6         Sun Dec  1 09:00:00 +0800 2024',
    'toor             pts/1    10.0.0.6         Sun Dec  1 09:00:00 +0800 2024',
    'bob              pts/1    10.0.0.6         Sun Dec  1 09:00:00 +0800 2024',
    'olduser          pts/2    10.0.0.7         Mon Jan 15 15:04:05 +0800 2024',
    'expired                                    **Never logged in**',
  ].join('\n');

  it('reads passwd, shadow, group and lastlog', async () => {
    const result = await run([
      { name: 'passwd', text: passwd },
      { name: 'shadow', text: shadow },
      { name: 'group', text: group },
      { name: 'lastlog.txt', text: lastlog },
    ]);
    expect(rulesFor(result, 'root')).toEqual([]);
    expect(rulesFor(result, 'daemon')).toEqual([]);
    expect(rulesFor(result, 'alice')).toEqual(['accounts.privileged']);
    expect(rulesFor(result, 'toor')).toEqual(['accounts.uid-zero']);
    expect(rulesFor(result, 'bob')).toEqual(['accounts.privileged']);
    expect(rulesFor(result, 'olduser')).toEqual(['accounts.unused']);
    expect(rulesFor(result, 'expired')).toEqual([]);
    expect(result.findings.find((finding) => finding.location.subject === 'olduser')?.location).toMatchObject({ file: 'passwd', line: 6 });
  });

  it('flags an enabled root with a usable password', async () => {
    const result = await run([
      { name: 'passwd', text: 'root:x:0:0:root:/root:/bin/bash' },
      { name: 'shadow', text: 'root:$6$abc:19000:0:99999:7:::' },
    ]);
    expect(rulesFor(result, 'root')).toEqual(['accounts.default-name']);
    expect(result.findings.some((finding) => finding.rule === 'accounts.last-logon-unknown')).toBe(true);
  });

  it.each([
    ['last -F', 'alice    pts/0        10.0.0.5         Mon Jan 15 15:04:05 2024 - Mon Jan 15 16:00:00 2024  (00:55)\nalice    pts/0        10.0.0.5         Tue Mar  5 08:00:00 2024 - down\n\nwtmp begins Mon Jan  1 00:00:00 2024', '2024-03-05T08:00:00.000Z'],
    ['last --time-format iso', 'alice    pts/0  10.0.0.5  2024-01-15T15:04:05+08:00 - 2024-01-15T16:00:00+08:00  (00:55)', '2024-01-15T07:04:05.000Z'],
  ])('reads %s', (_label, text, iso) => {
    expect(parseLoginRecords('last.txt', text).get('alice')?.toISOString()).toBe(iso);
  });

  it('refuses plain `last` without a year', () => {
    expect(() => parseLoginRecords('last.txt', 'alice    pts/0   10.0.0.5   Mon Jan 15 15:04 - 16:00  (00:55)')).toThrow(/last -F/);
  });

  it.each([
    ['passwd', 'root:x:0:0:root:/root:/bin/bash\nbroken:x:1\n', 2],
    ['passwd', 'root:x:zero:0:root:/root:/bin/bash\n', 1],
    ['shadow', 'root:*:1:2\n', 1],
    ['group', 'root:x:0:\nsudo:x:27\n', 2],
  ])('malformed %s reports its line', (kind, text, line) => {
    const files = {
      passwd: { file: 'passwd', text: kind === 'passwd' ? text : 'root:x:0:0:root:/root:/bin/bash' },
      ...(kind === 'shadow' ? { shadow: { file: 'shadow', text } } : {}),
      ...(kind === 'group' ? { group: { file: 'group', text } } : {}),
    };
    expect(() => parseLinuxAccounts(files, new Date(AT))).toThrow(expect.objectContaining({ file: kind, line }));
  });
});

describe('generic CSV and lists', () => {
  it('reads the documented columns', async () => {
    const csv = 'account,enabled,lastLogon,created,groups,privileged,uid\nops01,是,2024-12-01,,,,\nzoe,true,2023-01-01,,,false,\nmallory,1,,2020-01-01,Administrators;Users,,\n';
    const result = await run([{ name: 'core-users.csv', text: csv }]);
    expect(rulesFor(result, 'ops01')).toEqual(['accounts.shared']);
    expect(rulesFor(result, 'zoe')).toEqual(['accounts.unused']);
    expect(rulesFor(result, 'mallory')).toEqual(['accounts.privileged', 'accounts.never-used']);
  });

  it.each([
    ['account,enabled\n,true\n', 2],
    ['account,uid\nbob,abc\n', 2],
    ['user,enabled\nbob,sometimes\n', 2],
  ])('generic malformed %#', async (text, line) => {
    await expect(parseGenericAccounts('g.csv', text)).rejects.toMatchObject({ name: 'CheckInputError', line });
  });

  it('requires an account or employee id in the leaver list', async () => {
    await expect(parseLeavers('l.csv', 'account,employeeId,leaveDate\nalice,,2024-01-01\n,,2024-01-02\n')).rejects.toMatchObject({ line: 3 });
  });
});

describe('name rules', () => {
  it.each([
    ['test', true],
    ['Test2', true],
    ['svc_sql', true],
    ['web-test', true],
    ['ops.01', true],
    ['testa', false],
    ['contest', false],
    ['alice', false],
    ['opsmith', false],
  ])('%s shared=%s', (name, expected) => {
    expect(isSharedAccountName(name)).toBe(expected);
  });
});

describe('parsers survive random input', () => {
  it('AD export', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('"a","True","1/1/2024"', '"', '#TYPE x', '"SamAccountName","Enabled","LastLogonDate"')), { maxLength: 10 }), async (lines) => {
        try {
          await analyseAdExportStream(lines.join('\n'), { at: new Date(AT) });
        } catch (error) {
          expect(error).toBeInstanceOf(CheckInputError);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('Linux files', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('a:x:1:1::/:/bin/sh', 'a:*:1:0:9:7:::', 'Username Port From Latest', 'a **Never logged in**')), { maxLength: 10 }), (lines) => {
        const text = lines.join('\n');
        for (const files of [
          { passwd: { file: 'p', text } },
          { passwd: { file: 'p', text: 'a:x:1:1::/:/bin/sh' }, shadow: { file: 's', text }, group: { file: 'g', text }, logins: { file: 'l', text } },
        ]) {
          try {
            parseLinuxAccounts(files, new Date(AT));
          } catch (error) {
            expect(error).toBeInstanceOf(CheckInputError);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('dates', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (text) => {
        try {
          parseAccountDate(text);
        } catch (error) {
          expect(error).toBeInstanceOf(CheckInputError);
        }
      }),
    );
  });
});
