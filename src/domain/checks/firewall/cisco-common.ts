/** Pieces shared by the Cisco IOS and ASA parsers: config blocks and how ACLs are referenced. */
import { CheckInputError } from '../types.ts';
import type { RuleChain, RuleSet } from './model.ts';
import { findReviewDate, MAX_LINE_LENGTH, noteReviewDate, splitLines } from './parse-helpers.ts';

export interface ConfigLine {
  words: string[];
  line: number;
  raw: string;
}

export interface ConfigStatement extends ConfigLine {
  children: ConfigLine[];
}

/**
 * Top-level statements with their indented children. "!" and ":" lines are comments (a review date in
 * one is noted on the rule set).
 */
export function collectStatements(text: string, file: string, ruleSet: RuleSet): ConfigStatement[] {
  const statements: ConfigStatement[] = [];
  const lines = splitLines(text);
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index];
    const lineNumber = index + 1;
    if (line.length > MAX_LINE_LENGTH) {
      throw new CheckInputError(`line longer than ${MAX_LINE_LENGTH} characters / 行過長`, file, lineNumber);
    }
    const trimmed = line.trim();
    if (trimmed === '') {
      continue;
    }
    if (trimmed.startsWith('!') || trimmed.startsWith(':') || trimmed.startsWith('#')) {
      noteReviewDate(ruleSet, findReviewDate(trimmed), lineNumber);
      continue;
    }
    const entry: ConfigLine = { words: trimmed.split(/\s+/), line: lineNumber, raw: trimmed };
    const isIndented = line[0] === ' ' || line[0] === '\t';
    if (isIndented && statements.length > 0) {
      statements[statements.length - 1].children.push(entry);
    } else {
      statements.push({ ...entry, children: [] });
    }
  }
  return statements;
}

/** Text after the first `count` words of a line, as written. */
export function restAfterWords(raw: string, count: number): string {
  let rest = raw.trim();
  for (let index = 0; index < count; index += 1) {
    rest = rest.replace(/^\S+\s*/, '');
  }
  return rest;
}

export type AclUse = 'filter' | 'route-map' | 'nat' | 'crypto' | 'other';

/** Records one use of an ACL name. */
export function addAclUse(uses: Map<string, Set<AclUse>>, name: string, use: AclUse): void {
  const set = uses.get(name) ?? new Set<AclUse>();
  set.add(use);
  uses.set(name, set);
}

/**
 * Marks ACLs used only to classify traffic (route maps, NAT, crypto) as not packet filters, and sets
 * the direction of ACLs applied in one direction only.
 */
export function applyAclUses(chains: RuleChain[], uses: Map<string, Set<AclUse>>, directions: Map<string, Set<string>>): void {
  for (const chain of chains) {
    const set = uses.get(chain.name);
    if (set && !set.has('filter') && set.size > 0) {
      const kinds = [...set].join(', ');
      chain.isPacketFilter = false;
      chain.notFilterReason = `僅被 ${kinds} 引用，用於分類流量而非過濾封包`;
      chain.notFilterReasonEn = `referenced only by ${kinds}, which classify traffic rather than filter packets`;
    }
    const direction = directions.get(chain.name);
    if (direction && direction.size === 1) {
      chain.direction = direction.has('in') ? 'inbound' : 'outbound';
    }
  }
}

/** "(5 matches)" (IOS show access-lists) or "(hitcnt=5)" (ASA show access-list). */
export function readHitCount(words: string[]): { words: string[]; hitCount?: number } {
  const joined = words.join(' ');
  const ios = /\((\d{1,20}) match(?:es)?\)/.exec(joined);
  const asa = /\(hitcnt=(\d{1,20})\)/.exec(joined);
  const hit = ios ?? asa;
  if (!hit) {
    return { words };
  }
  const cut = words.findIndex((word) => word.startsWith('(') && (word.startsWith('(hitcnt=') || /^\(\d+$/.test(word)));
  return { words: cut >= 0 ? words.slice(0, cut) : words, hitCount: Number(hit[1]) };
}
