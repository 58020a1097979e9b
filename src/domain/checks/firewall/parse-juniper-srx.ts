/**
 * Juniper SRX security policies in set style (`show configuration | display set`): zone-pair and
 * global policies, `deactivate`, address books (global and per zone, address sets), custom
 * applications and application sets, and the common predefined junos-* applications.
 */
import { CheckInputError } from '../types.ts';
import type { AddressSet, FirewallRule, RuleChain, RuleSet, ServiceMatch } from './model.ts';
import { createRuleSet } from './model.ts';
import { anyAddress, anyIpv4, anyIpv6, complementAddressSet, parseAddressText, taggedAddress, unionAddressSets } from './addresses.ts';
import { parsePortRangeText, parseProtocol } from './ports.ts';
import { anyService, applyDescription, createRule, findReviewDate, noteReviewDate, numberRules, splitLines, tokenizeLine } from './parse-helpers.ts';

const MAX_DEPTH = 16;

function service(protocol: number, start: number, end = start): ServiceMatch {
  return { ...anyService(), protocols: [{ start: protocol, end: protocol }], destinationPorts: [{ start, end }] };
}

/** Predefined Junos applications (destination ports). */
const JUNOS_APPLICATIONS: Record<string, ServiceMatch[]> = {
  'junos-ftp': [service(6, 21)],
  'junos-ssh': [service(6, 22)],
  'junos-telnet': [service(6, 23)],
  'junos-smtp': [service(6, 25)],
  'junos-dns-udp': [service(17, 53)],
  'junos-dns-tcp': [service(6, 53)],
  'junos-tftp': [service(17, 69)],
  'junos-http': [service(6, 80)],
  'junos-ntp': [service(17, 123)],
  'junos-ms-rpc-tcp': [service(6, 135)],
  'junos-netbios-session': [service(6, 139)],
  'junos-snmp-agentx': [service(6, 705)],
  'junos-ldap': [service(6, 389)],
  'junos-https': [service(6, 443)],
  'junos-smb': [service(6, 139), service(6, 445)],
  'junos-smb-session': [service(6, 445)],
  'junos-syslog': [service(17, 514)],
  'junos-ms-sql': [service(6, 1433)],
  'junos-sqlnet-v2': [service(6, 1521)],
  'junos-mysql': [service(6, 3306)],
  'junos-pgsql': [service(6, 5432)],
  'junos-vnc': [service(6, 5800, 5800), service(6, 5900)],
  'junos-rdp': [service(6, 3389)],
  'junos-icmp-all': [{ ...anyService(), protocols: [{ start: 1, end: 1 }] }],
  'junos-icmp6-all': [{ ...anyService(), protocols: [{ start: 58, end: 58 }] }],
};

interface PolicyDraft {
  chainKey: string;
  name: string;
  line: number;
  lines: string[];
  sources: string[];
  destinations: string[];
  applications: string[];
  isSourceNegated: boolean;
  isDestinationNegated: boolean;
  action?: string;
  description?: string;
  qualifiers: string[];
  isEnabled: boolean;
}

/** Reads "x" or "[ x y ]" from words[at]; returns the values and the next index. */
function readValues(words: string[], at: number): { values: string[]; next: number } {
  if (words[at] === '[') {
    const values: string[] = [];
    let index = at + 1;
    while (index < words.length && words[index] !== ']') {
      values.push(words[index]);
      index += 1;
    }
    return { values, next: index + 1 };
  }
  return { values: words[at] === undefined ? [] : [words[at]], next: at + 1 };
}

export function parseJuniperSrx(text: string, file: string): RuleSet {
  const ruleSet = createRuleSet('juniper-srx', file);
  ruleSet.metadataFields.description = true;
  const addresses = new Map<string, { line: number; values: string[] }>();
  const addressSets = new Map<string, { line: number; members: string[] }>();
  const applications = new Map<string, { line: number; protocol?: string; ports: string[]; sourcePorts: string[]; terms: Map<string, { protocol?: string; ports: string[] }> }>();
  const applicationSets = new Map<string, { line: number; members: string[] }>();
  const policies = new Map<string, PolicyDraft>();
  const deactivated: Array<{ key: string; line: number }> = [];
  let defaultPolicy: { action: 'permit' | 'deny'; line: number } | undefined;

  const lines = splitLines(text);
  for (let index = 0; index < lines.length; index += 1) {
    const lineNumber = index + 1;
    const raw = lines[index].trim();
    if (raw === '' || raw.startsWith('{') || /^[\w.@-]+[>#]/.test(raw)) {
      continue;
    }
    if (raw.startsWith('#') || raw.startsWith('/*')) {
      noteReviewDate(ruleSet, findReviewDate(raw), lineNumber);
      continue;
    }
    const words = tokenizeLine(raw, file, lineNumber);
    const verb = words[0];
    if (verb !== 'set' && verb !== 'deactivate' && verb !== 'delete' && verb !== 'activate' && verb !== 'edit') {
      throw new CheckInputError(`not a set-style line / 非 set 格式: ${raw.slice(0, 120)}`, file, lineNumber);
    }
    if (words[1] === 'security' && words[2] === 'policies') {
      const rest = words.slice(3);
      let chainKey: string;
      let policyAt: number;
      if (rest[0] === 'from-zone' && rest[2] === 'to-zone' && rest[4] === 'policy') {
        if (!rest[1] || !rest[3]) {
          throw new CheckInputError('zone name missing / 缺少區域名稱', file, lineNumber);
        }
        chainKey = `${rest[1]} → ${rest[3]}`;
        policyAt = 5;
      } else if (rest[0] === 'global' && rest[1] === 'policy') {
        chainKey = 'global';
        policyAt = 2;
      } else if (rest[0] === 'default-policy') {
        if (verb === 'set') {
          defaultPolicy = { action: rest[1] === 'permit-all' ? 'permit' : 'deny', line: lineNumber };
        }
        continue;
      } else if (rest[0] === 'policy-rematch' || rest[0] === 'pre-id-default-policy' || rest[0] === 'traceoptions' || rest[0] === 'from-zone' && rest.length <= 4) {
        continue;
      } else {
        throw new CheckInputError(`unexpected security policies line / 無法解析的安全政策: ${raw.slice(0, 120)}`, file, lineNumber);
      }
      const name = rest[policyAt];
      if (!name) {
        throw new CheckInputError('policy name missing / 缺少政策名稱', file, lineNumber);
      }
      const key = `${chainKey}\u0000${name}`;
      if (verb === 'deactivate' && rest.length === policyAt + 1) {
        deactivated.push({ key, line: lineNumber });
        continue;
      }
      if (verb !== 'set') {
        continue;
      }
      let policy = policies.get(key);
      if (!policy) {
        policy = {
          chainKey,
          name,
          line: lineNumber,
          lines: [],
          sources: [],
          destinations: [],
          applications: [],
          isSourceNegated: false,
          isDestinationNegated: false,
          qualifiers: [],
          isEnabled: true,
        };
        policies.set(key, policy);
      }
      policy.lines.push(raw);
      readPolicyAttribute(policy, rest.slice(policyAt + 1), ruleSet, raw, lineNumber);
      continue;
    }
    if (verb !== 'set') {
      continue;
    }
    // Address books: security address-book BOOK address|address-set …, or security zones security-zone Z address-book …
    let book: string[] | undefined;
    if (words[1] === 'security' && words[2] === 'address-book' && words[3]) {
      book = words.slice(4);
    } else if (words[1] === 'security' && words[2] === 'zones' && words[3] === 'security-zone' && words[5] === 'address-book') {
      book = words.slice(6);
    }
    if (book) {
      const [kind, name, attribute, value] = book;
      if (kind === 'address' && name && attribute && attribute !== 'description') {
        const entry = addresses.get(name) ?? { line: lineNumber, values: [] };
        entry.values.push(attribute === 'range-address' ? `${value}-${book[5]}` : attribute === 'dns-name' || attribute === 'wildcard-address' ? `${attribute}:${value}` : attribute);
        addresses.set(name, entry);
      } else if (kind === 'address-set' && name && (attribute === 'address' || attribute === 'address-set') && value) {
        const entry = addressSets.get(name) ?? { line: lineNumber, members: [] };
        entry.members.push(value);
        addressSets.set(name, entry);
      }
      continue;
    }
    if (words[1] === 'applications' && (words[2] === 'application' || words[2] === 'application-set') && words[3]) {
      const name = words[3];
      if (words[2] === 'application-set') {
        const entry = applicationSets.get(name) ?? { line: lineNumber, members: [] };
        if ((words[4] === 'application' || words[4] === 'application-set') && words[5]) {
          entry.members.push(words[5]);
        }
        applicationSets.set(name, entry);
        continue;
      }
      const entry = applications.get(name) ?? { line: lineNumber, ports: [], sourcePorts: [], terms: new Map() };
      let attributes = words.slice(4);
      let target: { protocol?: string; ports: string[] } = entry;
      if (attributes[0] === 'term' && attributes[1]) {
        target = entry.terms.get(attributes[1]) ?? { ports: [] };
        entry.terms.set(attributes[1], target);
        attributes = attributes.slice(2);
      }
      for (let at = 0; at + 1 < attributes.length; at += 2) {
        if (attributes[at] === 'protocol') {
          target.protocol = attributes[at + 1];
        } else if (attributes[at] === 'destination-port') {
          target.ports.push(attributes[at + 1]);
        }
      }
      applications.set(name, entry);
    }
  }

  for (const { key, line } of deactivated) {
    const policy = policies.get(key);
    if (!policy) {
      throw new CheckInputError('deactivate names a policy that is not defined / 停用的政策未定義', file, line);
    }
    policy.isEnabled = false;
  }

  const resolveAddress = (name: string, depth: number, line: number): AddressSet => {
    if (depth > MAX_DEPTH) {
      throw new CheckInputError(`address set ${name} nests too deeply or loops / 位址集合巢狀過深或循環`, file, line);
    }
    if (name === 'any') {
      return anyAddress();
    }
    if (name === 'any-ipv4') {
      return anyIpv4();
    }
    if (name === 'any-ipv6') {
      return anyIpv6();
    }
    const address = addresses.get(name);
    if (address) {
      return unionAddressSets(
        address.values.map((value) => {
          if (value.startsWith('dns-name:') || value.startsWith('wildcard-address:')) {
            ruleSet.unknowns.push({ line: address.line, text: `address ${name} ${value}`, reason: '此位址物件無法轉為位址範圍', reasonEn: 'this address object cannot be turned into ranges' });
            return taggedAddress(`${name}`);
          }
          const parsed = parseAddressText(value);
          if (!parsed) {
            throw new CheckInputError(`bad address ${value} in address ${name} / 位址錯誤`, file, address.line);
          }
          return parsed;
        }),
      );
    }
    const set = addressSets.get(name);
    if (set) {
      return unionAddressSets(set.members.map((member) => resolveAddress(member, depth + 1, set.line)));
    }
    const literal = parseAddressText(name);
    if (literal) {
      return literal;
    }
    throw new CheckInputError(`address ${name} is not defined / 未定義的位址 ${name}`, file, line);
  };

  const resolveApplication = (name: string, depth: number, line: number, qualifiers: string[]): ServiceMatch[] => {
    if (depth > MAX_DEPTH) {
      throw new CheckInputError(`application set ${name} nests too deeply or loops / 應用程式集合巢狀過深或循環`, file, line);
    }
    if (name === 'any') {
      return [anyService()];
    }
    const custom = applications.get(name);
    if (custom) {
      const parts = custom.terms.size > 0 ? [...custom.terms.values()] : [custom];
      return parts.map((part) => {
        const protocols = parseProtocol(part.protocol ?? 'any');
        if (!protocols) {
          throw new CheckInputError(`bad protocol ${part.protocol} in application ${name} / 協定錯誤`, file, custom.line);
        }
        const ports = part.ports.map((port) => parsePortRangeText(port));
        if (ports.some((port) => port === undefined)) {
          throw new CheckInputError(`bad destination-port in application ${name} / 埠號錯誤`, file, custom.line);
        }
        return { ...anyService(), protocols, ...(ports.length > 0 ? { destinationPorts: ports as { start: number; end: number }[] } : {}) };
      });
    }
    const set = applicationSets.get(name);
    if (set) {
      return set.members.flatMap((member) => resolveApplication(member, depth + 1, set.line, qualifiers));
    }
    const predefined = JUNOS_APPLICATIONS[name];
    if (predefined) {
      return predefined.map((entry) => ({ ...entry }));
    }
    ruleSet.unknowns.push({ line, text: name, reason: `不認得應用程式 ${name}，規則視為較窄的條件`, reasonEn: `application ${name} is not known; the rule is treated as narrower` });
    qualifiers.push(`application:${name}`);
    return [anyService()];
  };

  const chains = new Map<string, RuleChain>();
  for (const policy of policies.values()) {
    let chain = chains.get(policy.chainKey);
    if (!chain) {
      chain = {
        name: policy.chainKey,
        kind: 'policy',
        line: policy.line,
        rules: [],
        defaultAction: defaultPolicy?.action ?? 'deny',
        defaultText: defaultPolicy ? `default-policy ${defaultPolicy.action}-all` : 'default-policy deny-all (factory default)',
        defaultLine: defaultPolicy?.line,
        isOrdered: true,
        isPacketFilter: true,
      };
      chains.set(policy.chainKey, chain);
      ruleSet.chains.push(chain);
    }
    const actionWord = policy.action ?? '';
    const rule: FirewallRule = createRule({
      id: policy.name,
      line: policy.line,
      text: policy.lines.join(' ; '),
      action: actionWord === 'permit' ? 'permit' : actionWord === 'deny' || actionWord === 'reject' ? 'deny' : 'other',
      actionText: actionWord || '(no then action)',
    });
    if (!policy.action) {
      ruleSet.unknowns.push({ line: policy.line, text: policy.name, reason: `政策 ${policy.name} 沒有 then permit/deny/reject`, reasonEn: `policy ${policy.name} has no then permit/deny/reject` });
    }
    rule.isEnabled = policy.isEnabled;
    rule.qualifiers.push(...policy.qualifiers);
    const families = { v4: true, v6: true };
    const source = policy.sources.length === 0 ? anyAddress() : unionAddressSets(policy.sources.map((name) => resolveAddress(name, 0, policy.line)));
    const destination = policy.destinations.length === 0 ? anyAddress() : unionAddressSets(policy.destinations.map((name) => resolveAddress(name, 0, policy.line)));
    rule.source = policy.isSourceNegated ? complementAddressSet(source, families) : source;
    rule.destination = policy.isDestinationNegated ? complementAddressSet(destination, families) : destination;
    rule.services = policy.applications.length === 0 ? [anyService()] : policy.applications.flatMap((name) => resolveApplication(name, 0, policy.line, rule.qualifiers));
    applyDescription(rule, policy.description);
    chain.rules.push(rule);
  }
  return numberRules(ruleSet);
}

function readPolicyAttribute(policy: PolicyDraft, words: string[], ruleSet: RuleSet, raw: string, line: number): void {
  const [section, attribute] = words;
  if (section === 'match') {
    const { values } = readValues(words, 2);
    switch (attribute) {
      case 'source-address':
        policy.sources.push(...values);
        return;
      case 'destination-address':
        policy.destinations.push(...values);
        return;
      case 'application':
        policy.applications.push(...values);
        return;
      case 'source-address-excluded':
        policy.isSourceNegated = true;
        return;
      case 'destination-address-excluded':
        policy.isDestinationNegated = true;
        return;
      case 'from-zone':
      case 'to-zone':
        policy.qualifiers.push(`${attribute}:${values.join(',')}`);
        return;
      default:
        policy.qualifiers.push(`match ${attribute ?? ''} ${values.join(',')}`.trim());
        return;
    }
  }
  if (section === 'then') {
    if (attribute === 'permit' || attribute === 'deny' || attribute === 'reject') {
      policy.action = attribute;
    }
    return;
  }
  if (section === 'description') {
    policy.description = words.slice(1).join(' ');
    return;
  }
  if (section === 'scheduler-name') {
    policy.qualifiers.push(`scheduler:${attribute ?? ''}`);
    return;
  }
  if (section !== undefined) {
    ruleSet.unknowns.push({ line, text: raw, reason: `無法判斷政策屬性 ${section}`, reasonEn: `policy attribute "${section}" not understood` });
  }
}

export const JUNOS_PREDEFINED_APPLICATIONS = Object.keys(JUNOS_APPLICATIONS);
