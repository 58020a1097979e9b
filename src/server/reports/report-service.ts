/**
 * PDF reports a board or a regulator accepts: the annual 資訊安全整體執行情形 report (CSIM 2.(6)),
 * the deficiency follow-up report (CSIM 11.(2)) and a self-inspection campaign report. Each is
 * rendered to HTML here, printed by Chromium (`pdf-printer.ts`) and audited as an export with the
 * PDF's SHA-256, so a printed copy can be matched to its audit event.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Database, Queryable } from '../db/client.ts';
import { inTenantTransaction, type RequestContext } from '../context.ts';
import { appendAuditEvent } from '../audit/audit-log.ts';
import { authorize } from '../auth/policy.ts';
import { notFound } from '../errors.ts';
import { todayInTaipei } from '../evidence/evidence-values.ts';
import { getCampaign, listCampaignItems } from '../assessments/campaign-service.ts';
import { buildDeficiencyReport, listDeficiencies, reportFilterSchema } from '../findings/deficiency-service.ts';
import { getProfile } from '../firms/firm-profile-service.ts';
import { recordAuditVerification } from '../inspections/inspection-service.ts';
import { buildInspectionPeriods } from '../../domain/calendar/periods.ts';
import { DEFAULT_FISCAL_YEAR_END } from '../../domain/calendar/list-obligations.ts';
import { classifyFirm } from '../../domain/firms/classify.ts';
import { validateFirmProfile } from '../../domain/firms/profile.ts';
import { buildBoardReport, type BoardReportCampaign } from '../../domain/reports/board-report.ts';
import type { AssessmentResult, ReviewState } from '../../domain/assessments/campaign-rules.ts';
import type { Cycle } from '../../domain/catalog/schema.ts';
import { buildFontCss, printPdf } from './pdf-printer.ts';
import { renderBoardReportHtml, renderCampaignReportHtml, renderFollowUpReportHtml } from './report-html.ts';

export const REPORT_KINDS = ['board', 'followup', 'campaign'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

export const boardReportQuerySchema = z.object({
  /** Fiscal year, named by the year it ends in; default: the last one that has ended. */
  year: z.coerce.number().int().min(2000).max(2100).optional(),
});
export const followUpReportQuerySchema = reportFilterSchema;
export const campaignReportQuerySchema = z.object({ campaignId: z.uuid() });

export type ReportRequest =
  | { kind: 'board'; firmId: string; year?: number }
  | ({ kind: 'followup'; firmId: string } & z.infer<typeof followUpReportQuerySchema>)
  | { kind: 'campaign'; firmId: string; campaignId: string };

export interface RenderedReport {
  kind: ReportKind;
  title: string;
  /** ASCII file name (the title goes into filename*). */
  fileName: string;
  html: string;
}

/** Section code → heading title (CC-18000 → 存取控制), from the newest CSIM version that names it. */
async function loadSectionTitles(tx: Queryable): Promise<Record<string, string>> {
  const rows = (await tx.query<{ code: string; title: string }>(
    `SELECT DISTINCT ON (code) code, title FROM catalog_items
     WHERE document = 'CSIM' AND code IS NOT NULL AND title IS NOT NULL ORDER BY code, version DESC, depth, ord`,
  )).rows;
  return Object.fromEntries(rows.map((row) => [row.code, row.title]));
}

async function loadFirm(tx: Queryable, firmId: string): Promise<{ name: string; registration_number: string | null }> {
  const firm = (await tx.query<{ name: string; registration_number: string | null }>('SELECT name, registration_number FROM firms WHERE id = $1', [firmId])).rows[0];
  if (!firm) throw notFound('券商', firmId);
  return firm;
}

/** The fiscal year that most recently ended on or before `today`. */
export function lastEndedFiscalYear(today: string, fiscalYearEnd: string): number {
  const year = Number(today.slice(0, 4));
  const [period] = buildInspectionPeriods(year, 'annual', fiscalYearEnd);
  return period.end <= today ? year : year - 1;
}

async function renderBoard(db: Database, context: RequestContext, firmId: string, requestedYear: number | undefined, today: string): Promise<RenderedReport> {
  const fontCss = await buildFontCss();
  const deficiencies = await listDeficiencies(db, context, { firmId, today });
  const loaded = await inTenantTransaction(db, [firmId], async (tx) => {
    const firm = await loadFirm(tx, firmId);
    const latest = await getProfile(tx, firmId);
    const latestParsed = latest ? validateFirmProfile(latest.profile) : null;
    const fiscalYearEnd = latestParsed?.ok ? latestParsed.profile.fiscalYearEnd ?? DEFAULT_FISCAL_YEAR_END : DEFAULT_FISCAL_YEAR_END;
    const fiscalYear = requestedYear ?? lastEndedFiscalYear(today, fiscalYearEnd);
    const [period] = buildInspectionPeriods(fiscalYear, 'annual', fiscalYearEnd);
    const asOf = (await getProfile(tx, firmId, period.end)) ?? latest;
    const parsed = asOf ? validateFirmProfile(asOf.profile) : null;
    const classification = parsed?.ok ? classifyFirm(parsed.profile) : null;
    const campaigns = (await tx.query<{ id: string; document: string; version: string; cycle: Cycle; period: string; status: string }>(
      `SELECT id, document, version, cycle, period, status FROM campaigns
       WHERE firm_id = $1 AND period_end BETWEEN $2::date AND $3::date ORDER BY period_end, document, cycle`,
      [firmId, period.start, period.end],
    )).rows;
    const items = (await tx.query<{ campaign_id: string; section: string | null; result: AssessmentResult | null; review_state: ReviewState }>(
      'SELECT campaign_id, section, result, review_state FROM campaign_items WHERE campaign_id = ANY($1::uuid[])', [campaigns.map((campaign) => campaign.id)],
    )).rows;
    const evidence = (await tx.query<{ total: number; expired: number; linked: number }>(
      `SELECT
         (SELECT count(*)::int FROM evidence WHERE firm_id = $1 AND deleted_at IS NULL) AS total,
         (SELECT count(*)::int FROM evidence WHERE firm_id = $1 AND deleted_at IS NULL AND valid_until < $2::date) AS expired,
         (SELECT count(DISTINCT l.evidence_id)::int FROM campaign_item_evidence l JOIN campaign_items i ON i.id = l.campaign_item_id
            WHERE i.campaign_id = ANY($3::uuid[])) AS linked`,
      [firmId, today, campaigns.map((campaign) => campaign.id)],
    )).rows[0];
    const verification = await recordAuditVerification(tx, context, firmId, 'board_report');
    return {
      firm, fiscalYear, period, classification, verification, sectionTitles: await loadSectionTitles(tx),
      evidence: { total: Number(evidence.total), expired: Number(evidence.expired), linkedToCampaigns: Number(evidence.linked) },
      campaigns: campaigns.map((campaign): BoardReportCampaign => ({
        ...campaign,
        items: items.filter((item) => item.campaign_id === campaign.id).map((item) => ({ section: item.section, result: item.result, reviewState: item.review_state })),
      })),
    };
  });
  const { period } = loaded;
  const report = buildBoardReport({
    firm: { id: firmId, name: loaded.firm.name, registrationNumber: loaded.firm.registration_number },
    fiscalYear: loaded.fiscalYear,
    period: { start: period.start, end: period.end },
    classification: loaded.classification
      ? { tier: loaded.classification.tier, type: loaded.classification.type, cisoRequired: loaded.classification.cisoRequired, foreign: loaded.classification.foreign }
      : null,
    campaigns: loaded.campaigns,
    // The year's deficiencies: raised by its end and not closed before it began.
    deficiencies: deficiencies
      .filter((entry) => (entry.createdAt ?? '').slice(0, 10) <= period.end && (entry.closedAt === null || entry.closedAt.slice(0, 10) >= period.start))
      .map((entry) => ({
        number: entry.number, title: entry.title, source: entry.source, severity: entry.severity, state: entry.state, stateLabel: entry.stateLabel,
        dueDate: entry.dueDate, isOverdue: entry.isOverdue, createdAt: entry.createdAt ?? '', closedAt: entry.closedAt,
      })),
    evidence: loaded.evidence,
    auditVerification: {
      ok: loaded.verification.ok, events: loaded.verification.events, verifiedAt: loaded.verification.verifiedAt,
      problems: loaded.verification.problems.map((problem) => problem.message),
    },
    generatedOn: today,
    generatedBy: context.actor.email,
  });
  return {
    kind: 'board', title: report.title, fileName: `board-report-${loaded.fiscalYear}.pdf`,
    html: renderBoardReportHtml(report, { fontCss, sectionTitles: loaded.sectionTitles }),
  };
}

/** Renders a report's HTML (the board report also verifies and records the audit chain). */
export async function renderReport(db: Database, context: RequestContext, request: ReportRequest): Promise<RenderedReport> {
  authorize(context.actor, 'report:read', request.firmId);
  const today = todayInTaipei();
  switch (request.kind) {
    case 'board':
      return renderBoard(db, context, request.firmId, request.year, today);
    case 'followup': {
      const { kind: _kind, firmId, ...filter } = request;
      const report = await buildDeficiencyReport(db, context, { firmId, ...filter });
      return { kind: 'followup', title: report.title, fileName: `follow-up-report-${report.generatedOn}.pdf`, html: renderFollowUpReportHtml(report, { fontCss: await buildFontCss() }) };
    }
    case 'campaign': {
      const campaign = await getCampaign(db, context, { firmId: request.firmId, campaignId: request.campaignId });
      const items = await listCampaignItems(db, context, { firmId: request.firmId, campaignId: request.campaignId });
      const { firmName, sectionTitles } = await inTenantTransaction(db, [request.firmId], async (tx) => ({
        firmName: (await loadFirm(tx, request.firmId)).name, sectionTitles: await loadSectionTitles(tx),
      }));
      return {
        kind: 'campaign', title: `${firmName} ${campaign.title}`, fileName: `campaign-${campaign.document}-${campaign.period}.pdf`,
        html: renderCampaignReportHtml({ firmName, campaign, items, generatedOn: today }, { fontCss: await buildFontCss(), sectionTitles }),
      };
    }
    default: {
      const exhaustive: never = request;
      throw new RangeError(`unknown report ${JSON.stringify(exhaustive)}`);
    }
  }
}

export interface ExportedReport extends RenderedReport {
  pdf: Buffer;
  sha256: string;
}

/** Renders, prints and audits a report (`report.exported` with the PDF's digest). */
export async function exportReportPdf(db: Database, context: RequestContext, request: ReportRequest): Promise<ExportedReport> {
  const rendered = await renderReport(db, context, request);
  const pdf = await printPdf(rendered.html, { footerText: `anjian ${rendered.kind} report ${todayInTaipei()}` });
  const sha256 = createHash('sha256').update(pdf).digest('hex');
  const { kind, firmId, ...parameters } = request;
  await inTenantTransaction(db, [firmId], (tx) => appendAuditEvent(tx, context, {
    firmId, entity: 'report', entityId: kind, action: 'report.exported',
    detail: { kind, format: 'pdf', parameters, title: rendered.title, bytes: pdf.length, sha256 },
  }));
  return { ...rendered, pdf, sha256 };
}
