/** /api/v1/firms/:firmId/reports/<kind>.pdf: the board, follow-up and campaign reports as PDF (audited exports). */
import { z } from 'zod';
import type { FastifyReply } from 'fastify';
import type { App, AppDeps } from '../app.ts';
import { requestContext } from '../app.ts';
import { firmScope } from './index.ts';
import {
  boardReportQuerySchema,
  campaignReportQuerySchema,
  exportReportPdf,
  followUpReportQuerySchema,
  type ExportedReport,
} from '../reports/report-service.ts';
import { closePdfPrinter } from '../reports/pdf-printer.ts';

const firmParams = z.object({ firmId: z.uuid() });
const tags = ['reports'];

function sendPdf(reply: FastifyReply, report: ExportedReport) {
  return reply
    .type('application/pdf')
    .header('content-disposition', `attachment; filename="${report.fileName}"; filename*=UTF-8''${encodeURIComponent(`${report.title}.pdf`)}`)
    .header('x-content-sha256', report.sha256)
    .send(report.pdf);
}

export async function registerReportRoutes(app: App, deps: AppDeps): Promise<void> {
  // The browser is shared by the process; close it with the server.
  app.addHook('onClose', async () => closePdfPrinter());

  app.get('/api/v1/firms/:firmId/reports/board.pdf', {
    schema: { tags, summary: '資訊安全整體執行情形報告（董事會，CSIM 2.(6)）PDF', params: firmParams, querystring: boardReportQuerySchema },
  }, async (request, reply) => {
    const firmId = firmScope(request, 'report:read');
    return sendPdf(reply, await exportReportPdf(deps.db, requestContext(request), { kind: 'board', firmId, year: request.query.year }));
  });

  app.get('/api/v1/firms/:firmId/reports/followup.pdf', {
    schema: { tags, summary: '缺失追蹤改善報告（CSIM 11.(2)）PDF', params: firmParams, querystring: followUpReportQuerySchema },
  }, async (request, reply) => {
    const firmId = firmScope(request, 'report:read');
    return sendPdf(reply, await exportReportPdf(deps.db, requestContext(request), { kind: 'followup', firmId, ...request.query }));
  });

  app.get('/api/v1/firms/:firmId/reports/campaign.pdf', {
    schema: { tags, summary: '自行查核報告 PDF', params: firmParams, querystring: campaignReportQuerySchema },
  }, async (request, reply) => {
    const firmId = firmScope(request, 'report:read');
    return sendPdf(reply, await exportReportPdf(deps.db, requestContext(request), { kind: 'campaign', firmId, campaignId: request.query.campaignId }));
  });
}
