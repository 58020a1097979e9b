/**
 * The exchange inspector: /api/v1/inspections/firms (every assigned firm side by side) and, per firm,
 * inspection findings and audit-chain verification.
 */
import { z } from 'zod';
import type { App, AppDeps } from '../app.ts';
import { requestContext } from '../app.ts';
import { firmScope } from './index.ts';
import {
  buildInspectionOverview,
  listInspectionFindings,
  overviewQuerySchema,
  recordFindingSchema,
  recordInspectionFinding,
  verifyFirmAuditChain,
} from '../inspections/inspection-service.ts';

const firmParams = z.object({ firmId: z.uuid() });
const tags = ['inspections'];

export async function registerInspectionRoutes(app: App, deps: AppDeps): Promise<void> {
  app.get('/api/v1/inspections/firms', {
    schema: {
      tags, summary: '查核人員總覽：受指派券商的分級、自行查核、符合率、缺失、逾期、稽核鏈驗證，及各章節缺失類別比較',
      querystring: overviewQuerySchema,
    },
  }, async (request) => buildInspectionOverview(deps.db, requestContext(request), request.query));

  app.get('/api/v1/firms/:firmId/inspection-findings', {
    schema: { tags, summary: '證交所查核發現', params: firmParams },
  }, async (request) => {
    const firmId = firmScope(request, 'inspection:read');
    return { findings: await listInspectionFindings(deps.db, requestContext(request), { firmId }) };
  });

  app.post('/api/v1/firms/:firmId/inspection-findings', {
    schema: { tags, summary: '記錄查核發現（可同時開立來源為證交所查核的缺失）', params: firmParams, body: recordFindingSchema },
  }, async (request, reply) => {
    const firmId = firmScope(request, 'inspection:record');
    return reply.status(201).send(await recordInspectionFinding(deps.db, requestContext(request), { firmId, ...request.body }));
  });

  app.post('/api/v1/firms/:firmId/inspection-audit-verifications', {
    schema: { tags, summary: '驗證並記錄該券商稽核雜湊鏈', params: firmParams },
  }, async (request, reply) => {
    const firmId = firmScope(request, 'audit:verify');
    return reply.status(201).send(await verifyFirmAuditChain(deps.db, requestContext(request), { firmId }));
  });
}
