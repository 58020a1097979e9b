import { describe, expect, it } from 'vitest';
import { parseCiscoIos } from './parse-cisco-ios.ts';
import { parseCiscoAsa } from './parse-cisco-asa.ts';
import { analyseRuleSet } from './analyse-rule-set.ts';
import { CheckInputError } from '../types.ts';
import { describeAddressSet } from './addresses.ts';

const IOS_CONFIG = `hostname edge-r1
! last reviewed 2024-03-15 (change CHG-1182)
object-group network DB-SERVERS
 description database farm
 host 10.50.0.10
 10.50.1.0 255.255.255.0
 range 10.50.2.1 10.50.2.20
object-group service ADMIN-PORTS
 tcp eq 22
 tcp range 3389 3390
 udp eq 161
!
access-list 10 remark management stations
access-list 10 permit 10.1.1.0 0.0.0.255
access-list 10 permit host 10.1.2.5
access-list 10 deny any
access-list 101 permit tcp any host 192.0.2.10 eq www
access-list 101 permit tcp 10.0.0.0 0.255.255.255 any gt 1023
access-list 101 permit udp 10.0.0.0 0.0.255.0 any eq domain ntp
access-list 101 permit ip any any
!
ip access-list extended OUTSIDE-IN
 remark web front end
 10 permit tcp any host 192.0.2.10 eq 443
 20 permit tcp any object-group DB-SERVERS eq 1433
 remark admins
 30 permit object-group ADMIN-PORTS 198.51.100.0 0.0.0.255 any
 40 permit tcp 198.51.100.0 0.0.0.127 any range 22 23
 50 deny ip any any log
ip access-list standard PBR-MATCH
 permit 10.9.0.0 0.0.255.255
ipv6 access-list V6-IN
 sequence 10 permit tcp 2001:db8:1::/48 any eq 22
 sequence 20 deny ipv6 any any
ip access-list extended EMPTY-ACL
!
interface GigabitEthernet0/0
 ip access-group OUTSIDE-IN in
 ipv6 traffic-filter V6-IN in
interface GigabitEthernet0/1
 ip access-group 101 in
line vty 0 4
 access-class 10 in
route-map POLICY-ROUTE permit 10
 match ip address PBR-MATCH
 set ip next-hop 10.0.0.1
`;

describe('parseCiscoIos', () => {
  const ruleSet = parseCiscoIos(IOS_CONFIG, 'edge-r1.cfg');
  const acl = (name: string) => ruleSet.chains.find((chain) => chain.name === name)!;

  it('reads numbered, named, standard, extended and IPv6 ACLs with remarks and lines', () => {
    expect(ruleSet.chains.map((chain) => chain.name)).toEqual(['10', '101', 'OUTSIDE-IN', 'PBR-MATCH', 'V6-IN', 'EMPTY-ACL']);
    expect(acl('10').rules[0]).toMatchObject({ line: 14, description: 'management stations' });
    expect(describeAddressSet(acl('10').rules[0].source)).toBe('10.1.1.0-10.1.1.255');
    expect(describeAddressSet(acl('10').rules[1].source)).toBe('10.1.2.5');
    expect(acl('101').rules[1].services[0].destinationPorts).toEqual([{ start: 1024, end: 65535 }]);
    expect(acl('101').rules[2].services[0].destinationPorts).toEqual([
      { start: 53, end: 53 },
      { start: 123, end: 123 },
    ]);
    expect(acl('OUTSIDE-IN').rules[0]).toMatchObject({ line: 24, description: 'web front end' });
    expect(acl('OUTSIDE-IN').rules[3].services[0].destinationPorts).toEqual([{ start: 22, end: 23 }]);
    expect(acl('V6-IN').rules[0].source.v6).toHaveLength(1);
    expect(acl('EMPTY-ACL').rules).toEqual([]);
    expect(ruleSet.reviewedAt).toBe('2024-03-15');
  });

  it('expands non-contiguous wildcard masks and resolves object-groups', () => {
    expect(acl('101').rules[2].source.v4).toHaveLength(256);
    expect(describeAddressSet(acl('OUTSIDE-IN').rules[1].destination)).toBe('10.50.0.10, 10.50.1.0-10.50.1.255, 10.50.2.1-10.50.2.20');
    expect(acl('OUTSIDE-IN').rules[2].services.map((service) => service.destinationPorts[0])).toEqual([
      { start: 22, end: 22 },
      { start: 3389, end: 3390 },
      { start: 161, end: 161 },
    ]);
  });

  it('excludes ACLs used only by route maps and sets direction from access-group', () => {
    expect(acl('PBR-MATCH').isPacketFilter).toBe(false);
    expect(acl('OUTSIDE-IN')).toMatchObject({ isPacketFilter: true, direction: 'inbound', defaultAction: 'deny' });
    const { findings } = analyseRuleSet(ruleSet, { at: new Date('2025-06-01') });
    const info = findings.find((finding) => finding.rule === 'firewall.not-packet-filter')!;
    expect(info).toMatchObject({ status: 'info', location: { subject: 'PBR-MATCH' } });
    expect(findings.filter((finding) => finding.location.subject?.startsWith('PBR-MATCH '))).toEqual([]);
  });

  it('flags the permit ip any any that defeats the implicit deny, and a shadowed rule', () => {
    const { findings } = analyseRuleSet(ruleSet, { at: new Date('2025-06-01') });
    const anyAny = findings.find((finding) => finding.rule === 'firewall.any-any')!;
    expect(anyAny).toMatchObject({ status: 'fail', location: { line: 20, subject: '101 101#4' } });
    expect(anyAny.items).toEqual(expect.arrayContaining(['NET:4.2.2', 'CSIM@112:7.1.b.h']));
    expect(findings.find((finding) => finding.rule === 'firewall.default-deny-missing')).toMatchObject({ location: { subject: '101', line: 20 } });
    // 40 (198.51.100.0/25 tcp 22-23) is covered by 30 for port 22 only: not redundant.
    expect(findings.some((finding) => finding.rule === 'firewall.redundant' && finding.location.line === 28)).toBe(false);
    expect(findings.find((finding) => finding.rule === 'firewall.review-overdue')).toMatchObject({ status: 'fail', location: { line: 2 } });
    expect(findings.find((finding) => finding.rule === 'firewall.review-overdue')!.items).toContain('NET:4.2.3');
  });

  it('reads show access-lists output with match counts', () => {
    const shown = parseCiscoIos('Extended IP access list 110\n    10 permit tcp any any eq 22 (15 matches)\n    20 deny ip any any\n', 'show.txt');
    expect(shown.chains[0].rules.map((rule) => rule.hitCount)).toEqual([15, undefined]);
  });

  it.each([
    ['access-list 101 permit tcp any\n', 1, /missing address/],
    ['ip access-list extended X\n 10 permit tcp any host 10.0.0.1 eq\n', 2, /bad port/],
    ['ip access-list extended X\n 10 allow ip any any\n', 2, /expected permit, deny or remark/],
    ['access-list 101 permit tcp any object-group NOPE\n', 1, /not defined/],
    ['object-group network A\n group-object A\naccess-list 101 permit ip object-group A any\n', 1, /nests too deeply/],
  ])('rejects malformed IOS input with the line (%#)', (text, line, message) => {
    expect(() => parseCiscoIos(text, 'r.cfg')).toThrow(message);
    try {
      parseCiscoIos(text, 'r.cfg');
    } catch (error) {
      expect(error).toBeInstanceOf(CheckInputError);
      expect((error as CheckInputError).line).toBe(line);
    }
  });
});

const ASA_CONFIG = `: Saved
ASA Version 9.16(4)
!
hostname fw-dmz
name 192.0.2.80 web-vip
object network WEB-01
 host 10.10.10.5
 description web server
object network APP-NET
 subnet 10.20.0.0 255.255.0.0
object-group network ADMINS
 network-object host 10.1.1.10
 network-object 10.1.2.0 255.255.255.0
 network-object object WEB-01
object-group service WEB-PORTS tcp
 port-object eq www
 port-object eq https
object service RDP
 service tcp destination eq 3389
access-list OUTSIDE_IN remark publish web (owner=app-team)
access-list OUTSIDE_IN extended permit tcp any object WEB-01 object-group WEB-PORTS
access-list OUTSIDE_IN extended permit tcp object-group ADMINS any eq 3389
access-list OUTSIDE_IN extended permit object RDP any any
access-list OUTSIDE_IN extended permit tcp any host web-vip eq 8443 inactive
access-list OUTSIDE_IN extended permit tcp any4 10.20.0.0 255.255.255.0 eq ssh
access-list OUTSIDE_IN extended deny ip any any log
access-list INSIDE_OUT line 1 extended permit ip object APP-NET any (hitcnt=0) 0x1a2b3c4d
access-list INSIDE_OUT line 2 extended permit tcp 10.20.5.0 255.255.255.0 any eq https (hitcnt=12) 0x5e6f7a8b
access-group OUTSIDE_IN in interface outside
access-group INSIDE_OUT in interface inside
`;

describe('parseCiscoAsa', () => {
  const ruleSet = parseCiscoAsa(ASA_CONFIG, 'fw-dmz.cfg');
  const acl = (name: string) => ruleSet.chains.find((chain) => chain.name === name)!;

  it('resolves objects, object-groups, names and service objects', () => {
    const rules = acl('OUTSIDE_IN').rules;
    expect(describeAddressSet(rules[0].destination)).toBe('10.10.10.5');
    expect(rules[0].services[0].destinationPorts).toEqual([
      { start: 80, end: 80 },
      { start: 443, end: 443 },
    ]);
    expect(rules[0]).toMatchObject({ description: 'publish web (owner=app-team)', owner: 'app-team', line: 21 });
    expect(describeAddressSet(rules[1].source)).toBe('10.1.1.10, 10.1.2.0-10.1.2.255, 10.10.10.5');
    expect(rules[2].services[0].destinationPorts).toEqual([{ start: 3389, end: 3389 }]);
    expect(describeAddressSet(rules[3].destination)).toBe('192.0.2.80');
    expect(rules[3].isEnabled).toBe(false);
    expect(rules[4].services[0].destinationPorts).toEqual([{ start: 22, end: 22 }]);
  });

  it('reads hit counts and flags RDP open to any source, disabled and unused rules', () => {
    expect(acl('INSIDE_OUT').rules.map((rule) => rule.hitCount)).toEqual([0, 12]);
    const { findings } = analyseRuleSet(ruleSet, { at: new Date('2025-06-01') });
    const risky = findings.filter((finding) => finding.rule === 'firewall.risky-port-open');
    expect(risky.map((finding) => finding.location.line)).toEqual([23, 25]);
    expect(risky[0].message).toContain('access-list OUTSIDE_IN extended permit object RDP any any');
    expect(findings.find((finding) => finding.rule === 'firewall.disabled-rule')!.location.line).toBe(24);
    expect(findings.find((finding) => finding.rule === 'firewall.unused-rule')!.location.line).toBe(27);
    // INSIDE_OUT line 2 lies inside APP-NET any: redundant.
    expect(findings.find((finding) => finding.rule === 'firewall.redundant')!.location.line).toBe(28);
  });

  it('rejects an undefined object with the line', () => {
    expect(() => parseCiscoAsa('access-list A extended permit tcp any object NOPE eq 22\n', 'a.cfg')).toThrow(/a\.cfg:1: object NOPE is not defined/);
  });
});

describe('service details the ranges cannot express', () => {
  it('keeps an ICMP-echo service group from covering a later permit of all ICMP', () => {
    const text = 'object-group service PING\n icmp echo\nip access-list extended X\n 10 permit object-group PING any any\n 20 permit icmp any any\n 30 permit icmp any any echo\n';
    const { findings } = analyseRuleSet(parseCiscoIos(text, 'r.cfg'), { at: new Date('2025-06-01') });
    expect(findings.filter((finding) => finding.rule === 'firewall.redundant').map((finding) => finding.location.line)).toEqual([6]);
  });
});
