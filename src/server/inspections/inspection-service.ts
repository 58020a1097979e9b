/**
 * The exchange inspector's work: one row per firm the inspector is assigned to (a membership with
 * role inspector; every firm for a platform admin), the comparison of firms by section (deficiency
 * counts by category, as in the exchange's briefing), findings recorded on a firm (optionally raising
 * a deficiency with source exchange_inspection), and audit-chain verifications kept per firm.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Database, Queryable } from '../db/client.ts';
import { inTenantTransaction, type Actor, type RequestContext } from '../context.ts';
import { insertDeficiency } from '../findings/deficiency-service.ts';
import { appendAuditEvent, verifyAuditChains, type VerificationReport } from '../audit/audit-log.ts';
import { authorize } from '../auth/policy.ts';
import { forbidden, notFound, validation } from '../errors.ts';
import { todayInTaipei, toIsoTime } from '../evidence/evidence-values.ts';
import { summarizeProgress, type AssessmentResult, type ReviewState } from '../../domain/assessments/campaign-rules.ts';
import { SEVERITIES, type DeficiencyState, type Severity } from '../../domain/findings/deficiency-rules.ts';
import { validateFirmProfile } from '../../domain/firms/profile.ts';
import { classifyFirm } from '../../domain/firms/classify.ts';
import type { Cycle } from '../../domain/catalog/schema.ts';
import {
  FIRM_SORT_KEYS,
  filterFirmRows,
  sortFirmRows,
  type FirmOverviewRow,
} from '../../domain/reports/inspection-overview.ts';
import { categorizeDeficiency, compareFirmsBySection, type FirmSectionInput, type SectionComparison } from '../../domain/reports/section-statistics.ts';

// ── Schemas (routes, OpenAPI document, web form and CLI share them) ──────────────────────────────

const flag = z.stringbool().optional();

export const overviewQuerySchema = z.object({
  name: z.string().max(100).optional(),
  tier: z.coerce.number().int().min(1).max(4).optional(),
  type: z.coerce.number().int().min(1).max(2).optional(),
  cisoRequired: flag,
  hasOverdue: flag,
  auditAttention: flag,
  sort: z.enum(FIRM_SORT_KEYS).default('name'),
  order: z.enum(['asc', 'desc']).default('asc'),
  /** Deficiencies created from / to these days count in the comparison (default: all). */
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
});
export type OverviewQuery = z.infer<typeof overviewQuerySchema>;

export const recordFindingSchema = z.object({
  /** A catalog item: CSIM:8.3.e, or CSIM@112:8.3.e for a given version. */
  itemId: z.string().trim().min(3).max(100),
  text: z.string().trim().min(1).max(10000),
  severity: z.enum(SEVERITIES),
  /** Also open a deficiency (source exchange_inspection) the firm must remediate. */
  raiseDeficiency: z.boolean().default(false),
  title: z.string().trim().min(1).max(300).optional(),
  dueDate: z.iso.date().optional(),
  recommendation: z.string().max(10000).optional(),
});
export type RecordFindingInput = z.input<typeof recordFindingSchema>;

// ── Views ─────────────────────────────────────────────────────────────────────────────────────────

export interface InspectionOverview {
  today: string;
  /** The firms the user may inspect, after filters, in the requested order. */
  firms: FirmOverviewRow[];
  /** How many firms the user may inspect before filters. */
  assignedFirms: number;
  comparison: SectionComparison;
}

export interface InspectionFindingView {
  id: string;
  firmId: string;
  inspectorId: string;
  inspector: string | null;
  itemId: string;
  section: string | null;
  text: string;
  severity: Severity;
  createdAt: string | null;
  deficiencyId: string | null;
  deficiencyNumber: number | null;
}

export interface AuditVerificationView {
  firmId: string;
  ok: boolean;
  events: number;
  problems: VerificationReport['problems'];
  verifiedAt: string;
}

// ── Helpers ───────────────────────────────────────────────────────────────────────────────────────

/** Firms the actor inspects: its inspector memberships, or every firm for a platform admin. */
export function listInspectedFirmIds(actor: Actor): string[] | '*' {
  if (actor.isPlatformAdmin) return '*';
  return [...actor.roles.entries()].filter(([, roles]) => roles.includes('inspector')).map(([firmId]) => firmId);
}

const ITEM_ID_PATTERN = /^([A-Z]+)(?:@([^:]+))?:(.+)$/;

/** The section code (CC-18000) of catalog item ids, latest version unless the id names one. */
export async function findItemSections(tx: Queryable, itemIds: readonly string[]): Promise<Map<string, string | null>> {
  const unique = [...new Set(itemIds)];
  const result = new Map<string, string | null>();
  if (unique.length === 0) return result;
  const plain = unique.filter((id) => !id.includes('@'));
  const versioned = unique.filter((id) => id.includes('@'));
  if (plain.length > 0) {
    const rows = (await tx.query<{ item_id: string; code: string | null }>(
      'SELECT DISTINCT ON (item_id) item_id, code FROM catalog_items WHERE item_id = ANY($1::text[]) ORDER BY item_id, version DESC',
      [plain],
    )).rows;
    for (const row of rows) result.set(row.item_id, row.code);
  }
  if (versioned.length > 0) {
    const rows = (await tx.query<{ key: string; code: string | null }>(
      "SELECT document || '@' || version || ':' || path AS key, code FROM catalog_items WHERE document || '@' || version || ':' || path = ANY($1::text[])",
      [versioned],
    )).rows;
    for (const row of rows) result.set(row.key, row.code);
  }
  return result;
}

/** Section codes of the latest CSIM version in document order (CC-11000 … CC-22010), leaves' codes only. */
export async function listCsimSections(tx: Queryable): Promise<string[]> {
  const rows = (await tx.query<{ code: string }>(
    `SELECT ci.code FROM catalog_items ci
     WHERE ci.document = 'CSIM' AND ci.version = (SELECT max(version) FROM catalog_versions WHERE document = 'CSIM') AND ci.code IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM catalog_items c2 WHERE c2.document = ci.document AND c2.version = ci.version AND c2.parent_path = ci.path)
     GROUP BY ci.code ORDER BY min(ci.ord)`,
  )).rows;
  return rows.map((row) => row.code);
}

function parseJson<T>(value: T | string): T {
  return typeof value === 'string' ? JSON.parse(value) as T : value;
}

// ── The inspector's view ──────────────────────────────────────────────────────────────────────────

interface CampaignRow {
  id: string;
  firm_id: string;
  document: string;
  cycle: Cycle;
  period: string;
  status: string;
  due_date: string | null;
  period_end: string | null;
}

export async function buildInspectionOverview(db: Database, context: RequestContext, query: Partial<OverviewQuery> = {}): Promise<InspectionOverview> {
  const scope = listInspectedFirmIds(context.actor);
  if (scope !== '*' && scope.length === 0) {
    throw forbidden('inspection:read needs an inspector assignment to at least one firm');
  }
  const today = todayInTaipei();
  // The route has validated the query already; callers in code pass typed values.
  const parsed: OverviewQuery = { sort: 'name', order: 'asc', ...query };
  return inTenantTransaction(db, scope, async (tx) => {
    const firms = (await tx.query<{ id: string; name: string }>(
      scope === '*' ? 'SELECT id, name FROM firms ORDER BY name' : 'SELECT id, name FROM firms WHERE id = ANY($1::uuid[]) ORDER BY name',
      scope === '*' ? [] : [scope],
    )).rows;
    const firmIds = firms.map((firm) => firm.id);
    for (const firmId of firmIds) authorize(context.actor, 'inspection:read', firmId);

    const profiles = new Map((await tx.query<{ firm_id: string; profile: unknown }>(
      'SELECT DISTINCT ON (firm_id) firm_id, profile FROM firm_profiles WHERE firm_id = ANY($1::uuid[]) ORDER BY firm_id, revision DESC', [firmIds],
    )).rows.map((row) => [row.firm_id, parseJson(row.profile)]));

    const campaigns = (await tx.query<CampaignRow>(
      `SELECT id, firm_id, document, cycle, period, status, due_date::text AS due_date, period_end::text AS period_end
       FROM campaigns WHERE firm_id = ANY($1::uuid[])`, [firmIds],
    )).rows;
    const latest = new Map<string, CampaignRow>();
    for (const campaign of campaigns) {
      const key = `${campaign.firm_id}\u0000${campaign.document}\u0000${campaign.cycle}`;
      const current = latest.get(key);
      if (!current || (campaign.period_end ?? '') > (current.period_end ?? '')) latest.set(key, campaign);
    }
    const latestIds = [...latest.values()].map((campaign) => campaign.id);
    const items = (await tx.query<{ campaign_id: string; section: string | null; result: AssessmentResult | null; review_state: ReviewState }>(
      'SELECT campaign_id, section, result, review_state FROM campaign_items WHERE campaign_id = ANY($1::uuid[])', [latestIds],
    )).rows;
    const itemsByCampaign = new Map<string, typeof items>();
    for (const item of items) {
      const list = itemsByCampaign.get(item.campaign_id) ?? [];
      list.push(item);
      itemsByCampaign.set(item.campaign_id, list);
    }

    const deficiencies = (await tx.query<{ firm_id: string; severity: Severity; state: DeficiencyState; due_date: string | null; items: string[] | string; created_day: string; item_section: string | null }>(
      `SELECT d.firm_id, d.severity, d.state, d.due_date::text AS due_date, d.items, (d.created_at AT TIME ZONE 'Asia/Taipei')::date::text AS created_day,
         ci.section AS item_section
       FROM deficiencies d LEFT JOIN campaign_items ci ON ci.id = d.campaign_item_id WHERE d.firm_id = ANY($1::uuid[])`, [firmIds],
    )).rows.map((row) => ({ ...row, items: parseJson(row.items) }));
    const sectionOf = await findItemSections(tx, deficiencies.flatMap((row) => row.items));

    const findings = new Map((await tx.query<{ firm_id: string; count: number }>(
      'SELECT firm_id, count(*)::int AS count FROM inspection_findings WHERE firm_id = ANY($1::uuid[]) GROUP BY firm_id', [firmIds],
    )).rows.map((row) => [row.firm_id, Number(row.count)]));
    const verifications = new Map((await tx.query<{ firm_id: string; ok: boolean; verified_at: Date | string; events: number; problems: unknown[] | string }>(
      'SELECT DISTINCT ON (firm_id) firm_id, ok, verified_at, events, problems FROM audit_verifications WHERE firm_id = ANY($1::uuid[]) ORDER BY firm_id, verified_at DESC',
      [firmIds],
    )).rows.map((row) => [row.firm_id, row]));
    const sections = await listCsimSections(tx);

    const rows: FirmOverviewRow[] = [];
    const sectionInputs: FirmSectionInput[] = [];
    for (const firm of firms) {
      const parsedProfile = profiles.has(firm.id) ? validateFirmProfile(profiles.get(firm.id)) : null;
      const classification = parsedProfile?.ok ? classifyFirm(parsedProfile.profile) : null;
      const firmLatest = [...latest.values()].filter((campaign) => campaign.firm_id === firm.id)
        .sort((a, b) => a.document.localeCompare(b.document) || a.cycle.localeCompare(b.cycle));
      const toProgressItem = (item: (typeof items)[number]) => ({ section: item.section, result: item.result, reviewState: item.review_state });
      const firmItems = firmLatest.flatMap((campaign) => itemsByCampaign.get(campaign.id) ?? []);
      const progress = summarizeProgress(firmItems.map(toProgressItem));
      const byDocument: Record<string, number | null> = {};
      for (const document of new Set(firmLatest.map((campaign) => campaign.document))) {
        const documentItems = firmLatest.filter((campaign) => campaign.document === document).flatMap((campaign) => itemsByCampaign.get(campaign.id) ?? []);
        byDocument[document] = summarizeProgress(documentItems.map(toProgressItem)).overall.complianceRate;
      }
      const bySection = Object.fromEntries(progress.sections.map((section) => [section.section, section.complianceRate]));
      const firmDeficiencies = deficiencies.filter((row) => row.firm_id === firm.id);
      const open = firmDeficiencies.filter((row) => row.state !== 'closed');
      const verification = verifications.get(firm.id);
      rows.push({
        firmId: firm.id,
        name: firm.name,
        classification: {
          hasProfile: profiles.has(firm.id),
          tier: classification?.tier ?? null,
          type: classification?.type ?? null,
          cisoRequired: classification?.cisoRequired ?? null,
        },
        latestCampaigns: firmLatest.map((campaign) => ({
          campaignId: campaign.id, document: campaign.document, cycle: campaign.cycle, period: campaign.period, status: campaign.status,
          isOverdue: campaign.status !== 'approved' && campaign.due_date !== null && campaign.due_date < today,
          complianceRate: summarizeProgress((itemsByCampaign.get(campaign.id) ?? []).map(toProgressItem)).overall.complianceRate,
        })),
        complianceByDocument: byDocument,
        complianceBySection: bySection,
        complianceRate: progress.overall.complianceRate,
        openDeficiencies: {
          high: open.filter((row) => row.severity === 'high').length,
          medium: open.filter((row) => row.severity === 'medium').length,
          low: open.filter((row) => row.severity === 'low').length,
          total: open.length,
        },
        overdue: {
          deficiencies: open.filter((row) => row.due_date !== null && row.due_date < today).length,
          campaigns: campaigns.filter((campaign) => campaign.firm_id === firm.id && campaign.status !== 'approved' && campaign.due_date !== null && campaign.due_date < today).length,
        },
        inspectionFindings: findings.get(firm.id) ?? 0,
        auditVerification: verification
          ? { state: verification.ok ? 'intact' : 'broken', verifiedAt: toIsoTime(verification.verified_at), events: Number(verification.events), problems: parseJson(verification.problems).length }
          : { state: 'never_verified', verifiedAt: null, events: null, problems: 0 },
      });
      const counted = firmDeficiencies.filter((row) => (!parsed.from || row.created_day >= parsed.from) && (!parsed.to || row.created_day <= parsed.to));
      sectionInputs.push({
        firmId: firm.id,
        name: firm.name,
        categories: counted.map((row) => categorizeDeficiency([...row.items.map((item) => sectionOf.get(item) ?? null), row.item_section])),
        complianceRates: bySection,
      });
    }
    const shown = sortFirmRows(filterFirmRows(rows, {
      name: parsed.name, tier: parsed.tier as 1 | 2 | 3 | 4 | undefined, type: parsed.type as 1 | 2 | undefined,
      cisoRequired: parsed.cisoRequired, hasOverdue: parsed.hasOverdue, auditAttention: parsed.auditAttention,
    }), parsed.sort, parsed.order);
    const inputsByFirm = new Map(sectionInputs.map((entry) => [entry.firmId, entry]));
    const comparison = compareFirmsBySection(shown.flatMap((row) => inputsByFirm.get(row.firmId) ?? []), sections);
    return { today, firms: shown, assignedFirms: firms.length, comparison };
  });
}

// ── Findings ──────────────────────────────────────────────────────────────────────────────────────

interface FindingRow {
  id: string;
  firm_id: string;
  inspector_id: string;
  email: string | null;
  item_id: string;
  text: string;
  severity: Severity;
  created_at: Date | string;
  deficiency_id: string | null;
  deficiency_number: number | null;
}

const FINDING_SELECT = `SELECT f.id, f.firm_id, f.inspector_id, u.email, f.item_id, f.text, f.severity, f.created_at, f.deficiency_id, d.number AS deficiency_number
  FROM inspection_findings f LEFT JOIN users u ON u.id = f.inspector_id LEFT JOIN deficiencies d ON d.id = f.deficiency_id`;

function presentFinding(row: FindingRow, sections: Map<string, string | null>): InspectionFindingView {
  return {
    id: row.id, firmId: row.firm_id, inspectorId: row.inspector_id, inspector: row.email, itemId: row.item_id,
    section: sections.get(row.item_id) ?? null, text: row.text, severity: row.severity, createdAt: toIsoTime(row.created_at),
    deficiencyId: row.deficiency_id, deficiencyNumber: row.deficiency_number === null ? null : Number(row.deficiency_number),
  };
}

/** Opens an `exchange_inspection` deficiency for a finding, inside the caller's transaction. */
function openInspectionDeficiency(
  tx: Queryable,
  context: RequestContext,
  firmId: string,
  input: { title: string; description: string; itemId: string; severity: Severity; dueDate?: string; recommendation?: string },
): Promise<{ id: string; number: number }> {
  return insertDeficiency(tx, context, firmId, {
    title: input.title, description: input.description, source: 'exchange_inspection', items: [input.itemId],
    severity: input.severity, dueDate: input.dueDate, recommendation: input.recommendation,
  }, { historyComment: '證交所查核開立缺失' });
}

/** Records an inspector's finding on a firm; with `raiseDeficiency`, opens a deficiency too. Both audited. */
export async function recordInspectionFinding(
  db: Database,
  context: RequestContext,
  input: { firmId: string } & RecordFindingInput,
): Promise<InspectionFindingView> {
  authorize(context.actor, 'inspection:record', input.firmId);
  const request = recordFindingSchema.parse(input);
  if (request.raiseDeficiency) authorize(context.actor, 'deficiency:create', input.firmId);
  if (!context.actor.userId) throw forbidden('an inspection finding needs a signed-in inspector');
  const inspectorId = context.actor.userId;
  return inTenantTransaction(db, [input.firmId], async (tx) => {
    const firm = (await tx.query('SELECT 1 FROM firms WHERE id = $1', [input.firmId])).rows[0];
    if (!firm) throw notFound('券商', input.firmId);
    const sections = await findItemSections(tx, [request.itemId]);
    if (!sections.has(request.itemId) || !ITEM_ID_PATTERN.test(request.itemId)) {
      throw validation([{ where: 'itemId', message: `no catalog item ${request.itemId} (e.g. CSIM:8.3.e or CSIM@112:8.3.e)` }], `條文編號「${request.itemId}」不在法規目錄中`);
    }
    const id = randomUUID();
    let deficiency: { id: string; number: number } | null = null;
    if (request.raiseDeficiency) {
      deficiency = await openInspectionDeficiency(tx, context, input.firmId, {
        title: request.title ?? `證交所查核：${request.itemId} ${request.text.slice(0, 80)}`,
        description: request.text, itemId: request.itemId, severity: request.severity,
        dueDate: request.dueDate, recommendation: request.recommendation,
      });
    }
    await tx.query(
      'INSERT INTO inspection_findings (id, firm_id, inspector_id, item_id, text, severity, deficiency_id) VALUES ($1, $2, $3, $4, $5, $6, $7)',
      [id, input.firmId, inspectorId, request.itemId, request.text, request.severity, deficiency?.id ?? null],
    );
    await appendAuditEvent(tx, context, {
      firmId: input.firmId, entity: 'inspection_finding', entityId: id, action: 'inspection_finding.recorded', role: 'inspector',
      after: { itemId: request.itemId, text: request.text, severity: request.severity, deficiencyId: deficiency?.id ?? null },
      detail: deficiency ? { deficiencyNumber: deficiency.number } : {},
    });
    const row = (await tx.query<FindingRow>(`${FINDING_SELECT} WHERE f.id = $1`, [id])).rows[0];
    return presentFinding(row, sections);
  });
}

export async function listInspectionFindings(db: Database, context: RequestContext, input: { firmId: string }): Promise<InspectionFindingView[]> {
  authorize(context.actor, 'inspection:read', input.firmId);
  return inTenantTransaction(db, [input.firmId], async (tx) => {
    const rows = (await tx.query<FindingRow>(`${FINDING_SELECT} WHERE f.firm_id = $1 ORDER BY f.created_at DESC, f.id`, [input.firmId])).rows;
    const sections = await findItemSections(tx, rows.map((row) => row.item_id));
    return rows.map((row) => presentFinding(row, sections));
  });
}

// ── Audit-chain verification ──────────────────────────────────────────────────────────────────────

/** Verifies a firm's audit chain inside `tx`, keeps the result and audits the verification. */
export async function recordAuditVerification(
  tx: Queryable,
  context: RequestContext,
  firmId: string,
  trigger: 'inspection' | 'board_report',
): Promise<AuditVerificationView> {
  const report = await verifyAuditChains(tx, [firmId]);
  const verifiedAt = new Date().toISOString();
  await tx.query(
    'INSERT INTO audit_verifications (id, firm_id, verified_at, verified_by, ok, events, problems, trigger) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
    [randomUUID(), firmId, verifiedAt, context.actor.userId, report.ok, report.events, JSON.stringify(report.problems), trigger],
  );
  await appendAuditEvent(tx, context, {
    firmId, entity: 'audit', action: 'audit.verified',
    detail: { ok: report.ok, events: report.events, problems: report.problems.length, trigger },
  });
  return { firmId, ok: report.ok, events: report.events, problems: report.problems, verifiedAt };
}

export async function verifyFirmAuditChain(db: Database, context: RequestContext, input: { firmId: string }): Promise<AuditVerificationView> {
  authorize(context.actor, 'audit:verify', input.firmId);
  return inTenantTransaction(db, [input.firmId], (tx) => recordAuditVerification(tx, context, input.firmId, 'inspection'));
}
