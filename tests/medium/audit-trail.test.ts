/**
 * The audit trail: chain heads are guarded and verification cannot be fooled by removing one; every
 * event records the actor's role; a firm's auditor sees its members' sign-in and account events.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFirm, buildTestApp, buildUser, openTestRuntime, runCliIn, signIn, signInWithMfa, type TestRuntime } from '../support/harness.ts';
import type { App } from '../../src/server/app.ts';
import { inTenantTransaction, systemContext } from '../../src/server/context.ts';
import { appendAuditEvent, verifyAuditChains } from '../../src/server/audit/audit-log.ts';

let runtime: TestRuntime;
let app: App;
const workDir = mkdtempSync(join(tmpdir(), 'anjian-audit-'));

beforeAll(async () => {
  runtime = await openTestRuntime();
  app = await buildTestApp(runtime);
});
afterAll(async () => {
  await app?.close();
  await runtime?.close();
  rmSync(workDir, { recursive: true, force: true });
});

/** A firm whose chain holds `count` events written by the system. */
async function buildFirmWithEvents(count = 3): Promise<string> {
  const firmId = await buildFirm(runtime.db);
  for (let index = 0; index < count; index += 1) {
    await inTenantTransaction(runtime.db, '*', (tx) => appendAuditEvent(tx, systemContext('cli'), { firmId, entity: 'firm', entityId: firmId, action: `test.step_${index}` }));
  }
  return firmId;
}

/** As the database superuser, bypassing the chain-head guard. */
async function tamperWithHeads(sql: string, params: unknown[]): Promise<void> {
  await runtime.db.query('ALTER TABLE audit_chain_heads DISABLE TRIGGER audit_chain_heads_guard');
  try {
    await runtime.db.query(sql, params);
  } finally {
    await runtime.db.query('ALTER TABLE audit_chain_heads ENABLE TRIGGER audit_chain_heads_guard');
  }
}

describe('audit chain heads', () => {
  it('the database refuses to delete, truncate, rewind or jump a chain head', async () => {
    const firmId = await buildFirmWithEvents();
    await expect(runtime.db.query('DELETE FROM audit_chain_heads WHERE chain = $1', [firmId])).rejects.toThrow(/cannot be deleted/);
    await expect(runtime.db.query('UPDATE audit_chain_heads SET last_seq = last_seq - 1 WHERE chain = $1', [firmId])).rejects.toThrow(/only move forward/);
    await expect(runtime.db.query('UPDATE audit_chain_heads SET last_seq = last_seq + 5 WHERE chain = $1', [firmId])).rejects.toThrow(/only move forward/);
    await expect(runtime.db.query("UPDATE audit_chain_heads SET last_seq = last_seq + 1, last_hash = repeat('a', 64) WHERE chain = $1", [firmId])).rejects.toThrow(/existing event/);
    await expect(runtime.db.query("INSERT INTO audit_chain_heads (chain, last_seq, last_hash) VALUES ('forged', 7, repeat('a', 64))")).rejects.toThrow(/starts at sequence 0/);
    await expect(runtime.db.exec('TRUNCATE audit_chain_heads')).rejects.toThrow(/truncated/);
    const report = await inTenantTransaction(runtime.db, [firmId], (tx) => verifyAuditChains(tx, [firmId]));
    expect(report).toMatchObject({ ok: true, events: 3 });
  });

  it('a chain whose head was deleted is reported broken, by name, not skipped', async () => {
    const firmId = await buildFirmWithEvents();
    await tamperWithHeads('DELETE FROM audit_chain_heads WHERE chain = $1', [firmId]);

    const all = await inTenantTransaction(runtime.db, '*', (tx) => verifyAuditChains(tx));
    expect(all.ok).toBe(false);
    expect(all.problems).toContainEqual(expect.objectContaining({ chain: firmId, kind: 'head_missing' }));
    const firmOnly = await inTenantTransaction(runtime.db, [firmId], (tx) => verifyAuditChains(tx, [firmId]));
    expect(firmOnly).toMatchObject({ ok: false, events: 3, problems: [expect.objectContaining({ kind: 'head_missing' })] });

    const cli = await runCliIn(runtime, workDir, ['audit', 'verify']);
    expect(cli.code).toBe(1);
    expect(cli.stdout).toContain(firmId);
    expect(cli.stdout).toContain('the head was deleted');
  });

  it('a head that no longer matches its chain\'s last event is reported', async () => {
    const firmId = await buildFirmWithEvents();
    await tamperWithHeads("UPDATE audit_chain_heads SET last_hash = repeat('b', 64) WHERE chain = $1", [firmId]);
    const report = await inTenantTransaction(runtime.db, [firmId], (tx) => verifyAuditChains(tx, [firmId]));
    expect(report.problems).toEqual([expect.objectContaining({ chain: firmId, kind: 'head_mismatch' })]);
  });

  it('a rewound head shows the events beyond it as inserted', async () => {
    const firmId = await buildFirmWithEvents();
    await tamperWithHeads('UPDATE audit_chain_heads SET last_seq = 1 WHERE chain = $1', [firmId]);
    const report = await inTenantTransaction(runtime.db, [firmId], (tx) => verifyAuditChains(tx, [firmId]));
    expect(report.problems).toEqual([expect.objectContaining({ chain: firmId, kind: 'inserted', seq: '2' })]);
  });
});

async function roleOf(where: string, params: unknown[]): Promise<string | null> {
  const rows = await runtime.db.query<{ actor_role: string | null }>(`SELECT actor_role FROM audit_events WHERE ${where} ORDER BY id DESC LIMIT 1`, params);
  expect(rows.rows, where).toHaveLength(1);
  return rows.rows[0].actor_role;
}

describe("the actor's role on every event", () => {
  it("records the roles held in the event's firm, platform_admin, or system", async () => {
    const firmA = await buildFirm(runtime.db);
    const firmB = await buildFirm(runtime.db);
    const user = await buildUser(runtime.db, { memberships: [{ firmId: firmA, role: 'reviewer' }, { firmId: firmA, role: 'assessor' }, { firmId: firmB, role: 'auditor' }] });
    const session = await signIn(app, user);
    expect(await roleOf("action = 'auth.signed_in' AND actor_id = $1", [user.id])).toBe('assessor,auditor,reviewer');

    const exported = await app.inject({ method: 'GET', url: `/api/v1/firms/${firmB}/audit/export?format=json`, headers: session.headers });
    expect(exported.statusCode).toBe(200);
    expect(await roleOf("action = 'audit.exported' AND firm_id = $1", [firmB])).toBe('auditor');

    const admin = await buildUser(runtime.db, { memberships: [{ firmId: firmA, role: 'firm_admin' }] });
    const adminSession = await signInWithMfa(app, admin);
    const settings = await app.inject({ method: 'PUT', url: `/api/v1/firms/${firmA}/settings`, headers: adminSession.headers, payload: { requireMfaForAll: false } });
    expect(settings.statusCode).toBe(200);
    expect(await roleOf("action = 'firm.settings_changed' AND firm_id = $1", [firmA])).toBe('firm_admin');

    const platformAdmin = await buildUser(runtime.db, { isPlatformAdmin: true });
    const platformSession = await signInWithMfa(app, platformAdmin);
    const created = await app.inject({ method: 'POST', url: '/api/v1/firms', headers: platformSession.headers, payload: { name: '新設證券' } });
    expect(created.statusCode).toBe(201);
    expect(await roleOf("action = 'firm.created' AND firm_id = $1", [created.json().id])).toBe('platform_admin');

    const cli = await runCliIn(runtime, workDir, ['audit', 'export', '--firm', firmA, '--format', 'json']);
    expect(cli.code, cli.stderr).toBe(0);
    expect(await roleOf("action = 'audit.exported' AND firm_id = $1", [firmA])).toBe('system');
  });
});

describe("a firm's view of its members' sign-in events", () => {
  it("lists and exports the platform-chain events of the firm's members, and no one else's", async () => {
    const firmA = await buildFirm(runtime.db);
    const firmB = await buildFirm(runtime.db);
    const auditorA = await buildUser(runtime.db, { memberships: [{ firmId: firmA, role: 'auditor' }] });
    const memberA = await buildUser(runtime.db, { memberships: [{ firmId: firmA, role: 'assessor' }] });
    const memberB = await buildUser(runtime.db, { memberships: [{ firmId: firmB, role: 'assessor' }] });
    for (const user of [memberA, memberB]) {
      for (let attempt = 0; attempt < 3; attempt += 1) {
        await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: user.email, password: 'wrong-password-1' } });
      }
    }
    await runCliIn(runtime, workDir, ['user', 'unlock', memberA.email]);
    await signIn(app, memberA);

    const session = await signIn(app, auditorA);
    const listed = await app.inject({ method: 'GET', url: `/api/v1/firms/${firmA}/audit?limit=1000`, headers: session.headers });
    expect(listed.statusCode).toBe(200);
    const events = listed.json().events as { chain: string; action: string; actorId: string | null; entityId: string | null }[];
    const aboutMemberA = events.filter((event) => event.entityId === memberA.id || event.actorId === memberA.id).map((event) => event.action);
    for (const action of ['auth.login_failed', 'auth.locked', 'auth.unlocked', 'auth.signed_in']) {
      expect(aboutMemberA, action).toContain(action);
    }
    expect(events.filter((event) => event.actorId === memberA.id || event.entityId === memberA.id).every((event) => event.chain === 'platform')).toBe(true);
    expect(events.some((event) => event.entityId === memberB.id || event.actorId === memberB.id)).toBe(false);

    const exported = await app.inject({ method: 'GET', url: `/api/v1/firms/${firmA}/audit/export?format=csv`, headers: session.headers });
    expect(exported.body).toContain('auth.locked');
    expect(exported.body).toContain(memberA.id);
    expect(exported.body).not.toContain(memberB.id);

    // A view only: the firm's own chain holds none of them, and every chain stays intact.
    const own = await runtime.db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_events WHERE chain = $1 AND action LIKE 'auth.%'", [firmA]);
    expect(own.rows[0].n).toBe(0);
  });
});
