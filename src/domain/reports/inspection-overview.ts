/**
 * The exchange inspector's view of many firms: one row per firm, and the rules that sort and filter
 * the rows. Pure: the server gathers the figures, this decides their order.
 */
import type { Cycle } from '../catalog/schema.ts';
import type { Severity } from '../findings/deficiency-rules.ts';

export type AuditVerificationState = 'intact' | 'broken' | 'never_verified';

export interface FirmOverviewRow {
  firmId: string;
  name: string;
  classification: {
    hasProfile: boolean;
    tier: 1 | 2 | 3 | 4 | null;
    type: 1 | 2 | null;
    cisoRequired: boolean | null;
  };
  /** The latest self-inspection of each document and cycle. */
  latestCampaigns: {
    campaignId: string;
    document: string;
    cycle: Cycle;
    period: string;
    status: string;
    isOverdue: boolean;
    complianceRate: number | null;
  }[];
  /** Compliance over the latest campaigns, per document and per section. */
  complianceByDocument: Record<string, number | null>;
  complianceBySection: Record<string, number | null>;
  /** Overall compliance over the latest campaigns (null when nothing countable is assessed). */
  complianceRate: number | null;
  openDeficiencies: Record<Severity, number> & { total: number };
  overdue: { deficiencies: number; campaigns: number };
  inspectionFindings: number;
  auditVerification: {
    state: AuditVerificationState;
    verifiedAt: string | null;
    events: number | null;
    problems: number;
  };
}

export const FIRM_SORT_KEYS = ['name', 'tier', 'complianceRate', 'openDeficiencies', 'openHigh', 'overdue', 'audit'] as const;
export type FirmSortKey = (typeof FIRM_SORT_KEYS)[number];

export interface FirmFilter {
  /** Part of the firm name (case-insensitive). */
  name?: string;
  tier?: 1 | 2 | 3 | 4;
  type?: 1 | 2;
  cisoRequired?: boolean;
  /** Only firms with overdue deficiencies or self-inspections. */
  hasOverdue?: boolean;
  /** Only firms whose last verification is broken or that were never verified. */
  auditAttention?: boolean;
}

export function filterFirmRows(rows: readonly FirmOverviewRow[], filter: FirmFilter): FirmOverviewRow[] {
  const needle = filter.name?.trim().toLowerCase();
  return rows.filter((row) =>
    (!needle || row.name.toLowerCase().includes(needle))
    && (filter.tier === undefined || row.classification.tier === filter.tier)
    && (filter.type === undefined || row.classification.type === filter.type)
    && (filter.cisoRequired === undefined || row.classification.cisoRequired === filter.cisoRequired)
    && (filter.hasOverdue === undefined || (row.overdue.deficiencies + row.overdue.campaigns > 0) === filter.hasOverdue)
    && (filter.auditAttention === undefined || (row.auditVerification.state !== 'intact') === filter.auditAttention));
}

const AUDIT_RANK: Record<AuditVerificationState, number> = { broken: 0, never_verified: 1, intact: 2 };

/** A sortable value per key; null sorts last whatever the direction. */
function sortValue(row: FirmOverviewRow, key: FirmSortKey): number | string | null {
  switch (key) {
    case 'name': return row.name;
    case 'tier': return row.classification.tier;
    case 'complianceRate': return row.complianceRate;
    case 'openDeficiencies': return row.openDeficiencies.total;
    case 'openHigh': return row.openDeficiencies.high;
    case 'overdue': return row.overdue.deficiencies + row.overdue.campaigns;
    case 'audit': return AUDIT_RANK[row.auditVerification.state];
    default: {
      const exhaustive: never = key;
      throw new RangeError(`unknown sort key ${String(exhaustive)}`);
    }
  }
}

/** Sorts by `key` (ties by name); firms without a value (no profile, nothing assessed) come last. */
export function sortFirmRows(rows: readonly FirmOverviewRow[], key: FirmSortKey, order: 'asc' | 'desc' = 'asc'): FirmOverviewRow[] {
  const direction = order === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const left = sortValue(a, key);
    const right = sortValue(b, key);
    if (left !== right) {
      if (left === null) return 1;
      if (right === null) return -1;
      const compared = typeof left === 'string' ? left.localeCompare(String(right), 'zh-Hant-TW') : left - (right as number);
      if (compared !== 0) return compared * direction;
    }
    return a.name.localeCompare(b.name, 'zh-Hant-TW');
  });
}
