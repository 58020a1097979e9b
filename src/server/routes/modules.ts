/**
 * Route modules of the feature areas (profile and applicability, self-inspections, evidence,
 * deficiencies, checks, dashboards, inspector views), each `(app, deps) => Promise<void>`.
 * Add a module here to register it.
 */
import type { App, AppDeps } from '../app.ts';
import { registerProfileRoutes } from './profile-routes.ts';
import { registerCampaignRoutes } from './campaign-routes.ts';
import { registerEvidenceRoutes } from './evidence-routes.ts';
import { registerDeficiencyRoutes } from './deficiency-routes.ts';
import { registerDashboardRoutes } from './dashboard-routes.ts';
import { registerCheckRoutes } from './check-routes.ts';
import { registerInspectionRoutes } from './inspection-routes.ts';
import { registerReportRoutes } from './report-routes.ts';

export const extraRouteModules: ((app: App, deps: AppDeps) => Promise<void>)[] = [
  registerProfileRoutes,
  registerCampaignRoutes, registerEvidenceRoutes, registerDeficiencyRoutes, registerDashboardRoutes,
  registerCheckRoutes,
  registerInspectionRoutes,
  registerReportRoutes,
];
