import { z } from 'zod';
import { CheckInputError } from '../types.ts';
import type { PasswordPolicy, Source } from './policy.ts';

/** The structured form for systems whose settings are typed in by hand (see the check's README). */
export const passwordPolicySchema = z
  .object({
    system: z.string().optional(),
    minLength: z.number().int().min(0).optional(),
    requiresLetter: z.boolean().optional(),
    requiresDigit: z.boolean().optional(),
    requiresSymbol: z.boolean().optional(),
    minClasses: z.number().int().min(0).max(4).optional(),
    /** Failed attempts before lock-out; 0 = never. */
    lockoutThreshold: z.number().int().min(0).optional(),
    /** Days; 0 = never expires. */
    maxAgeDays: z.number().int().min(0).optional(),
  })
  .strict();

export function parseJsonPolicy(file: string, text: string): PasswordPolicy {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new CheckInputError(`JSON 無法解析 / invalid JSON: ${(error as Error).message}`, file);
  }
  const result = passwordPolicySchema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0];
    const key = issue.path[0];
    const lineIndex = typeof key === 'string' ? text.split('\n').findIndex((line) => line.includes(`"${key}"`)) : -1;
    throw new CheckInputError(
      `欄位 ${issue.path.join('.') || '(root)'} 錯誤 / invalid field ${issue.path.join('.') || '(root)'}: ${issue.message}`,
      file,
      lineIndex >= 0 ? lineIndex + 1 : undefined,
    );
  }
  const policy: PasswordPolicy = {};
  const lines = text.split('\n');
  for (const [key, value] of Object.entries(result.data)) {
    if (key === 'system' || value === undefined) {
      continue;
    }
    const lineIndex = lines.findIndex((line) => line.includes(`"${key}"`));
    const source: Source = { file, line: lineIndex >= 0 ? lineIndex + 1 : undefined, text: `${key}: ${String(value)}` };
    (policy as Record<string, unknown>)[key] = { value, source };
  }
  return policy;
}
