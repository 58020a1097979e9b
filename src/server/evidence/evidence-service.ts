/**
 * The evidence vault (佐證資料): uploads sniffed by content, stored content-addressed (one copy per
 * content), versions, retention of at least three years from collection (CSIM 7.(1) b.(c), 8.(4) c.,
 * NET 4.3), audited downloads and the orphan-blob sweep.
 *
 * An upload writes the file first (a temp file renamed into place), then inserts every row in one
 * transaction. A process killed between the two leaves a file no row refers to; `sweepOrphanBlobs`
 * removes such files (and unfinished temp files) once they are older than a grace period.
 *
 * Functions take `(deps, context, input)` so the CLI can call them without HTTP.
 */
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { z } from 'zod';
import type { Database, Queryable } from '../db/client.ts';
import { inTenantTransaction, systemContext, type RequestContext } from '../context.ts';
import { appendAuditEvent } from '../audit/audit-log.ts';
import { authorize } from '../auth/policy.ts';
import { AppError, notFound, validation } from '../errors.ts';
import { BlobTooLargeError, type BlobStore, type StoredBlob } from './blob-store.ts';
import { sniffFileType } from './sniff-file-type.ts';
import { addYears, todayInTaipei, toIsoTime } from './evidence-values.ts';
import { classifyEvidenceValidity, findEditBlock, type AssessmentResult, type CampaignStatus, type ReviewState } from '../../domain/assessments/campaign-rules.ts';

/** Evidence is kept at least this many years from its collection date. */
export const RETENTION_YEARS = 3;
/** Evidence expiring within this many days is flagged. */
export const EXPIRING_WITHIN_DAYS = 30;
export const MAX_TITLE_LENGTH = 300;

export interface EvidenceDeps {
  db: Database;
  blobs: BlobStore;
  maxUploadBytes: number;
}

const isoDay = z.iso.date();

/** The metadata of an evidence upload (the multipart `metadata` field, JSON). */
export const evidenceMetadataSchema = z.object({
  title: z.string().trim().min(1).max(MAX_TITLE_LENGTH),
  description: z.string().max(5000).optional(),
  /** Catalog item ids the evidence supports (CSIM:8.4.c). */
  itemIds: z.array(z.string().min(3).max(100)).max(200).default([]),
  collectedOn: isoDay,
  validUntil: isoDay.nullable().optional(),
  /** Defaults to three years after collection; an earlier date is refused. */
  retainUntil: isoDay.optional(),
  ownerId: z.uuid().optional(),
  /** Campaign items (ids) to link the new evidence to. */
  campaignItemIds: z.array(z.uuid()).max(200).optional(),
});
export type EvidenceMetadata = z.infer<typeof evidenceMetadataSchema>;

export const evidenceUpdateSchema = z.object({
  title: z.string().trim().min(1).max(MAX_TITLE_LENGTH).optional(),
  description: z.string().max(5000).nullable().optional(),
  itemIds: z.array(z.string().min(3).max(100)).max(200).optional(),
  validUntil: isoDay.nullable().optional(),
  retainUntil: isoDay.optional(),
  ownerId: z.uuid().nullable().optional(),
});

export interface EvidenceVersionView {
  version: number;
  fileName: string;
  mime: string;
  size: number;
  sha256: string;
  uploadedBy: string | null;
  uploadedAt: string | null;
}

export interface EvidenceView {
  id: string;
  title: string;
  description: string | null;
  ownerId: string | null;
  collectedOn: string;
  validUntil: string | null;
  retainUntil: string;
  validity: 'valid' | 'expiring' | 'expired';
  isDeleted: boolean;
  itemIds: string[];
  versions: EvidenceVersionView[];
  createdAt: string | null;
}

export interface UploadedFile {
  fileName: string;
  stream: Readable;
  /** True when the transport cut the file at its size limit (multipart truncation). */
  isTruncated?: () => boolean;
}

interface EvidenceRow {
  id: string;
  title: string;
  description: string | null;
  owner_id: string | null;
  collected_on: string;
  valid_until: string | null;
  retain_until: string;
  created_at: Date | string;
  deleted_at: Date | string | null;
}

interface VersionRow {
  evidence_id: string;
  version: number;
  file_name: string;
  mime: string;
  size: string | number;
  sha256: string;
  uploaded_by: string | null;
  uploaded_at: Date | string;
}

const EVIDENCE_COLUMNS = `id, title, description, owner_id, collected_on::text AS collected_on, valid_until::text AS valid_until,
  retain_until::text AS retain_until, created_at, deleted_at`;

async function loadEvidenceViews(tx: Queryable, rows: EvidenceRow[], today: string): Promise<EvidenceView[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((row) => row.id);
  const versions = (await tx.query<VersionRow>(
    'SELECT evidence_id, version, file_name, mime, size, sha256, uploaded_by, uploaded_at FROM evidence_versions WHERE evidence_id = ANY($1::uuid[]) ORDER BY version',
    [ids],
  )).rows;
  const items = (await tx.query<{ evidence_id: string; item_id: string }>(
    'SELECT evidence_id, item_id FROM evidence_items WHERE evidence_id = ANY($1::uuid[]) ORDER BY item_id', [ids],
  )).rows;
  return rows.map((row) => ({
    id: row.id,
    title: row.title,
    description: row.description,
    ownerId: row.owner_id,
    collectedOn: row.collected_on,
    validUntil: row.valid_until,
    retainUntil: row.retain_until,
    validity: classifyEvidenceValidity(row.valid_until, today, EXPIRING_WITHIN_DAYS),
    isDeleted: row.deleted_at !== null,
    itemIds: items.filter((item) => item.evidence_id === row.id).map((item) => item.item_id),
    versions: versions.filter((version) => version.evidence_id === row.id).map((version) => ({
      version: version.version,
      fileName: version.file_name,
      mime: version.mime,
      size: Number(version.size),
      sha256: version.sha256,
      uploadedBy: version.uploaded_by,
      uploadedAt: toIsoTime(version.uploaded_at),
    })),
    createdAt: toIsoTime(row.created_at),
  }));
}

async function findEvidenceRow(tx: Queryable, firmId: string, evidenceId: string, lock = false): Promise<EvidenceRow> {
  const row = (await tx.query<EvidenceRow>(
    `SELECT ${EVIDENCE_COLUMNS} FROM evidence WHERE firm_id = $1 AND id = $2${lock ? ' FOR UPDATE' : ''}`, [firmId, evidenceId],
  )).rows[0];
  if (!row) throw notFound('佐證資料', evidenceId);
  return row;
}

async function checkItemIds(tx: Queryable, itemIds: readonly string[]): Promise<void> {
  if (itemIds.length === 0) return;
  const known = new Set((await tx.query<{ item_id: string }>(
    'SELECT DISTINCT item_id FROM catalog_items WHERE item_id = ANY($1::text[])', [[...itemIds]],
  )).rows.map((row) => row.item_id));
  const unknown = itemIds.map((id, index) => ({ id, index })).filter((entry) => !known.has(entry.id));
  if (unknown.length > 0) {
    throw validation(unknown.map((entry) => ({ where: `itemIds.${entry.index}`, message: `unknown catalog item ${entry.id}` })), '找不到條文項目');
  }
}

async function checkMember(tx: Queryable, firmId: string, userId: string | null | undefined, field: string): Promise<void> {
  if (!userId) return;
  const member = await tx.query('SELECT 1 FROM memberships WHERE firm_id = $1 AND user_id = $2 LIMIT 1', [firmId, userId]);
  if (member.rows.length === 0) throw validation([{ where: field, message: 'not a member of this firm' }], '負責人不是本公司的使用者');
}

/** Streams the file into the blob store and sniffs it; removes a new blob that is refused. */
async function storeUpload(deps: EvidenceDeps, file: UploadedFile): Promise<StoredUpload> {
  const tooLarge = () => new AppError('PAYLOAD_TOO_LARGE', `檔案超過上限 ${Math.round(deps.maxUploadBytes / 1048576)} MB：${file.fileName}`, {
    messageEn: `file too large (limit ${deps.maxUploadBytes} bytes): ${file.fileName}`,
  });
  let stored;
  try {
    stored = await deps.blobs.put(file.stream, deps.maxUploadBytes);
  } catch (error) {
    if (error instanceof BlobTooLargeError || (error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge();
    throw error;
  }
  if (file.isTruncated?.()) {
    await removeBlobIfUnreferenced(deps, stored);
    throw tooLarge();
  }
  const sniffed = await sniffFileType(stored.head, file.fileName, stored.size);
  if (!sniffed.ok) {
    await removeBlobIfUnreferenced(deps, stored);
    throw new AppError('UNSUPPORTED_MEDIA', sniffed.message, { messageEn: sniffed.messageEn, detected: sniffed.detected, issues: [{ where: 'file', message: sniffed.messageEn }] });
  }
  return { sha256: stored.sha256, size: stored.size, mime: sniffed.type.mime, created: stored.created, storedAt: stored.storedAt };
}

type StoredUpload = Pick<StoredBlob, 'sha256' | 'size' | 'created' | 'storedAt'> & { mime: string };

/**
 * Cleans up after an upload that failed: removes its blob (file and row) when no evidence version
 * refers to it. Safe against a concurrent upload of the same content:
 * - a blob this upload did not write (the content was already stored) is left alone: its writer, or
 *   a row, holds it; if nothing does, the orphan sweep removes it after the grace period;
 * - the row is locked and the references are read after the lock (another transaction inserting the
 *   same blob row commits first), and
 * - the file is removed only if no other put touched it since this one (`storedAt`).
 */
async function removeBlobIfUnreferenced(deps: EvidenceDeps, stored: Pick<StoredUpload, 'sha256' | 'created' | 'storedAt'>): Promise<boolean> {
  if (!stored.created) return false;
  const { sha256 } = stored;
  const unreferenced = await inTenantTransaction(deps.db, '*', async (tx) => {
    await tx.query('SELECT 1 FROM blobs WHERE sha256 = $1 FOR UPDATE', [sha256]);
    const used = await tx.query('SELECT 1 FROM evidence_versions WHERE sha256 = $1 LIMIT 1', [sha256]);
    if (used.rows.length > 0) return false;
    await tx.query('DELETE FROM blobs WHERE sha256 = $1', [sha256]);
    return true;
  });
  return unreferenced && (await deps.blobs.remove(sha256, stored.storedAt));
}

async function insertVersion(tx: Queryable, context: RequestContext, firmId: string, evidenceId: string, version: number, file: UploadedFile, blob: StoredUpload): Promise<void> {
  await tx.query('INSERT INTO blobs (sha256, size, mime) VALUES ($1, $2, $3) ON CONFLICT (sha256) DO NOTHING', [blob.sha256, blob.size, blob.mime]);
  await tx.query(
    `INSERT INTO evidence_versions (evidence_id, firm_id, version, sha256, file_name, mime, size, uploaded_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [evidenceId, firmId, version, blob.sha256, file.fileName.slice(0, 255), blob.mime, blob.size, context.actor.userId],
  );
}

/**
 * Links new evidence to a campaign item under the same rules as saving the item (not while it is
 * submitted or approved, nor in an approved campaign), pinned to the given version, and bumps the
 * item's revision so that a save based on what was read before the link is refused (409).
 */
async function linkToCampaignItem(
  tx: Queryable,
  context: RequestContext,
  firmId: string,
  campaignItemId: string,
  evidenceId: string,
  pinned: { version: number; sha256: string },
  field: string,
): Promise<void> {
  const item = (await tx.query<{ item_id: string; campaign_id: string; status: CampaignStatus; review_state: ReviewState; result: AssessmentResult | null; assessor_id: string | null }>(
    `SELECT i.item_id, i.campaign_id, c.status, i.review_state, i.result, i.assessor_id FROM campaign_items i JOIN campaigns c ON c.id = i.campaign_id
     WHERE i.firm_id = $1 AND i.id = $2 FOR UPDATE OF i`, [firmId, campaignItemId],
  )).rows[0];
  if (!item) throw notFound('查核項目', campaignItemId);
  const block = findEditBlock(item.status, { reviewState: item.review_state, result: item.result, assessorId: item.assessor_id });
  if (block) {
    throw new AppError(item.status === 'approved' ? 'LOCKED' : 'INVALID_STATE', `${item.item_id}：${block.message}，不能連結佐證`, {
      messageEn: `${item.item_id}: ${block.messageEn}; evidence cannot be linked to it`, issues: [{ where: field, message: block.messageEn }],
    });
  }
  await tx.query(
    `INSERT INTO campaign_item_evidence (campaign_item_id, evidence_id, firm_id, evidence_version, sha256, evidence_title)
     SELECT $1, $2, $3, $4, $5, title FROM evidence WHERE id = $2 ON CONFLICT DO NOTHING`,
    [campaignItemId, evidenceId, firmId, pinned.version, pinned.sha256],
  );
  await tx.query('UPDATE campaign_items SET revision = revision + 1 WHERE id = $1', [campaignItemId]);
  await appendAuditEvent(tx, context, {
    firmId, entity: 'campaign_item', entityId: campaignItemId, action: 'campaign_item.evidence_linked',
    after: { evidenceIds: [evidenceId], version: pinned.version, sha256: pinned.sha256 }, detail: { campaignId: item.campaign_id, itemId: item.item_id },
  });
}

/** Uploads new evidence (version 1) with its metadata. */
export async function addEvidence(
  deps: EvidenceDeps,
  context: RequestContext,
  input: { firmId: string; file: UploadedFile; metadata: EvidenceMetadata },
): Promise<EvidenceView> {
  authorize(context.actor, 'evidence:upload', input.firmId);
  const metadata = evidenceMetadataSchema.parse(input.metadata);
  const minimumRetain = addYears(metadata.collectedOn, RETENTION_YEARS);
  if (metadata.retainUntil && metadata.retainUntil < minimumRetain) {
    throw validation([{ where: 'retainUntil', message: `must be on or after ${minimumRetain} (three years after collection)` }], `保存期限不得早於蒐集日後三年（${minimumRetain}）`);
  }
  if (metadata.validUntil && metadata.validUntil < metadata.collectedOn) {
    throw validation([{ where: 'validUntil', message: 'must not be before collectedOn' }], '有效期限不得早於蒐集日');
  }
  const blob = await storeUpload(deps, input.file);
  const id = randomUUID();
  try {
    return await inTenantTransaction(deps.db, [input.firmId], async (tx) => {
      await checkItemIds(tx, metadata.itemIds);
      await checkMember(tx, input.firmId, metadata.ownerId, 'ownerId');
      await tx.query(
        `INSERT INTO evidence (id, firm_id, title, description, owner_id, collected_on, valid_until, retain_until, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [id, input.firmId, metadata.title, metadata.description ?? null, metadata.ownerId ?? context.actor.userId,
          metadata.collectedOn, metadata.validUntil ?? null, metadata.retainUntil ?? minimumRetain, context.actor.userId],
      );
      await insertVersion(tx, context, input.firmId, id, 1, input.file, blob);
      for (const itemId of new Set(metadata.itemIds)) {
        await tx.query('INSERT INTO evidence_items (evidence_id, firm_id, item_id) VALUES ($1, $2, $3)', [id, input.firmId, itemId]);
      }
      for (const [index, campaignItemId] of [...new Set(metadata.campaignItemIds ?? [])].entries()) {
        await linkToCampaignItem(tx, context, input.firmId, campaignItemId, id, { version: 1, sha256: blob.sha256 }, `campaignItemIds.${index}`);
      }
      await appendAuditEvent(tx, context, {
        firmId: input.firmId, entity: 'evidence', entityId: id, action: 'evidence.uploaded',
        after: { ...metadata, sha256: blob.sha256, size: blob.size, mime: blob.mime, fileName: input.file.fileName },
      });
      return (await loadEvidenceViews(tx, [await findEvidenceRow(tx, input.firmId, id)], todayInTaipei()))[0];
    });
  } catch (error) {
    await removeBlobIfUnreferenced(deps, blob);
    throw error;
  }
}

/** Uploads a new version of existing evidence (version n + 1). */
export async function addEvidenceVersion(
  deps: EvidenceDeps,
  context: RequestContext,
  input: { firmId: string; evidenceId: string; file: UploadedFile },
): Promise<EvidenceView> {
  authorize(context.actor, 'evidence:upload', input.firmId);
  await inTenantTransaction(deps.db, [input.firmId], (tx) => findEvidenceRow(tx, input.firmId, input.evidenceId));
  const blob = await storeUpload(deps, input.file);
  try {
    return await inTenantTransaction(deps.db, [input.firmId], async (tx) => {
      const row = await findEvidenceRow(tx, input.firmId, input.evidenceId, true);
      if (row.deleted_at !== null) throw new AppError('INVALID_STATE', '此佐證資料已刪除', { messageEn: 'the evidence was deleted' });
      const next = (await tx.query<{ next: number }>(
        'SELECT coalesce(max(version), 0) + 1 AS next FROM evidence_versions WHERE evidence_id = $1', [input.evidenceId],
      )).rows[0].next;
      await insertVersion(tx, context, input.firmId, input.evidenceId, Number(next), input.file, blob);
      // Items still being assessed follow the new version; submitted and approved ones keep what was reviewed.
      await tx.query(
        `UPDATE campaign_item_evidence l SET evidence_version = $2, sha256 = $3
         FROM campaign_items i JOIN campaigns c ON c.id = i.campaign_id
         WHERE l.evidence_id = $1 AND i.id = l.campaign_item_id AND i.review_state IN ('pending', 'returned') AND c.status <> 'approved'`,
        [input.evidenceId, Number(next), blob.sha256],
      );
      await appendAuditEvent(tx, context, {
        firmId: input.firmId, entity: 'evidence', entityId: input.evidenceId, action: 'evidence.version_uploaded',
        after: { version: Number(next), sha256: blob.sha256, size: blob.size, mime: blob.mime, fileName: input.file.fileName },
      });
      return (await loadEvidenceViews(tx, [row], todayInTaipei()))[0];
    });
  } catch (error) {
    await removeBlobIfUnreferenced(deps, blob);
    throw error;
  }
}

export const evidenceFilterSchema = z.object({
  itemId: z.string().max(100).optional(),
  /** Only evidence past its validity date. */
  expired: z.stringbool().optional(),
  /** Only evidence expiring within this many days (expired included). */
  expiringWithinDays: z.coerce.number().int().min(0).max(3650).optional(),
  includeDeleted: z.stringbool().optional(),
});
export type EvidenceFilter = z.infer<typeof evidenceFilterSchema>;

export async function listEvidence(db: Database, context: RequestContext, input: { firmId: string; filter?: EvidenceFilter; today?: string }): Promise<EvidenceView[]> {
  authorize(context.actor, 'evidence:read', input.firmId);
  const filter = input.filter ?? {};
  const today = input.today ?? todayInTaipei();
  return inTenantTransaction(db, [input.firmId], async (tx) => {
    const where = ['firm_id = $1'];
    const params: unknown[] = [input.firmId];
    if (!filter.includeDeleted) where.push('deleted_at IS NULL');
    if (filter.itemId) {
      params.push(filter.itemId);
      where.push(`id IN (SELECT evidence_id FROM evidence_items WHERE item_id = $${params.length})`);
    }
    if (filter.expired) {
      params.push(today);
      where.push(`valid_until < $${params.length}::date`);
    }
    if (filter.expiringWithinDays !== undefined) {
      params.push(today, filter.expiringWithinDays);
      where.push(`valid_until <= $${params.length - 1}::date + $${params.length}::int`);
    }
    const rows = (await tx.query<EvidenceRow>(`SELECT ${EVIDENCE_COLUMNS} FROM evidence WHERE ${where.join(' AND ')} ORDER BY collected_on DESC, title`, params)).rows;
    return loadEvidenceViews(tx, rows, today);
  });
}

export async function getEvidence(db: Database, context: RequestContext, input: { firmId: string; evidenceId: string }): Promise<EvidenceView> {
  authorize(context.actor, 'evidence:read', input.firmId);
  return inTenantTransaction(db, [input.firmId], async (tx) =>
    (await loadEvidenceViews(tx, [await findEvidenceRow(tx, input.firmId, input.evidenceId)], todayInTaipei()))[0]);
}

export async function updateEvidence(
  db: Database,
  context: RequestContext,
  input: { firmId: string; evidenceId: string; changes: z.infer<typeof evidenceUpdateSchema> },
): Promise<EvidenceView> {
  authorize(context.actor, 'evidence:upload', input.firmId);
  const changes = evidenceUpdateSchema.parse(input.changes);
  return inTenantTransaction(db, [input.firmId], async (tx) => {
    const before = await findEvidenceRow(tx, input.firmId, input.evidenceId, true);
    if (before.deleted_at !== null) throw new AppError('INVALID_STATE', '此佐證資料已刪除', { messageEn: 'the evidence was deleted' });
    const minimumRetain = addYears(before.collected_on, RETENTION_YEARS);
    if (changes.retainUntil && changes.retainUntil < minimumRetain) {
      throw validation([{ where: 'retainUntil', message: `must be on or after ${minimumRetain}` }], `保存期限不得早於蒐集日後三年（${minimumRetain}）`);
    }
    await checkMember(tx, input.firmId, changes.ownerId, 'ownerId');
    await tx.query(
      `UPDATE evidence SET title = coalesce($3, title),
         description = CASE WHEN $4::boolean THEN $5 ELSE description END,
         valid_until = CASE WHEN $6::boolean THEN $7::date ELSE valid_until END,
         retain_until = coalesce($8::date, retain_until),
         owner_id = CASE WHEN $9::boolean THEN $10::uuid ELSE owner_id END
       WHERE firm_id = $1 AND id = $2`,
      [input.firmId, input.evidenceId, changes.title ?? null, changes.description !== undefined, changes.description ?? null,
        changes.validUntil !== undefined, changes.validUntil ?? null, changes.retainUntil ?? null, changes.ownerId !== undefined, changes.ownerId ?? null],
    );
    if (changes.itemIds) {
      await checkItemIds(tx, changes.itemIds);
      await tx.query('DELETE FROM evidence_items WHERE evidence_id = $1', [input.evidenceId]);
      for (const itemId of new Set(changes.itemIds)) {
        await tx.query('INSERT INTO evidence_items (evidence_id, firm_id, item_id) VALUES ($1, $2, $3)', [input.evidenceId, input.firmId, itemId]);
      }
    }
    const after = await findEvidenceRow(tx, input.firmId, input.evidenceId);
    if (changes.title !== undefined) {
      // Items still being assessed show the new title; submitted and approved ones keep the reviewed one.
      await tx.query(
        `UPDATE campaign_item_evidence l SET evidence_title = $2
         FROM campaign_items i JOIN campaigns c ON c.id = i.campaign_id
         WHERE l.evidence_id = $1 AND i.id = l.campaign_item_id AND i.review_state IN ('pending', 'returned') AND c.status <> 'approved'`,
        [input.evidenceId, after.title],
      );
    }
    await appendAuditEvent(tx, context, { firmId: input.firmId, entity: 'evidence', entityId: input.evidenceId, action: 'evidence.updated', before, after: { ...after, itemIds: changes.itemIds } });
    return (await loadEvidenceViews(tx, [after], todayInTaipei()))[0];
  });
}

/**
 * Deletes evidence whose retention has ended: the record stays (marked deleted, for the audit
 * trail) and its files go; the sweep removes the blobs once nothing refers to them.
 */
export async function deleteEvidence(
  deps: Pick<EvidenceDeps, 'db'>,
  context: RequestContext,
  input: { firmId: string; evidenceId: string; reason: string; today?: string },
): Promise<{ deleted: true }> {
  authorize(context.actor, 'evidence:delete', input.firmId);
  const today = input.today ?? todayInTaipei();
  return inTenantTransaction(deps.db, [input.firmId], async (tx) => {
    const row = await findEvidenceRow(tx, input.firmId, input.evidenceId, true);
    if (row.deleted_at !== null) throw new AppError('INVALID_STATE', '此佐證資料已刪除', { messageEn: 'the evidence was already deleted' });
    if (today < row.retain_until) {
      throw new AppError('INVALID_STATE', `佐證資料須保存至 ${row.retain_until}（蒐集日 ${row.collected_on} 起至少三年，CSIM 8.(4) c.），在此之前不能刪除`, {
        messageEn: `evidence must be kept until ${row.retain_until} (at least three years from collection on ${row.collected_on}, CSIM 8.(4) c.); it cannot be deleted before then`,
        retainUntil: row.retain_until,
      });
    }
    const versions = (await tx.query<{ sha256: string }>('SELECT sha256 FROM evidence_versions WHERE evidence_id = $1', [input.evidenceId])).rows;
    await tx.query('DELETE FROM evidence_versions WHERE evidence_id = $1', [input.evidenceId]);
    await tx.query('UPDATE evidence SET deleted_at = now() WHERE id = $1', [input.evidenceId]);
    await appendAuditEvent(tx, context, {
      firmId: input.firmId, entity: 'evidence', entityId: input.evidenceId, action: 'evidence.deleted', before: row,
      detail: { reason: input.reason, sha256: versions.map((version) => version.sha256) },
    });
    return { deleted: true as const };
  });
}

export interface EvidenceDownload {
  fileName: string;
  mime: string;
  size: number;
  sha256: string;
  stream: Readable;
}

/** Opens a version (the latest by default) for download and records the download in the audit trail. */
export async function openEvidenceDownload(
  deps: Pick<EvidenceDeps, 'db' | 'blobs'>,
  context: RequestContext,
  input: { firmId: string; evidenceId: string; version?: number },
): Promise<EvidenceDownload> {
  authorize(context.actor, 'evidence:read', input.firmId);
  const version = await inTenantTransaction(deps.db, [input.firmId], async (tx) => {
    await findEvidenceRow(tx, input.firmId, input.evidenceId);
    const found = (await tx.query<VersionRow>(
      `SELECT evidence_id, version, file_name, mime, size, sha256, uploaded_by, uploaded_at FROM evidence_versions
       WHERE evidence_id = $1 ${input.version ? 'AND version = $2' : ''} ORDER BY version DESC LIMIT 1`,
      input.version ? [input.evidenceId, input.version] : [input.evidenceId],
    )).rows[0];
    if (!found) throw notFound('佐證資料版本', `${input.evidenceId}${input.version ? ` v${input.version}` : ''}`);
    await appendAuditEvent(tx, context, {
      firmId: input.firmId, entity: 'evidence', entityId: input.evidenceId, action: 'evidence.downloaded',
      detail: { version: found.version, sha256: found.sha256, fileName: found.file_name },
    });
    return found;
  });
  if (!(await deps.blobs.has(version.sha256))) {
    throw new AppError('NOT_FOUND', `佐證檔案遺失：${version.file_name}`, { messageEn: `stored file missing: ${version.file_name}` });
  }
  return { fileName: version.file_name, mime: version.mime, size: Number(version.size), sha256: version.sha256, stream: deps.blobs.get(version.sha256) };
}

export interface SweepReport {
  removedFiles: string[];
  removedRows: number;
  removedTemp: number;
}

/**
 * Removes blobs no evidence version refers to (files and rows) and unfinished temp files, when
 * older than `graceMs` (an upload in flight has written its file but not yet committed its rows).
 */
export async function sweepOrphanBlobs(
  deps: Pick<EvidenceDeps, 'db' | 'blobs'>,
  options: { graceMs?: number; now?: Date } = {},
): Promise<SweepReport> {
  const now = options.now ?? new Date();
  const cutoff = new Date(now.getTime() - (options.graceMs ?? 60 * 60 * 1000));
  const removedTemp = await deps.blobs.removeStaleTemp(cutoff);
  const candidates: string[] = [];
  const storedAt = new Map<string, Date>();
  for await (const blob of deps.blobs.list()) {
    if (blob.storedAt < cutoff) {
      candidates.push(blob.sha256);
      storedAt.set(blob.sha256, blob.storedAt);
    }
  }
  const removedFiles: string[] = [];
  let removedRows = 0;
  await inTenantTransaction(deps.db, '*', async (tx) => {
    const referenced = new Set((await tx.query<{ sha256: string }>(
      'SELECT DISTINCT sha256 FROM evidence_versions WHERE sha256 = ANY($1::text[])', [candidates],
    )).rows.map((row) => row.sha256));
    for (const sha256 of candidates) {
      if (!referenced.has(sha256)) removedFiles.push(sha256);
    }
    const rows = await tx.query<{ sha256: string }>(
      `DELETE FROM blobs b WHERE b.created_at < $1 AND NOT EXISTS (SELECT 1 FROM evidence_versions v WHERE v.sha256 = b.sha256)
       RETURNING sha256`,
      [cutoff.toISOString()],
    );
    removedRows = rows.rows.length;
    for (const row of rows.rows) {
      if (!removedFiles.includes(row.sha256) && (await deps.blobs.has(row.sha256))) removedFiles.push(row.sha256);
    }
    if (removedFiles.length > 0 || removedRows > 0 || removedTemp > 0) {
      await appendAuditEvent(tx, systemContext('job'), {
        firmId: null, entity: 'blob', action: 'blob.orphans_swept', detail: { removedFiles, removedRows, removedTemp },
      });
    }
  });
  // A blob touched since it was listed is being uploaded again (about to gain a row): it is kept.
  const removed: string[] = [];
  for (const sha256 of removedFiles) {
    if (await deps.blobs.remove(sha256, storedAt.get(sha256) ?? cutoff)) removed.push(sha256);
  }
  return { removedFiles: removed, removedRows, removedTemp };
}
