/**
 * AWS security groups (`aws ec2 describe-security-groups` JSON) and network ACLs
 * (`aws ec2 describe-network-acls` JSON). Security groups only allow and are unordered (default deny);
 * network ACLs are evaluated by rule number and end with the "*" deny rule (32767).
 */
import { CheckInputError } from '../types.ts';
import type { AddressSet, FirewallRule, NumberRange, RuleChain, RuleSet } from './model.ts';
import { createRuleSet } from './model.ts';
import { anyAddress, parseAddressText, taggedAddress } from './addresses.ts';
import { ANY_PORT, parseProtocol } from './ports.ts';
import { anyService, applyDescription, createRule, normalizeDate, numberRules } from './parse-helpers.ts';
import { asArray, asRecord, asString, parseJsonWithLines, type JsonWithLines } from './json-lines.ts';

function listAt(root: unknown, key: string, marker: string): unknown[] {
  if (Array.isArray(root)) {
    return root;
  }
  const record = asRecord(root);
  if (record && Array.isArray(record[key])) {
    return record[key] as unknown[];
  }
  if (record && marker in record) {
    return [record];
  }
  return [];
}

function protocolOf(value: unknown, file: string, line: number | undefined): NumberRange[] {
  const text = asString(value);
  const protocols = text === undefined ? undefined : parseProtocol(text);
  if (!protocols) {
    throw new CheckInputError(`bad or missing protocol / 協定錯誤: ${String(value)}`, file, line);
  }
  return protocols;
}

function portsOf(from: unknown, to: unknown, file: string, line: number | undefined): NumberRange[] {
  if ((from === undefined || from === null || from === -1) && (to === undefined || to === null || to === -1)) {
    return [...ANY_PORT];
  }
  const start = Number(from);
  const end = Number(to ?? from);
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > 65535 || start > end) {
    throw new CheckInputError(`bad port range / 埠號範圍錯誤: ${String(from)}-${String(to)}`, file, line);
  }
  return [{ start, end }];
}

function tagValue(tags: unknown, pattern: RegExp): string | undefined {
  for (const tag of asArray(tags)) {
    const record = asRecord(tag);
    const key = asString(record?.Key);
    if (key && pattern.test(key)) {
      return asString(record?.Value);
    }
  }
  return undefined;
}

export function parseAwsSecurityGroups(text: string, file: string): RuleSet {
  const ruleSet = createRuleSet('aws-sg', file);
  ruleSet.metadataFields.description = true;
  const json = parseJsonWithLines(text, file);
  const groups = listAt(json.value, 'SecurityGroups', 'GroupId');
  if (groups.length === 0 && !asRecord(json.value)?.SecurityGroups) {
    throw new CheckInputError('no SecurityGroups array / 找不到 SecurityGroups', file, 1);
  }
  for (const item of groups) {
    const group = asRecord(item);
    const groupLine = json.lineOf(item);
    if (!group) {
      throw new CheckInputError('security group is not an object / 安全群組格式錯誤', file, groupLine);
    }
    const label = `${asString(group.GroupId) ?? '?'}${group.GroupName ? ` (${asString(group.GroupName)})` : ''}`;
    const owner = tagValue(group.Tags, /^owner$/i);
    const reviewed = tagValue(group.Tags, /review/i);
    for (const [key, direction] of [
      ['IpPermissions', 'inbound'],
      ['IpPermissionsEgress', 'outbound'],
    ] as const) {
      const chain: RuleChain = {
        name: `${label} ${direction}`,
        kind: 'security-group',
        direction,
        line: groupLine ?? 1,
        rules: [],
        defaultAction: 'deny',
        defaultText: 'security groups deny whatever no rule allows',
        isOrdered: false,
        isPacketFilter: true,
      };
      for (const permissionItem of asArray(group[key])) {
        readPermission(permissionItem, direction, chain, json, ruleSet, { owner, reviewed });
      }
      ruleSet.chains.push(chain);
    }
  }
  return numberRules(ruleSet);
}

function readPermission(
  item: unknown,
  direction: 'inbound' | 'outbound',
  chain: RuleChain,
  json: JsonWithLines,
  ruleSet: RuleSet,
  metadata: { owner?: string; reviewed?: string },
): void {
  const file = ruleSet.file;
  const permission = asRecord(item);
  const line = json.lineOf(item);
  if (!permission) {
    throw new CheckInputError('permission is not an object / 規則格式錯誤', file, line);
  }
  const protocols = protocolOf(permission.IpProtocol, file, line);
  const isIcmp = protocols.length === 1 && (protocols[0].start === 1 || protocols[0].start === 58);
  const isAny = protocols.length === 1 && protocols[0].start === 0 && protocols[0].end === 255;
  const ports = isIcmp || isAny ? [...ANY_PORT] : portsOf(permission.FromPort, permission.ToPort, file, line);
  const peers: Array<{ set: AddressSet; text: string; description?: string; line?: number }> = [];
  const peerAddress = (value: string | undefined, peerLine: number | undefined) =>
    (value === undefined ? undefined : parseAddressText(value)) ?? fail(file, peerLine, `bad CIDR / CIDR 錯誤: ${String(value)}`);
  for (const range of asArray(permission.IpRanges)) {
    const record = asRecord(range);
    const cidr = asString(record?.CidrIp);
    peers.push({ set: peerAddress(cidr, json.lineOf(range)), text: cidr ?? '', description: asString(record?.Description), line: json.lineOf(range) });
  }
  for (const range of asArray(permission.Ipv6Ranges)) {
    const record = asRecord(range);
    const cidr = asString(record?.CidrIpv6);
    peers.push({ set: peerAddress(cidr, json.lineOf(range)), text: cidr ?? '', description: asString(record?.Description), line: json.lineOf(range) });
  }
  for (const pair of asArray(permission.UserIdGroupPairs)) {
    const record = asRecord(pair);
    const id = asString(record?.GroupId) ?? asString(record?.GroupName) ?? '?';
    peers.push({ set: taggedAddress(`sg:${id}`), text: id, description: asString(record?.Description), line: json.lineOf(pair) });
  }
  for (const list of asArray(permission.PrefixListIds)) {
    const record = asRecord(list);
    const id = asString(record?.PrefixListId) ?? '?';
    peers.push({ set: taggedAddress(`prefix-list:${id}`), text: id, description: asString(record?.Description), line: json.lineOf(list) });
  }
  const protocolText = asString(permission.IpProtocol) === '-1' ? 'all' : asString(permission.IpProtocol);
  const portText = isAny ? '' : isIcmp ? ` type ${String(permission.FromPort ?? -1)}` : ` ${ports[0].start}-${ports[0].end}`;
  for (const peer of peers) {
    const rule: FirewallRule = createRule({
      id: `${direction === 'inbound' ? 'in' : 'out'}:${protocolText}${portText.replace(' ', ':')}:${peer.text}`,
      line: peer.line ?? line ?? chain.line,
      text: `${direction} ${protocolText}${portText} ${direction === 'inbound' ? 'from' : 'to'} ${peer.text}${peer.description ? ` "${peer.description}"` : ''}`,
      action: 'permit',
      actionText: 'allow',
    });
    rule.services = [{ ...anyService(), protocols, destinationPorts: ports }];
    if (isIcmp && permission.FromPort !== undefined && permission.FromPort !== -1) {
      rule.qualifiers.push(`icmp-type:${String(permission.FromPort)}/${String(permission.ToPort)}`);
    }
    if (direction === 'inbound') {
      rule.source = peer.set;
      rule.destination = anyAddress();
    } else {
      rule.destination = peer.set;
      rule.source = anyAddress();
    }
    applyDescription(rule, peer.description);
    rule.owner ??= metadata.owner;
    rule.lastReviewed ??= metadata.reviewed ? normalizeDate(metadata.reviewed.slice(0, 10)) : undefined;
    chain.rules.push(rule);
  }
}

export function parseAwsNetworkAcls(text: string, file: string): RuleSet {
  const ruleSet = createRuleSet('aws-nacl', file);
  const json = parseJsonWithLines(text, file);
  const acls = listAt(json.value, 'NetworkAcls', 'NetworkAclId');
  if (acls.length === 0 && !asRecord(json.value)?.NetworkAcls) {
    throw new CheckInputError('no NetworkAcls array / 找不到 NetworkAcls', file, 1);
  }
  for (const item of acls) {
    const acl = asRecord(item);
    const aclLine = json.lineOf(item) ?? 1;
    if (!acl) {
      throw new CheckInputError('network ACL is not an object / 網路 ACL 格式錯誤', file, aclLine);
    }
    const id = asString(acl.NetworkAclId) ?? '?';
    const entries = asArray(acl.Entries).map((entry) => ({ entry, record: asRecord(entry), line: json.lineOf(entry) ?? aclLine }));
    for (const direction of ['inbound', 'outbound'] as const) {
      const chain: RuleChain = {
        name: `${id} ${direction}`,
        kind: 'network-acl',
        direction,
        line: aclLine,
        rules: [],
        defaultAction: 'deny',
        defaultText: 'rule * (32767) denies whatever no numbered rule decides',
        isOrdered: true,
        isPacketFilter: true,
      };
      const own = entries.filter(({ record }) => (record?.Egress === true) === (direction === 'outbound'));
      const numbered = own
        .map((item) => {
          if (!item.record) {
            throw new CheckInputError('entry is not an object / 項目格式錯誤', file, item.line);
          }
          const number = Number(item.record.RuleNumber);
          if (!Number.isInteger(number) || number < 1 || number > 32767) {
            throw new CheckInputError(`bad RuleNumber / 規則編號錯誤: ${String(item.record.RuleNumber)}`, file, item.line);
          }
          return { ...item, record: item.record, number };
        })
        .sort((left, right) => left.number - right.number);
      for (const { record, line, number } of numbered) {
        const actionWord = asString(record.RuleAction) ?? '';
        if (actionWord !== 'allow' && actionWord !== 'deny') {
          throw new CheckInputError(`bad RuleAction / 動作錯誤: ${actionWord}`, file, line);
        }
        if (number === 32767) {
          chain.defaultAction = actionWord === 'allow' ? 'permit' : 'deny';
          chain.defaultText = `rule * (32767) ${actionWord}`;
          chain.defaultLine = line;
          continue;
        }
        const cidr = asString(record.CidrBlock) ?? asString(record.Ipv6CidrBlock);
        const peer = (cidr === undefined ? undefined : parseAddressText(cidr)) ?? fail(file, line, `bad CIDR / CIDR 錯誤: ${String(cidr)}`);
        const protocols = protocolOf(record.Protocol, file, line);
        const range = asRecord(record.PortRange);
        const isPortProtocol = protocols.length === 1 && [6, 17].includes(protocols[0].start) && protocols[0].start === protocols[0].end;
        const ports = isPortProtocol && range ? portsOf(range.From, range.To, file, line) : [...ANY_PORT];
        const protocolText = asString(record.Protocol) === '-1' ? 'all' : asString(record.Protocol);
        const rule = createRule({
          id: String(number),
          line,
          text: `${number} ${direction} ${actionWord} ${protocolText}${isPortProtocol && range ? ` ${ports[0].start}-${ports[0].end}` : ''} ${direction === 'inbound' ? 'from' : 'to'} ${cidr}`,
          action: actionWord === 'allow' ? 'permit' : 'deny',
          actionText: actionWord,
        });
        rule.services = [{ ...anyService(), protocols, destinationPorts: ports }];
        const icmp = asRecord(record.IcmpTypeCode);
        if (icmp && icmp.Type !== -1 && icmp.Type !== undefined) {
          rule.qualifiers.push(`icmp-type:${String(icmp.Type)}/${String(icmp.Code)}`);
        }
        if (direction === 'inbound') {
          rule.source = peer;
        } else {
          rule.destination = peer;
        }
        chain.rules.push(rule);
      }
      ruleSet.chains.push(chain);
    }
  }
  return numberRules(ruleSet);
}

function fail(file: string, line: number | undefined, message: string): never {
  throw new CheckInputError(message, file, line);
}
