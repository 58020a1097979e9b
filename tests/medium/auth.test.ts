/** Login security: lockout, MFA, forced password change, session revocation, CSRF, audit events. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from 'otplib';
import { buildFirm, buildTestApp, buildUser, openTestRuntime, sessionFrom, signIn, signInWithMfa, TEST_PASSWORD, type TestRuntime } from '../support/harness.ts';
import type { App } from '../../src/server/app.ts';
import { inTenantTransaction, systemContext } from '../../src/server/context.ts';
import { createUser, unlockUser } from '../../src/server/auth/auth-service.ts';
import { appendAuditEvent, verifyAuditChains } from '../../src/server/audit/audit-log.ts';

let runtime: TestRuntime;
let app: App;
let firmId: string;

beforeAll(async () => {
  runtime = await openTestRuntime();
  app = await buildTestApp(runtime);
  firmId = await buildFirm(runtime.db, '丙證券');
});
afterAll(async () => {
  await app?.close();
  await runtime?.close();
});

/** The code of the next 30-second step (still inside the accepted window), unlike the one used to enrol. */
const nextTotp = (secret: string) => generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 });

const login = (email: string, password: string) => app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });

async function auditActions(): Promise<string[]> {
  return inTenantTransaction(runtime.db, '*', async (tx) =>
    (await tx.query<{ action: string }>('SELECT action FROM audit_events ORDER BY id')).rows.map((row) => row.action));
}

describe('lockout after three failures (CSIM 8.(3) e., ETECH 9)', () => {
  it('locks on the third wrong password and then refuses even the right one with 423', async () => {
    const user = await buildUser(runtime.db, { memberships: [{ firmId, role: 'assessor' }] });
    expect((await login(user.email, 'wrong-1')).statusCode).toBe(401);
    expect((await login(user.email, 'wrong-2')).statusCode).toBe(401);
    const third = await login(user.email, 'wrong-3');
    expect(third.statusCode).toBe(423);
    const right = await login(user.email, user.password);
    expect(right.statusCode).toBe(423);
    expect(right.json().error.message).toContain('鎖定');
    expect(await auditActions()).toContain('auth.locked');

    await inTenantTransaction(runtime.db, '*', (tx) => unlockUser(tx, systemContext('cli'), user.email));
    expect((await login(user.email, user.password)).statusCode).toBe(200);
  });

  it('records attempts on unknown accounts', async () => {
    const response = await login('nobody@test.anjian.local', 'whatever-1');
    expect(response.statusCode).toBe(401);
    const attempts = await runtime.db.query<{ outcome: string }>("SELECT outcome FROM login_attempts WHERE email = 'nobody@test.anjian.local'");
    expect(attempts.rows.map((row) => row.outcome)).toEqual(['unknown_account']);
  });

  it('a successful login resets the counter', async () => {
    const user = await buildUser(runtime.db, { memberships: [{ firmId, role: 'assessor' }] });
    await login(user.email, 'wrong-1');
    await login(user.email, 'wrong-2');
    expect((await login(user.email, user.password)).statusCode).toBe(200);
    await login(user.email, 'wrong-3');
    expect((await login(user.email, user.password)).statusCode).toBe(200);
  });
});

describe('first login and password policy (CSIM 8.(3) a., d.)', () => {
  it('forces a change of the random initial password before anything else', async () => {
    const created = await inTenantTransaction(runtime.db, '*', (tx) =>
      createUser(tx, systemContext('cli'), { email: 'first@test.anjian.local', displayName: '新人', memberships: [{ firmId, role: 'assessor' }] }));
    expect(created.initialPassword).toMatch(/^(?=.*[A-Za-z])(?=.*\d).{16}$/);
    const session = sessionFrom(await login(created.email, created.initialPassword));
    expect(session.step).toBe('password_change');
    const blocked = await app.inject({ method: 'GET', url: `/api/v1/firms/${firmId}/profile`, headers: session.headers });
    expect(blocked.statusCode).toBe(403);

    const weak = await app.inject({ method: 'POST', url: '/api/v1/auth/password', headers: session.headers, payload: { currentPassword: created.initialPassword, newPassword: 'short1' } });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error.issues[0].where).toBe('newPassword');
    const noDigit = await app.inject({ method: 'POST', url: '/api/v1/auth/password', headers: session.headers, payload: { currentPassword: created.initialPassword, newPassword: 'only-letters-here' } });
    expect(noDigit.statusCode).toBe(400);

    const changed = await app.inject({ method: 'POST', url: '/api/v1/auth/password', headers: session.headers, payload: { currentPassword: created.initialPassword, newPassword: 'A-much-better-pass-2024' } });
    expect(changed.statusCode).toBe(200);
    const fresh = sessionFrom(changed);
    expect(fresh.step).toBe('ok');
    // The old session was revoked by the change.
    expect((await app.inject({ method: 'GET', url: '/api/v1/me', headers: session.headers })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/api/v1/me', headers: fresh.headers })).statusCode).toBe(200);
  });

  it('revokes every other session of the user on a password change', async () => {
    const user = await buildUser(runtime.db, { memberships: [{ firmId, role: 'assessor' }] });
    const laptop = await signIn(app, user);
    const phone = await signIn(app, user);
    const changed = await app.inject({ method: 'POST', url: '/api/v1/auth/password', headers: laptop.headers, payload: { currentPassword: TEST_PASSWORD, newPassword: 'Another-good-one-99' } });
    expect(changed.statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/api/v1/me', headers: phone.headers })).statusCode).toBe(401);
  });
});

describe('multi-factor login (CSIM 7.(2) b.(e))', () => {
  it('requires CISOs to enrol TOTP, then to pass it at every login', async () => {
    const ciso = await buildUser(runtime.db, { memberships: [{ firmId, role: 'ciso' }] });
    const first = await signIn(app, ciso);
    expect(first.step).toBe('mfa_enrolment');
    expect((await app.inject({ method: 'GET', url: `/api/v1/firms/${firmId}/audit`, headers: first.headers })).statusCode).toBe(403);

    const enrolled = await signInWithMfa(app, ciso);
    expect(enrolled.step).toBe('ok');

    const second = await signIn(app, ciso);
    expect(second.step).toBe('mfa');
    const wrong = await app.inject({ method: 'POST', url: '/api/v1/auth/mfa', headers: second.headers, payload: { code: '000000' } });
    expect(wrong.statusCode).toBe(401);
    const passed = await app.inject({ method: 'POST', url: '/api/v1/auth/mfa', headers: second.headers, payload: { code: await nextTotp(enrolled.secret) } });
    expect(passed.json().step).toBe('ok');
    expect((await app.inject({ method: 'GET', url: `/api/v1/firms/${firmId}/audit`, headers: second.headers })).statusCode).toBe(200);
  });

  it('lets an assessor work without MFA unless the firm requires it', async () => {
    const assessor = await buildUser(runtime.db, { memberships: [{ firmId, role: 'assessor' }] });
    expect((await signIn(app, assessor)).step).toBe('ok');
    const otherFirm = await buildFirm(runtime.db, '丁證券');
    await runtime.db.query('UPDATE firm_settings SET require_mfa_for_all = true WHERE firm_id = $1', [otherFirm]);
    const strict = await buildUser(runtime.db, { memberships: [{ firmId: otherFirm, role: 'assessor' }] });
    expect((await signIn(app, strict)).step).toBe('mfa_enrolment');
  });

  it('accepts a recovery code once', async () => {
    const ciso = await buildUser(runtime.db, { memberships: [{ firmId, role: 'ciso' }] });
    let session = await signIn(app, ciso);
    const started = await app.inject({ method: 'POST', url: '/api/v1/auth/mfa/enrol', headers: session.headers });
    const confirmed = await app.inject({ method: 'POST', url: '/api/v1/auth/mfa/enrol/confirm', headers: session.headers, payload: { code: await generate({ secret: started.json().secret }) } });
    const [code] = confirmed.json().recoveryCodes as string[];
    session = await signIn(app, ciso);
    expect((await app.inject({ method: 'POST', url: '/api/v1/auth/mfa', headers: session.headers, payload: { code } })).json().step).toBe('ok');
    session = await signIn(app, ciso);
    expect((await app.inject({ method: 'POST', url: '/api/v1/auth/mfa', headers: session.headers, payload: { code } })).statusCode).toBe(401);
  });
});

describe('recovery codes', () => {
  it('are replaced on request with a current TOTP code: the old ones stop working, the new ones sign in', async () => {
    const ciso = await buildUser(runtime.db, { memberships: [{ firmId, role: 'ciso' }] });
    const enrolled = await signInWithMfa(app, ciso);
    const url = '/api/v1/auth/mfa/recovery-codes';
    const wrong = await app.inject({ method: 'POST', url, headers: enrolled.headers, payload: { code: '000000' } });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.issues[0].where).toBe('code');

    const replaced = await app.inject({ method: 'POST', url, headers: enrolled.headers, payload: { code: await nextTotp(enrolled.secret) } });
    expect(replaced.statusCode, replaced.body).toBe(200);
    const fresh = replaced.json().recoveryCodes as string[];
    expect(fresh).toHaveLength(10);
    expect(new Set(fresh).size).toBe(10);
    expect(await auditActions()).toContain('auth.mfa_recovery_codes_regenerated');

    // A new code signs in, once.
    let session = await signIn(app, ciso);
    expect((await app.inject({ method: 'POST', url: '/api/v1/auth/mfa', headers: session.headers, payload: { code: fresh[0] } })).json().step).toBe('ok');
    session = await signIn(app, ciso);
    expect((await app.inject({ method: 'POST', url: '/api/v1/auth/mfa', headers: session.headers, payload: { code: fresh[0] } })).statusCode).toBe(401);

    // Without MFA there is nothing to replace.
    const assessor = await signIn(app, await buildUser(runtime.db, { memberships: [{ firmId, role: 'assessor' }] }));
    expect((await app.inject({ method: 'POST', url, headers: assessor.headers, payload: { code: '123456' } })).statusCode).toBe(409);
  });

  it('from enrolment stop working once replaced', async () => {
    const ciso = await buildUser(runtime.db, { memberships: [{ firmId, role: 'ciso' }] });
    const session = await signIn(app, ciso);
    const started = await app.inject({ method: 'POST', url: '/api/v1/auth/mfa/enrol', headers: session.headers });
    const secret = started.json().secret as string;
    const confirmed = await app.inject({ method: 'POST', url: '/api/v1/auth/mfa/enrol/confirm', headers: session.headers, payload: { code: await generate({ secret }) } });
    const [original] = confirmed.json().recoveryCodes as string[];
    const replaced = await app.inject({ method: 'POST', url: '/api/v1/auth/mfa/recovery-codes', headers: session.headers, payload: { code: await nextTotp(secret) } });
    expect(replaced.statusCode, replaced.body).toBe(200);
    const again = await signIn(app, ciso);
    expect((await app.inject({ method: 'POST', url: '/api/v1/auth/mfa', headers: again.headers, payload: { code: original } })).statusCode).toBe(401);
  });
});

describe('TOTP replay', () => {
  it('refuses a code that was already accepted, at enrolment or at sign-in, within its window', async () => {
    const ciso = await buildUser(runtime.db, { memberships: [{ firmId, role: 'ciso' }] });
    const enrolled = await signInWithMfa(app, ciso);
    const enrolmentCode = await generate({ secret: enrolled.secret });
    const nextCode = await nextTotp(enrolled.secret);

    let session = await signIn(app, ciso);
    const replayedEnrolment = await app.inject({ method: 'POST', url: '/api/v1/auth/mfa', headers: session.headers, payload: { code: enrolmentCode } });
    expect(replayedEnrolment.statusCode).toBe(401);
    const fresh = await app.inject({ method: 'POST', url: '/api/v1/auth/mfa', headers: session.headers, payload: { code: nextCode } });
    expect(fresh.json().step).toBe('ok');

    session = await signIn(app, ciso);
    const replayed = await app.inject({ method: 'POST', url: '/api/v1/auth/mfa', headers: session.headers, payload: { code: nextCode } });
    expect(replayed.statusCode).toBe(401);
    expect(replayed.json().error.message).toBe('驗證碼錯誤');
    expect((await app.inject({ method: 'GET', url: '/api/v1/me', headers: session.headers })).json().step).toBe('mfa');
  });
});

describe('per-IP rate limit on the login routes', () => {
  it('answers 429 once an address exceeds the configured attempts per minute', async () => {
    const { buildApp } = await import('../../src/server/app.ts');
    const limited = await buildApp({ ...runtime, config: { ...runtime.config, loginRateLimitPerMinute: 3 } });
    await limited.ready();
    try {
      const statuses: number[] = [];
      for (let attempt = 0; attempt < 5; attempt += 1) {
        const response = await limited.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: '198.51.100.7', payload: { email: `nobody${attempt}@test.anjian.local`, password: 'x' } });
        statuses.push(response.statusCode);
      }
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
      const other = await limited.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: '198.51.100.8', payload: { email: 'nobody@test.anjian.local', password: 'x' } });
      expect(other.statusCode).toBe(401);
    } finally {
      await limited.close();
    }
  });
});

describe('sessions and CSRF', () => {
  it('refuses a write without the CSRF header and logs out for good', async () => {
    const user = await buildUser(runtime.db, { memberships: [{ firmId, role: 'firm_admin' }] });
    await runtime.db.query('UPDATE users SET mfa_enabled = false WHERE id = $1', [user.id]);
    const session = await signIn(app, user);
    const noCsrf = await app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie: session.headers.cookie } });
    expect(noCsrf.statusCode).toBe(403);
    const out = await app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: session.headers });
    expect(out.statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/api/v1/me', headers: session.headers })).statusCode).toBe(401);
  });

  it('sets an HttpOnly SameSite session cookie and security headers', async () => {
    const user = await buildUser(runtime.db, { memberships: [{ firmId, role: 'assessor' }] });
    const response = await login(user.email, user.password);
    const cookie = response.cookies.find((entry) => entry.name === 'anjian_session');
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe('Strict');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(String(response.headers['content-security-policy'])).toContain("frame-ancestors 'none'");
  });
});

describe('audit trail of sign-in events', () => {
  it('records sign-in, failures, lockout and MFA events in an intact chain', async () => {
    const actions = await auditActions();
    for (const action of ['auth.signed_in', 'auth.login_failed', 'auth.locked', 'auth.unlocked', 'auth.mfa_enrolled', 'auth.password_changed', 'auth.signed_out']) {
      expect(actions, action).toContain(action);
    }
    const report = await inTenantTransaction(runtime.db, '*', (tx) => verifyAuditChains(tx));
    expect(report.ok).toBe(true);
  });

  it('names the altered event when a row is edited behind the app', async () => {
    await runtime.db.exec('ALTER TABLE audit_events DISABLE TRIGGER audit_events_guard');
    const victim = (await runtime.db.query<{ id: string }>("SELECT id FROM audit_events WHERE action = 'auth.locked' LIMIT 1")).rows[0];
    await runtime.db.query("UPDATE audit_events SET ip = '10.9.9.9' WHERE id = $1", [victim.id]);
    await runtime.db.exec('ALTER TABLE audit_events ENABLE TRIGGER audit_events_guard');
    const report = await inTenantTransaction(runtime.db, '*', (tx) => verifyAuditChains(tx));
    expect(report.ok).toBe(false);
    expect(report.problems[0]).toMatchObject({ kind: 'altered', eventId: String(victim.id) });
  });

  it('names an event forged onto the end of a chain as inserted', async () => {
    // A chain of its own (the platform chain was altered by the previous test).
    const chainFirm = await buildFirm(runtime.db, '戊證券');
    for (const action of ['firm.created', 'membership.granted']) {
      await inTenantTransaction(runtime.db, '*', (tx) => appendAuditEvent(tx, systemContext('cli'), { firmId: chainFirm, entity: 'firm', action }));
    }
    const last = (await runtime.db.query<Record<string, unknown>>('SELECT * FROM audit_events WHERE chain = $1 ORDER BY seq DESC LIMIT 1', [chainFirm])).rows[0];
    const forged = await runtime.db.query<{ id: string }>(
      `INSERT INTO audit_events (chain, seq, at, firm_id, via, entity, action, detail, prev_hash, hash)
       VALUES ($1::text, $2, now(), $1::uuid, 'api', 'user', 'membership.granted', '{}', $3, $4) RETURNING id`,
      [chainFirm, String(BigInt(String(last.seq)) + 1n), last.hash, 'f'.repeat(64)],
    );
    const report = await inTenantTransaction(runtime.db, '*', (tx) => verifyAuditChains(tx));
    expect(report.problems.find((problem) => problem.chain === chainFirm)).toMatchObject({ kind: 'inserted', eventId: String(forged.rows[0].id) });
  });

  it('the database refuses to edit or delete a recent audit event', async () => {
    await expect(runtime.db.query("UPDATE audit_events SET action = 'x' WHERE id = (SELECT min(id) FROM audit_events)")).rejects.toThrow(/append-only/);
    await expect(runtime.db.query('DELETE FROM audit_events WHERE id = (SELECT min(id) FROM audit_events)')).rejects.toThrow(/three years/);
  });
});
