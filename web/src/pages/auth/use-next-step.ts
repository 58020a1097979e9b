/** After a sign-in step: refresh `/me` and go to the page for the next step (or back into the app). */
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import type { SessionStep } from '../../api/client.ts';
import { meQuery, pathForStep } from '../../auth/session.ts';

export function useNextStep(): (step: SessionStep) => Promise<void> {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const search = useSearch({ strict: false }) as { redirect?: string };
  return async (step) => {
    await queryClient.fetchQuery({ ...meQuery, staleTime: 0 });
    await navigate({ to: pathForStep(step, search.redirect), search: step === 'ok' ? undefined : { redirect: search.redirect } });
  };
}
