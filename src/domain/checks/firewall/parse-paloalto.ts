/**
 * Palo Alto Networks PAN-OS security rules in set style (`set cli config-output-format set`):
 * `set [vsys X | device-group Y] [pre-|post-]rulebase security rules NAME attr value …`, address
 * objects and groups, services and service groups. Zones, applications and users become qualifiers.
 * After the last rule: interzone-default deny (intrazone-default allow).
 */
import { CheckInputError } from '../types.ts';
import type { AddressSet, RuleChain, RuleSet, ServiceMatch } from './model.ts';
import { createRuleSet } from './model.ts';
import { anyAddress, complementAddressSet, parseAddressText, taggedAddress, unionAddressSets } from './addresses.ts';
import { parsePortList, parseProtocol } from './ports.ts';
import { anyService, applyDescription, createRule, findReviewDate, noteReviewDate, numberRules, splitLines, tokenizeLine } from './parse-helpers.ts';

const MAX_DEPTH = 16;
const SCOPE_WORDS = new Set(['vsys', 'device-group', 'template', 'template-stack']);
const RULEBASE_ORDER: Record<string, number> = { 'pre-rulebase': 0, rulebase: 1, 'post-rulebase': 2 };

interface RuleDraft {
  name: string;
  rulebase: string;
  order: number;
  line: number;
  lines: string[];
  attributes: Map<string, string[]>;
}

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

const RULE_ATTRIBUTES = new Set([
  'from', 'to', 'source', 'destination', 'service', 'application', 'action', 'disabled', 'description',
  'negate-source', 'negate-destination', 'source-user', 'category', 'tag', 'log-start', 'log-end', 'log-setting',
  'rule-type', 'schedule', 'source-hip', 'destination-hip', 'hip-profiles', 'uuid', 'group-tag', 'icmp-unreachable',
]);

export function parsePaloAlto(text: string, file: string): RuleSet {
  const ruleSet = createRuleSet('paloalto', file);
  ruleSet.metadataFields.description = true;
  const addresses = new Map<string, { line: number; value: string; kind: string }>();
  const addressGroups = new Map<string, { line: number; members: string[]; isDynamic: boolean }>();
  const services = new Map<string, { line: number; protocol?: string; port?: string; sourcePort?: string }>();
  const serviceGroups = new Map<string, { line: number; members: string[] }>();
  const rules = new Map<string, RuleDraft>();

  const lines = splitLines(text);
  for (let index = 0; index < lines.length; index += 1) {
    const lineNumber = index + 1;
    const raw = lines[index].trim();
    if (raw === '' || /^[\w.@-]+[>#]/.test(raw)) {
      continue;
    }
    if (raw.startsWith('#')) {
      noteReviewDate(ruleSet, findReviewDate(raw), lineNumber);
      continue;
    }
    const words = tokenizeLine(raw, file, lineNumber);
    if (words[0] !== 'set' && words[0] !== 'delete') {
      throw new CheckInputError(`not a set-style line / 非 set 格式: ${raw.slice(0, 120)}`, file, lineNumber);
    }
    if (words[0] === 'delete') {
      continue;
    }
    let at = 1;
    while (SCOPE_WORDS.has(words[at]) && at < 12) {
      at += 2;
      if (words[at] === 'config') {
        at += 1;
      }
    }
    if (words[at] === 'shared') {
      at += 1;
    }
    const head = words[at];
    if (head !== undefined && head in RULEBASE_ORDER && words[at + 1] === 'security' && words[at + 2] === 'rules') {
      const name = words[at + 3];
      if (!name) {
        throw new CheckInputError('rule name missing / 缺少規則名稱', file, lineNumber);
      }
      const key = `${head}\u0000${name}`;
      let draft = rules.get(key);
      if (!draft) {
        draft = { name, rulebase: head, order: rules.size, line: lineNumber, lines: [], attributes: new Map() };
        rules.set(key, draft);
      }
      draft.lines.push(raw);
      let cursor = at + 4;
      while (cursor < words.length) {
        const attribute = words[cursor];
        if (!RULE_ATTRIBUTES.has(attribute)) {
          // Nested settings (profile-setting, option, target, qos …) do not change what the rule matches.
          break;
        }
        const { values, next } = readValues(words, cursor + 1);
        if (values.length === 0) {
          throw new CheckInputError(`${attribute} needs a value / ${attribute} 缺少值`, file, lineNumber);
        }
        draft.attributes.set(attribute, [...(attribute === 'description' ? [] : (draft.attributes.get(attribute) ?? [])), ...values]);
        cursor = next;
      }
      continue;
    }
    if (head === 'address' && words[at + 1] && words[at + 2]) {
      const kind = words[at + 2];
      if (kind !== 'description' && kind !== 'tag') {
        addresses.set(words[at + 1], { line: lineNumber, kind, value: words[at + 3] ?? '' });
      }
    } else if (head === 'address-group' && words[at + 1]) {
      const kind = words[at + 2];
      if (kind === 'static') {
        const { values } = readValues(words, at + 3);
        const entry = addressGroups.get(words[at + 1]) ?? { line: lineNumber, members: [], isDynamic: false };
        entry.members.push(...values);
        addressGroups.set(words[at + 1], entry);
      } else if (kind === 'dynamic') {
        addressGroups.set(words[at + 1], { line: lineNumber, members: [], isDynamic: true });
      }
    } else if (head === 'service' && words[at + 1]) {
      const entry = services.get(words[at + 1]) ?? { line: lineNumber };
      let cursor = at + 2;
      if (words[cursor] === 'protocol') {
        entry.protocol = words[cursor + 1];
        cursor += 2;
        while (cursor + 1 < words.length) {
          if (words[cursor] === 'port') {
            entry.port = words[cursor + 1];
          } else if (words[cursor] === 'source-port') {
            entry.sourcePort = words[cursor + 1];
          }
          cursor += 2;
        }
      }
      services.set(words[at + 1], entry);
    } else if (head === 'service-group' && words[at + 1] && words[at + 2] === 'members') {
      const { values } = readValues(words, at + 3);
      const entry = serviceGroups.get(words[at + 1]) ?? { line: lineNumber, members: [] };
      entry.members.push(...values);
      serviceGroups.set(words[at + 1], entry);
    }
  }

  const resolveAddress = (name: string, depth: number, line: number): AddressSet => {
    if (depth > MAX_DEPTH) {
      throw new CheckInputError(`address group ${name} nests too deeply or loops / 位址群組巢狀過深或循環`, file, line);
    }
    if (name === 'any') {
      return anyAddress();
    }
    const address = addresses.get(name);
    if (address) {
      if (address.kind === 'ip-netmask' || address.kind === 'ip-range') {
        return parseAddressText(address.value) ?? badLine(file, address.line, `bad ${address.kind} ${address.value}`);
      }
      ruleSet.unknowns.push({ line: address.line, text: `address ${name} ${address.kind} ${address.value}`, reason: '此位址物件無法轉為位址範圍', reasonEn: 'this address object cannot be turned into ranges' });
      return taggedAddress(name);
    }
    const group = addressGroups.get(name);
    if (group) {
      if (group.isDynamic) {
        ruleSet.unknowns.push({ line: group.line, text: `address-group ${name} dynamic`, reason: '動態位址群組的成員無法由設定得知', reasonEn: 'members of a dynamic address group are not in the configuration' });
        return taggedAddress(name);
      }
      return unionAddressSets(group.members.map((member) => resolveAddress(member, depth + 1, group.line)));
    }
    const literal = parseAddressText(name);
    if (literal) {
      return literal;
    }
    ruleSet.unknowns.push({ line, text: name, reason: `位址 ${name} 未定義（可能是地區或外部清單）`, reasonEn: `address ${name} is not defined here (region or external list?)` });
    return taggedAddress(name);
  };

  const resolveService = (name: string, depth: number, line: number, qualifiers: string[]): ServiceMatch[] => {
    if (depth > MAX_DEPTH) {
      throw new CheckInputError(`service group ${name} nests too deeply or loops / 服務群組巢狀過深或循環`, file, line);
    }
    if (name === 'any') {
      return [anyService()];
    }
    if (name === 'application-default') {
      qualifiers.push('service:application-default');
      return [anyService()];
    }
    if (name === 'service-http') {
      return [{ ...anyService(), protocols: [{ start: 6, end: 6 }], destinationPorts: [{ start: 80, end: 80 }, { start: 8080, end: 8080 }] }];
    }
    if (name === 'service-https') {
      return [{ ...anyService(), protocols: [{ start: 6, end: 6 }], destinationPorts: [{ start: 443, end: 443 }] }];
    }
    const custom = services.get(name);
    if (custom) {
      const protocols = parseProtocol(custom.protocol ?? '') ?? badLine(file, custom.line, `bad protocol in service ${name}`);
      const ports = custom.port ? (parsePortList(custom.port) ?? badLine(file, custom.line, `bad port in service ${name}`)) : undefined;
      const sourcePorts = custom.sourcePort ? (parsePortList(custom.sourcePort) ?? badLine(file, custom.line, `bad source-port in service ${name}`)) : undefined;
      return [{ ...anyService(), protocols, ...(ports ? { destinationPorts: ports } : {}), ...(sourcePorts ? { sourcePorts } : {}) }];
    }
    const group = serviceGroups.get(name);
    if (group) {
      return group.members.flatMap((member) => resolveService(member, depth + 1, group.line, qualifiers));
    }
    throw new CheckInputError(`service ${name} is not defined / 未定義的服務 ${name}`, file, line);
  };

  const chain: RuleChain = {
    name: 'security rulebase',
    kind: 'policy',
    line: 1,
    rules: [],
    defaultAction: 'deny',
    defaultText: 'interzone-default deny (intrazone-default allows traffic within one zone)',
    isOrdered: true,
    isPacketFilter: true,
  };
  const drafts = [...rules.values()].sort((left, right) => RULEBASE_ORDER[left.rulebase] - RULEBASE_ORDER[right.rulebase] || left.order - right.order);
  for (const draft of drafts) {
    const get = (attribute: string) => draft.attributes.get(attribute) ?? [];
    const actionWord = get('action')[0] ?? '';
    const rule = createRule({
      id: draft.name,
      line: draft.line,
      text: draft.lines.join(' ; '),
      action: actionWord === 'allow' ? 'permit' : ['deny', 'drop', 'reset-client', 'reset-server', 'reset-both'].includes(actionWord) ? 'deny' : 'other',
      actionText: actionWord || '(no action)',
    });
    if (!actionWord) {
      ruleSet.unknowns.push({ line: draft.line, text: draft.name, reason: `規則 ${draft.name} 沒有 action`, reasonEn: `rule ${draft.name} has no action` });
    }
    rule.isEnabled = get('disabled')[0] !== 'yes';
    const families = { v4: true, v6: true };
    const sources = get('source');
    const destinations = get('destination');
    const source = sources.length === 0 ? anyAddress() : unionAddressSets(sources.map((name) => resolveAddress(name, 0, draft.line)));
    const destination = destinations.length === 0 ? anyAddress() : unionAddressSets(destinations.map((name) => resolveAddress(name, 0, draft.line)));
    rule.source = get('negate-source')[0] === 'yes' ? complementAddressSet(source, families) : source;
    rule.destination = get('negate-destination')[0] === 'yes' ? complementAddressSet(destination, families) : destination;
    const serviceNames = get('service');
    rule.services = serviceNames.length === 0 ? [anyService()] : serviceNames.flatMap((name) => resolveService(name, 0, draft.line, rule.qualifiers));
    for (const attribute of ['from', 'to', 'application', 'source-user', 'category', 'schedule', 'source-hip', 'destination-hip']) {
      const values = get(attribute).filter((value) => value !== 'any');
      if (values.length > 0) {
        rule.qualifiers.push(`${attribute}:${[...values].sort().join(',')}`);
      }
    }
    applyDescription(rule, get('description').join(' '));
    chain.rules.push(rule);
  }
  if (drafts.length > 0) {
    chain.line = drafts[0].line;
    ruleSet.chains.push(chain);
  }
  return numberRules(ruleSet);
}

function badLine(file: string, line: number, message: string): never {
  throw new CheckInputError(message, file, line);
}
