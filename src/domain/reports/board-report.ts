/**
 * The annual report on the overall state of information security (資訊安全整體執行情形, CSIM 2.(6)):
 * what it contains and how its figures are summed. Pure: the server loads the rows, this builds the
 * report, and the renderer prints it.
 */
import { summarizeProgress, type AssessmentResult, type Progress, type ReviewState } from '../assessments/campaign-rules.ts';
import { DEFICIENCY_STATES, SEVERITIES, type DeficiencyState, type Severity } from '../findings/deficiency-rules.ts';
import type { Cycle } from '../catalog/schema.ts';

/** CSIM 2.(6), verbatim (建立證券商資通安全檢查機制). */
export const BOARD_REPORT_RULE =
  '公司每年應將前一年度資訊安全整體執行情形，由負責資訊安全之最高主管與董事長、總經理、稽核主管聯名出具資訊安全整體執行情形聲明書，並提報董事會通過，於會計年度終了後三個月內將該聲明書內容揭露於公開資訊觀測站。';

/** Who signs the statement jointly (聯名出具), in the rule's order. */
export const BOARD_SIGNATORIES = [
  { key: 'ciso', title: '負責資訊安全之最高主管', titleEn: 'Chief information security officer' },
  { key: 'chairman', title: '董事長', titleEn: 'Chairman of the board' },
  { key: 'president', title: '總經理', titleEn: 'President' },
  { key: 'chief_auditor', title: '稽核主管', titleEn: 'Chief internal auditor' },
] as const;

export interface BoardReportCampaign {
  id: string;
  document: string;
  version: string;
  cycle: Cycle;
  period: string;
  status: string;
  items: { section: string | null; result: AssessmentResult | null; reviewState: ReviewState }[];
}

export interface BoardReportDeficiency {
  number: number;
  title: string;
  source: string;
  severity: Severity;
  state: DeficiencyState;
  stateLabel: string;
  dueDate: string | null;
  isOverdue: boolean;
  createdAt: string;
  closedAt: string | null;
}

export interface BoardReportInput {
  firm: { id: string; name: string; registrationNumber: string | null };
  fiscalYear: number;
  period: { start: string; end: string };
  classification: { tier: number | null; type: number | null; cisoRequired: boolean | null; foreign: boolean | null } | null;
  campaigns: readonly BoardReportCampaign[];
  deficiencies: readonly BoardReportDeficiency[];
  evidence: { total: number; linkedToCampaigns: number; expired: number };
  auditVerification: { ok: boolean; events: number; problems: string[]; verifiedAt: string };
  generatedOn: string;
  generatedBy: string | null;
}

export interface BoardReport extends Omit<BoardReportInput, 'campaigns'> {
  title: string;
  rule: string;
  /** Due date of the statement: three months after the fiscal year ends. */
  disclosureDue: string;
  campaigns: (Omit<BoardReportCampaign, 'items'> & { progress: Progress })[];
  /** All the year's self-inspection items together, by section (CC-11000 …). */
  sections: (Progress & { section: string })[];
  overall: Progress;
  deficiencySummary: {
    total: number;
    open: number;
    overdue: number;
    byState: Record<DeficiencyState, number>;
    bySeverity: Record<Severity, number>;
  };
  signatories: typeof BOARD_SIGNATORIES;
}

/** The last day of the month three months after `day` (YYYY-MM-DD, a month end). */
export function addThreeMonths(day: string): string {
  const [year, month] = day.split('-').map(Number);
  return new Date(Date.UTC(year, month + 3, 0)).toISOString().slice(0, 10);
}

function compareSections(a: string, b: string): number {
  if (a === '—') return 1;
  if (b === '—') return -1;
  return a.localeCompare(b);
}

export function buildBoardReport(input: BoardReportInput): BoardReport {
  const all = input.campaigns.flatMap((campaign) => campaign.items);
  const summary = summarizeProgress(all);
  const byState = Object.fromEntries(DEFICIENCY_STATES.map((state) => [state, 0])) as Record<DeficiencyState, number>;
  const bySeverity = Object.fromEntries(SEVERITIES.map((severity) => [severity, 0])) as Record<Severity, number>;
  for (const deficiency of input.deficiencies) {
    byState[deficiency.state] += 1;
    bySeverity[deficiency.severity] += 1;
  }
  const { campaigns, ...rest } = input;
  return {
    ...rest,
    title: `${input.firm.name} ${input.fiscalYear} 年度資訊安全整體執行情形報告`,
    rule: BOARD_REPORT_RULE,
    disclosureDue: addThreeMonths(input.period.end),
    campaigns: campaigns.map(({ items, ...campaign }) => ({ ...campaign, progress: summarizeProgress(items).overall })),
    sections: [...summary.sections].sort((a, b) => compareSections(a.section, b.section)),
    overall: summary.overall,
    deficiencySummary: {
      total: input.deficiencies.length,
      open: input.deficiencies.length - byState.closed,
      overdue: input.deficiencies.filter((deficiency) => deficiency.isOverdue).length,
      byState,
      bySeverity,
    },
    signatories: BOARD_SIGNATORIES,
  };
}
