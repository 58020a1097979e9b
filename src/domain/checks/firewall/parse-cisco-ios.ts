/**
 * Cisco IOS / IOS-XE access lists: numbered (`access-list 101 …`) and named (`ip access-list extended
 * NAME`, `ipv6 access-list NAME`) lists, `show access-lists` output with "(N matches)", remarks,
 * object-groups, and where lists are applied (interfaces, vty lines) or only used by route maps/NAT.
 * Every Cisco ACL ends with an implicit deny.
 */
import { CheckInputError } from '../types.ts';
import type { AddressSet, FirewallRule, RuleChain, RuleSet, ServiceMatch } from './model.ts';
import { createRuleSet } from './model.ts';
import {
  anyIpv4,
  anyIpv6,
  emptyAddressSet,
  parseAddressText,
  parseAddressWithNetmask,
  parseAddressWithWildcard,
  parseIpv4,
  taggedAddress,
  unionAddressSets,
} from './addresses.ts';
import { ANY_PORT, parseProtocol, readCiscoPortOperator } from './ports.ts';
import { addAclUse, applyAclUses, collectStatements, readHitCount, restAfterWords, type AclUse, type ConfigLine } from './cisco-common.ts';
import { anyService, applyDescription, createRule, numberRules } from './parse-helpers.ts';

type AclKind = 'standard' | 'extended' | 'ipv6';

const MAX_GROUP_DEPTH = 16;

function numberedKind(name: string): AclKind | undefined {
  if (!/^\d{1,4}$/.test(name)) {
    return undefined;
  }
  const value = Number(name);
  if ((value >= 1 && value <= 99) || (value >= 1300 && value <= 1999)) {
    return 'standard';
  }
  if ((value >= 100 && value <= 199) || (value >= 2000 && value <= 2699)) {
    return 'extended';
  }
  return undefined;
}

const ICMP_OR_FLAG_WORDS = new Set([
  'echo', 'echo-reply', 'unreachable', 'time-exceeded', 'packet-too-big', 'redirect', 'parameter-problem',
  'source-quench', 'timestamp-request', 'timestamp-reply', 'ttl-exceeded', 'host-unreachable', 'net-unreachable',
  'port-unreachable', 'administratively-prohibited', 'nd-na', 'nd-ns', 'router-advertisement', 'router-solicitation',
  'ack', 'syn', 'fin', 'psh', 'rst', 'urg', 'established', 'fragments', 'match-any', 'match-all',
]);
const VALUE_OPTIONS = new Set(['time-range', 'dscp', 'precedence', 'tos', 'ttl', 'option', 'flow-label', 'routing-type']);
const IGNORED_WORDS = new Set(['log', 'log-input']);

interface ObjectGroups {
  networks: Map<string, { line: number; children: ConfigLine[] }>;
  services: Map<string, { line: number; children: ConfigLine[] }>;
}

export function parseCiscoIos(text: string, file: string): RuleSet {
  const ruleSet = createRuleSet('cisco-ios', file);
  ruleSet.metadataFields.description = true;
  const statements = collectStatements(text, file, ruleSet);
  const groups: ObjectGroups = { networks: new Map(), services: new Map() };
  const chains = new Map<string, { chain: RuleChain; kind: AclKind; pendingRemarks: string[] }>();
  const uses = new Map<string, Set<AclUse>>();
  const directions = new Map<string, Set<string>>();

  for (const statement of statements) {
    const [first, second, third] = statement.words;
    if (first === 'object-group' && (second === 'network' || second === 'service') && third) {
      const target = second === 'network' ? groups.networks : groups.services;
      target.set(third, { line: statement.line, children: statement.children });
    }
  }

  const getChain = (name: string, kind: AclKind, line: number) => {
    let entry = chains.get(name);
    if (!entry) {
      entry = {
        kind,
        pendingRemarks: [],
        chain: {
          name,
          kind: 'acl',
          line,
          rules: [],
          defaultAction: 'deny',
          defaultText: 'implicit deny at the end of every Cisco ACL',
          isOrdered: true,
          isPacketFilter: true,
        },
      };
      chains.set(name, entry);
      ruleSet.chains.push(entry.chain);
    }
    return entry;
  };

  const addEntry = (name: string, kind: AclKind, entry: ConfigLine, words: string[]) => {
    const acl = getChain(name, kind, entry.line);
    let at = 0;
    if (words[at] === 'sequence' || /^\d{1,10}$/.test(words[at] ?? '')) {
      at += words[at] === 'sequence' ? 2 : 1;
    }
    const action = words[at];
    if (action === 'remark') {
      acl.pendingRemarks.push(restAfterWords(entry.raw, entry.raw.trim().split(/\s+/).indexOf('remark') + 1));
      return;
    }
    if (action !== 'permit' && action !== 'deny') {
      if (action === 'dynamic' || action === 'evaluate' || action === 'statistics') {
        ruleSet.unknowns.push({ line: entry.line, text: entry.raw, reason: `無法判斷 ${action} 項目`, reasonEn: `cannot judge a "${action}" entry` });
        return;
      }
      throw new CheckInputError(`expected permit, deny or remark / 應為 permit、deny 或 remark: ${entry.raw.slice(0, 120)}`, ruleSet.file, entry.line);
    }
    const rule = parseIosEntry(words.slice(at + 1), action, kind, entry, groups, ruleSet, `${name}#${acl.chain.rules.length + 1}`);
    applyDescription(rule, acl.pendingRemarks.join(' '));
    acl.pendingRemarks = [];
    acl.chain.rules.push(rule);
  };

  for (const statement of statements) {
    const words = statement.words;
    const [first, second, third] = words;
    if (first === 'access-list' && second) {
      const kind = numberedKind(second);
      if (!kind) {
        ruleSet.unknowns.push({ line: statement.line, text: statement.raw, reason: `無法判斷此編號的存取清單類型 ${second}`, reasonEn: `access-list number ${second} is not an IP standard/extended list` });
        continue;
      }
      const { words: entryWords, hitCount } = readHitCount(words.slice(2));
      const before = chains.get(second)?.chain.rules.length ?? 0;
      addEntry(second, kind, statement, entryWords);
      const acl = chains.get(second)!;
      if (hitCount !== undefined && acl.chain.rules.length > before) {
        acl.chain.rules[acl.chain.rules.length - 1].hitCount = hitCount;
        ruleSet.hasHitCounts = true;
      }
      continue;
    }
    let named: { name: string; kind: AclKind } | undefined;
    if (first === 'ip' && second === 'access-list') {
      if ((third === 'standard' || third === 'extended') && words[3]) {
        named = { name: words[3], kind: third };
      } else if (third === 'resequence' || third === 'log-update' || third === 'logging') {
        continue;
      } else if (third && words.length === 3) {
        named = { name: third, kind: 'extended' };
      } else {
        throw new CheckInputError(`bad ip access-list line / ip access-list 格式錯誤: ${statement.raw.slice(0, 120)}`, file, statement.line);
      }
    } else if (first === 'ipv6' && second === 'access-list' && third) {
      named = { name: third, kind: 'ipv6' };
    } else if ((first === 'Standard' || first === 'Extended') && second === 'IP' && third === 'access' && words[3] === 'list' && words[4]) {
      named = { name: words[4], kind: first === 'Standard' ? 'standard' : 'extended' };
    } else if (first === 'IPv6' && second === 'access' && third === 'list' && words[3]) {
      named = { name: words[3], kind: 'ipv6' };
    }
    if (named) {
      getChain(named.name, named.kind, statement.line);
      for (const child of statement.children) {
        const { words: entryWords, hitCount } = readHitCount(child.words);
        const acl = chains.get(named.name)!;
        const before = acl.chain.rules.length;
        addEntry(named.name, named.kind, child, entryWords);
        if (hitCount !== undefined && acl.chain.rules.length > before) {
          acl.chain.rules[acl.chain.rules.length - 1].hitCount = hitCount;
          ruleSet.hasHitCounts = true;
        }
      }
      continue;
    }
    if (first === 'interface' || first === 'line') {
      for (const child of statement.children) {
        const [verb, noun, name, direction] = child.words;
        if ((verb === 'ip' && noun === 'access-group') || (verb === 'ipv6' && noun === 'traffic-filter')) {
          if (name) {
            addAclUse(uses, name, 'filter');
            const set = directions.get(name) ?? new Set<string>();
            set.add(direction === 'out' ? 'out' : 'in');
            directions.set(name, set);
          }
        } else if (verb === 'access-class' || (verb === 'ipv6' && noun === 'access-class')) {
          const aclName = verb === 'access-class' ? noun : name;
          if (aclName) {
            addAclUse(uses, aclName, 'filter');
          }
        }
      }
      continue;
    }
    if (first === 'route-map') {
      for (const child of statement.children) {
        if (child.words[0] === 'match' && (child.words[1] === 'ip' || child.words[1] === 'ipv6') && child.words[2] === 'address') {
          const names = child.words.slice(3).filter((word) => word !== 'prefix-list');
          if (child.words[3] !== 'prefix-list') {
            names.forEach((name) => addAclUse(uses, name, 'route-map'));
          }
        }
      }
      continue;
    }
    if (first === 'ip' && second === 'nat') {
      const listAt = words.indexOf('list');
      if (listAt >= 0 && words[listAt + 1]) {
        addAclUse(uses, words[listAt + 1], 'nat');
      }
      continue;
    }
    if (first === 'crypto' && second === 'map') {
      for (const child of statement.children) {
        if (child.words[0] === 'match' && child.words[1] === 'address' && child.words[2]) {
          addAclUse(uses, child.words[2], 'crypto');
        }
      }
    }
  }
  applyAclUses(ruleSet.chains, uses, directions);
  return numberRules(ruleSet);
}

function parseIosEntry(
  words: string[],
  action: 'permit' | 'deny',
  kind: AclKind,
  entry: ConfigLine,
  groups: ObjectGroups,
  ruleSet: RuleSet,
  id: string,
): FirewallRule {
  const file = ruleSet.file;
  const fail = (message: string): never => {
    throw new CheckInputError(`${message}: ${entry.raw.slice(0, 160)}`, file, entry.line);
  };
  const rule = createRule({ id, line: entry.line, text: entry.raw, action, actionText: action });
  const anyFamily = kind === 'ipv6' ? anyIpv6 : anyIpv4;
  let at = 0;

  const readAddress = (isStandard: boolean): AddressSet => {
    const word = words[at];
    if (word === undefined) {
      fail('missing address / 缺少位址');
    }
    if (word === 'any') {
      at += 1;
      return anyFamily();
    }
    if (word === 'host') {
      const set = parseAddressText(words[at + 1] ?? '') ?? fail('bad host address / host 位址錯誤');
      at += 2;
      return set;
    }
    if (word === 'object-group' || word === 'addrgroup') {
      const name = words[at + 1] ?? fail('missing object-group name / 缺少 object-group 名稱');
      at += 2;
      return resolveNetworkGroup(name, groups, ruleSet, entry, 0);
    }
    if (kind === 'ipv6') {
      const set = parseAddressText(word) ?? fail('bad IPv6 prefix / IPv6 前綴錯誤');
      at += 1;
      return set;
    }
    if (parseIpv4(word) === undefined) {
      fail(`bad address / 位址錯誤 "${word}"`);
    }
    const wildcard = words[at + 1];
    if (wildcard !== undefined && parseIpv4(wildcard) !== undefined) {
      at += 2;
      const ranges = parseAddressWithWildcard(word, wildcard);
      if (ranges === 'too-many') {
        ruleSet.unknowns.push({
          line: entry.line,
          text: entry.raw,
          reason: `非連續萬用遮罩 ${wildcard} 展開過多，視為較窄的條件`,
          reasonEn: `non-contiguous wildcard ${wildcard} expands to too many ranges; treated as narrower`,
        });
        rule.qualifiers.push(`wildcard:${word}/${wildcard}`);
        return anyFamily();
      }
      return { v4: ranges ?? [], v6: [], tags: [] };
    }
    if (!isStandard) {
      fail(`address ${word} needs a wildcard mask / 位址需萬用遮罩`);
    }
    at += 1;
    return parseAddressText(word) ?? fail('bad address / 位址錯誤');
  };

  if (kind === 'standard') {
    rule.source = readAddress(true);
  } else {
    let services: ServiceMatch[];
    const protocolWord = words[at] ?? fail('missing protocol / 缺少協定');
    let isServiceGroup = false;
    if (protocolWord === 'object-group') {
      const name = words[at + 1] ?? fail('missing object-group name / 缺少 object-group 名稱');
      services = resolveServiceGroup(name, groups, ruleSet, entry, 0);
      isServiceGroup = true;
      at += 2;
    } else {
      const protocols = parseProtocol(protocolWord) ?? fail(`unknown protocol / 未知協定 "${protocolWord}"`);
      services = [{ protocols, sourcePorts: [...ANY_PORT], destinationPorts: [...ANY_PORT] }];
      at += 1;
    }
    rule.source = readAddress(false);
    const sourcePorts = readCiscoPortOperator(words, at, true);
    if (sourcePorts) {
      if (sourcePorts.error) {
        fail(sourcePorts.error);
      }
      at += sourcePorts.used;
      services = services.map((service) => ({ ...service, sourcePorts: sourcePorts.ranges }));
    }
    rule.destination = readAddress(false);
    const destinationPorts = readCiscoPortOperator(words, at, true);
    if (destinationPorts) {
      if (destinationPorts.error) {
        fail(destinationPorts.error);
      }
      at += destinationPorts.used;
      services = services.map((service) => ({ ...service, destinationPorts: destinationPorts.ranges }));
    }
    if (isServiceGroup && (sourcePorts || destinationPorts)) {
      fail('ports cannot follow a service object-group / 服務物件群組後不可再指定埠號');
    }
    rule.services = services;
  }
  while (at < words.length) {
    const word = words[at];
    if (IGNORED_WORDS.has(word)) {
      at += 1;
      // "log <tag>" may carry a cookie word
      if (words[at] !== undefined && !ICMP_OR_FLAG_WORDS.has(words[at]) && !VALUE_OPTIONS.has(words[at]) && !IGNORED_WORDS.has(words[at])) {
        at += 1;
      }
    } else if (word === 'inactive') {
      rule.isEnabled = false;
      at += 1;
    } else if (ICMP_OR_FLAG_WORDS.has(word) || /^\d{1,3}$/.test(word)) {
      rule.qualifiers.push(word);
      at += 1;
    } else if (VALUE_OPTIONS.has(word)) {
      rule.qualifiers.push(`${word} ${words[at + 1] ?? ''}`.trim());
      at += 2;
    } else {
      ruleSet.unknowns.push({ line: entry.line, text: entry.raw, reason: `無法判斷選項 ${word}，視為較窄的條件`, reasonEn: `option "${word}" is not understood; the rule is treated as narrower` });
      rule.qualifiers.push(`option:${word}`);
      at += 1;
    }
  }
  return rule;
}

function resolveNetworkGroup(name: string, groups: ObjectGroups, ruleSet: RuleSet, entry: ConfigLine, depth: number): AddressSet {
  const group = groups.networks.get(name);
  if (!group) {
    throw new CheckInputError(`object-group ${name} is not defined / 未定義的 object-group ${name}`, ruleSet.file, entry.line);
  }
  if (depth > MAX_GROUP_DEPTH) {
    throw new CheckInputError(`object-group ${name} nests too deeply or loops / object-group 巢狀過深或循環`, ruleSet.file, group.line);
  }
  const sets: AddressSet[] = [];
  for (const child of group.children) {
    const [first, second, third] = child.words;
    if (first === 'description') {
      continue;
    }
    if (first === 'host') {
      sets.push(parseAddressText(second ?? '') ?? badObject(ruleSet, child));
    } else if (first === 'any') {
      sets.push(unionAddressSets([anyIpv4(), anyIpv6()]));
    } else if (first === 'range') {
      sets.push(parseAddressText(`${second}-${third}`) ?? badObject(ruleSet, child));
    } else if (first === 'group-object') {
      sets.push(resolveNetworkGroup(second ?? '', groups, ruleSet, child, depth + 1));
    } else if (second !== undefined && parseIpv4(second) !== undefined) {
      sets.push(parseAddressWithNetmask(first, second) ?? badObject(ruleSet, child));
    } else if (first !== undefined && parseAddressText(first)) {
      sets.push(parseAddressText(first)!);
    } else {
      ruleSet.unknowns.push({ line: child.line, text: child.raw, reason: `無法判斷物件群組項目`, reasonEn: 'object-group entry not understood' });
      sets.push(taggedAddress(`${name}:${child.raw}`));
    }
  }
  return sets.length === 0 ? emptyAddressSet() : unionAddressSets(sets);
}

function resolveServiceGroup(name: string, groups: ObjectGroups, ruleSet: RuleSet, entry: ConfigLine, depth: number): ServiceMatch[] {
  const group = groups.services.get(name);
  if (!group) {
    throw new CheckInputError(`object-group ${name} is not defined / 未定義的 object-group ${name}`, ruleSet.file, entry.line);
  }
  if (depth > MAX_GROUP_DEPTH) {
    throw new CheckInputError(`object-group ${name} nests too deeply or loops / object-group 巢狀過深或循環`, ruleSet.file, group.line);
  }
  const services: ServiceMatch[] = [];
  for (const child of group.children) {
    const words = child.words;
    if (words[0] === 'description') {
      continue;
    }
    if (words[0] === 'group-object') {
      services.push(...resolveServiceGroup(words[1] ?? '', groups, ruleSet, child, depth + 1));
      continue;
    }
    const protocols = parseProtocol(words[0] ?? '');
    if (!protocols) {
      badObject(ruleSet, child);
    }
    const service: ServiceMatch = { ...anyService(), protocols: protocols! };
    let at = 1;
    if (words[at] === 'source') {
      const ports = readCiscoPortOperator(words, at + 1, true);
      if (!ports || ports.error) {
        badObject(ruleSet, child);
      }
      service.sourcePorts = ports!.ranges;
      at += 1 + ports!.used;
    }
    const ports = readCiscoPortOperator(words, at, true);
    if (ports) {
      if (ports.error) {
        badObject(ruleSet, child);
      }
      service.destinationPorts = ports.ranges;
    } else if (words[at] !== undefined) {
      // ICMP type or other detail: narrower than the protocol.
      service.detail = words.slice(at).join(' ');
    }
    services.push(service);
  }
  return services;
}

function badObject(ruleSet: RuleSet, child: ConfigLine): never {
  throw new CheckInputError(`bad object-group entry / 物件群組項目錯誤: ${child.raw.slice(0, 120)}`, ruleSet.file, child.line);
}
