/**
 * Reads a table of records from CSV, JSON or XLSX into rows keyed by canonical column names, keeping
 * the line (CSV, JSON) or sheet row (XLSX) of each record so findings can point at it. Shared by the
 * eol, logs, backup, training, cadence and app-report checks.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { CheckInputError, type CheckInput } from '../types.ts';

export type TableFormat = 'csv' | 'json' | 'xlsx';

export interface TableRow {
  /** 1-based line (CSV/JSON) or sheet row (XLSX) where the record starts. */
  line?: number;
  /** 0-based position among the records. */
  index: number;
  /** Cell text by canonical column name; empty cells are absent. */
  values: Record<string, string>;
}

export interface Table {
  file: string;
  format: TableFormat;
  /** Canonical columns present in the header (or in any JSON record). */
  columns: Set<string>;
  rows: TableRow[];
}

export interface ColumnSpec {
  /** Canonical name → accepted header spellings (compared after {@link normalizeHeader}). */
  aliases: Record<string, string[]>;
  /** Canonical columns that must be present. */
  required?: string[];
  /** For JSON objects: the keys under which the record array may sit (`{"systems": [...]}`). */
  jsonKeys?: string[];
}

/** Lower-case, trimmed, with spaces, hyphens and dots turned into single underscores. */
export function normalizeHeader(header: string): string {
  return header
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase()
    .replace(/[\s\-./]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

function buildHeaderMap(spec: ColumnSpec): Map<string, string> {
  const map = new Map<string, string>();
  for (const [canonical, aliases] of Object.entries(spec.aliases)) {
    map.set(normalizeHeader(canonical), canonical);
    for (const alias of aliases) {
      map.set(normalizeHeader(alias), canonical);
    }
  }
  return map;
}

/** Picks the format from the option, the file name, then the content. */
export function detectFormat(input: CheckInput, format?: string): TableFormat {
  const requested = format?.toLowerCase();
  if (requested === 'csv' || requested === 'json' || requested === 'xlsx') {
    return requested;
  }
  const name = input.name.toLowerCase();
  if (name.endsWith('.xlsx')) {
    return 'xlsx';
  }
  if (name.endsWith('.json')) {
    return 'json';
  }
  if (name.endsWith('.csv') || name.endsWith('.txt')) {
    return 'csv';
  }
  const bytes = input.bytes;
  if (bytes && bytes.length >= 2 && bytes[0] === 0x50 && bytes[1] === 0x4b) {
    return 'xlsx';
  }
  const text = textOf(input).trimStart();
  return text.startsWith('[') || text.startsWith('{') ? 'json' : 'csv';
}

/** The input's text, decoding bytes as UTF-8 when only bytes were given. */
export function textOf(input: CheckInput): string {
  if (input.text !== undefined) {
    return input.text;
  }
  if (input.bytes !== undefined) {
    return new TextDecoder('utf-8').decode(input.bytes);
  }
  throw new CheckInputError('輸入沒有內容 / input has no content', input.name);
}

export async function readTable(input: CheckInput, spec: ColumnSpec, format?: string): Promise<Table> {
  const detected = detectFormat(input, format);
  let table: Table;
  if (detected === 'xlsx') {
    table = await readXlsxTable(input, spec);
  } else if (detected === 'json') {
    table = readJsonTable(input.name, textOf(input), spec);
  } else {
    table = readCsvTable(input.name, textOf(input), spec);
  }
  for (const column of spec.required ?? []) {
    if (!table.columns.has(column)) {
      throw new CheckInputError(
        `缺少欄位「${column}」/ missing column "${column}"`,
        input.name,
        detected === 'json' ? undefined : 1,
      );
    }
  }
  return table;
}

function cellText(value: unknown): string | undefined {
  if (value === null || value === undefined) {
    return undefined;
  }
  const text = String(value).trim();
  return text === '' ? undefined : text;
}

export function readCsvTable(file: string, text: string, spec: ColumnSpec): Table {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parseCsv(text, {
      bom: true,
      info: true,
      skip_empty_lines: true,
      comment: '#',
      comment_no_infix: true,
      relax_column_count_less: true,
      trim: false,
    }) as unknown as typeof records;
  } catch (error) {
    const line = typeof (error as { lines?: unknown }).lines === 'number' ? (error as { lines: number }).lines : undefined;
    throw new CheckInputError(`CSV 格式錯誤 / malformed CSV: ${(error as Error).message}`, file, line);
  }
  const headerMap = buildHeaderMap(spec);
  const columns = new Set<string>();
  const rows: TableRow[] = [];
  if (records.length === 0) {
    return { file, format: 'csv', columns, rows };
  }
  const headerIndex = 0;
  const header = records[headerIndex].record.map((cell) => headerMap.get(normalizeHeader(cell)));
  for (const canonical of header) {
    if (canonical !== undefined) {
      columns.add(canonical);
    }
  }
  for (let index = headerIndex + 1; index < records.length; index += 1) {
    const { record, info } = records[index];
    // info.lines is where the record ends; newlines inside quoted fields give where it starts.
    const newlines = record.reduce((count, cell) => count + (cell.match(/\n/g) ?? []).length, 0);
    const line = info.lines - newlines;
    const values: Record<string, string> = {};
    record.forEach((cell, column) => {
      const canonical = header[column];
      const value = cellText(cell);
      if (canonical !== undefined && value !== undefined && values[canonical] === undefined) {
        values[canonical] = value;
      }
    });
    if (Object.keys(values).length === 0 && record.every((cell) => cell.trim() === '')) {
      continue;
    }
    rows.push({ line, index: rows.length, values });
  }
  return { file, format: 'csv', columns, rows };
}

/** The 1-based line of a character offset. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let index = 0; index < offset && index < text.length; index += 1) {
    if (text.charCodeAt(index) === 10) {
      line += 1;
    }
  }
  return line;
}

/**
 * Offset of the first JSON syntax error in `text`, or undefined when it is valid. Used only to say
 * where JSON.parse failed, since Node 20's messages often give no position.
 */
export function findJsonErrorOffset(text: string): number | undefined {
  let index = 0;
  const skipSpace = (): void => {
    while (index < text.length && ' \t\r\n'.includes(text[index])) {
      index += 1;
    }
  };
  const fail = (): never => {
    throw index;
  };
  const parseValue = (depth: number): void => {
    if (depth > 2_000) {
      fail();
    }
    skipSpace();
    const char = text[index];
    if (char === '{' || char === '[') {
      const close = char === '{' ? '}' : ']';
      index += 1;
      skipSpace();
      if (text[index] === close) {
        index += 1;
        return;
      }
      for (;;) {
        if (char === '{') {
          skipSpace();
          if (text[index] !== '"') {
            fail();
          }
          parseString();
          skipSpace();
          if (text[index] !== ':') {
            fail();
          }
          index += 1;
        }
        parseValue(depth + 1);
        skipSpace();
        if (text[index] === ',') {
          index += 1;
          continue;
        }
        if (text[index] === close) {
          index += 1;
          return;
        }
        fail();
      }
    }
    if (char === '"') {
      parseString();
      return;
    }
    const literal = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(index, index + 400));
    if (!literal) {
      fail();
    }
    index += (literal as RegExpExecArray)[0].length;
  };
  const parseString = (): void => {
    index += 1;
    while (index < text.length && text[index] !== '"') {
      if (text.charCodeAt(index) < 0x20) {
        fail();
      }
      index += text[index] === '\\' ? 2 : 1;
    }
    if (index >= text.length) {
      fail();
    }
    index += 1;
  };
  try {
    if (text.charCodeAt(0) === 0xfeff) {
      index = 1;
    }
    parseValue(0);
    skipSpace();
    if (index < text.length) {
      fail();
    }
    return undefined;
  } catch (error) {
    if (typeof error === 'number') {
      return Math.min(error, text.length);
    }
    return undefined;
  }
}

/** Parses JSON, turning a syntax error into a CheckInputError with the line of the error. */
export function parseJson(file: string, text: string): unknown {
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    const offset = findJsonErrorOffset(text);
    const line = offset === undefined ? undefined : lineAt(text, offset);
    throw new CheckInputError(`JSON 格式錯誤 / malformed JSON: ${(error as Error).message}`, file, line);
  }
}

/**
 * Start lines of the elements of the arrays at the root (path "") or directly under a root key
 * (path "key"). A tiny scanner: strings and escapes are skipped, nothing else is validated (the
 * text has already passed JSON.parse).
 */
export function locateJsonElements(text: string): Map<string, number[]> {
  const result = new Map<string, number[]>();
  // Stack entries: container kind, its path, and whether the next token starts a new element.
  const stack: { kind: '[' | '{'; path: string | null; expectingElement: boolean }[] = [];
  let line = 1;
  let lastKey: string | null = null;
  let index = 0;
  const noteValueStart = (): void => {
    const top = stack[stack.length - 1];
    if (top && top.kind === '[' && top.expectingElement) {
      top.expectingElement = false;
      if (top.path !== null) {
        result.get(top.path)?.push(line);
      }
    }
  };
  while (index < text.length) {
    const char = text[index];
    if (char === '\n') {
      line += 1;
      index += 1;
      continue;
    }
    if (char === '"') {
      let end = index + 1;
      while (end < text.length && text[end] !== '"') {
        end += text[end] === '\\' ? 2 : 1;
      }
      const top = stack[stack.length - 1];
      const isKey = top?.kind === '{' && /^\s*:/.test(text.slice(end + 1, end + 20));
      if (isKey) {
        lastKey = text.slice(index + 1, end);
      } else {
        noteValueStart();
      }
      index = end + 1;
      continue;
    }
    if (char === '[' || char === '{') {
      noteValueStart();
      let path: string | null = null;
      if (char === '[') {
        if (stack.length === 0) {
          path = '';
        } else if (stack.length === 1 && stack[0].kind === '{' && lastKey !== null) {
          path = lastKey;
        }
        if (path !== null && !result.has(path)) {
          result.set(path, []);
        }
      }
      stack.push({ kind: char, path, expectingElement: true });
      index += 1;
      continue;
    }
    if (char === ']' || char === '}') {
      stack.pop();
      index += 1;
      continue;
    }
    if (char === ',') {
      const top = stack[stack.length - 1];
      if (top) {
        top.expectingElement = true;
      }
      index += 1;
      continue;
    }
    if (!/\s|:/.test(char)) {
      noteValueStart();
      while (index < text.length && !/[\s,\]}]/.test(text[index])) {
        index += 1;
      }
      continue;
    }
    index += 1;
  }
  return result;
}

export function readJsonTable(file: string, text: string, spec: ColumnSpec): Table {
  const data = parseJson(file, text);
  let records: unknown;
  let path = '';
  if (Array.isArray(data)) {
    records = data;
  } else if (data !== null && typeof data === 'object') {
    const keys = spec.jsonKeys ?? [];
    const key = keys.find((candidate) => Array.isArray((data as Record<string, unknown>)[candidate]));
    if (key === undefined) {
      throw new CheckInputError(
        `JSON 須為陣列或含 ${keys.map((candidate) => `"${candidate}"`).join('/')} 陣列的物件 / expected an array${
          keys.length > 0 ? ` or an object with ${keys.join('/')}` : ''
        }`,
        file,
        1,
      );
    }
    records = (data as Record<string, unknown>)[key];
    path = key;
  } else {
    throw new CheckInputError('JSON 須為陣列 / expected a JSON array', file, 1);
  }
  const lines = locateJsonElements(text).get(path) ?? [];
  const headerMap = buildHeaderMap(spec);
  const columns = new Set<string>();
  const rows: TableRow[] = [];
  (records as unknown[]).forEach((record, index) => {
    const line = lines[index];
    if (record === null || typeof record !== 'object' || Array.isArray(record)) {
      throw new CheckInputError(`第 ${index + 1} 筆須為物件 / record ${index + 1} must be an object`, file, line);
    }
    const values: Record<string, string> = {};
    for (const [key, value] of Object.entries(record)) {
      const canonical = headerMap.get(normalizeHeader(key));
      if (canonical === undefined) {
        continue;
      }
      columns.add(canonical);
      if (value !== null && typeof value === 'object') {
        if (Array.isArray(value) && value.every((element) => typeof element !== 'object' || element === null)) {
          const joined = value.filter((element) => element !== null).map(String).join(';');
          if (joined !== '') {
            values[canonical] = joined;
          }
          continue;
        }
        throw new CheckInputError(
          `第 ${index + 1} 筆欄位「${key}」須為文字、數字或布林 / field "${key}" of record ${index + 1} must be a scalar`,
          file,
          line,
        );
      }
      const textValue = cellText(value);
      if (textValue !== undefined) {
        values[canonical] = textValue;
      }
    }
    rows.push({ line, index, values });
  });
  return { file, format: 'json', columns, rows };
}

function xlsxCellText(value: ExcelJS.CellValue): string | undefined {
  if (value === null || value === undefined) {
    return undefined;
  }
  if (value instanceof Date) {
    return value.toISOString().slice(0, 10);
  }
  if (typeof value === 'object') {
    if ('result' in value) {
      return xlsxCellText((value as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue);
    }
    if ('richText' in value) {
      return cellText((value as ExcelJS.CellRichTextValue).richText.map((part) => part.text).join(''));
    }
    if ('text' in value) {
      return cellText((value as ExcelJS.CellHyperlinkValue).text);
    }
    if ('error' in value) {
      return undefined;
    }
    return undefined;
  }
  return cellText(value);
}

export async function readXlsxTable(input: CheckInput, spec: ColumnSpec, sheetName?: string): Promise<Table> {
  const file = input.name;
  if (input.bytes === undefined) {
    throw new CheckInputError('XLSX 需以位元組提供 / XLSX input must be given as bytes', file);
  }
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(input.bytes) as unknown as ArrayBuffer);
  } catch (error) {
    throw new CheckInputError(`無法讀取 XLSX / cannot read XLSX: ${(error as Error).message}`, file);
  }
  const sheet = sheetName === undefined ? workbook.worksheets[0] : workbook.getWorksheet(sheetName);
  const columns = new Set<string>();
  const rows: TableRow[] = [];
  if (sheet === undefined) {
    throw new CheckInputError(`找不到工作表 / worksheet not found${sheetName ? `: ${sheetName}` : ''}`, file);
  }
  const headerMap = buildHeaderMap(spec);
  let header: (string | undefined)[] | null = null;
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: (string | undefined)[] = [];
    row.eachCell({ includeEmpty: true }, (cell, columnNumber) => {
      cells[columnNumber - 1] = xlsxCellText(cell.value);
    });
    if (header === null) {
      header = Array.from(cells, (cell) => (cell === undefined ? undefined : headerMap.get(normalizeHeader(cell))));
      for (const canonical of header) {
        if (canonical !== undefined) {
          columns.add(canonical);
        }
      }
      return;
    }
    const values: Record<string, string> = {};
    cells.forEach((cell, column) => {
      const canonical = header?.[column];
      if (canonical !== undefined && cell !== undefined && values[canonical] === undefined) {
        values[canonical] = cell;
      }
    });
    if (Object.keys(values).length > 0) {
      rows.push({ line: rowNumber, index: rows.length, values });
    }
  });
  return { file, format: 'xlsx', columns, rows };
}

/** Reads yes/no the way people write it; undefined when it is neither. */
export function parseYesNo(text: string | undefined): boolean | undefined {
  if (text === undefined) {
    return undefined;
  }
  const value = text.trim().toLowerCase();
  if (['yes', 'y', 'true', 't', '1', 'pass', 'passed', '是', '有', '通過', '合格', 'v', '✓', '○'].includes(value)) {
    return true;
  }
  if (['no', 'n', 'false', 'f', '0', 'fail', 'failed', '否', '無', '未通過', '不合格', 'x', '✗', '×'].includes(value)) {
    return false;
  }
  return undefined;
}

/** A finite non-negative number, or undefined. Accepts thousands separators and full-width digits. */
export function parseNumber(text: string | undefined): number | undefined {
  if (text === undefined) {
    return undefined;
  }
  const normalized = text
    .trim()
    .replace(/[０-９．]/g, (char) => String.fromCharCode(char.charCodeAt(0) - 0xfee0))
    .replace(/,/g, '');
  if (!/^\d+(?:\.\d+)?$/.test(normalized)) {
    return undefined;
  }
  const value = Number(normalized);
  return Number.isFinite(value) ? value : undefined;
}
