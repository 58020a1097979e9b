import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CheckInputError, type CheckInput } from '../types.ts';
import { passwordPolicyCheck } from './index.ts';
import { expandPamStack, readLinuxPolicy } from './parse-linux-policy.ts';
import { parseAdPasswordPolicy, parseNetAccounts } from './parse-windows-policy.ts';
import { parseJsonPolicy } from './parse-json-policy.ts';

async function run(inputs: CheckInput[]) {
  return passwordPolicyCheck.run(inputs, { at: '2025-01-01' });
}

function statusOf(result: Awaited<ReturnType<typeof run>>, rule: string): string {
  return result.findings.find((finding) => finding.rule === rule)?.status ?? 'pass';
}

const GOOD_DEBIAN_PASSWORD = [
  'password requisite pam_pwquality.so retry=3 minlen=8 dcredit=-1 lcredit=-1',
  'password [success=1 default=ignore] pam_unix.so obscure use_authtok try_first_pass yescrypt',
].join('\n');
const GOOD_DEBIAN_AUTH = [
  'auth required pam_faillock.so preauth',
  'auth [success=1 default=ignore] pam_unix.so nullok',
  'auth [default=die] pam_faillock.so authfail deny=3',
  'auth sufficient pam_faillock.so authsucc',
].join('\n');

describe('Linux PAM stack', () => {
  it.each([
    ['good stack', GOOD_DEBIAN_PASSWORD, { 'password.min-length': 'pass', 'password.complexity': 'pass' }],
    [
      'pwquality commented out',
      '#password requisite pam_pwquality.so minlen=8 dcredit=-1 lcredit=-1\npassword required pam_unix.so',
      { 'password.min-length': 'fail', 'password.complexity': 'fail' },
    ],
    [
      'short minlen',
      'password requisite pam_pwquality.so minlen=5 dcredit=-1 ucredit=-1',
      { 'password.min-length': 'fail', 'password.complexity': 'pass' },
    ],
    [
      'positive credits lower the effective length (8 - 3 = 5)',
      'password requisite pam_pwquality.so minlen=8 dcredit=2 ucredit=1',
      { 'password.min-length': 'fail', 'password.complexity': 'fail' },
    ],
    [
      'positive credits still at 6',
      'password requisite pam_pwquality.so minlen=8 dcredit=1 ucredit=1 lcredit=-1',
      { 'password.min-length': 'pass', 'password.complexity': 'fail' },
    ],
    ['minclass 3', 'password requisite pam_pwquality.so minlen=10 minclass=3', { 'password.complexity': 'pass' }],
    ['minclass 2', 'password requisite pam_pwquality.so minlen=10 minclass=2', { 'password.complexity': 'warning' }],
    ['cracklib', 'password requisite pam_cracklib.so minlen=12 dcredit=-1 ucredit=-1', { 'password.min-length': 'pass', 'password.complexity': 'pass' }],
    ['optional module prefix', '-password requisite pam_pwquality.so minlen=8 dcredit=-1 lcredit=-1', { 'password.complexity': 'pass' }],
  ])('%s', async (_label, text, expected) => {
    const result = await run([{ name: '/etc/pam.d/common-password', text }]);
    for (const [rule, status] of Object.entries(expected)) {
      expect(statusOf(result, rule), rule).toBe(status);
    }
  });

  const FAILLOCK = (preauth: string, authfail = 'auth [default=die] pam_faillock.so authfail', tail = 'account required pam_faillock.so') =>
    [preauth, 'auth [success=1 default=ignore] pam_unix.so nullok', authfail, 'auth sufficient pam_faillock.so authsucc', tail].join('\n');

  it.each([
    ['deny=3', FAILLOCK('auth required pam_faillock.so preauth deny=3'), 'pass'],
    ['deny=5', FAILLOCK('auth required pam_faillock.so preauth deny=5'), 'fail'],
    ['deny=0', FAILLOCK('auth required pam_faillock.so preauth deny=0'), 'fail'],
    ['deny on the authfail line', FAILLOCK('auth required pam_faillock.so preauth', 'auth [default=die] pam_faillock.so authfail deny=3'), 'pass'],
    ['faillock default', FAILLOCK('auth required pam_faillock.so preauth'), 'pass'],
    ['Debian stack', GOOD_DEBIAN_AUTH, 'pass'],
    ['preauth only', 'auth required pam_faillock.so preauth deny=3', 'fail'],
    ['authfail only', 'auth [success=1 default=ignore] pam_unix.so\nauth [default=die] pam_faillock.so authfail deny=3', 'fail'],
    ['optional preauth', FAILLOCK('auth optional pam_faillock.so preauth deny=3'), 'fail'],
    ['sufficient preauth', FAILLOCK('auth sufficient pam_faillock.so preauth deny=3'), 'fail'],
    ['optional authfail', FAILLOCK('auth required pam_faillock.so preauth deny=3', 'auth optional pam_faillock.so authfail'), 'fail'],
    [
      'pam_unix jumps over authfail on failure too',
      'auth required pam_faillock.so preauth deny=3\nauth [success=1 default=1] pam_unix.so\nauth [default=die] pam_faillock.so authfail\nauth sufficient pam_faillock.so authsucc',
      'fail',
    ],
    ['tally2 deny=3', 'auth required pam_tally2.so deny=3 onerr=fail', 'pass'],
    ['optional tally2', 'auth optional pam_tally2.so deny=3 onerr=fail', 'fail'],
    ['tally2 without deny', 'auth required pam_tally2.so onerr=fail', 'fail'],
    ['no lock module', 'auth required pam_unix.so', 'fail'],
    ['commented faillock', '# auth required pam_faillock.so deny=3\nauth required pam_unix.so', 'fail'],
  ])('lock-out: %s → %s', async (_label, text, status) => {
    const result = await run([{ name: 'common-auth', text }]);
    expect(statusOf(result, 'password.lockout')).toBe(status);
  });

  it('passes the stack authselect writes on RHEL (sufficient pam_unix before authfail, account line)', async () => {
    const text = [
      'auth        required      pam_env.so',
      'auth        required      pam_faillock.so preauth silent deny=3',
      'auth        sufficient    pam_unix.so nullok',
      'auth        [default=die] pam_faillock.so authfail deny=3',
      'auth        required      pam_deny.so',
      'account     required      pam_faillock.so',
      'password    requisite     pam_pwquality.so local_users_only minlen=10 dcredit=-1 lcredit=-1',
      'password    sufficient    pam_unix.so sha512 shadow nullok use_authtok',
      'password    required      pam_deny.so',
    ].join('\n');
    const result = await run([{ name: 'system-auth', text }, { name: 'login.defs', text: 'PASS_MAX_DAYS 90' }]);
    expect(result.findings).toEqual([]);
    expect(result.status).toBe('pass');
  });

  it('says why an optional faillock preauth does not lock, pointing at its line', async () => {
    const result = await run([{ name: 'common-auth', text: FAILLOCK('auth optional pam_faillock.so preauth deny=3') }]);
    const finding = result.findings.find((entry) => entry.rule === 'password.pam-not-enforced');
    expect(finding).toMatchObject({ status: 'fail', location: { file: 'common-auth', line: 1 }, items: ['CSIM:8.3.e', 'ETECH:9'] });
    expect(finding?.messageEn).toContain('optional');
  });

  it('warns when faillock never resets the count (no authsucc, no account line)', async () => {
    const result = await run([{ name: 'common-auth', text: 'auth required pam_faillock.so preauth\nauth [success=1 default=ignore] pam_unix.so\nauth [default=die] pam_faillock.so authfail' }]);
    expect(statusOf(result, 'password.lockout')).toBe('pass');
    expect(statusOf(result, 'password.pam-faillock-reset')).toBe('warning');
  });

  it.each([
    ['optional pwquality', 'password optional pam_pwquality.so minlen=12 dcredit=-1 lcredit=-1\npassword required pam_unix.so', 'optional'],
    ['sufficient pwquality', 'password sufficient pam_pwquality.so minlen=12 dcredit=-1 lcredit=-1\npassword required pam_unix.so', 'sufficient'],
    [
      'a jump over pwquality',
      'password [success=1 default=ignore] pam_unix.so obscure\npassword requisite pam_pwquality.so minlen=12 dcredit=-1 lcredit=-1\npassword requisite pam_deny.so',
      'jumps over pam_pwquality.so',
    ],
    [
      'sufficient pam_unix before pwquality',
      'password sufficient pam_unix.so\npassword requisite pam_pwquality.so minlen=12 dcredit=-1 lcredit=-1',
      'jumps over pam_pwquality.so',
    ],
    ['enforcing=0 argument', 'password requisite pam_pwquality.so minlen=12 dcredit=-1 lcredit=-1 enforcing=0', 'enforcing = 0'],
  ])('quality not enforced: %s', async (_label, text, why) => {
    const result = await run([{ name: 'common-password', text }]);
    expect(statusOf(result, 'password.min-length')).toBe('fail');
    expect(statusOf(result, 'password.complexity')).toBe('fail');
    const finding = result.findings.find((entry) => entry.rule === 'password.pam-not-enforced');
    expect(finding?.status).toBe('fail');
    expect(finding?.messageEn).toContain(why);
  });

  it('a jump that lands on pwquality (not over it) keeps it enforced', async () => {
    const text = 'password [success=1 default=ignore] pam_sss.so\npassword requisite pam_deny.so\npassword requisite pam_pwquality.so minlen=12 dcredit=-1 lcredit=-1';
    const result = await run([{ name: 'common-password', text }]);
    expect(statusOf(result, 'password.min-length')).toBe('pass');
    expect(statusOf(result, 'password.pam-not-enforced')).toBe('pass');
  });

  it('counts a substack as one module when following a jump', async () => {
    const result = await run([
      { name: 'system-auth', text: 'password [success=1 default=ignore] pam_sss.so\npassword substack extra\npassword requisite pam_pwquality.so minlen=12 dcredit=-1 lcredit=-1' },
      { name: 'extra', text: 'password optional pam_echo.so a\npassword optional pam_echo.so b\npassword optional pam_echo.so c' },
    ]);
    expect(statusOf(result, 'password.min-length')).toBe('pass');
  });

  it('enforcing = 0 in pwquality.conf disables the PAM line that reads it', async () => {
    const result = await run([
      { name: 'common-password', text: 'password requisite pam_pwquality.so retry=3' },
      { name: 'pwquality.conf', text: 'minlen = 12\ndcredit = -1\nlcredit = -1\nenforcing = 0\n' },
    ]);
    const finding = result.findings.find((entry) => entry.rule === 'password.pam-not-enforced');
    expect(finding?.location).toMatchObject({ file: 'pwquality.conf', line: 4 });
    expect(statusOf(result, 'password.min-length')).toBe('fail');
  });

  it('enforcing = 0 in pwquality.conf fails even without the PAM stack', async () => {
    const result = await run([{ name: 'pwquality.conf', text: 'minlen = 12\ndcredit = -1\nlcredit = -1\nenforcing = 0\n' }]);
    expect(statusOf(result, 'password.pam-not-enforced')).toBe('fail');
    expect(statusOf(result, 'password.min-length')).toBe('fail');
  });

  it('follows include into another supplied file, keeping only the same type', () => {
    const files = new Map([
      ['system-auth', 'auth include password-auth\npassword substack password-auth'],
      ['password-auth', 'auth required pam_faillock.so preauth deny=3\npassword requisite pam_pwquality.so minlen=9\nsession required pam_limits.so'],
    ]);
    const entries = expandPamStack('system-auth', files);
    expect(entries.map((entry) => `${entry.type} ${entry.module}`)).toEqual([
      'auth pam_faillock.so',
      'password pam_pwquality.so',
    ]);
    expect(readLinuxPolicy({ pam: files }).lockoutThreshold?.source).toMatchObject({ file: 'password-auth', line: 1 });
  });

  it('follows Debian @include', async () => {
    const result = await run([
      { name: 'common-password', text: GOOD_DEBIAN_PASSWORD },
      { name: 'sshd', text: '@include common-auth\n@include common-password' },
      { name: 'common-auth', text: GOOD_DEBIAN_AUTH },
      { name: 'login.defs', text: 'PASS_MAX_DAYS\t90\nPASS_MIN_LEN 5\n' },
    ]);
    expect(result.status).toBe('pass');
  });

  it('detects an include loop', () => {
    const files = new Map([['a', 'auth include b'], ['b', 'auth include a']]);
    expect(() => expandPamStack('a', files)).toThrow(CheckInputError);
  });

  it('reports a malformed PAM line with its line number', () => {
    try {
      expandPamStack('common-auth', new Map([['common-auth', 'auth required pam_unix.so\nbogus line here\n']]));
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ name: 'CheckInputError', line: 2 });
    }
  });
});

describe('login.defs', () => {
  it.each([
    ['PASS_MAX_DAYS 90', 'pass'],
    ['PASS_MAX_DAYS 91', 'fail'],
    ['PASS_MAX_DAYS 99999', 'fail'],
    ['#PASS_MAX_DAYS 90\nPASS_MAX_DAYS 180', 'fail'],
    ['PASS_MIN_DAYS 1', 'unknown'],
  ])('%j → max-age %s', async (text, status) => {
    const result = await run([{ name: 'login.defs', text }]);
    expect(statusOf(result, 'password.max-age')).toBe(status);
  });

  it('leaves the PAM-governed settings unknown when only login.defs is supplied', async () => {
    const result = await run([{ name: 'login.defs', text: 'PASS_MAX_DAYS 60\nPASS_MIN_LEN 8' }]);
    expect(statusOf(result, 'password.min-length')).toBe('unknown');
    expect(statusOf(result, 'password.lockout')).toBe('unknown');
    expect(result.status).toBe('warning');
  });

  it('rejects a non-numeric value with its line', () => {
    return expect(run([{ name: 'login.defs', text: '\nPASS_MAX_DAYS ninety' }])).rejects.toMatchObject({ line: 2 });
  });
});

const NET_ACCOUNTS_EN = `Force user logoff how long after time expires?:       Never
Minimum password age (days):                          0
Maximum password age (days):                          42
Minimum password length:                              8
Length of password history maintained:                None
Lockout threshold:                                    Never
Lockout duration (minutes):                           30
Lockout observation window (minutes):                 30
Computer role:                                        WORKSTATION
The command completed successfully.`;

const NET_ACCOUNTS_ZH = `強制使用者在時間到期之後多久必須登出?:     永不
密碼最短使用期限 (天):                      0
密碼最長使用期限 (天):                      無限制
密碼長度下限:                               6
保持的密碼歷程記錄長度:                     None
鎖定閾值:                                   3
命令已經成功完成。`;

const AD_POLICY = `

ComplexityEnabled           : True
DistinguishedName           : DC=corp,DC=example,DC=com
LockoutDuration             : 00:30:00
LockoutObservationWindow    : 00:30:00
LockoutThreshold            : 3
MaxPasswordAge              : 90.00:00:00
MinPasswordAge              : 1.00:00:00
MinPasswordLength           : 8
objectClass                 : {domainDNS}
PasswordHistoryCount        : 24
ReversibleEncryptionEnabled : False
`;

describe('Windows', () => {
  it('net accounts (English): lock-out never, complexity unknown', () => {
    const policy = parseNetAccounts('net.txt', NET_ACCOUNTS_EN);
    expect(policy.lockoutThreshold?.value).toBe(0);
    expect(policy.maxAgeDays).toMatchObject({ value: 42, source: { line: 3 } });
    expect(policy.minLength?.value).toBe(8);
    expect(policy.minClasses).toBeUndefined();
  });

  it('net accounts (zh-TW)', async () => {
    const result = await run([{ name: 'net-accounts.txt', text: NET_ACCOUNTS_ZH }]);
    expect(statusOf(result, 'password.max-age')).toBe('fail');
    expect(statusOf(result, 'password.lockout')).toBe('pass');
    expect(statusOf(result, 'password.complexity')).toBe('unknown');
  });

  it('Get-ADDefaultDomainPasswordPolicy passes a compliant domain', async () => {
    const result = await run([{ name: 'ad-policy.txt', text: AD_POLICY }]);
    expect(result.status).toBe('pass');
  });

  it.each([
    ['MaxPasswordAge              : 00:00:00', 'password.max-age'],
    ['MaxPasswordAge              : 91.00:00:00', 'password.max-age'],
    ['ComplexityEnabled           : False', 'password.complexity'],
    ['LockoutThreshold            : 0', 'password.lockout'],
    ['MinPasswordLength           : 5', 'password.min-length'],
  ])('AD %s fails %s', async (line, rule) => {
    const key = line.split(' ')[0];
    const text = AD_POLICY.replace(new RegExp(`^${key}.*$`, 'm'), line);
    const result = await run([{ name: 'ad-policy.txt', text }]);
    expect(statusOf(result, rule)).toBe('fail');
  });

  it.each([
    ['MaxPasswordAge : forty days', 2],
    ['ComplexityEnabled : maybe', 2],
  ])('AD malformed %j', (line, lineNumber) => {
    expect(() => parseAdPasswordPolicy('p.txt', `MinPasswordLength : 8\n${line}`)).toThrow(
      expect.objectContaining({ line: lineNumber }),
    );
  });
});

describe('JSON form', () => {
  it('passes a compliant system and reports missing settings as unknown', async () => {
    const result = await run([
      { name: 'core.json', text: JSON.stringify({ system: '核心', minLength: 8, requiresLetter: true, requiresDigit: true, minClasses: 2, lockoutThreshold: 3, maxAgeDays: 90 }) },
      { name: 'web.json', text: JSON.stringify({ system: '網站', minLength: 8 }) },
    ]);
    const web = result.findings.filter((finding) => finding.location.subject === '網站');
    expect(web.map((finding) => finding.status)).toEqual(['unknown', 'unknown', 'unknown']);
    expect(result.findings.filter((finding) => finding.location.subject === '核心')).toEqual([]);
  });

  it('names the bad field and line', () => {
    expect(() => parseJsonPolicy('p.json', '{\n  "minLength": 8,\n  "maxAgeDays": "ninety"\n}')).toThrow(
      expect.objectContaining({ line: 3 }),
    );
  });
});

describe('parsers survive random input', () => {
  const parsers: Array<[string, (text: string) => unknown]> = [
    ['pam', (text) => readLinuxPolicy({ pam: new Map([['common-password', text]]) })],
    ['conf', (text) => readLinuxPolicy({ pam: new Map(), pwqualityConf: { file: 'pwquality.conf', text }, faillockConf: { file: 'faillock.conf', text } })],
    ['login.defs', (text) => readLinuxPolicy({ pam: new Map(), loginDefs: { file: 'login.defs', text } })],
    ['net', (text) => parseNetAccounts('n', text)],
    ['ad', (text) => parseAdPasswordPolicy('a', text)],
    ['json', (text) => parseJsonPolicy('j', text)],
  ];
  it.each(parsers)('%s', (_name, parse) => {
    const line = fc.oneof(
      fc.string({ maxLength: 60 }),
      fc.constantFrom('auth required pam_faillock.so deny=', 'password requisite pam_pwquality.so minlen=x', 'PASS_MAX_DAYS', 'MaxPasswordAge : 1.', 'Lockout threshold: ', 'deny = ', '@include x', '\\'),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 20 }), (lines) => {
        try {
          parse(lines.join('\n'));
        } catch (error) {
          expect(error).toBeInstanceOf(CheckInputError);
        }
      }),
      { numRuns: 300 },
    );
  });
});
