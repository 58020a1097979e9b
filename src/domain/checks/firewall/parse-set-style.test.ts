import { describe, expect, it } from 'vitest';
import { parseJuniperSrx } from './parse-juniper-srx.ts';
import { parsePaloAlto } from './parse-paloalto.ts';
import { parseFortios } from './parse-fortios.ts';
import { analyseRuleSet } from './analyse-rule-set.ts';
import { CheckInputError } from '../types.ts';
import { describeAddressSet } from './addresses.ts';

const SRX_CONFIG = `## Last commit: 2025-01-05 10:00:00 UTC by admin
set security address-book global address WEB-01 10.10.1.10/32
set security address-book global address APP-RANGE range-address 10.20.0.1 to 10.20.0.50
set security address-book global address-set DMZ-SERVERS address WEB-01
set security address-book global address-set DMZ-SERVERS address APP-RANGE
set security zones security-zone trust address-book address ADMIN-NET 10.1.0.0/24
set applications application TCP-8443 protocol tcp
set applications application TCP-8443 destination-port 8443
set applications application-set WEB-APPS application junos-http
set applications application-set WEB-APPS application junos-https
set security policies from-zone untrust to-zone dmz policy ALLOW-WEB match source-address any
set security policies from-zone untrust to-zone dmz policy ALLOW-WEB match destination-address DMZ-SERVERS
set security policies from-zone untrust to-zone dmz policy ALLOW-WEB match application [ WEB-APPS TCP-8443 ]
set security policies from-zone untrust to-zone dmz policy ALLOW-WEB then permit
set security policies from-zone untrust to-zone dmz policy ALLOW-WEB description "public web owner=web-team"
set security policies from-zone untrust to-zone dmz policy ALLOW-SSH match source-address any
set security policies from-zone untrust to-zone dmz policy ALLOW-SSH match destination-address WEB-01
set security policies from-zone untrust to-zone dmz policy ALLOW-SSH match application junos-ssh
set security policies from-zone untrust to-zone dmz policy ALLOW-SSH then permit
set security policies from-zone untrust to-zone dmz policy OLD-HTTP match source-address any
set security policies from-zone untrust to-zone dmz policy OLD-HTTP match destination-address WEB-01
set security policies from-zone untrust to-zone dmz policy OLD-HTTP match application junos-http
set security policies from-zone untrust to-zone dmz policy OLD-HTTP then deny
set security policies from-zone trust to-zone untrust policy ANY-OUT match source-address any destination-address any application any
set security policies from-zone trust to-zone untrust policy ANY-OUT then permit
deactivate security policies from-zone untrust to-zone dmz policy OLD-HTTP
set security policies default-policy permit-all
`;

describe('parseJuniperSrx', () => {
  const ruleSet = parseJuniperSrx(SRX_CONFIG, 'srx.set');

  it('groups policies per zone pair and resolves address sets and applications', () => {
    expect(ruleSet.chains.map((chain) => chain.name)).toEqual(['untrust → dmz', 'trust → untrust']);
    const [web, ssh, old] = ruleSet.chains[0].rules;
    expect(web).toMatchObject({ id: 'ALLOW-WEB', line: 11, action: 'permit', owner: 'web-team' });
    expect(describeAddressSet(web.destination)).toBe('10.10.1.10, 10.20.0.1-10.20.0.50');
    expect(web.services.map((service) => service.destinationPorts[0].start)).toEqual([80, 443, 8443]);
    expect(ssh.services[0].destinationPorts).toEqual([{ start: 22, end: 22 }]);
    expect(old.isEnabled).toBe(false);
    expect(ruleSet.chains[0]).toMatchObject({ defaultAction: 'permit', defaultLine: 27 });
  });

  it('finds SSH open to any, permit-all default and the any-any policy', () => {
    const { findings } = analyseRuleSet(ruleSet, { at: new Date('2025-06-01') });
    expect(findings.find((finding) => finding.rule === 'firewall.risky-port-open')!.location).toMatchObject({ line: 16, subject: 'untrust → dmz ALLOW-SSH' });
    expect(findings.find((finding) => finding.rule === 'firewall.any-any')!.location.line).toBe(24);
    expect(findings.filter((finding) => finding.rule === 'firewall.default-deny-missing').map((finding) => finding.location.subject)).toEqual(['untrust → dmz', 'trust → untrust']);
    expect(findings.find((finding) => finding.rule === 'firewall.disabled-rule')!.location.line).toBe(20);
  });

  it('rejects unknown address names with the line of the policy', () => {
    const text = 'set security policies from-zone a to-zone b policy P match source-address NOPE\nset security policies from-zone a to-zone b policy P then permit\n';
    expect(() => parseJuniperSrx(text, 's.set')).toThrow(CheckInputError);
    expect(() => parseJuniperSrx(text, 's.set')).toThrow(/s\.set:1: address NOPE is not defined/);
  });
});

const PAN_CONFIG = `set address web-srv ip-netmask 10.10.1.10/32
set address app-pool ip-range 10.20.0.1-10.20.0.50
set address-group dmz static [ web-srv app-pool ]
set service tcp-8443 protocol tcp port 8443
set service rdp protocol tcp port 3389
set service-group web-svcs members [ service-https tcp-8443 ]
set rulebase security rules "Allow Web" from untrust to dmz source any destination dmz application any service web-svcs action allow
set rulebase security rules "Allow Web" description "ticket CHG-100 owner=web-team"
set rulebase security rules RDP-Any from untrust to dmz source any destination web-srv service rdp application any action allow
set rulebase security rules Web-Again from untrust to dmz source any destination web-srv service service-https application any action allow
set rulebase security rules Legacy from any to any source 10.0.0.0/8 destination any application ssh service application-default action allow
set rulebase security rules Legacy disabled yes
set rulebase security rules Deny-All from any to any source any destination any application any service any action deny
`;

describe('parsePaloAlto', () => {
  const ruleSet = parsePaloAlto(PAN_CONFIG, 'pan.set');
  const rules = ruleSet.chains[0].rules;

  it('reads multi-attribute set lines, quoted names, groups and services', () => {
    expect(rules.map((rule) => rule.id)).toEqual(['Allow Web', 'RDP-Any', 'Web-Again', 'Legacy', 'Deny-All']);
    expect(rules[0]).toMatchObject({ line: 7, owner: 'web-team', description: 'ticket CHG-100 owner=web-team' });
    expect(describeAddressSet(rules[0].destination)).toBe('10.10.1.10, 10.20.0.1-10.20.0.50');
    expect(rules[0].qualifiers).toEqual(['from:untrust', 'to:dmz']);
    expect(rules[3]).toMatchObject({ isEnabled: false });
    expect(rules[3].qualifiers).toContain('application:ssh');
  });

  it('finds RDP open to any and the web rule made redundant by the group rule', () => {
    const { findings } = analyseRuleSet(ruleSet, { at: new Date('2025-06-01') });
    expect(findings.find((finding) => finding.rule === 'firewall.risky-port-open')!.location.line).toBe(9);
    expect(findings.find((finding) => finding.rule === 'firewall.redundant')!.location.line).toBe(10);
    expect(findings.some((finding) => finding.rule === 'firewall.default-deny-missing')).toBe(false);
  });

  it('rejects an undefined service with the line', () => {
    expect(() => parsePaloAlto('set rulebase security rules R service nope action allow\n', 'p.set')).toThrow(/p\.set:1: service nope is not defined/);
  });
});

const FORTI_CONFIG = `#config-version=FGT60F-7.2.5-FW-build1517-230606:opmode=0:vdom=0:user=admin
#reviewed 2023-11-30
config firewall address
    edit "web-srv"
        set subnet 10.10.1.10 255.255.255.255
    next
    edit "app-range"
        set type iprange
        set start-ip 10.20.0.1
        set end-ip 10.20.0.50
    next
end
config firewall addrgrp
    edit "dmz-servers"
        set member "web-srv" "app-range"
    next
end
config firewall service custom
    edit "TCP-8443"
        set tcp-portrange 8443
    next
    edit "DB"
        set tcp-portrange 1433 3306
    next
end
config firewall service group
    edit "Web"
        set member "HTTP" "HTTPS" "TCP-8443"
    next
end
config firewall policy
    edit 1
        set name "web-in"
        set srcintf "wan1"
        set dstintf "dmz"
        set srcaddr "all"
        set dstaddr "dmz-servers"
        set action accept
        set schedule "always"
        set service "Web"
        set comments "owner=web-team CHG-2001"
    next
    edit 2
        set name "db-open"
        set srcintf "wan1"
        set dstintf "dmz"
        set srcaddr "all"
        set dstaddr "app-range"
        set action accept
        set service "DB"
        set status disable
    next
    edit 3
        set srcintf "wan1"
        set dstintf "dmz"
        set srcaddr "all"
        set dstaddr "web-srv"
        set action accept
        set service "HTTPS"
    next
end
`;

describe('parseFortios', () => {
  const ruleSet = parseFortios(FORTI_CONFIG, 'fgt.conf');
  const rules = ruleSet.chains[0].rules;

  it('resolves addresses, groups and services, and reads status and comments', () => {
    expect(rules.map((rule) => rule.id)).toEqual(['1 (web-in)', '2 (db-open)', '3']);
    expect(rules[0]).toMatchObject({ line: 32, owner: 'web-team' });
    expect(describeAddressSet(rules[0].destination)).toBe('10.10.1.10, 10.20.0.1-10.20.0.50');
    expect(rules[0].services.map((service) => service.destinationPorts[0].start)).toEqual([80, 443, 8443]);
    expect(rules[0].qualifiers).toEqual(['srcintf:wan1', 'dstintf:dmz']);
    expect(rules[1].isEnabled).toBe(false);
    expect(ruleSet.reviewedAt).toBe('2023-11-30');
    expect(ruleSet.chains[0]).toMatchObject({ defaultAction: 'deny', defaultText: 'implicit deny (policy 0)' });
  });

  it('finds the redundant HTTPS policy, the disabled one, missing comments and the overdue review', () => {
    const { findings } = analyseRuleSet(ruleSet, { at: new Date('2025-06-01') });
    expect(findings.find((finding) => finding.rule === 'firewall.redundant')!.location.line).toBe(53);
    expect(findings.find((finding) => finding.rule === 'firewall.disabled-rule')!.location.line).toBe(43);
    expect(findings.filter((finding) => finding.rule === 'firewall.missing-metadata').map((finding) => finding.location.line)).toEqual([43, 53]);
    expect(findings.find((finding) => finding.rule === 'firewall.review-overdue')).toMatchObject({ status: 'fail', location: { line: 2 } });
  });

  it.each([
    ['config firewall policy\n    edit 1\n        set srcaddr "nope"\n    next\nend\n', 2, /address nope is not defined/],
    ['config firewall policy\n    edit 1\n    next\n', 1, /not closed/],
    ['config firewall policy\n    next\nend\n', 2, /next without edit/],
    ['config firewall policy\n    edit 1\n        set comments "unterminated\n    next\nend\n', 3, /unterminated quote/],
  ])('rejects malformed FortiOS input with the line (%#)', (text, line, message) => {
    try {
      parseFortios(text, 'f.conf');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(CheckInputError);
      expect((error as CheckInputError).message).toMatch(message);
      expect((error as CheckInputError).line).toBe(line);
    }
  });
});

describe('application-restricted rules', () => {
  it('does not call an App-ID rule on application-default ports a risky open port, and flags zone-to-zone any-any', () => {
    const text = 'set rulebase security rules Web from untrust to dmz source any destination any application web-browsing service application-default action allow\nset rulebase security rules Any-Svc from untrust to dmz source any destination any application any service any action allow\n';
    const { findings } = analyseRuleSet(parsePaloAlto(text, 'p.set'), { at: new Date('2025-06-01') });
    expect(findings.filter((finding) => finding.rule === 'firewall.risky-port-open').map((finding) => finding.location.line)).toEqual([]);
    // Any source, destination and service between two zones is still permit any-any.
    expect(findings.find((finding) => finding.rule === 'firewall.any-any')!.messageEn).toContain('only from:untrust, to:dmz');
  });
});
