import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CheckInputError } from '../types.ts';
import { classifyFactor } from './classify-factor.ts';
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
  ])('%s is %s', (name, kind) => {
    expect(classifyFactor(name)).toBe(kind);
  });

  it.each(['', 'magic link', 'email code', 'interface check'])('%j is not recognised', (name) => {
    expect(classifyFactor(name)).toBeUndefined();
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
  ])('factors %j → %s', async (factors, status, rule) => {
    const result = await runFlows(JSON.stringify([{ system: '網路下單', channel: 'web', factors }]));
    expect(result.status).toBe(status);
    expect(result.findings[0]?.rule).toBe(rule);
  });

  it('reads YAML with a factor string and points at the flow line', async () => {
    const yaml = `flows:\n  - system: APP 下單\n    factors: 密碼+OTP\n  - system: 網頁下單\n    channel: web\n    factors: 固定密碼、圖形鎖\n`;
    const result = await runFlows(yaml, 'flows.yaml');
    expect(result.stats.flows).toBe(2);
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0].location).toMatchObject({ line: 4, subject: '網頁下單 / web' });
  });

  it('reads CSV and cites CSIM 7.(2) b.(e) for admin flows', async () => {
    const csv = 'system,channel,audience,factors\nVPN,internet,admin,password\nAPP,mobile,customer,綁定裝置;指紋\n';
    const result = await runFlows(csv, 'flows.csv');
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0].location.line).toBe(2);
    expect(result.findings[0].items).toContain('CSIM:7.2.b.e');
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
