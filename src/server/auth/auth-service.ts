/**
 * Sign-in, second factor, sessions, password changes, lockout and recovery. Meets the rules the product
 * checks: argon2id hashes (CSIM 8.(3) b.), random initial passwords changed at first login (8.(3) a., d.),
 * lockout after three failures (8.(3) e., ETECH 9), TOTP for admins, CISOs and inspectors (7.(2) b.(e)).
 */
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { generateSecret, generateURI, verify as verifyTotp } from 'otplib';
import QRCode from 'qrcode';
import type { Config } from '../config.ts';
import type { Database, Queryable } from '../db/client.ts';
import { inPlatformTransaction, type Actor, type RequestContext, type Role } from '../context.ts';
import { AppError, validation } from '../errors.ts';
import { appendAuditEvent } from '../audit/audit-log.ts';
import { checkPasswordPolicy, decoyPasswordHash, generatePassword, hashPassword, verifyPassword } from './passwords.ts';
import { MFA_REQUIRED_ROLES } from './policy.ts';
import type { SecretBox } from './secret-box.ts';

export const MAX_FAILED_ATTEMPTS = 3;

export interface AuthDeps {
  db: Database;
  config: Config;
  secrets: SecretBox;
  now?: () => Date;
}

export interface UserRow {
  id: string;
  email: string;
  display_name: string;
  password_hash: string;
  must_change_password: boolean;
  password_changed_at: Date;
  failed_attempts: number;
  locked_at: Date | null;
  mfa_secret: string | null;
  mfa_enabled: boolean;
  /** The last accepted TOTP time step (a bigint, as text); a code of that step or earlier is refused. */
  mfa_last_step: string | null;
  recovery_codes: string[];
  is_platform_admin: boolean;
  is_staff: boolean;
  disabled: boolean;
}

interface SessionRow {
  id_hash: string;
  user_id: string;
  csrf_token: string;
  mfa_passed: boolean;
  active_firm_id: string | null;
  created_at: Date;
  last_seen_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
}

/** What the signed-in user must do before using the app. */
export type SessionStep = 'ok' | 'mfa' | 'password_change' | 'mfa_enrolment';

export interface ResolvedSession {
  sessionHash: string;
  csrfToken: string;
  activeFirmId: string | null;
  user: UserRow;
  actor: Actor;
  step: SessionStep;
  mfaRequired: boolean;
  passwordExpired: boolean;
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
const normaliseEmail = (email: string) => email.trim().toLowerCase();

async function loadRoles(tx: Queryable, userId: string): Promise<Map<string, Role[]>> {
  const rows = await tx.query<{ firm_id: string; role: Role }>(
    'SELECT firm_id, role FROM memberships WHERE user_id = $1 ORDER BY firm_id, role',
    [userId],
  );
  const roles = new Map<string, Role[]>();
  for (const row of rows.rows) roles.set(row.firm_id, [...(roles.get(row.firm_id) ?? []), row.role]);
  return roles;
}

function actorOf(user: UserRow, roles: Map<string, Role[]>): Actor {
  return { userId: user.id, email: user.email, isPlatformAdmin: user.is_platform_admin, roles };
}

async function isMfaRequired(tx: Queryable, user: UserRow, roles: Map<string, Role[]>): Promise<boolean> {
  if (user.is_platform_admin) return true;
  for (const firmRoles of roles.values()) {
    if (firmRoles.some((role) => MFA_REQUIRED_ROLES.includes(role))) return true;
  }
  if (roles.size === 0) return false;
  const firmsRequiring = await tx.query(
    'SELECT 1 FROM firm_settings WHERE firm_id = ANY($1::uuid[]) AND require_mfa_for_all LIMIT 1',
    [[...roles.keys()]],
  );
  return firmsRequiring.rows.length > 0;
}

async function isPasswordExpired(tx: Queryable, user: UserRow, roles: Map<string, Role[]>, now: Date): Promise<boolean> {
  if (!user.is_staff) return false;
  // The strictest setting of the user's firms applies; platform users follow the default of 90 days.
  let days = 90;
  if (roles.size > 0) {
    const settings = await tx.query<{ password_expiry_days: number; password_expiry_disabled: boolean }>(
      'SELECT password_expiry_days, password_expiry_disabled FROM firm_settings WHERE firm_id = ANY($1::uuid[])',
      [[...roles.keys()]],
    );
    const enabled = settings.rows.filter((row) => !row.password_expiry_disabled);
    if (settings.rows.length === roles.size && enabled.length === 0) return false;
    if (enabled.length > 0) days = Math.min(...enabled.map((row) => row.password_expiry_days));
  }
  return now.getTime() - new Date(user.password_changed_at).getTime() > days * 86_400_000;
}

function isLocked(user: UserRow, config: Config, now: Date): boolean {
  if (!user.locked_at) return false;
  if (config.lockoutMinutes === 0) return true;
  return now.getTime() < new Date(user.locked_at).getTime() + config.lockoutMinutes * 60_000;
}

function lockedError(): AppError {
  return new AppError('LOCKED', '帳號已被鎖定：密碼錯誤達三次。請聯絡管理員解鎖，或稍後再試。', {
    messageEn: 'This account is locked after three failed attempts. Ask an administrator to unlock it, or try again later.',
  });
}

const badCredentials = () =>
  new AppError('UNAUTHENTICATED', '電子郵件或密碼錯誤', { messageEn: 'Wrong e-mail or password' });

export interface LoginResult {
  token: string;
  csrfToken: string;
  step: SessionStep;
}

async function recordAttempt(tx: Queryable, email: string, userId: string | null, ip: string | null, outcome: string) {
  await tx.query('INSERT INTO login_attempts (email, user_id, ip, outcome) VALUES ($1, $2, $3, $4)', [email, userId, ip, outcome]);
}

/** Counts a failure; locks on the third. Returns true when this failure locked the account. */
async function countFailure(tx: Queryable, context: RequestContext, user: UserRow, now: Date, outcome: string): Promise<boolean> {
  const attempts = user.failed_attempts + 1;
  const locks = attempts >= MAX_FAILED_ATTEMPTS;
  await tx.query('UPDATE users SET failed_attempts = $2, locked_at = $3 WHERE id = $1', [
    user.id, attempts, locks ? now.toISOString() : null,
  ]);
  await appendAuditEvent(tx, { ...context, actor: { ...context.actor, email: user.email } }, {
    firmId: null, entity: 'user', entityId: user.id, action: 'auth.login_failed', detail: { reason: outcome, attempt: attempts },
  });
  if (locks) {
    await tx.query("UPDATE sessions SET revoked_at = now(), revoked_reason = 'lockout' WHERE user_id = $1 AND revoked_at IS NULL", [user.id]);
    await appendAuditEvent(tx, { ...context, actor: { ...context.actor, email: user.email } }, {
      firmId: null, entity: 'user', entityId: user.id, action: 'auth.locked', detail: { attempts },
    });
  }
  return locks;
}

export async function login(
  deps: AuthDeps,
  context: RequestContext,
  input: { email: string; password: string; userAgent?: string },
): Promise<LoginResult> {
  const now = deps.now?.() ?? new Date();
  const email = normaliseEmail(input.email);
  const outcome = await inPlatformTransaction(deps.db, async (tx) => {
    const found = await tx.query<UserRow>('SELECT * FROM users WHERE email = $1 FOR UPDATE', [email]);
    const user = found.rows[0];
    if (!user) {
      await verifyPassword(await decoyPasswordHash(), input.password);
      await recordAttempt(tx, email, null, context.ip, 'unknown_account');
      await appendAuditEvent(tx, { ...context, actor: { ...context.actor, email } }, {
        firmId: null, entity: 'user', action: 'auth.login_failed', detail: { reason: 'unknown_account', email },
      });
      return { error: badCredentials() } as const;
    }
    if (user.disabled) {
      await recordAttempt(tx, email, user.id, context.ip, 'disabled');
      return { error: badCredentials() } as const;
    }
    if (isLocked(user, deps.config, now)) {
      await recordAttempt(tx, email, user.id, context.ip, 'locked');
      await appendAuditEvent(tx, { ...context, actor: { ...context.actor, email } }, {
        firmId: null, entity: 'user', entityId: user.id, action: 'auth.login_refused_locked',
      });
      return { error: lockedError() } as const;
    }
    if (user.locked_at) {
      // The lockout period has passed: start counting afresh.
      user.failed_attempts = 0;
      await tx.query('UPDATE users SET failed_attempts = 0, locked_at = NULL WHERE id = $1', [user.id]);
    }
    if (!(await verifyPassword(user.password_hash, input.password))) {
      await recordAttempt(tx, email, user.id, context.ip, 'bad_password');
      const locked = await countFailure(tx, context, user, now, 'bad_password');
      return { error: locked ? lockedError() : badCredentials() } as const;
    }
    await tx.query('UPDATE users SET failed_attempts = 0, locked_at = NULL WHERE id = $1', [user.id]);
    await recordAttempt(tx, email, user.id, context.ip, 'success');
    const token = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(24).toString('base64url');
    const roles = await loadRoles(tx, user.id);
    const expires = new Date(now.getTime() + deps.config.sessionAbsoluteHours * 3_600_000);
    await tx.query(
      `INSERT INTO sessions (id_hash, user_id, csrf_token, mfa_passed, active_firm_id, ip, user_agent, created_at, last_seen_at, expires_at)
       VALUES ($1, $2, $3, false, $4, $5, $6, $7, $7, $8)`,
      [hashToken(token), user.id, csrfToken, roles.keys().next().value ?? null, context.ip, input.userAgent ?? null, now.toISOString(), expires.toISOString()],
    );
    await appendAuditEvent(tx, { ...context, actor: actorOf(user, roles) }, {
      firmId: null, entity: 'session', entityId: user.id, action: 'auth.password_accepted',
      detail: { mfa: user.mfa_enabled ? 'required' : 'not_enrolled' },
    });
    const step = await stepFor(tx, deps, user, roles, false, now);
    if (step === 'ok') {
      await appendAuditEvent(tx, { ...context, actor: actorOf(user, roles) }, { firmId: null, entity: 'session', entityId: user.id, action: 'auth.signed_in' });
    }
    return { result: { token, csrfToken, step } } as const;
  });
  if ('error' in outcome) throw outcome.error;
  return outcome.result;
}

async function stepFor(tx: Queryable, deps: AuthDeps, user: UserRow, roles: Map<string, Role[]>, mfaPassed: boolean, now: Date): Promise<SessionStep> {
  if (user.mfa_enabled && !mfaPassed) return 'mfa';
  if (user.must_change_password || (await isPasswordExpired(tx, user, roles, now))) return 'password_change';
  if (!user.mfa_enabled && (await isMfaRequired(tx, user, roles))) return 'mfa_enrolment';
  return 'ok';
}

export async function resolveSession(deps: AuthDeps, token: string | undefined): Promise<ResolvedSession | null> {
  if (!token) return null;
  const now = deps.now?.() ?? new Date();
  return inPlatformTransaction(deps.db, async (tx) => {
    const sessionHash = hashToken(token);
    const found = await tx.query<SessionRow>('SELECT * FROM sessions WHERE id_hash = $1', [sessionHash]);
    const session = found.rows[0];
    if (!session || session.revoked_at) return null;
    const idleLimit = new Date(session.last_seen_at).getTime() + deps.config.sessionIdleMinutes * 60_000;
    if (now.getTime() > new Date(session.expires_at).getTime() || now.getTime() > idleLimit) {
      await tx.query("UPDATE sessions SET revoked_at = now(), revoked_reason = 'expired' WHERE id_hash = $1", [sessionHash]);
      return null;
    }
    const user = (await tx.query<UserRow>('SELECT * FROM users WHERE id = $1', [session.user_id])).rows[0];
    if (!user || user.disabled || isLocked(user, deps.config, now)) return null;
    if (now.getTime() - new Date(session.last_seen_at).getTime() > 30_000) {
      await tx.query('UPDATE sessions SET last_seen_at = $2 WHERE id_hash = $1', [sessionHash, now.toISOString()]);
    }
    const roles = await loadRoles(tx, user.id);
    const mfaRequired = await isMfaRequired(tx, user, roles);
    const passwordExpired = await isPasswordExpired(tx, user, roles, now);
    return {
      sessionHash,
      csrfToken: session.csrf_token,
      activeFirmId: session.active_firm_id && roles.has(session.active_firm_id) ? session.active_firm_id : (roles.keys().next().value ?? null),
      user,
      actor: actorOf(user, roles),
      step: await stepFor(tx, deps, user, roles, session.mfa_passed, now),
      mfaRequired,
      passwordExpired,
    };
  });
}

/**
 * Checks a TOTP code against the user's secret and refuses a code whose time step is not later than
 * the last one accepted (so a code cannot be replayed within its window, RFC 6238 §5.2); records the
 * accepted step. Returns false for a wrong or replayed code.
 */
async function acceptTotpCode(deps: AuthDeps, tx: Queryable, user: UserRow, sealedSecret: string, code: string): Promise<boolean> {
  const lastStep = user.mfa_last_step === null || user.mfa_last_step === undefined ? undefined : Number(user.mfa_last_step);
  const result = await verifyTotp({ secret: deps.secrets.open(sealedSecret), token: code, epochTolerance: 30, afterTimeStep: lastStep });
  if (!result.valid || !('timeStep' in result)) return false;
  await tx.query('UPDATE users SET mfa_last_step = $2 WHERE id = $1', [user.id, String(result.timeStep)]);
  return true;
}

/** Checks a TOTP code or a recovery code; consumes the recovery code. */
async function checkSecondFactor(deps: AuthDeps, tx: Queryable, user: UserRow, code: string): Promise<'totp' | 'recovery' | null> {
  const cleaned = code.replace(/\s+/g, '');
  if (/^\d{6}$/.test(cleaned) && user.mfa_secret) {
    if (await acceptTotpCode(deps, tx, user, user.mfa_secret, cleaned)) return 'totp';
  }
  const hashed = hashToken(cleaned.toUpperCase());
  const codes = user.recovery_codes ?? [];
  const index = codes.findIndex((stored) => timingSafeEqual(Buffer.from(stored), Buffer.from(hashed)));
  if (index >= 0) {
    await tx.query('UPDATE users SET recovery_codes = $2 WHERE id = $1', [user.id, JSON.stringify(codes.filter((_, at) => at !== index))]);
    return 'recovery';
  }
  return null;
}

export async function verifyMfa(deps: AuthDeps, context: RequestContext, session: ResolvedSession, code: string): Promise<SessionStep> {
  const now = deps.now?.() ?? new Date();
  const outcome = await inPlatformTransaction(deps.db, async (tx) => {
    const user = (await tx.query<UserRow>('SELECT * FROM users WHERE id = $1 FOR UPDATE', [session.user.id])).rows[0];
    if (!user.mfa_enabled) return { error: new AppError('INVALID_STATE', '此帳號尚未設定多因子驗證', { messageEn: 'This account has no second factor enrolled' }) } as const;
    if (isLocked(user, deps.config, now)) return { error: lockedError() } as const;
    const kind = await checkSecondFactor(deps, tx, user, code);
    if (!kind) {
      await recordAttempt(tx, user.email, user.id, context.ip, 'bad_mfa');
      const locked = await countFailure(tx, context, user, now, 'bad_mfa');
      return { error: locked ? lockedError() : new AppError('UNAUTHENTICATED', '驗證碼錯誤', { messageEn: 'Wrong verification code' }) } as const;
    }
    await tx.query('UPDATE users SET failed_attempts = 0 WHERE id = $1', [user.id]);
    await tx.query('UPDATE sessions SET mfa_passed = true WHERE id_hash = $1', [session.sessionHash]);
    await appendAuditEvent(tx, context, { firmId: null, entity: 'session', entityId: user.id, action: kind === 'totp' ? 'auth.mfa_passed' : 'auth.mfa_recovery_code_used' });
    const roles = await loadRoles(tx, user.id);
    const step = await stepFor(tx, deps, user, roles, true, now);
    if (step === 'ok') await appendAuditEvent(tx, context, { firmId: null, entity: 'session', entityId: user.id, action: 'auth.signed_in' });
    return { step } as const;
  });
  if ('error' in outcome) throw outcome.error;
  return outcome.step;
}

export async function logout(deps: AuthDeps, context: RequestContext, session: ResolvedSession): Promise<void> {
  await inPlatformTransaction(deps.db, async (tx) => {
    await tx.query("UPDATE sessions SET revoked_at = now(), revoked_reason = 'logout' WHERE id_hash = $1", [session.sessionHash]);
    await appendAuditEvent(tx, context, { firmId: null, entity: 'session', entityId: session.user.id, action: 'auth.signed_out' });
  });
}

/** Changes the password, revokes every session of the user and opens a fresh one for this client. */
export async function changePassword(
  deps: AuthDeps,
  context: RequestContext,
  session: ResolvedSession,
  input: { currentPassword: string; newPassword: string },
): Promise<LoginResult> {
  const now = deps.now?.() ?? new Date();
  const problems = checkPasswordPolicy(input.newPassword, { minLength: deps.config.passwordMinLength }, { email: session.user.email });
  if (problems.length > 0) {
    throw validation(problems.map((problem) => ({ where: 'newPassword', message: problem.message })), '新密碼不符合密碼政策');
  }
  if (!(await verifyPassword(session.user.password_hash, input.currentPassword))) {
    throw new AppError('UNAUTHENTICATED', '目前密碼錯誤', { messageEn: 'The current password is wrong' });
  }
  if (await verifyPassword(session.user.password_hash, input.newPassword)) {
    throw validation([{ where: 'newPassword', message: '新密碼不可與目前密碼相同' }]);
  }
  const newHash = await hashPassword(input.newPassword);
  return inPlatformTransaction(deps.db, async (tx) => {
    await tx.query('UPDATE users SET password_hash = $2, must_change_password = false, password_changed_at = $3 WHERE id = $1', [session.user.id, newHash, now.toISOString()]);
    await tx.query("UPDATE sessions SET revoked_at = now(), revoked_reason = 'password_change' WHERE user_id = $1 AND revoked_at IS NULL", [session.user.id]);
    const token = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(24).toString('base64url');
    const mfaPassed = session.step !== 'mfa';
    await tx.query(
      `INSERT INTO sessions (id_hash, user_id, csrf_token, mfa_passed, active_firm_id, ip, created_at, last_seen_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8)`,
      [hashToken(token), session.user.id, csrfToken, mfaPassed, session.activeFirmId, context.ip, now.toISOString(), new Date(now.getTime() + deps.config.sessionAbsoluteHours * 3_600_000).toISOString()],
    );
    await appendAuditEvent(tx, context, { firmId: null, entity: 'user', entityId: session.user.id, action: 'auth.password_changed' });
    const user = (await tx.query<UserRow>('SELECT * FROM users WHERE id = $1', [session.user.id])).rows[0];
    const roles = await loadRoles(tx, user.id);
    return { token, csrfToken, step: await stepFor(tx, deps, user, roles, mfaPassed, now) };
  });
}

export async function startMfaEnrolment(deps: AuthDeps, context: RequestContext, session: ResolvedSession): Promise<{ otpauthUri: string; qrDataUrl: string; secret: string }> {
  if (session.user.mfa_enabled) {
    throw new AppError('INVALID_STATE', '已設定多因子驗證；請先由管理員重設', { messageEn: 'A second factor is already enrolled; an admin must reset it first' });
  }
  const secret = generateSecret();
  const otpauthUri = generateURI({ issuer: 'anjian 安檢', label: session.user.email, secret });
  await inPlatformTransaction(deps.db, async (tx) => {
    await tx.query('UPDATE users SET mfa_secret = $2, mfa_last_step = NULL WHERE id = $1', [session.user.id, deps.secrets.seal(secret)]);
    await appendAuditEvent(tx, context, { firmId: null, entity: 'user', entityId: session.user.id, action: 'auth.mfa_enrolment_started' });
  });
  return { otpauthUri, qrDataUrl: await QRCode.toDataURL(otpauthUri), secret };
}

export async function confirmMfaEnrolment(deps: AuthDeps, context: RequestContext, session: ResolvedSession, code: string): Promise<{ recoveryCodes: string[]; step: SessionStep }> {
  const now = deps.now?.() ?? new Date();
  return inPlatformTransaction(deps.db, async (tx) => {
    const user = (await tx.query<UserRow>('SELECT * FROM users WHERE id = $1 FOR UPDATE', [session.user.id])).rows[0];
    if (user.mfa_enabled || !user.mfa_secret) {
      throw new AppError('INVALID_STATE', '請先開始設定多因子驗證', { messageEn: 'Start the enrolment first' });
    }
    const isValid = await acceptTotpCode(deps, tx, user, user.mfa_secret, code.replace(/\s+/g, ''));
    if (!isValid) throw new AppError('VALIDATION', '驗證碼錯誤，請確認手機時間並重試', { messageEn: 'Wrong code: check the phone clock and try again', issues: [{ where: 'code', message: '驗證碼錯誤' }] });
    const recoveryCodes = newRecoveryCodes();
    await tx.query('UPDATE users SET mfa_enabled = true, recovery_codes = $2 WHERE id = $1', [user.id, JSON.stringify(recoveryCodes.map(hashToken))]);
    await tx.query('UPDATE sessions SET mfa_passed = true WHERE id_hash = $1', [session.sessionHash]);
    await appendAuditEvent(tx, context, { firmId: null, entity: 'user', entityId: user.id, action: 'auth.mfa_enrolled' });
    const roles = await loadRoles(tx, user.id);
    return { recoveryCodes, step: await stepFor(tx, deps, { ...user, mfa_enabled: true }, roles, true, now) };
  });
}

/** Ten one-time recovery codes (shown once; only their hashes are stored). */
function newRecoveryCodes(): string[] {
  return Array.from({ length: 10 }, () => randomBytes(5).toString('hex').toUpperCase());
}

/**
 * Replaces the signed-in user's recovery codes (all old ones stop working). Needs a current TOTP code,
 * so a borrowed session alone cannot swap the codes for ones its holder knows.
 */
export async function regenerateRecoveryCodes(deps: AuthDeps, context: RequestContext, session: ResolvedSession, code: string): Promise<{ recoveryCodes: string[] }> {
  return inPlatformTransaction(deps.db, async (tx) => {
    const user = (await tx.query<UserRow>('SELECT * FROM users WHERE id = $1 FOR UPDATE', [session.user.id])).rows[0];
    if (!user.mfa_enabled || !user.mfa_secret) {
      throw new AppError('INVALID_STATE', '尚未啟用多因子驗證', { messageEn: 'Multi-factor login is not enabled' });
    }
    if (!(await acceptTotpCode(deps, tx, user, user.mfa_secret, code.replace(/\s+/g, '')))) {
      throw new AppError('VALIDATION', '驗證碼錯誤，請輸入驗證器 App 目前顯示的驗證碼', {
        messageEn: 'Wrong code: enter the code your authenticator app shows now', issues: [{ where: 'code', message: '驗證碼錯誤' }],
      });
    }
    const recoveryCodes = newRecoveryCodes();
    await tx.query('UPDATE users SET recovery_codes = $2 WHERE id = $1', [user.id, JSON.stringify(recoveryCodes.map(hashToken))]);
    await appendAuditEvent(tx, context, { firmId: null, entity: 'user', entityId: user.id, action: 'auth.mfa_recovery_codes_regenerated' });
    return { recoveryCodes };
  });
}

export async function switchFirm(deps: AuthDeps, context: RequestContext, session: ResolvedSession, firmId: string): Promise<void> {
  if (!session.actor.isPlatformAdmin && !session.actor.roles.has(firmId)) {
    throw new AppError('FORBIDDEN', '您不屬於該公司', { messageEn: 'You do not belong to that firm' });
  }
  await inPlatformTransaction(deps.db, async (tx) => {
    await tx.query('UPDATE sessions SET active_firm_id = $2 WHERE id_hash = $1', [session.sessionHash, firmId]);
  });
  void context;
}

// ── Administration (API and CLI) ────────────────────────────────────────────────────────────────

export interface CreatedUser {
  id: string;
  email: string;
  initialPassword: string;
}

export async function createUser(
  tx: Queryable,
  context: RequestContext,
  input: { email: string; displayName: string; isPlatformAdmin?: boolean; memberships?: { firmId: string; role: Role }[] },
): Promise<CreatedUser> {
  const email = normaliseEmail(input.email);
  if (!/^[^@\s]+@[^@\s]+$/.test(email)) throw validation([{ where: 'email', message: '電子郵件格式錯誤' }]);
  const existing = await tx.query('SELECT 1 FROM users WHERE email = $1', [email]);
  if (existing.rows.length > 0) throw new AppError('CONFLICT', `帳號 ${email} 已存在`, { messageEn: `account ${email} already exists` });
  const initialPassword = generatePassword();
  const id = randomUUID();
  await tx.query(
    `INSERT INTO users (id, email, display_name, password_hash, must_change_password, is_platform_admin)
     VALUES ($1, $2, $3, $4, true, $5)`,
    [id, email, input.displayName, await hashPassword(initialPassword), input.isPlatformAdmin === true],
  );
  for (const membership of input.memberships ?? []) {
    await tx.query('INSERT INTO memberships (user_id, firm_id, role) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [id, membership.firmId, membership.role]);
  }
  await appendAuditEvent(tx, context, {
    firmId: null, entity: 'user', entityId: id, action: 'user.created',
    after: { email, displayName: input.displayName, isPlatformAdmin: input.isPlatformAdmin === true, memberships: input.memberships ?? [] },
  });
  for (const membership of input.memberships ?? []) {
    await appendAuditEvent(tx, context, { firmId: membership.firmId, entity: 'membership', entityId: id, action: 'membership.granted', after: membership });
  }
  return { id, email, initialPassword };
}

export async function unlockUser(tx: Queryable, context: RequestContext, email: string): Promise<void> {
  const updated = await tx.query<{ id: string }>('UPDATE users SET failed_attempts = 0, locked_at = NULL WHERE email = $1 RETURNING id', [normaliseEmail(email)]);
  if (updated.rows.length === 0) throw new AppError('NOT_FOUND', `找不到帳號 ${email}`, { messageEn: `no account ${email}` });
  await appendAuditEvent(tx, context, { firmId: null, entity: 'user', entityId: updated.rows[0].id, action: 'auth.unlocked' });
}

export async function resetMfa(tx: Queryable, context: RequestContext, email: string): Promise<void> {
  const updated = await tx.query<{ id: string }>(
    "UPDATE users SET mfa_enabled = false, mfa_secret = NULL, mfa_last_step = NULL, recovery_codes = '[]' WHERE email = $1 RETURNING id",
    [normaliseEmail(email)],
  );
  if (updated.rows.length === 0) throw new AppError('NOT_FOUND', `找不到帳號 ${email}`, { messageEn: `no account ${email}` });
  await tx.query("UPDATE sessions SET revoked_at = now(), revoked_reason = 'mfa_reset' WHERE user_id = $1 AND revoked_at IS NULL", [updated.rows[0].id]);
  await appendAuditEvent(tx, context, { firmId: null, entity: 'user', entityId: updated.rows[0].id, action: 'auth.mfa_reset' });
}

/** Issues a new random one-time password that must be changed at next sign-in. */
export async function resetPassword(tx: Queryable, context: RequestContext, email: string): Promise<string> {
  const password = generatePassword();
  const updated = await tx.query<{ id: string }>(
    'UPDATE users SET password_hash = $2, must_change_password = true, failed_attempts = 0, locked_at = NULL WHERE email = $1 RETURNING id',
    [normaliseEmail(email), await hashPassword(password)],
  );
  if (updated.rows.length === 0) throw new AppError('NOT_FOUND', `找不到帳號 ${email}`, { messageEn: `no account ${email}` });
  await tx.query("UPDATE sessions SET revoked_at = now(), revoked_reason = 'password_reset' WHERE user_id = $1 AND revoked_at IS NULL", [updated.rows[0].id]);
  await appendAuditEvent(tx, context, { firmId: null, entity: 'user', entityId: updated.rows[0].id, action: 'auth.password_reset' });
  return password;
}
