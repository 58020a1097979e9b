/** Password hashing (argon2id) and the password policy. Passwords are never logged. */
import { randomInt } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';

/** Argon2id (the const enum Algorithm.Argon2id of @node-rs/argon2). */
const ARGON2ID = 2;

export async function hashPassword(password: string): Promise<string> {
  return hash(password, { algorithm: ARGON2ID, memoryCost: 19456, timeCost: 2, parallelism: 1 });
}

export async function verifyPassword(storedHash: string, password: string): Promise<boolean> {
  try {
    return await verify(storedHash, password);
  } catch {
    return false;
  }
}

/** A hash of a random password, used to spend the same time on unknown accounts as on known ones. */
let decoyHash: Promise<string> | null = null;
export function decoyPasswordHash(): Promise<string> {
  decoyHash ??= hashPassword(generatePassword());
  return decoyHash;
}

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
const DIGITS = '23456789';
const LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

/** A random initial password, unrelated to the user's identity (CSIM 8.(3) d.). */
export function generatePassword(length = 16): string {
  const chars = Array.from({ length }, () => ALPHABET[randomInt(ALPHABET.length)]);
  // Guarantee letters and digits.
  chars[randomInt(length)] = DIGITS[randomInt(DIGITS.length)];
  let letterAt = randomInt(length);
  while (/[0-9]/.test(chars[letterAt])) letterAt = (letterAt + 1) % length;
  chars[letterAt] = LETTERS[randomInt(LETTERS.length)];
  return chars.join('');
}

export interface PasswordPolicy {
  minLength: number;
}

/** Problems with a new password, in zh-TW and English; empty when it is acceptable. */
export function checkPasswordPolicy(
  password: string,
  policy: PasswordPolicy,
  context: { email?: string; previousOk?: boolean } = {},
): { message: string; messageEn: string }[] {
  const problems: { message: string; messageEn: string }[] = [];
  if (Array.from(password).length < policy.minLength) {
    problems.push({ message: `密碼至少需 ${policy.minLength} 個字元`, messageEn: `must be at least ${policy.minLength} characters` });
  }
  if (!/[A-Za-z]/.test(password) || !/[0-9]/.test(password)) {
    problems.push({ message: '密碼需同時包含英文字母與數字', messageEn: 'must contain both letters and digits' });
  }
  if (context.email) {
    const local = context.email.split('@')[0].toLowerCase();
    if (local.length >= 3 && password.toLowerCase().includes(local)) {
      problems.push({ message: '密碼不可包含帳號名稱', messageEn: 'must not contain the account name' });
    }
  }
  if (password.length > 256) {
    problems.push({ message: '密碼過長（上限 256 字元）', messageEn: 'is too long (256 characters at most)' });
  }
  return problems;
}
