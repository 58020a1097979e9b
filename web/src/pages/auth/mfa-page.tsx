/** The second factor: a TOTP code or one of the recovery codes. */
import { useState } from 'react';
import { Button, Form, Input, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { verifyMfa } from '../../api/client.ts';
import { ErrorAlert } from '../../components/page-states.tsx';
import { AuthCard } from './auth-card.tsx';
import { useNextStep } from './use-next-step.ts';
import { SignOutLink } from './sign-out-link.tsx';

export default function MfaPage() {
  const { t } = useTranslation();
  const goToNextStep = useNextStep();
  const [error, setError] = useState<unknown>(null);
  const [isSubmitting, setSubmitting] = useState(false);

  const onFinish = async (values: { code: string }) => {
    setSubmitting(true);
    setError(null);
    try {
      const result = await verifyMfa(values.code.replace(/\s+/g, ''));
      await goToNextStep(result.step);
    } catch (caught) {
      setError(caught);
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <AuthCard title={t('mfa.title')}>
      <Typography.Paragraph>{t('mfa.hint')}</Typography.Paragraph>
      <Form layout="vertical" onFinish={(values) => void onFinish(values)} requiredMark={false}>
        {error ? <div style={{ marginBottom: 16 }}><ErrorAlert error={error} /></div> : null}
        <Form.Item name="code" label={t('mfa.code')} rules={[{ required: true, message: t('mfa.codeRequired') }]}>
          <Input autoComplete="one-time-code" inputMode="text" maxLength={32} data-testid="mfa-code" autoFocus />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={isSubmitting} data-testid="mfa-submit">{t('mfa.submit')}</Button>
      </Form>
      <SignOutLink />
    </AuthCard>
  );
}
