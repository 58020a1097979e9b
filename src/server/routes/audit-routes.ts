/** /api/v1/firms/:firmId/audit: the audit-log viewer, chain verification and exports. */
import { z } from 'zod';
import type { App, AppDeps } from '../app.ts';
import { requestContext } from '../app.ts';
import { inTenantTransaction } from '../context.ts';
import { appendAuditEvent, listAuditEvents, verifyAuditChains } from '../audit/audit-log.ts';
import { auditEventsToCsv, presentAuditEvent } from '../audit/audit-presenter.ts';

export { presentAuditEvent };
import { firmScope } from './index.ts';
import { todayInTaipei } from '../evidence/evidence-values.ts';

const filters = z.object({
  from: z.string().max(40).optional(),
  to: z.string().max(40).optional(),
  actor: z.string().max(320).optional(),
  entity: z.string().max(60).optional(),
  action: z.string().max(60).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

export async function registerAuditRoutes(app: App, deps: AppDeps): Promise<void> {
  const params = z.object({ firmId: z.uuid() });

  app.get('/api/v1/firms/:firmId/audit', { schema: { tags: ['audit'], summary: '稽核軌跡查詢', params, querystring: filters } }, async (request) => {
    const firmId = firmScope(request, 'audit:read');
    const result = await inTenantTransaction(deps.db, [firmId], (tx) => listAuditEvents(tx, { ...request.query, firmIds: [firmId], includeMemberPlatformEvents: true }));
    return { total: result.total, events: result.events.map(presentAuditEvent) };
  });

  app.get('/api/v1/firms/:firmId/audit/verify', { schema: { tags: ['audit'], summary: '驗證稽核雜湊鏈', params } }, async (request) => {
    const firmId = firmScope(request, 'audit:verify');
    return inTenantTransaction(deps.db, [firmId], (tx) => verifyAuditChains(tx, [firmId]));
  });

  app.get('/api/v1/firms/:firmId/audit/export', {
    schema: { tags: ['audit'], summary: '匯出稽核軌跡（CSV 或 JSON）', params, querystring: filters.extend({ format: z.enum(['csv', 'json']).default('csv') }) },
  }, async (request, reply) => {
    const firmId = firmScope(request, 'audit:export');
    const context = requestContext(request);
    const events = await inTenantTransaction(deps.db, [firmId], async (tx) => {
      const result = await listAuditEvents(tx, { ...request.query, limit: 1_000_000, offset: 0, firmIds: [firmId], includeMemberPlatformEvents: true });
      await appendAuditEvent(tx, context, { firmId, entity: 'audit', action: 'audit.exported', detail: { format: request.query.format, count: result.events.length } });
      return result.events.map(presentAuditEvent);
    });
    const stamp = todayInTaipei();
    if (request.query.format === 'json') {
      reply.header('content-disposition', `attachment; filename="audit-${stamp}.json"`);
      return { firmId, exportedAt: new Date().toISOString(), events };
    }
    reply.header('content-type', 'text/csv; charset=utf-8');
    reply.header('content-disposition', `attachment; filename="audit-${stamp}.csv"`);
    return auditEventsToCsv(events);
  });
}
