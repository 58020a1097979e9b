/** /api/v1/firms/:firmId/campaigns: self-inspection campaigns, items, review, reopening, checklist sheets. */
import { z } from 'zod';
import type { App, AppDeps } from '../app.ts';
import { requestContext } from '../app.ts';
import { AppError } from '../errors.ts';
import { firmScope } from './index.ts';
import {
  assessItem,
  assessItemSchema,
  bulkAssessItems,
  bulkAssessSchema,
  campaignFilterSchema,
  carryForwardEvidence,
  createCampaign,
  createCampaignSchema,
  exportCampaignXlsx,
  getCampaign,
  importCampaignXlsx,
  itemFilterSchema,
  listCampaignItems,
  listCampaigns,
  reopenCampaign,
  reopenSchema,
  reviewItems,
  reviewSchema,
  submitForReview,
  submitSchema,
} from '../assessments/campaign-service.ts';

const firmParams = z.object({ firmId: z.uuid() });
const campaignParams = z.object({ firmId: z.uuid(), campaignId: z.uuid() });
const itemParams = campaignParams.extend({ itemId: z.string().min(1).max(100) });
const tags = ['campaigns'];

export async function registerCampaignRoutes(app: App, deps: AppDeps): Promise<void> {
  app.get('/api/v1/firms/:firmId/campaigns', {
    schema: { tags, summary: '自行查核清單', params: firmParams, querystring: campaignFilterSchema },
  }, async (request) => {
    const firmId = firmScope(request, 'campaign:read');
    return { campaigns: await listCampaigns(deps.db, requestContext(request), { firmId, filter: request.query }) };
  });

  app.post('/api/v1/firms/:firmId/campaigns', {
    schema: { tags, summary: '建立自行查核（僅含本期適用項目）', params: firmParams, body: createCampaignSchema },
  }, async (request, reply) => {
    const firmId = firmScope(request, 'campaign:create');
    return reply.status(201).send(await createCampaign(deps.db, requestContext(request), { firmId, ...request.body }));
  });

  app.get('/api/v1/firms/:firmId/campaigns/:campaignId', {
    schema: { tags, summary: '自行查核與各章節進度', params: campaignParams },
  }, async (request) => {
    const firmId = firmScope(request, 'campaign:read');
    return getCampaign(deps.db, requestContext(request), { firmId, campaignId: request.params.campaignId });
  });

  app.get('/api/v1/firms/:firmId/campaigns/:campaignId/items', {
    schema: { tags, summary: '查核項目（可依章節、結果、覆核狀態篩選）', params: campaignParams, querystring: itemFilterSchema },
  }, async (request) => {
    const firmId = firmScope(request, 'campaign:read');
    return { items: await listCampaignItems(deps.db, requestContext(request), { firmId, campaignId: request.params.campaignId, filter: request.query }) };
  });

  app.put('/api/v1/firms/:firmId/campaigns/:campaignId/items/:itemId', {
    schema: { tags, summary: '評核單一項目（須帶 revision，過期則 409）', params: itemParams, body: assessItemSchema },
  }, async (request) => {
    const firmId = firmScope(request, 'campaign:assess');
    return assessItem(deps.db, requestContext(request), { firmId, campaignId: request.params.campaignId, itemId: request.params.itemId, ...request.body });
  });

  app.post('/api/v1/firms/:firmId/campaigns/:campaignId/items/bulk', {
    schema: { tags, summary: '批次評核多個項目', params: campaignParams, body: bulkAssessSchema },
  }, async (request) => {
    const firmId = firmScope(request, 'campaign:assess');
    return bulkAssessItems(deps.db, requestContext(request), { firmId, campaignId: request.params.campaignId, ...request.body });
  });

  app.post('/api/v1/firms/:firmId/campaigns/:campaignId/submit', {
    schema: { tags, summary: '送覆核', params: campaignParams, body: submitSchema },
  }, async (request) => {
    const firmId = firmScope(request, 'campaign:assess');
    return submitForReview(deps.db, requestContext(request), { firmId, campaignId: request.params.campaignId, itemIds: request.body.itemIds });
  });

  app.post('/api/v1/firms/:firmId/campaigns/:campaignId/review', {
    schema: { tags, summary: '覆核（核准或退回；覆核人不可為評核人）', params: campaignParams, body: reviewSchema },
  }, async (request) => {
    const firmId = firmScope(request, 'campaign:review');
    return reviewItems(deps.db, requestContext(request), { firmId, campaignId: request.params.campaignId, ...request.body });
  });

  app.post('/api/v1/firms/:firmId/campaigns/:campaignId/reopen', {
    schema: { tags, summary: '重新開啟（須說明理由）', params: campaignParams, body: reopenSchema },
  }, async (request) => {
    const firmId = firmScope(request, 'campaign:reopen');
    return reopenCampaign(deps.db, requestContext(request), { firmId, campaignId: request.params.campaignId, ...request.body });
  });

  app.post('/api/v1/firms/:firmId/campaigns/:campaignId/carry-forward', {
    schema: { tags, summary: '帶入上期仍有效的佐證資料', params: campaignParams },
  }, async (request) => {
    const firmId = firmScope(request, 'campaign:assess');
    return carryForwardEvidence(deps.db, requestContext(request), { firmId, campaignId: request.params.campaignId });
  });

  app.get('/api/v1/firms/:firmId/campaigns/:campaignId/checklist.xlsx', {
    schema: { tags, summary: '匯出檢核表（Excel）', params: campaignParams },
  }, async (request, reply) => {
    const firmId = firmScope(request, 'campaign:export');
    const exported = await exportCampaignXlsx(deps.db, requestContext(request), { firmId, campaignId: request.params.campaignId });
    return reply
      .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', `attachment; filename="${exported.fileName}"`)
      .send(exported.buffer);
  });

  app.post('/api/v1/firms/:firmId/campaigns/:campaignId/checklist.xlsx', {
    schema: { tags, summary: '匯入離線填寫的檢核表（整份無誤才套用）', params: campaignParams, consumes: ['multipart/form-data'] },
  }, async (request) => {
    const firmId = firmScope(request, 'campaign:import');
    const file = await request.file();
    if (!file) throw new AppError('VALIDATION', '請附上檢核表檔案', { messageEn: 'attach the checklist file', issues: [{ where: 'file', message: 'missing' }] });
    const buffer = await file.toBuffer();
    return importCampaignXlsx(deps.db, requestContext(request), { firmId, campaignId: request.params.campaignId, buffer });
  });
}
