/** Parses a firewall input in a named format into the normalised rule set. */
import type { FirewallFormat, RuleSet } from './model.ts';
import { parseIptables } from './parse-iptables.ts';
import { parseCiscoIos } from './parse-cisco-ios.ts';
import { parseCiscoAsa } from './parse-cisco-asa.ts';
import { parseJuniperSrx } from './parse-juniper-srx.ts';
import { parsePaloAlto } from './parse-paloalto.ts';
import { parseFortios } from './parse-fortios.ts';
import { parseAwsNetworkAcls, parseAwsSecurityGroups } from './parse-aws.ts';
import { parseAzureNsg } from './parse-azure-nsg.ts';
import { parseFirewallCsv } from './parse-csv.ts';

export const FIREWALL_PARSERS: Record<FirewallFormat, (text: string, file: string) => RuleSet> = {
  iptables: parseIptables,
  'cisco-ios': parseCiscoIos,
  'cisco-asa': parseCiscoAsa,
  'juniper-srx': parseJuniperSrx,
  paloalto: parsePaloAlto,
  fortios: parseFortios,
  'aws-sg': parseAwsSecurityGroups,
  'aws-nacl': parseAwsNetworkAcls,
  'azure-nsg': parseAzureNsg,
  csv: parseFirewallCsv,
};

export function parseFirewallRules(text: string, file: string, format: FirewallFormat): RuleSet {
  return FIREWALL_PARSERS[format](text, file);
}
