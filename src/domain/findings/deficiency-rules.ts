/**
 * Deficiencies (缺失) and their remediation: the state machine, who may verify, overdue flags and
 * the follow-up report of CSIM 11.(2) (查核摘要、查核範圍、缺失說明及改進建議、改善情形).
 *
 * open → planned → in_remediation → pending_verification → closed; verification may fail
 * (pending_verification → in_remediation); a closed deficiency may be reopened (→ open or
 * in_remediation). Any other move is refused.
 */
export const DEFICIENCY_STATES = ['open', 'planned', 'in_remediation', 'pending_verification', 'closed'] as const;
export type DeficiencyState = (typeof DEFICIENCY_STATES)[number];

export const DEFICIENCY_SOURCES = ['self_inspection', 'internal_audit', 'external_audit', 'exchange_inspection', 'automated_check'] as const;
export type DeficiencySource = (typeof DEFICIENCY_SOURCES)[number];

export const SEVERITIES = ['high', 'medium', 'low'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const STATE_LABELS: Record<DeficiencyState, string> = {
  open: '待處理',
  planned: '已規劃',
  in_remediation: '改善中',
  pending_verification: '待驗證',
  closed: '已結案',
};

export const SOURCE_LABELS: Record<DeficiencySource, string> = {
  self_inspection: '自行查核',
  internal_audit: '內部稽核',
  external_audit: '外部稽核',
  exchange_inspection: '證交所查核',
  automated_check: '自動檢測',
};

export const SEVERITY_LABELS: Record<Severity, string> = { high: '高', medium: '中', low: '低' };

const TRANSITIONS: Record<DeficiencyState, DeficiencyState[]> = {
  open: ['planned', 'in_remediation'],
  planned: ['in_remediation', 'open'],
  in_remediation: ['pending_verification', 'planned'],
  pending_verification: ['closed', 'in_remediation'],
  closed: ['open', 'in_remediation'],
};

export function listAllowedTransitions(from: DeficiencyState): DeficiencyState[] {
  return TRANSITIONS[from];
}

export interface TransitionRequest {
  from: DeficiencyState;
  to: DeficiencyState;
  actorId: string | null;
  ownerId: string | null;
  plan: string | null;
  dueDate: string | null;
  comment: string | null;
  /** Who moved the deficiency to pending_verification last (null when unknown). */
  verificationRequestedBy?: string | null;
  /** The owner when it was moved to pending_verification (null when unknown). */
  ownerAtVerificationRequest?: string | null;
}

export interface TransitionRefusal {
  /** 'state': an illegal move; 'input': something missing; 'actor': the wrong person. */
  kind: 'state' | 'input' | 'actor';
  where: string;
  message: string;
  messageEn: string;
}

/** Why the move is refused, or null when it is allowed. */
export function checkTransition(request: TransitionRequest): TransitionRefusal | null {
  const { from, to } = request;
  if (!TRANSITIONS[from].includes(to)) {
    const allowed = TRANSITIONS[from];
    return {
      kind: 'state', where: 'to',
      message: `缺失狀態不能由「${STATE_LABELS[from]}」改為「${STATE_LABELS[to]}」（可改為：${allowed.map((state) => STATE_LABELS[state]).join('、')}）`,
      messageEn: `cannot move a deficiency from ${from} to ${to} (allowed: ${allowed.join(', ')})`,
    };
  }
  if (to === 'planned' && ((request.plan ?? '').trim() === '' || request.dueDate === null || request.ownerId === null)) {
    return { kind: 'input', where: 'plan', message: '規劃改善須有改善計畫、負責人及完成期限', messageEn: 'planning needs a plan, an owner and a due date' };
  }
  const needsComment = (from === 'closed') || (from === 'pending_verification' && to === 'in_remediation');
  if (needsComment && (request.comment ?? '').trim() === '') {
    return { kind: 'input', where: 'comment', message: from === 'closed' ? '重新開啟缺失須說明理由' : '驗證未通過須說明理由', messageEn: from === 'closed' ? 'reopening needs a comment' : 'a failed verification needs a comment' };
  }
  if (to === 'in_remediation' && request.ownerId === null) {
    return { kind: 'input', where: 'ownerId', message: '改善中的缺失須先指定改善負責人', messageEn: 'a deficiency in remediation needs an owner; set ownerId first' };
  }
  if (to === 'closed') {
    if (request.ownerId === null) {
      return { kind: 'input', where: 'ownerId', message: '缺失沒有改善負責人，不能驗證結案', messageEn: 'a deficiency without an owner cannot be verified and closed' };
    }
    const excluded = [request.ownerId, request.ownerAtVerificationRequest ?? null, request.verificationRequestedBy ?? null];
    if (request.actorId === null || excluded.includes(request.actorId)) {
      return {
        kind: 'actor', where: 'actor',
        message: '結案驗證須由改善負責人及送驗證者以外的人員執行',
        messageEn: 'verification must be done by someone other than the owner and the person who asked for verification',
      };
    }
  }
  return null;
}

/** Why the owner cannot be changed to `ownerId` in `state`, or null when it can. */
export function checkOwnerChange(state: DeficiencyState, currentOwnerId: string | null, ownerId: string | null): TransitionRefusal | null {
  if (ownerId === currentOwnerId) return null;
  if (state === 'closed' || (state === 'pending_verification' && currentOwnerId !== null)) {
    return {
      kind: 'state', where: 'ownerId',
      message: `「${STATE_LABELS[state]}」的缺失不能更換改善負責人（驗證須獨立於負責人）`,
      messageEn: `the owner of a ${state} deficiency cannot be changed (verification must stay independent of the owner)`,
    };
  }
  if (ownerId === null && state === 'in_remediation') {
    return { kind: 'input', where: 'ownerId', message: '改善中的缺失須有改善負責人，不能清除', messageEn: 'a deficiency in remediation needs an owner; it cannot be cleared' };
  }
  return null;
}

export function isOverdue(state: DeficiencyState, dueDate: string | null, today: string): boolean {
  return state !== 'closed' && dueDate !== null && dueDate < today;
}

/** Whole days from `from` to `to` (YYYY-MM-DD or ISO timestamps). */
export function daysBetween(from: string, to: string): number {
  return Math.floor((Date.parse(to.slice(0, 10)) - Date.parse(from.slice(0, 10))) / 86_400_000);
}

export const AGE_BUCKETS = [
  { key: '0-30', min: 0, max: 30 },
  { key: '31-90', min: 31, max: 90 },
  { key: '91-180', min: 91, max: 180 },
  { key: '181+', min: 181, max: null },
] as const;

export function ageBucketOf(ageDays: number): (typeof AGE_BUCKETS)[number]['key'] {
  const bucket = AGE_BUCKETS.find((entry) => ageDays >= entry.min && (entry.max === null || ageDays <= entry.max));
  return (bucket ?? AGE_BUCKETS[AGE_BUCKETS.length - 1]).key;
}

export interface ReportDeficiency {
  number: number;
  title: string;
  description: string | null;
  source: DeficiencySource;
  items: string[];
  severity: Severity;
  state: DeficiencyState;
  ownerName: string | null;
  dueDate: string | null;
  plan: string | null;
  recommendation: string | null;
  createdAt: string;
  closedAt: string | null;
}

export interface FollowUpReport {
  title: string;
  generatedOn: string;
  summary: {
    total: number;
    byState: Record<DeficiencyState, number>;
    bySeverity: Record<Severity, number>;
    overdue: number;
    text: string;
    textEn: string;
  };
  scope: { sources: DeficiencySource[]; items: string[]; from: string | null; to: string | null };
  findings: (ReportDeficiency & { isOverdue: boolean; stateLabel: string })[];
  recommendations: { number: number; recommendation: string }[];
}

/** The follow-up report of CSIM 11.(2): summary, scope, findings, recommendations and status. */
export function buildFollowUpReport(deficiencies: readonly ReportDeficiency[], today: string, firmName: string): FollowUpReport {
  const byState = Object.fromEntries(DEFICIENCY_STATES.map((state) => [state, 0])) as Record<DeficiencyState, number>;
  const bySeverity = Object.fromEntries(SEVERITIES.map((severity) => [severity, 0])) as Record<Severity, number>;
  let overdue = 0;
  const findings = [...deficiencies]
    .sort((a, b) => a.number - b.number)
    .map((deficiency) => {
      byState[deficiency.state] += 1;
      bySeverity[deficiency.severity] += 1;
      const late = isOverdue(deficiency.state, deficiency.dueDate, today);
      if (late) overdue += 1;
      return { ...deficiency, isOverdue: late, stateLabel: STATE_LABELS[deficiency.state] };
    });
  const open = findings.length - byState.closed;
  const dates = findings.map((finding) => finding.createdAt.slice(0, 10)).sort();
  return {
    title: `${firmName} 資訊安全查核缺失追蹤改善報告`,
    generatedOn: today,
    summary: {
      total: findings.length,
      byState,
      bySeverity,
      overdue,
      text: `共 ${findings.length} 項缺失，已結案 ${byState.closed} 項，未結案 ${open} 項（逾期 ${overdue} 項）；高風險 ${bySeverity.high} 項、中風險 ${bySeverity.medium} 項、低風險 ${bySeverity.low} 項。`,
      textEn: `${findings.length} deficiencies: ${byState.closed} closed, ${open} open (${overdue} overdue); ${bySeverity.high} high, ${bySeverity.medium} medium, ${bySeverity.low} low.`,
    },
    scope: {
      sources: [...new Set(findings.map((finding) => finding.source))].sort(),
      items: [...new Set(findings.flatMap((finding) => finding.items))].sort(),
      from: dates[0] ?? null,
      to: dates[dates.length - 1] ?? null,
    },
    findings,
    recommendations: findings
      .filter((finding) => (finding.recommendation ?? '').trim() !== '')
      .map((finding) => ({ number: finding.number, recommendation: finding.recommendation as string })),
  };
}
