/**
 * Generated from the app's route table, so a new route is covered automatically:
 * - every route but the public ones answers 401 without a session;
 * - every firm-scoped route answers 403 to a user of firm A asking for firm B;
 * - row-level security blocks a query that forgot its firm scope.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { buildFirm, buildTestApp, buildUser, openTestRuntime, signIn, type Session, type TestRuntime } from '../support/harness.ts';
import type { App } from '../../src/server/app.ts';
import { routeTables } from '../../src/server/routes/index.ts';
import { inTenantTransaction } from '../../src/server/context.ts';

let runtime: TestRuntime;
let app: App;
let firmA: string;
let firmB: string;
let sessionA: Session;

beforeAll(async () => {
  runtime = await openTestRuntime();
  app = await buildTestApp(runtime);
  firmA = await buildFirm(runtime.db, '甲證券', { paidInCapitalNtd: 5_000_000_000 });
  firmB = await buildFirm(runtime.db, '乙證券', { paidInCapitalNtd: 5_000_000_000 });
  // An auditor of A (read-only, no MFA needed) and a CISO-free setup keep the session simple.
  const user = await buildUser(runtime.db, { memberships: [{ firmId: firmA, role: 'assessor' }, { firmId: firmA, role: 'auditor' }] });
  sessionA = await signIn(app, user);
});

afterAll(async () => {
  await app?.close();
  await runtime?.close();
});

function concreteUrl(url: string, firmId: string): string {
  return url.replace(':firmId', firmId).replace(/:([A-Za-z]+)/g, () => randomUUID()).replace('*', 'x');
}

describe('route table', () => {
  it('lists the firm-scoped routes of every feature area', () => {
    const table = routeTables.get(app) ?? [];
    const scoped = table.filter((route) => route.url.includes(':firmId'));
    expect(scoped.length).toBeGreaterThan(10);
    for (const area of ['profile', 'audit', 'users']) {
      expect(scoped.some((route) => route.url.includes(area)), area).toBe(true);
    }
  });

  it('answers 401 without a session on every non-public route', async () => {
    const table = (routeTables.get(app) ?? []).filter((route) => route.auth !== 'none');
    const failures: string[] = [];
    for (const route of table) {
      const response = await app.inject({ method: route.method as 'GET', url: concreteUrl(route.url, firmA), payload: route.method === 'GET' || route.method === 'DELETE' ? undefined : {} });
      if (response.statusCode !== 401) failures.push(`${route.method} ${route.url} → ${response.statusCode}`);
    }
    expect(failures).toEqual([]);
  });

  it("answers 403 to a user of firm A on every route of firm B, and B's data stays unchanged", async () => {
    const before = await inTenantTransaction(runtime.db, '*', async (tx) => (await tx.query('SELECT count(*)::int AS n FROM audit_events WHERE firm_id = $1', [firmB])).rows[0]);
    const table = (routeTables.get(app) ?? []).filter((route) => route.url.includes(':firmId'));
    const failures: string[] = [];
    for (const route of table) {
      const response = await app.inject({
        method: route.method as 'GET',
        url: concreteUrl(route.url, firmB),
        headers: sessionA.headers,
        payload: route.method === 'GET' || route.method === 'DELETE' ? undefined : {},
      });
      if (response.statusCode !== 403) failures.push(`${route.method} ${route.url} → ${response.statusCode}`);
    }
    expect(failures).toEqual([]);
    const after = await inTenantTransaction(runtime.db, '*', async (tx) => (await tx.query('SELECT count(*)::int AS n FROM audit_events WHERE firm_id = $1', [firmB])).rows[0]);
    expect(after).toEqual(before);
  });

  it('lets the same user read its own firm', async () => {
    const response = await app.inject({ method: 'GET', url: `/api/v1/firms/${firmA}/profile`, headers: sessionA.headers });
    expect(response.statusCode).toBe(200);
  });
});

describe('row-level security', () => {
  it('hides another firm\'s rows from a query that forgot its WHERE clause', async () => {
    const names = await inTenantTransaction(runtime.db, [firmA], async (tx) =>
      (await tx.query<{ name: string }>('SELECT name FROM firms')).rows.map((row) => row.name));
    expect(names).toEqual(['甲證券']);
    const profiles = await inTenantTransaction(runtime.db, [firmA], async (tx) =>
      (await tx.query<{ firm_id: string }>('SELECT firm_id FROM firm_profiles')).rows.map((row) => row.firm_id));
    expect(profiles).toEqual([firmA]);
  });

  it('refuses to write a row into another firm', async () => {
    await expect(
      inTenantTransaction(runtime.db, [firmA], (tx) =>
        tx.query('INSERT INTO firm_profiles (firm_id, revision, profile) VALUES ($1, 99, $2)', [firmB, '{"name":"x"}'])),
    ).rejects.toThrow(/row-level security/);
  });
});
