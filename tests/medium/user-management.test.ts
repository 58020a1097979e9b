/**
 * A firm admin's power over accounts ends at the firm's boundary: it cannot pull another firm's account
 * (or a platform admin) into its firm, cannot reset, unlock or reset the MFA of an account that also
 * belongs elsewhere (or of a platform admin or an inspector), and cannot grant or revoke `inspector`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFirm, buildTestApp, buildUser, openTestRuntime, signIn, signInWithMfa, type Session, type TestRuntime, type TestUser } from '../support/harness.ts';
import type { App } from '../../src/server/app.ts';
import { inTenantTransaction } from '../../src/server/context.ts';

let runtime: TestRuntime;
let app: App;
let firmA: string;
let firmB: string;
let platformAdmin: TestUser;
let adminA: TestUser;
let userB: TestUser;
let inspector: TestUser;
let memberA: TestUser;
let adminSessionA: Session;
let platformSession: Session;

beforeAll(async () => {
  runtime = await openTestRuntime();
  app = await buildTestApp(runtime);
  firmA = await buildFirm(runtime.db, '甲證券');
  firmB = await buildFirm(runtime.db, '乙證券');
  platformAdmin = await buildUser(runtime.db, { isPlatformAdmin: true });
  adminA = await buildUser(runtime.db, { memberships: [{ firmId: firmA, role: 'firm_admin' }] });
  userB = await buildUser(runtime.db, { memberships: [{ firmId: firmB, role: 'ciso' }] });
  inspector = await buildUser(runtime.db, { memberships: [{ firmId: firmA, role: 'inspector' }, { firmId: firmB, role: 'inspector' }] });
  memberA = await buildUser(runtime.db, { memberships: [{ firmId: firmA, role: 'assessor' }] });
  adminSessionA = await signInWithMfa(app, adminA);
  platformSession = await signInWithMfa(app, platformAdmin);
});

afterAll(async () => {
  await app?.close();
  await runtime?.close();
});

const post = (session: Session, url: string, payload?: unknown) =>
  app.inject({ method: 'POST', url, headers: session.headers, payload: payload as Record<string, unknown> });

async function membershipsOf(userId: string): Promise<string[]> {
  return inTenantTransaction(runtime.db, '*', async (tx) =>
    (await tx.query<{ firm_id: string; role: string }>('SELECT firm_id, role FROM memberships WHERE user_id = $1 ', [userId]))
      .rows.map((row) => `${row.firm_id === firmA ? 'A' : row.firm_id === firmB ? 'B' : row.firm_id}:${row.role}`).sort());
}

async function passwordStillWorks(user: TestUser): Promise<boolean> {
  const response = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: user.email, password: user.password } });
  return response.statusCode === 200;
}

describe('adding an existing account to a firm', () => {
  it("refuses a firm admin adding another firm's account (409) and leaves its memberships alone", async () => {
    const response = await post(adminSessionA, `/api/v1/firms/${firmA}/users`, { email: userB.email, displayName: '乙', roles: ['assessor'] });
    expect(response.statusCode).toBe(409);
    expect(response.json().error.message).toContain('其他公司');
    expect(response.json().error.issues[0].where).toBe('email');
    expect(await membershipsOf(userB.id)).toEqual(['B:ciso']);
  });

  it('refuses a firm admin adding the platform admin (403)', async () => {
    const response = await post(adminSessionA, `/api/v1/firms/${firmA}/users`, { email: platformAdmin.email.toUpperCase(), displayName: 'x', roles: ['firm_admin'] });
    expect(response.statusCode).toBe(403);
    expect(await membershipsOf(platformAdmin.id)).toEqual([]);
  });

  it('lets a firm admin add a role to an account of its own firm only', async () => {
    const response = await post(adminSessionA, `/api/v1/firms/${firmA}/users`, { email: memberA.email, displayName: 'x', roles: ['reviewer'] });
    expect(response.statusCode).toBe(201);
    expect(response.json().initialPassword).toBeNull();
    expect(await membershipsOf(memberA.id)).toEqual(['A:assessor', 'A:reviewer']);
  });

  it('lets a firm admin create a new account with a one-time password', async () => {
    const response = await post(adminSessionA, `/api/v1/firms/${firmA}/users`, { email: 'new-member@a.example', displayName: '新成員', roles: ['auditor'] });
    expect(response.statusCode).toBe(201);
    expect(response.json().initialPassword).toMatch(/^.{16}$/);
  });
});

describe('the inspector role', () => {
  it('only a platform admin may grant it, on a new or an existing account', async () => {
    const byFirmAdmin = await post(adminSessionA, `/api/v1/firms/${firmA}/users`, { email: 'fake-inspector@a.example', displayName: 'x', roles: ['inspector'] });
    expect(byFirmAdmin.statusCode).toBe(403);
    expect(byFirmAdmin.json().error.message).toContain('inspector');
    const promote = await app.inject({ method: 'PUT', url: `/api/v1/firms/${firmA}/users/${memberA.id}/roles`, headers: adminSessionA.headers, payload: { roles: ['assessor', 'inspector'] } });
    expect(promote.statusCode).toBe(403);
    expect(await membershipsOf(memberA.id)).toEqual(['A:assessor', 'A:reviewer']);

    const byPlatform = await post(platformSession, `/api/v1/firms/${firmA}/users`, { email: 'real-inspector@exchange.example', displayName: '檢查員', roles: ['inspector'] });
    expect(byPlatform.statusCode).toBe(201);
  });

  it('only a platform admin may revoke it', async () => {
    const url = `/api/v1/firms/${firmA}/users/${inspector.id}/roles`;
    const byFirmAdmin = await app.inject({ method: 'PUT', url, headers: adminSessionA.headers, payload: { roles: ['auditor'] } });
    expect(byFirmAdmin.statusCode).toBe(403);
    expect(await membershipsOf(inspector.id)).toEqual(['A:inspector', 'B:inspector']);
    // A firm admin may still change the roles of its own members.
    const own = await app.inject({ method: 'PUT', url: `/api/v1/firms/${firmA}/users/${memberA.id}/roles`, headers: adminSessionA.headers, payload: { roles: ['assessor'] } });
    expect(own.statusCode).toBe(200);
  });
});

describe("resetting or unlocking another account's credentials", () => {
  it("refuses a firm admin on an inspector's account", async () => {
    for (const action of ['reset-password', 'reset-mfa', 'unlock']) {
      const response = await post(adminSessionA, `/api/v1/firms/${firmA}/users/${inspector.id}/${action}`);
      expect(response.statusCode, action).toBe(403);
    }
    expect(await passwordStillWorks(inspector)).toBe(true);
  });

  it('refuses a firm admin on an account a platform admin added from another firm, and lets the platform admin do it', async () => {
    const added = await post(platformSession, `/api/v1/firms/${firmA}/users`, { email: userB.email, displayName: '乙', roles: ['auditor'] });
    expect(added.statusCode).toBe(201);
    expect(await membershipsOf(userB.id)).toEqual(['A:auditor', 'B:ciso']);
    for (const action of ['reset-password', 'reset-mfa', 'unlock']) {
      const response = await post(adminSessionA, `/api/v1/firms/${firmA}/users/${userB.id}/${action}`);
      expect(response.statusCode, action).toBe(403);
      expect(response.json().error.message).toContain('其他公司');
    }
    expect(await passwordStillWorks(userB)).toBe(true);

    const byPlatform = await post(platformSession, `/api/v1/firms/${firmA}/users/${userB.id}/reset-password`);
    expect(byPlatform.statusCode).toBe(200);
    expect(await passwordStillWorks(userB)).toBe(false);
  });

  it("refuses a firm admin on the platform admin's account even when it is a member", async () => {
    await inTenantTransaction(runtime.db, '*', (tx) => tx.query("INSERT INTO memberships (user_id, firm_id, role) VALUES ($1, $2, 'auditor')", [platformAdmin.id, firmA]));
    const response = await post(adminSessionA, `/api/v1/firms/${firmA}/users/${platformAdmin.id}/reset-password`);
    expect(response.statusCode).toBe(403);
    expect(await passwordStillWorks(platformAdmin)).toBe(true);
  });

  it('lets a firm admin unlock, reset the MFA of and reset the password of its own member', async () => {
    for (let attempt = 0; attempt < 3; attempt += 1) {
      await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: memberA.email, password: 'wrong-password-1' } });
    }
    expect(await passwordStillWorks(memberA)).toBe(false);
    expect((await post(adminSessionA, `/api/v1/firms/${firmA}/users/${memberA.id}/unlock`)).statusCode).toBe(200);
    expect(await passwordStillWorks(memberA)).toBe(true);
    expect((await post(adminSessionA, `/api/v1/firms/${firmA}/users/${memberA.id}/reset-mfa`)).statusCode).toBe(200);
    const reset = await post(adminSessionA, `/api/v1/firms/${firmA}/users/${memberA.id}/reset-password`);
    expect(reset.statusCode).toBe(200);
    const session = await signIn(app, { email: memberA.email, password: reset.json().initialPassword });
    expect(session.step).toBe('password_change');
  });

  it("answers 404 for an account that is not the firm's member", async () => {
    const response = await post(adminSessionA, `/api/v1/firms/${firmA}/users/${userB.id.replace(/.$/, '0')}/unlock`);
    expect(response.statusCode).toBe(404);
  });
});
