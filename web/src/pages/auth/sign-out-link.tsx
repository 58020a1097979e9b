/** Leave a half-finished sign-in and start over. */
import { Button } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { logout } from '../../api/client.ts';

export function SignOutLink() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const onClick = async () => {
    try {
      await logout();
    } finally {
      queryClient.clear();
      await navigate({ to: '/login' });
    }
  };
  return (
    <div style={{ textAlign: 'center', marginTop: 12 }}>
      <Button type="link" onClick={() => void onClick()} data-testid="signin-logout">{t('header.logout')}</Button>
    </div>
  );
}
