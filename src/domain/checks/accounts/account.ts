/** One account, normalised from whichever export it came from. */
export interface AccountRecord {
  name: string;
  /** false when disabled, locked or expired; undefined when the export does not say. */
  enabled?: boolean;
  /** Last logon; null = never; undefined = the export does not say. */
  lastLogon?: Date | null;
  created?: Date;
  /** Windows SID (built-in Administrator ends -500, Guest -501). */
  sid?: string;
  uid?: number;
  gid?: number;
  groups: string[];
  employeeId?: string;
  /** Account expiry (AD AccountExpirationDate, shadow expire). */
  expires?: Date;
  /** Marked privileged by the export itself (generic CSV). */
  isPrivileged?: boolean;
  file: string;
  line?: number;
  /** Extra facts for the finding detail (shell, password locked…). */
  detail?: Record<string, unknown>;
}

export interface LeaverEntry {
  account?: string;
  employeeId?: string;
  leaveDate: Date;
  line?: number;
}

export interface VendorEntry {
  account: string;
  vendor?: string;
  contractEnd: Date;
  line?: number;
}
