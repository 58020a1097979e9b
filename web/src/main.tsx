/** Entry: fonts, i18n, react-query, AntD theme and locale (zh-TW or English), router. */
import '@fontsource/noto-sans-tc/400.css';
import '@fontsource/noto-sans-tc/700.css';
import './styles.css';
import { StrictMode, useMemo } from 'react';
import { createRoot } from 'react-dom/client';
import { App as AntApp, ConfigProvider } from 'antd';
import zhTW from 'antd/locale/zh_TW';
import enUS from 'antd/locale/en_US';
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import i18n from './i18n/index.ts';
import { ApiError, type SessionStep } from './api/client.ts';
import { STEP_PATHS } from './auth/session.ts';
import { createAppRouter } from './router.tsx';

/** A 401 anywhere means the session ended; a 403 naming a sign-in step means that step is due. */
function onApiError(error: unknown): void {
  if (!(error instanceof ApiError)) {
    return;
  }
  const path = router.state.location.pathname;
  if (error.status === 401 && !path.startsWith('/login')) {
    queryClient.removeQueries({ queryKey: ['me'] });
    void router.navigate({ to: '/login', search: { redirect: router.state.location.href } });
  }
  const step = error.details.step as SessionStep | undefined;
  if (error.status === 403 && step && step in STEP_PATHS && step !== 'ok') {
    void queryClient.invalidateQueries({ queryKey: ['me'] });
    void router.navigate({ to: STEP_PATHS[step] });
  }
}

const queryClient = new QueryClient({
  queryCache: new QueryCache({ onError: onApiError }),
  mutationCache: new MutationCache({ onError: onApiError }),
  defaultOptions: {
    queries: {
      retry: (count, error) => !(error instanceof ApiError && error.status >= 400 && error.status < 500) && count < 2,
      refetchOnWindowFocus: false,
    },
  },
});
const router = createAppRouter(queryClient);

document.documentElement.lang = i18n.language === 'en' ? 'en' : 'zh-Hant-TW';

function Root() {
  const { i18n: current } = useTranslation();
  const locale = useMemo(() => (current.language === 'en' ? enUS : zhTW), [current.language]);
  return (
    <ConfigProvider
      locale={locale}
      theme={{ token: { fontFamily: "'Noto Sans TC', 'PingFang TC', 'Microsoft JhengHei', system-ui, sans-serif", colorPrimary: '#1d4e89' } }}
    >
      <AntApp>
        <RouterProvider router={router} />
      </AntApp>
    </ConfigProvider>
  );
}

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <Root />
    </QueryClientProvider>
  </StrictMode>,
);
