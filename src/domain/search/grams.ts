/**
 * Search terms for CJK text, which has no spaces between words: every pair of adjacent Han/kana
 * characters (a bigram) and every ASCII word (lower-cased) is a term. A query matches an item when all
 * the query's terms are in the item; the exact phrase is then confirmed on the text itself.
 */

const HAN = /[\u3400-\u9fff\uf900-\ufaff\u3040-\u30ff]/u;
const WORD = /[A-Za-z0-9]/;

/** Terms of a text with their counts. A single Han character on its own becomes a one-character term. */
export function extractTerms(text: string): Map<string, number> {
  const terms = new Map<string, number>();
  const add = (term: string) => terms.set(term, (terms.get(term) ?? 0) + 1);
  const chars = Array.from(text.normalize('NFKC'));
  let word = '';
  let previousHan: string | null = null;
  const flushWord = () => {
    if (word) {
      add(word.toLowerCase());
      word = '';
    }
  };
  for (const char of chars) {
    if (HAN.test(char)) {
      flushWord();
      add(char);
      if (previousHan !== null) {
        add(previousHan + char);
      }
      previousHan = char;
    } else {
      previousHan = null;
      if (WORD.test(char)) {
        word += char;
      } else {
        flushWord();
      }
    }
  }
  flushWord();
  return terms;
}

/** Terms a query needs: bigrams of each Han run (the character itself for a one-character run), ASCII words. */
export function queryTerms(query: string): string[] {
  const all = extractTerms(query);
  const hanRuns = query.normalize('NFKC').match(/[\u3400-\u9fff\uf900-\ufaff\u3040-\u30ff]+/gu) ?? [];
  const needed = new Set<string>();
  for (const run of hanRuns) {
    const chars = Array.from(run);
    if (chars.length === 1) {
      needed.add(chars[0]);
    }
    for (let index = 1; index < chars.length; index += 1) {
      needed.add(chars[index - 1] + chars[index]);
    }
  }
  for (const term of all.keys()) {
    if (!HAN.test(term)) {
      needed.add(term);
    }
  }
  return [...needed];
}

/** The phrases of a query (split on white space), normalised, for exact confirmation and highlighting. */
export function queryPhrases(query: string): string[] {
  return query
    .normalize('NFKC')
    .split(/\s+/)
    .map((part) => part.trim())
    .filter(Boolean);
}

/** Splits `text` into plain and highlighted segments where any phrase occurs (case-insensitive). */
export function highlight(text: string, phrases: string[]): { text: string; hit: boolean }[] {
  if (phrases.length === 0) {
    return [{ text, hit: false }];
  }
  const escaped = phrases.map((phrase) => phrase.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const pattern = new RegExp(`(${escaped.join('|')})`, 'giu');
  const segments: { text: string; hit: boolean }[] = [];
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    const start = match.index ?? 0;
    if (start > last) {
      segments.push({ text: text.slice(last, start), hit: false });
    }
    segments.push({ text: text.slice(start, start + match[0].length), hit: true });
    last = start + match[0].length;
  }
  if (last < text.length) {
    segments.push({ text: text.slice(last), hit: false });
  }
  return segments;
}
