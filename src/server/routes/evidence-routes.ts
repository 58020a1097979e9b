/**
 * /api/v1/firms/:firmId/evidence: the evidence vault (multipart uploads, versions, audited
 * downloads, retention-checked deletion). Also schedules the orphan-blob sweep: once when the app
 * is ready and then every hour.
 */
import { z } from 'zod';
import type { MultipartFile } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import type { App, AppDeps } from '../app.ts';
import { requestContext } from '../app.ts';
import { AppError, validation } from '../errors.ts';
import { firmScope } from './index.ts';
import {
  addEvidence,
  addEvidenceVersion,
  deleteEvidence,
  evidenceFilterSchema,
  evidenceMetadataSchema,
  evidenceUpdateSchema,
  getEvidence,
  listEvidence,
  openEvidenceDownload,
  sweepOrphanBlobs,
  updateEvidence,
  type EvidenceDeps,
} from '../evidence/evidence-service.ts';

const firmParams = z.object({ firmId: z.uuid() });
const evidenceParams = z.object({ firmId: z.uuid(), evidenceId: z.uuid() });
const tags = ['evidence'];
const SWEEP_INTERVAL_MS = 60 * 60 * 1000;

/** The file part of a multipart request, with the fields sent before it. */
async function readUpload(request: FastifyRequest): Promise<MultipartFile> {
  if (!request.isMultipart()) {
    throw new AppError('VALIDATION', '請以 multipart/form-data 上傳檔案', { messageEn: 'send the file as multipart/form-data', issues: [{ where: 'body', message: 'not multipart' }] });
  }
  const file = await request.file();
  if (!file) throw new AppError('VALIDATION', '請附上檔案', { messageEn: 'attach a file', issues: [{ where: 'file', message: 'missing' }] });
  return file;
}

function fieldValue(file: MultipartFile, name: string): string | undefined {
  const field = file.fields[name];
  const entry = Array.isArray(field) ? field[0] : field;
  return entry && entry.type === 'field' ? String(entry.value) : undefined;
}

function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

export async function registerEvidenceRoutes(app: App, deps: AppDeps): Promise<void> {
  const evidenceDeps: EvidenceDeps = { db: deps.db, blobs: deps.blobs, maxUploadBytes: deps.config.maxUploadBytes };

  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> | null = null;
  const sweep = () => {
    running ??= sweepOrphanBlobs(evidenceDeps)
      .catch((error: unknown) => app.log.error({ err: error }, 'orphan blob sweep failed'))
      .finally(() => { running = null; });
    return running;
  };
  app.addHook('onReady', async () => {
    void sweep();
    timer = setInterval(() => void sweep(), SWEEP_INTERVAL_MS);
    timer.unref();
  });
  app.addHook('onClose', async () => {
    if (timer) clearInterval(timer);
    // Let a sweep in flight finish before the database closes under it.
    await running;
  });

  app.get('/api/v1/firms/:firmId/evidence', {
    schema: { tags, summary: '佐證資料清單（可篩選已過期、即將到期）', params: firmParams, querystring: evidenceFilterSchema },
  }, async (request) => {
    const firmId = firmScope(request, 'evidence:read');
    return { evidence: await listEvidence(deps.db, requestContext(request), { firmId, filter: request.query }) };
  });

  app.post('/api/v1/firms/:firmId/evidence', {
    schema: {
      tags,
      summary: '上傳佐證資料（multipart：先送 metadata 欄位〔JSON〕再送 file）',
      description: `metadata: ${JSON.stringify(z.toJSONSchema(evidenceMetadataSchema, { io: 'input' }))}`,
      params: firmParams,
      consumes: ['multipart/form-data'],
    },
  }, async (request, reply) => {
    const firmId = firmScope(request, 'evidence:upload');
    const file = await readUpload(request);
    const raw = fieldValue(file, 'metadata');
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw ?? '');
    } catch {
      file.file.resume();
      throw validation([{ where: 'metadata', message: 'a JSON object sent before the file is required' }], '缺少 metadata 欄位（JSON，須在檔案之前送出）');
    }
    const metadata = evidenceMetadataSchema.safeParse(parsed);
    if (!metadata.success) {
      file.file.resume();
      throw validation(metadata.error.issues.map((issue) => ({ where: `metadata.${issue.path.join('.')}`, message: issue.message })));
    }
    const created = await addEvidence(evidenceDeps, requestContext(request), { firmId, file: { fileName: file.filename, stream: file.file, isTruncated: () => file.file.truncated }, metadata: metadata.data });
    return reply.status(201).send(created);
  });

  app.get('/api/v1/firms/:firmId/evidence/:evidenceId', {
    schema: { tags, summary: '佐證資料與其版本', params: evidenceParams },
  }, async (request) => {
    const firmId = firmScope(request, 'evidence:read');
    return getEvidence(deps.db, requestContext(request), { firmId, evidenceId: request.params.evidenceId });
  });

  app.patch('/api/v1/firms/:firmId/evidence/:evidenceId', {
    schema: { tags, summary: '修改佐證資料說明、適用項目、期限', params: evidenceParams, body: evidenceUpdateSchema },
  }, async (request) => {
    const firmId = firmScope(request, 'evidence:upload');
    return updateEvidence(deps.db, requestContext(request), { firmId, evidenceId: request.params.evidenceId, changes: request.body });
  });

  app.post('/api/v1/firms/:firmId/evidence/:evidenceId/versions', {
    schema: { tags, summary: '上傳新版本', params: evidenceParams, consumes: ['multipart/form-data'] },
  }, async (request, reply) => {
    const firmId = firmScope(request, 'evidence:upload');
    const file = await readUpload(request);
    const updated = await addEvidenceVersion(evidenceDeps, requestContext(request), { firmId, evidenceId: request.params.evidenceId, file: { fileName: file.filename, stream: file.file, isTruncated: () => file.file.truncated } });
    return reply.status(201).send(updated);
  });

  app.get('/api/v1/firms/:firmId/evidence/:evidenceId/download', {
    schema: { tags, summary: '下載（預設最新版本；下載會記錄於稽核軌跡）', params: evidenceParams, querystring: z.object({ version: z.coerce.number().int().min(1).optional() }) },
  }, async (request, reply) => {
    const firmId = firmScope(request, 'evidence:read');
    const download = await openEvidenceDownload(deps, requestContext(request), { firmId, evidenceId: request.params.evidenceId, version: request.query.version });
    return reply
      .type(download.mime)
      .header('content-length', download.size)
      .header('content-disposition', contentDisposition(download.fileName))
      .header('x-content-type-options', 'nosniff')
      .send(download.stream);
  });

  app.delete('/api/v1/firms/:firmId/evidence/:evidenceId', {
    schema: { tags, summary: '刪除（保存期限屆滿後才可刪除）', params: evidenceParams, body: z.object({ reason: z.string().trim().min(1).max(2000) }) },
  }, async (request) => {
    const firmId = firmScope(request, 'evidence:delete');
    return deleteEvidence(deps, requestContext(request), { firmId, evidenceId: request.params.evidenceId, reason: request.body.reason });
  });
}
