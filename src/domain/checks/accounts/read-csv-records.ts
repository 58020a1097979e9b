import { Readable } from 'node:stream';
import { parse, type CsvError } from 'csv-parse';
import { CheckInputError } from '../types.ts';

export interface CsvRow {
  /** Values by lower-cased, trimmed header. */
  values: Record<string, string>;
  line: number;
}

/**
 * Streams CSV records to `onRow` as arrays (cheaper than objects for a million rows), with the
 * lower-cased headers given once to `onHeader`. Skips the `#TYPE …` line Export-Csv writes without
 * -NoTypeInformation and a UTF-8 BOM. Parse errors become CheckInputError with the line; an error
 * thrown by a callback stops the stream and is passed through.
 */
export function forEachCsvRecord(
  source: Readable | string,
  file: string,
  onHeader: (headers: string[]) => void,
  onRow: (cells: string[], line: number) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    let headers: string[] | undefined;
    let isDone = false;
    const parser = parse({
      bom: true,
      comment: '#',
      comment_no_infix: true,
      skip_empty_lines: true,
      // Files edited on two systems mix CRLF and LF.
      record_delimiter: ['\r\n', '\n'],
    });
    const readable = typeof source === 'string' ? Readable.from([source]) : source;
    const fail = (error: unknown) => {
      if (isDone) {
        return;
      }
      isDone = true;
      readable.unpipe(parser);
      readable.destroy();
      parser.destroy();
      if (error instanceof CheckInputError) {
        reject(error);
        return;
      }
      const csvError = error as CsvError & { lines?: number };
      reject(new CheckInputError(`CSV 無法解析 / invalid CSV: ${csvError.message}`, file, csvError.lines));
    };
    parser.on('data', (record: string[]) => {
      if (isDone) {
        return;
      }
      // With a 'data' listener and no consumer downstream, records are emitted as they are parsed,
      // so the parser's live counter is this record's last line (cheaper than the `info` option).
      const line = parser.info.lines;
      try {
        if (headers === undefined) {
          headers = record.map((column) => column.trim().toLowerCase());
          onHeader(headers);
        } else {
          onRow(record, line);
        }
      } catch (error) {
        fail(error);
      }
    });
    parser.on('error', fail);
    parser.on('end', () => {
      if (!isDone) {
        isDone = true;
        resolve();
      }
    });
    readable.on('error', fail);
    readable.pipe(parser);
  });
}

/** All records of a small CSV (reference lists) as objects keyed by lower-cased header. */
export async function readCsvRows(text: string, file: string): Promise<{ headers: string[]; rows: CsvRow[] }> {
  let headers: string[] = [];
  const rows: CsvRow[] = [];
  await forEachCsvRecord(
    text,
    file,
    (names) => {
      headers = names;
    },
    (cells, line) => {
      const values: Record<string, string> = {};
      headers.forEach((header, index) => {
        values[header] = cells[index] ?? '';
      });
      rows.push({ values, line });
    },
  );
  return { headers, rows };
}

/** The first present column among aliases (lower-case). */
export function pickColumn(values: Record<string, string>, aliases: string[]): string | undefined {
  for (const alias of aliases) {
    const value = values[alias];
    if (value !== undefined) {
      return value;
    }
  }
  return undefined;
}

/** Index of the first present column among aliases, or -1. */
export function findColumn(headers: string[], aliases: string[]): number {
  for (const alias of aliases) {
    const index = headers.indexOf(alias);
    if (index >= 0) {
      return index;
    }
  }
  return -1;
}

export function hasColumn(headers: string[], aliases: string[]): boolean {
  return findColumn(headers, aliases) >= 0;
}

/** True/False in the spellings exports use; undefined when empty. */
export function parseBoolean(value: string | undefined, file: string, line: number, column: string): boolean | undefined {
  const text = (value ?? '').trim().toLowerCase();
  if (text === '') {
    return undefined;
  }
  if (text === 'true' || text === 'yes' || text === 'y' || text === '1' || text === 'enabled' || text === '啟用' || text === '是') {
    return true;
  }
  if (text === 'false' || text === 'no' || text === 'n' || text === '0' || text === 'disabled' || text === '停用' || text === '否') {
    return false;
  }
  throw new CheckInputError(`${column} 應為 True/False / ${column} must be true or false: ${value}`, file, line);
}
