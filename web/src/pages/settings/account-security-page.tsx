/**
 * 帳號安全 — every signed-in user's own account: change the password at any time, and turn on the
 * second factor (TOTP) voluntarily, which otherwise only opens at the forced first-login step.
 */
import { useState } from 'react';
import { Alert, Button, Card, Descriptions, Flex, Form, Input, List, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useQueryClient } from '@tanstack/react-query';
import { ApiError, changePassword, confirmMfaEnrolment, startMfaEnrolment } from '../../api/client.ts';
import { ErrorAlert, errorMessage } from '../../components/page-states.tsx';
import { meQuery, useMe } from '../../auth/session.ts';

interface PasswordValues {
  currentPassword: string;
  newPassword: string;
  confirmPassword: string;
}

function PasswordCard() {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<PasswordValues>();
  const [error, setError] = useState<unknown>(null);
  const [isDone, setDone] = useState(false);
  const [isSubmitting, setSubmitting] = useState(false);

  const onFinish = async (values: PasswordValues) => {
    setSubmitting(true);
    setError(null);
    setDone(false);
    try {
      // The server revokes every session and answers with a new cookie pair; /me carries the new CSRF token.
      await changePassword(values.currentPassword, values.newPassword);
      form.resetFields();
      setDone(true);
      await queryClient.invalidateQueries({ queryKey: meQuery.queryKey });
    } catch (caught) {
      setError(caught);
    } finally {
      setSubmitting(false);
    }
  };

  const issues = error instanceof ApiError ? error.issues : [];
  return (
    <Card title={t('security.passwordTitle')} data-testid="security-password">
      <Typography.Paragraph type="secondary">{t('security.passwordHint')}</Typography.Paragraph>
      {isDone ? <Alert type="success" showIcon title={t('security.passwordChanged')} style={{ marginBottom: 16 }} data-testid="security-password-done" /> : null}
      {error ? (
        <Alert
          style={{ marginBottom: 16 }}
          type="error"
          showIcon
          data-testid="security-password-error"
          title={issues.length > 0 ? t('passwordChange.policy') : errorMessage(error, i18n.language)}
          description={issues.length > 0 ? (
            <ul style={{ margin: 0, paddingInlineStart: 20 }}>
              {issues.map((issue, index) => <li key={index}>{issue.message}</li>)}
            </ul>
          ) : undefined}
        />
      ) : null}
      <Form form={form} layout="vertical" onFinish={(values) => void onFinish(values)} requiredMark={false} style={{ maxWidth: 420 }}>
        <Form.Item name="currentPassword" label={t('passwordChange.current')} rules={[{ required: true, message: t('passwordChange.required') }]}>
          <Input.Password autoComplete="current-password" data-testid="security-current-password" />
        </Form.Item>
        <Form.Item name="newPassword" label={t('passwordChange.next')} rules={[{ required: true, message: t('passwordChange.required') }]}>
          <Input.Password autoComplete="new-password" data-testid="security-new-password" />
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
          <Input.Password autoComplete="new-password" data-testid="security-confirm-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={isSubmitting} data-testid="security-password-submit">{t('passwordChange.submit')}</Button>
      </Form>
    </Card>
  );
}

type Enrolment = Awaited<ReturnType<typeof startMfaEnrolment>>;

function MfaCard() {
  const { t } = useTranslation();
  const me = useMe();
  const queryClient = useQueryClient();
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [isBusy, setBusy] = useState(false);

  const start = async () => {
    setBusy(true);
    setError(null);
    try {
      setEnrolment(await startMfaEnrolment());
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  const confirm = async (values: { code: string }) => {
    setBusy(true);
    setError(null);
    try {
      const result = await confirmMfaEnrolment(values.code.replace(/\s+/g, ''));
      setRecoveryCodes(result.recoveryCodes);
      setEnrolment(null);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  const finish = async () => {
    setRecoveryCodes(null);
    await queryClient.invalidateQueries({ queryKey: meQuery.queryKey });
  };

  const downloadCodes = (codes: string[]) => {
    const blob = new Blob([`${codes.join('\n')}\n`], { type: 'text/plain;charset=utf-8' });
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = 'anjian-recovery-codes.txt';
    link.click();
    URL.revokeObjectURL(link.href);
  };

  const isEnabled = me.user.mfaEnabled || recoveryCodes !== null;
  return (
    <Card
      title={t('security.mfaTitle')}
      data-testid="security-mfa"
      extra={isEnabled
        ? <Tag color="green" data-testid="security-mfa-state" data-state="on">{t('security.mfaOn')}</Tag>
        : <Tag data-testid="security-mfa-state" data-state="off">{t('security.mfaOff')}</Tag>}
    >
      {error ? <div style={{ marginBottom: 16 }}><ErrorAlert error={error} /></div> : null}
      {recoveryCodes ? (
        <>
          <Alert type="warning" showIcon title={t('enrol.recoveryHint')} style={{ marginBottom: 16 }} />
          <List
            data-testid="security-recovery-codes"
            bordered
            grid={{ column: 2 }}
            dataSource={recoveryCodes}
            renderItem={(code) => (
              <List.Item style={{ padding: '6px 12px' }}>
                <Typography.Text code copyable data-testid="security-recovery-code">{code}</Typography.Text>
              </List.Item>
            )}
          />
          <Space style={{ marginTop: 16 }}>
            <Button onClick={() => downloadCodes(recoveryCodes)}>{t('enrol.download')}</Button>
            <Button type="primary" data-testid="security-recovery-saved" onClick={() => void finish()}>{t('security.recoverySaved')}</Button>
          </Space>
        </>
      ) : isEnabled ? (
        <Typography.Paragraph data-testid="security-mfa-enabled">
          {t('security.mfaEnabledHint')}
          {' '}
          {t('security.recoveryAdminOnly')}
        </Typography.Paragraph>
      ) : enrolment ? (
        <>
          <Typography.Paragraph>{t('security.enrolHint')}</Typography.Paragraph>
          <Flex justify="center">
            <img src={enrolment.qrDataUrl} alt="TOTP QR code" width={200} height={200} data-testid="security-mfa-qr" />
          </Flex>
          <Typography.Paragraph style={{ textAlign: 'center' }}>
            {t('enrol.secret')}：<Typography.Text code copyable data-testid="security-mfa-secret">{enrolment.secret}</Typography.Text>
          </Typography.Paragraph>
          <Form layout="vertical" onFinish={(values) => void confirm(values)} requiredMark={false} style={{ maxWidth: 320, margin: '0 auto' }}>
            <Form.Item name="code" label={t('enrol.code')} rules={[{ required: true, message: t('mfa.codeRequired') }]}>
              <Input autoComplete="one-time-code" inputMode="numeric" maxLength={12} data-testid="security-mfa-code" />
            </Form.Item>
            <Space>
              <Button type="primary" htmlType="submit" loading={isBusy} data-testid="security-mfa-confirm">{t('enrol.submit')}</Button>
              <Button onClick={() => setEnrolment(null)}>{t('common.cancel')}</Button>
            </Space>
          </Form>
        </>
      ) : (
        <>
          <Typography.Paragraph>{me.mfaRequired ? t('security.mfaRequired') : t('security.mfaOptional')}</Typography.Paragraph>
          <Button type="primary" loading={isBusy} onClick={() => void start()} data-testid="security-mfa-start">{t('security.mfaStart')}</Button>
        </>
      )}
    </Card>
  );
}

export default function AccountSecurityPage() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>{t('security.title')}</Typography.Title>
      <Descriptions bordered size="small" column={1} data-testid="security-account">
        <Descriptions.Item label={t('login.email')}>{me.user.email}</Descriptions.Item>
        <Descriptions.Item label={t('security.displayName')}>{me.user.displayName}</Descriptions.Item>
        <Descriptions.Item label={t('security.passwordChangedAt')}>
          <span data-testid="security-password-changed-at">{new Date(me.user.passwordChangedAt).toLocaleString(i18n.language)}</span>
        </Descriptions.Item>
      </Descriptions>
      <PasswordCard />
      <MfaCard />
    </Space>
  );
}
