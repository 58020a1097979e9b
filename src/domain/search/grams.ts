/**
 * Search terms for CJK text, which has no spaces between words: every pair of adjacent Han/kana
 * characters (a bigram) and every ASCII word (lower-cased) is a term. A query matches an item when all
 * the query's terms are in the item; the exact phrase is then confirmed on the text itself.
 *
 * Text and queries are folded first (`foldForSearch`): NFKC, lower case, and variant characters to one
 * form (臺/台, 身分/身份 …), so either spelling finds both. Only the index and the comparison are folded;
 * stored and displayed text stays verbatim.
 */

/** Bump when folding or term extraction changes, so stored search indexes are rebuilt. */
export const SEARCH_INDEX_VERSION = 2;

/** Variant characters that the sources (and users) write either way, mapped to one form. */
const VARIANT_CHARACTERS: Record<string, string> = {
  台: '臺', 綫: '線', 衆: '眾', 爲: '為', 啓: '啟', 裏: '裡', 峯: '峰', 羣: '群', 墻: '牆', 賬: '帳',
};

/** Variant spellings that are only variants inside a word (份 alone is not 分). Same length both sides. */
const VARIANT_WORDS: [string, string][] = [['身份', '身分']];

/**
 * Folds `text` for comparison. Returns the folded string and, for each of its UTF-16 units, the index in
 * `text` of the code point it came from, so a match in the folded text maps back to the verbatim text.
 */
export function foldWithOffsets(text: string): { folded: string; offsets: number[] } {
  const pieces: { text: string; at: number }[] = [];
  let at = 0;
  for (const char of text) {
    const normal = char.normalize('NFKC').toLowerCase();
    pieces.push({ text: VARIANT_CHARACTERS[normal] ?? normal, at });
    at += char.length;
  }
  for (const [variant, canonical] of VARIANT_WORDS) {
    const from = Array.from(variant);
    const to = Array.from(canonical);
    for (let index = 0; index + from.length <= pieces.length; index += 1) {
      if (from.every((char, offset) => pieces[index + offset].text === char)) {
        to.forEach((char, offset) => (pieces[index + offset].text = char));
      }
    }
  }
  let folded = '';
  const offsets: number[] = [];
  for (const piece of pieces) {
    folded += piece.text;
    for (let unit = 0; unit < piece.text.length; unit += 1) offsets.push(piece.at);
  }
  offsets.push(text.length);
  return { folded, offsets };
}

/** `text` folded for search: NFKC, lower case, variant characters unified. */
export function foldForSearch(text: string): string {
  return foldWithOffsets(text).folded;
}

const HAN = /[\u3400-\u9fff\uf900-\ufaff\u3040-\u30ff]/u;
const WORD = /[A-Za-z0-9]/;

/** Terms of a text with their counts. A single Han character on its own becomes a one-character term. */
export function extractTerms(text: string): Map<string, number> {
  const terms = new Map<string, number>();
  const add = (term: string) => terms.set(term, (terms.get(term) ?? 0) + 1);
  const chars = Array.from(foldForSearch(text));
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
  const hanRuns = foldForSearch(query).match(/[\u3400-\u9fff\uf900-\ufaff\u3040-\u30ff]+/gu) ?? [];
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

/** The phrases of a query (split on white space), folded, for exact confirmation and highlighting. */
export function queryPhrases(query: string): string[] {
  return foldForSearch(query)
    .split(/\s+/)
    .map((part) => part.trim())
    .filter(Boolean);
}

/**
 * Splits `text` into plain and highlighted segments where any phrase occurs, compared folded (case and
 * variant characters ignored); the segments carry the verbatim text.
 */
export function highlight(text: string, phrases: string[]): { text: string; hit: boolean }[] {
  const folded = phrases.map(foldForSearch).filter(Boolean);
  if (folded.length === 0) {
    return [{ text, hit: false }];
  }
  const { folded: haystack, offsets } = foldWithOffsets(text);
  const escaped = folded.map((phrase) => phrase.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const pattern = new RegExp(`(${escaped.join('|')})`, 'gu');
  const segments: { text: string; hit: boolean }[] = [];
  let last = 0;
  for (const match of haystack.matchAll(pattern)) {
    const start = offsets[match.index ?? 0];
    const end = offsets[(match.index ?? 0) + match[0].length];
    if (end <= start) continue;
    if (start > last) {
      segments.push({ text: text.slice(last, start), hit: false });
    }
    segments.push({ text: text.slice(start, end), hit: true });
    last = end;
  }
  if (last < text.length) {
    segments.push({ text: text.slice(last), hit: false });
  }
  return segments;
}
