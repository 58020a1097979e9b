/**
 * Cisco ASA: `access-list NAME [line N] extended|standard …` (running config or `show access-list`
 * with "(hitcnt=N)"), remarks, `object network|service`, `object-group network|service|protocol`,
 * `name` aliases, `access-group … in interface …`, route maps. Every ACL ends with an implicit deny.
 */
import { CheckInputError } from '../types.ts';
import type { AddressSet, FirewallRule, NumberRange, RuleChain, RuleSet, ServiceMatch } from './model.ts';
import { createRuleSet } from './model.ts';
import {
  anyAddress,
  anyIpv4,
  anyIpv6,
  emptyAddressSet,
  parseAddressText,
  parseAddressWithNetmask,
  parseIpv4,
  taggedAddress,
  unionAddressSets,
} from './addresses.ts';
import { ANY_PORT, parseProtocol, readCiscoPortOperator } from './ports.ts';
import { addAclUse, applyAclUses, collectStatements, readHitCount, restAfterWords, type AclUse, type ConfigLine } from './cisco-common.ts';
import { anyService, applyDescription, createRule, numberRules } from './parse-helpers.ts';

const MAX_GROUP_DEPTH = 16;

interface AsaObjects {
  names: Map<string, string>;
  networkObjects: Map<string, { line: number; children: ConfigLine[] }>;
  serviceObjects: Map<string, { line: number; children: ConfigLine[] }>;
  networkGroups: Map<string, { line: number; children: ConfigLine[] }>;
  serviceGroups: Map<string, { line: number; children: ConfigLine[]; protocol?: string }>;
  protocolGroups: Map<string, { line: number; children: ConfigLine[] }>;
}

export function parseCiscoAsa(text: string, file: string): RuleSet {
  const ruleSet = createRuleSet('cisco-asa', file);
  ruleSet.metadataFields.description = true;
  const statements = collectStatements(text, file, ruleSet);
  const objects: AsaObjects = {
    names: new Map(),
    networkObjects: new Map(),
    serviceObjects: new Map(),
    networkGroups: new Map(),
    serviceGroups: new Map(),
    protocolGroups: new Map(),
  };
  for (const statement of statements) {
    const [first, second, third, fourth] = statement.words;
    const record = { line: statement.line, children: statement.children };
    if (first === 'name' && second && third) {
      objects.names.set(third, second);
    } else if (first === 'object' && second === 'network' && third) {
      objects.networkObjects.set(third, record);
    } else if (first === 'object' && second === 'service' && third) {
      objects.serviceObjects.set(third, record);
    } else if (first === 'object-group' && second === 'network' && third) {
      objects.networkGroups.set(third, record);
    } else if (first === 'object-group' && second === 'service' && third) {
      objects.serviceGroups.set(third, { ...record, protocol: fourth });
    } else if (first === 'object-group' && second === 'protocol' && third) {
      objects.protocolGroups.set(third, record);
    }
  }

  const chains = new Map<string, { chain: RuleChain; remarks: string[] }>();
  const uses = new Map<string, Set<AclUse>>();
  const directions = new Map<string, Set<string>>();
  for (const statement of statements) {
    const words = statement.words;
    if (words[0] === 'access-list' && words[1]) {
      const name = words[1];
      let entry = chains.get(name);
      if (!entry) {
        entry = {
          remarks: [],
          chain: {
            name,
            kind: 'acl',
            line: statement.line,
            rules: [],
            defaultAction: 'deny',
            defaultText: 'implicit deny at the end of every ASA access list',
            isOrdered: true,
            isPacketFilter: true,
          },
        };
        chains.set(name, entry);
        ruleSet.chains.push(entry.chain);
      }
      let at = 2;
      if (words[at] === 'line' && /^\d+$/.test(words[at + 1] ?? '')) {
        at += 2;
      }
      const type = words[at];
      if (type === 'remark') {
        entry.remarks.push(restAfterWords(statement.raw, at + 1));
        continue;
      }
      if (type === 'webtype' || type === 'ethertype' || type === 'rate-limit' || type === 'element-count' || type === 'cached') {
        if (type === 'webtype' || type === 'ethertype') {
          ruleSet.unknowns.push({ line: statement.line, text: statement.raw, reason: `不分析 ${type} 存取清單`, reasonEn: `${type} access lists are not analysed` });
        }
        continue;
      }
      if (type !== 'extended' && type !== 'standard' && type !== 'permit' && type !== 'deny') {
        throw new CheckInputError(`expected extended, standard or remark / 應為 extended、standard 或 remark: ${statement.raw.slice(0, 120)}`, file, statement.line);
      }
      const { words: ruleWords, hitCount } = readHitCount(words.slice(type === 'permit' || type === 'deny' ? at : at + 1));
      const rule = parseAsaEntry(ruleWords, type === 'standard', statement, objects, ruleSet, `${name}#${entry.chain.rules.length + 1}`);
      if (hitCount !== undefined) {
        rule.hitCount = hitCount;
        ruleSet.hasHitCounts = true;
      }
      applyDescription(rule, entry.remarks.join(' '));
      entry.remarks = [];
      entry.chain.rules.push(rule);
    } else if (words[0] === 'access-group' && words[1]) {
      addAclUse(uses, words[1], 'filter');
      const set = directions.get(words[1]) ?? new Set<string>();
      set.add(words[2] === 'out' ? 'out' : 'in');
      directions.set(words[1], set);
    } else if (words[0] === 'route-map') {
      for (const child of statement.children) {
        if (child.words[0] === 'match' && child.words[1] === 'ip' && child.words[2] === 'address') {
          child.words.slice(3).forEach((name) => addAclUse(uses, name, 'route-map'));
        }
      }
    } else if (words[0] === 'crypto' && words[1] === 'map' && words[4] === 'match' && words[5] === 'address' && words[6]) {
      addAclUse(uses, words[6], 'crypto');
    }
  }
  applyAclUses(ruleSet.chains, uses, directions);
  return numberRules(ruleSet);
}

function parseAsaEntry(
  words: string[],
  isStandard: boolean,
  statement: ConfigLine,
  objects: AsaObjects,
  ruleSet: RuleSet,
  id: string,
): FirewallRule {
  const fail = (message: string): never => {
    throw new CheckInputError(`${message}: ${statement.raw.slice(0, 160)}`, ruleSet.file, statement.line);
  };
  const action = words[0];
  if (action !== 'permit' && action !== 'deny') {
    fail('expected permit or deny / 應為 permit 或 deny');
  }
  const rule = createRule({ id, line: statement.line, text: statement.raw, action: action as 'permit' | 'deny', actionText: action });
  let at = 1;

  const readAddress = (): AddressSet => {
    const word = words[at] ?? fail('missing address / 缺少位址');
    if (word === 'any') {
      at += 1;
      return anyAddress();
    }
    if (word === 'any4' || word === 'any6') {
      at += 1;
      return word === 'any4' ? anyIpv4() : anyIpv6();
    }
    if (word === 'host') {
      const value = words[at + 1] ?? fail('missing host / 缺少 host 位址');
      at += 2;
      return parseAddressText(objects.names.get(value) ?? value) ?? fail(`bad host / host 錯誤 "${value}"`);
    }
    if (word === 'object') {
      const name = words[at + 1] ?? fail('missing object name / 缺少物件名稱');
      at += 2;
      return resolveNetworkObject(name, objects, ruleSet, statement);
    }
    if (word === 'object-group') {
      const name = words[at + 1] ?? fail('missing object-group name / 缺少物件群組名稱');
      at += 2;
      return resolveNetworkGroup(name, objects, ruleSet, statement, 0);
    }
    if (word === 'interface') {
      const name = words[at + 1] ?? fail('missing interface / 缺少介面名稱');
      at += 2;
      return taggedAddress(`interface ${name}`);
    }
    const literal = objects.names.get(word) ?? word;
    if (word.includes(':') || word.includes('/')) {
      at += 1;
      return parseAddressText(literal) ?? fail(`bad address / 位址錯誤 "${word}"`);
    }
    const mask = words[at + 1];
    if (parseIpv4(literal) !== undefined && mask !== undefined && parseIpv4(mask) !== undefined) {
      at += 2;
      return parseAddressWithNetmask(literal, mask) ?? fail(`bad netmask / 遮罩錯誤 "${mask}"`);
    }
    return fail(`bad address / 位址錯誤 "${word}"`);
  };

  const readPorts = (): NumberRange[] | undefined => {
    if (words[at] === 'object-group' && objects.serviceGroups.has(words[at + 1] ?? '') && !objects.networkGroups.has(words[at + 1] ?? '')) {
      const group = objects.serviceGroups.get(words[at + 1])!;
      at += 2;
      return resolvePortGroup(group, objects, ruleSet, statement, 0);
    }
    const operator = readCiscoPortOperator(words, at, false);
    if (!operator) {
      return undefined;
    }
    if (operator.error) {
      fail(operator.error);
    }
    at += operator.used;
    return operator.ranges;
  };

  if (isStandard) {
    rule.destination = readAddress();
  } else {
    const protocolWord = words[at] ?? fail('missing protocol / 缺少協定');
    let services: ServiceMatch[];
    let isServiceObject = false;
    if (protocolWord === 'object-group' || protocolWord === 'object') {
      const name = words[at + 1] ?? fail('missing object name / 缺少物件名稱');
      at += 2;
      if (protocolWord === 'object') {
        services = resolveServiceObject(name, objects, ruleSet, statement);
        isServiceObject = true;
      } else if (objects.protocolGroups.has(name)) {
        const protocols = objects.protocolGroups.get(name)!.children.flatMap((child) =>
          child.words[0] === 'protocol-object' ? (parseProtocol(child.words[1] ?? '') ?? fail(`bad protocol-object in ${name}`)) : [],
        );
        services = [{ ...anyService(), protocols }];
      } else if (objects.serviceGroups.has(name)) {
        services = resolveServiceGroup(name, objects, ruleSet, statement, 0);
        isServiceObject = true;
      } else {
        return fail(`object-group ${name} is not defined / 未定義的物件群組 ${name}`);
      }
    } else {
      const protocols = parseProtocol(protocolWord) ?? fail(`unknown protocol / 未知協定 "${protocolWord}"`);
      services = [{ protocols, sourcePorts: [...ANY_PORT], destinationPorts: [...ANY_PORT] }];
      at += 1;
    }
    rule.source = readAddress();
    const sourcePorts = readPorts();
    rule.destination = readAddress();
    const destinationPorts = readPorts();
    if (isServiceObject && (sourcePorts || destinationPorts)) {
      fail('ports cannot follow a service object / 服務物件後不可再指定埠號');
    }
    rule.services = services.map((service) => ({
      ...service,
      sourcePorts: sourcePorts ?? service.sourcePorts,
      destinationPorts: destinationPorts ?? service.destinationPorts,
    }));
  }
  while (at < words.length) {
    const word = words[at];
    if (word === 'log') {
      at += 1;
      while (words[at] !== undefined && (/^\d+$/.test(words[at]) || ['interval', 'disable', 'default', 'informational', 'warnings', 'notifications', 'debugging', 'errors', 'critical', 'alerts', 'emergencies'].includes(words[at]))) {
        at += 1;
      }
    } else if (word === 'inactive') {
      rule.isEnabled = false;
      at += 1;
    } else if (word === 'time-range') {
      rule.qualifiers.push(`time-range ${words[at + 1] ?? ''}`);
      at += 2;
    } else if (/^0x[0-9a-f]+$/i.test(word)) {
      at += 1;
    } else if (word === 'echo' || word === 'echo-reply' || word === 'unreachable' || word === 'time-exceeded' || /^\d{1,3}$/.test(word)) {
      rule.qualifiers.push(`icmp ${word}`);
      at += 1;
    } else {
      ruleSet.unknowns.push({ line: statement.line, text: statement.raw, reason: `無法判斷選項 ${word}，視為較窄的條件`, reasonEn: `option "${word}" is not understood; the rule is treated as narrower` });
      rule.qualifiers.push(`option:${word}`);
      at += 1;
    }
  }
  return rule;
}

function resolveNetworkObject(name: string, objects: AsaObjects, ruleSet: RuleSet, where: ConfigLine): AddressSet {
  const object = objects.networkObjects.get(name);
  if (!object) {
    throw new CheckInputError(`object ${name} is not defined / 未定義的物件 ${name}`, ruleSet.file, where.line);
  }
  const sets: AddressSet[] = [];
  for (const child of object.children) {
    const [first, second, third] = child.words;
    if (first === 'host') {
      sets.push(parseAddressText(objects.names.get(second ?? '') ?? second ?? '') ?? badEntry(ruleSet, child));
    } else if (first === 'subnet') {
      const set = third !== undefined ? parseAddressWithNetmask(second ?? '', third) : parseAddressText(second ?? '');
      sets.push(set ?? badEntry(ruleSet, child));
    } else if (first === 'range') {
      sets.push(parseAddressText(`${second}-${third}`) ?? badEntry(ruleSet, child));
    } else if (first === 'fqdn') {
      ruleSet.unknowns.push({ line: child.line, text: child.raw, reason: 'FQDN 物件的位址無法由設定得知', reasonEn: 'the addresses of an FQDN object are not in the configuration' });
      sets.push(taggedAddress(`fqdn ${child.words[child.words.length - 1]}`));
    }
  }
  return sets.length === 0 ? emptyAddressSet() : unionAddressSets(sets);
}

function resolveNetworkGroup(name: string, objects: AsaObjects, ruleSet: RuleSet, where: ConfigLine, depth: number): AddressSet {
  const group = objects.networkGroups.get(name);
  if (!group) {
    throw new CheckInputError(`object-group ${name} is not defined / 未定義的物件群組 ${name}`, ruleSet.file, where.line);
  }
  if (depth > MAX_GROUP_DEPTH) {
    throw new CheckInputError(`object-group ${name} nests too deeply or loops / 物件群組巢狀過深或循環`, ruleSet.file, group.line);
  }
  const sets: AddressSet[] = [];
  for (const child of group.children) {
    const [first, second, third] = child.words;
    if (first === 'network-object') {
      if (second === 'host') {
        sets.push(parseAddressText(objects.names.get(third ?? '') ?? third ?? '') ?? badEntry(ruleSet, child));
      } else if (second === 'object') {
        sets.push(resolveNetworkObject(third ?? '', objects, ruleSet, child));
      } else if (third !== undefined) {
        sets.push(parseAddressWithNetmask(objects.names.get(second ?? '') ?? second ?? '', third) ?? badEntry(ruleSet, child));
      } else {
        sets.push(parseAddressText(second ?? '') ?? badEntry(ruleSet, child));
      }
    } else if (first === 'group-object') {
      sets.push(resolveNetworkGroup(second ?? '', objects, ruleSet, child, depth + 1));
    }
  }
  return sets.length === 0 ? emptyAddressSet() : unionAddressSets(sets);
}

/** `service tcp source eq 1 destination range 2 3` (object service) or `service-object …` words. */
function readServiceWords(words: string[], ruleSet: RuleSet, child: ConfigLine): ServiceMatch {
  const protocols = parseProtocol(words[0] ?? '') ?? badEntry(ruleSet, child);
  const service: ServiceMatch = { ...anyService(), protocols };
  let at = 1;
  while (at < words.length) {
    const side = words[at] === 'source' ? 'sourcePorts' : words[at] === 'destination' ? 'destinationPorts' : undefined;
    const operator = readCiscoPortOperator(words, side ? at + 1 : at, false);
    if (!operator || operator.error) {
      // ICMP types and the like: narrower than the protocol.
      service.detail = words.slice(at).join(' ');
      break;
    }
    service[side ?? 'destinationPorts'] = operator.ranges;
    at += (side ? 1 : 0) + operator.used;
  }
  return service;
}

function resolveServiceObject(name: string, objects: AsaObjects, ruleSet: RuleSet, where: ConfigLine): ServiceMatch[] {
  const object = objects.serviceObjects.get(name);
  if (!object) {
    throw new CheckInputError(`object ${name} is not defined / 未定義的服務物件 ${name}`, ruleSet.file, where.line);
  }
  return object.children.filter((child) => child.words[0] === 'service').map((child) => readServiceWords(child.words.slice(1), ruleSet, child));
}

function resolveServiceGroup(name: string, objects: AsaObjects, ruleSet: RuleSet, where: ConfigLine, depth: number): ServiceMatch[] {
  const group = objects.serviceGroups.get(name);
  if (!group) {
    throw new CheckInputError(`object-group ${name} is not defined / 未定義的物件群組 ${name}`, ruleSet.file, where.line);
  }
  if (depth > MAX_GROUP_DEPTH) {
    throw new CheckInputError(`object-group ${name} nests too deeply or loops / 物件群組巢狀過深或循環`, ruleSet.file, group.line);
  }
  if (group.protocol) {
    const protocols = parseProtocol(group.protocol) ?? badEntry(ruleSet, { words: [], line: group.line, raw: group.protocol });
    return [{ ...anyService(), protocols, destinationPorts: resolvePortGroup(group, objects, ruleSet, where, depth) }];
  }
  const services: ServiceMatch[] = [];
  for (const child of group.children) {
    const [first, second, third] = child.words;
    if (first === 'service-object' && second === 'object') {
      services.push(...resolveServiceObject(third ?? '', objects, ruleSet, child));
    } else if (first === 'service-object') {
      services.push(readServiceWords(child.words.slice(1), ruleSet, child));
    } else if (first === 'group-object') {
      services.push(...resolveServiceGroup(second ?? '', objects, ruleSet, child, depth + 1));
    }
  }
  return services;
}

function resolvePortGroup(
  group: { line: number; children: ConfigLine[] },
  objects: AsaObjects,
  ruleSet: RuleSet,
  where: ConfigLine,
  depth: number,
): NumberRange[] {
  if (depth > MAX_GROUP_DEPTH) {
    throw new CheckInputError('port group nests too deeply or loops / 埠號群組巢狀過深或循環', ruleSet.file, group.line);
  }
  const ranges: NumberRange[] = [];
  for (const child of group.children) {
    if (child.words[0] === 'port-object') {
      const operator = readCiscoPortOperator(child.words, 1, false);
      if (!operator || operator.error) {
        badEntry(ruleSet, child);
      }
      ranges.push(...operator!.ranges);
    } else if (child.words[0] === 'group-object') {
      const inner = objects.serviceGroups.get(child.words[1] ?? '');
      if (!inner) {
        throw new CheckInputError(`object-group ${child.words[1]} is not defined`, ruleSet.file, child.line);
      }
      ranges.push(...resolvePortGroup(inner, objects, ruleSet, where, depth + 1));
    }
  }
  return ranges;
}

function badEntry(ruleSet: RuleSet, child: ConfigLine): never {
  throw new CheckInputError(`bad object entry / 物件項目錯誤: ${child.raw.slice(0, 120)}`, ruleSet.file, child.line);
}
