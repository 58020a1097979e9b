/**
 * The documented CSV rule export (see README.md). One row per rule, header row required
 * (case-insensitive, in any order):
 *
 *   name          rule name (required)
 *   action        permit | allow | accept | deny | drop | reject (required)
 *   protocol      tcp | udp | icmp | any | a protocol number | tcp/udp; several separated by ";"
 *   source        addresses separated by ";" or spaces: any, 10.0.0.0/8, 10.0.0.1-10.0.0.9, IPv6
 *   destination   as source
 *   ports         destination ports: any, 22, 80;443, 1000-2000
 *   enabled       yes/no, true/false, 1/0, enabled/disabled (default yes)
 *   owner         person or team responsible
 *   description   why the rule exists (request/ticket)
 *   last_reviewed date of the last review: 2025-03-01, 2025/3/1 or ROC 114/03/01
 *   optional:     chain (default "csv"), sequence (evaluation order; default file order),
 *                 source_ports, hit_count, direction (inbound/outbound)
 *
 * Lines starting with "#" are comments; "# reviewed 2025-03-01" states the review date of the set.
 * The default action is unknown unless the last row of a chain denies everything.
 */
import { parse } from 'csv-parse/sync';
import { CheckInputError } from '../types.ts';
import type { AddressSet, NumberRange, RuleChain, RuleSet } from './model.ts';
import { createRuleSet } from './model.ts';
import { anyAddress, parseAddressText, unionAddressSets } from './addresses.ts';
import { ANY_PORT, parsePortList, parseProtocol } from './ports.ts';
import { anyService, createRule, findReviewDate, normalizeDate, noteReviewDate, numberRules, splitLines } from './parse-helpers.ts';
import { normalizeRanges } from './addresses.ts';

export const CSV_COLUMNS = ['name', 'action', 'protocol', 'source', 'destination', 'ports', 'enabled', 'owner', 'description', 'last_reviewed'] as const;
export const CSV_OPTIONAL_COLUMNS = ['chain', 'sequence', 'source_ports', 'hit_count', 'direction'] as const;
const REQUIRED = ['name', 'action'];

const TRUE_WORDS = new Set(['yes', 'y', 'true', '1', 'enabled', 'enable', 'on', '是', '啟用']);
const FALSE_WORDS = new Set(['no', 'n', 'false', '0', 'disabled', 'disable', 'off', '否', '停用']);

function splitList(value: string): string[] {
  return value
    .split(/[;\s]+/)
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

export function parseFirewallCsv(text: string, file: string): RuleSet {
  const ruleSet = createRuleSet('csv', file);
  ruleSet.metadataFields = { description: true, owner: true, reviewDate: true };
  splitLines(text).forEach((line, index) => {
    if (line.trimStart().startsWith('#')) {
      noteReviewDate(ruleSet, findReviewDate(line), index + 1);
    }
  });
  let rows: Array<{ record: string[]; info: { lines: number } }>;
  try {
    rows = parse(text, { info: true, comment: '#', skip_empty_lines: true, bom: true, trim: true, relax_column_count: false }) as unknown as Array<{
      record: string[];
      info: { lines: number };
    }>;
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    throw new CheckInputError(`not valid CSV / CSV 格式錯誤: ${error instanceof Error ? error.message.slice(0, 160) : String(error)}`, file, line);
  }
  if (rows.length === 0) {
    throw new CheckInputError('empty CSV: a header row is required / CSV 無內容：需要標題列', file, 1);
  }
  const header = rows[0].record.map((cell) => cell.toLowerCase().replace(/[\s-]+/g, '_'));
  for (const column of REQUIRED) {
    if (!header.includes(column)) {
      throw new CheckInputError(`missing column ${column} / 缺少欄位 ${column}`, file, rows[0].info.lines);
    }
  }
  const known = new Set<string>([...CSV_COLUMNS, ...CSV_OPTIONAL_COLUMNS]);
  const unknownColumns = header.filter((column) => !known.has(column));
  if (unknownColumns.length > 0) {
    ruleSet.unknowns.push({ line: rows[0].info.lines, text: unknownColumns.join(','), reason: `未定義的欄位已略過：${unknownColumns.join('、')}`, reasonEn: `columns not defined by the format were ignored: ${unknownColumns.join(', ')}` });
  }
  const chains = new Map<string, { chain: RuleChain; rows: Array<{ sequence: number; order: number; rule: ReturnType<typeof createRule> }> }>();

  rows.slice(1).forEach(({ record, info }, order) => {
    const line = info.lines;
    const cell = (column: string) => {
      const at = header.indexOf(column);
      return at >= 0 ? (record[at] ?? '').trim() : '';
    };
    const fail = (message: string): never => {
      throw new CheckInputError(message, file, line);
    };
    const name = cell('name') || fail('name is empty / 名稱為空');
    const actionWord = cell('action').toLowerCase();
    const action = ['permit', 'allow', 'accept'].includes(actionWord) ? 'permit' : ['deny', 'drop', 'reject', 'block'].includes(actionWord) ? 'deny' : fail(`bad action / 動作錯誤: "${cell('action')}"`);
    const rule = createRule({ id: name, line, text: record.join(','), action, actionText: actionWord });
    const readAddresses = (column: string): AddressSet => {
      const items = splitList(cell(column));
      if (items.length === 0 || items.some((item) => item.toLowerCase() === 'any' || item === '*')) {
        return anyAddress();
      }
      return unionAddressSets(items.map((item) => parseAddressText(item) ?? fail(`bad address in ${column} / ${column} 位址錯誤: "${item}"`)));
    };
    const readPorts = (column: string): NumberRange[] => {
      const items = splitList(cell(column));
      if (items.length === 0 || items.some((item) => item.toLowerCase() === 'any' || item === '*')) {
        return [...ANY_PORT];
      }
      return normalizeRanges(items.flatMap((item) => parsePortList(item) ?? fail(`bad port in ${column} / ${column} 埠號錯誤: "${item}"`)));
    };
    const protocolItems = splitList(cell('protocol').replace(/,/g, ';'));
    const protocols = protocolItems.length === 0 ? [{ start: 0, end: 255 }] : normalizeRanges(protocolItems.flatMap((item) => parseProtocol(item) ?? fail(`bad protocol / 協定錯誤: "${item}"`)));
    rule.source = readAddresses('source');
    rule.destination = readAddresses('destination');
    rule.services = [{ ...anyService(), protocols, destinationPorts: readPorts('ports'), sourcePorts: readPorts('source_ports') }];
    const enabled = cell('enabled').toLowerCase();
    if (enabled !== '') {
      rule.isEnabled = TRUE_WORDS.has(enabled) ? true : FALSE_WORDS.has(enabled) ? false : fail(`bad enabled value / enabled 值錯誤: "${cell('enabled')}"`);
    }
    rule.owner = cell('owner') || undefined;
    rule.description = cell('description') || undefined;
    const reviewed = cell('last_reviewed');
    if (reviewed) {
      rule.lastReviewed = normalizeDate(reviewed) ?? fail(`bad last_reviewed date / 檢視日期錯誤: "${reviewed}"`);
    }
    const hits = cell('hit_count');
    if (hits) {
      rule.hitCount = /^\d{1,15}$/.test(hits) ? Number(hits) : fail(`bad hit_count / 命中次數錯誤: "${hits}"`);
      ruleSet.hasHitCounts = true;
    }
    const sequenceText = cell('sequence');
    const sequence = sequenceText === '' ? order : /^\d{1,9}$/.test(sequenceText) ? Number(sequenceText) : fail(`bad sequence / 順序錯誤: "${sequenceText}"`);
    const chainName = cell('chain') || 'csv';
    let entry = chains.get(chainName);
    if (!entry) {
      const direction = cell('direction').toLowerCase();
      entry = {
        rows: [],
        chain: {
          name: chainName,
          kind: 'csv',
          direction: direction === 'inbound' || direction === 'outbound' ? direction : undefined,
          line,
          rules: [],
          defaultAction: 'unknown',
          defaultText: 'the CSV does not state a default; add a final deny-all row',
          isOrdered: true,
          isPacketFilter: true,
        },
      };
      chains.set(chainName, entry);
      ruleSet.chains.push(entry.chain);
    }
    entry.rows.push({ sequence, order, rule });
  });
  for (const { chain, rows: chainRows } of chains.values()) {
    chain.rules = chainRows.sort((left, right) => left.sequence - right.sequence || left.order - right.order).map((row) => row.rule);
  }
  return numberRules(ruleSet);
}
