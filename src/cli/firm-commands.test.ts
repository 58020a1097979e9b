/** `anjian applicability` and `anjian obligations` from a profile file, run in-process. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './main.ts';

const dir = mkdtempSync(join(tmpdir(), 'anjian-firm-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const onlineBroker = {
  name: '範例證券', paidInCapitalNtd: 12_000_000_000, fiscalYearEnd: '12-31',
  channels: { internet: true, voice: true, traditional: true, dma: false, colocation: false },
  brokerage: true, publicCompany: true, website: true, socialMedia: true, iot: true, apiServices: false,
  mobileDevices: false, byod: false, videoIdentityVerification: false, internationalTransfer: false,
  cloud: { user: true, provider: false, critical: false }, mobileApps: [{ name: '行動下單', level: 'L2', fTested: false }],
};

function writeProfile(name: string, profile: object): string {
  writeFileSync(join(dir, name), JSON.stringify(profile));
  return name;
}

async function run(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: { write: (text: string) => (stdout += text) }, stderr: { write: (text: string) => (stderr += text) }, cwd: dir });
  return { code, stdout, stderr };
}

describe('anjian applicability', () => {
  const profile = writeProfile('online.json', onlineBroker);

  it('without --version judges 2021-06-30 with CSIM 109, the version then in force', async () => {
    const { code, stdout } = await run(['applicability', '--profile', profile, '--date', '2021-06-30', '--json']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.versions.CSIM).toBe('109');
    expect(report.items.find((item: { id: string }) => item.id === 'CSIM:7.1.d').versionedId).toBe('CSIM@109:7.1.d');
  });

  it('with --version 112 on 2021-06-30 the 2023-08-15 additions are not yet in force', async () => {
    const { stdout } = await run(['applicability', '--profile', profile, '--version', '112', '--date', '2021-06-30', '--json']);
    const items = JSON.parse(stdout).items as { id: string; verdict: string; reason: string }[];
    for (const id of ['CSIM:7.1.d', 'CSIM:7.1.a.j']) {
      const item = items.find((entry) => entry.id === id)!;
      expect(item.verdict, id).toBe('not_in_force');
      expect(item.reason).toContain('2023-08-15');
    }
  });
});

describe('anjian obligations', () => {
  it('marks what needs an answer in the listing and in the .ics', async () => {
    const { fiscalYearEnd: _fiscalYearEnd, ...rest } = onlineBroker;
    const profile = writeProfile('unknown.json', { ...rest, mobileApps: undefined });
    const { code, stdout } = await run(['obligations', '--profile', profile, '--year', '2024', '--ics', 'out.ics']);
    expect(code).toBe(0);
    expect(stdout).toContain('未填會計年度終了日');
    expect(stdout).toMatch(/行動應用程式第三方實驗室資安檢測.*（待確認）.*mobileApps/);
    const ics = readFileSync(join(dir, 'out.ics'), 'utf8');
    expect(ics).toContain('（待確認）');
  });

  it('an answered profile has nothing to confirm', async () => {
    const { stdout } = await run(['obligations', '--profile', writeProfile('full.json', onlineBroker), '--year', '2024']);
    expect(stdout).not.toContain('待確認');
    expect(stdout).toContain('2024-03-31');
  });
});
