import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FIREWALL_PARSERS } from './parse-rule-set.ts';
import { analyseRuleSet } from './analyse-rule-set.ts';
import { detectFirewallFormat } from './detect-format.ts';
import { CheckInputError } from '../types.ts';
import type { FirewallFormat } from './model.ts';

/** One small valid input per format; the property garbles them. */
const SAMPLES: Record<FirewallFormat, string> = {
  iptables: '*filter\n:INPUT DROP [0:0]\n:USER - [0:0]\n[3:120] -A INPUT ! -s 10.0.0.0/8 -p tcp -m multiport --dports 22,80:90 -m comment --comment "a b" -j ACCEPT\n-A INPUT -m conntrack --ctstate ESTABLISHED -j USER\n-A USER -j RETURN\nCOMMIT\n',
  'cisco-ios': 'object-group network G\n host 10.0.0.1\n 10.1.0.0 255.255.0.0\nip access-list extended X\n remark r\n 10 permit tcp object-group G any range 20 23\n 20 deny ip any any log\naccess-list 5 permit 10.0.0.0 0.0.255.0\nroute-map M permit 10\n match ip address 5\n',
  'cisco-asa': 'object network W\n host 10.0.0.5\nobject-group service P tcp\n port-object eq 443\naccess-list A remark owner=x\naccess-list A extended permit tcp any object W object-group P\naccess-list A line 2 extended deny ip any any (hitcnt=0) 0xabc\naccess-group A in interface outside\n',
  'juniper-srx': 'set security address-book global address W 10.0.0.5/32\nset security policies from-zone u to-zone d policy P match source-address any destination-address W application [ junos-ssh junos-http ]\nset security policies from-zone u to-zone d policy P then permit\n',
  paloalto: 'set address w ip-netmask 10.0.0.5/32\nset service s protocol tcp port 22,8000-8100\nset rulebase security rules "R 1" from any to any source any destination w service s application any action allow\n',
  fortios: 'config firewall address\n    edit "w"\n        set subnet 10.0.0.5 255.255.255.255\n    next\nend\nconfig firewall policy\n    edit 1\n        set srcaddr "all"\n        set dstaddr "w"\n        set service "SSH"\n        set action accept\n    next\nend\n',
  'aws-sg': '{"SecurityGroups":[{"GroupId":"sg-1","IpPermissions":[{"IpProtocol":"tcp","FromPort":22,"ToPort":22,"IpRanges":[{"CidrIp":"0.0.0.0/0"}]}],"IpPermissionsEgress":[]}]}',
  'aws-nacl': '{"NetworkAcls":[{"NetworkAclId":"acl-1","Entries":[{"RuleNumber":100,"Protocol":"6","RuleAction":"allow","Egress":false,"CidrBlock":"0.0.0.0/0","PortRange":{"From":22,"To":22}}]}]}',
  'azure-nsg': '{"name":"n","securityRules":[{"name":"r","priority":100,"direction":"Inbound","access":"Allow","protocol":"Tcp","sourceAddressPrefix":"*","sourcePortRange":"*","destinationAddressPrefix":"*","destinationPortRange":"22"}]}',
  csv: 'name,action,protocol,source,destination,ports,enabled,owner,description,last_reviewed\nr1,permit,tcp,any,10.0.0.5,22,yes,o,d,2025-01-01\n',
};

const FORMATS = Object.keys(SAMPLES) as FirewallFormat[];
const TIME_LIMIT_MS = 2_000;

/** Deletes, inserts or duplicates characters and lines of a sample. */
const garbled = (sample: string) =>
  fc
    .array(
      fc.record({
        kind: fc.constantFrom('delete', 'insert', 'duplicate-line', 'swap-lines'),
        at: fc.nat(),
        text: fc.string({ maxLength: 8, unit: fc.constantFrom(...' \n"\'[]{}:,!-/.0123456789abcxyz#'.split('')) }),
      }),
      { maxLength: 6 },
    )
    .map((edits) => {
      let text = sample;
      for (const edit of edits) {
        const position = edit.at % (text.length + 1);
        if (edit.kind === 'delete') {
          text = text.slice(0, position) + text.slice(position + 1 + (edit.text.length % 4));
        } else if (edit.kind === 'insert') {
          text = text.slice(0, position) + edit.text + text.slice(position);
        } else {
          const lines = text.split('\n');
          const index = edit.at % lines.length;
          if (edit.kind === 'duplicate-line') {
            lines.splice(index, 0, lines[index]);
          } else {
            const other = (index + 1) % lines.length;
            [lines[index], lines[other]] = [lines[other], lines[index]];
          }
          text = lines.join('\n');
        }
      }
      return text;
    });

function expectReturnsOrInputError(format: FirewallFormat, text: string): void {
  const started = performance.now();
  try {
    const ruleSet = FIREWALL_PARSERS[format](text, 'fuzz.txt');
    analyseRuleSet(ruleSet, { at: new Date('2025-06-01') });
  } catch (error) {
    if (!(error instanceof CheckInputError)) {
      throw new Error(`${format} threw ${String(error)} on ${JSON.stringify(text)}`);
    }
  }
  detectFirewallFormat(text, 'fuzz.txt');
  expect(performance.now() - started).toBeLessThan(TIME_LIMIT_MS);
}

describe('firewall parsers on random and garbled input', () => {
  it('keep the samples valid (so garbling starts from real input)', () => {
    for (const format of FORMATS) {
      expect(FIREWALL_PARSERS[format](SAMPLES[format], 'sample.txt').chains.length).toBeGreaterThan(0);
    }
  });

  it.each(FORMATS)('%s returns or throws CheckInputError on garbled input, in bounded time', (format) => {
    fc.assert(
      fc.property(garbled(SAMPLES[format]), (text) => {
        expectReturnsOrInputError(format, text);
      }),
      { numRuns: 150 },
    );
  });

  it.each(FORMATS)('%s returns or throws CheckInputError on random text', (format) => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        expectReturnsOrInputError(format, text);
      }),
      { numRuns: 100 },
    );
  });
});
