/**
 * The signed-in session as the web app sees it: `GET /api/v1/me` through react-query, the sign-in step
 * each page must show, the active firm and its permissions.
 */
import { queryOptions, useQuery, type QueryClient } from '@tanstack/react-query';
import { ApiError, getMe, type Me, type MeFirm, type SessionStep } from '../api/client.ts';

export const meQuery = queryOptions({
  queryKey: ['me'],
  queryFn: getMe,
  staleTime: 60_000,
  retry: false,
});

/** The page that finishes each sign-in step. */
export const STEP_PATHS: Record<SessionStep, string> = {
  ok: '/catalog',
  mfa: '/login/mfa',
  password_change: '/login/password',
  mfa_enrolment: '/login/enrol',
};

export function pathForStep(step: SessionStep, redirect?: string): string {
  return step === 'ok' ? safeRedirect(redirect) : STEP_PATHS[step];
}

/** Only same-site paths, never a full URL (no open redirect). */
export function safeRedirect(redirect: string | undefined): string {
  if (redirect && redirect.startsWith('/') && !redirect.startsWith('//') && !redirect.startsWith('/login')) {
    return redirect;
  }
  return STEP_PATHS.ok;
}

/** The current session, or null when signed out (401). Other errors propagate. */
export async function loadSession(queryClient: QueryClient): Promise<Me | null> {
  try {
    return await queryClient.ensureQueryData(meQuery);
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      return null;
    }
    throw error;
  }
}

export function useMe(): Me {
  const { data } = useQuery(meQuery);
  if (!data) {
    throw new Error('useMe is used outside a signed-in route');
  }
  return data;
}

export function activeFirmOf(me: Me): MeFirm | null {
  return me.firms.find((firm) => firm.id === me.activeFirmId) ?? me.firms[0] ?? null;
}

export function hasPermission(me: Me, permission: string): boolean {
  const firm = activeFirmOf(me);
  return (firm?.permissions ?? []).includes(permission) || me.platformPermissions.includes(permission);
}

/** The active firm and a `can(permission)` check for it. */
export function useActiveFirm(): { me: Me; firm: MeFirm | null; can: (permission: string) => boolean } {
  const me = useMe();
  return { me, firm: activeFirmOf(me), can: (permission) => hasPermission(me, permission) };
}
