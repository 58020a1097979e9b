/**
 * Reads lifecycle data in endoflife.date's API format (`/api/<product>.json`): an array of release
 * cycles, or a map `{ "<product>": [cycles…] }` holding several products.
 */
import { CheckInputError } from '../types.ts';
import { parseDate } from './dates.ts';
import { locateJsonElements, parseJson } from './read-table.ts';
import { slugify } from './match-product.ts';

/** A date (`YYYY-MM-DD`), a boolean (true = already reached, date unknown; false = not planned). */
export type LifecycleMark = string | boolean;

export interface LifecycleCycle {
  cycle: string;
  releaseDate?: string;
  /** End of life (end of security support). */
  eol?: LifecycleMark;
  /** End of active support. */
  support?: LifecycleMark;
  extendedSupport?: LifecycleMark;
  latest?: string;
  lts?: LifecycleMark;
  /** Where the cycle sits in the input, for messages. */
  source: { file: string; line?: number };
}

/** Product slug → cycles. */
export type LifecycleData = Map<string, LifecycleCycle[]>;

function isCycleArray(value: unknown): value is Record<string, unknown>[] {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((element) => element !== null && typeof element === 'object' && 'cycle' in element)
  );
}

/** True when the JSON text looks like endoflife.date lifecycle data (either shape). */
export function isLifecycleJson(data: unknown): boolean {
  if (isCycleArray(data)) {
    return true;
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return false;
  }
  const values = Object.values(data);
  return values.length > 0 && values.every((value) => isCycleArray(value) || (Array.isArray(value) && value.length === 0));
}

/** The product named by a file name: `api/windows-server.json` → `windows-server`. */
export function productFromFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? name;
  return slugify(base.replace(/\.json$/i, ''));
}

function readMark(
  value: unknown,
  field: string,
  file: string,
  line: number | undefined,
): LifecycleMark | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value === 'boolean') {
    return value;
  }
  if (typeof value === 'string') {
    const date = parseDate(value);
    if (date !== null) {
      return date;
    }
  }
  throw new CheckInputError(
    `欄位「${field}」須為日期或布林值 / "${field}" must be a date or a boolean: ${JSON.stringify(value)}`,
    file,
    line,
  );
}

function readCycles(records: unknown[], file: string, lines: number[]): LifecycleCycle[] {
  return records.map((record, index) => {
    const line = lines[index];
    if (record === null || typeof record !== 'object' || Array.isArray(record)) {
      throw new CheckInputError('週期須為物件 / a cycle must be an object', file, line);
    }
    const fields = record as Record<string, unknown>;
    if (typeof fields.cycle !== 'string' && typeof fields.cycle !== 'number') {
      throw new CheckInputError('缺少「cycle」/ missing "cycle"', file, line);
    }
    const releaseDate = typeof fields.releaseDate === 'string' ? parseDate(fields.releaseDate) ?? undefined : undefined;
    return {
      cycle: String(fields.cycle),
      releaseDate,
      eol: readMark(fields.eol, 'eol', file, line),
      support: readMark(fields.support, 'support', file, line),
      extendedSupport: readMark(fields.extendedSupport, 'extendedSupport', file, line),
      latest: typeof fields.latest === 'string' || typeof fields.latest === 'number' ? String(fields.latest) : undefined,
      lts: typeof fields.lts === 'boolean' || typeof fields.lts === 'string' ? fields.lts : undefined,
      source: { file, line },
    };
  });
}

/**
 * Parses one lifecycle file and merges it into `data`. A bare array is one product, named by
 * `product` or else by the file name.
 */
export function parseLifecycleFile(file: string, text: string, data: LifecycleData = new Map(), product?: string): LifecycleData {
  const parsed = parseJson(file, text);
  const lines = locateJsonElements(text);
  if (Array.isArray(parsed)) {
    const slug = slugify(product ?? productFromFileName(file));
    if (slug === '') {
      throw new CheckInputError('無法由檔名判斷產品 / cannot tell the product from the file name', file);
    }
    data.set(slug, [...(data.get(slug) ?? []), ...readCycles(parsed, file, lines.get('') ?? [])]);
    return data;
  }
  if (parsed === null || typeof parsed !== 'object') {
    throw new CheckInputError('生命週期資料須為陣列或物件 / lifecycle data must be an array or an object', file, 1);
  }
  for (const [key, value] of Object.entries(parsed)) {
    if (!Array.isArray(value)) {
      throw new CheckInputError(`產品「${key}」須對應週期陣列 / product "${key}" must map to an array of cycles`, file);
    }
    const slug = slugify(key);
    data.set(slug, [...(data.get(slug) ?? []), ...readCycles(value, file, lines.get(key) ?? [])]);
  }
  return data;
}
