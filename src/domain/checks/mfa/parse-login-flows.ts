import { parse as parseCsv } from 'csv-parse/sync';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { z } from 'zod';
import { CheckInputError } from '../types.ts';

export interface LoginFlow {
  system: string;
  channel: string;
  /** "customer" (electronic trading login) or "admin" (management accounts over the internet). */
  audience: 'customer' | 'admin';
  factors: string[];
  /** 1-based line of the flow in its file, where known. */
  line?: number;
}

const flowSchema = z.object({
  system: z.string().min(1),
  channel: z.string().default(''),
  audience: z.enum(['customer', 'admin']).default('customer'),
  factors: z.union([z.array(z.string()), z.string()]),
});

const documentSchema = z.union([z.array(flowSchema), z.object({ flows: z.array(flowSchema) })]);

/** Splits a factor list written in one cell: "密碼+OTP", "password; OTP", "固定密碼、圖形鎖". */
export function splitFactors(value: string | string[]): string[] {
  const parts = Array.isArray(value) ? value : value.split(/[;,+、，＋|/]|\band\b|及|與|和/i);
  return parts.map((part) => part.trim()).filter((part) => part !== '');
}

function detectFormat(name: string, text: string, format?: string): 'json' | 'yaml' | 'csv' {
  if (format === 'json' || format === 'yaml' || format === 'csv') {
    return format;
  }
  if (/\.json$/i.test(name)) {
    return 'json';
  }
  if (/\.ya?ml$/i.test(name)) {
    return 'yaml';
  }
  if (/\.csv$/i.test(name)) {
    return 'csv';
  }
  const start = text.trimStart();
  if (start.startsWith('[') || start.startsWith('{')) {
    return 'json';
  }
  return /^\s*system\s*,/im.test(text.split('\n', 1)[0] ?? '') ? 'csv' : 'yaml';
}

/** Line of the n-th occurrence of `system` key, for pointing findings at YAML/JSON flows. */
function findSystemLines(text: string): number[] {
  const lines: number[] = [];
  text.split('\n').forEach((line, index) => {
    if (/["']?system["']?\s*:/.test(line)) {
      lines.push(index + 1);
    }
  });
  return lines;
}

function readStructured(name: string, text: string, isJson: boolean): LoginFlow[] {
  let data: unknown;
  if (isJson) {
    try {
      data = JSON.parse(text);
    } catch (error) {
      const message = (error as Error).message;
      const position = /position (\d+)/.exec(message);
      const line = position
        ? text.slice(0, Number(position[1])).split('\n').length
        : /end of JSON/i.test(message)
          ? text.trimEnd().split('\n').length
          : undefined;
      throw new CheckInputError(`JSON 無法解析 / invalid JSON: ${message}`, name, line);
    }
  } else {
    try {
      data = parseYaml(text, { logLevel: 'error' });
    } catch (error) {
      const line = error instanceof YAMLParseError ? error.linePos?.[0]?.line : undefined;
      throw new CheckInputError(`YAML 無法解析 / invalid YAML: ${(error as Error).message.split('\n')[0]}`, name, line);
    }
  }
  const result = documentSchema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0];
    const lines = findSystemLines(text);
    const index = issue.path.find((part) => typeof part === 'number');
    const line = typeof index === 'number' ? lines[index] : undefined;
    throw new CheckInputError(
      `登入流程格式錯誤 / invalid login flow at ${issue.path.join('.') || '(root)'}: ${issue.message}`,
      name,
      line,
    );
  }
  const flows = Array.isArray(result.data) ? result.data : result.data.flows;
  const lines = findSystemLines(text);
  return flows.map((flow, index) => ({
    system: flow.system,
    channel: flow.channel,
    audience: flow.audience,
    factors: splitFactors(flow.factors),
    line: lines.length === flows.length ? lines[index] : undefined,
  }));
}

function readCsv(name: string, text: string): LoginFlow[] {
  let records: Array<{ record: Record<string, string>; info: { lines: number } }>;
  try {
    records = parseCsv(text, {
      bom: true,
      columns: (header: string[]) => header.map((column) => column.trim().toLowerCase()),
      skip_empty_lines: true,
      trim: true,
      info: true,
    }) as Array<{ record: Record<string, string>; info: { lines: number } }>;
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    throw new CheckInputError(`CSV 無法解析 / invalid CSV: ${(error as Error).message}`, name, line);
  }
  return records.map(({ record, info }) => {
    if (!record.system) {
      throw new CheckInputError('缺少 system 欄位 / missing system column', name, info.lines);
    }
    if (record.factors === undefined) {
      throw new CheckInputError('缺少 factors 欄位 / missing factors column', name, info.lines);
    }
    const audience = (record.audience ?? 'customer') || 'customer';
    if (audience !== 'customer' && audience !== 'admin') {
      throw new CheckInputError(`audience 須為 customer 或 admin / audience must be customer or admin: ${audience}`, name, info.lines);
    }
    return {
      system: record.system,
      channel: record.channel ?? '',
      audience,
      factors: splitFactors(record.factors),
      line: info.lines,
    };
  });
}

/** Reads login flows from JSON, YAML or CSV (`system,channel,audience,factors`). */
export function parseLoginFlows(name: string, text: string, format?: string): LoginFlow[] {
  const detected = detectFormat(name, text, format);
  if (detected === 'csv') {
    return readCsv(name, text);
  }
  return readStructured(name, text, detected === 'json');
}
