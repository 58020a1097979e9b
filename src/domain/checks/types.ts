/**
 * The check framework's vocabulary. A check reads one or more inputs (file contents, a live target),
 * and produces a result with findings that point at the exact line, rule, account, certificate or
 * device, citing the catalog rule each finding breaks. Checks are pure where they can be: parsers and
 * rules take text and return data; only the TLS probe and the CLI/server touch the network or disk.
 */

export type CheckStatus = 'pass' | 'fail' | 'warning' | 'error';
export type FindingSeverity = 'high' | 'medium' | 'low' | 'info';

export interface Location {
  /** Input file name as given by the user. */
  file?: string;
  /** 1-based line in that file. */
  line?: number;
  /** What the finding is about: a rule id/name, account, certificate subject, device, system… */
  subject?: string;
}

export interface Finding {
  /** Stable machine id of the rule the check applied, e.g. "firewall.any-any". */
  rule: string;
  severity: FindingSeverity;
  /** Result of this one finding; "warning" for near misses, "unknown" where the input cannot tell. */
  status: 'fail' | 'warning' | 'unknown' | 'info';
  /** Plain zh-TW message; English in messageEn. */
  message: string;
  messageEn: string;
  location: Location;
  /** Catalog items this finding breaks, as ids ("CSIM:8.3.e", "NET:4.2.3"). */
  items: string[];
  /** Extra structured detail (ports, days, …). */
  detail?: Record<string, unknown>;
}

export interface CheckResult {
  check: string;
  checkVersion: string;
  status: CheckStatus;
  /** When the evaluation was made (ISO). */
  evaluatedAt: string;
  summary: string;
  summaryEn: string;
  findings: Finding[];
  /** Catalog items the check evidences (its result is evidence for them). */
  items: string[];
  /** Counts and figures (rules parsed, accounts read, …). */
  stats: Record<string, number | string>;
}

/** An input error: the file and line where the input cannot be read. Exit code 2 on the CLI. */
export class CheckInputError extends Error {
  constructor(
    message: string,
    readonly file?: string,
    readonly line?: number,
  ) {
    super(`${file ?? 'input'}${line !== undefined ? `:${line}` : ''}: ${message}`);
    this.name = 'CheckInputError';
  }
}

export interface CheckInput {
  /** The name the user gave (file path or host:port). */
  name: string;
  /** File contents (text) when the input is a file. */
  text?: string;
  /** Raw bytes (XLSX, DER) when the input is binary. */
  bytes?: Uint8Array;
}

export interface CheckOptions {
  /** Evaluate at this date instead of now (ISO date). */
  at?: string;
  /** Input format when not detected. */
  format?: string;
  /** Check-specific options. */
  [key: string]: unknown;
}

export interface CheckDefinition {
  id: string;
  title: string;
  titleEn: string;
  version: string;
  /** Input kinds, e.g. ["iptables-save", "cisco-ios", …] or ["host:port", "pem"]. */
  inputKinds: string[];
  /** Catalog items the check evidences. */
  items: string[];
  run(inputs: CheckInput[], options: CheckOptions): Promise<CheckResult>;
}

/** Overall status from findings: any fail → fail; else any warning/unknown → warning; else pass. */
export function statusFromFindings(findings: Finding[]): CheckStatus {
  if (findings.some((finding) => finding.status === 'fail')) {
    return 'fail';
  }
  if (findings.some((finding) => finding.status === 'warning' || finding.status === 'unknown')) {
    return 'warning';
  }
  return 'pass';
}
