/** /api/v1/auth/* and /api/v1/me: sign-in, second factor, password change, sessions. */
import { z } from 'zod';
import type { App, AppDeps } from '../app.ts';
import { clearSessionCookies, requestContext, sessionOf, setSessionCookies } from '../app.ts';
import {
  changePassword, confirmMfaEnrolment, regenerateRecoveryCodes, login, logout, startMfaEnrolment, switchFirm, verifyMfa, type AuthDeps,
} from '../auth/auth-service.ts';
import { permissionsFor } from '../auth/policy.ts';

const stepSchema = z.enum(['ok', 'mfa', 'password_change', 'mfa_enrolment']);

export async function registerAuthRoutes(app: App, deps: AppDeps, authDeps: AuthDeps): Promise<void> {
  const loginLimit = { max: deps.config.loginRateLimitPerMinute, timeWindow: '1 minute' };

  app.post('/api/v1/auth/login', {
    config: { auth: 'none', rateLimit: loginLimit },
    schema: {
      tags: ['auth'],
      summary: '登入（電子郵件與密碼）',
      body: z.object({ email: z.string().min(3).max(320), password: z.string().min(1).max(1024) }),
    },
  }, async (request, reply) => {
    const result = await login(authDeps, requestContext(request), { ...request.body, userAgent: request.headers['user-agent'] });
    setSessionCookies(reply, deps.config, result.token, result.csrfToken);
    return { step: result.step, csrfToken: result.csrfToken };
  });

  app.post('/api/v1/auth/mfa', {
    config: { auth: 'partial', rateLimit: loginLimit },
    schema: { tags: ['auth'], summary: '第二因子驗證（TOTP 或備用碼）', body: z.object({ code: z.string().min(6).max(32) }) },
  }, async (request) => {
    const step = await verifyMfa(authDeps, requestContext(request), sessionOf(request), request.body.code);
    return { step: stepSchema.parse(step) };
  });

  app.post('/api/v1/auth/logout', { config: { auth: 'partial' }, schema: { tags: ['auth'], summary: '登出' } }, async (request, reply) => {
    await logout(authDeps, requestContext(request), sessionOf(request));
    clearSessionCookies(reply);
    return { ok: true };
  });

  app.post('/api/v1/auth/password', {
    config: { auth: 'partial', rateLimit: loginLimit },
    schema: {
      tags: ['auth'],
      summary: '變更密碼（撤銷所有其他工作階段）',
      body: z.object({ currentPassword: z.string().min(1).max(1024), newPassword: z.string().min(1).max(1024) }),
    },
  }, async (request, reply) => {
    const session = sessionOf(request);
    if (session.step === 'mfa') {
      return reply.status(403).send({ error: { code: 'FORBIDDEN', message: '請先完成多因子驗證', messageEn: 'Pass the second factor first' } });
    }
    const result = await changePassword(authDeps, requestContext(request), session, request.body);
    setSessionCookies(reply, deps.config, result.token, result.csrfToken);
    return { step: result.step, csrfToken: result.csrfToken };
  });

  app.post('/api/v1/auth/mfa/enrol', {
    config: { auth: 'partial' },
    schema: { tags: ['auth'], summary: '開始設定 TOTP（回傳 QR code）' },
  }, async (request, reply) => {
    const session = sessionOf(request);
    if (session.step === 'mfa' || session.step === 'password_change') {
      return reply.status(403).send({ error: { code: 'FORBIDDEN', message: '請先完成前一個登入步驟', messageEn: `Finish ${session.step} first` } });
    }
    return startMfaEnrolment(authDeps, requestContext(request), session);
  });

  app.post('/api/v1/auth/mfa/enrol/confirm', {
    config: { auth: 'partial' },
    schema: { tags: ['auth'], summary: '確認 TOTP 設定（回傳備用碼）', body: z.object({ code: z.string().min(6).max(12) }) },
  }, async (request) => confirmMfaEnrolment(authDeps, requestContext(request), sessionOf(request), request.body.code));

  app.post('/api/v1/auth/mfa/recovery-codes', {
    schema: { tags: ['auth'], summary: '重新產生備用碼（需目前的 TOTP 驗證碼；舊備用碼全部失效）', body: z.object({ code: z.string().min(6).max(12) }) },
  }, async (request) => regenerateRecoveryCodes(authDeps, requestContext(request), sessionOf(request), request.body.code));

  app.post('/api/v1/auth/firm', {
    schema: { tags: ['auth'], summary: '切換目前公司', body: z.object({ firmId: z.uuid() }) },
  }, async (request) => {
    await switchFirm(authDeps, requestContext(request), sessionOf(request), request.body.firmId);
    return { ok: true };
  });

  app.get('/api/v1/me', { config: { auth: 'partial' }, schema: { tags: ['auth'], summary: '目前使用者、角色、權限與登入步驟' } }, async (request) => {
    const session = sessionOf(request);
    const firms = await deps.db.query<{ id: string; name: string }>(
      session.actor.isPlatformAdmin ? 'SELECT id, name FROM firms ORDER BY name' : 'SELECT id, name FROM firms WHERE id = ANY($1::uuid[]) ORDER BY name',
      session.actor.isPlatformAdmin ? [] : [[...session.actor.roles.keys()]],
    );
    return {
      user: {
        id: session.user.id,
        email: session.user.email,
        displayName: session.user.display_name,
        isPlatformAdmin: session.user.is_platform_admin,
        mfaEnabled: session.user.mfa_enabled,
        passwordChangedAt: new Date(session.user.password_changed_at).toISOString(),
      },
      step: session.step,
      mfaRequired: session.mfaRequired,
      csrfToken: session.csrfToken,
      activeFirmId: session.activeFirmId ?? firms.rows[0]?.id ?? null,
      firms: firms.rows.map((firm) => ({
        id: firm.id,
        name: firm.name,
        roles: session.actor.roles.get(firm.id) ?? [],
        permissions: permissionsFor(session.actor, firm.id),
      })),
      platformPermissions: permissionsFor(session.actor, null),
    };
  });
}
