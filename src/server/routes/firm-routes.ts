/** /api/v1/firms: firms (tenants), their users and roles, and login-policy settings. */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { App, AppDeps } from '../app.ts';
import { requestContext } from '../app.ts';
import { authorize } from '../auth/policy.ts';
import { addFirmMember, changeMemberRoles, manageCredentials } from '../auth/account-administration.ts';
import { inPlatformTransaction, inTenantTransaction, ROLES, visibleFirmIds, type Role } from '../context.ts';
import { appendAuditEvent } from '../audit/audit-log.ts';
import { AppError } from '../errors.ts';
import { firmScope } from './index.ts';

const roleSchema = z.enum(ROLES as [string, ...string[]]);

export async function registerFirmRoutes(app: App, deps: AppDeps): Promise<void> {
  app.get('/api/v1/firms', { schema: { tags: ['firms'], summary: '我可存取的公司' } }, async (request) => {
    const actor = requestContext(request).actor;
    const firms = await inTenantTransaction(deps.db, visibleFirmIds(actor), (tx) =>
      tx.query<{ id: string; name: string; registration_number: string | null }>('SELECT id, name, registration_number FROM firms ORDER BY name'),
    );
    return { firms: firms.rows.map((firm) => ({ id: firm.id, name: firm.name, registrationNumber: firm.registration_number, roles: actor.roles.get(firm.id) ?? [] })) };
  });

  app.post('/api/v1/firms', {
    schema: { tags: ['firms'], summary: '新增公司（平台管理員）', body: z.object({ name: z.string().min(1).max(200), registrationNumber: z.string().max(50).optional() }) },
  }, async (request, reply) => {
    const context = requestContext(request);
    authorize(context.actor, 'firm:create', null);
    const id = randomUUID();
    await inTenantTransaction(deps.db, '*', async (tx) => {
      await tx.query('INSERT INTO firms (id, name, registration_number) VALUES ($1, $2, $3)', [id, request.body.name, request.body.registrationNumber ?? null]);
      await tx.query('INSERT INTO firm_settings (firm_id) VALUES ($1)', [id]);
      await appendAuditEvent(tx, context, { firmId: id, entity: 'firm', entityId: id, action: 'firm.created', after: request.body });
    });
    return reply.status(201).send({ id, name: request.body.name });
  });

  app.get('/api/v1/firms/:firmId', { schema: { tags: ['firms'], params: z.object({ firmId: z.uuid() }) } }, async (request) => {
    const firmId = firmScope(request, 'firm:read');
    const rows = await inTenantTransaction(deps.db, [firmId], async (tx) => ({
      firm: (await tx.query<{ id: string; name: string; registration_number: string | null }>('SELECT * FROM firms WHERE id = $1', [firmId])).rows[0],
      settings: (await tx.query('SELECT * FROM firm_settings WHERE firm_id = $1', [firmId])).rows[0] ?? null,
    }));
    if (!rows.firm) throw new AppError('NOT_FOUND', '找不到公司', { messageEn: 'firm not found' });
    return { id: rows.firm.id, name: rows.firm.name, registrationNumber: rows.firm.registration_number, settings: rows.settings };
  });

  app.put('/api/v1/firms/:firmId/settings', {
    schema: {
      tags: ['firms'],
      summary: '登入政策：密碼效期、全員多因子',
      params: z.object({ firmId: z.uuid() }),
      body: z.object({
        passwordExpiryDays: z.number().int().min(1).max(90).optional(),
        passwordExpiryDisabled: z.boolean().optional(),
        passwordExpiryReason: z.string().max(1000).optional(),
        requireMfaForAll: z.boolean().optional(),
      }).refine((body) => !body.passwordExpiryDisabled || (body.passwordExpiryReason ?? '').trim().length > 0, {
        message: '停用密碼效期須記錄理由', path: ['passwordExpiryReason'],
      }),
    },
  }, async (request) => {
    const firmId = firmScope(request, 'firm:update');
    const context = requestContext(request);
    return inTenantTransaction(deps.db, [firmId], async (tx) => {
      const before = (await tx.query('SELECT * FROM firm_settings WHERE firm_id = $1', [firmId])).rows[0];
      const body = request.body;
      const after = (await tx.query(
        `INSERT INTO firm_settings (firm_id, password_expiry_days, password_expiry_disabled, password_expiry_reason, require_mfa_for_all, updated_at)
         VALUES ($1, coalesce($2, 90), coalesce($3, false), $4, coalesce($5, false), now())
         ON CONFLICT (firm_id) DO UPDATE SET
           password_expiry_days = coalesce($2, firm_settings.password_expiry_days),
           password_expiry_disabled = coalesce($3, firm_settings.password_expiry_disabled),
           password_expiry_reason = coalesce($4, firm_settings.password_expiry_reason),
           require_mfa_for_all = coalesce($5, firm_settings.require_mfa_for_all),
           updated_at = now()
         RETURNING *`,
        [firmId, body.passwordExpiryDays ?? null, body.passwordExpiryDisabled ?? null, body.passwordExpiryReason ?? null, body.requireMfaForAll ?? null],
      )).rows[0];
      await appendAuditEvent(tx, context, { firmId, entity: 'firm_settings', entityId: firmId, action: 'firm.settings_changed', before, after });
      return after;
    });
  });

  /** The firm's members with their roles there and their account state, ordered by e-mail. */
  async function loadMemberAccounts(firmId: string) {
    const memberships = await inTenantTransaction(deps.db, [firmId], (tx) =>
      tx.query<{ user_id: string; role: string }>('SELECT user_id, role FROM memberships WHERE firm_id = $1', [firmId]),
    );
    const ids = [...new Set(memberships.rows.map((row) => row.user_id))];
    const users = await inPlatformTransaction(deps.db, (tx) =>
      tx.query<{ id: string; email: string; display_name: string; mfa_enabled: boolean; locked_at: Date | null; failed_attempts: number; must_change_password: boolean }>(
        'SELECT id, email, display_name, mfa_enabled, locked_at, failed_attempts, must_change_password FROM users WHERE id = ANY($1::uuid[]) ORDER BY email', [ids]),
    );
    return users.rows.map((user) => ({ ...user, roles: memberships.rows.filter((row) => row.user_id === user.id).map((row) => row.role) }));
  }

  // The colleagues a deficiency can be assigned to: names and roles only (no account state), so an
  // assessor who may raise or update deficiencies can pick an owner without `user:read`.
  app.get('/api/v1/firms/:firmId/members', {
    schema: { tags: ['users'], summary: '本公司成員（指派缺失負責人用）', params: z.object({ firmId: z.uuid() }) },
  }, async (request) => {
    const firmId = firmScope(request, 'deficiency:read');
    const members = (await loadMemberAccounts(firmId))
      .sort((a, b) => a.display_name.localeCompare(b.display_name) || a.email.localeCompare(b.email));
    return { members: members.map((user) => ({ id: user.id, email: user.email, displayName: user.display_name, roles: user.roles })) };
  });

  app.get('/api/v1/firms/:firmId/users', { schema: { tags: ['users'], params: z.object({ firmId: z.uuid() }) } }, async (request) => {
    const firmId = firmScope(request, 'user:read');
    return {
      users: (await loadMemberAccounts(firmId)).map((user) => ({
        id: user.id, email: user.email, displayName: user.display_name, mfaEnabled: user.mfa_enabled,
        locked: user.locked_at !== null, failedAttempts: user.failed_attempts, mustChangePassword: user.must_change_password,
        roles: user.roles,
      })),
    };
  });

  app.post('/api/v1/firms/:firmId/users', {
    schema: {
      tags: ['users'],
      summary: '新增使用者（回傳一次性初始密碼）',
      params: z.object({ firmId: z.uuid() }),
      body: z.object({ email: z.email().max(320), displayName: z.string().min(1).max(200), roles: z.array(roleSchema).min(1) }),
    },
  }, async (request, reply) => {
    const firmId = firmScope(request, 'user:manage');
    const context = requestContext(request);
    // Every firm is visible here: whether the e-mail names an account of another firm decides the answer.
    const created = await inTenantTransaction(deps.db, '*', (tx) =>
      addFirmMember(tx, context, { firmId, email: request.body.email, displayName: request.body.displayName, roles: request.body.roles as Role[] }));
    return reply.status(201).send(created);
  });

  app.put('/api/v1/firms/:firmId/users/:userId/roles', {
    schema: { tags: ['users'], params: z.object({ firmId: z.uuid(), userId: z.uuid() }), body: z.object({ roles: z.array(roleSchema) }) },
  }, async (request) => {
    const firmId = firmScope(request, 'user:manage');
    const context = requestContext(request);
    return inTenantTransaction(deps.db, [firmId], (tx) =>
      changeMemberRoles(tx, context, { firmId, userId: request.params.userId, roles: request.body.roles as Role[] }));
  });

  for (const [action, summary] of [['unlock', '解除鎖定'], ['reset-mfa', '重設多因子驗證'], ['reset-password', '重設密碼（一次性密碼）']] as const) {
    app.post(`/api/v1/firms/:firmId/users/:userId/${action}`, {
      schema: { tags: ['users'], summary, params: z.object({ firmId: z.uuid(), userId: z.uuid() }) },
    }, async (request) => {
      const firmId = firmScope(request, 'user:manage');
      const context = requestContext(request);
      // Every firm is visible here: the account's memberships in other firms decide whether it may be touched.
      return inTenantTransaction(deps.db, '*', (tx) => manageCredentials(tx, context, { firmId, userId: request.params.userId, action }));
    });
  }
}
