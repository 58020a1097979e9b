/**
 * iptables-save / ip6tables-save output (with or without -c counters), and the same rules written as
 * `iptables -A …` / `-P` / `-N` script lines. Only the filter table filters packets; other tables are
 * kept but marked as not packet filters.
 */
import { CheckInputError } from '../types.ts';
import type { AddressSet, FirewallRule, NumberRange, RuleChain, RuleSet } from './model.ts';
import { createRuleSet } from './model.ts';
import {
  anyIpv4,
  anyIpv6,
  complementAddressSet,
  complementRanges,
  parseAddressText,
  unionAddressSets,
} from './addresses.ts';
import { parsePortList, parseProtocol } from './ports.ts';
import {
  applyDescription,
  createRule,
  findReviewDate,
  noteReviewDate,
  numberRules,
  splitLines,
  tokenizeLine,
} from './parse-helpers.ts';

const BUILT_IN_CHAINS = new Set(['INPUT', 'FORWARD', 'OUTPUT', 'PREROUTING', 'POSTROUTING']);
const KNOWN_MODULES = new Set([
  'tcp', 'udp', 'icmp', 'icmp6', 'icmpv6', 'sctp', 'multiport', 'state', 'conntrack', 'comment', 'iprange',
  'limit', 'recent', 'set', 'mac', 'owner', 'physdev', 'pkttype', 'tcpmss', 'length', 'ttl', 'hl', 'hashlimit',
  'connlimit', 'mark', 'connmark', 'dscp', 'tos', 'addrtype', 'string', 'time', 'policy', 'rt', 'frag', 'ah', 'esp',
]);
/** Match options with no value. */
const FLAG_OPTIONS = new Set(['--syn', '--set', '--rcheck', '--update', '--remove', '--rsource', '--rdest', '--physdev-is-bridged', '--physdev-is-in', '--physdev-is-out', '-f', '--fragment']);
const NO_TABLE = '';

function readCounters(token: string): number | undefined {
  const match = /^\[(\d{1,20}):(\d{1,20})\]$/.exec(token);
  return match ? Number(match[1]) : undefined;
}

function describeTable(table: string): { reason: string; reasonEn: string } | undefined {
  if (table === 'filter' || table === NO_TABLE) {
    return undefined;
  }
  return {
    reason: `${table} 表不是封包過濾表，不納入過濾規則分析`,
    reasonEn: `the ${table} table does not filter packets; it is left out of the filtering analysis`,
  };
}

export function parseIptables(text: string, file: string): RuleSet {
  const ruleSet = createRuleSet('iptables', file);
  ruleSet.metadataFields.description = true;
  const isIpv6 = /ip6tables/.test(text.slice(0, 2000)) || /\s-[sd]\s+[0-9a-fA-F]{0,4}:[0-9a-fA-F:]*[:/]/.test(text);
  const anyFamily = (): AddressSet => (isIpv6 ? anyIpv6() : anyIpv4());
  const families = { v4: !isIpv6, v6: isIpv6 };
  let table = NO_TABLE;
  let chains = new Map<string, RuleChain>();

  const declareChain = (name: string, policy: string, line: number): RuleChain => {
    const key = `${table}:${name}`;
    const existing = chains.get(key);
    const notFilter = describeTable(table);
    const chain: RuleChain = existing ?? {
      name: table && table !== 'filter' ? `${table}/${name}` : name,
      kind: 'chain',
      direction: name === 'INPUT' ? 'inbound' : name === 'OUTPUT' ? 'outbound' : undefined,
      line,
      rules: [],
      defaultAction: 'unknown',
      defaultText: 'no policy stated',
      isOrdered: true,
      isPacketFilter: notFilter === undefined,
      notFilterReason: notFilter?.reason,
      notFilterReasonEn: notFilter?.reasonEn,
    };
    if (policy === '-' || (!BUILT_IN_CHAINS.has(name) && policy === '')) {
      chain.defaultAction = 'return';
      chain.defaultText = 'user chain: returns to the calling chain';
    } else if (policy) {
      const upper = policy.toUpperCase();
      chain.defaultAction = upper === 'ACCEPT' ? 'permit' : upper === 'DROP' || upper === 'REJECT' ? 'deny' : 'unknown';
      chain.defaultText = `policy ${upper}`;
      chain.defaultLine = line;
    }
    if (!existing) {
      chains.set(key, chain);
      ruleSet.chains.push(chain);
    }
    return chain;
  };

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
    if (raw.startsWith('*')) {
      table = raw.slice(1).trim();
      if (!/^[a-z]{1,20}$/.test(table)) {
        throw new CheckInputError(`bad table name / 表名稱錯誤: ${raw}`, file, lineNumber);
      }
      chains = new Map();
      continue;
    }
    if (raw === 'COMMIT') {
      table = NO_TABLE;
      chains = new Map();
      continue;
    }
    if (raw.startsWith(':')) {
      const match = /^:(\S{1,64})\s+(\S{1,16})(?:\s+\[\d{1,20}:\d{1,20}\])?$/.exec(raw);
      if (!match) {
        throw new CheckInputError(`bad chain declaration / 鏈宣告格式錯誤: ${raw.slice(0, 120)}`, file, lineNumber);
      }
      declareChain(match[1], match[2], lineNumber);
      continue;
    }
    let tokens = tokenizeLine(raw, file, lineNumber);
    if (tokens[0] === 'iptables' || tokens[0] === 'ip6tables' || tokens[0] === 'sudo') {
      tokens = tokens.slice(tokens[0] === 'sudo' ? 2 : 1);
    }
    if ((tokens[0] === '-t' || tokens[0] === '--table') && tokens[1]) {
      if (tokens[1] !== table && chains.size > 0 && table !== NO_TABLE) {
        chains = new Map();
      }
      table = tokens[1] === 'filter' ? NO_TABLE : tokens[1];
      tokens = tokens.slice(2);
    }
    let hitCount: number | undefined;
    const counters = tokens[0] === undefined ? undefined : readCounters(tokens[0]);
    if (counters !== undefined) {
      hitCount = counters;
      tokens = tokens.slice(1);
    }
    const command = tokens[0];
    if (command === '-P' || command === '--policy') {
      if (!tokens[1] || !tokens[2]) {
        throw new CheckInputError('policy needs a chain and a target / -P 需要鏈與目標', file, lineNumber);
      }
      declareChain(tokens[1], tokens[2], lineNumber);
      continue;
    }
    if (command === '-N' || command === '--new-chain') {
      if (!tokens[1]) {
        throw new CheckInputError('-N needs a chain name / -N 需要鏈名稱', file, lineNumber);
      }
      declareChain(tokens[1], '-', lineNumber);
      continue;
    }
    if (command !== '-A' && command !== '--append' && command !== '-I' && command !== '--insert') {
      throw new CheckInputError(`not an iptables-save line / 非 iptables-save 格式: ${raw.slice(0, 120)}`, file, lineNumber);
    }
    const chainName = tokens[1];
    if (!chainName || chainName.startsWith('-')) {
      throw new CheckInputError('rule without a chain name / 規則缺少鏈名稱', file, lineNumber);
    }
    let chain = chains.get(`${table}:${chainName}`);
    if (!chain) {
      if (table !== NO_TABLE && !BUILT_IN_CHAINS.has(chainName)) {
        throw new CheckInputError(`chain ${chainName} is not declared / 鏈 ${chainName} 未宣告`, file, lineNumber);
      }
      chain = declareChain(chainName, BUILT_IN_CHAINS.has(chainName) ? '' : '-', lineNumber);
    }
    let start = 2;
    if ((command === '-I' || command === '--insert') && /^\d+$/.test(tokens[2] ?? '')) {
      start = 3;
    }
    const rule = parseRuleTokens(tokens.slice(start), {
      file,
      lineNumber,
      raw,
      ruleSet,
      anyFamily,
      families,
      id: `${chainName}#${chain.rules.length + 1}`,
    });
    if (hitCount !== undefined) {
      rule.hitCount = hitCount;
      ruleSet.hasHitCounts = true;
    }
    if (command === '-I' || command === '--insert') {
      chain.rules.unshift(rule);
    } else {
      chain.rules.push(rule);
    }
  }
  return numberRules(ruleSet);
}

interface RuleContext {
  file: string;
  lineNumber: number;
  raw: string;
  ruleSet: RuleSet;
  anyFamily: () => AddressSet;
  families: { v4: boolean; v6: boolean };
  id: string;
}

function parseRuleTokens(tokens: string[], context: RuleContext): FirewallRule {
  const { file, lineNumber } = context;
  const rule = createRule({ id: context.id, line: lineNumber, text: context.raw, action: 'other', actionText: '' });
  rule.source = context.anyFamily();
  rule.destination = context.anyFamily();
  let negate = false;
  let hasTarget = false;
  const fail = (message: string): never => {
    throw new CheckInputError(message, file, lineNumber);
  };
  const valueAt = (at: number, option: string): string => {
    const value = tokens[at];
    if (value === undefined) {
      fail(`${option} needs a value / ${option} 缺少參數`);
    }
    return value!;
  };
  const readAddress = (value: string, option: string): AddressSet => {
    const sets = value.split(',').map((piece) => parseAddressText(piece));
    if (sets.some((set) => set === undefined)) {
      fail(`bad address after ${option} / 位址格式錯誤: ${value}`);
    }
    return unionAddressSets(sets as AddressSet[]);
  };
  const readPorts = (value: string, option: string): NumberRange[] => {
    const ranges = parsePortList(value);
    if (!ranges) {
      fail(`bad port after ${option} / 埠號格式錯誤: ${value}`);
    }
    return ranges!;
  };
  const negatePorts = (ranges: NumberRange[]) => complementRanges(ranges, 65535);

  for (let at = 0; at < tokens.length; at += 1) {
    let token = tokens[at];
    if (token === '!') {
      negate = true;
      continue;
    }
    const isNegated = negate;
    negate = false;
    // Old syntax: -s ! 10.0.0.0/8
    const takeValue = (option: string): { value: string; isNegated: boolean } => {
      let value = valueAt(at + 1, option);
      at += 1;
      if (value === '!') {
        value = valueAt(at + 1, option);
        at += 1;
        return { value, isNegated: true };
      }
      return { value, isNegated };
    };
    if (hasTarget && token.startsWith('--')) {
      // Target options (--reject-with, --log-prefix "x", --to-destination …): skip their values.
      while (tokens[at + 1] !== undefined && !tokens[at + 1].startsWith('-')) {
        at += 1;
      }
      continue;
    }
    switch (token) {
      case '-s':
      case '--source':
      case '--src':
      case '-d':
      case '--destination':
      case '--dst': {
        const { value, isNegated: negated } = takeValue(token);
        let set = readAddress(value, token);
        if (negated) {
          set = complementAddressSet(set, context.families);
        }
        if (token === '-s' || token === '--source' || token === '--src') {
          rule.source = set;
        } else {
          rule.destination = set;
        }
        break;
      }
      case '--src-range':
      case '--dst-range': {
        const { value, isNegated: negated } = takeValue(token);
        let set = parseAddressText(value) ?? fail(`bad address range / 位址範圍錯誤: ${value}`);
        if (negated) {
          set = complementAddressSet(set, context.families);
        }
        if (token === '--src-range') {
          rule.source = set;
        } else {
          rule.destination = set;
        }
        break;
      }
      case '-p':
      case '--protocol': {
        const { value, isNegated: negated } = takeValue(token);
        const protocols = parseProtocol(value) ?? fail(`unknown protocol / 未知協定: ${value}`);
        rule.services[0].protocols = negated ? complementRanges(protocols, 255) : protocols;
        break;
      }
      case '--dport':
      case '--destination-port':
      case '--dports':
      case '--destination-ports': {
        const { value, isNegated: negated } = takeValue(token);
        const ranges = readPorts(value, token);
        rule.services[0].destinationPorts = negated ? negatePorts(ranges) : ranges;
        break;
      }
      case '--sport':
      case '--source-port':
      case '--sports':
      case '--source-ports': {
        const { value, isNegated: negated } = takeValue(token);
        const ranges = readPorts(value, token);
        rule.services[0].sourcePorts = negated ? negatePorts(ranges) : ranges;
        break;
      }
      case '-i':
      case '--in-interface':
      case '-o':
      case '--out-interface': {
        const { value, isNegated: negated } = takeValue(token);
        const side = token === '-i' || token === '--in-interface' ? 'in' : 'out';
        rule.qualifiers.push(`${side}:${negated ? '!' : ''}${value}`);
        break;
      }
      case '-m':
      case '--match': {
        const { value } = takeValue(token);
        if (!KNOWN_MODULES.has(value)) {
          context.ruleSet.unknowns.push({
            line: lineNumber,
            text: context.raw,
            reason: `無法判斷比對模組 ${value} 的效果，規則視為較窄的條件`,
            reasonEn: `match module ${value} is not understood; the rule is treated as narrower`,
          });
          rule.qualifiers.push(`module:${value}`);
        }
        break;
      }
      case '--state':
      case '--ctstate': {
        const { value, isNegated: negated } = takeValue(token);
        rule.qualifiers.push(`state:${negated ? '!' : ''}${value}`);
        break;
      }
      case '--comment': {
        const { value } = takeValue(token);
        applyDescription(rule, value);
        break;
      }
      case '--ports': {
        const { value, isNegated: negated } = takeValue(token);
        readPorts(value, token);
        rule.qualifiers.push(`ports:${negated ? '!' : ''}${value}`);
        break;
      }
      case '-j':
      case '--jump':
      case '-g':
      case '--goto': {
        const { value } = takeValue(token);
        hasTarget = true;
        rule.actionText = value;
        const upper = value.toUpperCase();
        rule.action =
          token.startsWith('-g') || token === '--goto'
            ? 'other'
            : upper === 'ACCEPT'
              ? 'permit'
              : upper === 'DROP' || upper === 'REJECT'
                ? 'deny'
                : upper === 'RETURN'
                  ? 'return'
                  : 'other';
        break;
      }
      case '-c':
      case '--set-counters': {
        const packets = valueAt(at + 1, token);
        valueAt(at + 2, token);
        at += 2;
        if (!/^\d{1,20}$/.test(packets)) {
          fail(`bad counters / 計數格式錯誤: ${packets}`);
        }
        rule.hitCount = Number(packets);
        context.ruleSet.hasHitCounts = true;
        break;
      }
      default: {
        if (!token.startsWith('-')) {
          fail(`unexpected word / 無法解析的字詞: ${token}`);
        }
        if (FLAG_OPTIONS.has(token)) {
          rule.qualifiers.push(`${isNegated ? '!' : ''}${token}`);
          break;
        }
        // A match option with values (--icmp-type 8, --tcp-flags SYN,ACK SYN, --limit 5/min …).
        const values: string[] = [];
        while (tokens[at + 1] !== undefined && !tokens[at + 1].startsWith('-') && tokens[at + 1] !== '!') {
          values.push(tokens[at + 1]);
          at += 1;
        }
        rule.qualifiers.push(`${isNegated ? '!' : ''}${token} ${values.join(' ')}`.trim());
        token = '';
      }
    }
  }
  if (!hasTarget) {
    rule.actionText = '(no target)';
  }
  return rule;
}
