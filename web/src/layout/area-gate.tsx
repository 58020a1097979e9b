/** Shows a page only when the user holds its permission (and, when it needs one, has an active firm). */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Forbidden } from '../components/page-states.tsx';
import { useActiveFirm } from '../auth/session.ts';
import type { AreaPage } from '../pages/areas.tsx';

export function AreaGate({ page, children }: { page: AreaPage; children: ReactNode }) {
  const { t } = useTranslation();
  const { firm, can } = useActiveFirm();
  if (page.needsFirm && !firm) {
    return <Forbidden reason={t('errors.noFirm')} />;
  }
  if (page.permission && !can(page.permission)) {
    return <Forbidden />;
  }
  return children;
}
