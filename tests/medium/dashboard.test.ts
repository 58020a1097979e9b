/**
 * The dashboard: each figure matches the rows its link lists (compliance by section, trend, open
 * deficiencies by severity and age, overdue work, upcoming campaigns, expiring evidence).
 */
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProfile, buildFirm, buildTestApp, buildUser, openTestRuntime, signIn, signInWithMfa, type Session, type TestRuntime } from '../support/harness.ts';
import type { App } from '../../src/server/app.ts';
import { addEvidence } from '../../src/server/evidence/evidence-service.ts';
import { systemContext } from '../../src/server/context.ts';

const PROFILE = buildProfile();

let runtime: TestRuntime;
let app: App;
let firmId: string;
let assessor: Session;
let ciso: Session;

beforeAll(async () => {
  runtime = await openTestRuntime();
  app = await buildTestApp(runtime);
  firmId = await buildFirm(runtime.db, '儀表證券', PROFILE);
  assessor = await signIn(app, await buildUser(runtime.db, { memberships: [{ firmId, role: 'assessor' }] }));
  ciso = await signInWithMfa(app, await buildUser(runtime.db, { memberships: [{ firmId, role: 'ciso' }] }));
});
afterAll(async () => {
  await app?.close();
  await runtime?.close();
});

async function get(url: string) {
  const response = await app.inject({ method: 'GET', url, headers: assessor.headers });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

describe('dashboard', () => {
  it('gives figures whose links list exactly the rows behind them', async () => {
    const campaigns: string[] = [];
    for (const period of ['2024-01', '2024-02']) {
      const created = await app.inject({ method: 'POST', url: `/api/v1/firms/${firmId}/campaigns`, headers: ciso.headers, payload: { cycle: 'monthly', period, version: '112' } });
      expect(created.statusCode, created.body).toBe(201);
      campaigns.push(created.json().campaign.id);
    }
    const items = (await get(`/api/v1/firms/${firmId}/campaigns/${campaigns[1]}/items`)).items;
    const results = ['compliant', 'compliant', 'compliant', 'non_compliant'];
    for (const [index, result] of results.entries()) {
      const saved = await app.inject({ method: 'PUT', url: `/api/v1/firms/${firmId}/campaigns/${campaigns[1]}/items/${items[index].id}`, headers: assessor.headers, payload: { revision: items[index].revision, result } });
      expect(saved.statusCode).toBe(200);
    }
    await app.inject({ method: 'POST', url: `/api/v1/firms/${firmId}/deficiencies`, headers: assessor.headers, payload: { title: '逾期缺失', source: 'external_audit', severity: 'high', dueDate: '2024-01-31' } });
    await app.inject({ method: 'POST', url: `/api/v1/firms/${firmId}/deficiencies`, headers: assessor.headers, payload: { title: '新缺失', source: 'self_inspection', severity: 'low' } });
    await addEvidence(
      { db: runtime.db, blobs: runtime.blobs, maxUploadBytes: 1_000_000 }, systemContext('cli'),
      { firmId, file: { fileName: 'expired.txt', stream: Readable.from([Buffer.from('expired certificate list\n')]) }, metadata: { title: '過期憑證清單', itemIds: [], collectedOn: '2023-01-01', validUntil: '2023-06-30', campaignItemIds: [items[0].id] } },
    );

    const dashboard = await get(`/api/v1/firms/${firmId}/dashboard?today=2024-03-15`);

    const monthly = dashboard.compliance.find((entry: { cycle: string }) => entry.cycle === 'monthly');
    expect(monthly.period).toBe('2024-02');
    expect(monthly.complianceRate).toBeCloseTo(3 / 4);
    const section = monthly.sections.find((entry: { compliant: { count: number } }) => entry.compliant.count > 0);
    const listed = await get(section.compliant.rows.href);
    expect(listed.items).toHaveLength(section.compliant.count);
    const unassessed = await get(section.unassessed.rows.href);
    expect(unassessed.items).toHaveLength(section.unassessed.count);

    expect(dashboard.trend.map((entry: { period: string }) => entry.period)).toEqual(['2024-01', '2024-02']);
    expect(dashboard.trend[0].complianceRate).toBeNull();

    const high = dashboard.openDeficiencies.filter((entry: { severity: string; count: number }) => entry.severity === 'high' && entry.count > 0);
    expect(high).toHaveLength(1);
    expect((await get(high[0].rows.href)).deficiencies).toHaveLength(1);
    expect(dashboard.overdue.deficiencies.count).toBe(1);
    expect((await get(dashboard.overdue.deficiencies.rows.href)).deficiencies).toHaveLength(1);

    // On 2024-03-15 the January campaign (due 2024-02-29) is overdue; February's is due 2024-03-31.
    expect(dashboard.upcomingCampaigns.find((entry: { period: string }) => entry.period === '2024-02').campaignId).toBe(campaigns[1]);
    expect(dashboard.upcomingCampaigns.find((entry: { period: string }) => entry.period === '2024-03').campaignId).toBeNull();

    expect(dashboard.evidence.expired.count).toBe(1);
    expect((await get(dashboard.evidence.expired.rows.href)).evidence).toHaveLength(1);
    // The expiring figure counts what its list shows: the expired evidence is within 30 days too.
    expect(dashboard.evidence.expiring.count).toBe(1);
    expect((await get(dashboard.evidence.expiring.rows.href)).evidence).toHaveLength(dashboard.evidence.expiring.count);
    // February's campaign has one item leaning on that evidence, January's none; each count matches its list.
    const affected = dashboard.evidence.itemsWithExpiringEvidence as { campaignId: string; count: number; rows: { href: string } }[];
    expect(affected.map((entry) => [entry.campaignId, entry.count])).toEqual(expect.arrayContaining([[campaigns[1], 1], [campaigns[0], 0]]));
    for (const entry of affected) {
      expect((await get(entry.rows.href)).items).toHaveLength(entry.count);
    }
  });

  it('is closed to users of another firm', async () => {
    const other = await buildFirm(runtime.db);
    const outsider = await signIn(app, await buildUser(runtime.db, { memberships: [{ firmId: other, role: 'assessor' }] }));
    const response = await app.inject({ method: 'GET', url: `/api/v1/firms/${firmId}/dashboard`, headers: outsider.headers });
    expect(response.statusCode).toBe(403);
  });
});
