/**
 * Self-inspection benchmarks through the real app (`app.inject`, signed in as an assessor):
 * - the campaign page (GET the campaign and GET its items, issued together as the web page does)
 *   for a campaign of 300 items, a third with linked evidence;
 * - the dashboard of a firm with five fiscal years of monthly, semi-annual and annual campaigns
 *   (items chosen by applicability, past ones approved), open deficiencies and evidence;
 * - evidence upload throughput through the multipart route.
 * Data is written with direct SQL (one statement per table), not through the services: building it
 * is not what is measured.
 */
import { randomBytes, randomUUID, createHash } from 'node:crypto';
import type { App } from '../src/server/app.ts';
import type { Queryable } from '../src/server/db/client.ts';
import { inTenantTransaction } from '../src/server/context.ts';
import { evaluateApplicability } from '../src/domain/applicability/evaluate.ts';
import { selectCampaignItems } from '../src/domain/assessments/campaign-rules.ts';
import { buildInspectionPeriods } from '../src/domain/calendar/periods.ts';
import { validateFirmProfile, type FirmProfile } from '../src/domain/firms/profile.ts';
import type { CatalogItem, CatalogVersion } from '../src/domain/catalog/resolve.ts';
import type { Cycle } from '../src/domain/catalog/schema.ts';
import { buildFirm, buildTestApp, buildUser, signIn, type Session } from '../tests/support/harness.ts';
import { openBenchRuntime, type DatabaseKind } from './bench-database.ts';
import { percentile } from './catalog-bench.ts';

/** Answers every profile question, so no item is left needing an answer. */
const PROFILE = {
  paidInCapitalNtd: 12_000_000_000,
  fiscalYearEnd: '12-31',
  businessLines: { brokerage: true, proprietary: true, underwriting: true },
  channels: { internet: true, voice: true, traditional: true, dma: true, colocation: false },
  publicCompany: true,
  foreign: false,
  shares: { internetDmaTurnoverPct: 60, brokerageMarketSharePct: 3, naturalPersonClientPct: 80 },
  website: true,
  apiServices: true,
  cloud: { user: true, provider: false, critical: true },
  socialMedia: true,
  mobileApps: [{ name: '行動下單', level: 'L2' }],
  mobileDevices: true,
  byod: false,
  iot: false,
  videoIdentityVerification: false,
  internationalTransfer: false,
};

const CAMPAIGN_ITEMS = 300;
const DASHBOARD_TODAY = '2024-12-15';
const DASHBOARD_YEARS = [2020, 2021, 2022, 2023, 2024];
const RESULTS = ['compliant', 'compliant', 'compliant', 'partial', 'non_compliant', 'not_applicable'] as const;

export interface LatencyFigures {
  requests: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  /** CPU time of this process per request (user + system): includes PGlite's work, not a PostgreSQL server's. */
  cpuMsPerRequest: number;
}

export interface SelfInspectionBenchResult {
  database: DatabaseKind;
  setupMs: number;
  campaignItems: number;
  /** GET campaign + GET items together (what the page waits for). */
  campaignPage: LatencyFigures;
  campaignItemsOnly: LatencyFigures;
  dashboardCampaigns: number;
  dashboardItems: number;
  dashboard: LatencyFigures;
  upload: { files: number; megabytesEach: number; seconds: number; megabytesPerSecond: number };
}

interface CampaignRowInput {
  id: string;
  cycle: Cycle;
  period: string;
  start: string;
  end: string;
  due: string;
  status: 'open' | 'in_review' | 'approved';
}

interface ItemRowInput {
  path: string;
  itemId: string;
  lineage: string | null;
  section: string | null;
  order: number;
  reason: string;
}

/** Inserts one campaign and its items (results, reviews and evidence links spread deterministically). */
async function insertCampaign(
  tx: Queryable,
  context: { firmId: string; userId: string; evidenceIds: string[] },
  campaign: CampaignRowInput,
  items: ItemRowInput[],
  assessedShare: number,
): Promise<string[]> {
  await tx.query(
    `INSERT INTO campaigns (id, firm_id, period, cycle, document, version, title, status, due_date, created_by, period_start, period_end, approved_at, approved_by)
     VALUES ($1, $2, $3, $4, 'CSIM', '112', $5, $6, $7, $8, $9, $10, $11, $12)`,
    [campaign.id, context.firmId, campaign.period, campaign.cycle, `CSIM 112 自行查核 ${campaign.period}`, campaign.status, campaign.due, context.userId,
      campaign.start, campaign.end, campaign.status === 'approved' ? campaign.due : null, campaign.status === 'approved' ? context.userId : null],
  );
  const ids = items.map(() => randomUUID());
  const isApproved = campaign.status === 'approved';
  const assessed = items.map((_, index) => isApproved || index < Math.round(items.length * assessedShare));
  await tx.query(
    `INSERT INTO campaign_items (id, firm_id, campaign_id, path, item_id, applicability, applicability_reason, section, lineage, ord,
       result, justification, assessor_id, assessed_at, review_state, reviewer_id, reviewed_at, revision)
     SELECT id, $2::uuid, $3::uuid, path, item_id, 'applies', reason, section, lineage, ord,
       result, CASE WHEN result = 'not_applicable' THEN '本期無此業務' END,
       CASE WHEN result IS NULL THEN NULL ELSE $4::uuid END, CASE WHEN result IS NULL THEN NULL ELSE now() END,
       state, CASE WHEN state = 'approved' THEN $4::uuid END, CASE WHEN state = 'approved' THEN now() END,
       CASE WHEN result IS NULL THEN 1 ELSE 2 END
     FROM unnest($1::uuid[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::int[], $11::text[], $12::text[])
       AS t(id, path, item_id, reason, section, lineage, ord, result, state)`,
    [
      ids, context.firmId, campaign.id, context.userId,
      items.map((item) => item.path), items.map((item) => item.itemId), items.map((item) => item.reason),
      items.map((item) => item.section), items.map((item) => item.lineage), items.map((item) => item.order),
      items.map((_, index) => (assessed[index] ? RESULTS[index % RESULTS.length] : null)),
      items.map((_, index) => (isApproved ? 'approved' : assessed[index] && index % 4 === 0 ? 'submitted' : 'pending')),
    ],
  );
  // Every third item carries one or two pieces of evidence.
  const links: [string, string][] = [];
  ids.forEach((id, index) => {
    if (index % 3 !== 0 || context.evidenceIds.length === 0) return;
    links.push([id, context.evidenceIds[index % context.evidenceIds.length]]);
    if (index % 6 === 0) links.push([id, context.evidenceIds[(index + 7) % context.evidenceIds.length]]);
  });
  if (links.length > 0) {
    await tx.query(
      `INSERT INTO campaign_item_evidence (campaign_item_id, evidence_id, firm_id)
       SELECT item, evidence, $3::uuid FROM unnest($1::uuid[], $2::uuid[]) AS t(item, evidence) ON CONFLICT DO NOTHING`,
      [links.map((link) => link[0]), links.map((link) => link[1]), context.firmId],
    );
  }
  return ids;
}

/** `count` evidence records with one version each; validity spread over expired, expiring and valid. */
async function insertEvidence(tx: Queryable, firmId: string, userId: string, count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, () => randomUUID());
  const shas = ids.map((id) => createHash('sha256').update(id).digest('hex'));
  const validUntil = ids.map((_, index) => ['2024-06-30', '2025-01-10', '2025-12-31', null][index % 4]);
  await tx.query(
    `INSERT INTO blobs (sha256, size, mime) SELECT sha, 2048, 'application/pdf' FROM unnest($1::text[]) AS t(sha)`,
    [shas],
  );
  await tx.query(
    `INSERT INTO evidence (id, firm_id, title, owner_id, collected_on, valid_until, retain_until, created_by)
     SELECT id, $2::uuid, '佐證 ' || ord, $3::uuid, '2024-01-15', valid_until::date, '2030-12-31', $3::uuid
     FROM unnest($1::uuid[], $4::text[]) WITH ORDINALITY AS t(id, valid_until, ord)`,
    [ids, firmId, userId, validUntil],
  );
  await tx.query(
    `INSERT INTO evidence_versions (evidence_id, firm_id, version, sha256, file_name, mime, size, uploaded_by)
     SELECT id, $2::uuid, 1, sha, 'evidence-' || ord || '.pdf', 'application/pdf', 2048, $3::uuid
     FROM unnest($1::uuid[], $4::text[]) WITH ORDINALITY AS t(id, sha, ord)`,
    [ids, firmId, userId, shas],
  );
  return ids;
}

async function insertDeficiencies(tx: Queryable, firmId: string, count: number): Promise<void> {
  const ids = Array.from({ length: count }, () => randomUUID());
  await tx.query(
    `INSERT INTO deficiencies (id, firm_id, number, title, source, severity, state, due_date, created_at)
     SELECT id, $2::uuid, ord, '缺失 ' || ord, 'self_inspection', (ARRAY['high','medium','low'])[1 + ord % 3],
       (ARRAY['open','planned','in_remediation','closed'])[1 + ord % 4], DATE '2024-12-31' - (ord * 7)::int, TIMESTAMPTZ '2024-12-01' - make_interval(days => (ord * 11)::int)
     FROM unnest($1::uuid[]) WITH ORDINALITY AS t(id, ord)`,
    [ids, firmId],
  );
}

async function measure(rounds: number, run: () => Promise<void>): Promise<LatencyFigures> {
  for (let warm = 0; warm < Math.min(5, rounds); warm += 1) await run();
  const latencies: number[] = [];
  const cpuStarted = process.cpuUsage();
  for (let round = 0; round < rounds; round += 1) {
    const started = performance.now();
    await run();
    latencies.push(performance.now() - started);
  }
  const cpu = process.cpuUsage(cpuStarted);
  return {
    requests: rounds, p50Ms: percentile(latencies, 0.5), p95Ms: percentile(latencies, 0.95), maxMs: Math.max(...latencies),
    cpuMsPerRequest: (cpu.user + cpu.system) / 1000 / rounds,
  };
}

async function expectOk(app: App, session: Session, url: string): Promise<unknown> {
  const response = await app.inject({ method: 'GET', url, headers: session.headers });
  if (response.statusCode !== 200) throw new Error(`GET ${url}: ${response.statusCode} ${response.body.slice(0, 300)}`);
  return response.json();
}

function buildMultipart(metadata: Record<string, unknown>, fileName: string, content: Buffer): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----anjianbench${randomBytes(8).toString('hex')}`;
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="metadata"\r\n\r\n${JSON.stringify(metadata)}\r\n`),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: application/pdf\r\n\r\n`),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** A PDF-looking file of `bytes` bytes, different every call (the blob store deduplicates by content). */
function buildUploadFile(bytes: number): Buffer {
  const head = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%');
  const tail = Buffer.from('\ntrailer << /Root 1 0 R >>\n%%EOF\n');
  return Buffer.concat([head, randomBytes(Math.max(0, bytes - head.length - tail.length)), tail]);
}

export async function runSelfInspectionBench(
  kind: DatabaseKind,
  catalog: CatalogVersion[],
  options: { rounds: number; uploadFiles: number; uploadMegabytes: number },
): Promise<SelfInspectionBenchResult> {
  const setupStarted = performance.now();
  const runtime = await openBenchRuntime(kind, catalog, { maxUploadBytes: (options.uploadMegabytes + 1) * 1024 * 1024 });
  let app: App | null = null;
  try {
    app = await buildTestApp(runtime);
    const parsed = validateFirmProfile({ name: '基準證券', ...PROFILE });
    if (!parsed.ok) throw new Error(`bench profile invalid: ${parsed.errors.map((error) => error.messageEn).join('; ')}`);
    const profile: FirmProfile = parsed.profile;
    const csim = catalog.find((version) => version.document === 'CSIM' && version.version === '112');
    if (!csim) throw new Error('CSIM 112 not in the catalog');

    // ── A firm with one 300-item campaign ──
    const pageFirm = await buildFirm(runtime.db, '查核頁基準證券', PROFILE);
    const pageUser = await buildUser(runtime.db, { memberships: [{ firmId: pageFirm, role: 'assessor' }] });
    const campaignId = randomUUID();
    const pageItems: ItemRowInput[] = Array.from({ length: CAMPAIGN_ITEMS }, (_, index) => {
      // Every CSIM 112 item, then extra rows (an item not in the catalog shows as such on the page).
      const item: CatalogItem | undefined = csim.items[index];
      return item
        ? { path: item.path, itemId: item.id, lineage: item.lineage, section: item.code, order: item.order, reason: '適用於所有證券商' }
        : { path: `99.${index}`, itemId: `CSIM:99.${index}`, lineage: null, section: 'CC-99999', order: 10_000 + index, reason: '基準測試項目' };
    });
    await inTenantTransaction(runtime.db, [pageFirm], async (tx) => {
      const evidenceIds = await insertEvidence(tx, pageFirm, pageUser.id, 80);
      await insertCampaign(tx, { firmId: pageFirm, userId: pageUser.id, evidenceIds },
        { id: campaignId, cycle: 'annual', period: '2024', start: '2024-01-01', end: '2024-12-31', due: '2025-01-31', status: 'open' }, pageItems, 0.6);
    });

    // ── A firm with five fiscal years of campaigns ──
    const dashboardFirm = await buildFirm(runtime.db, '儀表板基準證券', PROFILE);
    const dashboardUser = await buildUser(runtime.db, { memberships: [{ firmId: dashboardFirm, role: 'assessor' }] });
    let dashboardCampaigns = 0;
    let dashboardItems = 0;
    await inTenantTransaction(runtime.db, [dashboardFirm], async (tx) => {
      const evidenceIds = await insertEvidence(tx, dashboardFirm, dashboardUser.id, 200);
      await insertDeficiencies(tx, dashboardFirm, 120);
      for (const year of DASHBOARD_YEARS) {
        for (const cycle of ['monthly', 'semiannual', 'annual'] as const) {
          for (const period of buildInspectionPeriods(year, cycle, '12-31')) {
            const results = evaluateApplicability(csim.items, profile, { date: period.end });
            const selection = selectCampaignItems(csim.items, results, cycle);
            const items = selection.items.map((item) => ({ path: item.path, itemId: item.id, lineage: item.lineage, section: item.section, order: item.order, reason: item.reason }));
            const status = period.due < DASHBOARD_TODAY ? 'approved' : 'open';
            await insertCampaign(tx, { firmId: dashboardFirm, userId: dashboardUser.id, evidenceIds },
              { id: randomUUID(), cycle, period: period.id, start: period.start, end: period.end, due: period.due, status }, items, 0.5);
            dashboardCampaigns += 1;
            dashboardItems += items.length;
          }
        }
      }
    });
    await runtime.db.query('ANALYZE');

    const pageSession = await signIn(app, pageUser);
    const dashboardSession = await signIn(app, dashboardUser);
    const setupMs = performance.now() - setupStarted;

    const campaignUrl = `/api/v1/firms/${pageFirm}/campaigns/${campaignId}`;
    const listed = (await expectOk(app, pageSession, `${campaignUrl}/items`)) as { items: unknown[] };
    if (listed.items.length !== CAMPAIGN_ITEMS) throw new Error(`campaign lists ${listed.items.length} items, expected ${CAMPAIGN_ITEMS}`);
    const campaignPage = await measure(options.rounds, async () => {
      await Promise.all([expectOk(app!, pageSession, campaignUrl), expectOk(app!, pageSession, `${campaignUrl}/items`)]);
    });
    const campaignItemsOnly = await measure(options.rounds, async () => {
      await expectOk(app!, pageSession, `${campaignUrl}/items`);
    });
    const dashboardUrl = `/api/v1/firms/${dashboardFirm}/dashboard?today=${DASHBOARD_TODAY}`;
    const board = (await expectOk(app, dashboardSession, dashboardUrl)) as { trend: unknown[] };
    if (board.trend.length !== dashboardCampaigns) throw new Error(`dashboard trend has ${board.trend.length} campaigns, expected ${dashboardCampaigns}`);
    const dashboard = await measure(options.rounds, async () => {
      await expectOk(app!, dashboardSession, dashboardUrl);
    });

    // ── Uploads ──
    const bytes = Math.round(options.uploadMegabytes * 1024 * 1024);
    const bodies = Array.from({ length: options.uploadFiles }, (_, index) =>
      buildMultipart({ title: `上傳基準 ${index + 1}`, collectedOn: '2024-12-01', itemIds: ['CSIM:7.1.a.a'] }, `upload-${index + 1}.pdf`, buildUploadFile(bytes)));
    const uploadStarted = performance.now();
    for (const body of bodies) {
      const response = await app.inject({
        method: 'POST', url: `/api/v1/firms/${pageFirm}/evidence`, headers: { ...pageSession.headers, ...body.headers }, payload: body.payload,
      });
      if (response.statusCode !== 201) throw new Error(`upload: ${response.statusCode} ${response.body.slice(0, 300)}`);
    }
    const uploadSeconds = (performance.now() - uploadStarted) / 1000;

    return {
      database: kind,
      setupMs,
      campaignItems: CAMPAIGN_ITEMS,
      campaignPage,
      campaignItemsOnly,
      dashboardCampaigns,
      dashboardItems,
      dashboard,
      upload: {
        files: options.uploadFiles,
        megabytesEach: options.uploadMegabytes,
        seconds: uploadSeconds,
        megabytesPerSecond: (options.uploadFiles * bytes) / 1024 / 1024 / uploadSeconds,
      },
    };
  } finally {
    await app?.close();
    await runtime.close();
  }
}
