/**
 * What a firm administrator may do to accounts: add members, change their roles, and reset or unlock
 * their credentials. A firm admin's power over an account ends at the firm's boundary: it may touch the
 * credentials only of accounts whose every membership lies in firms it administers (never a platform
 * admin or an inspector), may not pull another firm's account (or a platform admin) into its firm, and
 * may not grant or revoke the exchange's `inspector` role. Platform admins (and the CLI) may do all of it.
 */
import type { Queryable } from '../db/client.ts';
import type { Actor, RequestContext, Role } from '../context.ts';
import { appendAuditEvent } from '../audit/audit-log.ts';
import { AppError } from '../errors.ts';
import { createUser, resetMfa, resetPassword, unlockUser, type CreatedUser } from './auth-service.ts';

export type CredentialAction = 'unlock' | 'reset-mfa' | 'reset-password';

interface AccountState {
  id: string;
  email: string;
  isPlatformAdmin: boolean;
  /** Every membership of the account, in every firm. */
  memberships: { firmId: string; role: Role }[];
}

/** Loads an account with all of its memberships; the transaction must see every firm ('*'). */
async function loadAccount(tx: Queryable, where: { id: string } | { email: string }): Promise<AccountState | null> {
  const found = 'id' in where
    ? await tx.query<{ id: string; email: string; is_platform_admin: boolean }>('SELECT id, email, is_platform_admin FROM users WHERE id = $1', [where.id])
    : await tx.query<{ id: string; email: string; is_platform_admin: boolean }>('SELECT id, email, is_platform_admin FROM users WHERE email = lower($1)', [where.email]);
  const user = found.rows[0];
  if (!user) return null;
  const memberships = await tx.query<{ firm_id: string; role: Role }>('SELECT firm_id, role FROM memberships WHERE user_id = $1', [user.id]);
  return {
    id: user.id,
    email: user.email,
    isPlatformAdmin: user.is_platform_admin,
    memberships: memberships.rows.map((row) => ({ firmId: row.firm_id, role: row.role })),
  };
}

function isFirmAdminOf(actor: Actor, firmId: string): boolean {
  return (actor.roles.get(firmId) ?? []).includes('firm_admin');
}

/** Only a platform admin may grant or revoke the exchange's inspector role. */
function assertMayChangeInspectorRole(actor: Actor, rolesBefore: string[], rolesAfter: string[]): void {
  if (actor.isPlatformAdmin) return;
  if (rolesBefore.includes('inspector') !== rolesAfter.includes('inspector')) {
    throw new AppError('FORBIDDEN', '只有平台管理員可以授予或撤銷檢查員（inspector）角色', {
      messageEn: 'only a platform administrator may grant or revoke the inspector role',
      issues: [{ where: 'roles', message: '只有平台管理員可以授予或撤銷 inspector 角色' }],
    });
  }
}

/**
 * Throws unless the actor may reset or unlock the account: a platform admin may; a firm admin only when
 * the account is no platform admin, holds no inspector role, and each of its memberships is in a firm
 * the actor administers.
 */
export function assertMayManageCredentials(actor: Actor, account: AccountState): void {
  if (actor.isPlatformAdmin) return;
  if (account.isPlatformAdmin) {
    throw new AppError('FORBIDDEN', '不可重設或解鎖平台管理員的帳號；請由平台管理員處理', {
      messageEn: 'a platform administrator\'s account can only be reset or unlocked by a platform administrator',
    });
  }
  if (account.memberships.some((membership) => membership.role === 'inspector')) {
    throw new AppError('FORBIDDEN', '不可重設或解鎖檢查員（inspector）的帳號；請由平台管理員處理', {
      messageEn: 'an inspector\'s account can only be reset or unlocked by a platform administrator',
    });
  }
  const outside = [...new Set(account.memberships.map((membership) => membership.firmId))].filter((firmId) => !isFirmAdminOf(actor, firmId));
  if (outside.length > 0) {
    throw new AppError('FORBIDDEN', '此帳號也屬於您未管理的其他公司，只有平台管理員可以重設或解鎖', {
      messageEn: 'this account also belongs to firms you do not administer; only a platform administrator may reset or unlock it',
    });
  }
}

/** Unlocks the account, resets its second factor, or issues a new one-time password. */
export async function manageCredentials(
  tx: Queryable,
  context: RequestContext,
  input: { firmId: string; userId: string; action: CredentialAction },
): Promise<{ ok: true; initialPassword?: string }> {
  const account = await loadAccount(tx, { id: input.userId });
  if (!account || !account.memberships.some((membership) => membership.firmId === input.firmId)) {
    throw new AppError('NOT_FOUND', '此使用者不屬於本公司', { messageEn: 'user is not a member of this firm' });
  }
  assertMayManageCredentials(context.actor, account);
  switch (input.action) {
    case 'unlock':
      await unlockUser(tx, context, account.email);
      return { ok: true };
    case 'reset-mfa':
      await resetMfa(tx, context, account.email);
      return { ok: true };
    case 'reset-password':
      return { ok: true, initialPassword: await resetPassword(tx, context, account.email) };
  }
}

/**
 * Adds a member to a firm: creates the account (with a one-time password) when the e-mail is new, or
 * adds roles to an existing account. A firm admin may add an existing account only when it is no
 * platform admin and belongs to no firm other than this one (409 otherwise), since membership brings the
 * power to reset its credentials.
 */
export async function addFirmMember(
  tx: Queryable,
  context: RequestContext,
  input: { firmId: string; email: string; displayName: string; roles: Role[] },
): Promise<CreatedUser | { id: string; email: string; initialPassword: null }> {
  assertMayChangeInspectorRole(context.actor, [], input.roles);
  const existing = await loadAccount(tx, { email: input.email });
  if (!existing) {
    return createUser(tx, context, {
      email: input.email, displayName: input.displayName,
      memberships: input.roles.map((role) => ({ firmId: input.firmId, role })),
    });
  }
  if (!context.actor.isPlatformAdmin) {
    if (existing.isPlatformAdmin) {
      throw new AppError('FORBIDDEN', `帳號 ${existing.email} 是平台管理員，只有平台管理員可以將其加入公司`, {
        messageEn: `account ${existing.email} is a platform administrator; only a platform administrator may add it to a firm`,
        issues: [{ where: 'email', message: '此帳號是平台管理員' }],
      });
    }
    if (existing.memberships.some((membership) => membership.firmId !== input.firmId)) {
      throw new AppError('CONFLICT', `帳號 ${existing.email} 已屬於其他公司；請由平台管理員加入，或改用其他電子郵件`, {
        messageEn: `account ${existing.email} already belongs to another firm; ask a platform administrator to add it, or use another e-mail`,
        issues: [{ where: 'email', message: '此帳號已屬於其他公司' }],
      });
    }
  }
  for (const role of input.roles) {
    await tx.query('INSERT INTO memberships (user_id, firm_id, role) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [existing.id, input.firmId, role]);
  }
  await appendAuditEvent(tx, context, { firmId: input.firmId, entity: 'membership', entityId: existing.id, action: 'membership.granted', after: { roles: input.roles } });
  return { id: existing.id, email: existing.email, initialPassword: null };
}

/** Replaces a member's roles in one firm. */
export async function changeMemberRoles(
  tx: Queryable,
  context: RequestContext,
  input: { firmId: string; userId: string; roles: Role[] },
): Promise<{ roles: Role[] }> {
  const before = (await tx.query<{ role: Role }>('SELECT role FROM memberships WHERE firm_id = $1 AND user_id = $2', [input.firmId, input.userId])).rows.map((row) => row.role);
  if (before.length === 0) throw new AppError('NOT_FOUND', '此使用者不屬於本公司', { messageEn: 'user is not a member of this firm' });
  assertMayChangeInspectorRole(context.actor, before, input.roles);
  await tx.query('DELETE FROM memberships WHERE firm_id = $1 AND user_id = $2', [input.firmId, input.userId]);
  for (const role of new Set(input.roles)) {
    await tx.query('INSERT INTO memberships (user_id, firm_id, role) VALUES ($1, $2, $3)', [input.userId, input.firmId, role]);
  }
  await appendAuditEvent(tx, context, { firmId: input.firmId, entity: 'membership', entityId: input.userId, action: 'membership.changed', before, after: input.roles });
  return { roles: input.roles };
}
