import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCheckCommand, type CheckCommandOptions } from './check-commands.ts';
import { runCheckWithTimeout, CheckTimeoutError } from '../domain/checks/registry.ts';
import type { CheckDefinition } from '../domain/checks/types.ts';
import { loadCatalog } from '../catalog-files/load-catalog.ts';

const dir = mkdtempSync(join(tmpdir(), 'anjian-check-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeInput(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

const COMPLIANT = { system: '核心', minLength: 8, requiresLetter: true, requiresDigit: true, minClasses: 2, lockoutThreshold: 3, maxAgeDays: 90 };

async function run(name: string, targets: string[], options: CheckCommandOptions = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runCheckCommand(name, targets, options, {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
  }, { loadCatalog: () => [] });
  return { code, stdout, stderr };
}

describe('anjian check exit codes', () => {
  it('exits 0 and says so when the input complies', async () => {
    const file = writeInput('ok.json', JSON.stringify(COMPLIANT));
    const { code, stdout } = await run('password-policy', [file]);
    expect(code).toBe(0);
    expect(stdout).toContain('通過');
    expect(stdout).toContain('沒有發現問題');
  });

  it('exits 1 and prints each finding with its location, rule and items', async () => {
    const file = writeInput('short.json', JSON.stringify({ ...COMPLIANT, minLength: 4 }));
    const { code, stdout } = await run('password-policy', [file]);
    expect(code).toBe(1);
    expect(stdout).toContain('不符合');
    expect(stdout).toMatch(/規則：password\.min-length/);
    expect(stdout).toMatch(/條文：.*CSIM:/);
    expect(stdout).toContain('short.json');
  });

  it('prints the result as JSON with --json', async () => {
    const file = writeInput('short2.json', JSON.stringify({ ...COMPLIANT, maxAgeDays: 120 }));
    const { code, stdout } = await run('password-policy', [file], { json: true });
    expect(code).toBe(1);
    const result = JSON.parse(stdout);
    expect(result.check).toBe('password-policy');
    expect(result.findings.some((finding: { rule: string }) => finding.rule === 'password.max-age')).toBe(true);
  });

  it('exits 2 with file and line when the input cannot be read', async () => {
    const file = writeInput('bad.json', '{\n  "minLength": 8,\n  "maxAgeDays": "ninety"\n}');
    const { code, stderr } = await run('password-policy', [file]);
    expect(code).toBe(2);
    expect(stderr).toContain(`${file}:3`);
  });

  it('exits 2 for an unknown check, naming the available ones', async () => {
    const { code, stderr } = await run('antivirus', [writeInput('x.txt', 'x')]);
    expect(code).toBe(2);
    expect(stderr).toContain('antivirus');
    expect(stderr).toContain('firewall');
  });

  it('exits 2 for a missing file', async () => {
    const missing = join(dir, 'nope.json');
    const { code, stderr } = await run('password-policy', [missing]);
    expect(code).toBe(2);
    expect(stderr).toContain('找不到檔案');
    expect(stderr).toContain(missing);
  });

  it('refuses a file over the size limit before reading it', async () => {
    const file = writeInput('big.json', JSON.stringify({ ...COMPLIANT, padding: 'x'.repeat(3 * 1024 * 1024) }));
    const { code, stderr } = await run('password-policy', [file], { maxSize: 1 });
    expect(code).toBe(2);
    expect(stderr).toMatch(/超過上限 1 MB/);
  });

  it('reads a UTF-16 file as PowerShell writes it', async () => {
    const text = JSON.stringify({ ...COMPLIANT, system: '網站' });
    const file = writeInput('utf16.json', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    const { code, stdout } = await run('password-policy', [file], { json: true });
    expect(code).toBe(0);
    expect(JSON.parse(stdout).status).toBe('pass');
  });

  it('rejects a malformed option value with exit 2', async () => {
    const file = writeInput('ok2.json', JSON.stringify(COMPLIANT));
    expect((await run('password-policy', [file], { timeout: 'soon' })).code).toBe(2);
    expect((await run('password-policy', [file], { option: ['novalue'] })).code).toBe(2);
  });
});

describe('app-report --output', () => {
  const catalog = loadCatalog();
  async function runAppReport(targets: string[], options: CheckCommandOptions) {
    let stdout = '';
    let stderr = '';
    const code = await runCheckCommand('app-report', targets, options, { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) }, { loadCatalog: () => catalog });
    return { code, stdout, stderr };
  }

  it('writes the 自我檢核表 as CSV: every required MAS item with its result', async () => {
    const report = writeInput('lab-report.csv', 'number,result,note\n1,符合,\n4,不符合,重新檢測中\n');
    const output = join(dir, 'self-check.csv');
    const { code, stderr } = await runAppReport([report], { level: 'L1', output, json: true });
    expect(code).toBe(1);
    expect(stderr).toContain(output);
    const lines = readFileSync(output, 'utf8').split('\r\n').filter(Boolean);
    expect(lines[0]).toBe('\uFEFF編號,檢測項目,技術要求編號,技術要求,必要等級,檢核結果,備註');
    expect(lines).toHaveLength(1 + 23);
    expect(lines[1]).toMatch(/^1,.*,符合,$/);
    expect(lines[2]).toMatch(/^4,.*,不符合,重新檢測中$/);
    expect(lines.filter((line) => /,未檢測,/.test(line))).toHaveLength(21);
  });

  it('says to give --level when it is missing', async () => {
    const { code, stderr } = await runAppReport([writeInput('lab.csv', 'number,result\n1,符合\n')], {});
    expect(code).toBe(2);
    expect(stderr).toContain('--level');
  });

  it.each([
    ['another check', 'password-policy', 'x.csv', /app-report only/],
    ['a name that is not .csv', 'app-report', 'table.xlsx', /must name a \.csv file/],
  ])('refuses --output for %s with exit 2', async (_label, check, outputName, message) => {
    const output = join(dir, outputName);
    let stderr = '';
    const code = await runCheckCommand(check, [writeInput('any.csv', 'number,result\n1,符合\n')], { level: 'L1', output }, { stdout: () => undefined, stderr: (text) => (stderr += text) }, { loadCatalog: () => catalog });
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(existsSync(output)).toBe(false);
  });
});

describe('time limit', () => {
  it('stops waiting for a check that runs too long', async () => {
    const slow: CheckDefinition = {
      id: 'slow', title: '慢', titleEn: 'slow', version: '0', inputKinds: [], items: [],
      run: () => new Promise(() => undefined),
    };
    await expect(runCheckWithTimeout(slow, [{ name: 'slow.txt', text: '' }], {}, 50)).rejects.toBeInstanceOf(CheckTimeoutError);
  });
});

describe('anjian check through the CLI entry point', () => {
  it('returns the check exit code from runCli without opening a database', async () => {
    const { runCli } = await import('./main.ts');
    let stdout = '';
    let stderr = '';
    const io = {
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: (text: string) => (stderr += text) },
      openRuntime: () => Promise.reject(new Error('the check command must not open the database')),
    };
    const failing = writeInput('cli-short.json', JSON.stringify({ ...COMPLIANT, lockoutThreshold: 10 }));
    expect(await runCli(['check', 'password-policy', failing, '--json'], io)).toBe(1);
    expect(JSON.parse(stdout).status).toBe('fail');
    stdout = '';
    expect(await runCli(['check', 'password-policy', writeInput('cli-ok.json', JSON.stringify(COMPLIANT))], io)).toBe(0);
    expect(await runCli(['check', 'password-policy', join(dir, 'absent.json')], io)).toBe(2);
    expect(stderr).toContain('absent.json');
  });
});

describe('accounts: AD exports streamed from disk', () => {
  const AD_EXPORT = [
    '#TYPE Selected.Microsoft.ActiveDirectory.Management.ADUser',
    '"SamAccountName","Enabled","LastLogonDate","SID","MemberOf","whenCreated"',
    '"alice","True","12/1/2024 9:00:00 AM","S-1-5-21-1-1001","CN=Staff,DC=corp","1/2/2020 9:00:00 AM"',
    '"bob","True","1/5/2023 9:00:00 AM","S-1-5-21-1-1002","CN=Staff,DC=corp","1/2/2020 9:00:00 AM"',
    '"carol","True","12/20/2024 9:00:00 AM","S-1-5-21-1-1003","CN=Staff,DC=corp","1/2/2020 9:00:00 AM"',
    '',
  ].join('\r\n');
  const LEAVERS = 'account,leave_date\ncarol,2024-11-30\n';

  async function runAccounts(streamAdExportBytes: number, ad: string) {
    let stdout = '';
    const code = await runCheckCommand('accounts', [ad, writeInput('leavers.csv', LEAVERS)], { json: true, at: '2024-12-31' }, {
      stdout: (text) => (stdout += text),
      stderr: () => undefined,
    }, { loadCatalog: () => [], streamAdExportBytes });
    return { code, result: JSON.parse(stdout) };
  }

  it('finds the same accounts streamed as read whole, UTF-16 exports included', async () => {
    const whole = await runAccounts(Number.MAX_SAFE_INTEGER, writeInput('ad.csv', AD_EXPORT));
    const streamed = await runAccounts(0, writeInput('ad-stream.csv', AD_EXPORT));
    const utf16 = await runAccounts(0, writeInput('ad-utf16.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(AD_EXPORT, 'utf16le')])));
    expect(whole.code).toBe(1);
    expect(streamed.result.stats.streamedFiles).toBe(1);
    const subjects = (result: { findings: { rule: string; location: { subject?: string } }[] }) =>
      result.findings.map((finding) => `${finding.rule}:${finding.location.subject}`).sort();
    expect(subjects(whole.result)).toEqual(['accounts.leaver-enabled:carol', 'accounts.unused:bob']);
    expect(subjects(streamed.result)).toEqual(subjects(whole.result));
    expect(subjects(utf16.result)).toEqual(subjects(whole.result));
    expect(streamed.code).toBe(whole.code);
  });
});
