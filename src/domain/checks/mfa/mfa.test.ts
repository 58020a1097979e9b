import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CheckInputError } from '../types.ts';
import { classifyFactor, describeFactor } from './classify-factor.ts';
import { mfaCheck } from './index.ts';
import { parseLoginFlows } from './parse-login-flows.ts';

describe('classifyFactor', () => {
  it.each([
    ['固定密碼', 'knowledge'],
    ['password', 'knowledge'],
    ['PIN碼', 'knowledge'],
    ['圖形鎖', 'knowledge'],
    ['手勢', 'knowledge'],
    ['security question', 'knowledge'],
    ['OTP', 'possession'],
    ['簡訊 OTP', 'possession'],
    ['OTP to bound phone', 'possession'],
    ['密碼產生器', 'possession'],
    ['密碼卡', 'possession'],
    ['下單憑證', 'possession'],
    ['憑證載具', 'possession'],
    ['綁定裝置', 'possession'],
    ['hardware token', 'possession'],
    ['smart card', 'possession'],
    ['authenticator app', 'possession'],
    ['生物辨識', 'inherence'],
    ['指紋', 'inherence'],
    ['臉部', 'inherence'],
    ['Face ID', 'inherence'],
    ['iris', 'inherence'],
    ['palm vein', 'inherence'],
    ['voice', 'inherence'],
    ['簽名', 'inherence'],
    // A remembered secret is knowledge whatever device it unlocks.
    ['裝置密碼', 'knowledge'],
    ['手機解鎖密碼', 'knowledge'],
    ['電腦登入密碼', 'knowledge'],
    ['憑證密碼', 'knowledge'],
    ['device PIN', 'knowledge'],
    ['token PIN', 'knowledge'],
    ['phone passcode', 'knowledge'],
    ['手機圖形鎖', 'knowledge'],
    ['authenticator PIN', 'knowledge'],
    // Generated one-time codes are possession even when called 密碼.
    ['動態密碼', 'possession'],
    ['一次性密碼', 'possession'],
    ['簡訊密碼', 'possession'],
    ['簡訊驗證碼', 'possession'],
    ['驗證碼', 'possession'],
    ['App 推播驗證', 'possession'],
    ['one-time PIN', 'possession'],
    ['手機', 'possession'],
    ['晶片金融卡', 'possession'],
    // A digital signature with a certificate is possession, a handwritten one inherence.
    ['數位簽章', 'possession'],
    ['digital signature', 'possession'],
    ['憑證數位簽章', 'possession'],
    ['handwritten signature', 'inherence'],
  ])('%s is %s', (name, kind) => {
    expect(classifyFactor(name)).toBe(kind);
  });

  it.each(['', 'magic link', 'email code', 'interface check', '圖形驗證碼', 'CAPTCHA'])('%j is not recognised', (name) => {
    expect(classifyFactor(name)).toBeUndefined();
  });

  it('says why: a CAPTCHA is not a factor, 憑證密碼 is a remembered secret', () => {
    expect(describeFactor('圖形驗證碼')).toMatchObject({ kind: 'none', reasonEn: expect.stringContaining('CAPTCHA') });
    expect(describeFactor('憑證密碼')).toMatchObject({ kind: 'knowledge', reasonEn: expect.stringContaining('whatever device') });
  });
});

async function runFlows(text: string, name = 'flows.json') {
  return mfaCheck.run([{ name, text }], { at: '2025-01-01' });
}

describe('mfa check', () => {
  it.each([
    [['password', 'pattern lock'], 'fail', 'mfa.single-kind'],
    [['固定密碼', '圖形鎖'], 'fail', 'mfa.single-kind'],
    [['password'], 'fail', 'mfa.single-kind'],
    [['password', 'OTP to bound phone'], 'pass', undefined],
    [['綁定裝置', '指紋'], 'pass', undefined],
    [['下單憑證', 'OTP'], 'fail', 'mfa.single-kind'],
    [['password', 'carrier pigeon'], 'warning', 'mfa.unknown-factor'],
    [['password', 'carrier pigeon', '指紋'], 'pass', undefined],
    [['密碼', '手機解鎖密碼'], 'fail', 'mfa.single-kind'],
    [['密碼', '裝置密碼'], 'fail', 'mfa.single-kind'],
    [['電腦登入密碼', '憑證密碼'], 'fail', 'mfa.single-kind'],
    [['password', 'device PIN'], 'fail', 'mfa.single-kind'],
    [['password', 'token PIN'], 'fail', 'mfa.single-kind'],
    [['密碼', '圖形驗證碼'], 'fail', 'mfa.single-kind'],
    [['密碼', '簡訊驗證碼'], 'pass', undefined],
    [['憑證密碼', '下單憑證'], 'pass', undefined],
    [['密碼', '數位簽章'], 'pass', undefined],
    [['數位簽章', '下單憑證'], 'fail', 'mfa.single-kind'],
  ])('factors %j → %s', async (factors, status, rule) => {
    const result = await runFlows(JSON.stringify([{ system: '網路下單', channel: 'web', factors }]));
    expect(result.status).toBe(status);
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0].rule).toBe(rule ?? 'mfa.two-kinds');
  });

  it('records each factor of a passing flow with its kind and reason', async () => {
    const result = await runFlows(JSON.stringify([{ system: '網路下單', factors: '密碼+簡訊 OTP' }]));
    expect(result.status).toBe('pass');
    expect(result.stats).toMatchObject({ flows: 1, passing: 1, failing: 0 });
    const [finding] = result.findings;
    expect(finding).toMatchObject({ rule: 'mfa.two-kinds', status: 'info', severity: 'info' });
    expect(finding.message).toContain('密碼＝所知');
    expect(finding.message).toContain('簡訊 OTP＝所持');
    expect(finding.detail?.factors).toEqual([
      expect.objectContaining({ factor: '密碼', kind: 'knowledge' }),
      expect.objectContaining({ factor: '簡訊 OTP', kind: 'possession' }),
    ]);
  });

  it('names both factors as knowledge when 密碼+手機解鎖密碼 fails', async () => {
    const result = await runFlows(JSON.stringify([{ system: 'APP 下單', factors: '密碼+手機解鎖密碼' }]));
    expect(result.status).toBe('fail');
    expect(result.findings[0].message).toContain('手機解鎖密碼＝所知');
  });

  it('reads YAML with a factor string and points at the flow line', async () => {
    const yaml = `flows:\n  - system: APP 下單\n    factors: 密碼+OTP\n  - system: 網頁下單\n    channel: web\n    factors: 固定密碼、圖形鎖\n`;
    const result = await runFlows(yaml, 'flows.yaml');
    expect(result.stats.flows).toBe(2);
    const failing = result.findings.filter((finding) => finding.status === 'fail');
    expect(failing).toHaveLength(1);
    expect(failing[0].location).toMatchObject({ line: 4, subject: '網頁下單 / web' });
  });

  it('reads CSV and cites CSIM 7.(2) b.(e) for admin flows', async () => {
    const csv = 'system,channel,audience,factors\nVPN,internet,admin,password\nAPP,mobile,customer,綁定裝置;指紋\n';
    const result = await runFlows(csv, 'flows.csv');
    const failing = result.findings.filter((finding) => finding.status === 'fail');
    expect(failing).toHaveLength(1);
    expect(failing[0].location.line).toBe(2);
    expect(failing[0].items).toContain('CSIM:7.2.b.e');
  });
});

describe('parseLoginFlows errors', () => {
  it.each([
    ['bad.json', '[{"system": "a", "factors": ["x"]},\n {"system": ', 2],
    ['bad.yaml', 'flows:\n  - system: a\n    factors: [x\n', undefined],
    ['bad.json', '[{"system": "a", "factors": ["x"]},\n {"channel": "b", "factors": []}]', undefined],
    ['bad.csv', 'system,channel,audience,factors\nVPN,net,boss,password\n', 2],
    ['bad.csv', 'system,channel\nVPN,net\n', 2],
  ])('%s raises CheckInputError', (name, text, line) => {
    try {
      parseLoginFlows(name, text);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(CheckInputError);
      if (line !== undefined) {
        expect((error as CheckInputError).line).toBe(line);
      }
    }
  });

  it('never throws anything but CheckInputError on random input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.constantFrom('a.json', 'a.yaml', 'a.csv'), (text, name) => {
        try {
          parseLoginFlows(name, text);
        } catch (error) {
          expect(error).toBeInstanceOf(CheckInputError);
        }
      }),
      { numRuns: 300 },
    );
  });
});
