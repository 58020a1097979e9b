/** TOTP enrolment: QR code and secret, a code to confirm, then the 10 recovery codes to save. */
import { useEffect, useRef, useState } from 'react';
import { Alert, Button, Flex, Form, Input, List, Space, Spin, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { confirmMfaEnrolment, startMfaEnrolment, type SessionStep } from '../../api/client.ts';
import { ErrorAlert } from '../../components/page-states.tsx';
import { AuthCard } from './auth-card.tsx';
import { useNextStep } from './use-next-step.ts';
import { SignOutLink } from './sign-out-link.tsx';

type Enrolment = Awaited<ReturnType<typeof startMfaEnrolment>>;

export default function MfaEnrolmentPage() {
  const { t } = useTranslation();
  const goToNextStep = useNextStep();
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);
  const [recovery, setRecovery] = useState<{ codes: string[]; step: SessionStep } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [isSubmitting, setSubmitting] = useState(false);
  const hasStarted = useRef(false);

  useEffect(() => {
    // Once per visit: each call makes a new secret, so a second call would void the QR code shown.
    if (hasStarted.current) {
      return;
    }
    hasStarted.current = true;
    startMfaEnrolment().then(setEnrolment, setError);
  }, []);

  const onConfirm = async (values: { code: string }) => {
    setSubmitting(true);
    setError(null);
    try {
      const result = await confirmMfaEnrolment(values.code.replace(/\s+/g, ''));
      setRecovery({ codes: result.recoveryCodes, step: result.step });
    } catch (caught) {
      setError(caught);
    } finally {
      setSubmitting(false);
    }
  };

  const downloadCodes = () => {
    if (!recovery) {
      return;
    }
    const blob = new Blob([`${recovery.codes.join('\n')}\n`], { type: 'text/plain;charset=utf-8' });
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = 'anjian-recovery-codes.txt';
    link.click();
    URL.revokeObjectURL(link.href);
  };

  if (recovery) {
    return (
      <AuthCard title={t('enrol.recoveryTitle')} width={480}>
        <Alert type="warning" showIcon title={t('enrol.recoveryHint')} style={{ marginBottom: 16 }} />
        <List
          data-testid="recovery-codes"
          bordered
          grid={{ column: 2 }}
          dataSource={recovery.codes}
          renderItem={(code) => (
            <List.Item style={{ padding: '6px 12px' }}>
              <Typography.Text code copyable data-testid="recovery-code">{code}</Typography.Text>
            </List.Item>
          )}
        />
        <Space orientation="vertical" style={{ width: '100%', marginTop: 16 }}>
          <Button block onClick={downloadCodes}>{t('enrol.download')}</Button>
          <Button type="primary" block data-testid="recovery-saved" onClick={() => void goToNextStep(recovery.step)}>{t('enrol.saved')}</Button>
        </Space>
      </AuthCard>
    );
  }

  return (
    <AuthCard title={t('enrol.title')} width={480}>
      <Typography.Paragraph>{t('enrol.hint')}</Typography.Paragraph>
      {error ? <div style={{ marginBottom: 16 }}><ErrorAlert error={error} /></div> : null}
      {enrolment ? (
        <>
          <Flex justify="center">
            <img src={enrolment.qrDataUrl} alt="TOTP QR code" width={200} height={200} data-testid="mfa-qr" />
          </Flex>
          <Typography.Paragraph style={{ textAlign: 'center' }}>
            {t('enrol.secret')}：<Typography.Text code copyable data-testid="mfa-secret">{enrolment.secret}</Typography.Text>
          </Typography.Paragraph>
          <Form layout="vertical" onFinish={(values) => void onConfirm(values)} requiredMark={false}>
            <Form.Item name="code" label={t('enrol.code')} rules={[{ required: true, message: t('mfa.codeRequired') }]}>
              <Input autoComplete="one-time-code" inputMode="numeric" maxLength={12} data-testid="mfa-code" />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={isSubmitting} data-testid="enrol-submit">{t('enrol.submit')}</Button>
          </Form>
        </>
      ) : error ? null : <Flex justify="center"><Spin /></Flex>}
      <SignOutLink />
    </AuthCard>
  );
}
