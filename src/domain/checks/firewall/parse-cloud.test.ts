import { describe, expect, it } from 'vitest';
import { parseAwsNetworkAcls, parseAwsSecurityGroups } from './parse-aws.ts';
import { parseAzureNsg } from './parse-azure-nsg.ts';
import { analyseRuleSet } from './analyse-rule-set.ts';
import { CheckInputError } from '../types.ts';

const SECURITY_GROUPS = JSON.stringify(
  {
    SecurityGroups: [
      {
        GroupId: 'sg-0a1b2c3d',
        GroupName: 'web-prod',
        Description: 'web tier',
        IpPermissions: [
          { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'public https' }], Ipv6Ranges: [{ CidrIpv6: '::/0' }] },
          { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] },
          { IpProtocol: 'tcp', FromPort: 0, ToPort: 65535, IpRanges: [{ CidrIp: '10.0.0.0/8', Description: 'vpc' }] },
          { IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, IpRanges: [{ CidrIp: '10.1.0.0/16', Description: 'db clients' }], UserIdGroupPairs: [{ GroupId: 'sg-app', Description: 'app tier' }] },
        ],
        IpPermissionsEgress: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
        Tags: [{ Key: 'Owner', Value: 'platform-team' }, { Key: 'LastReviewed', Value: '2024-01-10' }],
      },
    ],
  },
  null,
  2,
);

describe('parseAwsSecurityGroups', () => {
  const ruleSet = parseAwsSecurityGroups(SECURITY_GROUPS, 'sg.json');

  it('turns each permission and peer into a rule with its JSON line', () => {
    const inbound = ruleSet.chains[0];
    expect(inbound).toMatchObject({ name: 'sg-0a1b2c3d (web-prod) inbound', isOrdered: false, defaultAction: 'deny' });
    expect(inbound.rules.map((rule) => rule.text)).toEqual([
      'inbound tcp 443-443 from 0.0.0.0/0 "public https"',
      'inbound tcp 443-443 from ::/0',
      'inbound tcp 22-22 from 0.0.0.0/0',
      'inbound tcp 0-65535 from 10.0.0.0/8 "vpc"',
      'inbound tcp 5432-5432 from 10.1.0.0/16 "db clients"',
      'inbound tcp 5432-5432 from sg-app "app tier"',
    ]);
    expect(SECURITY_GROUPS.split('\n')[inbound.rules[2].line - 1]).toContain('"CidrIp": "0.0.0.0/0"');
    expect(inbound.rules[0]).toMatchObject({ owner: 'platform-team', lastReviewed: '2024-01-10' });
  });

  it('finds SSH open to the world, the redundant 5432 rule and the all-traffic egress', () => {
    const { findings } = analyseRuleSet(ruleSet, { at: new Date('2025-06-01') });
    expect(findings.find((finding) => finding.rule === 'firewall.risky-port-open')!.message).toContain('22/SSH');
    expect(findings.find((finding) => finding.rule === 'firewall.redundant')!.message).toContain('10.1.0.0/16');
    expect(findings.find((finding) => finding.rule === 'firewall.any-any')).toMatchObject({ status: 'warning', location: { subject: expect.stringContaining('outbound') } });
    expect(findings.filter((finding) => finding.rule === 'firewall.rule-review-overdue')).toHaveLength(7);
  });

  it('rejects a bad CIDR and broken JSON with the line', () => {
    const bad = '{\n  "SecurityGroups": [\n    { "GroupId": "sg-1", "IpPermissions": [\n      { "IpProtocol": "tcp", "FromPort": 22, "ToPort": 22,\n        "IpRanges": [ { "CidrIp": "10.0.0.0/33" } ] } ] } ] }\n';
    expect(() => parseAwsSecurityGroups(bad, 'sg.json')).toThrow(/sg\.json:5: bad CIDR/);
    try {
      parseAwsSecurityGroups('{\n  "SecurityGroups": [\n    { "GroupId": }\n  ]\n}\n', 'sg.json');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(CheckInputError);
      expect((error as CheckInputError).line).toBe(3);
    }
  });
});

const NETWORK_ACLS = JSON.stringify(
  {
    NetworkAcls: [
      {
        NetworkAclId: 'acl-0123',
        IsDefault: false,
        Entries: [
          { RuleNumber: 200, Protocol: '6', RuleAction: 'allow', Egress: false, CidrBlock: '0.0.0.0/0', PortRange: { From: 1024, To: 65535 } },
          { RuleNumber: 100, Protocol: '6', RuleAction: 'deny', Egress: false, CidrBlock: '0.0.0.0/0', PortRange: { From: 3389, To: 3389 } },
          { RuleNumber: 110, Protocol: '6', RuleAction: 'allow', Egress: false, CidrBlock: '0.0.0.0/0', PortRange: { From: 443, To: 443 } },
          { RuleNumber: 300, Protocol: '6', RuleAction: 'allow', Egress: false, CidrBlock: '0.0.0.0/0', PortRange: { From: 8080, To: 8080 } },
          { RuleNumber: 32767, Protocol: '-1', RuleAction: 'deny', Egress: false, CidrBlock: '0.0.0.0/0' },
          { RuleNumber: 100, Protocol: '-1', RuleAction: 'allow', Egress: true, CidrBlock: '0.0.0.0/0' },
          { RuleNumber: 32767, Protocol: '-1', RuleAction: 'deny', Egress: true, CidrBlock: '0.0.0.0/0' },
        ],
      },
    ],
  },
  null,
  2,
);

describe('parseAwsNetworkAcls', () => {
  const ruleSet = parseAwsNetworkAcls(NETWORK_ACLS, 'nacl.json');

  it('orders entries by rule number and takes rule 32767 as the default', () => {
    const inbound = ruleSet.chains[0];
    expect(inbound.rules.map((rule) => rule.id)).toEqual(['100', '110', '200', '300']);
    expect(inbound).toMatchObject({ defaultAction: 'deny', defaultText: 'rule * (32767) deny' });
  });

  it('finds the ephemeral range open to the world (minus RDP) and the rule it makes redundant', () => {
    const { findings } = analyseRuleSet(ruleSet, { at: new Date('2025-06-01') });
    const risky = findings.find((finding) => finding.rule === 'firewall.risky-port-open')!;
    expect(risky).toMatchObject({ severity: 'medium', location: { subject: 'acl-0123 inbound 200' } });
    expect(risky.message).toContain('3306/MySQL');
    expect(findings.find((finding) => finding.rule === 'firewall.redundant')!.location.subject).toBe('acl-0123 inbound 300');
  });
});

const NSG = JSON.stringify(
  {
    name: 'nsg-web',
    securityRules: [
      { name: 'AllowHttps', priority: 100, direction: 'Inbound', access: 'Allow', protocol: 'Tcp', sourceAddressPrefix: 'Internet', sourcePortRange: '*', destinationAddressPrefix: '10.0.1.0/24', destinationPortRange: '443', description: 'public site' },
      { name: 'AllowRdpAny', priority: 110, direction: 'Inbound', access: 'Allow', protocol: '*', sourceAddressPrefix: '*', sourcePortRange: '*', destinationAddressPrefix: '*', destinationPortRanges: ['3389', '5985-5986'] },
      { name: 'AllowVnetSql', priority: 120, direction: 'Inbound', access: 'Allow', protocol: 'Tcp', sourceAddressPrefix: 'VirtualNetwork', sourcePortRange: '*', destinationAddressPrefix: '10.0.2.4', destinationPortRange: '1433', description: 'app to sql' },
    ],
    defaultSecurityRules: [
      { name: 'AllowVnetInBound', priority: 65000, direction: 'Inbound', access: 'Allow', protocol: '*', sourceAddressPrefix: 'VirtualNetwork', sourcePortRange: '*', destinationAddressPrefix: 'VirtualNetwork', destinationPortRange: '*', description: 'Allow inbound traffic from all VMs in VNET' },
      { name: 'DenyAllInBound', priority: 65500, direction: 'Inbound', access: 'Deny', protocol: '*', sourceAddressPrefix: '*', sourcePortRange: '*', destinationAddressPrefix: '*', destinationPortRange: '*', description: 'Deny all inbound traffic' },
    ],
  },
  null,
  2,
);

describe('parseAzureNsg', () => {
  const ruleSet = parseAzureNsg(NSG, 'nsg.json');

  it('orders rules by priority, includes the default rules and reads service tags', () => {
    const inbound = ruleSet.chains[0];
    expect(inbound.rules.map((rule) => rule.id)).toEqual(['AllowHttps (100)', 'AllowRdpAny (110)', 'AllowVnetSql (120)', 'AllowVnetInBound (65000) default', 'DenyAllInBound (65500) default']);
    expect(inbound.rules[0].source.tags).toEqual(['Internet']);
  });

  it('flags RDP/WinRM from any source and the missing description, not the Internet HTTPS rule', () => {
    const { findings } = analyseRuleSet(ruleSet, { at: new Date('2025-06-01') });
    const risky = findings.filter((finding) => finding.rule === 'firewall.risky-port-open');
    expect(risky).toHaveLength(1);
    expect(risky[0].message).toContain('3389/RDP');
    expect(risky[0].message).toContain('5985/WinRM');
    expect(findings.filter((finding) => finding.rule === 'firewall.missing-metadata').map((finding) => finding.location.subject)).toEqual(['nsg-web inbound AllowRdpAny (110)']);
    expect(findings.some((finding) => finding.rule === 'firewall.default-deny-missing')).toBe(false);
  });

  it('reads ARM resources with properties and rejects a bad priority with the line', () => {
    const arm = { resources: [{ type: 'Microsoft.Network/networkSecurityGroups', name: 'nsg-arm', properties: { securityRules: [{ name: 'r1', properties: { priority: 100, direction: 'Inbound', access: 'Allow', protocol: 'Tcp', sourceAddressPrefix: '10.0.0.0/8', sourcePortRange: '*', destinationAddressPrefix: '*', destinationPortRange: '22' } }] } }] };
    expect(parseAzureNsg(JSON.stringify(arm), 'arm.json').chains[0].rules[0].id).toBe('r1 (100)');
    const bad = JSON.stringify({ name: 'n', securityRules: [{ name: 'x', priority: 5, direction: 'Inbound', access: 'Allow', protocol: '*' }] }, null, 2);
    expect(() => parseAzureNsg(bad, 'n.json')).toThrow(/n\.json:5: bad priority/);
  });
});
