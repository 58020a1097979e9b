/**
 * Self-inspection campaigns (自行查核): creation from the items that apply to the firm in the
 * period, per-item assessment with optimistic concurrency, submission, maker-checker review,
 * locking on approval, audited reopening, bulk actions, evidence carried forward from the previous
 * period, and the checklist sheet (XLSX) out and back in.
 *
 * Every function takes `(db, context, input)`, authorizes the actor, runs in one tenant
 * transaction and appends an audit event for every write; the CLI calls them without HTTP.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Database, Queryable } from '../db/client.ts';
import { inTenantTransaction, type RequestContext } from '../context.ts';
import { appendAuditEvent } from '../audit/audit-log.ts';
import { authorize } from '../auth/policy.ts';
import { AppError, notFound, validation } from '../errors.ts';
import { getItems } from '../catalog/catalog-service.ts';
import { getProfile } from '../firms/firm-profile-service.ts';
import { todayInTaipei, toIsoTime } from '../evidence/evidence-values.ts';
import { EXPIRING_WITHIN_DAYS } from '../evidence/evidence-service.ts';
import { evaluateApplicability } from '../../domain/applicability/evaluate.ts';
import { validateFirmProfile, type FirmProfile } from '../../domain/firms/profile.ts';
import { buildInspectionPeriods, type InspectionPeriod } from '../../domain/calendar/periods.ts';
import { DEFAULT_FISCAL_YEAR_END } from '../../domain/calendar/list-obligations.ts';
import { CYCLES, type Cycle } from '../../domain/catalog/schema.ts';
import type { DeficiencyState } from '../../domain/findings/deficiency-rules.ts';
import {
  checkAssessment,
  classifyEvidenceValidity,
  deriveCampaignStatus,
  findEditBlock,
  findReviewBlock,
  findSubmitBlock,
  RESULTS,
  REVIEW_STATES,
  CAMPAIGN_STATUSES,
  selectCampaignItems,
  summarizeProgress,
  type AssessmentResult,
  type CampaignStatus,
  type NeedsAnswerItem,
  type Progress,
  type ProgressItem,
  type ReviewState,
} from '../../domain/assessments/campaign-rules.ts';
import { validateChecklistRows, type CurrentItem } from '../../domain/assessments/checklist-rows.ts';
import { buildChecklistWorkbook, readChecklistWorkbook } from './checklist-xlsx.ts';

// ── Schemas (the routes, the OpenAPI document and the CLI share them) ────────────────────────────

export const PERIOD_PATTERNS: Record<Cycle, RegExp> = {
  monthly: /^\d{4}-(0[1-9]|1[0-2])$/,
  semiannual: /^\d{4}-H[12]$/,
  annual: /^\d{4}$/,
};

export const createCampaignSchema = z.object({
  document: z.string().default('CSIM'),
  version: z.string().max(20).optional(),
  cycle: z.enum(CYCLES),
  /** 2024-03 (monthly), 2024-H1 (semiannual), 2024 (annual); fiscal years are named by the year they end in. */
  period: z.string().max(10),
  title: z.string().trim().min(1).max(200).optional(),
  /** Link last period's still-valid evidence to the same items (default on). */
  carryForward: z.boolean().default(true),
});
export type CreateCampaignInput = z.input<typeof createCampaignSchema>;

export const campaignFilterSchema = z.object({
  cycle: z.enum(CYCLES).optional(),
  period: z.string().max(10).optional(),
  status: z.enum(CAMPAIGN_STATUSES).optional(),
  /** Only campaigns past their due date and not approved. */
  overdue: z.stringbool().optional(),
});

export const itemFilterSchema = z.object({
  section: z.string().max(40).optional(),
  /** A result, or `unassessed`. */
  result: z.enum([...RESULTS, 'unassessed']).optional(),
  reviewState: z.enum(REVIEW_STATES).optional(),
  /** Only items whose linked evidence is expired or expiring. */
  evidenceExpiring: z.stringbool().optional(),
});

export const assessItemSchema = z.object({
  /** The revision the client read; a stale one is refused with 409. */
  revision: z.number().int().min(1),
  result: z.enum(RESULTS),
  justification: z.string().max(5000).nullable().optional(),
  notes: z.string().max(10000).nullable().optional(),
  /** Evidence linked to the item (replaces the links when given). */
  evidenceIds: z.array(z.uuid()).max(100).optional(),
});

export const bulkAssessSchema = z.object({
  items: z.array(z.object({ itemId: z.string().min(1).max(100), revision: z.number().int().min(1) })).min(1).max(1000),
  result: z.enum(RESULTS),
  justification: z.string().max(5000).nullable().optional(),
  notes: z.string().max(10000).nullable().optional(),
});

export const submitSchema = z.object({ itemIds: z.array(z.string().min(1).max(100)).max(1000).optional() });

export const reviewSchema = z.object({
  decisions: z.array(z.object({
    itemId: z.string().min(1).max(100),
    revision: z.number().int().min(1),
    decision: z.enum(['approve', 'return']),
    comment: z.string().max(5000).optional(),
  })).min(1).max(1000),
});

export const reopenSchema = z.object({
  reason: z.string().trim().min(1).max(2000),
  /** Items to reopen; all when absent. */
  itemIds: z.array(z.string().min(1).max(100)).max(1000).optional(),
});

// ── Views ─────────────────────────────────────────────────────────────────────────────────────────

export interface CampaignView {
  id: string;
  document: string;
  version: string;
  cycle: Cycle;
  period: string;
  periodStart: string | null;
  periodEnd: string | null;
  dueDate: string | null;
  title: string;
  status: CampaignStatus;
  isLocked: boolean;
  isOverdue: boolean;
  createdBy: string | null;
  createdAt: string | null;
  approvedAt: string | null;
  approvedBy: string | null;
  reopenReason: string | null;
  reopenedAt: string | null;
  /** The firm-profile revision the items were chosen with (in force at the period end); null for campaigns from before it was recorded. */
  profileRevision: number | null;
  progress: Progress;
  sections: (Progress & { section: string })[];
}

export interface ItemEvidenceView {
  id: string;
  title: string;
  validUntil: string | null;
  validity: 'valid' | 'expiring' | 'expired';
  isDeleted: boolean;
  /** The version pinned when the evidence was linked (download it with `?version=`), its file and SHA-256. */
  version: number | null;
  fileName: string | null;
  sha256: string | null;
}

export interface ItemDeficiencyView {
  id: string;
  number: number;
  state: DeficiencyState;
}

export interface CampaignItemView {
  id: string;
  itemId: string;
  path: string;
  section: string | null;
  label: string | null;
  text: string | null;
  notInSource: boolean;
  applicabilityReason: string;
  result: AssessmentResult | null;
  justification: string | null;
  notes: string | null;
  assessorId: string | null;
  assessor: string | null;
  assessedAt: string | null;
  reviewState: ReviewState;
  reviewerId: string | null;
  reviewer: string | null;
  reviewedAt: string | null;
  reviewComment: string | null;
  revision: number;
  evidence: ItemEvidenceView[];
  /** The deficiency raised from this item (an open one first, else the latest), or null. */
  deficiency: ItemDeficiencyView | null;
  hasExpiredEvidence: boolean;
  hasExpiringEvidence: boolean;
}

interface CampaignRow {
  id: string;
  firm_id: string;
  period: string;
  cycle: Cycle;
  document: string;
  version: string;
  title: string;
  status: CampaignStatus;
  due_date: string | null;
  period_start: string | null;
  period_end: string | null;
  created_by: string | null;
  created_at: Date | string;
  approved_at: Date | string | null;
  approved_by: string | null;
  reopen_reason: string | null;
  reopened_at: Date | string | null;
  profile_revision: number | null;
}

interface ItemRow {
  id: string;
  campaign_id: string;
  path: string;
  item_id: string;
  lineage: string | null;
  section: string | null;
  ord: number;
  applicability_reason: string;
  result: AssessmentResult | null;
  justification: string | null;
  notes: string | null;
  assessor_id: string | null;
  assessor_email: string | null;
  assessed_at: Date | string | null;
  review_state: ReviewState;
  reviewer_id: string | null;
  reviewer_email: string | null;
  reviewed_at: Date | string | null;
  review_comment: string | null;
  revision: number;
  label: string | null;
  text: string | null;
  not_in_source: boolean | null;
}

const CAMPAIGN_COLUMNS = `id, firm_id, period, cycle, document, version, title, status, due_date::text AS due_date,
  period_start::text AS period_start, period_end::text AS period_end, created_by, created_at, approved_at, approved_by,
  reopen_reason, reopened_at, profile_revision`;

const ITEM_SELECT = `SELECT i.id, i.campaign_id, i.path, i.item_id, i.lineage, i.section, i.ord, i.applicability_reason, i.result,
    i.justification, i.notes, i.assessor_id, ua.email AS assessor_email, i.assessed_at, i.review_state, i.reviewer_id,
    ur.email AS reviewer_email, i.reviewed_at, i.review_comment, i.revision, ci.label, ci.text, ci.not_in_source
  FROM campaign_items i
  JOIN campaigns c ON c.id = i.campaign_id
  LEFT JOIN catalog_items ci ON ci.document = c.document AND ci.version = c.version AND ci.path = i.path
  LEFT JOIN users ua ON ua.id = i.assessor_id
  LEFT JOIN users ur ON ur.id = i.reviewer_id`;

function toCampaignView(row: CampaignRow, items: readonly ItemRow[], today: string): CampaignView {
  return toCampaignViewFromProgress(row, items.map((item) => ({ section: item.section, result: item.result, reviewState: item.review_state })), today);
}

function toCampaignViewFromProgress(row: CampaignRow, items: readonly ProgressItem[], today: string): CampaignView {
  const progress = summarizeProgress(items);
  return {
    id: row.id,
    document: row.document,
    version: row.version,
    cycle: row.cycle,
    period: row.period,
    periodStart: row.period_start,
    periodEnd: row.period_end,
    dueDate: row.due_date,
    title: row.title,
    status: row.status,
    isLocked: row.status === 'approved',
    isOverdue: row.status !== 'approved' && row.due_date !== null && row.due_date < today,
    createdBy: row.created_by,
    createdAt: toIsoTime(row.created_at),
    approvedAt: toIsoTime(row.approved_at),
    approvedBy: row.approved_by,
    reopenReason: row.reopen_reason,
    reopenedAt: toIsoTime(row.reopened_at),
    profileRevision: row.profile_revision === null ? null : Number(row.profile_revision),
    progress: progress.overall,
    sections: progress.sections,
  };
}

async function loadItemEvidence(tx: Queryable, itemIds: string[], today: string): Promise<Map<string, ItemEvidenceView[]>> {
  // The pinned version of each link; links from before pinning fall back to the latest version.
  const rows = (await tx.query<{ campaign_item_id: string; id: string; title: string; valid_until: string | null; deleted_at: Date | null; version: number | null; file_name: string | null; sha256: string | null }>(
    `SELECT l.campaign_item_id, e.id, coalesce(l.evidence_title, e.title) AS title, e.valid_until::text AS valid_until, e.deleted_at,
       coalesce(l.evidence_version, v.version) AS version, v.file_name, coalesce(l.sha256, v.sha256) AS sha256
     FROM campaign_item_evidence l JOIN evidence e ON e.id = l.evidence_id
     LEFT JOIN LATERAL (
       SELECT version, file_name, sha256 FROM evidence_versions
       WHERE evidence_id = e.id AND (l.evidence_version IS NULL OR version = l.evidence_version)
       ORDER BY version DESC LIMIT 1
     ) v ON true
     WHERE l.campaign_item_id = ANY($1::uuid[]) ORDER BY title`,
    [itemIds],
  )).rows;
  const byItem = new Map<string, ItemEvidenceView[]>();
  for (const row of rows) {
    const list = byItem.get(row.campaign_item_id) ?? [];
    list.push({
      id: row.id, title: row.title, validUntil: row.valid_until, isDeleted: row.deleted_at !== null,
      version: row.version === null ? null : Number(row.version), fileName: row.file_name, sha256: row.sha256,
      validity: classifyEvidenceValidity(row.valid_until, today, EXPIRING_WITHIN_DAYS),
    });
    byItem.set(row.campaign_item_id, list);
  }
  return byItem;
}

/** The deficiency raised from each item: an open one when there is one, else the latest. */
async function loadItemDeficiencies(tx: Queryable, itemIds: string[]): Promise<Map<string, ItemDeficiencyView>> {
  const rows = (await tx.query<{ campaign_item_id: string; id: string; number: number; state: DeficiencyState }>(
    `SELECT DISTINCT ON (campaign_item_id) campaign_item_id, id, number, state FROM deficiencies
     WHERE campaign_item_id = ANY($1::uuid[]) ORDER BY campaign_item_id, (state = 'closed'), number DESC`,
    [itemIds],
  )).rows;
  return new Map(rows.map((row) => [row.campaign_item_id, { id: row.id, number: Number(row.number), state: row.state }]));
}

function toItemView(row: ItemRow, evidence: ItemEvidenceView[], deficiency: ItemDeficiencyView | null = null): CampaignItemView {
  return {
    id: row.id,
    itemId: row.item_id,
    path: row.path,
    section: row.section,
    label: row.label,
    text: row.text,
    notInSource: row.not_in_source ?? false,
    applicabilityReason: row.applicability_reason,
    result: row.result,
    justification: row.justification,
    notes: row.notes,
    assessorId: row.assessor_id,
    assessor: row.assessor_email,
    assessedAt: toIsoTime(row.assessed_at),
    reviewState: row.review_state,
    reviewerId: row.reviewer_id,
    reviewer: row.reviewer_email,
    reviewedAt: toIsoTime(row.reviewed_at),
    reviewComment: row.review_comment,
    revision: row.revision,
    evidence,
    deficiency,
    ...toItemEvidenceFlags(evidence),
  };
}

/** Whether an item's live evidence has expired or expires soon (one rule for the view and the counts). */
function toItemEvidenceFlags(evidence: readonly { isDeleted: boolean; validity: string }[]): { hasExpiredEvidence: boolean; hasExpiringEvidence: boolean } {
  return {
    hasExpiredEvidence: evidence.some((entry) => !entry.isDeleted && entry.validity === 'expired'),
    hasExpiringEvidence: evidence.some((entry) => !entry.isDeleted && entry.validity === 'expiring'),
  };
}

// ── Loading ───────────────────────────────────────────────────────────────────────────────────────

async function findCampaignRow(tx: Queryable, firmId: string, campaignId: string, lock = false): Promise<CampaignRow> {
  const row = (await tx.query<CampaignRow>(
    `SELECT ${CAMPAIGN_COLUMNS} FROM campaigns WHERE firm_id = $1 AND id = $2${lock ? ' FOR UPDATE' : ''}`, [firmId, campaignId],
  )).rows[0];
  if (!row) throw notFound('自行查核', campaignId);
  return row;
}

async function loadItemRows(tx: Queryable, campaignId: string): Promise<ItemRow[]> {
  return (await tx.query<ItemRow>(`${ITEM_SELECT} WHERE i.campaign_id = $1 ORDER BY i.ord, i.path`, [campaignId])).rows;
}

/** Finds items by their uuid or catalog id (CSIM:7.1.a.a), refusing unknown ones by name. */
function pickItems(rows: readonly ItemRow[], keys: readonly string[], field: string): ItemRow[] {
  const missing: { where: string; message: string }[] = [];
  const picked = keys.map((key, index) => {
    const row = rows.find((entry) => entry.id === key || entry.item_id === key);
    if (!row) missing.push({ where: `${field}.${index}`, message: `this campaign has no item ${key}` });
    return row;
  });
  if (missing.length > 0) throw new AppError('NOT_FOUND', `本次自行查核沒有這些項目：${missing.map((entry) => entry.message.split(' ').pop()).join('、')}`, { messageEn: 'unknown campaign items', issues: missing });
  return picked as ItemRow[];
}

function staleRevision(row: ItemRow, revision: number): AppError {
  return new AppError('CONFLICT', `項目 ${row.item_id} 已被他人修改（目前版本 ${row.revision}，您送出的是版本 ${revision}），請重新載入後再儲存`, {
    messageEn: `item ${row.item_id} was changed by someone else (now revision ${row.revision}, you sent ${revision}); reload and save again`,
    currentRevision: row.revision,
    issues: [{ where: `${row.item_id}.revision`, message: `stale revision ${revision}; current is ${row.revision}` }],
  });
}

function refuseEdit(campaign: CampaignRow, row: ItemRow): void {
  const block = findEditBlock(campaign.status, { reviewState: row.review_state, result: row.result, assessorId: row.assessor_id });
  if (block) {
    throw new AppError(campaign.status === 'approved' ? 'LOCKED' : 'INVALID_STATE', `${row.item_id}：${block.message}`, { messageEn: `${row.item_id}: ${block.messageEn}` });
  }
}

/** Recomputes the campaign's status from its items; records approval. */
async function refreshCampaignStatus(tx: Queryable, context: RequestContext, campaign: CampaignRow): Promise<CampaignStatus> {
  const states = (await tx.query<{ review_state: ReviewState }>('SELECT review_state FROM campaign_items WHERE campaign_id = $1', [campaign.id])).rows.map((row) => row.review_state);
  const status = deriveCampaignStatus(states);
  if (status === campaign.status) return status;
  if (status === 'approved') {
    await tx.query('UPDATE campaigns SET status = $2, approved_at = now(), approved_by = $3, revision = revision + 1 WHERE id = $1', [campaign.id, status, context.actor.userId]);
    await appendAuditEvent(tx, context, { firmId: campaign.firm_id, entity: 'campaign', entityId: campaign.id, action: 'campaign.approved', before: { status: campaign.status }, after: { status } });
  } else {
    await tx.query('UPDATE campaigns SET status = $2, revision = revision + 1 WHERE id = $1', [campaign.id, status]);
  }
  return status;
}

/**
 * The firm profile in force on `day` (the last revision saved by the end of that day). When the firm
 * had no profile yet on that day (a period from before onboarding), its first revision is the best
 * record there is. Returns the revision used, to be stored on the campaign.
 */
async function loadProfileAsOf(tx: Queryable, firmId: string, day: string): Promise<{ profile: FirmProfile; revision: number }> {
  const row = (await getProfile(tx, firmId, day))
    ?? (await tx.query<{ profile: unknown; revision: number }>(
      'SELECT profile, revision FROM firm_profiles WHERE firm_id = $1 ORDER BY revision LIMIT 1', [firmId],
    )).rows[0];
  if (!row) {
    throw new AppError('VALIDATION', '尚未填寫公司基本資料，無法判斷適用條文；請先完成公司資料設定', {
      messageEn: 'the firm has no profile yet; fill it in first so applicable items can be chosen', issues: [{ where: 'profile', message: 'missing' }],
    });
  }
  const parsed = validateFirmProfile(typeof row.profile === 'string' ? JSON.parse(row.profile) : row.profile);
  if (!parsed.ok) {
    throw new AppError('VALIDATION', `公司基本資料（第 ${row.revision} 版）有誤：${parsed.errors.map((error) => error.message).join('；')}`, {
      messageEn: `the firm profile (revision ${row.revision}) is invalid`,
      issues: parsed.errors.map((error) => ({ where: `profile.${error.field}`, message: error.messageEn })),
    });
  }
  return { profile: parsed.profile, revision: Number(row.revision) };
}

/** The inspection period named `periodId` for the cycle and fiscal year end, or null. */
export function findInspectionPeriod(periodId: string, cycle: Cycle, fiscalYearEnd: string): InspectionPeriod | null {
  if (!PERIOD_PATTERNS[cycle].test(periodId)) return null;
  const year = Number(periodId.slice(0, 4));
  for (const fiscalYear of [year, year + 1]) {
    const found = buildInspectionPeriods(fiscalYear, cycle, fiscalYearEnd).find((period) => period.id === periodId);
    if (found) return found;
  }
  return null;
}

// ── Operations ────────────────────────────────────────────────────────────────────────────────────

export interface CreatedCampaign {
  campaign: CampaignView;
  /** Items whose applicability needs a profile answer; they are not in the campaign. */
  needsAnswer: NeedsAnswerItem[];
  excluded: number;
  carriedForward: number;
}

export async function createCampaign(db: Database, context: RequestContext, input: { firmId: string } & CreateCampaignInput): Promise<CreatedCampaign> {
  authorize(context.actor, 'campaign:create', input.firmId);
  const request = createCampaignSchema.parse(input);
  return inTenantTransaction(db, [input.firmId], async (tx) => {
    // The fiscal year end (which names the periods) comes from today's profile; the items are then
    // chosen with the profile in force at the period end (or today, when the period ends later).
    const latest = await loadProfileAsOf(tx, input.firmId, todayInTaipei());
    const fiscalYearEnd = latest.profile.fiscalYearEnd ?? DEFAULT_FISCAL_YEAR_END;
    const period = findInspectionPeriod(request.period, request.cycle, fiscalYearEnd);
    if (!period) {
      const example = { monthly: '2024-03', semiannual: '2024-H1', annual: '2024' }[request.cycle];
      throw validation([{ where: 'period', message: `not a ${request.cycle} period (e.g. ${example})` }], `期間「${request.period}」不是${request.cycle === 'monthly' ? '每月' : request.cycle === 'semiannual' ? '半年' : '年度'}查核的期間（例如 ${example}）`);
    }
    const today = todayInTaipei();
    const { profile, revision: profileRevision } = await loadProfileAsOf(tx, input.firmId, period.end < today ? period.end : today);
    const { version, items } = await getItems(tx, request.document, request.version);
    const existing = await tx.query<{ id: string }>(
      'SELECT id FROM campaigns WHERE firm_id = $1 AND document = $2 AND version = $3 AND cycle = $4 AND period = $5',
      [input.firmId, request.document, version, request.cycle, period.id],
    );
    if (existing.rows[0]) {
      throw new AppError('CONFLICT', `${request.document} ${version} ${period.id} 的自行查核已存在`, { messageEn: `a campaign for ${request.document} ${version} ${request.cycle} ${period.id} already exists`, campaignId: existing.rows[0].id });
    }
    const results = evaluateApplicability(items, profile, { date: period.end });
    const selection = selectCampaignItems(items, results, request.cycle);
    if (selection.items.length === 0) {
      throw new AppError('VALIDATION', `${period.id} 沒有適用於本公司的${request.cycle === 'monthly' ? '每月' : request.cycle === 'semiannual' ? '半年' : '年度'}查核項目`, {
        messageEn: `no ${request.cycle} items of ${request.document} ${version} apply to this firm in ${period.id}`,
        needsAnswer: selection.needsAnswer,
      });
    }
    const id = randomUUID();
    const title = request.title ?? `${request.document} ${version} 自行查核 ${period.id}`;
    await tx.query(
      `INSERT INTO campaigns (id, firm_id, period, cycle, document, version, title, status, due_date, created_by, period_start, period_end, profile_revision)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'open', $8, $9, $10, $11, $12)`,
      [id, input.firmId, period.id, request.cycle, request.document, version, title, period.due, context.actor.userId, period.start, period.end, profileRevision],
    );
    for (const item of selection.items) {
      await tx.query(
        `INSERT INTO campaign_items (id, firm_id, campaign_id, path, item_id, applicability, applicability_reason, section, lineage, ord)
         VALUES ($1, $2, $3, $4, $5, 'applies', $6, $7, $8, $9)`,
        [randomUUID(), input.firmId, id, item.path, item.id, item.reason, item.section, item.lineage, item.order],
      );
    }
    await appendAuditEvent(tx, context, {
      firmId: input.firmId, entity: 'campaign', entityId: id, action: 'campaign.created',
      after: { document: request.document, version, cycle: request.cycle, period: period.id, profileRevision, items: selection.items.map((item) => item.id) },
      detail: { needsAnswer: selection.needsAnswer.map((item) => item.id), excluded: selection.excluded },
    });
    const carriedForward = request.carryForward ? await carryForward(tx, context, await findCampaignRow(tx, input.firmId, id)) : 0;
    const campaign = toCampaignView(await findCampaignRow(tx, input.firmId, id), await loadItemRows(tx, id), todayInTaipei());
    return { campaign, needsAnswer: selection.needsAnswer, excluded: selection.excluded, carriedForward };
  });
}

/** Links the previous period's still-valid evidence to the same items (matched by lineage). */
async function carryForward(tx: Queryable, context: RequestContext, campaign: CampaignRow): Promise<number> {
  const previous = (await tx.query<{ id: string; period: string }>(
    `SELECT id, period FROM campaigns WHERE firm_id = $1 AND document = $2 AND cycle = $3 AND id <> $4 AND period_end < $5::date
     ORDER BY period_end DESC LIMIT 1`,
    [campaign.firm_id, campaign.document, campaign.cycle, campaign.id, campaign.period_start],
  )).rows[0];
  if (!previous) return 0;
  const inserted = await tx.query<{ campaign_item_id: string }>(
    `INSERT INTO campaign_item_evidence (campaign_item_id, evidence_id, firm_id, evidence_version, sha256, evidence_title)
     SELECT DISTINCT n.id, l.evidence_id, n.firm_id, v.version, v.sha256, e.title
     FROM campaign_items n
     JOIN campaign_items p ON p.campaign_id = $2 AND (p.lineage = n.lineage OR p.item_id = n.item_id)
     JOIN campaign_item_evidence l ON l.campaign_item_id = p.id
     JOIN evidence e ON e.id = l.evidence_id
     LEFT JOIN LATERAL (SELECT version, sha256 FROM evidence_versions WHERE evidence_id = e.id ORDER BY version DESC LIMIT 1) v ON true
     WHERE n.campaign_id = $1 AND e.deleted_at IS NULL AND (e.valid_until IS NULL OR e.valid_until >= $3::date)
       AND n.review_state IN ('pending', 'returned')
     ON CONFLICT DO NOTHING
     RETURNING campaign_item_id`,
    [campaign.id, previous.id, campaign.period_start],
  );
  if (inserted.rows.length > 0) {
    // The items changed: a save based on what was read before is now stale.
    await tx.query('UPDATE campaign_items SET revision = revision + 1 WHERE id = ANY($1::uuid[])', [[...new Set(inserted.rows.map((row) => row.campaign_item_id))]]);
    await appendAuditEvent(tx, context, {
      firmId: campaign.firm_id, entity: 'campaign', entityId: campaign.id, action: 'campaign.evidence_carried_forward',
      detail: { from: previous.id, fromPeriod: previous.period, links: inserted.rows.length },
    });
  }
  return inserted.rows.length;
}

/** Carries evidence forward again (e.g. after the previous campaign gained evidence). */
export async function carryForwardEvidence(db: Database, context: RequestContext, input: { firmId: string; campaignId: string }): Promise<{ carriedForward: number }> {
  authorize(context.actor, 'campaign:assess', input.firmId);
  return inTenantTransaction(db, [input.firmId], async (tx) => {
    const campaign = await findCampaignRow(tx, input.firmId, input.campaignId, true);
    if (campaign.status === 'approved') throw new AppError('LOCKED', '本次自行查核已核定並鎖定', { messageEn: 'the campaign is approved and locked' });
    return { carriedForward: await carryForward(tx, context, campaign) };
  });
}

export async function listCampaigns(db: Database, context: RequestContext, input: { firmId: string; filter?: z.infer<typeof campaignFilterSchema> }): Promise<CampaignView[]> {
  authorize(context.actor, 'campaign:read', input.firmId);
  const filter = input.filter ?? {};
  const today = todayInTaipei();
  return inTenantTransaction(db, [input.firmId], async (tx) => {
    const where = ['firm_id = $1'];
    const params: unknown[] = [input.firmId];
    const add = (clause: string, value: unknown) => {
      params.push(value);
      where.push(clause.replace('?', `$${params.length}`));
    };
    if (filter.cycle) add('cycle = ?', filter.cycle);
    if (filter.period) add('period = ?', filter.period);
    if (filter.status) add('status = ?', filter.status);
    if (filter.overdue) add("status <> 'approved' AND due_date < ?::date", today);
    const campaigns = (await tx.query<CampaignRow>(`SELECT ${CAMPAIGN_COLUMNS} FROM campaigns WHERE ${where.join(' AND ')} ORDER BY period_end DESC NULLS LAST, cycle`, params)).rows;
    // Counts per campaign, section, result and review state (sections in document order), not every item row.
    const groups = (await tx.query<{ campaign_id: string; section: string | null; result: ItemRow['result']; review_state: ItemRow['review_state']; count: number }>(
      `SELECT campaign_id, section, result, review_state, count(*)::int AS count FROM campaign_items
       WHERE campaign_id = ANY($1::uuid[]) GROUP BY campaign_id, section, result, review_state ORDER BY campaign_id, min(ord)`,
      [campaigns.map((campaign) => campaign.id)],
    )).rows;
    const byCampaign = new Map<string, ProgressItem[]>();
    for (const group of groups) {
      const list = byCampaign.get(group.campaign_id) ?? [];
      list.push({ section: group.section, result: group.result, reviewState: group.review_state, count: group.count });
      byCampaign.set(group.campaign_id, list);
    }
    return campaigns.map((campaign) => toCampaignViewFromProgress(campaign, byCampaign.get(campaign.id) ?? [], today));
  });
}

export async function getCampaign(db: Database, context: RequestContext, input: { firmId: string; campaignId: string }): Promise<CampaignView> {
  authorize(context.actor, 'campaign:read', input.firmId);
  return inTenantTransaction(db, [input.firmId], async (tx) =>
    toCampaignView(await findCampaignRow(tx, input.firmId, input.campaignId), await loadItemRows(tx, input.campaignId), todayInTaipei()));
}

/**
 * For each campaign, how many of its items lean on expired or expiring evidence — the count behind the
 * `evidenceExpiring` item filter, for many campaigns in two queries (the dashboard's figure).
 */
export async function countItemsWithExpiringEvidence(
  db: Database,
  context: RequestContext,
  input: { firmId: string; campaignIds: readonly string[]; today?: string },
): Promise<Map<string, number>> {
  authorize(context.actor, 'campaign:read', input.firmId);
  const counts = new Map(input.campaignIds.map((id) => [id, 0]));
  if (input.campaignIds.length === 0) return counts;
  return inTenantTransaction(db, [input.firmId], async (tx) => {
    const rows = (await tx.query<{ id: string; campaign_id: string }>(
      'SELECT id, campaign_id FROM campaign_items WHERE firm_id = $1 AND campaign_id = ANY($2::uuid[])',
      [input.firmId, [...input.campaignIds]],
    )).rows;
    const evidence = await loadItemEvidence(tx, rows.map((row) => row.id), input.today ?? todayInTaipei());
    for (const row of rows) {
      const view = toItemEvidenceFlags(evidence.get(row.id) ?? []);
      if (view.hasExpiredEvidence || view.hasExpiringEvidence) counts.set(row.campaign_id, (counts.get(row.campaign_id) ?? 0) + 1);
    }
    return counts;
  });
}

export async function listCampaignItems(
  db: Database,
  context: RequestContext,
  input: { firmId: string; campaignId: string; filter?: z.infer<typeof itemFilterSchema> },
): Promise<CampaignItemView[]> {
  authorize(context.actor, 'campaign:read', input.firmId);
  const filter = input.filter ?? {};
  const today = todayInTaipei();
  return inTenantTransaction(db, [input.firmId], async (tx) => {
    await findCampaignRow(tx, input.firmId, input.campaignId);
    const rows = (await loadItemRows(tx, input.campaignId)).filter((row) =>
      (filter.section === undefined || row.section === filter.section)
      && (filter.result === undefined || (filter.result === 'unassessed' ? row.result === null : row.result === filter.result))
      && (filter.reviewState === undefined || row.review_state === filter.reviewState));
    const evidence = await loadItemEvidence(tx, rows.map((row) => row.id), today);
    const deficiencies = await loadItemDeficiencies(tx, rows.map((row) => row.id));
    const views = rows.map((row) => toItemView(row, evidence.get(row.id) ?? [], deficiencies.get(row.id) ?? null));
    return filter.evidenceExpiring ? views.filter((view) => view.hasExpiredEvidence || view.hasExpiringEvidence) : views;
  });
}

/**
 * Sets the item's evidence links to `evidenceIds`: links no longer wanted go, links kept keep their
 * pinned version, new links pin the evidence's latest version. The caller has checked the revision.
 */
async function linkEvidence(tx: Queryable, firmId: string, row: ItemRow, evidenceIds: readonly string[]): Promise<void> {
  const unique = [...new Set(evidenceIds)];
  const found = new Set((await tx.query<{ id: string }>(
    'SELECT id FROM evidence WHERE firm_id = $1 AND id = ANY($2::uuid[]) AND deleted_at IS NULL', [firmId, unique],
  )).rows.map((entry) => entry.id));
  const missing = unique.filter((id) => !found.has(id));
  if (missing.length > 0) throw validation(missing.map((id) => ({ where: 'evidenceIds', message: `no evidence ${id} in this firm` })), '找不到佐證資料');
  await tx.query('DELETE FROM campaign_item_evidence WHERE campaign_item_id = $1 AND NOT (evidence_id = ANY($2::uuid[]))', [row.id, unique]);
  await insertPinnedLinks(tx, firmId, row.id, unique);
}

/** Links evidence to a campaign item, pinned to each evidence's latest version (existing links stay as they are). */
export async function insertPinnedLinks(tx: Queryable, firmId: string, campaignItemId: string, evidenceIds: readonly string[]): Promise<number> {
  const inserted = await tx.query(
    `INSERT INTO campaign_item_evidence (campaign_item_id, evidence_id, firm_id, evidence_version, sha256, evidence_title)
     SELECT $1, e.id, $2, v.version, v.sha256, e.title FROM evidence e
     LEFT JOIN LATERAL (SELECT version, sha256 FROM evidence_versions WHERE evidence_id = e.id ORDER BY version DESC LIMIT 1) v ON true
     WHERE e.firm_id = $2 AND e.id = ANY($3::uuid[])
     ON CONFLICT DO NOTHING RETURNING evidence_id`,
    [campaignItemId, firmId, [...evidenceIds]],
  );
  return inserted.rows.length;
}

async function writeAssessment(
  tx: Queryable,
  context: RequestContext,
  campaign: CampaignRow,
  row: ItemRow,
  change: { revision: number; result: AssessmentResult; justification?: string | null; notes?: string | null },
  action: string,
): Promise<void> {
  refuseEdit(campaign, row);
  const problems = checkAssessment({ result: change.result, justification: change.justification ?? row.justification });
  if (problems.length > 0) throw validation(problems.map((problem) => ({ where: `${row.item_id}.${problem.where}`, message: problem.messageEn })), problems[0].message);
  const justification = change.justification === undefined ? row.justification : change.justification;
  const notes = change.notes === undefined ? row.notes : change.notes;
  const updated = await tx.query(
    `UPDATE campaign_items SET result = $3, justification = $4, notes = $5, assessor_id = $6, assessed_at = now(),
       review_state = CASE WHEN review_state = 'returned' THEN 'returned' ELSE 'pending' END, revision = revision + 1
     WHERE id = $1 AND revision = $2 RETURNING revision`,
    [row.id, change.revision, change.result, justification, notes, context.actor.userId],
  );
  if (updated.rows.length === 0) throw staleRevision(row, change.revision);
  await appendAuditEvent(tx, context, {
    firmId: campaign.firm_id, entity: 'campaign_item', entityId: row.id, action,
    before: { result: row.result, justification: row.justification, notes: row.notes, revision: row.revision },
    after: { result: change.result, justification, notes, revision: row.revision + 1 },
    detail: { campaignId: campaign.id, itemId: row.item_id },
  });
}

/** Records one item's assessment. `revision` must be the item's current revision (else 409). */
export async function assessItem(
  db: Database,
  context: RequestContext,
  input: { firmId: string; campaignId: string; itemId: string } & z.infer<typeof assessItemSchema>,
): Promise<CampaignItemView> {
  authorize(context.actor, 'campaign:assess', input.firmId);
  return inTenantTransaction(db, [input.firmId], async (tx) => {
    const campaign = await findCampaignRow(tx, input.firmId, input.campaignId, true);
    const rows = await loadItemRows(tx, input.campaignId);
    const [row] = pickItems(rows, [input.itemId], 'itemId');
    if (row.revision !== input.revision) throw staleRevision(row, input.revision);
    await writeAssessment(tx, context, campaign, row, input, 'campaign_item.assessed');
    if (input.evidenceIds) {
      await linkEvidence(tx, input.firmId, row, input.evidenceIds);
      await appendAuditEvent(tx, context, { firmId: input.firmId, entity: 'campaign_item', entityId: row.id, action: 'campaign_item.evidence_linked', after: { evidenceIds: input.evidenceIds } });
    }
    const fresh = (await tx.query<ItemRow>(`${ITEM_SELECT} WHERE i.id = $1`, [row.id])).rows[0];
    return toItemView(fresh, (await loadItemEvidence(tx, [row.id], todayInTaipei())).get(row.id) ?? [], (await loadItemDeficiencies(tx, [row.id])).get(row.id) ?? null);
  });
}

/** Gives several items the same result; all or nothing. */
export async function bulkAssessItems(
  db: Database,
  context: RequestContext,
  input: { firmId: string; campaignId: string } & z.infer<typeof bulkAssessSchema>,
): Promise<{ updated: number }> {
  authorize(context.actor, 'campaign:assess', input.firmId);
  return inTenantTransaction(db, [input.firmId], async (tx) => {
    const campaign = await findCampaignRow(tx, input.firmId, input.campaignId, true);
    const rows = await loadItemRows(tx, input.campaignId);
    const picked = pickItems(rows, input.items.map((item) => item.itemId), 'items');
    for (const [index, row] of picked.entries()) {
      const revision = input.items[index].revision;
      if (row.revision !== revision) throw staleRevision(row, revision);
      await writeAssessment(tx, context, campaign, row, { revision, result: input.result, justification: input.justification, notes: input.notes }, 'campaign_item.bulk_assessed');
    }
    return { updated: picked.length };
  });
}

/** Submits assessed items for review (the given ones, or every assessed item not yet under review). */
export async function submitForReview(
  db: Database,
  context: RequestContext,
  input: { firmId: string; campaignId: string; itemIds?: string[] },
): Promise<{ submitted: number; unassessed: number; campaign: CampaignView }> {
  authorize(context.actor, 'campaign:assess', input.firmId);
  return inTenantTransaction(db, [input.firmId], async (tx) => {
    const campaign = await findCampaignRow(tx, input.firmId, input.campaignId, true);
    if (campaign.status === 'approved') throw new AppError('LOCKED', '本次自行查核已核定並鎖定', { messageEn: 'the campaign is approved and locked' });
    const rows = await loadItemRows(tx, input.campaignId);
    const state = (row: ItemRow) => ({ reviewState: row.review_state, result: row.result, assessorId: row.assessor_id });
    let chosen: ItemRow[];
    if (input.itemIds && input.itemIds.length > 0) {
      chosen = pickItems(rows, input.itemIds, 'itemIds');
      const blocked = chosen.map((row) => ({ row, block: findSubmitBlock(state(row)) })).filter((entry) => entry.block !== null);
      if (blocked.length > 0) {
        throw new AppError('INVALID_STATE', `不能送覆核：${blocked.map((entry) => `${entry.row.item_id} ${entry.block?.message}`).join('；')}`, {
          messageEn: 'some items cannot be submitted', issues: blocked.map((entry) => ({ where: entry.row.item_id, message: entry.block?.messageEn ?? '' })),
        });
      }
    } else {
      chosen = rows.filter((row) => findSubmitBlock(state(row)) === null);
      if (chosen.length === 0) throw new AppError('INVALID_STATE', '沒有可送覆核的項目（須先完成評核）', { messageEn: 'nothing to submit: assess items first' });
    }
    await tx.query(
      "UPDATE campaign_items SET review_state = 'submitted', revision = revision + 1 WHERE id = ANY($1::uuid[])", [chosen.map((row) => row.id)],
    );
    await appendAuditEvent(tx, context, {
      firmId: input.firmId, entity: 'campaign', entityId: campaign.id, action: 'campaign.submitted', detail: { items: chosen.map((row) => row.item_id) },
    });
    await refreshCampaignStatus(tx, context, campaign);
    const after = await loadItemRows(tx, input.campaignId);
    return { submitted: chosen.length, unassessed: after.filter((row) => row.result === null).length, campaign: toCampaignView(await findCampaignRow(tx, input.firmId, input.campaignId), after, todayInTaipei()) };
  });
}

/**
 * Approves or returns submitted items. The reviewer must not be the item's assessor (CSIM 7.(2)
 * d.(b)); a return needs a comment. When every item is approved the campaign is approved and locked.
 */
export async function reviewItems(
  db: Database,
  context: RequestContext,
  input: { firmId: string; campaignId: string } & z.infer<typeof reviewSchema>,
): Promise<{ approved: number; returned: number; campaign: CampaignView }> {
  authorize(context.actor, 'campaign:review', input.firmId);
  return inTenantTransaction(db, [input.firmId], async (tx) => {
    const campaign = await findCampaignRow(tx, input.firmId, input.campaignId, true);
    if (campaign.status === 'approved') throw new AppError('LOCKED', '本次自行查核已核定並鎖定', { messageEn: 'the campaign is approved and locked' });
    const rows = await loadItemRows(tx, input.campaignId);
    const picked = pickItems(rows, input.decisions.map((decision) => decision.itemId), 'decisions');
    let approved = 0;
    let returned = 0;
    for (const [index, row] of picked.entries()) {
      const decision = input.decisions[index];
      if (row.revision !== decision.revision) throw staleRevision(row, decision.revision);
      const block = findReviewBlock({ reviewState: row.review_state, result: row.result, assessorId: row.assessor_id }, context.actor.userId);
      if (block) {
        throw new AppError(block.where === 'reviewer' ? 'FORBIDDEN' : 'INVALID_STATE', `${row.item_id}：${block.message}`, { messageEn: `${row.item_id}: ${block.messageEn}`, issues: [{ where: `decisions.${index}`, message: block.messageEn }] });
      }
      if (decision.decision === 'return' && (decision.comment ?? '').trim() === '') {
        throw validation([{ where: `decisions.${index}.comment`, message: 'returning an item needs a comment' }], `${row.item_id}：退回須填寫意見`);
      }
      const next: ReviewState = decision.decision === 'approve' ? 'approved' : 'returned';
      const updated = await tx.query(
        `UPDATE campaign_items SET review_state = $3, reviewer_id = $4, reviewed_at = now(), review_comment = $5, revision = revision + 1
         WHERE id = $1 AND revision = $2 RETURNING id`,
        [row.id, decision.revision, next, context.actor.userId, decision.comment ?? null],
      );
      if (updated.rows.length === 0) throw staleRevision(row, decision.revision);
      await appendAuditEvent(tx, context, {
        firmId: input.firmId, entity: 'campaign_item', entityId: row.id, action: next === 'approved' ? 'campaign_item.approved' : 'campaign_item.returned',
        before: { reviewState: row.review_state }, after: { reviewState: next, comment: decision.comment ?? null },
        detail: { campaignId: campaign.id, itemId: row.item_id, assessorId: row.assessor_id },
      });
      if (next === 'approved') approved += 1;
      else returned += 1;
    }
    await refreshCampaignStatus(tx, context, campaign);
    return { approved, returned, campaign: toCampaignView(await findCampaignRow(tx, input.firmId, input.campaignId), await loadItemRows(tx, input.campaignId), todayInTaipei()) };
  });
}

/** Reopens an approved (or in-review) campaign's items for editing; the reason is recorded and audited. */
export async function reopenCampaign(
  db: Database,
  context: RequestContext,
  input: { firmId: string; campaignId: string } & z.infer<typeof reopenSchema>,
): Promise<CampaignView> {
  authorize(context.actor, 'campaign:reopen', input.firmId);
  const reason = input.reason.trim();
  if (reason === '') throw validation([{ where: 'reason', message: 'required' }], '重新開啟須說明理由');
  return inTenantTransaction(db, [input.firmId], async (tx) => {
    const campaign = await findCampaignRow(tx, input.firmId, input.campaignId, true);
    const rows = await loadItemRows(tx, input.campaignId);
    const chosen = input.itemIds && input.itemIds.length > 0 ? pickItems(rows, input.itemIds, 'itemIds') : rows;
    const reopenable = chosen.filter((row) => row.review_state === 'approved' || row.review_state === 'submitted');
    if (reopenable.length === 0) throw new AppError('INVALID_STATE', '沒有已送覆核或已核定的項目可重新開啟', { messageEn: 'no submitted or approved items to reopen' });
    await tx.query(
      "UPDATE campaign_items SET review_state = 'returned', review_comment = $2, revision = revision + 1 WHERE id = ANY($1::uuid[])",
      [reopenable.map((row) => row.id), `重新開啟：${reason}`],
    );
    await tx.query(
      `UPDATE campaigns SET reopen_reason = $2, reopened_at = now(), reopened_by = $3, approved_at = NULL, approved_by = NULL, revision = revision + 1 WHERE id = $1`,
      [campaign.id, reason, context.actor.userId],
    );
    await appendAuditEvent(tx, context, {
      firmId: input.firmId, entity: 'campaign', entityId: campaign.id, action: 'campaign.reopened',
      before: { status: campaign.status }, detail: { reason, items: reopenable.map((row) => row.item_id) },
    });
    await refreshCampaignStatus(tx, context, { ...campaign, status: campaign.status });
    return toCampaignView(await findCampaignRow(tx, input.firmId, input.campaignId), await loadItemRows(tx, input.campaignId), todayInTaipei());
  });
}

// ── Checklist sheet ───────────────────────────────────────────────────────────────────────────────

/** One evidence cell line: title, the pinned file and version, and the start of its SHA-256. */
function describePinnedEvidence(entry: ItemEvidenceView): string {
  if (!entry.fileName || entry.version === null) return entry.title;
  return `${entry.title}（${entry.fileName}，第 ${entry.version} 版，SHA-256 ${(entry.sha256 ?? '').slice(0, 12)}）`;
}

/** The campaign as a checklist workbook (one row per item); the export is audited. */
export async function exportCampaignXlsx(db: Database, context: RequestContext, input: { firmId: string; campaignId: string }): Promise<{ fileName: string; buffer: Buffer }> {
  authorize(context.actor, 'campaign:export', input.firmId);
  return inTenantTransaction(db, [input.firmId], async (tx) => {
    const campaign = await findCampaignRow(tx, input.firmId, input.campaignId);
    const rows = await loadItemRows(tx, input.campaignId);
    const evidence = await loadItemEvidence(tx, rows.map((row) => row.id), todayInTaipei());
    const buffer = await buildChecklistWorkbook({
      campaignId: campaign.id,
      title: campaign.title,
      cycle: campaign.cycle,
      period: campaign.period,
      items: rows.map((row) => ({
        id: row.item_id,
        text: row.text ?? (row.not_in_source ? '（原文未載）' : ''),
        cycle: campaign.cycle,
        result: row.result,
        justification: row.justification,
        notes: row.notes,
        evidence: (evidence.get(row.id) ?? []).filter((entry) => !entry.isDeleted).map(describePinnedEvidence),
        assessor: row.assessor_email,
        reviewer: row.reviewer_email,
        reviewState: row.review_state,
        revision: row.revision,
      })),
    });
    await appendAuditEvent(tx, context, { firmId: input.firmId, entity: 'campaign', entityId: campaign.id, action: 'campaign.exported', detail: { format: 'xlsx', items: rows.length } });
    return { fileName: `checklist-${campaign.document}-${campaign.version}-${campaign.period}.xlsx`, buffer };
  });
}

/**
 * Applies a checklist sheet filled in offline. Every row is validated first (errors name the row
 * and column); nothing is applied unless the whole sheet is valid. Rows with a stale revision are
 * refused (409 when that is the only problem).
 */
export async function importCampaignXlsx(
  db: Database,
  context: RequestContext,
  input: { firmId: string; campaignId: string; buffer: Buffer | Uint8Array },
): Promise<{ updated: number; unchanged: number }> {
  authorize(context.actor, 'campaign:import', input.firmId);
  authorize(context.actor, 'campaign:assess', input.firmId);
  const sheet = await readChecklistWorkbook(input.buffer);
  return inTenantTransaction(db, [input.firmId], async (tx) => {
    const campaign = await findCampaignRow(tx, input.firmId, input.campaignId, true);
    if (sheet.campaignId !== null && sheet.campaignId !== campaign.id) {
      throw validation([{ where: 'sheet', message: `the sheet belongs to campaign ${sheet.campaignId}, not ${campaign.id}` }], '此檔案不是本次自行查核匯出的檢核表');
    }
    const rows = await loadItemRows(tx, input.campaignId);
    const current = new Map<string, CurrentItem>(rows.map((row) => [row.item_id, {
      id: row.item_id, revision: row.revision, result: row.result, justification: row.justification, notes: row.notes,
      reviewState: row.review_state, assessorId: row.assessor_id,
    }]));
    const { issues, updates } = validateChecklistRows(sheet.rows, current, campaign.status, sheet.layout);
    if (issues.length > 0) {
      const onlyStale = issues.every((issue) => issue.key === 'revision' && issue.messageEn.includes('changed after export'));
      const details = { messageEn: `the sheet has ${issues.length} problem(s); nothing was applied`, issues: issues.map((issue) => ({ where: issue.where, message: issue.message, row: issue.row, column: issue.column, header: issue.header })) };
      throw new AppError(onlyStale ? 'CONFLICT' : 'VALIDATION', `檢核表有 ${issues.length} 個問題，未套用任何變更：${issues.slice(0, 20).map((issue) => issue.message).join('；')}`, details);
    }
    for (const update of updates) {
      const row = rows.find((entry) => entry.item_id === update.id) as ItemRow;
      await writeAssessment(tx, context, campaign, row, { revision: update.revision, result: update.result as AssessmentResult, justification: update.justification, notes: update.notes }, 'campaign_item.imported');
    }
    await appendAuditEvent(tx, context, { firmId: input.firmId, entity: 'campaign', entityId: campaign.id, action: 'campaign.imported', detail: { format: 'xlsx', updated: updates.map((update) => update.id) } });
    return { updated: updates.length, unchanged: sheet.rows.length - updates.length };
  });
}

/** Reused by the CLI's `anjian campaign status`: the campaign with progress per section. */
export const getCampaignStatus = getCampaign;


