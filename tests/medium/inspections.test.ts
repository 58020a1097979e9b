/**
 * The exchange inspector: sees only the firms it is assigned to, records findings there (audited,
 * optionally raising an exchange_inspection deficiency), and compares firms by section.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFirm, buildTestApp, buildUser, openTestRuntime, signIn, signInWithMfa, type Session, type TestRuntime } from '../support/harness.ts';
import type { App } from '../../src/server/app.ts';
import { inTenantTransaction } from '../../src/server/context.ts';

const PROFILE = {
  paidInCapitalNtd: 25_000_000_000, fiscalYearEnd: '12-31',
  businessLines: { brokerage: true, proprietary: false, underwriting: false },
  channels: { internet: true, voice: false, traditional: true, dma: false, colocation: false },
  publicCompany: true, foreign: false,
};

let runtime: TestRuntime;
let app: App;
let firmA: string;
let firmB: string;
let firmC: string;
let inspector: Session;
let assessorA: Session;

beforeAll(async () => {
  runtime = await openTestRuntime();
  app = await buildTestApp(runtime);
  firmA = await buildFirm(runtime.db, '甲證券', PROFILE);
  firmB = await buildFirm(runtime.db, '乙證券');
  firmC = await buildFirm(runtime.db, '丙證券', PROFILE);
  inspector = await signInWithMfa(app, await buildUser(runtime.db, { memberships: [{ firmId: firmA, role: 'inspector' }, { firmId: firmB, role: 'inspector' }] }));
  assessorA = await signIn(app, await buildUser(runtime.db, { memberships: [{ firmId: firmA, role: 'assessor' }] }));
});
afterAll(async () => {
  await app?.close();
  await runtime?.close();
});

async function overview(query = '') {
  const response = await app.inject({ method: 'GET', url: `/api/v1/inspections/firms${query}`, headers: inspector.headers });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

function recordFinding(session: Session, firmId: string, payload: Record<string, unknown>) {
  return app.inject({ method: 'POST', url: `/api/v1/firms/${firmId}/inspection-findings`, headers: session.headers, payload });
}

describe('inspector view', () => {
  it('lists only the assigned firms, with their classification', async () => {
    const body = await overview();
    expect(body.firms.map((firm: { name: string }) => firm.name).sort()).toEqual(['乙證券', '甲證券'].sort());
    const a = body.firms.find((firm: { firmId: string }) => firm.firmId === firmA);
    expect(a.classification).toMatchObject({ hasProfile: true, tier: 1, cisoRequired: true });
    const b = body.firms.find((firm: { firmId: string }) => firm.firmId === firmB);
    expect(b.classification).toMatchObject({ hasProfile: false, tier: null });
    expect(b.auditVerification.state).toBe('never_verified');
  });

  it('refuses a user who inspects no firm', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/v1/inspections/firms', headers: assessorA.headers });
    expect(response.statusCode).toBe(403);
  });

  it('records a finding with a deficiency: audited, and the firm sees the deficiency', async () => {
    const response = await recordFinding(inspector, firmA, {
      itemId: 'CSIM:8.3.e', text: '特權帳號未定期覆核', severity: 'high', raiseDeficiency: true, dueDate: '2099-06-30', recommendation: '每季覆核特權帳號',
    });
    expect(response.statusCode, response.body).toBe(201);
    const finding = response.json();
    expect(finding).toMatchObject({ itemId: 'CSIM:8.3.e', section: 'CC-18000', severity: 'high' });
    expect(finding.deficiencyNumber).toBe(1);

    const deficiencies = await app.inject({ method: 'GET', url: `/api/v1/firms/${firmA}/deficiencies?source=exchange_inspection`, headers: assessorA.headers });
    expect(deficiencies.json().deficiencies).toEqual([
      expect.objectContaining({ id: finding.deficiencyId, severity: 'high', state: 'open', items: ['CSIM:8.3.e'], description: '特權帳號未定期覆核', dueDate: '2099-06-30' }),
    ]);
    const actions = await inTenantTransaction(runtime.db, [firmA], async (tx) =>
      (await tx.query<{ action: string; entity_id: string; actor_role: string | null }>('SELECT action, entity_id, actor_role FROM audit_events WHERE firm_id = $1 ORDER BY seq', [firmA])).rows);
    expect(actions).toEqual(expect.arrayContaining([
      expect.objectContaining({ action: 'inspection_finding.recorded', entity_id: finding.id, actor_role: 'inspector' }),
      expect.objectContaining({ action: 'deficiency.created', entity_id: finding.deficiencyId }),
    ]));

    const listed = await app.inject({ method: 'GET', url: `/api/v1/firms/${firmA}/inspection-findings`, headers: assessorA.headers });
    expect(listed.json().findings.map((entry: { id: string }) => entry.id)).toEqual([finding.id]);
  });

  it('records a finding without a deficiency when not asked to raise one', async () => {
    const response = await recordFinding(inspector, firmB, { itemId: 'CSIM@109:9.1', text: '系統開發文件不全', severity: 'low' });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json()).toMatchObject({ deficiencyId: null, section: 'CC-19000' });
    const count = await inTenantTransaction(runtime.db, [firmB], async (tx) => (await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM deficiencies WHERE firm_id = $1', [firmB])).rows[0].n);
    expect(count).toBe(0);
  });

  it('refuses findings on a firm the inspector is not assigned to, and from other roles, writing nothing', async () => {
    expect((await recordFinding(inspector, firmC, { itemId: 'CSIM:8.3.e', text: 'x', severity: 'low' })).statusCode).toBe(403);
    expect((await recordFinding(assessorA, firmA, { itemId: 'CSIM:8.3.e', text: 'x', severity: 'low' })).statusCode).toBe(403);
    const rows = await inTenantTransaction(runtime.db, '*', async (tx) =>
      (await tx.query<{ firm_id: string }>('SELECT firm_id FROM inspection_findings')).rows.map((row) => row.firm_id));
    expect(rows.sort()).toEqual([firmA, firmB].sort());
  });

  it('names the field when the item is not in the catalog', async () => {
    const response = await recordFinding(inspector, firmA, { itemId: 'CSIM:99.9', text: 'x', severity: 'low', raiseDeficiency: true });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.issues[0].where).toBe('itemId');
  });

  it('compares the firms by section and counts open deficiencies by severity', async () => {
    await app.inject({
      method: 'POST', url: `/api/v1/firms/${firmB}/deficiencies`, headers: inspector.headers,
      payload: { title: '網路安全缺失', source: 'exchange_inspection', severity: 'medium', items: ['CSIM:7.1.a'], dueDate: '2020-01-31' },
    });
    const body = await overview();
    const overall = Object.fromEntries(body.comparison.overall.map((entry: { section: string; count: number }) => [entry.section, entry.count]));
    expect(overall['CC-18000']).toBe(1);
    expect(overall['CC-17010']).toBe(1);
    expect(body.comparison.sections[0]).toBe('CC-11000');
    expect(body.comparison.sections).toContain('CC-22010');
    const a = body.firms.find((firm: { firmId: string }) => firm.firmId === firmA);
    expect(a.openDeficiencies).toMatchObject({ high: 1, medium: 0, total: 1 });
    expect(a.inspectionFindings).toBe(1);
    const b = body.firms.find((firm: { firmId: string }) => firm.firmId === firmB);
    expect(b.overdue.deficiencies).toBe(1);

    const filtered = await overview('?hasOverdue=true');
    expect(filtered.firms.map((firm: { firmId: string }) => firm.firmId)).toEqual([firmB]);
    expect(filtered.comparison.firms.map((firm: { firmId: string }) => firm.firmId)).toEqual([firmB]);
    const sorted = await overview('?sort=openHigh&order=desc');
    expect(sorted.firms[0].firmId).toBe(firmA);
  });

  it('keeps the last audit-chain verification per firm', async () => {
    const response = await app.inject({ method: 'POST', url: `/api/v1/firms/${firmA}/inspection-audit-verifications`, headers: inspector.headers });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json().ok).toBe(true);
    const a = (await overview()).firms.find((firm: { firmId: string }) => firm.firmId === firmA);
    expect(a.auditVerification).toMatchObject({ state: 'intact', problems: 0 });
    expect(a.auditVerification.events).toBeGreaterThan(0);
  });
});
