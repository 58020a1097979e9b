/** /api/v1/firms/:firmId/dashboard: compliance figures, each with the list behind it. */
import { z } from 'zod';
import type { App, AppDeps } from '../app.ts';
import { requestContext } from '../app.ts';
import { firmScope } from './index.ts';
import { buildDashboard } from '../dashboard/dashboard-service.ts';

export async function registerDashboardRoutes(app: App, deps: AppDeps): Promise<void> {
  app.get('/api/v1/firms/:firmId/dashboard', {
    schema: {
      tags: ['dashboard'],
      summary: '儀表板：各章節符合率、趨勢、缺失、逾期、即將到來的自行查核、到期佐證',
      params: z.object({ firmId: z.uuid() }),
      querystring: z.object({ today: z.iso.date().optional() }),
    },
  }, async (request) => {
    const firmId = firmScope(request, 'report:read');
    return buildDashboard(deps.db, requestContext(request), { firmId, today: request.query.today });
  });
}
