/**
 * The normalised rule set every firewall parser produces. Addresses are sets of inclusive ranges (IPv4
 * as numbers, IPv6 as bigints); protocols and ports are sets of inclusive number ranges. Anything a
 * parser cannot express exactly (service tags, security-group references, FQDN objects, interfaces,
 * connection states, applications, users) becomes a `qualifier` or an address `tag`: the rule then
 * matches a subset of its ranges, which keeps the shadowing analysis sound.
 */

export const FIREWALL_FORMATS = [
  'iptables',
  'cisco-ios',
  'cisco-asa',
  'juniper-srx',
  'paloalto',
  'fortios',
  'aws-sg',
  'aws-nacl',
  'azure-nsg',
  'csv',
] as const;

export type FirewallFormat = (typeof FIREWALL_FORMATS)[number];

/** Inclusive range of numbers (protocol numbers, ports, IPv4 addresses as unsigned 32-bit). */
export interface NumberRange {
  start: number;
  end: number;
}

/** Inclusive range of IPv6 addresses as unsigned 128-bit integers. */
export interface BigRange {
  start: bigint;
  end: bigint;
}

export interface AddressSet {
  v4: NumberRange[];
  v6: BigRange[];
  /**
   * Names the parser could not turn into addresses (service tags such as "VirtualNetwork", security
   * group ids, FQDN objects, interfaces). A set with tags matches an unknown subset of all addresses.
   */
  tags: string[];
}

/**
 * permit/deny end the evaluation; "return" ends it in this chain (iptables RETURN); "other" does not
 * decide (LOG, jump to a user chain, MARK…).
 */
/** One protocol × source port × destination port product. Ports are 0-65535 where they do not apply. */
export interface ServiceMatch {
  protocols: NumberRange[];
  sourcePorts: NumberRange[];
  destinationPorts: NumberRange[];
  /** A narrowing the ranges cannot express (ICMP type, TCP flags): the service matches less. */
  detail?: string;
}

export type RuleAction = 'permit' | 'deny' | 'return' | 'other';

export interface FirewallRule {
  /** Rule name, number or sequence as the format shows it. */
  id: string;
  /** 1-based position in its chain after ordering (priority, rule number). */
  position: number;
  /** 1-based line of the rule in the input. */
  line: number;
  /** The rule as written (one line, or the defining lines joined with " ; "). */
  text: string;
  action: RuleAction;
  /** The format's own word for the action (ACCEPT, permit, allow, accept…). */
  actionText: string;
  source: AddressSet;
  destination: AddressSet;
  /** What the rule matches beyond addresses: a union of protocol × port products (service groups). */
  services: ServiceMatch[];
  /** Extra match conditions that narrow the rule (state, interface, zone, application, icmp type…). */
  qualifiers: string[];
  isEnabled: boolean;
  hitCount?: number;
  owner?: string;
  description?: string;
  /** ISO date (YYYY-MM-DD) of the rule's last review, when the input says. */
  lastReviewed?: string;
}

export type DefaultAction = 'permit' | 'deny' | 'return' | 'unknown';

export interface RuleChain {
  /** Chain, ACL, zone pair, security group + direction. */
  name: string;
  /** What the format calls it: chain, acl, policy, security-group, network-acl, nsg, csv. */
  kind: string;
  direction?: 'inbound' | 'outbound';
  /** 1-based line where the chain is declared (or its first rule). */
  line: number;
  rules: FirewallRule[];
  /** What happens to a packet no rule matches. */
  defaultAction: DefaultAction;
  /** How the default is known, e.g. "policy DROP", "implicit deny". */
  defaultText: string;
  defaultLine?: number;
  /** False where rule order does not matter (AWS security groups: the union of allows). */
  isOrdered: boolean;
  /** False for lists that classify traffic rather than filter it (route maps, NAT, non-filter tables). */
  isPacketFilter: boolean;
  notFilterReason?: string;
  notFilterReasonEn?: string;
}

export interface ParseNote {
  line: number;
  text: string;
  /** zh-TW and English reasons. */
  reason: string;
  reasonEn: string;
}

export interface RuleSet {
  format: FirewallFormat;
  file: string;
  chains: RuleChain[];
  /** Which metadata the format can carry per rule (so a missing one is a finding). */
  metadataFields: { description: boolean; owner: boolean; reviewDate: boolean };
  /** True when the input carries hit counters. */
  hasHitCounts: boolean;
  /** Latest review date stated in the input (ISO date) and its line. */
  reviewedAt?: string;
  reviewedAtLine?: number;
  /** Constructs the parser read but cannot judge. */
  unknowns: ParseNote[];
}

export function createRuleSet(format: FirewallFormat, file: string): RuleSet {
  return {
    format,
    file,
    chains: [],
    metadataFields: { description: false, owner: false, reviewDate: false },
    hasHitCounts: false,
    unknowns: [],
  };
}
