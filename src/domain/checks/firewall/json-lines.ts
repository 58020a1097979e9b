/**
 * JSON with line numbers: JSON.parse gives the value (and the position of a syntax error); the yaml
 * library (JSON is YAML) gives the line where each object and array starts.
 */
import { isMap, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { CheckInputError } from '../types.ts';

const MAX_DEPTH = 200;

export interface JsonWithLines {
  value: unknown;
  /** 1-based line where the object or array starts, when known. */
  lineOf(value: unknown): number | undefined;
}

function lineOfPosition(text: string, position: number): number {
  let line = 1;
  for (let index = 0; index < position && index < text.length; index += 1) {
    if (text[index] === '\n') {
      line += 1;
    }
  }
  return line;
}

/**
 * Where JSON.parse gave up, for engines whose message has no position (Node 20): a linear scan that
 * checks the JSON grammar with an explicit stack and returns the offset of the first error.
 */
function findJsonErrorPosition(text: string): number {
  let at = 0;
  const skipSpace = () => {
    while (at < text.length && (text[at] === ' ' || text[at] === '\n' || text[at] === '\r' || text[at] === '\t')) {
      at += 1;
    }
  };
  const readString = (): boolean => {
    at += 1;
    while (at < text.length && text[at] !== '"') {
      if (text[at] === '\\') {
        at += 1;
      } else if (text.charCodeAt(at) < 0x20) {
        return false;
      }
      at += 1;
    }
    if (at >= text.length) {
      return false;
    }
    at += 1;
    return true;
  };
  const readScalar = (): boolean => {
    const match = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(at, at + 400));
    if (!match) {
      return false;
    }
    at += match[0].length;
    return true;
  };
  // Stack of open containers; "expect" says what may come next.
  const stack: Array<'{' | '['> = [];
  let expect: 'value' | 'key' | 'after-value' | 'first-key' | 'first-value' = 'value';
  while (true) {
    skipSpace();
    if (at >= text.length) {
      return stack.length === 0 && expect === 'after-value' ? at : text.length;
    }
    const char = text[at];
    if (expect === 'value' || expect === 'first-value') {
      if (expect === 'first-value' && char === ']') {
        stack.pop();
        at += 1;
        expect = 'after-value';
      } else if (char === '{') {
        stack.push('{');
        at += 1;
        expect = 'first-key';
      } else if (char === '[') {
        stack.push('[');
        at += 1;
        expect = 'first-value';
      } else if (char === '"' ? readString() : readScalar()) {
        expect = 'after-value';
      } else {
        return at;
      }
    } else if (expect === 'key' || expect === 'first-key') {
      if (expect === 'first-key' && char === '}') {
        stack.pop();
        at += 1;
        expect = 'after-value';
        continue;
      }
      if (char !== '"' || !readString()) {
        return at;
      }
      skipSpace();
      if (text[at] !== ':') {
        return at;
      }
      at += 1;
      expect = 'value';
    } else {
      const top = stack[stack.length - 1];
      if (top === undefined) {
        return at;
      }
      if (char === ',') {
        at += 1;
        expect = top === '{' ? 'key' : 'value';
      } else if ((char === '}' && top === '{') || (char === ']' && top === '[')) {
        stack.pop();
        at += 1;
      } else {
        return at;
      }
    }
  }
}

export function parseJsonWithLines(text: string, file: string): JsonWithLines {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const lineColumn = /line (\d+) column \d+/.exec(message);
    const position = /position (\d+)/.exec(message);
    const line = lineColumn
      ? Number(lineColumn[1])
      : lineOfPosition(text, position ? Number(position[1]) : findJsonErrorPosition(text));
    throw new CheckInputError(`not valid JSON / JSON 格式錯誤: ${message.slice(0, 160)}`, file, line);
  }
  const lines = new WeakMap<object, number>();
  const counter = new LineCounter();
  let document: ReturnType<typeof parseDocument> | undefined;
  try {
    document = parseDocument(text, { lineCounter: counter, uniqueKeys: false, strict: false });
  } catch {
    document = undefined;
  }
  const walk = (json: unknown, node: Node | null | undefined, depth: number): void => {
    if (depth > MAX_DEPTH) {
      throw new CheckInputError(`JSON nested deeper than ${MAX_DEPTH} levels / JSON 巢狀過深`, file);
    }
    if (json === null || typeof json !== 'object' || !node) {
      return;
    }
    // An object's line is the line of its first key (pretty-printed JSON puts "{" on a line alone).
    const firstKey = isMap(node) ? (node.items[0]?.key as Node | null | undefined) : undefined;
    const start = firstKey?.range?.[0] ?? node.range?.[0];
    if (start !== undefined) {
      lines.set(json, counter.linePos(start).line);
    }
    if (Array.isArray(json) && isSeq(node)) {
      json.forEach((item, index) => walk(item, node.items[index] as Node | undefined, depth + 1));
    } else if (!Array.isArray(json) && isMap(node)) {
      for (const pair of node.items) {
        const key = (pair.key as { value?: unknown } | null)?.value;
        if (typeof key === 'string' && Object.prototype.hasOwnProperty.call(json, key)) {
          walk((json as Record<string, unknown>)[key], pair.value as Node | undefined, depth + 1);
        }
      }
    }
  };
  try {
    walk(value, (document?.contents ?? null) as Node | null, 0);
  } catch (error) {
    if (error instanceof CheckInputError) {
      throw error;
    }
    // The line map is a convenience: without it findings point at the file only.
  }
  return {
    value,
    lineOf: (item) => (item !== null && typeof item === 'object' ? lines.get(item) : undefined),
  };
}

export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
}
