/** /api/v1/firms/:firmId/deficiencies: deficiencies, their state machine and the follow-up report. */
import { z } from 'zod';
import type { App, AppDeps } from '../app.ts';
import { requestContext } from '../app.ts';
import { firmScope } from './index.ts';
import {
  buildDeficiencyReport,
  buildDeficiencyReportXlsx,
  createDeficiency,
  createDeficiencyFromItem,
  createDeficiencySchema,
  createFromItemSchema,
  deficiencyFilterSchema,
  getDeficiency,
  listDeficiencies,
  reportFilterSchema,
  transitionDeficiency,
  transitionSchema,
  updateDeficiency,
  updateDeficiencySchema,
} from '../findings/deficiency-service.ts';

const firmParams = z.object({ firmId: z.uuid() });
const deficiencyParams = z.object({ firmId: z.uuid(), deficiencyId: z.uuid() });
const tags = ['deficiencies'];

export async function registerDeficiencyRoutes(app: App, deps: AppDeps): Promise<void> {
  app.get('/api/v1/firms/:firmId/deficiencies', {
    schema: { tags, summary: '缺失清單（可依狀態、風險、逾期、天數篩選）', params: firmParams, querystring: deficiencyFilterSchema },
  }, async (request) => {
    const firmId = firmScope(request, 'deficiency:read');
    return { deficiencies: await listDeficiencies(deps.db, requestContext(request), { firmId, filter: request.query }) };
  });

  app.post('/api/v1/firms/:firmId/deficiencies', {
    schema: { tags, summary: '開立缺失', params: firmParams, body: createDeficiencySchema },
  }, async (request, reply) => {
    const firmId = firmScope(request, 'deficiency:create');
    return reply.status(201).send(await createDeficiency(deps.db, requestContext(request), { firmId, ...request.body }));
  });

  app.post('/api/v1/firms/:firmId/campaigns/:campaignId/items/:itemId/deficiency', {
    schema: {
      tags, summary: '由部分符合／不符合的查核項目開立缺失',
      params: z.object({ firmId: z.uuid(), campaignId: z.uuid(), itemId: z.string().min(1).max(100) }), body: createFromItemSchema,
    },
  }, async (request, reply) => {
    const firmId = firmScope(request, 'deficiency:create');
    return reply.status(201).send(await createDeficiencyFromItem(deps.db, requestContext(request), {
      firmId, campaignId: request.params.campaignId, itemId: request.params.itemId, ...request.body,
    }));
  });

  app.get('/api/v1/firms/:firmId/deficiencies/report', {
    schema: { tags, summary: '追蹤改善報告（CSIM 11.(2)）', params: firmParams, querystring: reportFilterSchema },
  }, async (request) => {
    const firmId = firmScope(request, 'report:read');
    return buildDeficiencyReport(deps.db, requestContext(request), { firmId, ...request.query });
  });

  app.get('/api/v1/firms/:firmId/deficiencies/report.xlsx', {
    schema: { tags, summary: '追蹤改善報告（Excel）', params: firmParams, querystring: reportFilterSchema },
  }, async (request, reply) => {
    const firmId = firmScope(request, 'report:read');
    const report = await buildDeficiencyReport(deps.db, requestContext(request), { firmId, ...request.query });
    return reply
      .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', `attachment; filename="follow-up-report-${report.generatedOn}.xlsx"`)
      .send(await buildDeficiencyReportXlsx(report));
  });

  app.get('/api/v1/firms/:firmId/deficiencies/:deficiencyId', {
    schema: { tags, summary: '缺失與其歷程', params: deficiencyParams },
  }, async (request) => {
    const firmId = firmScope(request, 'deficiency:read');
    return getDeficiency(deps.db, requestContext(request), { firmId, deficiencyId: request.params.deficiencyId });
  });

  app.patch('/api/v1/firms/:firmId/deficiencies/:deficiencyId', {
    schema: { tags, summary: '修改缺失（須帶 revision）', params: deficiencyParams, body: updateDeficiencySchema },
  }, async (request) => {
    const firmId = firmScope(request, 'deficiency:update');
    return updateDeficiency(deps.db, requestContext(request), { firmId, deficiencyId: request.params.deficiencyId, ...request.body });
  });

  app.post('/api/v1/firms/:firmId/deficiencies/:deficiencyId/transitions', {
    schema: { tags, summary: '變更狀態（結案驗證須由負責人以外的人員執行）', params: deficiencyParams, body: transitionSchema },
  }, async (request) => {
    const firmId = firmScope(request, request.body.to === 'closed' ? 'deficiency:verify' : 'deficiency:update');
    return transitionDeficiency(deps.db, requestContext(request), { firmId, deficiencyId: request.params.deficiencyId, ...request.body });
  });
}
