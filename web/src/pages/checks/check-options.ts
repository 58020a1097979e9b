/**
 * The options a check run sends besides its files: the fields the form shows for each check (tls host
 * name, app-report level and F tests, firewall review date, evaluation date, input format) and a free
 * `key=value` list for the rest (cadence, EOL, accounts…). Values read as the CLI flags do: `true`/`false`
 * are booleans, plain numbers are numbers, `{…}` or `[…]` is JSON, anything else a string.
 */

export type OptionValue = string | number | boolean | Record<string, unknown> | unknown[];

export interface ExtraOptionsResult {
  options: Record<string, OptionValue>;
  /** 1-based line numbers of lines that are not `key=value` (or hold broken JSON). */
  badLines: number[];
}

function readValue(text: string): OptionValue | undefined {
  if (text === 'true' || text === 'false') {
    return text === 'true';
  }
  if (/^-?\d+(?:\.\d+)?$/.test(text)) {
    return Number(text);
  }
  if (/^[[{]/.test(text)) {
    try {
      return JSON.parse(text) as Record<string, unknown> | unknown[];
    } catch {
      return undefined;
    }
  }
  return text;
}

export function parseExtraOptions(text: string): ExtraOptionsResult {
  const options: Record<string, OptionValue> = {};
  const badLines: number[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) {
      return;
    }
    const match = /^([A-Za-z][\w.-]*)\s*=\s*(.*)$/.exec(line);
    const value = match ? readValue(match[2]!.trim()) : undefined;
    if (!match || value === undefined) {
      badLines.push(index + 1);
      return;
    }
    options[match[1]!] = value;
  });
  return { options, badLines };
}

export interface RunFields {
  format?: string;
  at?: string;
  hostname?: string;
  level?: 'L1' | 'L2' | 'L3';
  withF?: boolean;
  reviewedAt?: string;
}

/** The options object sent with a run of `check`: only the fields that check reads, then the free list (which wins). */
export function buildRunOptions(check: string, fields: RunFields, extra: Record<string, OptionValue> = {}): Record<string, OptionValue> {
  const options: Record<string, OptionValue> = {};
  if (fields.format) {
    options.format = fields.format;
  }
  if (fields.at) {
    options.at = fields.at;
  }
  if (check === 'tls' && fields.hostname?.trim()) {
    options.hostname = fields.hostname.trim();
  }
  if (check === 'app-report' && fields.level) {
    options.level = fields.level;
    options.withF = fields.withF === true;
  }
  if (check === 'firewall' && fields.reviewedAt) {
    options.reviewedAt = fields.reviewedAt;
  }
  return { ...options, ...extra };
}
