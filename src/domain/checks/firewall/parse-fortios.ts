/**
 * FortiOS configuration (`show full-configuration` or a backup): `config firewall policy` (and
 * policy6) resolved against `firewall address`/`address6`, `addrgrp`/`addrgrp6`, `service custom` and
 * `service group`, with predefined services as a fallback. Ends with FortiOS's implicit deny (policy 0).
 */
import { CheckInputError } from '../types.ts';
import type { AddressSet, RuleChain, RuleSet, ServiceMatch } from './model.ts';
import { createRuleSet } from './model.ts';
import {
  anyIpv4,
  anyIpv6,
  complementAddressSet,
  emptyAddressSet,
  parseAddressText,
  parseAddressWithNetmask,
  taggedAddress,
  unionAddressSets,
} from './addresses.ts';
import { parsePortRangeText } from './ports.ts';
import { anyService, applyDescription, createRule, findReviewDate, noteReviewDate, numberRules, splitLines, tokenizeLine } from './parse-helpers.ts';

const MAX_DEPTH = 16;
const MAX_NESTING = 32;

interface Entry {
  name: string;
  line: number;
  lines: string[];
  settings: Map<string, string[]>;
}

function tcp(...ports: Array<number | [number, number]>): ServiceMatch {
  return {
    ...anyService(),
    protocols: [{ start: 6, end: 6 }],
    destinationPorts: ports.map((port) => (Array.isArray(port) ? { start: port[0], end: port[1] } : { start: port, end: port })),
  };
}
function udp(...ports: number[]): ServiceMatch {
  return { ...anyService(), protocols: [{ start: 17, end: 17 }], destinationPorts: ports.map((port) => ({ start: port, end: port })) };
}

/** Predefined FortiOS services, used when the configuration does not define them. */
const PREDEFINED_SERVICES: Record<string, ServiceMatch[]> = {
  ALL: [anyService()],
  ALL_TCP: [tcp([1, 65535])],
  ALL_UDP: [{ ...udp(), destinationPorts: [{ start: 1, end: 65535 }] }],
  ALL_ICMP: [{ ...anyService(), protocols: [{ start: 1, end: 1 }] }],
  ALL_ICMP6: [{ ...anyService(), protocols: [{ start: 58, end: 58 }] }],
  PING: [{ ...anyService(), protocols: [{ start: 1, end: 1 }] }],
  HTTP: [tcp(80)],
  HTTPS: [tcp(443)],
  SSH: [tcp(22)],
  TELNET: [tcp(23)],
  FTP: [tcp(21)],
  SMTP: [tcp(25)],
  DNS: [tcp(53), udp(53)],
  NTP: [tcp(123), udp(123)],
  RDP: [tcp(3389)],
  SMB: [tcp(445)],
  SAMBA: [tcp(139)],
  SNMP: [tcp([161, 162]), { ...udp(), destinationPorts: [{ start: 161, end: 162 }] }],
  MYSQL: [tcp(3306)],
  'MS-SQL': [tcp(1433, 1434)],
  LDAP: [tcp(389)],
  VNC: [tcp(5900)],
};

export function parseFortios(text: string, file: string): RuleSet {
  const ruleSet = createRuleSet('fortios', file);
  ruleSet.metadataFields.description = true;
  const sections = new Map<string, Map<string, Entry>>();
  const stack: Array<{ kind: 'config'; path: string; line: number } | { kind: 'edit'; entry: Entry }> = [];

  const lines = splitLines(text);
  for (let index = 0; index < lines.length; index += 1) {
    const lineNumber = index + 1;
    const raw = lines[index].trim();
    if (raw === '') {
      continue;
    }
    if (raw.startsWith('#')) {
      noteReviewDate(ruleSet, findReviewDate(raw), lineNumber);
      continue;
    }
    const words = tokenizeLine(raw, file, lineNumber);
    const top = stack[stack.length - 1];
    switch (words[0]) {
      case 'config': {
        if (stack.length >= MAX_NESTING) {
          throw new CheckInputError('config blocks nested too deeply / config 巢狀過深', file, lineNumber);
        }
        stack.push({ kind: 'config', path: words.slice(1).join(' '), line: lineNumber });
        break;
      }
      case 'edit': {
        if (!top || top.kind !== 'config' || words[1] === undefined) {
          throw new CheckInputError('edit outside a config block / edit 不在 config 區塊內', file, lineNumber);
        }
        const entry: Entry = { name: words[1], line: lineNumber, lines: [raw], settings: new Map() };
        const section = sections.get(top.path) ?? new Map<string, Entry>();
        section.set(entry.name, entry);
        sections.set(top.path, section);
        stack.push({ kind: 'edit', entry });
        break;
      }
      case 'next': {
        if (!top || top.kind !== 'edit') {
          throw new CheckInputError('next without edit / next 沒有對應的 edit', file, lineNumber);
        }
        stack.pop();
        break;
      }
      case 'end': {
        if (top && top.kind === 'edit') {
          // Some exports omit "next" before "end".
          stack.pop();
        }
        const config = stack[stack.length - 1];
        if (!config || config.kind !== 'config') {
          throw new CheckInputError('end without config / end 沒有對應的 config', file, lineNumber);
        }
        stack.pop();
        break;
      }
      case 'set':
      case 'unset':
      case 'append':
      case 'select': {
        if (top && top.kind === 'edit' && words[1] !== undefined) {
          top.entry.lines.push(raw);
          if (words[0] === 'unset') {
            top.entry.settings.delete(words[1]);
          } else if (words[0] === 'append') {
            top.entry.settings.set(words[1], [...(top.entry.settings.get(words[1]) ?? []), ...words.slice(2)]);
          } else {
            top.entry.settings.set(words[1], words.slice(2));
          }
        }
        break;
      }
      default:
        throw new CheckInputError(`not a FortiOS configuration line / 非 FortiOS 設定格式: ${raw.slice(0, 120)}`, file, lineNumber);
    }
  }
  if (stack.length > 0) {
    const open = stack[stack.length - 1];
    throw new CheckInputError('config block not closed with end / config 區塊未以 end 結束', file, open.kind === 'config' ? open.line : open.entry.line);
  }

  const section = (path: string) => sections.get(path) ?? new Map<string, Entry>();
  const setting = (entry: Entry, key: string) => entry.settings.get(key) ?? [];

  const resolveAddress = (name: string, isV6: boolean, depth: number, line: number): AddressSet => {
    if (depth > MAX_DEPTH) {
      throw new CheckInputError(`address group ${name} nests too deeply or loops / 位址群組巢狀過深或循環`, file, line);
    }
    const address = section(isV6 ? 'firewall address6' : 'firewall address').get(name);
    if (address) {
      const type = setting(address, 'type')[0] ?? (isV6 ? 'ipprefix' : 'ipmask');
      if (type === 'ipmask' || type === 'ipprefix') {
        if (isV6) {
          const prefix = setting(address, 'ip6')[0] ?? '::/0';
          return parseAddressText(prefix) ?? badEntry(file, address, `bad ip6 ${prefix}`);
        }
        const [network, mask] = setting(address, 'subnet');
        if (network === undefined) {
          return anyIpv4();
        }
        const set = mask !== undefined ? parseAddressWithNetmask(network, mask) : parseAddressText(network);
        return set ?? badEntry(file, address, `bad subnet ${network} ${mask ?? ''}`);
      }
      if (type === 'iprange') {
        const range = `${setting(address, 'start-ip')[0]}-${setting(address, 'end-ip')[0]}`;
        return parseAddressText(range) ?? badEntry(file, address, `bad iprange ${range}`);
      }
      ruleSet.unknowns.push({ line: address.line, text: `address ${name} type ${type}`, reason: `位址類型 ${type} 無法轉為位址範圍`, reasonEn: `address type ${type} cannot be turned into ranges` });
      return taggedAddress(name);
    }
    const group = section(isV6 ? 'firewall addrgrp6' : 'firewall addrgrp').get(name);
    if (group) {
      if (setting(group, 'exclude')[0] === 'enable') {
        ruleSet.unknowns.push({ line: group.line, text: `addrgrp ${name}`, reason: '含排除成員的位址群組視為較窄的條件', reasonEn: 'an address group with excluded members is treated as narrower' });
        return taggedAddress(name);
      }
      const members = setting(group, 'member');
      return members.length === 0 ? emptyAddressSet() : unionAddressSets(members.map((member) => resolveAddress(member, isV6, depth + 1, group.line)));
    }
    if (name === 'all') {
      return isV6 ? anyIpv6() : anyIpv4();
    }
    if (name === 'none') {
      return emptyAddressSet();
    }
    throw new CheckInputError(`address ${name} is not defined / 未定義的位址 ${name}`, file, line);
  };

  const readPortRanges = (entry: Entry, values: string[], protocol: number): ServiceMatch[] =>
    values.map((value) => {
      const [destination, source] = value.split(':');
      const destinationRange = parsePortRangeText(destination);
      const sourceRange = source === undefined ? undefined : parsePortRangeText(source);
      if (!destinationRange || (source !== undefined && !sourceRange)) {
        badEntry(file, entry, `bad port range ${value}`);
      }
      return {
        protocols: [{ start: protocol, end: protocol }],
        destinationPorts: [destinationRange!],
        sourcePorts: sourceRange ? [sourceRange] : [{ start: 0, end: 65535 }],
      };
    });

  const resolveService = (name: string, depth: number, line: number, qualifiers: string[]): ServiceMatch[] => {
    if (depth > MAX_DEPTH) {
      throw new CheckInputError(`service group ${name} nests too deeply or loops / 服務群組巢狀過深或循環`, file, line);
    }
    const custom = section('firewall service custom').get(name);
    if (custom) {
      const protocol = (setting(custom, 'protocol')[0] ?? 'TCP/UDP/SCTP').toUpperCase();
      if (protocol === 'ALL') {
        return [anyService()];
      }
      if (protocol === 'IP') {
        const number = Number(setting(custom, 'protocol-number')[0] ?? '0');
        return number === 0 ? [anyService()] : [{ ...anyService(), protocols: [{ start: number, end: number }] }];
      }
      if (protocol === 'ICMP' || protocol === 'ICMP6') {
        if (setting(custom, 'icmptype').length > 0) {
          qualifiers.push(`icmptype:${setting(custom, 'icmptype').join(',')}`);
        }
        return [{ ...anyService(), protocols: protocol === 'ICMP' ? [{ start: 1, end: 1 }] : [{ start: 58, end: 58 }] }];
      }
      const services = [
        ...readPortRanges(custom, setting(custom, 'tcp-portrange'), 6),
        ...readPortRanges(custom, setting(custom, 'udp-portrange'), 17),
        ...readPortRanges(custom, setting(custom, 'sctp-portrange'), 132),
      ];
      if (services.length === 0) {
        ruleSet.unknowns.push({ line: custom.line, text: `service custom ${name}`, reason: '服務未指定埠號範圍', reasonEn: 'the service has no port range' });
        qualifiers.push(`service:${name}`);
        return [anyService()];
      }
      return services;
    }
    const group = section('firewall service group').get(name);
    if (group) {
      return setting(group, 'member').flatMap((member) => resolveService(member, depth + 1, group.line, qualifiers));
    }
    const predefined = PREDEFINED_SERVICES[name.toUpperCase()];
    if (predefined) {
      return predefined.map((service) => ({ ...service }));
    }
    throw new CheckInputError(`service ${name} is not defined / 未定義的服務 ${name}`, file, line);
  };

  for (const path of ['firewall policy', 'firewall policy6']) {
    const policies = sections.get(path);
    if (!policies) {
      continue;
    }
    const chain: RuleChain = {
      name: path,
      kind: 'policy',
      line: [...policies.values()][0]?.line ?? 1,
      rules: [],
      defaultAction: 'deny',
      defaultText: 'implicit deny (policy 0)',
      isOrdered: true,
      isPacketFilter: true,
    };
    ruleSet.chains.push(chain);
    for (const entry of policies.values()) {
      const actionWord = setting(entry, 'action')[0] ?? 'deny';
      const rule = createRule({
        id: setting(entry, 'name')[0] ? `${entry.name} (${setting(entry, 'name')[0]})` : entry.name,
        line: entry.line,
        text: entry.lines.join(' ; '),
        action: actionWord === 'accept' || actionWord === 'ipsec' ? 'permit' : 'deny',
        actionText: actionWord,
      });
      rule.isEnabled = setting(entry, 'status')[0] !== 'disable';
      const isPolicy6 = path === 'firewall policy6';
      const side = (key: 'srcaddr' | 'dstaddr'): AddressSet => {
        const names4 = isPolicy6 ? [] : setting(entry, key);
        const names6 = isPolicy6 ? setting(entry, key) : setting(entry, `${key}6`);
        const sets = [
          ...names4.map((name) => resolveAddress(name, false, 0, entry.line)),
          ...names6.map((name) => resolveAddress(name, true, 0, entry.line)),
        ];
        const set = sets.length === 0 ? emptyAddressSet() : unionAddressSets(sets);
        return setting(entry, `${key}-negate`)[0] === 'enable'
          ? complementAddressSet(set, { v4: names4.length > 0, v6: names6.length > 0 })
          : set;
      };
      rule.source = side('srcaddr');
      rule.destination = side('dstaddr');
      const serviceNames = setting(entry, 'service');
      rule.services = serviceNames.length === 0 ? [] : serviceNames.flatMap((name) => resolveService(name, 0, entry.line, rule.qualifiers));
      if (setting(entry, 'service-negate')[0] === 'enable') {
        ruleSet.unknowns.push({ line: entry.line, text: entry.lines[0], reason: 'service-negate 視為較窄的條件', reasonEn: 'service-negate is treated as narrower' });
        rule.qualifiers.push(`service-negate:${serviceNames.join(',')}`);
        rule.services = [anyService()];
      }
      for (const key of ['srcintf', 'dstintf', 'users', 'groups', 'schedule', 'internet-service-name', 'internet-service-src-name']) {
        const values = setting(entry, key).filter((value) => value !== 'any' && value !== 'always');
        if (values.length > 0) {
          rule.qualifiers.push(`${key}:${[...values].sort().join(',')}`);
        }
      }
      if (setting(entry, 'internet-service')[0] === 'enable') {
        rule.qualifiers.push('internet-service');
        ruleSet.unknowns.push({ line: entry.line, text: entry.lines[0], reason: 'Internet Service 資料庫的位址無法由設定得知', reasonEn: 'Internet Service database addresses are not in the configuration' });
      }
      applyDescription(rule, setting(entry, 'comments').join(' '));
      chain.rules.push(rule);
    }
  }
  return numberRules(ruleSet);
}

function badEntry(file: string, entry: Entry, message: string): never {
  throw new CheckInputError(`${message} in ${entry.name} / 物件設定錯誤`, file, entry.line);
}

