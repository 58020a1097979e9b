/**
 * Self-inspection campaigns through the API: applicable items only, optimistic concurrency,
 * maker-checker review, lock and reopen, carrying evidence forward.
 */
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFirm, buildTestApp, buildUser, openTestRuntime, signIn, signInWithMfa, type Session, type TestRuntime } from '../support/harness.ts';
import type { App } from '../../src/server/app.ts';
import { addEvidence } from '../../src/server/evidence/evidence-service.ts';
import { inTenantTransaction, systemContext } from '../../src/server/context.ts';

/** A profile that answers every question, so applicability has no "needs an answer". */
function buildProfile(channels: { internet: boolean; voice: boolean }): Record<string, unknown> {
  return {
    paidInCapitalNtd: 5_000_000_000,
    fiscalYearEnd: '12-31',
    businessLines: { brokerage: true, proprietary: true, underwriting: false },
    channels: { internet: channels.internet, voice: channels.voice, traditional: true, dma: false, colocation: false },
    publicCompany: true,
    foreign: false,
    shares: { internetDmaTurnoverPct: channels.internet ? 60 : 0, brokerageMarketSharePct: 2, naturalPersonClientPct: 80 },
    website: true,
    apiServices: false,
    cloud: { user: false, provider: false, critical: false },
    socialMedia: false,
    mobileApps: [],
    mobileDevices: false,
    byod: false,
    iot: false,
    videoIdentityVerification: false,
    internationalTransfer: false,
  };
}

let runtime: TestRuntime;
let app: App;
let onlineFirm: string;
let voiceFirm: string;
let ciso: Session;
let assessor: Session;
let reviewer: Session;
let assessorId: string;

interface ItemView { id: string; itemId: string; revision: number; result: string | null; reviewState: string; applicabilityReason: string; evidence: { id: string }[] }

beforeAll(async () => {
  runtime = await openTestRuntime();
  app = await buildTestApp(runtime);
  onlineFirm = await buildFirm(runtime.db, '網路證券', buildProfile({ internet: true, voice: true }));
  voiceFirm = await buildFirm(runtime.db, '語音證券', buildProfile({ internet: false, voice: true }));
  const cisoUser = await buildUser(runtime.db, { memberships: [{ firmId: onlineFirm, role: 'ciso' }, { firmId: voiceFirm, role: 'ciso' }] });
  const assessorUser = await buildUser(runtime.db, { memberships: [{ firmId: onlineFirm, role: 'assessor' }] });
  const reviewerUser = await buildUser(runtime.db, { memberships: [{ firmId: onlineFirm, role: 'reviewer' }] });
  assessorId = assessorUser.id;
  ciso = await signInWithMfa(app, cisoUser);
  assessor = await signIn(app, assessorUser);
  reviewer = await signIn(app, reviewerUser);
});
afterAll(async () => {
  await app?.close();
  await runtime?.close();
});

async function createCampaign(firmId: string, period: string, session = ciso) {
  const response = await app.inject({ method: 'POST', url: `/api/v1/firms/${firmId}/campaigns`, headers: session.headers, payload: { document: 'CSIM', version: '112', cycle: 'monthly', period } });
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as { campaign: { id: string; status: string; progress: { total: number } }; needsAnswer: { id: string }[]; carriedForward: number };
}

async function listItems(firmId: string, campaignId: string, query = ''): Promise<ItemView[]> {
  const response = await app.inject({ method: 'GET', url: `/api/v1/firms/${firmId}/campaigns/${campaignId}/items${query}`, headers: assessor.headers });
  expect(response.statusCode, response.body).toBe(200);
  return response.json().items;
}

describe('campaign creation takes exactly the applicable items', () => {
  it('gives an online-ordering firm the 7.1 internet items and a voice-only firm only 7.1 a, b and f', async () => {
    const online = await createCampaign(onlineFirm, '2024-03');
    const voice = await createCampaign(voiceFirm, '2024-03');
    expect(online.needsAnswer).toEqual([]);
    const onlineIds = (await listItems(onlineFirm, online.campaign.id)).map((item) => item.itemId);
    const voiceResponse = await app.inject({ method: 'GET', url: `/api/v1/firms/${voiceFirm}/campaigns/${voice.campaign.id}/items`, headers: ciso.headers });
    const voiceItems = voiceResponse.json().items as ItemView[];
    const voiceIds = voiceItems.map((item) => item.itemId);
    expect(onlineIds).toContain('CSIM:7.1.c.c');
    expect(onlineIds).toContain('CSIM:7.1.d.a');
    expect(voiceIds).not.toContain('CSIM:7.1.c.c');
    expect(voiceIds).not.toContain('CSIM:7.1.d.a');
    // 另 a、b、f 項並適用於所有證券商
    expect(voiceIds).toContain('CSIM:7.1.a.a');
    expect(voiceIds).toContain('CSIM:7.1.f.a');
    // Headings are assessed through their sub-items; other cycles are not in a monthly campaign.
    expect(onlineIds).not.toContain('CSIM:7.1');
    expect(onlineIds).not.toContain('CSIM:7.1.a');
    expect(onlineIds.some((id) => id.startsWith('CSIM:7.2'))).toBe(false);
    expect(onlineIds.length).toBeGreaterThan(voiceIds.length);
    expect(voiceItems.find((item) => item.itemId === 'CSIM:7.1.a.a')?.applicabilityReason).toMatch(/所有證券商/);
  });

  it('lists items whose applicability needs a profile answer and refuses a duplicate campaign', async () => {
    const firmId = await buildFirm(runtime.db, '未答證券', { ...buildProfile({ internet: true, voice: true }), channels: { voice: true } });
    const admin = await buildUser(runtime.db, { memberships: [{ firmId, role: 'ciso' }] });
    const session = await signInWithMfa(app, admin);
    const created = await createCampaign(firmId, '2024-03', session);
    expect(created.needsAnswer.map((item) => item.id)).toContain('CSIM:7.1.c.c');
    const again = await app.inject({ method: 'POST', url: `/api/v1/firms/${firmId}/campaigns`, headers: session.headers, payload: { document: 'CSIM', version: '112', cycle: 'monthly', period: '2024-03' } });
    expect(again.statusCode).toBe(409);
    const wrongPeriod = await app.inject({ method: 'POST', url: `/api/v1/firms/${firmId}/campaigns`, headers: session.headers, payload: { document: 'CSIM', version: '112', cycle: 'monthly', period: '2024-H1' } });
    expect(wrongPeriod.statusCode).toBe(400);
    expect(wrongPeriod.json().error.issues[0].where).toBe('period');
  });
});

describe('assessment and review', () => {
  let campaignId: string;
  beforeAll(async () => {
    campaignId = (await createCampaign(onlineFirm, '2024-05')).campaign.id;
  });

  it('refuses a save with a stale revision with 409', async () => {
    const [item] = await listItems(onlineFirm, campaignId);
    const url = `/api/v1/firms/${onlineFirm}/campaigns/${campaignId}/items/${item.id}`;
    const first = await app.inject({ method: 'PUT', url, headers: assessor.headers, payload: { revision: item.revision, result: 'compliant', notes: 'first' } });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().revision).toBe(item.revision + 1);
    const second = await app.inject({ method: 'PUT', url, headers: ciso.headers, payload: { revision: item.revision, result: 'non_compliant', notes: 'second' } });
    expect(second.statusCode).toBe(409);
    expect(second.json().error.code).toBe('CONFLICT');
    expect(second.json().error.message).toContain('已被他人修改');
    const [after] = await listItems(onlineFirm, campaignId);
    expect(after.result).toBe('compliant');
  });

  it('lets exactly one of two simultaneous saves of the same revision through', async () => {
    const items = await listItems(onlineFirm, campaignId);
    const target = items[3];
    const url = `/api/v1/firms/${onlineFirm}/campaigns/${campaignId}/items/${target.id}`;
    const responses = await Promise.all([
      app.inject({ method: 'PUT', url, headers: assessor.headers, payload: { revision: target.revision, result: 'compliant', notes: 'A' } }),
      app.inject({ method: 'PUT', url, headers: ciso.headers, payload: { revision: target.revision, result: 'partial', notes: 'B' } }),
    ]);
    expect(responses.map((response) => response.statusCode).sort()).toEqual([200, 409]);
    const winner = responses.find((response) => response.statusCode === 200)?.json();
    const stored = (await listItems(onlineFirm, campaignId)).find((item) => item.id === target.id) as ItemView;
    expect(stored.result).toBe(winner.result);
    expect(stored.revision).toBe(target.revision + 1);
  });

  it('requires a justification for not_applicable', async () => {
    const items = await listItems(onlineFirm, campaignId);
    const response = await app.inject({
      method: 'PUT', url: `/api/v1/firms/${onlineFirm}/campaigns/${campaignId}/items/${items[1].id}`, headers: assessor.headers,
      payload: { revision: items[1].revision, result: 'not_applicable' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.issues[0].where).toMatch(/justification/);
  });

  it('does not let the assessor approve their own assessment (maker-checker)', async () => {
    const items = await listItems(onlineFirm, campaignId);
    const target = items[2];
    const saved = await app.inject({
      method: 'PUT', url: `/api/v1/firms/${onlineFirm}/campaigns/${campaignId}/items/${target.id}`, headers: ciso.headers,
      payload: { revision: target.revision, result: 'partial', notes: 'ciso assessed' },
    });
    expect(saved.statusCode).toBe(200);
    const submitted = await app.inject({ method: 'POST', url: `/api/v1/firms/${onlineFirm}/campaigns/${campaignId}/submit`, headers: ciso.headers, payload: { itemIds: [target.id] } });
    expect(submitted.statusCode, submitted.body).toBe(200);
    const current = (await listItems(onlineFirm, campaignId)).find((item) => item.id === target.id) as ItemView;
    expect(current.reviewState).toBe('submitted');
    const own = await app.inject({
      method: 'POST', url: `/api/v1/firms/${onlineFirm}/campaigns/${campaignId}/review`, headers: ciso.headers,
      payload: { decisions: [{ itemId: target.id, revision: current.revision, decision: 'approve' }] },
    });
    expect(own.statusCode).toBe(403);
    expect(own.json().error.message).toContain('覆核人不可與評核人為同一人');
    const editWhileSubmitted = await app.inject({
      method: 'PUT', url: `/api/v1/firms/${onlineFirm}/campaigns/${campaignId}/items/${target.id}`, headers: assessor.headers,
      payload: { revision: current.revision, result: 'compliant' },
    });
    expect(editWhileSubmitted.statusCode).toBe(409);
    expect(editWhileSubmitted.json().error.code).toBe('INVALID_STATE');
    const other = await app.inject({
      method: 'POST', url: `/api/v1/firms/${onlineFirm}/campaigns/${campaignId}/review`, headers: reviewer.headers,
      payload: { decisions: [{ itemId: target.id, revision: current.revision, decision: 'approve' }] },
    });
    expect(other.statusCode, other.body).toBe(200);
    expect(other.json().approved).toBe(1);
    expect(other.json().campaign.status).toBe('in_review');
  });

  it('locks the campaign once every item is approved, and reopens it only with a reason', async () => {
    const items = (await listItems(onlineFirm, campaignId)).filter((item) => item.reviewState === 'pending' || item.reviewState === 'returned');
    const bulk = await app.inject({
      method: 'POST', url: `/api/v1/firms/${onlineFirm}/campaigns/${campaignId}/items/bulk`, headers: assessor.headers,
      payload: { items: items.map((item) => ({ itemId: item.id, revision: item.revision })), result: 'compliant' },
    });
    expect(bulk.statusCode, bulk.body).toBe(200);
    expect((await app.inject({ method: 'POST', url: `/api/v1/firms/${onlineFirm}/campaigns/${campaignId}/submit`, headers: assessor.headers, payload: {} })).statusCode).toBe(200);
    const submitted = (await listItems(onlineFirm, campaignId)).filter((item) => item.reviewState === 'submitted');
    const review = await app.inject({
      method: 'POST', url: `/api/v1/firms/${onlineFirm}/campaigns/${campaignId}/review`, headers: reviewer.headers,
      payload: { decisions: submitted.map((item) => ({ itemId: item.id, revision: item.revision, decision: 'approve' })) },
    });
    expect(review.statusCode, review.body).toBe(200);
    expect(review.json().campaign.status).toBe('approved');
    expect(review.json().campaign.isLocked).toBe(true);

    const [first] = await listItems(onlineFirm, campaignId);
    const locked = await app.inject({
      method: 'PUT', url: `/api/v1/firms/${onlineFirm}/campaigns/${campaignId}/items/${first.id}`, headers: assessor.headers,
      payload: { revision: first.revision, result: 'non_compliant' },
    });
    expect(locked.statusCode).toBe(423);

    const noReason = await app.inject({ method: 'POST', url: `/api/v1/firms/${onlineFirm}/campaigns/${campaignId}/reopen`, headers: ciso.headers, payload: { reason: ' ' } });
    expect(noReason.statusCode).toBe(400);
    const byAssessor = await app.inject({ method: 'POST', url: `/api/v1/firms/${onlineFirm}/campaigns/${campaignId}/reopen`, headers: assessor.headers, payload: { reason: '補件' } });
    expect(byAssessor.statusCode).toBe(403);
    const reopened = await app.inject({
      method: 'POST', url: `/api/v1/firms/${onlineFirm}/campaigns/${campaignId}/reopen`, headers: ciso.headers,
      payload: { reason: '稽核發現 7.1.a.a 佐證不足', itemIds: [first.id] },
    });
    expect(reopened.statusCode, reopened.body).toBe(200);
    expect(reopened.json().status).toBe('in_review');
    expect(reopened.json().reopenReason).toBe('稽核發現 7.1.a.a 佐證不足');

    const [again] = await listItems(onlineFirm, campaignId);
    expect(again.reviewState).toBe('returned');
    const edit = await app.inject({
      method: 'PUT', url: `/api/v1/firms/${onlineFirm}/campaigns/${campaignId}/items/${again.id}`, headers: assessor.headers,
      payload: { revision: again.revision, result: 'non_compliant', notes: '補正' },
    });
    expect(edit.statusCode, edit.body).toBe(200);

    const events = await inTenantTransaction(runtime.db, '*', (tx) =>
      tx.query<{ detail: { reason: string } }>("SELECT detail FROM audit_events WHERE entity_id = $1 AND action = 'campaign.reopened'", [campaignId]));
    expect(events.rows.map((row) => row.detail.reason)).toEqual(['稽核發現 7.1.a.a 佐證不足']);
  });

  it('keeps one firm out of another firm’s campaign', async () => {
    const response = await app.inject({ method: 'GET', url: `/api/v1/firms/${voiceFirm}/campaigns/${campaignId}`, headers: ciso.headers });
    expect(response.statusCode).toBe(404);
    const foreign = await app.inject({ method: 'GET', url: `/api/v1/firms/${onlineFirm}/campaigns/${campaignId}`, headers: (await signIn(app, await buildUser(runtime.db, { memberships: [{ firmId: voiceFirm, role: 'assessor' }] }))).headers });
    expect(foreign.statusCode).toBe(403);
  });
});

describe('carrying evidence forward', () => {
  it('links last period’s still-valid evidence to the same items of the next period', async () => {
    const march = (await createCampaign(onlineFirm, '2024-07')).campaign.id;
    const items = await listItems(onlineFirm, march);
    const add = (title: string, validUntil: string | null) => addEvidence(
      { db: runtime.db, blobs: runtime.blobs, maxUploadBytes: 1_000_000 },
      { ...systemContext('cli'), actor: { ...systemContext().actor, userId: assessorId } },
      { firmId: onlineFirm, file: { fileName: `${title}.txt`, stream: Readable.from([Buffer.from(`${title} 防火牆規則檢視紀錄\n`)]) }, metadata: { title, itemIds: [], collectedOn: '2024-07-15', validUntil } },
    );
    const valid = await add('valid-evidence', '2025-12-31');
    const expired = await add('expired-evidence', '2024-07-31');
    const linked = await app.inject({
      method: 'PUT', url: `/api/v1/firms/${onlineFirm}/campaigns/${march}/items/${items[0].id}`, headers: assessor.headers,
      payload: { revision: items[0].revision, result: 'compliant', evidenceIds: [valid.id, expired.id] },
    });
    expect(linked.statusCode, linked.body).toBe(200);
    expect(linked.json().evidence).toHaveLength(2);

    const april = await createCampaign(onlineFirm, '2024-08');
    expect(april.carriedForward).toBe(1);
    const next = (await listItems(onlineFirm, april.campaign.id)).find((item) => item.itemId === items[0].itemId) as ItemView;
    expect(next.evidence.map((entry) => entry.id)).toEqual([valid.id]);
    expect(next.result).toBeNull();
  });
});
