/**
 * Azure network security groups: `az network nsg show|list` JSON, `az network nsg rule list`, or ARM
 * (resource or template) JSON with securityRules and defaultSecurityRules. Rules are evaluated by
 * priority per direction; the default rules end with DenyAllInBound / DenyAllOutBound (65500).
 */
import { CheckInputError } from '../types.ts';
import type { AddressSet, NumberRange, RuleChain, RuleSet } from './model.ts';
import { createRuleSet } from './model.ts';
import { anyAddress, parseAddressText, taggedAddress, unionAddressSets } from './addresses.ts';
import { ANY_PORT, parsePortRangeText, parseProtocol } from './ports.ts';
import { anyService, applyDescription, createRule, numberRules } from './parse-helpers.ts';
import { asArray, asRecord, asString, parseJsonWithLines } from './json-lines.ts';

function field(rule: Record<string, unknown>, key: string): unknown {
  return rule[key] ?? asRecord(rule.properties)?.[key];
}

function isNsg(value: unknown): boolean {
  const record = asRecord(value);
  return Boolean(record && (field(record, 'securityRules') !== undefined || field(record, 'defaultSecurityRules') !== undefined));
}

function isRule(value: unknown): boolean {
  const record = asRecord(value);
  return Boolean(record && field(record, 'access') !== undefined && field(record, 'direction') !== undefined);
}

export function parseAzureNsg(text: string, file: string): RuleSet {
  const ruleSet = createRuleSet('azure-nsg', file);
  ruleSet.metadataFields.description = true;
  const json = parseJsonWithLines(text, file);
  const root = json.value;
  const rootRecord = asRecord(root);
  let groups: Array<{ name: string; line: number; rules: unknown[]; defaults: unknown[] }> = [];
  const candidates = [
    ...(Array.isArray(root) ? root : [root]),
    ...asArray(rootRecord?.resources),
    ...asArray(rootRecord?.value),
  ];
  for (const candidate of candidates) {
    const record = asRecord(candidate);
    if (record && isNsg(record)) {
      groups.push({
        name: asString(record.name) ?? 'nsg',
        line: json.lineOf(candidate) ?? 1,
        rules: asArray(field(record, 'securityRules')),
        defaults: asArray(field(record, 'defaultSecurityRules')),
      });
    }
  }
  if (groups.length === 0 && Array.isArray(root) && root.length > 0 && root.every(isRule)) {
    groups = [{ name: 'nsg rules', line: json.lineOf(root) ?? 1, rules: root, defaults: [] }];
  }
  if (groups.length === 0) {
    throw new CheckInputError('no securityRules found / 找不到 securityRules', file, 1);
  }

  for (const group of groups) {
    for (const direction of ['Inbound', 'Outbound'] as const) {
      const chain: RuleChain = {
        name: `${group.name} ${direction.toLowerCase()}`,
        kind: 'nsg',
        direction: direction === 'Inbound' ? 'inbound' : 'outbound',
        line: group.line,
        rules: [],
        defaultAction: 'deny',
        defaultText: `DenyAll${direction === 'Inbound' ? 'InBound' : 'OutBound'} (65500)`,
        isOrdered: true,
        isPacketFilter: true,
      };
      const items = [
        ...group.rules.map((item) => ({ item, isDefault: false })),
        ...group.defaults.map((item) => ({ item, isDefault: true })),
      ]
        .map(({ item, isDefault }) => {
          const record = asRecord(item);
          const line = json.lineOf(item) ?? group.line;
          if (!record) {
            throw new CheckInputError('security rule is not an object / 安全規則格式錯誤', file, line);
          }
          return { record, line, isDefault, priority: Number(field(record, 'priority')) };
        })
        .filter(({ record }) => String(field(record, 'direction')).toLowerCase() === direction.toLowerCase());
      for (const { record, line, priority } of items) {
        if (!Number.isInteger(priority) || priority < 100 || priority > 65535) {
          throw new CheckInputError(`bad priority / 優先順序錯誤: ${String(field(record, 'priority'))}`, file, line);
        }
      }
      items.sort((left, right) => left.priority - right.priority);
      for (const { record, line, isDefault, priority } of items) {
        const name = asString(record.name) ?? String(priority);
        const access = (asString(field(record, 'access')) ?? '').toLowerCase();
        if (access !== 'allow' && access !== 'deny') {
          throw new CheckInputError(`bad access / 動作錯誤: ${String(field(record, 'access'))}`, file, line);
        }
        const protocolWord = asString(field(record, 'protocol')) ?? '*';
        const protocols = parseProtocol(protocolWord) ?? fail(file, line, `bad protocol / 協定錯誤: ${protocolWord}`);
        const source = readAddresses(record, 'source', file, line);
        const destination = readAddresses(record, 'destination', file, line);
        const sourcePorts = readPorts(record, 'sourcePortRange', file, line);
        const destinationPorts = readPorts(record, 'destinationPortRange', file, line);
        const rule = createRule({
          id: `${name} (${priority})${isDefault ? ' default' : ''}`,
          line,
          text: `${priority} ${name} ${direction} ${access} ${protocolWord} ${source.text}:${sourcePorts.text} -> ${destination.text}:${destinationPorts.text}`,
          action: access === 'allow' ? 'permit' : 'deny',
          actionText: access,
        });
        rule.source = source.set;
        rule.destination = destination.set;
        rule.services = [{ ...anyService(), protocols, sourcePorts: sourcePorts.ranges, destinationPorts: destinationPorts.ranges }];
        applyDescription(rule, asString(field(record, 'description')));
        if (isDefault && !rule.description) {
          rule.description = 'Azure default rule';
        }
        chain.rules.push(rule);
      }
      ruleSet.chains.push(chain);
    }
  }
  return numberRules(ruleSet);
}

function readAddresses(record: Record<string, unknown>, side: 'source' | 'destination', file: string, line: number): { set: AddressSet; text: string } {
  const values = [asString(field(record, `${side}AddressPrefix`)), ...asArray(field(record, `${side}AddressPrefixes`)).map(asString)].filter(
    (value): value is string => Boolean(value),
  );
  const groups = asArray(field(record, `${side}ApplicationSecurityGroups`)).map((item) => {
    const id = asString(asRecord(item)?.id) ?? '?';
    return `asg:${id.split('/').pop()}`;
  });
  const sets: AddressSet[] = values.map((value) => {
    if (value === '*' || value.toLowerCase() === 'any') {
      return anyAddress();
    }
    return parseAddressText(value) ?? (/^[A-Za-z][\w.-]{0,80}$/.test(value) ? taggedAddress(value) : fail(file, line, `bad address prefix / 位址錯誤: ${value}`));
  });
  sets.push(...groups.map((name) => taggedAddress(name)));
  if (sets.length === 0) {
    return { set: anyAddress(), text: '*' };
  }
  return { set: unionAddressSets(sets), text: [...values, ...groups].join(',') };
}

function readPorts(record: Record<string, unknown>, key: string, file: string, line: number): { ranges: NumberRange[]; text: string } {
  const values = [asString(field(record, key)), ...asArray(field(record, `${key}s`)).map(asString)].filter((value): value is string => Boolean(value));
  if (values.length === 0 || values.includes('*')) {
    return { ranges: [...ANY_PORT], text: '*' };
  }
  return {
    ranges: values.map((value) => parsePortRangeText(value) ?? fail(file, line, `bad port range / 埠號錯誤: ${value}`)),
    text: values.join(','),
  };
}

function fail(file: string, line: number, message: string): never {
  throw new CheckInputError(message, file, line);
}
