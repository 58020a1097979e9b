/**
 * Deficiencies through the API: creation by hand and from a non-compliant campaign item, the state
 * machine (illegal moves refused), verification by someone other than the owner, history, overdue
 * flags and the CSIM 11.(2) follow-up report as JSON and XLSX.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProfile, buildFirm, buildTestApp, buildUser, openTestRuntime, signIn, signInWithMfa, type Session, type TestRuntime } from '../support/harness.ts';
import type { App } from '../../src/server/app.ts';

const PROFILE = buildProfile();

let runtime: TestRuntime;
let app: App;
let firmId: string;
let owner: Session;
let ownerId: string;
let verifier: Session;
let verifierId: string;
let ciso: Session;

interface DeficiencyView { id: string; number: number; state: string; revision: number; isOverdue: boolean; items: string[]; source: string }

beforeAll(async () => {
  runtime = await openTestRuntime();
  app = await buildTestApp(runtime);
  firmId = await buildFirm(runtime.db, '缺失證券', PROFILE);
  const ownerUser = await buildUser(runtime.db, { memberships: [{ firmId, role: 'assessor' }, { firmId, role: 'reviewer' }] });
  ownerId = ownerUser.id;
  owner = await signIn(app, ownerUser);
  const verifierUser = await buildUser(runtime.db, { memberships: [{ firmId, role: 'reviewer' }] });
  verifierId = verifierUser.id;
  verifier = await signIn(app, verifierUser);
  ciso = await signInWithMfa(app, await buildUser(runtime.db, { memberships: [{ firmId, role: 'ciso' }] }));
});
afterAll(async () => {
  await app?.close();
  await runtime?.close();
});

const base = () => `/api/v1/firms/${firmId}/deficiencies`;

async function create(payload: Record<string, unknown>, session = owner): Promise<DeficiencyView> {
  const response = await app.inject({ method: 'POST', url: base(), headers: session.headers, payload });
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

async function move(deficiency: DeficiencyView, to: string, session: Session, comment?: string) {
  return app.inject({ method: 'POST', url: `${base()}/${deficiency.id}/transitions`, headers: session.headers, payload: { revision: deficiency.revision, to, comment } });
}

describe('deficiency state machine', () => {
  it('walks open → planned → in_remediation → pending_verification → closed, verified by another person', async () => {
    let deficiency = await create({
      title: '防火牆規則未每年檢視', source: 'internal_audit', items: ['CSIM:7.1.b.f'], severity: 'high',
      ownerId, dueDate: '2030-12-31', plan: '建立年度檢視程序', recommendation: '每年至少檢視一次並留存紀錄',
    });
    expect(deficiency.number).toBe(1);
    expect(deficiency.state).toBe('open');

    const illegal = await move(deficiency, 'closed', verifier);
    expect(illegal.statusCode).toBe(409);
    expect(illegal.json().error.code).toBe('INVALID_STATE');

    for (const to of ['planned', 'in_remediation', 'pending_verification']) {
      const response = await move(deficiency, to, owner);
      expect(response.statusCode, response.body).toBe(200);
      deficiency = response.json();
    }
    const byOwner = await move(deficiency, 'closed', owner);
    expect(byOwner.statusCode).toBe(403);
    expect(byOwner.json().error.message).toContain('改善負責人及送驗證者以外');

    const closed = await move(deficiency, 'closed', verifier);
    expect(closed.statusCode, closed.body).toBe(200);
    deficiency = closed.json();
    expect(deficiency.state).toBe('closed');

    const reopenWithout = await move(deficiency, 'in_remediation', owner);
    expect(reopenWithout.statusCode).toBe(400);
    const reopened = await move(deficiency, 'in_remediation', owner, '複查發現仍有規則未檢視');
    expect(reopened.statusCode).toBe(200);

    const detail = (await app.inject({ method: 'GET', url: `${base()}/${deficiency.id}`, headers: owner.headers })).json();
    expect(detail.history.map((entry: { toState: string }) => entry.toState)).toEqual(['open', 'planned', 'in_remediation', 'pending_verification', 'closed', 'in_remediation']);
    expect(detail.history[5].comment).toBe('複查發現仍有規則未檢視');
  });

  it('keeps verification independent: no owner change while pending, no closing by the requester, no remediation without an owner', async () => {
    let deficiency = await create({ title: '備份未異地存放', source: 'internal_audit', items: ['CSIM:7.1.b.f'], severity: 'medium', ownerId, plan: '異地備份', dueDate: '2030-06-30' });
    for (const to of ['in_remediation', 'pending_verification']) {
      const response = await move(deficiency, to, ciso);
      expect(response.statusCode, response.body).toBe(200);
      deficiency = response.json();
    }
    // The owner hands the deficiency to a colleague to be able to close it: refused.
    const reassigned = await app.inject({ method: 'PATCH', url: `${base()}/${deficiency.id}`, headers: owner.headers, payload: { revision: deficiency.revision, ownerId: verifierId } });
    expect(reassigned.statusCode).toBe(409);
    expect(reassigned.json().error.issues[0].where).toBe('ownerId');
    // The CISO asked for verification, so the CISO cannot verify it either; nor the owner.
    const byRequester = await move(deficiency, 'closed', ciso);
    expect(byRequester.statusCode).toBe(403);
    expect(byRequester.json().error.message).toContain('送驗證者');
    expect((await move(deficiency, 'closed', owner)).statusCode).toBe(403);
    const closed = await move(deficiency, 'closed', verifier);
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json().verifiedBy).toBe(verifierId);

    const ownerless = await create({ title: '無負責人的缺失', source: 'self_inspection', severity: 'low' });
    const started = await move(ownerless, 'in_remediation', verifier);
    expect(started.statusCode).toBe(400);
    expect(started.json().error.issues[0].where).toBe('ownerId');
  });

  it('refuses a stale revision and planning without a plan', async () => {
    const deficiency = await create({ title: '未設置電腦稽核人員', source: 'self_inspection', severity: 'medium' });
    const noPlan = await move(deficiency, 'planned', owner);
    expect(noPlan.statusCode).toBe(400);
    const updated = await app.inject({ method: 'PATCH', url: `${base()}/${deficiency.id}`, headers: owner.headers, payload: { revision: deficiency.revision, plan: '聘任稽核人員', ownerId, dueDate: '2020-01-31' } });
    expect(updated.statusCode, updated.body).toBe(200);
    expect(updated.json().isOverdue).toBe(true);
    const stale = await app.inject({ method: 'PATCH', url: `${base()}/${deficiency.id}`, headers: owner.headers, payload: { revision: deficiency.revision, severity: 'low' } });
    expect(stale.statusCode).toBe(409);
    const overdue = await app.inject({ method: 'GET', url: `${base()}?overdue=true`, headers: owner.headers });
    expect(overdue.json().deficiencies.map((entry: DeficiencyView) => entry.id)).toEqual([deficiency.id]);
  });

  it('opens a deficiency from a non-compliant campaign item, once', async () => {
    const created = await app.inject({ method: 'POST', url: `/api/v1/firms/${firmId}/campaigns`, headers: ciso.headers, payload: { cycle: 'annual', period: '2024', version: '112' } });
    expect(created.statusCode, created.body).toBe(201);
    const campaignId = created.json().campaign.id;
    const items = (await app.inject({ method: 'GET', url: `/api/v1/firms/${firmId}/campaigns/${campaignId}/items`, headers: owner.headers })).json().items;
    const [compliant, failing] = items;
    await app.inject({ method: 'PUT', url: `/api/v1/firms/${firmId}/campaigns/${campaignId}/items/${compliant.id}`, headers: owner.headers, payload: { revision: compliant.revision, result: 'compliant' } });
    await app.inject({ method: 'PUT', url: `/api/v1/firms/${firmId}/campaigns/${campaignId}/items/${failing.id}`, headers: owner.headers, payload: { revision: failing.revision, result: 'non_compliant', notes: '無書面風險評估報告' } });
    const fromCompliant = await app.inject({ method: 'POST', url: `/api/v1/firms/${firmId}/campaigns/${campaignId}/items/${compliant.id}/deficiency`, headers: owner.headers, payload: { severity: 'low' } });
    expect(fromCompliant.statusCode).toBe(409);
    const fromFailing = await app.inject({ method: 'POST', url: `/api/v1/firms/${firmId}/campaigns/${campaignId}/items/${failing.id}/deficiency`, headers: owner.headers, payload: { severity: 'high', recommendation: '每年辦理風險評估' } });
    expect(fromFailing.statusCode, fromFailing.body).toBe(201);
    expect(fromFailing.json()).toMatchObject({ source: 'self_inspection', items: [failing.itemId], description: '無書面風險評估報告' });
    const twice = await app.inject({ method: 'POST', url: `/api/v1/firms/${firmId}/campaigns/${campaignId}/items/${failing.id}/deficiency`, headers: owner.headers, payload: { severity: 'high' } });
    expect(twice.statusCode).toBe(409);

    // After a reload the item shows the deficiency raised from it, so it is not offered again.
    const reloaded = (await app.inject({ method: 'GET', url: `/api/v1/firms/${firmId}/campaigns/${campaignId}/items`, headers: owner.headers })).json().items as { id: string; deficiency: unknown }[];
    const raised = fromFailing.json() as DeficiencyView;
    expect(reloaded.find((item) => item.id === failing.id)?.deficiency).toEqual({ id: raised.id, number: raised.number, state: 'open' });
    expect(reloaded.find((item) => item.id === compliant.id)?.deficiency).toBeNull();
  });

  it('produces the follow-up report with summary, scope, findings and recommendations, also as XLSX', async () => {
    const report = await app.inject({ method: 'GET', url: `${base()}/report`, headers: owner.headers });
    expect(report.statusCode, report.body).toBe(200);
    const body = report.json();
    expect(body.summary.total).toBe(5);
    expect(body.summary.byState.in_remediation).toBe(1);
    expect(body.summary.overdue).toBe(1);
    expect(body.scope.sources).toEqual(['internal_audit', 'self_inspection']);
    expect(body.recommendations.map((entry: { recommendation: string }) => entry.recommendation)).toContain('每年至少檢視一次並留存紀錄');

    const xlsx = await app.inject({ method: 'GET', url: `${base()}/report.xlsx`, headers: owner.headers });
    expect(xlsx.statusCode).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.rawPayload as never);
    const findings = workbook.worksheets[1];
    expect(findings.rowCount).toBe(6);
    expect(findings.getCell(2, 2).text).toBe('防火牆規則未每年檢視');
  });
});

describe('picking a deficiency owner', () => {
  it('lets an assessor list the firm\'s members (names and roles only) and assign a colleague, but not read the user accounts', async () => {
    const assessorUser = await buildUser(runtime.db, { memberships: [{ firmId, role: 'assessor' }] });
    const assessor = await signIn(app, assessorUser);
    const members = await app.inject({ method: 'GET', url: `/api/v1/firms/${firmId}/members`, headers: assessor.headers });
    expect(members.statusCode, members.body).toBe(200);
    const listed = members.json().members as { id: string; roles: string[]; locked?: unknown }[];
    expect(listed.find((member) => member.id === ownerId)?.roles.sort()).toEqual(['assessor', 'reviewer']);
    expect(listed.find((member) => member.id === assessorUser.id)?.roles).toEqual(['assessor']);
    expect(listed.every((member) => member.locked === undefined)).toBe(true);
    const accounts = await app.inject({ method: 'GET', url: `/api/v1/firms/${firmId}/users`, headers: assessor.headers });
    expect(accounts.statusCode).toBe(403);

    const assigned = await create({ title: '弱點掃描報告逾期未複測', source: 'self_inspection', items: ['CSIM:7.1.b.f'], severity: 'low', ownerId }, assessor);
    expect(assigned.state).toBe('open');
    const stranger = await buildUser(runtime.db, {});
    const refused = await app.inject({ method: 'POST', url: base(), headers: assessor.headers, payload: { title: '外人', source: 'self_inspection', items: ['CSIM:7.1.b.f'], severity: 'low', ownerId: stranger.id } });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.issues[0].where).toBe('ownerId');

    const otherFirm = await buildFirm(runtime.db, '他家證券');
    const outsider = await signIn(app, await buildUser(runtime.db, { memberships: [{ firmId: otherFirm, role: 'assessor' }] }));
    const crossFirm = await app.inject({ method: 'GET', url: `/api/v1/firms/${firmId}/members`, headers: outsider.headers });
    expect(crossFirm.statusCode).toBe(403);
  });
});
