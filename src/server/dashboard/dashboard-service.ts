/**
 * The compliance dashboard: compliance by section and document, the trend across periods, open
 * deficiencies by severity and age, overdue work, upcoming campaigns and expiring evidence. Every
 * figure carries `rows`: the API list (path and query) that returns the rows behind it.
 */
import type { Database } from '../db/client.ts';
import type { RequestContext } from '../context.ts';
import { inTenantTransaction } from '../context.ts';
import { authorize } from '../auth/policy.ts';
import { addDays, todayInTaipei } from '../evidence/evidence-values.ts';
import { countItemsWithExpiringEvidence, listCampaigns, type CampaignView } from '../assessments/campaign-service.ts';
import { listDeficiencies } from '../findings/deficiency-service.ts';
import { listEvidence, EXPIRING_WITHIN_DAYS } from '../evidence/evidence-service.ts';
import { AGE_BUCKETS, SEVERITIES, type Severity } from '../../domain/findings/deficiency-rules.ts';
import { buildInspectionPeriods } from '../../domain/calendar/periods.ts';
import { DEFAULT_FISCAL_YEAR_END } from '../../domain/calendar/list-obligations.ts';
import { CYCLES, type Cycle } from '../../domain/catalog/schema.ts';

export interface RowsLink {
  path: string;
  query: Record<string, string>;
  href: string;
}

function rowsLink(path: string, query: Record<string, string | number | boolean | undefined> = {}): RowsLink {
  const entries = Object.entries(query).filter(([, value]) => value !== undefined).map(([key, value]) => [key, String(value)] as [string, string]);
  const search = new URLSearchParams(entries).toString();
  return { path, query: Object.fromEntries(entries), href: search ? `${path}?${search}` : path };
}

export interface Figure {
  count: number;
  rows: RowsLink;
}

export interface SectionCompliance {
  section: string;
  total: number;
  compliant: Figure;
  partial: Figure;
  nonCompliant: Figure;
  notApplicable: Figure;
  unassessed: Figure;
  complianceRate: number | null;
}

export interface Dashboard {
  today: string;
  compliance: {
    document: string;
    version: string;
    cycle: Cycle;
    period: string;
    campaignId: string;
    status: string;
    complianceRate: number | null;
    items: Figure;
    sections: SectionCompliance[];
  }[];
  byDocument: { document: string; complianceRate: number | null; compliant: number; countable: number }[];
  trend: { campaignId: string; document: string; cycle: Cycle; period: string; periodEnd: string | null; complianceRate: number | null; assessed: number; total: number; rows: RowsLink }[];
  openDeficiencies: { severity: Severity; ageBucket: string; count: number; rows: RowsLink }[];
  overdue: { deficiencies: Figure; campaigns: Figure };
  upcomingCampaigns: { cycle: Cycle; period: string; start: string; end: string; due: string; campaignId: string | null; status: string | null; rows: RowsLink }[];
  /** `expiring`: evidence valid until at most 30 days from today, the expired included (as its list shows). */
  evidence: { expired: Figure; expiring: Figure; itemsWithExpiringEvidence: { campaignId: string; count: number; rows: RowsLink }[] };
}

export async function buildDashboard(db: Database, context: RequestContext, input: { firmId: string; today?: string }): Promise<Dashboard> {
  authorize(context.actor, 'report:read', input.firmId);
  const today = input.today ?? todayInTaipei();
  const base = `/api/v1/firms/${input.firmId}`;
  const campaigns = await listCampaigns(db, context, { firmId: input.firmId });

  const latest = new Map<string, CampaignView>();
  for (const campaign of campaigns) {
    const key = `${campaign.document}\u0000${campaign.cycle}`;
    const current = latest.get(key);
    if (!current || (campaign.periodEnd ?? '') > (current.periodEnd ?? '')) latest.set(key, campaign);
  }
  const compliance = [...latest.values()].map((campaign) => {
    const itemsPath = `${base}/campaigns/${campaign.id}/items`;
    return {
      document: campaign.document,
      version: campaign.version,
      cycle: campaign.cycle,
      period: campaign.period,
      campaignId: campaign.id,
      status: campaign.status,
      complianceRate: campaign.progress.complianceRate,
      items: { count: campaign.progress.total, rows: rowsLink(itemsPath) },
      sections: campaign.sections.map((section) => ({
        section: section.section,
        total: section.total,
        compliant: { count: section.byResult.compliant, rows: rowsLink(itemsPath, { section: section.section, result: 'compliant' }) },
        partial: { count: section.byResult.partial, rows: rowsLink(itemsPath, { section: section.section, result: 'partial' }) },
        nonCompliant: { count: section.byResult.non_compliant, rows: rowsLink(itemsPath, { section: section.section, result: 'non_compliant' }) },
        notApplicable: { count: section.byResult.not_applicable, rows: rowsLink(itemsPath, { section: section.section, result: 'not_applicable' }) },
        unassessed: { count: section.total - section.assessed, rows: rowsLink(itemsPath, { section: section.section, result: 'unassessed' }) },
        complianceRate: section.complianceRate,
      })),
    };
  });

  const documents = new Map<string, { compliant: number; countable: number }>();
  for (const campaign of latest.values()) {
    const entry = documents.get(campaign.document) ?? { compliant: 0, countable: 0 };
    entry.compliant += campaign.progress.byResult.compliant;
    entry.countable += campaign.progress.assessed - campaign.progress.byResult.not_applicable;
    documents.set(campaign.document, entry);
  }

  const trend = [...campaigns]
    .sort((a, b) => (a.periodEnd ?? '').localeCompare(b.periodEnd ?? '') || a.cycle.localeCompare(b.cycle))
    .map((campaign) => ({
      campaignId: campaign.id, document: campaign.document, cycle: campaign.cycle, period: campaign.period, periodEnd: campaign.periodEnd,
      complianceRate: campaign.progress.complianceRate, assessed: campaign.progress.assessed, total: campaign.progress.total,
      rows: rowsLink(`${base}/campaigns/${campaign.id}/items`),
    }));

  const open = await listDeficiencies(db, context, { firmId: input.firmId, filter: { isOpen: true }, today });
  const openDeficiencies = SEVERITIES.flatMap((severity) => AGE_BUCKETS.map((bucket) => ({
    severity,
    ageBucket: bucket.key,
    count: open.filter((entry) => entry.severity === severity && entry.ageDays >= bucket.min && (bucket.max === null || entry.ageDays <= bucket.max)).length,
    rows: rowsLink(`${base}/deficiencies`, { isOpen: true, severity, ageMinDays: bucket.min, ageMaxDays: bucket.max ?? undefined }),
  })));

  const overdue = {
    deficiencies: { count: open.filter((entry) => entry.isOverdue).length, rows: rowsLink(`${base}/deficiencies`, { overdue: true }) },
    campaigns: { count: campaigns.filter((campaign) => campaign.isOverdue).length, rows: rowsLink(`${base}/campaigns`, { overdue: true }) },
  };

  const fiscalYearEnd = await inTenantTransaction(db, [input.firmId], async (tx) => {
    const row = (await tx.query<{ profile: { fiscalYearEnd?: string } | string }>('SELECT profile FROM firm_profiles WHERE firm_id = $1 ORDER BY revision DESC LIMIT 1', [input.firmId])).rows[0];
    const profile = row ? (typeof row.profile === 'string' ? JSON.parse(row.profile) : row.profile) : {};
    return typeof profile.fiscalYearEnd === 'string' ? profile.fiscalYearEnd : DEFAULT_FISCAL_YEAR_END;
  });
  const horizon = addDays(today, 60);
  const year = Number(today.slice(0, 4));
  const upcomingCampaigns: Dashboard['upcomingCampaigns'] = [];
  for (const cycle of CYCLES) {
    const periods = [year, year + 1].flatMap((fiscalYear) => buildInspectionPeriods(fiscalYear, cycle, fiscalYearEnd));
    for (const period of periods) {
      // Periods under way or starting soon, whose campaign is still due.
      if (period.start > horizon || period.due < today) continue;
      const existing = campaigns.find((campaign) => campaign.cycle === cycle && campaign.period === period.id);
      if (existing?.status === 'approved') continue;
      upcomingCampaigns.push({
        cycle, period: period.id, start: period.start, end: period.end, due: period.due,
        campaignId: existing?.id ?? null, status: existing?.status ?? null,
        rows: rowsLink(`${base}/campaigns`, { cycle, period: period.id }),
      });
    }
  }
  upcomingCampaigns.sort((a, b) => a.due.localeCompare(b.due));

  // The list behind `expiring` (valid until at most 30 days from today) includes evidence already
  // expired, so the figure counts those rows too: the figure and the list it links to always agree.
  const expiring = await listEvidence(db, context, { firmId: input.firmId, filter: { expiringWithinDays: EXPIRING_WITHIN_DAYS }, today });
  const expiredCount = expiring.filter((entry) => entry.validity === 'expired').length;
  // Campaigns still being worked on: how many of their items lean on expired or expiring evidence.
  const openCampaignIds = campaigns.filter((each) => each.status !== 'approved').map((each) => each.id);
  const expiringCounts = await countItemsWithExpiringEvidence(db, context, { firmId: input.firmId, campaignIds: openCampaignIds, today });
  const itemsWithExpiringEvidence: Dashboard['evidence']['itemsWithExpiringEvidence'] = openCampaignIds.map((campaignId) => ({
    campaignId, count: expiringCounts.get(campaignId) ?? 0, rows: rowsLink(`${base}/campaigns/${campaignId}/items`, { evidenceExpiring: true }),
  }));
  return {
    today,
    compliance,
    byDocument: [...documents.entries()].map(([document, entry]) => ({
      document, compliant: entry.compliant, countable: entry.countable, complianceRate: entry.countable > 0 ? entry.compliant / entry.countable : null,
    })),
    trend,
    openDeficiencies,
    overdue,
    upcomingCampaigns,
    evidence: {
      expired: { count: expiredCount, rows: rowsLink(`${base}/evidence`, { expired: true }) },
      expiring: { count: expiring.length, rows: rowsLink(`${base}/evidence`, { expiringWithinDays: EXPIRING_WITHIN_DAYS }) },
      itemsWithExpiringEvidence,
    },
  };
}
