/**
 * What a PAM stack actually enforces, read from each line's control field (man pam.conf):
 * - `optional` never fails the stack, `sufficient` turns a failure into "ignore": neither enforces;
 * - `required`, `requisite` and `[… default=bad|die …]` enforce (a failure fails the stack);
 * - an earlier line whose success action is `done` (`sufficient`, `[success=done]`) or a jump
 *   (`[success=N]`) past a module skips it on the normal path, so that module is not enforced;
 * - jumps count modules of the same type only, and a substack counts as one module of its caller.
 */
import type { Source } from './policy.ts';

export interface StackEntry {
  type: string;
  control: string;
  module: string;
  args: Map<string, string>;
  source: Source;
  /** '' at the top; `/file@line` per substack level the entry sits in. */
  scope: string;
}

type Action = string;

/** The control field as value → action (`default` for any return value not listed). */
export function readControl(control: string): Map<string, Action> {
  switch (control) {
    case 'required':
      return new Map([['success', 'ok'], ['default', 'bad']]);
    case 'requisite':
      return new Map([['success', 'ok'], ['default', 'die']]);
    case 'sufficient':
      return new Map([['success', 'done'], ['new_authtok_reqd', 'done'], ['default', 'ignore']]);
    case 'optional':
      return new Map([['success', 'ok'], ['new_authtok_reqd', 'ok'], ['default', 'ignore']]);
    default: {
      const actions = new Map<string, Action>();
      for (const pair of control.replace(/^\[|\]$/g, '').split(/\s+/).filter(Boolean)) {
        const [value, action] = pair.split('=');
        actions.set(value.toLowerCase(), (action ?? '').toLowerCase());
      }
      return actions;
    }
  }
}

function actionOn(actions: Map<string, Action>, value: string): Action {
  // Linux-PAM treats a return value with no action and no default as "bad".
  return actions.get(value) ?? actions.get('default') ?? 'bad';
}

/** Units of one scope in order: an entry of that scope, or a whole nested substack (counted once). */
function listUnits(entries: StackEntry[], type: string, scope: string): Array<{ key: string; entries: StackEntry[] }> {
  const units: Array<{ key: string; entries: StackEntry[] }> = [];
  for (const entry of entries) {
    if (entry.type !== type) {
      continue;
    }
    if (entry.scope === scope) {
      units.push({ key: `${entry.source.file}:${entry.source.line}:${units.length}`, entries: [entry] });
    } else if (entry.scope.startsWith(`${scope}/`)) {
      const child = scope + entry.scope.slice(scope.length).split('/').slice(0, 2).join('/');
      const last = units.at(-1);
      if (last && last.key === child) {
        last.entries.push(entry);
      } else {
        units.push({ key: child, entries: [entry] });
      }
    }
  }
  return units;
}

function ancestorScopes(scope: string): string[] {
  const parts = scope.split('/').slice(1);
  const scopes: string[] = [];
  for (let depth = parts.length; depth >= 0; depth -= 1) {
    scopes.push(depth === 0 ? '' : `/${parts.slice(0, depth).join('/')}`);
  }
  return scopes;
}

/**
 * The earlier line that skips `target` when it returns `value` ('success' on the normal path, a
 * failure value such as 'auth_err' on the failed-login path), or undefined when the target is reached.
 */
export function findSkippingEntry(entries: StackEntry[], target: StackEntry, value = 'success'): StackEntry | undefined {
  for (const scope of ancestorScopes(target.scope)) {
    const units = listUnits(entries, target.type, scope);
    const targetIndex = units.findIndex((unit) => unit.entries.includes(target));
    for (let index = 0; index < targetIndex; index += 1) {
      const earlier = units[index];
      if (earlier.entries.length !== 1 || earlier.entries[0].scope !== scope) {
        continue;
      }
      const action = actionOn(readControl(earlier.entries[0].control), value);
      if (action === 'done' || (/^\d+$/.test(action) && index + Number(action) >= targetIndex)) {
        return earlier.entries[0];
      }
    }
  }
  return undefined;
}

/** True when a failure of this module fails the stack (`bad`/`die`, or a jump onto pam_deny). */
export function isEnforcing(entries: StackEntry[], entry: StackEntry, failure: string): boolean {
  const action = actionOn(readControl(entry.control), failure);
  if (action === 'bad' || action === 'die') {
    return true;
  }
  if (/^\d+$/.test(action) && Number(action) > 0) {
    const units = listUnits(entries, entry.type, entry.scope);
    const index = units.findIndex((unit) => unit.entries.includes(entry));
    const landing = units[index + Number(action) + 1]?.entries[0];
    return landing?.module === 'pam_deny.so';
  }
  return false;
}

export interface ModuleJudgement {
  isEnforced: boolean;
  reason?: string;
  reasonEn?: string;
  source: Source;
}

function describe(source: Source): string {
  return `${source.file}${source.line !== undefined ? `:${source.line}` : ''}`;
}

/**
 * Whether one module line is enforced: its failure fails the stack and no earlier line skips it on
 * the path it guards (`path`: the return value of the earlier lines on that path).
 */
export function judgeModule(entries: StackEntry[], entry: StackEntry, failure: string, path = 'success'): ModuleJudgement {
  if (!isEnforcing(entries, entry, failure)) {
    return {
      isEnforced: false,
      reason: `${entry.module} 的控制欄位為「${entry.control}」，失敗時不會使驗證失敗，未實際強制（應為 required、requisite 或 [default=die]）`,
      reasonEn: `${entry.module} has control "${entry.control}": its failure does not fail the stack, so it is not enforced (use required, requisite or [default=die])`,
      source: entry.source,
    };
  }
  const skipping = findSkippingEntry(entries, entry, path);
  if (skipping) {
    return {
      isEnforced: false,
      reason: `${describe(skipping.source)} 的「${skipping.control} ${skipping.module}」會跳過 ${entry.module}，該模組未實際執行`,
      reasonEn: `"${skipping.control} ${skipping.module}" at ${describe(skipping.source)} jumps over ${entry.module}, so it does not run`,
      source: entry.source,
    };
  }
  return { isEnforced: true, source: entry.source };
}
