/**
 * The rules of a self-inspection campaign (自行查核), free of HTTP and the database:
 * which items it covers, what a valid assessment is, the maker-checker review (CSIM 7.(2) d.(b):
 * 操作人員不可與主管為同一人 — the reviewer is never the assessor), when items and the campaign lock,
 * and progress per section.
 */
import type { Cycle } from '../catalog/schema.ts';
import type { ApplicabilityResult } from '../applicability/evaluate.ts';

export const RESULTS = ['compliant', 'partial', 'non_compliant', 'not_applicable'] as const;
export type AssessmentResult = (typeof RESULTS)[number];

export const REVIEW_STATES = ['pending', 'submitted', 'approved', 'returned'] as const;
export type ReviewState = (typeof REVIEW_STATES)[number];

export const CAMPAIGN_STATUSES = ['open', 'in_review', 'approved'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

export const RESULT_LABELS: Record<AssessmentResult, string> = {
  compliant: '符合',
  partial: '部分符合',
  non_compliant: '不符合',
  not_applicable: '不適用',
};

/** A rule violation: where (field) and what, in zh-TW and English. */
export interface RuleIssue {
  where: string;
  message: string;
  messageEn: string;
}

/** The catalog fields campaign selection reads. */
export interface SelectableItem {
  id: string;
  path: string;
  parentPath: string | null;
  lineage: string;
  code: string | null;
  cycle: Cycle | null;
  order: number;
}

export interface SelectedItem {
  id: string;
  path: string;
  lineage: string;
  section: string | null;
  order: number;
  reason: string;
  reasonEn: string;
}

export interface NeedsAnswerItem {
  id: string;
  reason: string;
  reasonEn: string;
  missingFields: string[];
}

export interface CampaignSelection {
  items: SelectedItem[];
  needsAnswer: NeedsAnswerItem[];
  /** Items of the cycle left out because they do not apply or are not yet in force. */
  excluded: number;
}

/**
 * The items a campaign covers: the cycle's assessable items (those with no sub-items; a heading is
 * assessed through its sub-items) whose verdict is `applies` on the period's last day. `results`
 * is `evaluateApplicability(items, …)`, index for index.
 */
export function selectCampaignItems(
  items: readonly SelectableItem[],
  results: readonly ApplicabilityResult[],
  cycle: Cycle,
): CampaignSelection {
  const parents = new Set(items.map((item) => item.parentPath).filter((path): path is string => path !== null));
  const selection: CampaignSelection = { items: [], needsAnswer: [], excluded: 0 };
  items.forEach((item, index) => {
    if (item.cycle !== cycle || parents.has(item.path)) {
      return;
    }
    const result = results[index];
    switch (result.verdict) {
      case 'applies':
        selection.items.push({
          id: item.id, path: item.path, lineage: item.lineage, section: item.code, order: item.order,
          reason: result.reason, reasonEn: result.reasonEn,
        });
        return;
      case 'needs_answer':
        selection.needsAnswer.push({ id: item.id, reason: result.reason, reasonEn: result.reasonEn, missingFields: result.missingFields });
        return;
      case 'not_applicable':
      case 'not_in_force':
        selection.excluded += 1;
        return;
      default: {
        const exhaustive: never = result.verdict;
        throw new RangeError(`unknown verdict ${String(exhaustive)}`);
      }
    }
  });
  return selection;
}

export interface AssessmentInput {
  result: AssessmentResult | null;
  justification?: string | null;
}

/** A `not_applicable` result needs a written justification (why the item does not bind this firm). */
export function checkAssessment(input: AssessmentInput): RuleIssue[] {
  if (input.result === 'not_applicable' && (input.justification ?? '').trim().length === 0) {
    return [{
      where: 'justification',
      message: '評為「不適用」須填寫理由',
      messageEn: 'a not_applicable result needs a justification',
    }];
  }
  return [];
}

export interface ItemState {
  reviewState: ReviewState;
  result: AssessmentResult | null;
  assessorId: string | null;
}

/** Why an item cannot be edited now, or null when it can. */
export function findEditBlock(campaignStatus: CampaignStatus, item: ItemState): RuleIssue | null {
  if (campaignStatus === 'approved') {
    return { where: 'campaign', message: '本次自行查核已核定並鎖定，須先重新開啟才能修改', messageEn: 'the campaign is approved and locked; reopen it first' };
  }
  if (item.reviewState === 'submitted') {
    return { where: 'reviewState', message: '此項目已送覆核，須由覆核人退回後才能修改', messageEn: 'the item is submitted for review; it can be edited after the reviewer returns it' };
  }
  if (item.reviewState === 'approved') {
    return { where: 'reviewState', message: '此項目已覆核通過，須重新開啟才能修改', messageEn: 'the item is approved; reopen it to edit' };
  }
  return null;
}

/** Why an item cannot be submitted for review, or null when it can. */
export function findSubmitBlock(item: ItemState): RuleIssue | null {
  if (item.result === null) {
    return { where: 'result', message: '尚未評核，不能送覆核', messageEn: 'not assessed yet; cannot submit' };
  }
  if (item.reviewState !== 'pending' && item.reviewState !== 'returned') {
    return { where: 'reviewState', message: `狀態為 ${item.reviewState}，不能送覆核`, messageEn: `state is ${item.reviewState}; cannot submit` };
  }
  return null;
}

/**
 * Why `reviewerId` cannot review the item, or null when they can. The reviewer must not be the
 * assessor (maker-checker); only submitted items are reviewed.
 */
export function findReviewBlock(item: ItemState, reviewerId: string | null): RuleIssue | null {
  if (item.reviewState !== 'submitted') {
    return { where: 'reviewState', message: `此項目狀態為 ${item.reviewState}，尚未送覆核`, messageEn: `the item is ${item.reviewState}, not submitted for review` };
  }
  if (reviewerId === null || reviewerId === item.assessorId) {
    return {
      where: 'reviewer',
      message: '覆核人不可與評核人為同一人（CSIM 7.(2) d.(b)）',
      messageEn: 'the reviewer must be a different person from the assessor (CSIM 7.(2) d.(b))',
    };
  }
  return null;
}

/** The campaign's status follows from its items: all approved → approved; any under review → in_review. */
export function deriveCampaignStatus(states: readonly ReviewState[]): CampaignStatus {
  if (states.length > 0 && states.every((state) => state === 'approved')) {
    return 'approved';
  }
  if (states.some((state) => state === 'submitted' || state === 'approved')) {
    return 'in_review';
  }
  return 'open';
}

export interface ProgressItem {
  section: string | null;
  result: AssessmentResult | null;
  reviewState: ReviewState;
  /** How many items share these values (a grouped row); 1 when absent. */
  count?: number;
}

export interface Progress {
  total: number;
  assessed: number;
  submitted: number;
  approved: number;
  returned: number;
  byResult: Record<AssessmentResult, number>;
  /** compliant / (assessed − not_applicable), or null when nothing countable is assessed. */
  complianceRate: number | null;
}

function emptyProgress(): Progress {
  return {
    total: 0, assessed: 0, submitted: 0, approved: 0, returned: 0,
    byResult: { compliant: 0, partial: 0, non_compliant: 0, not_applicable: 0 },
    complianceRate: null,
  };
}

function addToProgress(progress: Progress, item: ProgressItem): void {
  const count = item.count ?? 1;
  progress.total += count;
  if (item.result !== null) {
    progress.assessed += count;
    progress.byResult[item.result] += count;
  }
  if (item.reviewState === 'submitted') progress.submitted += count;
  if (item.reviewState === 'approved') progress.approved += count;
  if (item.reviewState === 'returned') progress.returned += count;
}

function finishProgress(progress: Progress): Progress {
  const countable = progress.assessed - progress.byResult.not_applicable;
  progress.complianceRate = countable > 0 ? progress.byResult.compliant / countable : null;
  return progress;
}

/** Progress of the whole campaign and of each section (CC-17010 …), sections in first-seen order. */
export function summarizeProgress(items: readonly ProgressItem[]): { overall: Progress; sections: (Progress & { section: string })[] } {
  const overall = emptyProgress();
  const sections = new Map<string, Progress>();
  for (const item of items) {
    addToProgress(overall, item);
    const key = item.section ?? '—';
    let section = sections.get(key);
    if (!section) {
      section = emptyProgress();
      sections.set(key, section);
    }
    addToProgress(section, item);
  }
  return {
    overall: finishProgress(overall),
    sections: [...sections.entries()].map(([section, progress]) => ({ section, ...finishProgress(progress) })),
  };
}

/** Evidence is expired after its validity date and expiring within `withinDays` of `today`. */
export function classifyEvidenceValidity(validUntil: string | null, today: string, withinDays = 30): 'valid' | 'expiring' | 'expired' {
  if (validUntil === null) {
    return 'valid';
  }
  if (validUntil < today) {
    return 'expired';
  }
  const limit = new Date(`${today}T00:00:00Z`);
  limit.setUTCDate(limit.getUTCDate() + withinDays);
  return validUntil <= limit.toISOString().slice(0, 10) ? 'expiring' : 'valid';
}
