/**
 * The password policy as far as the inputs reveal it. Every setting carries where it was read from;
 * a setting no input reveals stays undefined and is reported as "unknown", never as a pass.
 */

export interface Source {
  file: string;
  line?: number;
  /** The setting as written ("minlen=8", "PASS_MAX_DAYS 90"). */
  text?: string;
}

export interface Setting<T> {
  value: T;
  source: Source;
}

export interface PasswordPolicy {
  /** Minimum length a password can have (after credits, for pam_pwquality/pam_cracklib). */
  minLength?: Setting<number>;
  /** Letters are required. */
  requiresLetter?: Setting<boolean>;
  /** Digits are required. */
  requiresDigit?: Setting<boolean>;
  /** Symbols are required. */
  requiresSymbol?: Setting<boolean>;
  /** Minimum number of character classes (pam minclass, Windows complexity = 3). */
  minClasses?: Setting<number>;
  /** Failed attempts before lock-out; 0 means never locked. */
  lockoutThreshold?: Setting<number>;
  /** Maximum password age in days; 0 means never expires. */
  maxAgeDays?: Setting<number>;
  /** Modules the configuration loads but does not enforce (PAM control field, jumps, enforcing=0). */
  stackIssues?: StackIssue[];
}

/** A module that is configured but does not do what it seems to (Linux PAM). */
export interface StackIssue {
  /** Which rule it undermines. */
  setting: 'quality' | 'lockout';
  /** `fail`: the setting is not enforced; `warning`: enforced with a gap. */
  status: 'fail' | 'warning';
  message: string;
  messageEn: string;
  source: Source;
}

/** Merges policies; later values win, as a later file overrides an earlier one. */
export function mergePolicies(...policies: PasswordPolicy[]): PasswordPolicy {
  const merged: PasswordPolicy = {};
  for (const policy of policies) {
    for (const [key, setting] of Object.entries(policy)) {
      if (setting !== undefined) {
        (merged as Record<string, unknown>)[key] = setting;
      }
    }
  }
  return merged;
}
