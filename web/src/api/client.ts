/**
 * The typed API client: one function per endpoint the web app calls. Pages call these, never `fetch`.
 * Requests carry the session cookie (same origin) and, on writes, the CSRF token from the
 * `anjian_csrf` cookie in the `x-csrf-token` header. Error bodies `{error: {code, message, messageEn,
 * issues}}` become an `ApiError`.
 */
import type { ChangeKind, ItemChange } from '../../../src/domain/catalog/resolve.ts';
import type { Cycle, DocumentCode, Effective, Levels, Scope } from '../../../src/domain/catalog/schema.ts';
import type { VersionDiff } from '../../../src/domain/catalog/diff.ts';
import type { ApplicabilityResult, Verdict } from '../../../src/domain/applicability/evaluate.ts';
import type { FirmClassification } from '../../../src/domain/firms/classify.ts';
import type { CalendarPeriod } from '../../../src/domain/calendar/build-ics.ts';
import type { ObligationOccurrence } from '../../../src/domain/calendar/list-obligations.ts';
// Type-only: the dashboard presenter's shape, so a change on the server fails the web type check.
import type { Dashboard } from '../../../src/server/dashboard/dashboard-service.ts';

export type { ChangeKind, Cycle, DocumentCode, VersionDiff };
export type { DiffRow, TextSegment } from '../../../src/domain/catalog/diff.ts';

const CSRF_COOKIE = 'anjian_csrf';
const CSRF_HEADER = 'x-csrf-token';

export interface ApiIssue {
  where: string;
  message: string;
}

/** An error answer from the API, with the server's zh-TW and English messages. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly messageEn: string,
    readonly issues: ApiIssue[] = [],
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The message in the user's language. */
  messageIn(language: string): string {
    return language.startsWith('en') && this.messageEn ? this.messageEn : this.message;
  }
}

export function readCookie(name: string): string | null {
  if (typeof document === 'undefined') {
    return null;
  }
  for (const part of document.cookie.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) {
      return decodeURIComponent(rest.join('='));
    }
  }
  return null;
}

type Query = Record<string, string | number | boolean | null | undefined>;

function buildUrl(path: string, query?: Query): string {
  if (!query) {
    return path;
  }
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') {
      params.set(key, String(value));
    }
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

async function toApiError(response: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  const error = (body as { error?: Record<string, unknown> } | null)?.error;
  if (error && typeof error.message === 'string') {
    const { code, message, messageEn, issues, ...details } = error;
    return new ApiError(
      response.status,
      typeof code === 'string' ? code : 'UNKNOWN',
      message,
      typeof messageEn === 'string' ? messageEn : message,
      Array.isArray(issues) ? (issues as ApiIssue[]) : [],
      details,
    );
  }
  return new ApiError(response.status, 'HTTP', `伺服器回應錯誤（HTTP ${response.status}）`, `Server answered HTTP ${response.status}`);
}

async function request<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, options: { query?: Query; body?: unknown } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (method !== 'GET') {
    const csrf = readCookie(CSRF_COOKIE);
    if (csrf) {
      headers[CSRF_HEADER] = csrf;
    }
  }
  let body: string | undefined;
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  let response: Response;
  try {
    response = await fetch(buildUrl(path, options.query), { method, headers, body, credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'NETWORK', '無法連線到伺服器', 'Cannot reach the server');
  }
  if (!response.ok) {
    throw await toApiError(response);
  }
  if (response.status === 204) {
    return undefined as T;
  }
  return (await response.json()) as T;
}

// ---------------------------------------------------------------------------------------------
// Auth and session

export type SessionStep = 'ok' | 'mfa' | 'password_change' | 'mfa_enrolment';

export interface MeFirm {
  id: string;
  name: string;
  roles: string[];
  permissions: string[];
}

export interface Me {
  user: { id: string; email: string; displayName: string; isPlatformAdmin: boolean; mfaEnabled: boolean; passwordChangedAt: string };
  step: SessionStep;
  mfaRequired: boolean;
  csrfToken: string;
  activeFirmId: string | null;
  firms: MeFirm[];
  platformPermissions: string[];
}

export const login = (email: string, password: string) =>
  request<{ step: SessionStep; csrfToken: string }>('POST', '/api/v1/auth/login', { body: { email, password } });

export const verifyMfa = (code: string) => request<{ step: SessionStep }>('POST', '/api/v1/auth/mfa', { body: { code } });

export const logout = () => request<{ ok: true }>('POST', '/api/v1/auth/logout');

export const changePassword = (currentPassword: string, newPassword: string) =>
  request<{ step: SessionStep; csrfToken: string }>('POST', '/api/v1/auth/password', { body: { currentPassword, newPassword } });

export const startMfaEnrolment = () =>
  request<{ otpauthUri: string; qrDataUrl: string; secret: string }>('POST', '/api/v1/auth/mfa/enrol');

export const confirmMfaEnrolment = (code: string) =>
  request<{ recoveryCodes: string[]; step: SessionStep }>('POST', '/api/v1/auth/mfa/enrol/confirm', { body: { code } });

/** New recovery codes for the signed-in user (needs a current TOTP code; the old codes stop working). */
export const regenerateRecoveryCodes = (code: string) =>
  request<{ recoveryCodes: string[] }>('POST', '/api/v1/auth/mfa/recovery-codes', { body: { code } });

export const switchFirm = (firmId: string) => request<{ ok: true }>('POST', '/api/v1/auth/firm', { body: { firmId } });

export const getMe = () => request<Me>('GET', '/api/v1/me');

// ---------------------------------------------------------------------------------------------
// Catalog

export interface VersionSummary {
  document: DocumentCode;
  version: string;
  title: string;
  date: string;
  approval: string | null;
  base: string | null;
  sourceFile: string;
  sourceColumn: string | null;
  note: string | null;
  isLatest: boolean;
}

export interface CatalogItem {
  id: string;
  versionedId: string;
  document: DocumentCode;
  version: string;
  path: string;
  parentPath: string | null;
  depth: number;
  label: string | null;
  title: string | null;
  text: string | null;
  notInSource: boolean;
  code: string | null;
  cycle: Cycle | null;
  scope: (Scope & { statedAt: string }) | null;
  tierDependent: boolean;
  effective: (Effective & { statedAt: string }) | null;
  lineage: string;
  levels: Levels | null;
  requirementCode: string | null;
  category: string | null;
  definition: { term: string } | null;
  source: { file: string; line: number | null };
  note: string | null;
  refs: string[];
  change: ItemChange | null;
}

export interface ItemDetail extends CatalogItem {
  history: { version: string; path: string; text: string | null; notInSource: boolean; change?: ItemChange }[];
  children: { id: string; path: string; label?: string; title?: string; text: string | null }[];
  references: { id: string; text: string | null; direction: 'refers_to' | 'referred_by' }[];
}

export interface SearchHit extends CatalogItem {
  score: number;
  versions: string[];
  highlighted: { text: string; hit: boolean }[];
}

export const listCatalogVersions = () => request<{ versions: VersionSummary[] }>('GET', '/api/v1/catalog/versions');

export const listCatalogItems = (document: string, version?: string) =>
  request<{ document: DocumentCode; version: string; items: CatalogItem[] }>(
    'GET', `/api/v1/catalog/documents/${encodeURIComponent(document)}/items`, { query: { version } },
  );

export const getCatalogItem = (id: string) => request<ItemDetail>('GET', `/api/v1/catalog/items/${encodeURIComponent(id)}`);

export const searchCatalog = (query: { q: string; document?: string; version?: string; limit?: number }) =>
  request<{ query: string; total: number; results: SearchHit[] }>('GET', '/api/v1/catalog/search', { query });

export const diffCatalog = (query: { document: string; from: string; to: string }) =>
  request<VersionDiff>('GET', '/api/v1/catalog/diff', { query });

export interface GlossaryEntry {
  term: string;
  definition: string | null;
  notInSource: boolean;
  itemId: string;
  versionedId: string;
  document: DocumentCode;
  version: string;
  path: string;
}

export const listCatalogGlossary = (query: { document?: string; version?: string } = {}) =>
  request<{ entries: GlossaryEntry[] }>('GET', '/api/v1/catalog/glossary', { query });

// ---------------------------------------------------------------------------------------------
// Firms and users

export const ROLES = ['firm_admin', 'ciso', 'assessor', 'reviewer', 'auditor', 'inspector'] as const;
export type Role = (typeof ROLES)[number];

export interface FirmUser {
  id: string;
  email: string;
  displayName: string;
  mfaEnabled: boolean;
  locked: boolean;
  failedAttempts: number;
  mustChangePassword: boolean;
  roles: Role[];
}

const firmPath = (firmId: string) => `/api/v1/firms/${encodeURIComponent(firmId)}`;

export interface FirmMember { id: string; email: string; displayName: string; roles: Role[] }

/** Names and roles of the firm's members, for picking a deficiency owner (any role that reads deficiencies). */
export const listFirmMembers = (firmId: string) => request<{ members: FirmMember[] }>('GET', `${firmPath(firmId)}/members`);

export const listFirmUsers = (firmId: string) => request<{ users: FirmUser[] }>('GET', `${firmPath(firmId)}/users`);

export const createFirmUser = (firmId: string, body: { email: string; displayName: string; roles: Role[] }) =>
  request<{ id: string; email: string; initialPassword: string | null }>('POST', `${firmPath(firmId)}/users`, { body });

export const setUserRoles = (firmId: string, userId: string, roles: Role[]) =>
  request<{ roles: Role[] }>('PUT', `${firmPath(firmId)}/users/${encodeURIComponent(userId)}/roles`, { body: { roles } });

export const unlockUser = (firmId: string, userId: string) =>
  request<{ ok: true }>('POST', `${firmPath(firmId)}/users/${encodeURIComponent(userId)}/unlock`);

export const resetUserMfa = (firmId: string, userId: string) =>
  request<{ ok: true }>('POST', `${firmPath(firmId)}/users/${encodeURIComponent(userId)}/reset-mfa`);

export const resetUserPassword = (firmId: string, userId: string) =>
  request<{ ok: true; initialPassword: string }>('POST', `${firmPath(firmId)}/users/${encodeURIComponent(userId)}/reset-password`);

/** The firm's login policy as stored (`firm_settings` row; null before the first save). */
export interface FirmSettingsRow {
  password_expiry_days: number;
  password_expiry_disabled: boolean;
  password_expiry_reason: string | null;
  require_mfa_for_all: boolean;
  updated_at: string;
}

export const getFirm = (firmId: string) =>
  request<{ id: string; name: string; registrationNumber: string | null; settings: FirmSettingsRow | null }>('GET', firmPath(firmId));

/** Login policy (firm admins); disabling expiry needs a reason (a VALIDATION issue names `passwordExpiryReason`). */
export const updateFirmSettings = (
  firmId: string,
  body: { passwordExpiryDays?: number; passwordExpiryDisabled?: boolean; passwordExpiryReason?: string; requireMfaForAll?: boolean },
) => request<FirmSettingsRow>('PUT', `${firmPath(firmId)}/settings`, { body });

// ---------------------------------------------------------------------------------------------
// Audit log

export interface AuditEvent {
  id: string;
  chain: string;
  seq: string;
  at: string;
  actorId: string | null;
  actorEmail: string | null;
  actorRole: string | null;
  firmId: string | null;
  ip: string | null;
  via: string;
  entity: string;
  entityId: string | null;
  action: string;
  beforeDigest: string | null;
  afterDigest: string | null;
  detail: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

export interface AuditFilters {
  from?: string;
  to?: string;
  actor?: string;
  entity?: string;
  action?: string;
  limit?: number;
  offset?: number;
}

export interface AuditVerification {
  ok: boolean;
  chains: number;
  events: number;
  problems: { chain: string; kind: 'altered' | 'deleted' | 'inserted' | 'truncated' | 'head_missing' | 'head_mismatch'; eventId: string | null; seq: string; message: string; messageEn: string }[];
  verifiedAt: string;
}

export const listAuditEvents = (firmId: string, filters: AuditFilters) =>
  request<{ total: number; events: AuditEvent[] }>('GET', `${firmPath(firmId)}/audit`, { query: { ...filters } });

export const verifyAuditLog = (firmId: string) => request<AuditVerification>('GET', `${firmPath(firmId)}/audit/verify`);

/** The export is a file download: the browser follows this link with the session cookie. */
export const auditExportUrl = (firmId: string, format: 'csv' | 'json', filters: AuditFilters) =>
  buildUrl(`${firmPath(firmId)}/audit/export`, { ...filters, limit: undefined, offset: undefined, format });

// ---------------------------------------------------------------------------------------------
// Firm profile: classification, applicability, calendar

export type { ApplicabilityResult, Verdict } from '../../../src/domain/applicability/evaluate.ts';
export type { ClassificationReason, FirmClassification } from '../../../src/domain/firms/classify.ts';
export type { CalendarPeriod } from '../../../src/domain/calendar/build-ics.ts';
export type { ObligationOccurrence } from '../../../src/domain/calendar/list-obligations.ts';

export interface ApplicabilityRow extends ApplicabilityResult {
  document: DocumentCode;
  version: string;
  path: string;
  code: string | null;
  text: string | null;
  title: string | null;
  label: string | null;
  depth: number;
}

export interface ApplicabilityReport {
  date: string;
  versions: Record<string, string>;
  profileRevision: number | null;
  /** True when the date is before the firm's first profile revision; `notice` then says so. */
  isProfileMissing: boolean;
  notice: string | null;
  noticeEn: string | null;
  classification: FirmClassification;
  counts: Record<Verdict, number>;
  items: ApplicabilityRow[];
}

export interface ApplicabilityQuery {
  document?: string;
  version?: string;
  date?: string;
  verdict?: Verdict;
  cycle?: Cycle;
  section?: string;
}

export const getApplicability = (firmId: string, query: ApplicabilityQuery) =>
  request<ApplicabilityReport>('GET', `${firmPath(firmId)}/applicability`, { query: { ...query } });

export const getFirmCalendar = (firmId: string, year: number) =>
  request<{ versions: Record<string, string>; year: number; periods: CalendarPeriod[]; obligations: ObligationOccurrence[] }>(
    'GET', `${firmPath(firmId)}/calendar`, { query: { year } },
  );

/** The .ics file is a download: the browser follows this link with the session cookie. */
export const calendarIcsUrl = (firmId: string, year: number) => buildUrl(`${firmPath(firmId)}/calendar.ics`, { year });

// ---------------------------------------------------------------------------------------------
// Dashboard

export type { Dashboard } from '../../../src/server/dashboard/dashboard-service.ts';

export const getDashboard = (firmId: string) => request<Dashboard>('GET', `${firmPath(firmId)}/dashboard`);

// ---------------------------------------------------------------------------------------------
// Firm profile editing, live classification, what-if

export type { FirmProfile, MobileApp, TierOverride } from '../../../src/domain/firms/profile.ts';
import type { FirmProfile } from '../../../src/domain/firms/profile.ts';

export interface ProfileRevision {
  revision: number;
  profile: FirmProfile;
  validFrom: string;
}

export const getFirmProfile = (firmId: string) =>
  request<{ revision: number | null; profile: FirmProfile | null; validFrom: string | null; classification: FirmClassification | null }>(
    'GET', `${firmPath(firmId)}/profile`,
  );

/** Saves the profile as a new revision; a VALIDATION error names each field in `issues[].where`. */
export const saveFirmProfile = (firmId: string, profile: FirmProfile, validFrom?: string) =>
  request<ProfileRevision & { classification: FirmClassification }>('PUT', `${firmPath(firmId)}/profile`, { body: profile, query: validFrom ? { validFrom } : {} });

export const listProfileHistory = (firmId: string) => request<{ revisions: ProfileRevision[] }>('GET', `${firmPath(firmId)}/profile/history`);

/** Classifies an unsaved profile (nothing is stored). */
export const previewClassification = (profile: FirmProfile) => request<FirmClassification>('POST', '/api/v1/classify', { body: profile });

export interface WhatIfChangeSide {
  id: string;
  verdict: Verdict;
  reason: string;
}

export interface WhatIfChange {
  lineage: string;
  before: WhatIfChangeSide | null;
  after: WhatIfChangeSide | null;
}

export interface WhatIfComparison {
  versionsA: Record<string, string>;
  versionsB: Record<string, string>;
  newlyApplies: WhatIfChange[];
  noLongerApplies: WhatIfChange[];
  changed: WhatIfChange[];
  unchangedCount: number;
}

export const compareWhatIf = (body: { profileA: FirmProfile; profileB?: FirmProfile; versionA?: string; versionB?: string; document?: DocumentCode; date?: string }) =>
  request<WhatIfComparison>('POST', '/api/v1/applicability/what-if', { body });

// ---------------------------------------------------------------------------------------------
// Automated checks

export type { CheckResult, CheckStatus, Finding, FindingSeverity } from '../../../src/domain/checks/types.ts';
export type { CheckSummary } from '../../../src/domain/checks/registry.ts';
export type { CheckRunView } from '../../../src/server/checks/check-service.ts';
import type { CheckResult } from '../../../src/domain/checks/types.ts';
import type { CheckSummary } from '../../../src/domain/checks/registry.ts';
import type { CheckRunView } from '../../../src/server/checks/check-service.ts';

export interface CheckRunDetail extends CheckRunView {
  result: CheckResult | null;
  deficiencies: { id: string; number: number; title: string; findingIndex: number | null }[];
}

export const listChecks = (firmId: string) => request<{ checks: CheckSummary[] }>('GET', `${firmPath(firmId)}/checks`);

/** Runs a check on files (multipart: `files…` and `options` as JSON), or for tls on a live `target` host:port instead. */
export async function runCheckOnFiles(
  firmId: string, check: string, files: File[], options: Record<string, unknown>, target?: string,
): Promise<{ run: CheckRunView; result: CheckResult }> {
  const form = new FormData();
  form.append('options', JSON.stringify(options));
  if (target !== undefined) {
    form.append('target', target);
  }
  for (const file of files) {
    form.append('files', file, file.name);
  }
  const headers: Record<string, string> = { accept: 'application/json' };
  const csrf = readCookie(CSRF_COOKIE);
  if (csrf) {
    headers[CSRF_HEADER] = csrf;
  }
  let response: Response;
  try {
    response = await fetch(`${firmPath(firmId)}/checks/${encodeURIComponent(check)}/runs`, { method: 'POST', headers, body: form, credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'NETWORK', '無法連線到伺服器', 'Cannot reach the server');
  }
  if (!response.ok) {
    throw await toApiError(response);
  }
  return (await response.json()) as { run: CheckRunView; result: CheckResult };
}

export const listCheckRuns = (firmId: string, query: { check?: string; limit?: number; offset?: number } = {}) =>
  request<{ total: number; runs: CheckRunView[] }>('GET', `${firmPath(firmId)}/checks/runs`, { query });

export const getCheckRun = (firmId: string, runId: string) => request<CheckRunDetail>('GET', `${firmPath(firmId)}/checks/runs/${encodeURIComponent(runId)}`);

/** Keeps the run's result as evidence, linked to the current campaign's items (or the one named). */
export const attachCheckRunAsEvidence = (firmId: string, runId: string, body: { campaignId?: string; title?: string } = {}) =>
  request<{ evidenceId: string; campaignItemIds: string[]; alreadyAttached: boolean }>(
    'POST', `${firmPath(firmId)}/checks/runs/${encodeURIComponent(runId)}/evidence`, { body },
  );

export const raiseDeficiencyFromFinding = (
  firmId: string, runId: string,
  body: { findingIndex: number; title?: string; severity?: 'high' | 'medium' | 'low'; dueDate?: string; plan?: string },
) => request<{ id: string; number: number; title: string; items: string[]; severity: string }>(
  'POST', `${firmPath(firmId)}/checks/runs/${encodeURIComponent(runId)}/deficiencies`, { body },
);

export interface CheckSchedule {
  id: string;
  checkId: string;
  target: string;
  cron: string;
  options: Record<string, string | number | boolean>;
  enabled: boolean;
  createdBy: string | null;
  createdAt: string | null;
}

const schedulePath = (firmId: string, scheduleId: string) => `${firmPath(firmId)}/checks/schedules/${encodeURIComponent(scheduleId)}`;

export const listCheckSchedules = (firmId: string) => request<{ schedules: CheckSchedule[] }>('GET', `${firmPath(firmId)}/checks/schedules`);

/** A live check (tls host:port) run by cron, Taiwan time. */
export const createCheckSchedule = (firmId: string, body: { check: string; target: string; cron: string; options?: Record<string, string | number | boolean> }) =>
  request<CheckSchedule>('POST', `${firmPath(firmId)}/checks/schedules`, { body });

export const setCheckScheduleEnabled = (firmId: string, scheduleId: string, enabled: boolean) =>
  request<CheckSchedule>('PATCH', schedulePath(firmId, scheduleId), { body: { enabled } });

export const deleteCheckSchedule = (firmId: string, scheduleId: string) => request<unknown>('DELETE', schedulePath(firmId, scheduleId));

// ---------------------------------------------------------------------------------------------
// Self-inspection campaigns (自行查核), evidence vault, deficiencies

// Type-only: the presenters' shapes, so a change on the server fails the web type check.
import type { CampaignItemView, CampaignView, CreatedCampaign } from '../../../src/server/assessments/campaign-service.ts';
import type { EvidenceView } from '../../../src/server/evidence/evidence-service.ts';
import type { DeficiencyView, HistoryEntry } from '../../../src/server/findings/deficiency-service.ts';
import type { AssessmentResult, CampaignStatus, ReviewState } from '../../../src/domain/assessments/campaign-rules.ts';
import type { DeficiencySource, DeficiencyState, FollowUpReport, Severity } from '../../../src/domain/findings/deficiency-rules.ts';

export type { CampaignItemView, CampaignView, CreatedCampaign, EvidenceView, DeficiencyView, HistoryEntry, FollowUpReport };
export type { AssessmentResult, CampaignStatus, ReviewState, DeficiencySource, DeficiencyState, Severity };

const campaignPath = (firmId: string, campaignId: string) => `${firmPath(firmId)}/campaigns/${encodeURIComponent(campaignId)}`;

export interface CampaignFilters {
  cycle?: Cycle;
  period?: string;
  status?: CampaignStatus;
  overdue?: boolean;
}

export interface CampaignItemFilters {
  section?: string;
  result?: AssessmentResult | 'unassessed';
  reviewState?: ReviewState;
  evidenceExpiring?: boolean;
}

export const listCampaigns = (firmId: string, filters: CampaignFilters = {}) =>
  request<{ campaigns: CampaignView[] }>('GET', `${firmPath(firmId)}/campaigns`, { query: { ...filters } });

export const createCampaign = (firmId: string, body: { document: string; version?: string; cycle: Cycle; period: string; title?: string; carryForward?: boolean }) =>
  request<CreatedCampaign>('POST', `${firmPath(firmId)}/campaigns`, { body });

export const getCampaign = (firmId: string, campaignId: string) => request<CampaignView>('GET', campaignPath(firmId, campaignId));

export const listCampaignItems = (firmId: string, campaignId: string, filters: CampaignItemFilters = {}) =>
  request<{ items: CampaignItemView[] }>('GET', `${campaignPath(firmId, campaignId)}/items`, { query: { ...filters } });

export const assessCampaignItem = (
  firmId: string, campaignId: string, itemId: string,
  body: { revision: number; result: AssessmentResult; justification?: string | null; notes?: string | null; evidenceIds?: string[] },
) => request<CampaignItemView>('PUT', `${campaignPath(firmId, campaignId)}/items/${encodeURIComponent(itemId)}`, { body });

export const bulkAssessCampaignItems = (
  firmId: string, campaignId: string,
  body: { items: { itemId: string; revision: number }[]; result: AssessmentResult; justification?: string | null; notes?: string | null },
) => request<{ updated: number }>('POST', `${campaignPath(firmId, campaignId)}/items/bulk`, { body });

export const submitCampaignItems = (firmId: string, campaignId: string, itemIds?: string[]) =>
  request<{ submitted: number; unassessed: number; campaign: CampaignView }>('POST', `${campaignPath(firmId, campaignId)}/submit`, { body: { itemIds } });

export const reviewCampaignItems = (
  firmId: string, campaignId: string,
  decisions: { itemId: string; revision: number; decision: 'approve' | 'return'; comment?: string }[],
) => request<{ approved: number; returned: number; campaign: CampaignView }>('POST', `${campaignPath(firmId, campaignId)}/review`, { body: { decisions } });

export const reopenCampaign = (firmId: string, campaignId: string, body: { reason: string; itemIds?: string[] }) =>
  request<CampaignView>('POST', `${campaignPath(firmId, campaignId)}/reopen`, { body });

export const carryForwardCampaignEvidence = (firmId: string, campaignId: string) =>
  request<{ carriedForward: number }>('POST', `${campaignPath(firmId, campaignId)}/carry-forward`);

/** The checklist workbook is a download: the browser follows this link with the session cookie. */
export const campaignChecklistUrl = (firmId: string, campaignId: string) => `${campaignPath(firmId, campaignId)}/checklist.xlsx`;

/** Multipart upload (no JSON body): CSRF header and session cookie as for every write. */
async function upload<T>(method: 'POST', path: string, form: FormData): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const csrf = readCookie(CSRF_COOKIE);
  if (csrf) {
    headers[CSRF_HEADER] = csrf;
  }
  let response: Response;
  try {
    response = await fetch(path, { method, headers, body: form, credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'NETWORK', '無法連線到伺服器', 'Cannot reach the server');
  }
  if (!response.ok) {
    throw await toApiError(response);
  }
  return (await response.json()) as T;
}

export const importCampaignChecklist = (firmId: string, campaignId: string, file: Blob, fileName: string) => {
  const form = new FormData();
  form.append('file', file, fileName);
  return upload<{ updated: number; unchanged: number }>('POST', `${campaignPath(firmId, campaignId)}/checklist.xlsx`, form);
};

export interface EvidenceMetadata {
  title: string;
  description?: string;
  itemIds?: string[];
  collectedOn: string;
  validUntil?: string | null;
  retainUntil?: string;
  campaignItemIds?: string[];
}

export interface EvidenceFilters {
  itemId?: string;
  expired?: boolean;
  expiringWithinDays?: number;
  includeDeleted?: boolean;
}

const evidencePath = (firmId: string, evidenceId: string) => `${firmPath(firmId)}/evidence/${encodeURIComponent(evidenceId)}`;

export const listEvidence = (firmId: string, filters: EvidenceFilters = {}) =>
  request<{ evidence: EvidenceView[] }>('GET', `${firmPath(firmId)}/evidence`, { query: { ...filters } });

/** The metadata field goes before the file (the server reads it first). */
export const uploadEvidence = (firmId: string, metadata: EvidenceMetadata, file: Blob, fileName: string) => {
  const form = new FormData();
  form.append('metadata', JSON.stringify(metadata));
  form.append('file', file, fileName);
  return upload<EvidenceView>('POST', `${firmPath(firmId)}/evidence`, form);
};

export const uploadEvidenceVersion = (firmId: string, evidenceId: string, file: Blob, fileName: string) => {
  const form = new FormData();
  form.append('file', file, fileName);
  return upload<EvidenceView>('POST', `${evidencePath(firmId, evidenceId)}/versions`, form);
};

export const deleteEvidence = (firmId: string, evidenceId: string, reason: string) =>
  request<{ deleted: true }>('DELETE', evidencePath(firmId, evidenceId), { body: { reason } });

/** Downloads are audited by the server; the browser follows this link with the session cookie. */
export const evidenceDownloadUrl = (firmId: string, evidenceId: string, version?: number) =>
  buildUrl(`${evidencePath(firmId, evidenceId)}/download`, { version });

export interface DeficiencyFilters {
  state?: string;
  isOpen?: boolean;
  severity?: Severity;
  source?: DeficiencySource;
  overdue?: boolean;
  ownerId?: string;
  ageMinDays?: number;
  ageMaxDays?: number;
  campaignId?: string;
}

const deficiencyPath = (firmId: string, deficiencyId: string) => `${firmPath(firmId)}/deficiencies/${encodeURIComponent(deficiencyId)}`;

export const listDeficiencies = (firmId: string, filters: DeficiencyFilters = {}) =>
  request<{ deficiencies: DeficiencyView[] }>('GET', `${firmPath(firmId)}/deficiencies`, { query: { ...filters } });

export const getDeficiency = (firmId: string, deficiencyId: string) =>
  request<DeficiencyView & { history: HistoryEntry[] }>('GET', deficiencyPath(firmId, deficiencyId));

export const createDeficiency = (
  firmId: string,
  body: { title: string; description?: string; source: DeficiencySource; items?: string[]; severity: Severity; ownerId?: string; dueDate?: string; plan?: string; recommendation?: string },
) => request<DeficiencyView>('POST', `${firmPath(firmId)}/deficiencies`, { body });

export const createDeficiencyFromItem = (
  firmId: string, campaignId: string, itemId: string,
  body: { severity: Severity; title?: string; ownerId?: string; dueDate?: string; plan?: string; recommendation?: string },
) => request<DeficiencyView>('POST', `${campaignPath(firmId, campaignId)}/items/${encodeURIComponent(itemId)}/deficiency`, { body });

export const updateDeficiency = (
  firmId: string, deficiencyId: string,
  body: { revision: number; title?: string; description?: string | null; items?: string[]; severity?: Severity; ownerId?: string | null; dueDate?: string | null; plan?: string | null; recommendation?: string | null },
) => request<DeficiencyView>('PATCH', deficiencyPath(firmId, deficiencyId), { body });

export const transitionDeficiency = (firmId: string, deficiencyId: string, body: { revision: number; to: DeficiencyState; comment?: string }) =>
  request<DeficiencyView>('POST', `${deficiencyPath(firmId, deficiencyId)}/transitions`, { body });

/** The follow-up report (CSIM 11.(2)) as a JSON or XLSX download. */
export const deficiencyReportUrl = (firmId: string, format: 'json' | 'xlsx', filters: { source?: DeficiencySource; from?: string; to?: string } = {}) =>
  buildUrl(`${firmPath(firmId)}/deficiencies/${format === 'xlsx' ? 'report.xlsx' : 'report'}`, { ...filters });

// ── Inspections (exchange inspector) and PDF reports ─────────────────────────────────────────────
// Type-only: the server's presenters, so a change there fails the web type check.
import type { InspectionFindingView, InspectionOverview, AuditVerificationView } from '../../../src/server/inspections/inspection-service.ts';
export type { InspectionFindingView, InspectionOverview, AuditVerificationView };
export type { FirmOverviewRow, FirmSortKey } from '../../../src/domain/reports/inspection-overview.ts';

export interface InspectionOverviewQuery {
  name?: string;
  tier?: number;
  type?: number;
  cisoRequired?: boolean;
  hasOverdue?: boolean;
  auditAttention?: boolean;
  sort?: string;
  order?: 'asc' | 'desc';
  from?: string;
  to?: string;
}

export const getInspectionOverview = (query: InspectionOverviewQuery = {}) =>
  request<InspectionOverview>('GET', '/api/v1/inspections/firms', { query: { ...query } });
export const listInspectionFindings = (firmId: string) =>
  request<{ findings: InspectionFindingView[] }>('GET', `${firmPath(firmId)}/inspection-findings`);
export const recordInspectionFinding = (
  firmId: string,
  body: { itemId: string; text: string; severity: Severity; raiseDeficiency?: boolean; title?: string; dueDate?: string; recommendation?: string },
) => request<InspectionFindingView>('POST', `${firmPath(firmId)}/inspection-findings`, { body });
export const verifyFirmAuditChain = (firmId: string) =>
  request<AuditVerificationView>('POST', `${firmPath(firmId)}/inspection-audit-verifications`);

export type ReportKind = 'board' | 'followup' | 'campaign';
/** A PDF report download (a plain link: the browser sends the session cookie). */
export const reportPdfUrl = (firmId: string, kind: ReportKind, query: Query = {}) => buildUrl(`${firmPath(firmId)}/reports/${kind}.pdf`, query);
