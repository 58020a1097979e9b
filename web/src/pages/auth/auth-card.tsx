/** The centred card that frames every sign-in step. */
import type { ReactNode } from 'react';
import { Card, Flex, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from '../../layout/language-switch.tsx';

export function AuthCard({ title, children, width = 420 }: { title: string; children: ReactNode; width?: number }) {
  const { t } = useTranslation();
  return (
    <Flex vertical align="center" justify="center" style={{ minHeight: '100vh', background: '#f0f2f5', padding: 24 }}>
      <div style={{ width, maxWidth: '100%' }}>
        <Flex justify="space-between" align="center" style={{ marginBottom: 16 }}>
          <div>
            <Typography.Title level={2} style={{ margin: 0 }}>{t('app.name')}</Typography.Title>
            <Typography.Text type="secondary">{t('app.subtitle')}</Typography.Text>
          </div>
          <LanguageSwitch />
        </Flex>
        <Card title={title}>{children}</Card>
      </div>
    </Flex>
  );
}
