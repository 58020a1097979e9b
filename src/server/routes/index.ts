/** Registers every route module. Firm-scoped routes live under /api/v1/firms/:firmId/… */
import type { FastifyRequest } from 'fastify';
import type { App, AppDeps } from '../app.ts';
import { requestContext } from '../app.ts';
import type { AuthDeps } from '../auth/auth-service.ts';
import { authorize, type Permission } from '../auth/policy.ts';
import { registerAuthRoutes } from './auth-routes.ts';
import { registerCatalogRoutes } from './catalog-routes.ts';
import { registerFirmRoutes } from './firm-routes.ts';
import { registerAuditRoutes } from './audit-routes.ts';
import { extraRouteModules } from './modules.ts';

export interface RouteInfo {
  method: string;
  url: string;
  auth: 'none' | 'partial' | 'full';
}

/** Every route the app registered, for the route-table tests (tenant isolation, authentication). */
export const routeTables = new WeakMap<object, RouteInfo[]>();

export async function registerRoutes(app: App, deps: AppDeps, authDeps: AuthDeps): Promise<void> {
  const table: RouteInfo[] = [];
  routeTables.set(app, table);
  app.addHook('onRoute', (options) => {
    const methods = Array.isArray(options.method) ? options.method : [options.method];
    for (const method of methods) {
      if (method === 'HEAD' || !options.url.startsWith('/api/v1/')) continue;
      table.push({ method, url: options.url, auth: (options.config as { auth?: RouteInfo['auth'] } | undefined)?.auth ?? 'full' });
    }
  });
  await app.register(async (scoped) => {
    await registerAuthRoutes(scoped as App, deps, authDeps);
    await registerCatalogRoutes(scoped as App, deps);
    await registerFirmRoutes(scoped as App, deps);
    await registerAuditRoutes(scoped as App, deps);
    for (const register of extraRouteModules) {
      await register(scoped as App, deps);
    }
  });
}

/** Authorizes the actor for `permission` in the route's :firmId and returns the firm id. */
export function firmScope(request: FastifyRequest, permission: Permission): string {
  const { firmId } = request.params as { firmId: string };
  authorize(requestContext(request).actor, permission, firmId);
  return firmId;
}
