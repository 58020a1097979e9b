/**
 * /api/v1/firms/:firmId/checks: the automated checks. List them, run one on uploaded files (multipart)
 * or, for tls, on a live `target` host:port,
 * browse the history, attach a run as evidence, raise a deficiency from a failed finding, and schedule
 * live targets (tls host:port). Importing this module also registers the schedule job handler.
 */
import { z } from 'zod';
import type { App, AppDeps } from '../app.ts';
import { requestContext } from '../app.ts';
import { AppError, validation } from '../errors.ts';
import { jobHandlers } from '../jobs/jobs.ts';
import { buildCheckInput } from '../../domain/checks/registry.ts';
import type { CheckInput } from '../../domain/checks/types.ts';
import {
  SCHEDULE_JOB_NAME,
  attachEvidenceSchema,
  attachRunAsEvidence,
  checkNameSchema,
  createSchedule,
  createScheduleSchema,
  getRun,
  listAvailableChecks,
  listRuns,
  listSchedules,
  raiseDeficiencyFromFinding,
  raiseDeficiencySchema,
  readUploadTarget,
  removeSchedule,
  runDueSchedules,
  runListQuerySchema,
  runOptionsSchema,
  runUploadedCheck,
  setScheduleEnabled,
  updateScheduleSchema,
} from '../checks/check-service.ts';
import { firmScope } from './index.ts';

/**
 * Runs due check schedules; pg-boss should fire it every minute (see `cron`). A pass that outlasts the
 * minute is not overlapped by the next one in this process, so a slow target is not checked twice.
 */
let isSchedulePassRunning = false;
const scheduleJob = {
  name: SCHEDULE_JOB_NAME,
  cron: '* * * * *',
  handler: async (runtime: Parameters<(typeof jobHandlers)[number]['handler']>[0]) => {
    if (isSchedulePassRunning) {
      return;
    }
    isSchedulePassRunning = true;
    try {
      await runDueSchedules(runtime);
    } finally {
      isSchedulePassRunning = false;
    }
  },
};
if (!jobHandlers.some((entry) => entry.name === SCHEDULE_JOB_NAME)) {
  jobHandlers.push(scheduleJob);
}

const firmParams = z.object({ firmId: z.uuid() });
const runParams = z.object({ firmId: z.uuid(), runId: z.uuid() });
const scheduleParams = z.object({ firmId: z.uuid(), scheduleId: z.uuid() });

export async function registerCheckRoutes(app: App, deps: AppDeps): Promise<void> {
  app.get('/api/v1/firms/:firmId/checks', {
    schema: { tags: ['checks'], summary: '可用的自動化檢查', params: firmParams },
  }, async (request) => {
    const firmId = firmScope(request, 'check:read');
    return { checks: await listAvailableChecks(deps, requestContext(request), firmId) };
  });

  app.post('/api/v1/firms/:firmId/checks/:check/runs', {
    schema: {
      tags: ['checks'],
      summary: '上傳檔案執行檢查（multipart：files…，options 為 JSON；tls 可改給 target＝host:port 即時檢查）',
      params: z.object({ firmId: z.uuid(), check: checkNameSchema }),
      consumes: ['multipart/form-data'],
    },
  }, async (request, reply) => {
    const firmId = firmScope(request, 'check:run');
    if (!request.isMultipart()) {
      throw new AppError('UNSUPPORTED_MEDIA', '請以 multipart/form-data 上傳檔案', { messageEn: 'send the files as multipart/form-data' });
    }
    const files: CheckInput[] = [];
    let rawOptions: unknown = {};
    let target: string | undefined;
    let totalBytes = 0;
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        const buffer = await part.toBuffer();
        totalBytes += buffer.length;
        if (totalBytes > deps.config.maxUploadBytes) {
          throw new AppError('PAYLOAD_TOO_LARGE', `上傳檔案合計超過上限 ${Math.round(deps.config.maxUploadBytes / 1048576)} MB`, { messageEn: 'uploaded files exceed the size limit together' });
        }
        files.push(buildCheckInput(part.filename || `file-${files.length + 1}`, new Uint8Array(buffer)));
      } else if (part.fieldname === 'options') {
        try {
          rawOptions = JSON.parse(String(part.value));
        } catch {
          throw validation([{ where: 'options', message: 'must be JSON' }], 'options 欄位須為 JSON');
        }
      } else if (part.fieldname === 'target') {
        target = String(part.value);
      } else if (part.fieldname === 'at' || part.fieldname === 'format') {
        rawOptions = { ...(rawOptions as object), [part.fieldname]: String(part.value) };
      }
    }
    const parsed = runOptionsSchema.safeParse(rawOptions);
    if (!parsed.success) {
      throw validation(parsed.error.issues.map((issue) => ({ where: `options.${issue.path.join('.')}`, message: issue.message })));
    }
    // A live target (tls host:port) instead of files: checked now, without creating a schedule.
    const inputs = target !== undefined ? [readUploadTarget(request.params.check, target, files.length)] : files;
    const { run, result } = await runUploadedCheck(deps, requestContext(request), {
      firmId, check: request.params.check, files: inputs, options: parsed.data,
    });
    return reply.status(201).send({ run, result });
  });

  app.get('/api/v1/firms/:firmId/checks/runs', {
    schema: { tags: ['checks'], summary: '檢查紀錄', params: firmParams, querystring: runListQuerySchema },
  }, async (request) => {
    const firmId = firmScope(request, 'check:read');
    return listRuns(deps.db, requestContext(request), { firmId, query: request.query });
  });

  app.get('/api/v1/firms/:firmId/checks/runs/:runId', {
    schema: { tags: ['checks'], summary: '一次檢查的結果', params: runParams },
  }, async (request) => {
    const firmId = firmScope(request, 'check:read');
    return getRun(deps.db, requestContext(request), { firmId, runId: request.params.runId });
  });

  app.post('/api/v1/firms/:firmId/checks/runs/:runId/evidence', {
    schema: { tags: ['checks'], summary: '將檢查結果存為佐證資料（連結至本期自行查核）', params: runParams, body: attachEvidenceSchema },
  }, async (request, reply) => {
    const firmId = firmScope(request, 'check:run');
    const attached = await attachRunAsEvidence(deps, requestContext(request), { firmId, runId: request.params.runId, ...request.body });
    return reply.status(attached.alreadyAttached ? 200 : 201).send(attached);
  });

  app.post('/api/v1/firms/:firmId/checks/runs/:runId/deficiencies', {
    schema: { tags: ['checks'], summary: '由不符合的檢查發現開立缺失', params: runParams, body: raiseDeficiencySchema },
  }, async (request, reply) => {
    const firmId = firmScope(request, 'deficiency:create');
    const created = await raiseDeficiencyFromFinding(deps, requestContext(request), { firmId, runId: request.params.runId, ...request.body });
    return reply.status(201).send(created);
  });

  app.get('/api/v1/firms/:firmId/checks/schedules', {
    schema: { tags: ['checks'], summary: '檢查排程', params: firmParams },
  }, async (request) => {
    const firmId = firmScope(request, 'check:read');
    return { schedules: await listSchedules(deps.db, requestContext(request), firmId) };
  });

  app.post('/api/v1/firms/:firmId/checks/schedules', {
    schema: { tags: ['checks'], summary: '新增檢查排程（tls host:port，cron 以台灣時間）', params: firmParams, body: createScheduleSchema },
  }, async (request, reply) => {
    const firmId = firmScope(request, 'check:schedule');
    return reply.status(201).send(await createSchedule(deps, requestContext(request), { firmId, ...request.body }));
  });

  app.patch('/api/v1/firms/:firmId/checks/schedules/:scheduleId', {
    schema: { tags: ['checks'], summary: '啟用或停用檢查排程', params: scheduleParams, body: updateScheduleSchema },
  }, async (request) => {
    const firmId = firmScope(request, 'check:schedule');
    return setScheduleEnabled(deps.db, requestContext(request), { firmId, scheduleId: request.params.scheduleId, enabled: request.body.enabled });
  });

  app.delete('/api/v1/firms/:firmId/checks/schedules/:scheduleId', {
    schema: { tags: ['checks'], summary: '刪除檢查排程', params: scheduleParams },
  }, async (request) => {
    const firmId = firmScope(request, 'check:schedule');
    return removeSchedule(deps.db, requestContext(request), { firmId, scheduleId: request.params.scheduleId });
  });
}
