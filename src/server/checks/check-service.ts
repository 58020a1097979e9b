/**
 * Automated checks on the server: run a check on uploaded files (or a scheduled live target), keep the
 * run, attach its result to the evidence vault, raise a deficiency from a failed finding, and manage
 * schedules. Every write runs in a tenant transaction with its audit event.
 *
 * Functions take `(deps, context, input)` so routes, jobs and tests call them the same way.
 */
import { createHash, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { z } from 'zod';
import type { Database, Queryable } from '../db/client.ts';
import { inTenantTransaction, systemContext, type RequestContext } from '../context.ts';
import { appendAuditEvent } from '../audit/audit-log.ts';
import { authorize } from '../auth/policy.ts';
import { AppError, invalidState, notFound, validation } from '../errors.ts';
import type { BlobStore } from '../evidence/blob-store.ts';
import { addEvidence } from '../evidence/evidence-service.ts';
import { insertDeficiency } from '../findings/deficiency-service.ts';
import { getProfile } from '../firms/firm-profile-service.ts';
import { todayInTaipei, toIsoTime } from '../evidence/evidence-values.ts';
import type { CatalogVersion } from '../../domain/catalog/resolve.ts';
import {
  CHECK_NAMES,
  assertHasInputs,
  CheckTimeoutError,
  CheckUnavailableError,
  LIVE_TARGET_CHECKS,
  isCheckName,
  listChecks,
  loadCheck,
  needsMasItems,
  selectMasItems,
  type CheckName,
  type CheckSummary,
} from '../../domain/checks/registry.ts';
import { CheckInputError, type CheckInput, type CheckOptions, type CheckResult, type Finding } from '../../domain/checks/types.ts';
import { CronSyntaxError, isScheduleDue, parseCron } from './cron-schedule.ts';
import { CheckMemoryLimitError, DEFAULT_CHECK_TIMEOUT_MS, runCheckIsolated, type CheckLimits } from './check-runner.ts';
import {
  deleteCheckSchedule,
  findCheckRun,
  findCheckSchedule,
  insertCheckRun,
  insertCheckSchedule,
  listCheckRuns,
  listCheckSchedules,
  listEnabledSchedulesWithLastRun,
  listRunDeficiencies,
  lockCheckRun,
  setCheckRunEvidence,
  updateCheckScheduleEnabled,
  type CheckRunRow,
  type CheckScheduleRow,
} from './check-repository.ts';

/** A check on the server is stopped after this long (ANJIAN_CHECK_TIMEOUT_SECONDS overrides). */
export const SERVER_CHECK_TIMEOUT_MS = DEFAULT_CHECK_TIMEOUT_MS;
export const SCHEDULE_JOB_NAME = 'checks.run-due-schedules';

export interface CheckServiceDeps {
  db: Database;
  catalog: CatalogVersion[];
  blobs: BlobStore;
  /** `checkTimeoutMs` / `checkMemoryMb` cap each check's worker thread (defaults: env, then 120 s / 512 MB). */
  config: { maxUploadBytes: number; checkTimeoutMs?: number; checkMemoryMb?: number };
  now?: () => Date;
}

const nowOf = (deps: Pick<CheckServiceDeps, 'now'>) => deps.now?.() ?? new Date();

// ── Schemas (shared by routes and the OpenAPI document) ───────────────────────────────────────────

export const checkNameSchema = z.enum(CHECK_NAMES);

/** The `options` field of a run upload: the check's options as JSON. */
export const runOptionsSchema = z
  .object({
    at: z.string().max(40).optional(),
    format: z.string().max(40).optional(),
  })
  .catchall(z.union([z.string().max(2000), z.number(), z.boolean(), z.record(z.string(), z.string().max(200))]));

export const runListQuerySchema = z.object({
  check: checkNameSchema.optional(),
  trigger: z.enum(['upload', 'schedule', 'cli']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export const attachEvidenceSchema = z.object({
  /** Link to this campaign's items; by default the newest open campaign of each document. */
  campaignId: z.uuid().optional(),
  title: z.string().trim().min(1).max(300).optional(),
});

export const raiseDeficiencySchema = z.object({
  /** 0-based position of the finding in the run's result. */
  findingIndex: z.number().int().min(0),
  title: z.string().trim().min(1).max(300).optional(),
  severity: z.enum(['high', 'medium', 'low']).optional(),
  dueDate: z.iso.date().optional(),
  plan: z.string().max(5000).optional(),
});

export const liveTargetSchema = z
  .string()
  .trim()
  .max(300)
  .regex(/^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?)(?::\d{1,5})?$/, 'host 或 host:port');

export const createScheduleSchema = z.object({
  check: checkNameSchema,
  target: liveTargetSchema,
  cron: z.string().trim().min(9).max(100),
  options: z.record(z.string(), z.union([z.string().max(200), z.number(), z.boolean()])).default({}),
});

export const updateScheduleSchema = z.object({ enabled: z.boolean() });

/**
 * The `target` field of a run upload: a live host:port checked now instead of files (tls only). A bad
 * value, a check that cannot reach live targets, or files sent as well are VALIDATION errors on `target`.
 */
export function readUploadTarget(check: string, rawTarget: string, fileCount: number): CheckInput {
  if (!(LIVE_TARGET_CHECKS as readonly string[]).includes(check)) {
    throw validation(
      [{ where: 'target', message: `only live-target checks take a target: ${LIVE_TARGET_CHECKS.join(', ')}` }],
      `只有即時目標的檢查（${LIVE_TARGET_CHECKS.join(', ')}）可以指定 target`,
    );
  }
  if (fileCount > 0) {
    throw validation([{ where: 'target', message: 'give either files or a target, not both' }], '請擇一提供檔案或 target，不能同時提供');
  }
  const parsed = liveTargetSchema.safeParse(rawTarget);
  if (!parsed.success || parsed.data === '') {
    throw validation([{ where: 'target', message: `must be host or host:port (e.g. www.example.com:443): ${rawTarget.slice(0, 100)}` }], 'target 須為 host 或 host:port（例如 www.example.com:443）');
  }
  const port = /:(\d{1,5})$/.exec(parsed.data)?.[1];
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) {
    throw validation([{ where: 'target', message: `port must be 1–65535: ${port}` }], `target 的連接埠須為 1–65535：${port}`);
  }
  return { name: parsed.data };
}

// ── Presenters ────────────────────────────────────────────────────────────────────────────────────

export interface CheckRunView {
  id: string;
  checkId: string;
  status: string;
  trigger: string;
  target: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  evidenceId: string | null;
  createdBy: string | null;
  summary: string | null;
  summaryEn: string | null;
  findingCount: number;
}

export function presentCheckRun(row: CheckRunRow): CheckRunView {
  const result = (row.result ?? {}) as Partial<CheckResult> & { findingCount?: number; error?: { message: string; messageEn?: string } };
  return {
    id: row.id,
    checkId: row.check_id,
    status: row.status,
    trigger: row.trigger,
    target: row.target,
    startedAt: toIsoTime(row.started_at),
    finishedAt: toIsoTime(row.finished_at),
    evidenceId: row.evidence_id,
    createdBy: row.created_by,
    summary: result.summary ?? result.error?.message ?? null,
    summaryEn: result.summaryEn ?? result.error?.messageEn ?? null,
    findingCount: result.findingCount ?? result.findings?.length ?? 0,
  };
}

export function presentCheckSchedule(row: CheckScheduleRow) {
  return {
    id: row.id,
    checkId: row.check_id,
    target: row.target,
    cron: row.cron,
    options: row.options,
    enabled: row.enabled,
    createdBy: row.created_by,
    createdAt: toIsoTime(row.created_at),
  };
}

// ── Running checks ────────────────────────────────────────────────────────────────────────────────

/** The checks this server offers, with their titles and the catalog items they evidence. */
export async function listAvailableChecks(deps: Pick<CheckServiceDeps, 'catalog'>, context: RequestContext, firmId: string): Promise<CheckSummary[]> {
  authorize(context.actor, 'check:read', firmId);
  return listChecks({ masItems: selectMasItems(deps.catalog) });
}

/** Turns what a check throws into the product's error vocabulary. */
function toAppError(error: unknown): AppError {
  if (error instanceof CheckInputError) {
    return validation([{ where: `${error.file ?? 'input'}${error.line !== undefined ? `:${error.line}` : ''}`, message: error.message }], '無法讀取檢查輸入');
  }
  if (error instanceof CheckTimeoutError) {
    return new AppError('INVALID_STATE', `檢查「${error.checkName}」超過時間上限 ${error.timeoutMs / 1000} 秒，已中止`, {
      messageEn: `check "${error.checkName}" exceeded its ${error.timeoutMs / 1000} s time limit and was stopped`, reason: 'TIMEOUT',
    });
  }
  if (error instanceof CheckMemoryLimitError) {
    return new AppError('INVALID_STATE', `檢查「${error.checkName}」超過記憶體上限 ${error.memoryMb} MB，已中止`, {
      messageEn: `check "${error.checkName}" exceeded its ${error.memoryMb} MB memory limit and was stopped`, reason: 'MEMORY_LIMIT',
    });
  }
  if (error instanceof CheckUnavailableError) {
    return new AppError('NOT_FOUND', error.message, { messageEn: error.message });
  }
  return error instanceof AppError ? error : new AppError('INTERNAL', '檢查執行失敗', { messageEn: `the check failed: ${error instanceof Error ? error.message : String(error)}` });
}

async function loadRegisteredCheck(deps: Pick<CheckServiceDeps, 'catalog'>, name: string) {
  if (!isCheckName(name)) {
    throw notFound('檢查', name);
  }
  try {
    return await loadCheck(name, { masItems: selectMasItems(deps.catalog) });
  } catch (error) {
    throw toAppError(error);
  }
}

/** A check's time and memory caps on this server. */
function limitsOf(deps: Pick<CheckServiceDeps, 'config'>, timeoutMs?: number): Partial<CheckLimits> {
  return { timeoutMs: timeoutMs ?? deps.config.checkTimeoutMs, memoryMb: deps.config.checkMemoryMb };
}

/** Runs a loaded check in its own worker thread, stopped at the time or memory limit. */
function runLimited(deps: Pick<CheckServiceDeps, 'catalog' | 'config'>, check: CheckName, inputs: CheckInput[], options: CheckOptions, timeoutMs?: number): Promise<CheckResult> {
  const masItems = needsMasItems(check) ? selectMasItems(deps.catalog) : undefined;
  return runCheckIsolated({ check, inputs, options, masItems }, limitsOf(deps, timeoutMs));
}

/** The stored `result` of a run that produced none (unreachable, stopped at a limit, failed). */
function errorRunResult(check: string, appError: AppError, extra: Record<string, unknown> = {}) {
  return {
    check, status: 'error', findings: [], items: [], ...extra,
    error: { code: appError.code, reason: appError.details.reason, message: appError.message, messageEn: appError.details.messageEn },
  };
}

function digestInput(input: CheckInput): { name: string; sha256?: string; size?: number } {
  if (input.bytes === undefined && input.text === undefined) {
    return { name: input.name };
  }
  const content = input.bytes ?? Buffer.from(input.text ?? '', 'utf8');
  return { name: input.name, sha256: createHash('sha256').update(content).digest('hex'), size: content.length };
}

/**
 * app-report without a `level`: the level of the app in the firm profile (`mobileApps`). One app →
 * its level and F testing; several → `app=<name>` picks one; none → the run needs `level`.
 */
export async function resolveAppReportOptions(db: Database, firmId: string, options: CheckOptions): Promise<CheckOptions> {
  if (options.level !== undefined && options.level !== '') {
    return options;
  }
  const stored = await inTenantTransaction(db, [firmId], (tx) => getProfile(tx, firmId));
  const apps = stored?.profile.mobileApps ?? [];
  const names = apps.map((app) => app.name).join('、');
  let app: (typeof apps)[number] | undefined;
  if (typeof options.app === 'string' && options.app.trim() !== '') {
    const wanted = options.app.trim();
    app = apps.find((candidate) => candidate.name === wanted);
    if (!app) {
      throw validation(
        [{ where: 'options.app', message: `no app "${wanted}" in the firm profile; its apps: ${names || '(none)'}` }],
        `公司基本資料中沒有名為「${wanted}」的 App（現有：${names || '無'}）`,
      );
    }
  } else if (apps.length === 1) {
    app = apps[0];
  } else if (apps.length === 0) {
    throw validation(
      [{ where: 'options.level', message: 'give level (L1, L2 or L3, optionally +F), or record the app in the firm profile (mobileApps)' }],
      '請指定 App 等級 level（L1、L2、L3，可加 +F），或在公司基本資料登錄行動 App',
    );
  } else {
    throw validation(
      [{ where: 'options.app', message: `the firm profile lists ${apps.length} apps (${names}); give option app=<name> or level` }],
      `公司基本資料登錄了 ${apps.length} 個 App（${names}），請以選項 app=<名稱> 指定，或直接指定 level`,
    );
  }
  return { ...options, app: app.name, level: app.level, withF: options.withF ?? app.fTested === true };
}

/**
 * Runs a check on uploaded files and keeps the run (trigger 'upload'). An input the check cannot read
 * is answered with VALIDATION (file and line) and nothing is stored.
 */
export async function runUploadedCheck(
  deps: CheckServiceDeps,
  context: RequestContext,
  input: { firmId: string; check: string; files: CheckInput[]; options: CheckOptions; timeoutMs?: number },
): Promise<{ run: CheckRunView; result: CheckResult }> {
  authorize(context.actor, 'check:run', input.firmId);
  const definition = await loadRegisteredCheck(deps, input.check);
  try {
    assertHasInputs(definition, input.files);
  } catch (error) {
    // A run over no input would be stored (and could be attached) as "pass, 0 targets".
    throw validation([{ where: 'files', message: error instanceof Error ? error.message : String(error) }], '請上傳要檢查的檔案（至少一個）');
  }
  const options = definition.id === 'app-report' ? await resolveAppReportOptions(deps.db, input.firmId, input.options) : input.options;
  const startedAt = nowOf(deps);
  const inputs = input.files.map(digestInput);
  const target = inputs.map((file) => file.name).join(', ').slice(0, 1000) || null;
  let result: CheckResult;
  try {
    result = await runLimited(deps, definition.id as CheckName, input.files, options, input.timeoutMs);
  } catch (error) {
    const appError = toAppError(error);
    if (error instanceof CheckTimeoutError || error instanceof CheckMemoryLimitError) {
      // Stopped at a limit: kept as an 'error' run (like an unreachable target), so the history shows it.
      const runId = await recordErrorRun(deps, context, { firmId: input.firmId, checkId: definition.id, startedAt, target, appError, inputs, options });
      appError.details.runId = runId;
    }
    throw appError;
  }
  const finishedAt = nowOf(deps);
  return inTenantTransaction(deps.db, [input.firmId], async (tx) => {
    const row = await insertCheckRun(tx, {
      id: randomUUID(),
      firmId: input.firmId,
      checkId: definition.id,
      status: result.status,
      startedAt,
      finishedAt,
      trigger: 'upload',
      target,
      result: { ...result, inputs },
      createdBy: context.actor.userId,
    });
    await appendAuditEvent(tx, context, {
      firmId: input.firmId,
      entity: 'check_run',
      entityId: row.id,
      action: 'check.run',
      after: { check: definition.id, status: result.status, findings: result.findings.length },
      detail: { check: definition.id, checkVersion: result.checkVersion, status: result.status, inputs, options },
    });
    return { run: presentCheckRun(row), result };
  });
}

/** Keeps an uploaded run that produced no result as status 'error', with its audit event; returns its id. */
async function recordErrorRun(
  deps: CheckServiceDeps,
  context: RequestContext,
  run: { firmId: string; checkId: string; startedAt: Date; target: string | null; appError: AppError; inputs: ReturnType<typeof digestInput>[]; options: CheckOptions },
): Promise<string> {
  const runId = randomUUID();
  await inTenantTransaction(deps.db, [run.firmId], async (tx) => {
    await insertCheckRun(tx, {
      id: runId, firmId: run.firmId, checkId: run.checkId, status: 'error', startedAt: run.startedAt, finishedAt: nowOf(deps),
      trigger: 'upload', target: run.target, result: errorRunResult(run.checkId, run.appError, { inputs: run.inputs }), createdBy: context.actor.userId,
    });
    await appendAuditEvent(tx, context, {
      firmId: run.firmId, entity: 'check_run', entityId: runId, action: 'check.run',
      after: { check: run.checkId, status: 'error' },
      detail: { check: run.checkId, status: 'error', reason: run.appError.details.reason, inputs: run.inputs, options: run.options },
    });
  });
  return runId;
}

export async function listRuns(
  db: Database,
  context: RequestContext,
  input: { firmId: string; query: z.infer<typeof runListQuerySchema> },
): Promise<{ total: number; runs: CheckRunView[] }> {
  authorize(context.actor, 'check:read', input.firmId);
  return inTenantTransaction(db, [input.firmId], async (tx) => {
    const { runs, total } = await listCheckRuns(tx, input.firmId, { checkId: input.query.check, trigger: input.query.trigger, limit: input.query.limit, offset: input.query.offset });
    return { total, runs: runs.map(presentCheckRun) };
  });
}

async function requireRun(tx: Queryable, firmId: string, runId: string, lock = false): Promise<CheckRunRow> {
  const run = lock ? await lockCheckRun(tx, firmId, runId) : await findCheckRun(tx, firmId, runId);
  if (!run) {
    throw notFound('檢查紀錄', runId);
  }
  return run;
}

export async function getRun(
  db: Database,
  context: RequestContext,
  input: { firmId: string; runId: string },
): Promise<CheckRunView & { result: CheckResult | null; deficiencies: { id: string; number: number; title: string; findingIndex: number | null }[] }> {
  authorize(context.actor, 'check:read', input.firmId);
  return inTenantTransaction(db, [input.firmId], async (tx) => {
    const run = await requireRun(tx, input.firmId, input.runId);
    const deficiencies = await listRunDeficiencies(tx, input.firmId, input.runId);
    return {
      ...presentCheckRun(run),
      result: run.result,
      deficiencies: deficiencies.map((entry) => ({ id: entry.id, number: entry.number, title: entry.title, findingIndex: entry.finding_index })),
    };
  });
}

// ── Evidence ──────────────────────────────────────────────────────────────────────────────────────

/** `CSIM@112:7.1.d` → `CSIM:7.1.d`: evidence and campaign items name items without the version. */
function unversionedItemId(id: string): string {
  return id.replace(/^([A-Z]+)@[^:]+:/, '$1:');
}

/** Items of the newest open (not approved) campaign of each document, or of the one campaign asked for. */
async function findCampaignItems(tx: Queryable, firmId: string, itemIds: string[], campaignId?: string): Promise<string[]> {
  const campaigns = await tx.query<{ id: string; document: string; status: string }>(
    `SELECT id, document, status FROM campaigns WHERE firm_id = $1 ${campaignId ? 'AND id = $2' : "AND status <> 'approved'"}
      ORDER BY created_at DESC, period DESC`,
    campaignId ? [firmId, campaignId] : [firmId],
  );
  if (campaignId) {
    const campaign = campaigns.rows[0];
    if (!campaign) {
      throw notFound('自行查核', campaignId);
    }
    if (campaign.status === 'approved') {
      throw new AppError('LOCKED', '該次自行查核已核定鎖定，不能再連結佐證', { messageEn: 'the campaign is approved and locked' });
    }
  }
  const current = new Map<string, string>();
  for (const campaign of campaigns.rows) {
    if (!current.has(campaign.document)) {
      current.set(campaign.document, campaign.id);
    }
  }
  if (current.size === 0 || itemIds.length === 0) {
    return [];
  }
  const items = await tx.query<{ id: string }>(
    // Only items still being assessed take new evidence: submitted and approved ones are frozen for review.
    `SELECT id FROM campaign_items WHERE firm_id = $1 AND campaign_id = ANY($2::uuid[]) AND item_id = ANY($3::text[])
       AND review_state IN ('pending', 'returned') ORDER BY path`,
    [firmId, [...current.values()], itemIds],
  );
  return items.rows.map((row) => row.id);
}

/**
 * Stores the run's result JSON in the evidence vault, linked to the check's catalog items and to the
 * matching items of the current campaign(s), and records the evidence on the run. Attaching twice
 * returns the evidence already attached.
 */
export async function attachRunAsEvidence(
  deps: CheckServiceDeps,
  context: RequestContext,
  input: { firmId: string; runId: string; campaignId?: string; title?: string },
): Promise<{ evidenceId: string; campaignItemIds: string[]; alreadyAttached: boolean }> {
  authorize(context.actor, 'check:run', input.firmId);
  authorize(context.actor, 'evidence:upload', input.firmId);
  const prepared = await inTenantTransaction(deps.db, [input.firmId], async (tx) => {
    const run = await requireRun(tx, input.firmId, input.runId);
    if (run.evidence_id) {
      return { run, itemIds: [], campaignItemIds: [] };
    }
    if (!run.result || run.status === 'error') {
      throw invalidState('此檢查未產生結果，不能作為佐證', 'the run has no result to keep as evidence');
    }
    const cited = [...new Set([...run.result.items, ...run.result.findings.flatMap((finding) => finding.items)].map(unversionedItemId))];
    const known = await tx.query<{ item_id: string }>('SELECT DISTINCT item_id FROM catalog_items WHERE item_id = ANY($1::text[])', [cited]);
    const itemIds = known.rows.map((row) => row.item_id).sort();
    const campaignItemIds = await findCampaignItems(tx, input.firmId, itemIds, input.campaignId);
    return { run, itemIds, campaignItemIds };
  });
  if (prepared.run.evidence_id) {
    return { evidenceId: prepared.run.evidence_id, campaignItemIds: [], alreadyAttached: true };
  }
  const { run } = prepared;
  const startedAt = toIsoTime(run.started_at) ?? nowOf(deps).toISOString();
  const body = Buffer.from(`${JSON.stringify({ checkRunId: run.id, trigger: run.trigger, target: run.target, startedAt, result: run.result }, null, 2)}\n`, 'utf8');
  const evidence = await addEvidence(
    { db: deps.db, blobs: deps.blobs, maxUploadBytes: deps.config.maxUploadBytes },
    context,
    {
      firmId: input.firmId,
      file: { fileName: `check-${run.check_id}-${startedAt.slice(0, 10)}-${run.id.slice(0, 8)}.json`, stream: Readable.from([body]) },
      metadata: {
        title: input.title ?? `自動化檢查結果：${run.check_id}（${startedAt.slice(0, 10)}）`,
        description: run.result?.summary,
        itemIds: prepared.itemIds,
        collectedOn: todayInTaipei(new Date(startedAt)),
        campaignItemIds: prepared.campaignItemIds,
      },
    },
  );
  return inTenantTransaction(deps.db, [input.firmId], async (tx) => {
    const locked = await requireRun(tx, input.firmId, input.runId, true);
    if (locked.evidence_id) {
      // Another request attached it meanwhile; keep theirs (our evidence row stays, unlinked to the run).
      return { evidenceId: locked.evidence_id, campaignItemIds: [], alreadyAttached: true };
    }
    await setCheckRunEvidence(tx, input.firmId, input.runId, evidence.id);
    await appendAuditEvent(tx, context, {
      firmId: input.firmId,
      entity: 'check_run',
      entityId: input.runId,
      action: 'check.evidence_attached',
      before: { evidenceId: null },
      after: { evidenceId: evidence.id },
      detail: { itemIds: prepared.itemIds, campaignItemIds: prepared.campaignItemIds },
    });
    return { evidenceId: evidence.id, campaignItemIds: prepared.campaignItemIds, alreadyAttached: false };
  });
}

// ── Deficiencies ──────────────────────────────────────────────────────────────────────────────────

function deficiencySeverity(finding: Finding): 'high' | 'medium' | 'low' {
  return finding.severity === 'info' ? 'low' : finding.severity;
}

/** Raises a deficiency (source automated_check) from one failed finding of a run. */
export async function raiseDeficiencyFromFinding(
  deps: Pick<CheckServiceDeps, 'db'>,
  context: RequestContext,
  input: { firmId: string; runId: string } & z.infer<typeof raiseDeficiencySchema>,
): Promise<{ id: string; number: number; title: string; items: string[]; severity: string }> {
  authorize(context.actor, 'deficiency:create', input.firmId);
  return inTenantTransaction(deps.db, [input.firmId], async (tx) => {
    const run = await requireRun(tx, input.firmId, input.runId, true);
    const finding = run.result?.findings?.[input.findingIndex];
    if (!finding) {
      throw validation([{ where: 'findingIndex', message: `run has ${run.result?.findings?.length ?? 0} findings` }], '找不到此檢查發現');
    }
    if (finding.status !== 'fail') {
      throw invalidState(`只有「不符合」的檢查發現可以開立缺失（此項為 ${finding.status}）`, `only a failed finding can raise a deficiency (this one is ${finding.status})`);
    }
    const existing = (await listRunDeficiencies(tx, input.firmId, input.runId)).find((entry) => entry.finding_index === input.findingIndex);
    if (existing) {
      throw new AppError('CONFLICT', `此檢查發現已開立缺失 #${existing.number}`, { messageEn: `deficiency #${existing.number} was already raised from this finding`, deficiencyId: existing.id });
    }
    const items = [...new Set(finding.items.map(unversionedItemId))];
    const where = [finding.location.file && `${finding.location.file}${finding.location.line !== undefined ? `:${finding.location.line}` : ''}`, finding.location.subject]
      .filter(Boolean)
      .join(' ');
    const title = (input.title ?? `[${run.check_id}] ${finding.message}`).slice(0, 300);
    const description = [
      finding.message,
      finding.messageEn,
      `規則 / rule: ${finding.rule}`,
      where ? `位置 / location: ${where}` : '',
      `檢查 / check: ${run.check_id} ${run.result?.checkVersion ?? ''}（${toIsoTime(run.started_at)}，run ${run.id}）`,
    ].filter(Boolean).join('\n');
    const severity = input.severity ?? deficiencySeverity(finding);
    const created = await insertDeficiency(tx, context, input.firmId, {
      title, description, source: 'automated_check', items, severity,
      dueDate: input.dueDate ?? undefined, plan: input.plan ?? undefined,
    }, {
      checkRunId: run.id,
      historyComment: '由自動化檢查結果建立 / raised from an automated check',
      historyChanges: { checkRunId: run.id, findingIndex: input.findingIndex },
      auditDetail: { rule: finding.rule, location: finding.location, findingIndex: input.findingIndex },
    });
    return { id: created.id, number: created.number, title, items, severity };
  });
}

// ── Schedules ─────────────────────────────────────────────────────────────────────────────────────

export async function listSchedules(db: Database, context: RequestContext, firmId: string) {
  authorize(context.actor, 'check:read', firmId);
  return inTenantTransaction(db, [firmId], async (tx) => (await listCheckSchedules(tx, firmId)).map(presentCheckSchedule));
}

export async function createSchedule(
  deps: Pick<CheckServiceDeps, 'db' | 'catalog'>,
  context: RequestContext,
  input: { firmId: string } & z.infer<typeof createScheduleSchema>,
) {
  authorize(context.actor, 'check:schedule', input.firmId);
  if (!(LIVE_TARGET_CHECKS as readonly string[]).includes(input.check)) {
    throw validation([{ where: 'check', message: `only live-target checks can be scheduled: ${LIVE_TARGET_CHECKS.join(', ')}` }], `只有即時目標的檢查（${LIVE_TARGET_CHECKS.join(', ')}）可以排程`);
  }
  try {
    parseCron(input.cron);
  } catch (error) {
    if (error instanceof CronSyntaxError) {
      throw validation([{ where: 'cron', message: error.message }], '排程格式錯誤');
    }
    throw error;
  }
  await loadRegisteredCheck(deps, input.check);
  return inTenantTransaction(deps.db, [input.firmId], async (tx) => {
    const row = await insertCheckSchedule(tx, {
      id: randomUUID(),
      firmId: input.firmId,
      checkId: input.check,
      target: input.target,
      cron: input.cron,
      options: input.options,
      createdBy: context.actor.userId,
    });
    const view = presentCheckSchedule(row);
    await appendAuditEvent(tx, context, { firmId: input.firmId, entity: 'check_schedule', entityId: row.id, action: 'check.schedule_created', after: view });
    return view;
  });
}

export async function setScheduleEnabled(db: Database, context: RequestContext, input: { firmId: string; scheduleId: string; enabled: boolean }) {
  authorize(context.actor, 'check:schedule', input.firmId);
  return inTenantTransaction(db, [input.firmId], async (tx) => {
    const before = await findCheckSchedule(tx, input.firmId, input.scheduleId);
    if (!before) {
      throw notFound('檢查排程', input.scheduleId);
    }
    const after = await updateCheckScheduleEnabled(tx, input.firmId, input.scheduleId, input.enabled);
    await appendAuditEvent(tx, context, {
      firmId: input.firmId, entity: 'check_schedule', entityId: input.scheduleId, action: input.enabled ? 'check.schedule_enabled' : 'check.schedule_disabled',
      before: presentCheckSchedule(before), after: presentCheckSchedule(after),
    });
    return presentCheckSchedule(after);
  });
}

export async function removeSchedule(db: Database, context: RequestContext, input: { firmId: string; scheduleId: string }): Promise<{ deleted: true }> {
  authorize(context.actor, 'check:schedule', input.firmId);
  return inTenantTransaction(db, [input.firmId], async (tx) => {
    const before = await findCheckSchedule(tx, input.firmId, input.scheduleId);
    if (!before) {
      throw notFound('檢查排程', input.scheduleId);
    }
    await deleteCheckSchedule(tx, input.firmId, input.scheduleId);
    await appendAuditEvent(tx, context, { firmId: input.firmId, entity: 'check_schedule', entityId: input.scheduleId, action: 'check.schedule_deleted', before: presentCheckSchedule(before) });
    return { deleted: true as const };
  });
}

export interface ScheduleRunReport {
  scheduleId: string;
  firmId: string;
  runId: string;
  status: string;
  /** The evidence the run became (the first run of the day of each schedule), if any. */
  evidenceId: string | null;
}

/**
 * A scheduled run becomes evidence on the current campaign's matching items, at most once per schedule
 * and day (a schedule may run every minute; the vault keeps one result a day, three years long).
 */
async function attachScheduledRun(
  deps: CheckServiceDeps,
  schedule: { id: string; firm_id: string; check_id: string; target: string },
  runId: string,
  status: string,
  startedAt: Date,
): Promise<string | null> {
  if (status === 'error') return null;
  const day = todayInTaipei(startedAt);
  const already = await inTenantTransaction(deps.db, [schedule.firm_id], (tx) => tx.query(
    `SELECT 1 FROM check_runs WHERE firm_id = $1 AND check_id = $2 AND target = $3 AND trigger = 'schedule'
       AND evidence_id IS NOT NULL AND id <> $4 AND started_at >= $5 LIMIT 1`,
    // Midnight in Taipei (UTC+8 all year) of the run's day.
    [schedule.firm_id, schedule.check_id, schedule.target, runId, new Date(`${day}T00:00:00+08:00`).toISOString()],
  ));
  if (already.rows.length > 0) return null;
  try {
    const attached = await attachRunAsEvidence(deps, systemContext('job'), { firmId: schedule.firm_id, runId });
    return attached.evidenceId;
  } catch (error) {
    console.error(`scheduled check ${schedule.id}: could not keep run ${runId} as evidence:`, error instanceof Error ? error.message : error);
    return null;
  }
}

/**
 * Runs every enabled schedule whose cron fired since its last scheduled run (or since it was created)
 * and records each run with trigger 'schedule'. A target that cannot be reached is recorded as an
 * 'error' run, so a silent endpoint shows in the history instead of vanishing.
 */
export async function runDueSchedules(
  deps: CheckServiceDeps,
  options: { timeoutMs?: number } = {},
): Promise<ScheduleRunReport[]> {
  const now = nowOf(deps);
  const context = systemContext('job');
  const schedules = await inTenantTransaction(deps.db, '*', (tx) => listEnabledSchedulesWithLastRun(tx));
  const reports: ScheduleRunReport[] = [];
  for (const schedule of schedules) {
    let cron;
    try {
      cron = parseCron(schedule.cron);
    } catch {
      continue;
    }
    const since = schedule.last_run_at ? new Date(schedule.last_run_at) : new Date(schedule.created_at);
    if (!isScheduleDue(cron, since, now)) {
      continue;
    }
    const startedAt = nowOf(deps);
    let status: string;
    let result: unknown;
    try {
      const definition = await loadRegisteredCheck(deps, schedule.check_id as CheckName);
      const checked = await runLimited(deps, definition.id as CheckName, [{ name: schedule.target }], { ...schedule.options }, options.timeoutMs);
      status = checked.status;
      result = checked;
    } catch (error) {
      status = 'error';
      result = errorRunResult(schedule.check_id, toAppError(error));
    }
    const finishedAt = nowOf(deps);
    const runId = randomUUID();
    await inTenantTransaction(deps.db, [schedule.firm_id], async (tx) => {
      await insertCheckRun(tx, {
        id: runId, firmId: schedule.firm_id, checkId: schedule.check_id, status, startedAt, finishedAt,
        trigger: 'schedule', target: schedule.target, result, createdBy: null,
      });
      await appendAuditEvent(tx, context, {
        firmId: schedule.firm_id, entity: 'check_run', entityId: runId, action: 'check.run',
        after: { check: schedule.check_id, status }, detail: { scheduleId: schedule.id, target: schedule.target, trigger: 'schedule' },
      });
    });
    reports.push({ scheduleId: schedule.id, firmId: schedule.firm_id, runId, status, evidenceId: await attachScheduledRun(deps, schedule, runId, status, startedAt) });
  }
  return reports;
}
