/**
 * Routes: the sign-in pages (public, one per sign-in step) and the signed-in app, whose pages come from
 * `pages/areas.tsx`. Guards run in `beforeLoad` against `GET /api/v1/me`.
 */
import {
  createRootRouteWithContext, createRoute, createRouter, lazyRouteComponent, Outlet, parseSearchWith, redirect,
} from '@tanstack/react-router';
import type { QueryClient } from '@tanstack/react-query';
import type { SessionStep } from './api/client.ts';
import { loadSession, pathForStep, STEP_PATHS } from './auth/session.ts';
import { AREA_PAGES, type AreaPage } from './pages/areas.tsx';
import { AppLayout } from './layout/app-layout.tsx';
import { AreaGate } from './layout/area-gate.tsx';
import { NotFound, PageError, PageLoading } from './components/page-states.tsx';

export interface RouterContext {
  queryClient: QueryClient;
}

const rootRoute = createRootRouteWithContext<RouterContext>()({
  component: Outlet,
  notFoundComponent: NotFound,
});

const indexRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/',
  beforeLoad: () => {
    throw redirect({ to: STEP_PATHS.ok });
  },
});

interface LoginSearch {
  redirect?: string;
}

const validateLoginSearch = (search: Record<string, unknown>): LoginSearch =>
  typeof search.redirect === 'string' ? { redirect: search.redirect } : {};

/** A sign-in page is shown only at its own step; anyone else is sent to the page for their step. */
function signInRoute(path: string, step: SessionStep | null, load: AreaPage['load']) {
  return createRoute({
    getParentRoute: () => rootRoute,
    path,
    validateSearch: validateLoginSearch,
    beforeLoad: async ({ context, search }) => {
      const me = await loadSession(context.queryClient);
      const current = me?.step ?? null;
      if (current === step) {
        return;
      }
      if (current === null) {
        throw redirect({ to: '/login', search: { redirect: search.redirect } });
      }
      throw redirect({ to: pathForStep(current, search.redirect) });
    },
    component: lazyRouteComponent(load),
  });
}

const signInRoutes = [
  signInRoute('/login', null, () => import('./pages/auth/login-page.tsx')),
  signInRoute(STEP_PATHS.mfa, 'mfa', () => import('./pages/auth/mfa-page.tsx')),
  signInRoute(STEP_PATHS.password_change, 'password_change', () => import('./pages/auth/password-change-page.tsx')),
  signInRoute(STEP_PATHS.mfa_enrolment, 'mfa_enrolment', () => import('./pages/auth/mfa-enrolment-page.tsx')),
];

const appRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: 'app',
  beforeLoad: async ({ context, location }) => {
    const me = await loadSession(context.queryClient);
    if (!me) {
      throw redirect({ to: '/login', search: { redirect: location.href } });
    }
    if (me.step !== 'ok') {
      throw redirect({ to: STEP_PATHS[me.step] });
    }
  },
  component: AppLayout,
});

const areaRoutes = AREA_PAGES.map((page) => {
  const Page = lazyRouteComponent(page.load);
  return createRoute({
    getParentRoute: () => appRoute,
    path: page.path,
    component: () => (
      <AreaGate page={page}>
        <Page />
      </AreaGate>
    ),
  });
});

const routeTree = rootRoute.addChildren([indexRoute, ...signInRoutes, appRoute.addChildren(areaRoutes)]);

/**
 * Search values are JSON-parsed, except numbers that would not read back as written: a section such as
 * 9.10 (程式原始碼安全規範) must stay "9.10", not become the number 9.1.
 */
export function parseSearchValue(value: string): unknown {
  const parsed: unknown = JSON.parse(value);
  return typeof parsed === 'number' && String(parsed) !== value ? value : parsed;
}

export function createAppRouter(queryClient: QueryClient) {
  return createRouter({
    routeTree,
    context: { queryClient },
    // Item ids such as CSIM@112:7.1.d stay readable in the address bar.
    pathParamsAllowedCharacters: ['@', ':'],
    parseSearch: parseSearchWith(parseSearchValue),
    defaultPendingComponent: PageLoading,
    defaultErrorComponent: PageError,
    defaultPreload: 'intent',
    scrollRestoration: true,
  });
}

// The router is not registered for typed links: the area routes are built from a list, so paths stay strings.
