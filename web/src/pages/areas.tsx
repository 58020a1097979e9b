/**
 * Every page of the signed-in app, in one list. To add a feature area, add its page files under
 * `web/src/pages/<area>/` (each with a default-exported component) and one entry here: the router builds
 * a code-split route from each entry, and entries with `menu` appear in the side menu (only for users
 * holding `permission` in the active firm). See web/README.md.
 */
import type { ReactNode } from 'react';
import { AuditOutlined, BookOutlined, DashboardOutlined, CalendarOutlined, DiffOutlined, SafetyOutlined, SearchOutlined, TeamOutlined } from '@ant-design/icons';
import { CheckSquareOutlined, FolderOpenOutlined, IssuesCloseOutlined } from '@ant-design/icons';
import { BranchesOutlined, ExperimentOutlined, IdcardOutlined } from '@ant-design/icons';
import { FilePdfOutlined, FileSearchOutlined, ReadOutlined } from '@ant-design/icons';
import { LockOutlined, SettingOutlined } from '@ant-design/icons';

export interface AreaPage {
  /** Path in the app, TanStack Router syntax: `/catalog/item/$itemId`. */
  path: string;
  /** Loads the page module (code-split); its default export is the page component. */
  load: () => Promise<{ default: () => ReactNode }>;
  /** A side-menu entry: label key in the i18n strings (e.g. `menu.catalog`), icon, position. */
  menu?: { labelKey: string; icon: ReactNode; order: number };
  /** Permission the user must hold in the active firm (from `/me`), e.g. `audit:read`. */
  permission?: string;
  /** The page works on the active firm's data: without one it shows a "choose a firm" notice. */
  needsFirm?: boolean;
}

export const AREA_PAGES: AreaPage[] = [
  { path: '/catalog', load: () => import('./catalog/catalog-page.tsx'), menu: { labelKey: 'menu.catalog', icon: <BookOutlined />, order: 10 } },
  { path: '/catalog/item/$itemId', load: () => import('./catalog/item-page.tsx') },
  { path: '/catalog/items/$itemId', load: () => import('./catalog/item-page.tsx') },
  { path: '/catalog/glossary', load: () => import('./catalog/glossary-page.tsx'), menu: { labelKey: 'glossary.menu', icon: <ReadOutlined />, order: 15 } },
  { path: '/search', load: () => import('./search/search-page.tsx'), menu: { labelKey: 'menu.search', icon: <SearchOutlined />, order: 20 } },
  { path: '/diff', load: () => import('./diff/diff-page.tsx'), menu: { labelKey: 'menu.diff', icon: <DiffOutlined />, order: 30 } },
  {
    path: '/dashboard', load: () => import('./dashboard/dashboard-page.tsx'), permission: 'report:read', needsFirm: true,
    menu: { labelKey: 'menu.dashboard', icon: <DashboardOutlined />, order: 5 },
  },
  {
    path: '/applicability', load: () => import('./applicability/applicability-page.tsx'), permission: 'profile:read', needsFirm: true,
    menu: { labelKey: 'menu.applicability', icon: <SafetyOutlined />, order: 40 },
  },
  {
    path: '/calendar', load: () => import('./calendar/calendar-page.tsx'), permission: 'profile:read', needsFirm: true,
    menu: { labelKey: 'menu.calendar', icon: <CalendarOutlined />, order: 50 },
  },
  {
    path: '/profile', load: () => import('./profile/profile-page.tsx'), permission: 'profile:read', needsFirm: true,
    menu: { labelKey: 'profile.menu', icon: <IdcardOutlined />, order: 35 },
  },
  {
    path: '/what-if', load: () => import('./what-if/what-if-page.tsx'), permission: 'profile:read', needsFirm: true,
    menu: { labelKey: 'whatIf.menu', icon: <BranchesOutlined />, order: 45 },
  },
  {
    path: '/checks', load: () => import('./checks/checks-page.tsx'), permission: 'check:read', needsFirm: true,
    menu: { labelKey: 'checks.menu', icon: <ExperimentOutlined />, order: 66 },
  },
  {
    path: '/campaigns', load: () => import('./campaigns/campaigns-page.tsx'), permission: 'campaign:read', needsFirm: true,
    menu: { labelKey: 'menu.campaigns', icon: <CheckSquareOutlined />, order: 60 },
  },
  { path: '/campaigns/$campaignId', load: () => import('./campaigns/campaign-page.tsx'), permission: 'campaign:read', needsFirm: true },
  {
    path: '/evidence', load: () => import('./evidence/evidence-page.tsx'), permission: 'evidence:read', needsFirm: true,
    menu: { labelKey: 'menu.evidence', icon: <FolderOpenOutlined />, order: 62 },
  },
  {
    path: '/deficiencies', load: () => import('./deficiencies/deficiencies-page.tsx'), permission: 'deficiency:read', needsFirm: true,
    menu: { labelKey: 'menu.deficiencies', icon: <IssuesCloseOutlined />, order: 64 },
  },
  { path: '/deficiencies/$deficiencyId', load: () => import('./deficiencies/deficiency-page.tsx'), permission: 'deficiency:read', needsFirm: true },
  {
    path: '/audit', load: () => import('./audit/audit-page.tsx'), permission: 'audit:read', needsFirm: true,
    menu: { labelKey: 'menu.audit', icon: <AuditOutlined />, order: 80 },
  },
  {
    path: '/users', load: () => import('./users/users-page.tsx'), permission: 'user:read', needsFirm: true,
    menu: { labelKey: 'menu.users', icon: <TeamOutlined />, order: 90 },
  },
  {
    path: '/settings/login-policy', load: () => import('./settings/login-policy-page.tsx'), permission: 'firm:update', needsFirm: true,
    menu: { labelKey: 'loginPolicy.menu', icon: <SettingOutlined />, order: 92 },
  },
  // Every signed-in user's own account, whatever the firm.
  { path: '/settings/security', load: () => import('./settings/account-security-page.tsx'), menu: { labelKey: 'security.menu', icon: <LockOutlined />, order: 95 } },
  // Cross-firm: the inspector's assigned firms, not only the active one.
  {
    path: '/inspections', load: () => import('./inspections/inspections-page.tsx'), permission: 'inspection:record',
    menu: { labelKey: 'inspections.menu', icon: <FileSearchOutlined />, order: 70 },
  },
  {
    path: '/reports', load: () => import('./reports/reports-page.tsx'), permission: 'report:read', needsFirm: true,
    menu: { labelKey: 'reports.menu', icon: <FilePdfOutlined />, order: 75 },
  },
];
