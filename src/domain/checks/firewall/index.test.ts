import { describe, expect, it } from 'vitest';
import { firewallCheck } from './index.ts';
import { detectFirewallFormat } from './detect-format.ts';
import { parseFirewallCsv } from './parse-csv.ts';
import { CheckInputError } from '../types.ts';

const RULES_CSV = `# exported from the firewall change register
# reviewed 2025-04-01
name,action,protocol,source,destination,ports,enabled,owner,description,last_reviewed,hit_count
web-in,permit,tcp,any,192.0.2.10,443,yes,web-team,CHG-1001 public site,2025-04-01,120
admin-ssh,permit,tcp,10.1.0.0/24,192.0.2.0/24,22,yes,infra,jump hosts,2023-12-31,5
old-ftp,permit,tcp,any,192.0.2.20,21,no,,legacy,,0
"db, reporting",permit,tcp,10.2.0.0/16;10.3.0.0/16,10.50.0.10,1433;3306,yes,data-team,,2025-04-01,0
deny-all,deny,any,any,any,any,yes,security,final deny,2025-04-01,
`;

describe('parseFirewallCsv', () => {
  it('reads the documented columns, quoted cells, lists and dates', () => {
    const ruleSet = parseFirewallCsv(RULES_CSV, 'rules.csv');
    const rules = ruleSet.chains[0].rules;
    expect(rules.map((rule) => rule.id)).toEqual(['web-in', 'admin-ssh', 'old-ftp', 'db, reporting', 'deny-all']);
    expect(rules[0]).toMatchObject({ line: 4, owner: 'web-team', lastReviewed: '2025-04-01', hitCount: 120 });
    expect(rules[2].isEnabled).toBe(false);
    expect(rules[3].source.v4).toHaveLength(1);
    expect(rules[3].services[0].destinationPorts).toEqual([
      { start: 1433, end: 1433 },
      { start: 3306, end: 3306 },
    ]);
    expect(ruleSet.reviewedAt).toBe('2025-04-01');
  });

  it.each([
    ['name,action\nx,maybe\n', 2, /bad action/],
    ['name,protocol\nx,tcp\n', 1, /missing column action/],
    ['name,action,source\nx,permit,10.0.0.1/40\n', 2, /bad address/],
    ['name,action,last_reviewed\nx,permit,2025-02-30\n', 2, /bad last_reviewed/],
    ['name,action\n"x,permit\n', undefined, /not valid CSV/],
  ])('rejects malformed rows with the line (%#)', (text, line, message) => {
    try {
      parseFirewallCsv(text, 'r.csv');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(CheckInputError);
      expect((error as CheckInputError).message).toMatch(message);
      if (line !== undefined) {
        expect((error as CheckInputError).line).toBe(line);
      }
    }
  });
});

describe('detectFirewallFormat', () => {
  it.each([
    ['*filter\n:INPUT DROP [0:0]\n-A INPUT -j ACCEPT\nCOMMIT\n', 'rules.v4', 'iptables'],
    ['hostname r1\nip access-list extended X\n permit ip any any\n', 'r1.cfg', 'cisco-ios'],
    ['access-list 10 permit any\n', 'r1.txt', 'cisco-ios'],
    ['ASA Version 9.8(4)\naccess-list A extended permit ip any any\n', 'asa.cfg', 'cisco-asa'],
    ['set security policies from-zone a to-zone b policy p then permit\n', 'srx.txt', 'juniper-srx'],
    ['set rulebase security rules r action allow\n', 'pan.txt', 'paloalto'],
    ['config firewall policy\n    edit 1\n    next\nend\n', 'fgt.conf', 'fortios'],
    ['{"SecurityGroups": []}', 'sg.json', 'aws-sg'],
    ['{"NetworkAcls": []}', 'nacl.json', 'aws-nacl'],
    ['{"name": "n", "securityRules": []}', 'nsg.json', 'azure-nsg'],
    ['name,action\nx,permit\n', 'rules.txt', 'csv'],
    ['a;b\n', 'rules.csv', 'csv'],
    ['hello world\n', 'notes.txt', undefined],
  ])('detects %#', (text, fileName, format) => {
    expect(detectFirewallFormat(text, fileName)).toBe(format);
  });
});

describe('firewallCheck', () => {
  it('declares its id, formats and catalog items', () => {
    expect(firewallCheck.id).toBe('firewall');
    expect(firewallCheck.inputKinds).toEqual(['iptables', 'cisco-ios', 'cisco-asa', 'juniper-srx', 'paloalto', 'fortios', 'aws-sg', 'aws-nacl', 'azure-nsg', 'csv']);
    expect(firewallCheck.items).toEqual(expect.arrayContaining(['NET:4.2.2', 'NET:4.2.3', 'CSIM:7.1.b.f', 'CSIM@112:7.1.b.h', 'CSIM@112:7.1.b.i']));
  });

  it('detects each input, analyses it and counts rules per format and findings per rule', async () => {
    const result = await firewallCheck.run(
      [
        { name: 'rules.csv', text: RULES_CSV },
        { name: 'edge.cfg', text: 'access-list 101 permit tcp any any eq 23\ninterface Gi0/0\n ip access-group 101 in\n' },
      ],
      { at: '2025-06-01' },
    );
    expect(result).toMatchObject({ check: 'firewall', status: 'fail', evaluatedAt: '2025-06-01T00:00:00.000Z' });
    expect(result.stats).toMatchObject({ 'rules.csv': 5, 'rules.cisco-ios': 1, rules: 6, 'findings.firewall.risky-port-open': 1, 'findings.firewall.disabled-rule': 1 });
    expect(result.findings.find((finding) => finding.location.file === 'edge.cfg' && finding.rule === 'firewall.risky-port-open')!.message).toContain('23/Telnet');
    // admin-ssh was last reviewed 2023-12-31: overdue on its own.
    expect(result.findings.find((finding) => finding.rule === 'firewall.rule-review-overdue')!.location).toMatchObject({ file: 'rules.csv', line: 5 });
    expect(result.findings.find((finding) => finding.rule === 'firewall.missing-metadata' && finding.location.line === 6)!.detail).toMatchObject({ missing: ['owner', 'review date'] });
    expect(result.findings.find((finding) => finding.location.file === 'edge.cfg' && finding.rule === 'firewall.review-unknown')).toMatchObject({ status: 'unknown' });
  });

  it('uses the reviewedAt option for the rule-set review', async () => {
    const text = '*filter\n:INPUT DROP [0:0]\n-A INPUT -s 10.0.0.0/8 -p tcp --dport 443 -m comment --comment "intranet" -j ACCEPT\nCOMMIT\n';
    const recent = await firewallCheck.run([{ name: 'a.rules', text }], { at: '2025-06-01', reviewedAt: '2025-01-15', requireOwner: false });
    expect(recent.status).toBe('pass');
    const old = await firewallCheck.run([{ name: 'a.rules', text }], { at: '2025-06-01', reviewedAt: '2024-01-15', requireOwner: false });
    expect(old.findings.map((finding) => finding.rule)).toEqual(['firewall.review-overdue']);
    expect(old.findings[0].items).toEqual(['NET:4.2.3', 'NET:3.2.5', 'CSIM:7.1.b.f', 'CSIM@112:7.1.b.i']);
  });

  describe('rules without owner or review date', () => {
    const IPTABLES = [
      '*filter',
      ':INPUT DROP [0:0]',
      '-A INPUT -s 10.0.0.0/8 -p tcp --dport 443 -m comment --comment "intranet" -j ACCEPT',
      '-A INPUT -s 10.0.0.0/8 -p tcp --dport 22 -j ACCEPT',
      '-A INPUT -s 10.9.0.0/16 -p tcp --dport 8443 -j ACCEPT',
      'COMMIT',
      '',
    ].join('\n');
    const IOS = [
      'ip access-list extended OUTSIDE-IN',
      ' remark web servers',
      ' permit tcp any host 192.0.2.10 eq 443',
      ' deny ip any any',
      '',
    ].join('\n');

    it.each([
      ['iptables', 'a.rules', IPTABLES, 3, '-m comment --comment'],
      ['cisco-ios', 'acl.txt', IOS, 2, 'remark owner='],
    ])('%s: counts them in one unknown finding with a hint how to record them', async (format, name, text, count, hint) => {
      const result = await firewallCheck.run([{ name, text }], { at: '2025-06-01', reviewedAt: '2025-01-15', format });
      const findings = result.findings.filter((finding) => finding.rule === 'firewall.metadata-unrecorded');
      expect(findings).toHaveLength(1);
      expect(findings[0]).toMatchObject({ status: 'unknown', detail: { rules: count, missing: ['owner', 'review date'] } });
      expect(findings[0].message).toContain(`${count} 條規則未記錄負責人及檢視日期`);
      expect(findings[0].messageEn).toContain(hint);
      expect(result.status).toBe('warning');
    });

    it('is left out with requireOwner=false (as the CLI passes it: -o requireOwner=false, or the string from the API)', async () => {
      for (const requireOwner of [false, 'false']) {
        const result = await firewallCheck.run([{ name: 'a.rules', text: IPTABLES }], { at: '2025-06-01', reviewedAt: '2025-01-15', requireOwner });
        expect(result.findings.map((finding) => finding.rule)).not.toContain('firewall.metadata-unrecorded');
      }
      await expect(firewallCheck.run([{ name: 'a.rules', text: IPTABLES }], { requireOwner: 'nope' })).rejects.toThrow(/requireOwner/);
    });

    it('reports per rule instead once rules use the owner=/reviewed= convention', async () => {
      const text = IPTABLES.replace('"intranet"', '"intranet owner=net-team reviewed=2025-03-01"');
      const result = await firewallCheck.run([{ name: 'a.rules', text }], { at: '2025-06-01', reviewedAt: '2025-01-15' });
      expect(result.findings.map((finding) => finding.rule)).not.toContain('firewall.metadata-unrecorded');
      expect(result.findings.filter((finding) => finding.rule === 'firewall.missing-metadata')).toHaveLength(2);
    });

    it('does not add the count for CSV, whose owner and last_reviewed columns are checked per rule', async () => {
      const result = await firewallCheck.run([{ name: 'rules.csv', text: RULES_CSV }], { at: '2025-06-01' });
      expect(result.findings.map((finding) => finding.rule)).not.toContain('firewall.metadata-unrecorded');
    });
  });

  it('refuses undetectable input, unknown formats and binary input', async () => {
    await expect(firewallCheck.run([{ name: 'x.txt', text: 'hello' }], {})).rejects.toThrow(/cannot tell the rule format/);
    await expect(firewallCheck.run([{ name: 'x.txt', text: 'hello' }], { format: 'checkpoint' })).rejects.toThrow(CheckInputError);
    await expect(firewallCheck.run([{ name: 'x.bin', bytes: new Uint8Array([1]) }], {})).rejects.toThrow(CheckInputError);
  });
});
