/**
 * Self-inspection campaigns through the API: applicable items only, optimistic concurrency,
 * maker-checker review, lock and reopen, carrying evidence forward.
 */
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
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

async function createCampaign(firmId: string, period: string, session = ciso, extra: Record<string, unknown> = {}) {
  const response = await app.inject({ method: 'POST', url: `/api/v1/firms/${firmId}/campaigns`, headers: session.headers, payload: { document: 'CSIM', version: '112', cycle: 'monthly', period, ...extra } });
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

describe('evidence links follow item locking and stay pinned once reviewed', () => {
  const deps = () => ({ db: runtime.db, blobs: runtime.blobs, maxUploadBytes: 1_000_000 });
  const asAssessor = () => ({ ...systemContext('cli'), actor: { ...systemContext().actor, userId: assessorId } });
  const upload = (title: string, content: string, campaignItemIds: string[] = []) => addEvidence(deps(), asAssessor(), {
    firmId: onlineFirm, file: { fileName: `${title}.txt`, stream: Readable.from([Buffer.from(content)]) },
    metadata: { title, itemIds: [], collectedOn: '2024-10-15', campaignItemIds },
  });
  const errorOf = (promise: Promise<unknown>) => promise.then(() => null, (error: { code?: string; message: string }) => error);

  it('bumps the item revision when evidence is linked, so a stale save cannot drop the link', async () => {
    const campaignId = (await createCampaign(onlineFirm, '2024-10', ciso, { carryForward: false })).campaign.id;
    const [item] = await listItems(onlineFirm, campaignId);
    const evidence = await upload('colleague-link', '同事剛上傳的佐證\n', [item.id]);
    const [linked] = await listItems(onlineFirm, campaignId);
    expect(linked.revision).toBe(item.revision + 1);
    expect(linked.evidence.map((entry) => entry.id)).toEqual([evidence.id]);

    const stale = await app.inject({
      method: 'PUT', url: `/api/v1/firms/${onlineFirm}/campaigns/${campaignId}/items/${item.id}`, headers: ciso.headers,
      payload: { revision: item.revision, result: 'compliant', evidenceIds: [] },
    });
    expect(stale.statusCode).toBe(409);
    const [still] = await listItems(onlineFirm, campaignId);
    expect(still.evidence.map((entry) => entry.id)).toEqual([evidence.id]);

    // An item still being assessed follows a newer version of its evidence.
    const v2 = await app.inject({ method: 'POST', url: `/api/v1/firms/${onlineFirm}/evidence/${evidence.id}/versions`, ...multipartFile('colleague-link-v2.txt', Buffer.from('同事更新的佐證\n')) });
    expect(v2.statusCode, v2.body).toBe(201);
    const [following] = await listItems(onlineFirm, campaignId);
    expect(following.evidence[0]).toMatchObject({ version: 2, fileName: 'colleague-link-v2.txt' });
  });

  it('refuses links to submitted and approved items; an approved campaign keeps showing and exporting the version it approved', async () => {
    const campaignId = (await createCampaign(onlineFirm, '2024-11', ciso, { carryForward: false })).campaign.id;
    const items = await listItems(onlineFirm, campaignId);
    const v1 = await upload('firewall-review', '防火牆規則檢視 第一版\n', [items[0].id]);
    const v1Sha = v1.versions[0].sha256;
    const fresh = await listItems(onlineFirm, campaignId);
    const bulk = await app.inject({
      method: 'POST', url: `/api/v1/firms/${onlineFirm}/campaigns/${campaignId}/items/bulk`, headers: assessor.headers,
      payload: { items: fresh.map((item) => ({ itemId: item.id, revision: item.revision })), result: 'compliant' },
    });
    expect(bulk.statusCode, bulk.body).toBe(200);
    expect((await app.inject({ method: 'POST', url: `/api/v1/firms/${onlineFirm}/campaigns/${campaignId}/submit`, headers: assessor.headers, payload: {} })).statusCode).toBe(200);

    const whileSubmitted = await errorOf(upload('late-evidence', '送覆核後才補的佐證\n', [items[0].id]));
    expect(whileSubmitted?.code).toBe('INVALID_STATE');
    expect(whileSubmitted?.message).toContain('不能連結佐證');
    const late = await app.inject({ method: 'GET', url: `/api/v1/firms/${onlineFirm}/evidence`, headers: assessor.headers });
    expect(late.json().evidence.map((entry: { title: string }) => entry.title)).not.toContain('late-evidence');

    const submitted = await listItems(onlineFirm, campaignId);
    const review = await app.inject({
      method: 'POST', url: `/api/v1/firms/${onlineFirm}/campaigns/${campaignId}/review`, headers: reviewer.headers,
      payload: { decisions: submitted.map((item) => ({ itemId: item.id, revision: item.revision, decision: 'approve' })) },
    });
    expect(review.json().campaign.status, review.body).toBe('approved');
    const whileApproved = await errorOf(upload('after-approval', '核定後的佐證\n', [items[0].id]));
    expect(whileApproved?.code).toBe('LOCKED');

    const v2 = await app.inject({
      method: 'POST', url: `/api/v1/firms/${onlineFirm}/evidence/${v1.id}/versions`, 
      ...multipartFile('firewall-review-v2.txt', Buffer.from('防火牆規則檢視 第二版（核定後）\n')),
    });
    expect(v2.statusCode, v2.body).toBe(201);
    expect(v2.json().versions).toHaveLength(2);

    const renamed = await app.inject({ method: 'PATCH', url: `/api/v1/firms/${onlineFirm}/evidence/${v1.id}`, headers: assessor.headers, payload: { title: '防火牆規則檢視（改名）' } });
    expect(renamed.statusCode, renamed.body).toBe(200);

    const [approved] = await listItems(onlineFirm, campaignId);
    const shown = approved.evidence[0] as unknown as { id: string; title: string; version: number; sha256: string; fileName: string };
    expect(shown).toMatchObject({ id: v1.id, title: 'firewall-review', version: 1, sha256: v1Sha, fileName: 'firewall-review.txt' });
    const download = await app.inject({ method: 'GET', url: `/api/v1/firms/${onlineFirm}/evidence/${v1.id}/download?version=${shown.version}`, headers: reviewer.headers });
    expect(download.body).toContain('第一版');

    const exported = await app.inject({ method: 'GET', url: `/api/v1/firms/${onlineFirm}/campaigns/${campaignId}/checklist.xlsx`, headers: ciso.headers });
    expect(exported.statusCode).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(exported.rawPayload as never);
    const cells = workbook.worksheets[0].getSheetValues().flat().map(String);
    expect(cells.some((cell) => cell.includes(v1Sha.slice(0, 12)) && cell.includes('第 1 版'))).toBe(true);
  });
});

function multipartFile(fileName: string, content: Buffer): { headers: Record<string, string>; payload: Buffer } {
  const boundary = `----anjian${Math.random().toString(16).slice(2)}`;
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
    content, Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { headers: { ...ciso.headers, 'content-type': `multipart/form-data; boundary=${boundary}` }, payload };
}

describe('the profile in force for the period', () => {
  it('builds a past period with the profile of its end, a future one with today’s, and says which revision it used', async () => {
    const firmId = await buildFirm(runtime.db, '改制證券');
    await inTenantTransaction(runtime.db, '*', async (tx) => {
      await tx.query("INSERT INTO firm_profiles (firm_id, revision, profile, valid_from) VALUES ($1, 1, $2, '2024-01-01T00:00:00Z')",
        [firmId, JSON.stringify({ name: '改制證券', ...buildProfile({ internet: false, voice: true }) })]);
      await tx.query("INSERT INTO firm_profiles (firm_id, revision, profile, valid_from) VALUES ($1, 2, $2, '2024-06-15T00:00:00Z')",
        [firmId, JSON.stringify({ name: '改制證券', ...buildProfile({ internet: true, voice: true }) })]);
    });
    const session = await signInWithMfa(app, await buildUser(runtime.db, { memberships: [{ firmId, role: 'ciso' }] }));
    const itemIdsOf = async (campaignId: string) => ((await app.inject({ method: 'GET', url: `/api/v1/firms/${firmId}/campaigns/${campaignId}/items`, headers: session.headers })).json().items as ItemView[]).map((item) => item.itemId);

    // March 2024: voice only then, although the latest profile offers internet ordering.
    const march = await createCampaign(firmId, '2024-03', session);
    expect(march.campaign).toMatchObject({ profileRevision: 1 });
    expect(await itemIdsOf(march.campaign.id)).not.toContain('CSIM:7.1.c.c');
    const july = await createCampaign(firmId, '2024-07', session);
    expect(july.campaign).toMatchObject({ profileRevision: 2 });
    expect(await itemIdsOf(july.campaign.id)).toContain('CSIM:7.1.c.c');

    const nextYear = String(new Date().getUTCFullYear() + 1);
    const future = await app.inject({ method: 'POST', url: `/api/v1/firms/${firmId}/campaigns`, headers: session.headers, payload: { version: '112', cycle: 'monthly', period: `${nextYear}-12` } });
    expect(future.statusCode, future.body).toBe(201);
    expect(future.json().campaign.profileRevision).toBe(2);
    const shown = await app.inject({ method: 'GET', url: `/api/v1/firms/${firmId}/campaigns/${march.campaign.id}`, headers: session.headers });
    expect(shown.json().profileRevision).toBe(1);
  });
});
