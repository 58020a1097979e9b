/** Forced password change: current, new and confirmation; policy problems come from the server's `issues`. */
import { useState } from 'react';
import { Alert, Button, Form, Input, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError, changePassword } from '../../api/client.ts';
import { errorMessage } from '../../components/page-states.tsx';
import { AuthCard } from './auth-card.tsx';
import { useNextStep } from './use-next-step.ts';
import { SignOutLink } from './sign-out-link.tsx';

interface Values {
  currentPassword: string;
  newPassword: string;
  confirmPassword: string;
}

export default function PasswordChangePage() {
  const { t, i18n } = useTranslation();
  const goToNextStep = useNextStep();
  const [error, setError] = useState<unknown>(null);
  const [isSubmitting, setSubmitting] = useState(false);

  const onFinish = async (values: Values) => {
    setSubmitting(true);
    setError(null);
    try {
      const result = await changePassword(values.currentPassword, values.newPassword);
      await goToNextStep(result.step);
    } catch (caught) {
      setError(caught);
    } finally {
      setSubmitting(false);
    }
  };

  const issues = error instanceof ApiError ? error.issues : [];
  return (
    <AuthCard title={t('passwordChange.title')}>
      <Typography.Paragraph>{t('passwordChange.hint')}</Typography.Paragraph>
      <Form layout="vertical" onFinish={(values) => void onFinish(values)} requiredMark={false}>
        {error ? (
          <Alert
            style={{ marginBottom: 16 }}
            type="error"
            showIcon
            data-testid="password-error"
            title={issues.length > 0 ? t('passwordChange.policy') : errorMessage(error, i18n.language)}
            description={issues.length > 0 ? (
              <ul style={{ margin: 0, paddingInlineStart: 20 }} data-testid="password-issues">
                {issues.map((issue, index) => <li key={index}>{issue.message}</li>)}
              </ul>
            ) : undefined}
          />
        ) : null}
        <Form.Item name="currentPassword" label={t('passwordChange.current')} rules={[{ required: true, message: t('passwordChange.required') }]}>
          <Input.Password autoComplete="current-password" data-testid="current-password" autoFocus />
        </Form.Item>
        <Form.Item name="newPassword" label={t('passwordChange.next')} rules={[{ required: true, message: t('passwordChange.required') }]}>
          <Input.Password autoComplete="new-password" data-testid="new-password" />
        </Form.Item>
        <Form.Item
          name="confirmPassword"
          label={t('passwordChange.confirm')}
          dependencies={['newPassword']}
          rules={[
            { required: true, message: t('passwordChange.required') },
            ({ getFieldValue }) => ({
              validator: (_rule, value) => (!value || getFieldValue('newPassword') === value ? Promise.resolve() : Promise.reject(new Error(t('passwordChange.mismatch')))),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" data-testid="confirm-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={isSubmitting} data-testid="password-submit">{t('passwordChange.submit')}</Button>
      </Form>
      <SignOutLink />
    </AuthCard>
  );
}
