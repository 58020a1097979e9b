/**
 * Deficiencies (缺失) and their remediation: created from a partial/non-compliant campaign item or
 * by hand, moved through the state machine of `deficiency-rules.ts`, verified by someone other than
 * the owner, with a history row and an audit event for every change, and the CSIM 11.(2)
 * follow-up report as JSON and XLSX.
 */
import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { z } from 'zod';
import type { Database, Queryable } from '../db/client.ts';
import { inTenantTransaction, type RequestContext } from '../context.ts';
import { appendAuditEvent } from '../audit/audit-log.ts';
import { authorize } from '../auth/policy.ts';
import { AppError, notFound, validation } from '../errors.ts';
import { todayInTaipei, toIsoTime } from '../evidence/evidence-values.ts';
import {
  buildFollowUpReport,
  checkOwnerChange,
  checkTransition,
  daysBetween,
  DEFICIENCY_SOURCES,
  DEFICIENCY_STATES,
  isOverdue,
  SEVERITIES,
  SEVERITY_LABELS,
  SOURCE_LABELS,
  STATE_LABELS,
  type DeficiencySource,
  type DeficiencyState,
  type FollowUpReport,
  type Severity,
  type TransitionRefusal,
} from '../../domain/findings/deficiency-rules.ts';

const isoDay = z.iso.date();

export const createDeficiencySchema = z.object({
  title: z.string().trim().min(1).max(300),
  description: z.string().max(10000).optional(),
  source: z.enum(DEFICIENCY_SOURCES),
  items: z.array(z.string().min(3).max(100)).max(100).default([]),
  severity: z.enum(SEVERITIES),
  ownerId: z.uuid().optional(),
  dueDate: isoDay.optional(),
  plan: z.string().max(10000).optional(),
  recommendation: z.string().max(10000).optional(),
});

export const createFromItemSchema = z.object({
  severity: z.enum(SEVERITIES),
  title: z.string().trim().min(1).max(300).optional(),
  ownerId: z.uuid().optional(),
  dueDate: isoDay.optional(),
  plan: z.string().max(10000).optional(),
  recommendation: z.string().max(10000).optional(),
});

export const updateDeficiencySchema = z.object({
  revision: z.number().int().min(1),
  title: z.string().trim().min(1).max(300).optional(),
  description: z.string().max(10000).nullable().optional(),
  items: z.array(z.string().min(3).max(100)).max(100).optional(),
  severity: z.enum(SEVERITIES).optional(),
  ownerId: z.uuid().nullable().optional(),
  dueDate: isoDay.nullable().optional(),
  plan: z.string().max(10000).nullable().optional(),
  recommendation: z.string().max(10000).nullable().optional(),
});

export const transitionSchema = z.object({
  revision: z.number().int().min(1),
  to: z.enum(DEFICIENCY_STATES),
  comment: z.string().max(5000).optional(),
});

const stateList = z.preprocess(
  (value) => (typeof value === 'string' ? value.split(',').filter(Boolean) : value),
  z.array(z.enum(DEFICIENCY_STATES)),
);

export const deficiencyFilterSchema = z.object({
  state: stateList.optional(),
  /** Every state but closed. */
  isOpen: z.stringbool().optional(),
  severity: z.enum(SEVERITIES).optional(),
  source: z.enum(DEFICIENCY_SOURCES).optional(),
  overdue: z.stringbool().optional(),
  ownerId: z.uuid().optional(),
  ageMinDays: z.coerce.number().int().min(0).optional(),
  ageMaxDays: z.coerce.number().int().min(0).optional(),
  campaignId: z.uuid().optional(),
});
export type DeficiencyFilter = z.infer<typeof deficiencyFilterSchema>;

export interface DeficiencyView {
  id: string;
  number: number;
  title: string;
  description: string | null;
  source: DeficiencySource;
  items: string[];
  severity: Severity;
  state: DeficiencyState;
  stateLabel: string;
  ownerId: string | null;
  owner: string | null;
  dueDate: string | null;
  plan: string | null;
  recommendation: string | null;
  campaignItemId: string | null;
  createdBy: string | null;
  createdAt: string | null;
  closedAt: string | null;
  verifiedBy: string | null;
  revision: number;
  isOverdue: boolean;
  ageDays: number;
}

export interface HistoryEntry {
  at: string | null;
  actorId: string | null;
  actor: string | null;
  fromState: string | null;
  toState: string;
  comment: string | null;
  changes: Record<string, unknown>;
}

interface DeficiencyRow {
  id: string;
  number: number;
  title: string;
  description: string | null;
  source: DeficiencySource;
  items: string[] | string;
  severity: Severity;
  state: DeficiencyState;
  owner_id: string | null;
  owner_email: string | null;
  due_date: string | null;
  plan: string | null;
  recommendation: string | null;
  campaign_item_id: string | null;
  created_by: string | null;
  created_at: Date | string;
  closed_at: Date | string | null;
  verified_by: string | null;
  revision: number;
}

const SELECT = `SELECT d.id, d.number, d.title, d.description, d.source, d.items, d.severity, d.state, d.owner_id, u.email AS owner_email,
  d.due_date::text AS due_date, d.plan, d.recommendation, d.campaign_item_id, d.created_by, d.created_at, d.closed_at, d.verified_by, d.revision
  FROM deficiencies d LEFT JOIN users u ON u.id = d.owner_id`;

function toView(row: DeficiencyRow, today: string): DeficiencyView {
  return {
    id: row.id,
    number: row.number,
    title: row.title,
    description: row.description,
    source: row.source,
    items: typeof row.items === 'string' ? JSON.parse(row.items) : row.items,
    severity: row.severity,
    state: row.state,
    stateLabel: STATE_LABELS[row.state],
    ownerId: row.owner_id,
    owner: row.owner_email,
    dueDate: row.due_date,
    plan: row.plan,
    recommendation: row.recommendation,
    campaignItemId: row.campaign_item_id,
    createdBy: row.created_by,
    createdAt: toIsoTime(row.created_at),
    closedAt: toIsoTime(row.closed_at),
    verifiedBy: row.verified_by,
    revision: row.revision,
    isOverdue: isOverdue(row.state, row.due_date, today),
    ageDays: Math.max(0, daysBetween(todayOf(row.created_at), today)),
  };
}

function todayOf(value: Date | string): string {
  return todayInTaipei(value instanceof Date ? value : new Date(value));
}

async function findRow(tx: Queryable, firmId: string, id: string, lock = false): Promise<DeficiencyRow> {
  const row = (await tx.query<DeficiencyRow>(`${SELECT} WHERE d.firm_id = $1 AND d.id = $2${lock ? ' FOR UPDATE OF d' : ''}`, [firmId, id])).rows[0];
  if (!row) throw notFound('缺失', id);
  return row;
}

async function checkMember(tx: Queryable, firmId: string, userId: string | null | undefined): Promise<void> {
  if (!userId) return;
  const member = await tx.query('SELECT 1 FROM memberships WHERE firm_id = $1 AND user_id = $2 LIMIT 1', [firmId, userId]);
  if (member.rows.length === 0) throw validation([{ where: 'ownerId', message: 'not a member of this firm' }], '負責人不是本公司的使用者');
}

/** Where a new deficiency comes from, beyond its fields: the campaign item or check run behind it. */
export interface DeficiencyOrigin {
  campaignItemId?: string | null;
  checkRunId?: string | null;
  /** The history row's comment (default 建立缺失) and what it records (default: the input). */
  historyComment?: string;
  historyChanges?: unknown;
  /** Extra detail for the audit event. */
  auditDetail?: Record<string, unknown>;
}

/**
 * Opens a deficiency inside the caller's transaction: numbered per firm without gaps (the firm row
 * lock serialises concurrent creations), with its first history row and its audit event. Every way a
 * deficiency is raised (by hand, from a campaign item, an automated check, an inspection) comes here.
 */
export async function insertDeficiency(
  tx: Queryable,
  context: RequestContext,
  firmId: string,
  input: z.infer<typeof createDeficiencySchema>,
  origin: DeficiencyOrigin = {},
): Promise<{ id: string; number: number }> {
  await checkMember(tx, firmId, input.ownerId);
  await tx.query('SELECT id FROM firms WHERE id = $1 FOR UPDATE', [firmId]);
  const number = Number((await tx.query<{ next: number }>('SELECT coalesce(max(number), 0) + 1 AS next FROM deficiencies WHERE firm_id = $1', [firmId])).rows[0].next);
  const id = randomUUID();
  await tx.query(
    `INSERT INTO deficiencies (id, firm_id, number, title, description, source, items, severity, state, owner_id, due_date, plan, recommendation, campaign_item_id, check_run_id, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'open', $9, $10, $11, $12, $13, $14, $15)`,
    [id, firmId, number, input.title, input.description ?? null, input.source, JSON.stringify(input.items), input.severity, input.ownerId ?? null,
      input.dueDate ?? null, input.plan ?? null, input.recommendation ?? null, origin.campaignItemId ?? null, origin.checkRunId ?? null, context.actor.userId],
  );
  await tx.query(
    'INSERT INTO deficiency_history (deficiency_id, firm_id, actor_id, from_state, to_state, comment, changes) VALUES ($1, $2, $3, NULL, $4, $5, $6)',
    [id, firmId, context.actor.userId, 'open', origin.historyComment ?? '建立缺失', JSON.stringify(origin.historyChanges ?? input)],
  );
  await appendAuditEvent(tx, context, {
    firmId, entity: 'deficiency', entityId: id, action: 'deficiency.created',
    after: { number, ...input, ...(origin.checkRunId ? { checkRunId: origin.checkRunId } : {}) },
    detail: origin.auditDetail,
  });
  return { id, number };
}

export async function createDeficiency(db: Database, context: RequestContext, input: { firmId: string } & z.input<typeof createDeficiencySchema>): Promise<DeficiencyView> {
  authorize(context.actor, 'deficiency:create', input.firmId);
  const request = createDeficiencySchema.parse(input);
  return inTenantTransaction(db, [input.firmId], async (tx) => {
    const { id } = await insertDeficiency(tx, context, input.firmId, request);
    return toView(await findRow(tx, input.firmId, id), todayInTaipei());
  });
}

/** Opens a deficiency for a campaign item assessed partial or non-compliant (one open deficiency per item). */
export async function createDeficiencyFromItem(
  db: Database,
  context: RequestContext,
  input: { firmId: string; campaignId: string; itemId: string } & z.input<typeof createFromItemSchema>,
): Promise<DeficiencyView> {
  authorize(context.actor, 'deficiency:create', input.firmId);
  const request = createFromItemSchema.parse(input);
  return inTenantTransaction(db, [input.firmId], async (tx) => {
    const item = (await tx.query<{ id: string; item_id: string; result: string | null; notes: string | null; text: string | null; period: string }>(
      `SELECT i.id, i.item_id, i.result, i.notes, ci.text, c.period FROM campaign_items i JOIN campaigns c ON c.id = i.campaign_id
       LEFT JOIN catalog_items ci ON ci.document = c.document AND ci.version = c.version AND ci.path = i.path
       WHERE i.firm_id = $1 AND i.campaign_id = $2 AND (i.id::text = $3 OR i.item_id = $3)`,
      [input.firmId, input.campaignId, input.itemId],
    )).rows[0];
    if (!item) throw notFound('查核項目', input.itemId);
    if (item.result !== 'partial' && item.result !== 'non_compliant') {
      throw new AppError('INVALID_STATE', `項目 ${item.item_id} 的評核結果不是「部分符合」或「不符合」，不能開立缺失`, { messageEn: `item ${item.item_id} is not assessed partial or non_compliant` });
    }
    const existing = await tx.query<{ number: number }>("SELECT number FROM deficiencies WHERE campaign_item_id = $1 AND state <> 'closed'", [item.id]);
    if (existing.rows[0]) {
      throw new AppError('CONFLICT', `項目 ${item.item_id} 已有未結案的缺失 #${existing.rows[0].number}`, { messageEn: `item ${item.item_id} already has open deficiency #${existing.rows[0].number}` });
    }
    const { id } = await insertDeficiency(tx, context, input.firmId, {
      title: request.title ?? `${item.item_id}（${item.period}）：${(item.text ?? '').slice(0, 80)}`,
      description: item.notes ?? undefined,
      source: 'self_inspection',
      items: [item.item_id],
      severity: request.severity,
      ownerId: request.ownerId,
      dueDate: request.dueDate,
      plan: request.plan,
      recommendation: request.recommendation,
    }, { campaignItemId: item.id });
    return toView(await findRow(tx, input.firmId, id), todayInTaipei());
  });
}

export async function listDeficiencies(db: Database, context: RequestContext, input: { firmId: string; filter?: DeficiencyFilter; today?: string }): Promise<DeficiencyView[]> {
  authorize(context.actor, 'deficiency:read', input.firmId);
  const today = input.today ?? todayInTaipei();
  const filter = input.filter ?? {};
  return inTenantTransaction(db, [input.firmId], async (tx) => {
    const where = ['d.firm_id = $1'];
    const params: unknown[] = [input.firmId];
    const add = (clause: string, value: unknown) => {
      params.push(value);
      where.push(clause.replaceAll('?', `$${params.length}`));
    };
    if (filter.state && filter.state.length > 0) add('d.state = ANY(?::text[])', filter.state);
    if (filter.isOpen) where.push("d.state <> 'closed'");
    if (filter.severity) add('d.severity = ?', filter.severity);
    if (filter.source) add('d.source = ?', filter.source);
    if (filter.ownerId) add('d.owner_id = ?', filter.ownerId);
    if (filter.overdue) add("d.state <> 'closed' AND d.due_date < ?::date", today);
    if (filter.campaignId) add('d.campaign_item_id IN (SELECT id FROM campaign_items WHERE campaign_id = ?)', filter.campaignId);
    const rows = (await tx.query<DeficiencyRow>(`${SELECT} WHERE ${where.join(' AND ')} ORDER BY d.number`, params)).rows;
    return rows.map((row) => toView(row, today)).filter((view) =>
      (filter.ageMinDays === undefined || view.ageDays >= filter.ageMinDays) && (filter.ageMaxDays === undefined || view.ageDays <= filter.ageMaxDays));
  });
}

export async function getDeficiency(db: Database, context: RequestContext, input: { firmId: string; deficiencyId: string }): Promise<DeficiencyView & { history: HistoryEntry[] }> {
  authorize(context.actor, 'deficiency:read', input.firmId);
  return inTenantTransaction(db, [input.firmId], async (tx) => {
    const row = await findRow(tx, input.firmId, input.deficiencyId);
    const history = (await tx.query<{ at: Date; actor_id: string | null; email: string | null; from_state: string | null; to_state: string; comment: string | null; changes: Record<string, unknown> }>(
      `SELECT h.at, h.actor_id, u.email, h.from_state, h.to_state, h.comment, h.changes FROM deficiency_history h LEFT JOIN users u ON u.id = h.actor_id
       WHERE h.deficiency_id = $1 ORDER BY h.id`, [row.id],
    )).rows;
    return {
      ...toView(row, todayInTaipei()),
      history: history.map((entry) => ({
        at: toIsoTime(entry.at), actorId: entry.actor_id, actor: entry.email, fromState: entry.from_state, toState: entry.to_state,
        comment: entry.comment, changes: typeof entry.changes === 'string' ? JSON.parse(entry.changes) : entry.changes,
      })),
    };
  });
}

function refusalError(refusal: TransitionRefusal): AppError {
  const code = refusal.kind === 'state' ? 'INVALID_STATE' : refusal.kind === 'actor' ? 'FORBIDDEN' : 'VALIDATION';
  return new AppError(code, refusal.message, { messageEn: refusal.messageEn, issues: [{ where: refusal.where, message: refusal.messageEn }] });
}

function staleRevision(row: DeficiencyRow, revision: number): AppError {
  return new AppError('CONFLICT', `缺失 #${row.number} 已被他人修改（目前版本 ${row.revision}，您送出的是版本 ${revision}），請重新載入`, {
    messageEn: `deficiency #${row.number} was changed by someone else (now revision ${row.revision}, you sent ${revision}); reload`,
    currentRevision: row.revision,
  });
}

export async function updateDeficiency(
  db: Database,
  context: RequestContext,
  input: { firmId: string; deficiencyId: string } & z.infer<typeof updateDeficiencySchema>,
): Promise<DeficiencyView> {
  authorize(context.actor, 'deficiency:update', input.firmId);
  return inTenantTransaction(db, [input.firmId], async (tx) => {
    const before = await findRow(tx, input.firmId, input.deficiencyId, true);
    if (before.revision !== input.revision) throw staleRevision(before, input.revision);
    if (before.state === 'closed') throw new AppError('INVALID_STATE', `缺失 #${before.number} 已結案，須先重新開啟才能修改`, { messageEn: 'the deficiency is closed; reopen it first' });
    if (input.ownerId !== undefined) {
      const refusal = checkOwnerChange(before.state, before.owner_id, input.ownerId);
      if (refusal) throw refusalError(refusal);
    }
    await checkMember(tx, input.firmId, input.ownerId);
    const fields: [string, string, unknown][] = [
      ['title', 'title', input.title], ['description', 'description', input.description], ['severity', 'severity', input.severity],
      ['ownerId', 'owner_id', input.ownerId], ['dueDate', 'due_date', input.dueDate], ['plan', 'plan', input.plan],
      ['recommendation', 'recommendation', input.recommendation], ['items', 'items', input.items === undefined ? undefined : JSON.stringify(input.items)],
    ];
    const changes: Record<string, { from: unknown; to: unknown }> = {};
    const sets: string[] = [];
    const params: unknown[] = [before.id];
    for (const [name, column, value] of fields) {
      if (value === undefined) continue;
      params.push(value);
      sets.push(`${column} = $${params.length}`);
      const previous = name === 'ownerId' ? before.owner_id : name === 'dueDate' ? before.due_date : (before as unknown as Record<string, unknown>)[column];
      changes[name] = { from: previous, to: name === 'items' ? input.items : value };
    }
    if (sets.length > 0) {
      await tx.query(`UPDATE deficiencies SET ${sets.join(', ')}, revision = revision + 1 WHERE id = $1`, params);
      await tx.query(
        'INSERT INTO deficiency_history (deficiency_id, firm_id, actor_id, from_state, to_state, comment, changes) VALUES ($1, $2, $3, $4, $4, NULL, $5)',
        [before.id, input.firmId, context.actor.userId, before.state, JSON.stringify(changes)],
      );
      await appendAuditEvent(tx, context, { firmId: input.firmId, entity: 'deficiency', entityId: before.id, action: 'deficiency.updated', before, after: changes });
    }
    return toView(await findRow(tx, input.firmId, before.id), todayInTaipei());
  });
}

/** Moves a deficiency to another state. Closing is verification: deficiency:verify, not by the owner. */
export async function transitionDeficiency(
  db: Database,
  context: RequestContext,
  input: { firmId: string; deficiencyId: string } & z.infer<typeof transitionSchema>,
): Promise<DeficiencyView> {
  authorize(context.actor, input.to === 'closed' ? 'deficiency:verify' : 'deficiency:update', input.firmId);
  return inTenantTransaction(db, [input.firmId], async (tx) => {
    const before = await findRow(tx, input.firmId, input.deficiencyId, true);
    if (before.revision !== input.revision) throw staleRevision(before, input.revision);
    // Who asked for verification, and who owned the deficiency then: neither may close it.
    const request = before.state === 'pending_verification'
      ? (await tx.query<{ actor_id: string | null; changes: Record<string, unknown> | string }>(
        `SELECT actor_id, changes FROM deficiency_history WHERE deficiency_id = $1 AND to_state = 'pending_verification' AND from_state <> 'pending_verification'
         ORDER BY id DESC LIMIT 1`, [before.id],
      )).rows[0]
      : undefined;
    const requestChanges = typeof request?.changes === 'string' ? JSON.parse(request.changes) as Record<string, unknown> : request?.changes;
    const refusal = checkTransition({
      from: before.state, to: input.to, actorId: context.actor.userId, ownerId: before.owner_id,
      plan: before.plan, dueDate: before.due_date, comment: input.comment ?? null,
      verificationRequestedBy: request?.actor_id ?? null,
      ownerAtVerificationRequest: typeof requestChanges?.ownerId === 'string' ? requestChanges.ownerId : null,
    });
    if (refusal) throw refusalError(refusal);
    await tx.query(
      `UPDATE deficiencies SET state = $2, revision = revision + 1,
         closed_at = CASE WHEN $2 = 'closed' THEN now() ELSE NULL END,
         verified_by = CASE WHEN $2 = 'closed' THEN $3::uuid ELSE NULL END
       WHERE id = $1`,
      [before.id, input.to, context.actor.userId],
    );
    await tx.query(
      'INSERT INTO deficiency_history (deficiency_id, firm_id, actor_id, from_state, to_state, comment, changes) VALUES ($1, $2, $3, $4, $5, $6, $7)',
      [before.id, input.firmId, context.actor.userId, before.state, input.to, input.comment ?? null,
        JSON.stringify(input.to === 'pending_verification' ? { ownerId: before.owner_id } : {})],
    );
    await appendAuditEvent(tx, context, {
      firmId: input.firmId, entity: 'deficiency', entityId: before.id, action: input.to === 'closed' ? 'deficiency.verified' : 'deficiency.state_changed',
      before: { state: before.state }, after: { state: input.to }, detail: { comment: input.comment ?? null },
    });
    return toView(await findRow(tx, input.firmId, before.id), todayInTaipei());
  });
}

export const reportFilterSchema = z.object({
  source: z.enum(DEFICIENCY_SOURCES).optional(),
  from: isoDay.optional(),
  to: isoDay.optional(),
});

/** The follow-up report (CSIM 11.(2)) over the firm's deficiencies, optionally by source and creation dates. */
export async function buildDeficiencyReport(db: Database, context: RequestContext, input: { firmId: string } & z.infer<typeof reportFilterSchema>): Promise<FollowUpReport> {
  authorize(context.actor, 'report:read', input.firmId);
  const today = todayInTaipei();
  const all = await listDeficiencies(db, context, { firmId: input.firmId, filter: { source: input.source }, today });
  const firmName = await inTenantTransaction(db, [input.firmId], async (tx) =>
    (await tx.query<{ name: string }>('SELECT name FROM firms WHERE id = $1', [input.firmId])).rows[0]?.name ?? '');
  const chosen = all.filter((entry) => {
    const created = (entry.createdAt ?? '').slice(0, 10);
    return (!input.from || created >= input.from) && (!input.to || created <= input.to);
  });
  return buildFollowUpReport(chosen.map((entry) => ({
    number: entry.number, title: entry.title, description: entry.description, source: entry.source, items: entry.items,
    severity: entry.severity, state: entry.state, ownerName: entry.owner, dueDate: entry.dueDate, plan: entry.plan,
    recommendation: entry.recommendation, createdAt: entry.createdAt ?? '', closedAt: entry.closedAt,
  })), today, firmName);
}

/** The follow-up report as a workbook: a summary sheet and one row per finding. */
export async function buildDeficiencyReportXlsx(report: FollowUpReport): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'anjian';
  const summary = workbook.addWorksheet('摘要 Summary');
  summary.columns = [{ width: 24 }, { width: 80 }];
  summary.addRow([report.title]).font = { bold: true, size: 14 };
  summary.addRow(['產出日期 Generated', report.generatedOn]);
  summary.addRow(['查核摘要 Summary', report.summary.text]);
  summary.addRow(['查核範圍 Scope', `來源：${report.scope.sources.map((source) => SOURCE_LABELS[source]).join('、') || '—'}；期間：${report.scope.from ?? '—'} ~ ${report.scope.to ?? '—'}；條文：${report.scope.items.join('、') || '—'}`]);
  for (const state of DEFICIENCY_STATES) summary.addRow([`狀態 ${STATE_LABELS[state]}`, report.summary.byState[state]]);
  for (const severity of SEVERITIES) summary.addRow([`風險 ${SEVERITY_LABELS[severity]}`, report.summary.bySeverity[severity]]);
  summary.addRow(['逾期 Overdue', report.summary.overdue]);
  const findings = workbook.addWorksheet('缺失說明 Findings', { views: [{ state: 'frozen', ySplit: 1 }] });
  findings.columns = [
    { header: '編號 No.', key: 'number', width: 8 },
    { header: '缺失 Finding', key: 'title', width: 40 },
    { header: '說明 Description', key: 'description', width: 40 },
    { header: '來源 Source', key: 'source', width: 12 },
    { header: '條文 Items', key: 'items', width: 20 },
    { header: '風險 Severity', key: 'severity', width: 8 },
    { header: '改進建議 Recommendation', key: 'recommendation', width: 40 },
    { header: '改善計畫 Plan', key: 'plan', width: 40 },
    { header: '負責人 Owner', key: 'owner', width: 24 },
    { header: '期限 Due', key: 'due', width: 12 },
    { header: '狀態 Status', key: 'state', width: 12 },
    { header: '逾期 Overdue', key: 'overdue', width: 8 },
    { header: '結案日 Closed', key: 'closed', width: 12 },
  ];
  findings.getRow(1).font = { bold: true };
  for (const finding of report.findings) {
    findings.addRow({
      number: finding.number, title: finding.title, description: finding.description ?? '', source: SOURCE_LABELS[finding.source],
      items: finding.items.join('、'), severity: SEVERITY_LABELS[finding.severity], recommendation: finding.recommendation ?? '',
      plan: finding.plan ?? '', owner: finding.ownerName ?? '', due: finding.dueDate ?? '', state: finding.stateLabel,
      overdue: finding.isOverdue ? '是' : '', closed: (finding.closedAt ?? '').slice(0, 10),
    });
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

