/** Email and password. A locked account (HTTP 423) shows the server's lockout message. */
import { useState } from 'react';
import { Alert, Button, Form, Input } from 'antd';
import { LockOutlined, MailOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { ApiError, login } from '../../api/client.ts';
import { errorMessage } from '../../components/page-states.tsx';
import { AuthCard } from './auth-card.tsx';
import { useNextStep } from './use-next-step.ts';

export default function LoginPage() {
  const { t, i18n } = useTranslation();
  const goToNextStep = useNextStep();
  const [error, setError] = useState<unknown>(null);
  const [isSubmitting, setSubmitting] = useState(false);

  const onFinish = async (values: { email: string; password: string }) => {
    setSubmitting(true);
    setError(null);
    try {
      const result = await login(values.email.trim(), values.password);
      await goToNextStep(result.step);
    } catch (caught) {
      setError(caught);
    } finally {
      setSubmitting(false);
    }
  };

  const isLocked = error instanceof ApiError && error.status === 423;
  return (
    <AuthCard title={t('login.title')}>
      <Form layout="vertical" onFinish={(values) => void onFinish(values)} requiredMark={false}>
        {error ? (
          <Alert
            style={{ marginBottom: 16 }}
            type="error"
            showIcon
            data-testid={isLocked ? 'login-locked' : 'login-error'}
            title={isLocked ? t('login.locked') : errorMessage(error, i18n.language)}
            description={isLocked ? errorMessage(error, i18n.language) : undefined}
          />
        ) : null}
        <Form.Item name="email" label={t('login.email')} rules={[{ required: true, message: t('login.emailRequired') }]}>
          <Input prefix={<MailOutlined />} autoComplete="username" type="email" data-testid="login-email" autoFocus />
        </Form.Item>
        <Form.Item name="password" label={t('login.password')} rules={[{ required: true, message: t('login.passwordRequired') }]}>
          <Input.Password prefix={<LockOutlined />} autoComplete="current-password" data-testid="login-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={isSubmitting} data-testid="login-submit">{t('login.submit')}</Button>
      </Form>
    </AuthCard>
  );
}
