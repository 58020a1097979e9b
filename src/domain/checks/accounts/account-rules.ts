/**
 * Name lists the account rules use. Kept together so that the README and the code agree; change
 * both together.
 */

/** Well-known default account names (CSIM 8.(3) g.「避免使用預設（如 administrator、root、sa）」). */
export const DEFAULT_ACCOUNT_NAMES = new Set([
  'administrator',
  'admin',
  'root',
  'sa',
  'guest',
  'defaultaccount',
  'system',
  'sysadmin',
  'manager',
  'oracle',
  'postgres',
  'cisco',
  'ubnt',
  'pi',
  'user',
]);

/** Shared or generic account names: whole names (optionally followed by digits) … */
export const SHARED_ACCOUNT_WORDS = [
  'test',
  'testing',
  'tester',
  'temp',
  'tmp',
  'shared',
  'share',
  'common',
  'public',
  'ops',
  'operator',
  'service',
  'svc',
  'demo',
  'training',
  'trainee',
  'backup',
  'scan',
  'scanner',
  'kiosk',
  'helpdesk',
  'support',
  'vendor',
  'batch',
  'staff',
  'office',
  'dealer',
  'counter',
];

const WORDS = SHARED_ACCOUNT_WORDS.join('|');
/** … or names that start or end with one of these words joined by - _ . (svc_backup, web-test, ops.01). */
const SHARED_PATTERN = new RegExp(`^(?:(?:${WORDS})\\d*|(?:${WORDS})[-_.].*|.*[-_.](?:${WORDS})\\d*)$`, 'i');

export function isSharedAccountName(name: string): boolean {
  return SHARED_PATTERN.test(name);
}

/** Privileged groups (compared case-insensitively on the group's name or CN). */
export const PRIVILEGED_GROUPS = new Set([
  'domain admins',
  'enterprise admins',
  'schema admins',
  'administrators',
  'account operators',
  'backup operators',
  'server operators',
  'wheel',
  'sudo',
  'admin',
  'root',
]);

export function isPrivilegedGroup(group: string): boolean {
  return PRIVILEGED_GROUPS.has(group.trim().toLowerCase());
}

/** The common name of an AD group DN ("CN=Domain Admins,CN=Users,DC=corp" → "Domain Admins"). */
export function readGroupName(value: string): string {
  const match = /^\s*CN=((?:\\.|[^,])*)/i.exec(value);
  return (match ? match[1].replace(/\\(.)/g, '$1') : value).trim();
}
