/** The signed-in shell: side menu (from pages/areas.tsx), header with firm switcher, language and user menu. */
import { Suspense, useMemo, useState } from 'react';
import { App as AntApp, Avatar, Button, Dropdown, Layout, Menu, Select, Space, Typography } from 'antd';
import { LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { Link, Outlet, useNavigate, useRouterState } from '@tanstack/react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { logout, switchFirm } from '../api/client.ts';
import { meQuery, useActiveFirm } from '../auth/session.ts';
import { AREA_PAGES } from '../pages/areas.tsx';
import { LanguageSwitch } from './language-switch.tsx';
import { errorMessage, PageLoading } from '../components/page-states.tsx';

const { Header, Sider, Content } = Layout;

/** Renders nothing of the app once the session is gone (after sign-out the cache is cleared first). */
export function AppLayout() {
  const { data: me } = useQuery(meQuery);
  return me ? <SignedInLayout /> : <PageLoading />;
}

function SignedInLayout() {
  const { t, i18n } = useTranslation();
  const { me, firm, can } = useActiveFirm();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const { message } = AntApp.useApp();
  const pathname = useRouterState({ select: (state) => state.location.pathname });
  const [collapsed, setCollapsed] = useState(false);
  const [isSwitching, setSwitching] = useState(false);

  const menuPages = useMemo(
    () => AREA_PAGES.filter((page) => page.menu && (!page.permission || can(page.permission)) && (!page.needsFirm || firm))
      .sort((a, b) => (a.menu?.order ?? 0) - (b.menu?.order ?? 0)),
    [can, firm],
  );
  const selected = menuPages
    .filter((page) => pathname === page.path || pathname.startsWith(`${page.path}/`))
    .map((page) => page.path);

  const onSwitchFirm = async (firmId: string) => {
    setSwitching(true);
    try {
      await switchFirm(firmId);
      await queryClient.invalidateQueries();
    } catch (error) {
      void message.error(`${t('header.switchFailed')}：${errorMessage(error, i18n.language)}`);
    } finally {
      setSwitching(false);
    }
  };

  const onLogout = async () => {
    try {
      await logout();
    } finally {
      queryClient.clear();
      await navigate({ to: '/login' });
    }
  };

  const roleNames = (firm?.roles ?? []).map((role) => t(`role.${role}`, { defaultValue: role })).join('、');

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Sider collapsible collapsed={collapsed} onCollapse={setCollapsed} width={200} theme="dark" data-testid="side-menu">
        <div style={{ color: '#fff', padding: '16px 20px', fontSize: 20, fontWeight: 700, whiteSpace: 'nowrap', overflow: 'hidden' }}>
          {collapsed ? '安' : t('app.name')}
        </div>
        <Menu
          theme="dark"
          mode="inline"
          selectedKeys={selected}
          items={menuPages.map((page) => ({
            key: page.path,
            icon: page.menu?.icon,
            label: <Link to={page.path} data-testid={`menu-${page.path.slice(1)}`}>{t(page.menu?.labelKey ?? '')}</Link>,
          }))}
        />
      </Sider>
      <Layout>
        <Header style={{ background: '#fff', padding: '0 24px', display: 'flex', alignItems: 'center', justifyContent: 'space-between', borderBottom: '1px solid #f0f0f0' }}>
          <Typography.Text type="secondary" ellipsis>{t('app.subtitle')}</Typography.Text>
          <Space size="middle">
            {me.firms.length > 0 ? (
              <Select
                data-testid="firm-switcher"
                aria-label={t('header.firm')}
                style={{ minWidth: 220 }}
                value={firm?.id}
                loading={isSwitching}
                onChange={(firmId: string) => void onSwitchFirm(firmId)}
                options={me.firms.map((entry) => ({ value: entry.id, label: entry.name }))}
              />
            ) : <Typography.Text type="secondary">{t('header.noFirm')}</Typography.Text>}
            <LanguageSwitch />
            <Dropdown
              trigger={['click']}
              menu={{
                items: [
                  { key: 'who', disabled: true, label: <span>{me.user.email}{roleNames ? `（${roleNames}）` : ''}</span> },
                  { type: 'divider' },
                  { key: 'logout', icon: <LogoutOutlined />, label: <span data-testid="logout">{t('header.logout')}</span>, onClick: () => void onLogout() },
                ],
              }}
            >
              <Button type="text" data-testid="user-menu">
                <Avatar size="small" icon={<UserOutlined />} /> {me.user.displayName}
              </Button>
            </Dropdown>
          </Space>
        </Header>
        <Content style={{ margin: 24 }}>
          <Suspense fallback={<PageLoading />}>
            <Outlet />
          </Suspense>
        </Content>
      </Layout>
    </Layout>
  );
}
