/** Line splitting, quote-aware tokenising, dates and metadata conventions shared by the parsers. */
import { CheckInputError } from '../types.ts';
import type { FirewallRule, RuleSet, ServiceMatch } from './model.ts';
import { anyAddress } from './addresses.ts';
import { ANY_PORT, ANY_PROTOCOL } from './ports.ts';

/** Longest line a parser reads; longer lines are an input error (guards against binary garbage). */
export const MAX_LINE_LENGTH = 100_000;

export function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

/**
 * Splits a line into words; "double" and 'single' quotes group words (backslash escapes inside double
 * quotes). Throws CheckInputError on an unterminated quote.
 */
export function tokenizeLine(line: string, file: string, lineNumber: number): string[] {
  if (line.length > MAX_LINE_LENGTH) {
    throw new CheckInputError(`line longer than ${MAX_LINE_LENGTH} characters / 行過長`, file, lineNumber);
  }
  if (!line.includes('"') && !line.includes("'")) {
    return line.split(/[ \t]+/).filter((token) => token !== '');
  }
  const tokens: string[] = [];
  let current = '';
  let hasToken = false;
  let quote: '"' | "'" | undefined;
  for (let index = 0; index < line.length; index += 1) {
    const char = line[index];
    if (quote) {
      if (char === '\\' && quote === '"' && index + 1 < line.length) {
        current += line[index + 1];
        index += 1;
      } else if (char === quote) {
        quote = undefined;
      } else {
        current += char;
      }
    } else if (char === '"' || char === "'") {
      quote = char;
      hasToken = true;
    } else if (char === ' ' || char === '\t') {
      if (hasToken) {
        tokens.push(current);
        current = '';
        hasToken = false;
      }
    } else {
      current += char;
      hasToken = true;
    }
  }
  if (quote) {
    throw new CheckInputError(`unterminated quote / 引號未結束: ${line.slice(0, 120)}`, file, lineNumber);
  }
  if (hasToken) {
    tokens.push(current);
  }
  return tokens;
}

/** "2025-03-01", "2025/3/1", ROC "114/03/01" → "2025-03-01"; undefined otherwise. */
export function normalizeDate(text: string): string | undefined {
  const match = /^(\d{3,4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(text.trim());
  if (!match) {
    return undefined;
  }
  let year = Number(match[1]);
  if (match[1].length === 3) {
    year += 1911;
  }
  const month = Number(match[2]);
  const day = Number(match[3]);
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return undefined;
  }
  return date.toISOString().slice(0, 10);
}

const DATE_IN_TEXT = /(\d{3,4}[-/.]\d{1,2}[-/.]\d{1,2})/;
const REVIEW_WORD = /review|檢視|覆核|審查/i;

/**
 * A review date stated in a comment or remark: the line mentions a review ("reviewed", 檢視, 覆核)
 * and carries a date. Returns the ISO date or undefined.
 */
export function findReviewDate(text: string): string | undefined {
  if (text.length > 2000 || !REVIEW_WORD.test(text)) {
    return undefined;
  }
  const match = DATE_IN_TEXT.exec(text);
  return match ? normalizeDate(match[1]) : undefined;
}

/**
 * The metadata convention inside free-text comments/remarks/descriptions: "owner=alice" (or
 * "owner: alice") and "reviewed=2025-03-01" (or "last_reviewed", "review").
 */
export function readMetadataConvention(text: string): { owner?: string; lastReviewed?: string } {
  const result: { owner?: string; lastReviewed?: string } = {};
  if (text.length > 2000) {
    return result;
  }
  const owner = /(?:^|[\s;,(\[])owner\s*[=:]\s*([^\s;,)\]]+)/i.exec(text);
  if (owner) {
    result.owner = owner[1];
  }
  const reviewed = /(?:^|[\s;,(\[])(?:last[_-]?reviewed|reviewed|review)\s*[=:]\s*(\d{3,4}[-/.]\d{1,2}[-/.]\d{1,2})/i.exec(text);
  if (reviewed) {
    result.lastReviewed = normalizeDate(reviewed[1]);
  }
  return result;
}

/** Notes the latest review date of the rule set. */
export function noteReviewDate(ruleSet: RuleSet, date: string | undefined, line: number): void {
  if (date && (!ruleSet.reviewedAt || date > ruleSet.reviewedAt)) {
    ruleSet.reviewedAt = date;
    ruleSet.reviewedAtLine = line;
  }
}

export function anyService(): ServiceMatch {
  return {
    protocols: ANY_PROTOCOL.map((range) => ({ ...range })),
    sourcePorts: ANY_PORT.map((range) => ({ ...range })),
    destinationPorts: ANY_PORT.map((range) => ({ ...range })),
  };
}

/** A permit-everything rule to start from; parsers narrow the fields they read. */
export function createRule(fields: Pick<FirewallRule, 'id' | 'line' | 'text' | 'action' | 'actionText'>): FirewallRule {
  return {
    ...fields,
    position: 0,
    source: anyAddress(),
    destination: anyAddress(),
    services: [anyService()],
    qualifiers: [],
    isEnabled: true,
  };
}

/** Applies the owner/review convention of a free-text description to the rule. */
export function applyDescription(rule: FirewallRule, description: string | undefined): void {
  if (!description || !description.trim()) {
    return;
  }
  rule.description = rule.description ? `${rule.description} ${description.trim()}` : description.trim();
  const convention = readMetadataConvention(description);
  rule.owner ??= convention.owner;
  rule.lastReviewed ??= convention.lastReviewed;
}

/** Numbers the rules of each chain 1.. in their current order. */
export function numberRules(ruleSet: RuleSet): RuleSet {
  for (const chain of ruleSet.chains) {
    chain.rules.forEach((rule, index) => {
      rule.position = index + 1;
    });
  }
  return ruleSet;
}
