/**
 * 帳號安全 — every signed-in user's own account: change the password at any time, and turn on the
 * second factor (TOTP) voluntarily, which otherwise only opens at the forced first-login step.
 */
import { useState } from 'react';
import { Button, Card, Descriptions, Form, Input, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useQueryClient } from '@tanstack/react-query';
import { confirmMfaEnrolment, regenerateRecoveryCodes, startMfaEnrolment } from '../../api/client.ts';
import { ErrorAlert } from '../../components/page-states.tsx';
import { meQuery, useMe } from '../../auth/session.ts';
import { PasswordChangeForm } from '../auth/password-change-form.tsx';
import { normaliseTotpCode, RecoveryCodesStep, TotpSecretStep, type Enrolment } from '../auth/totp-enrolment-steps.tsx';

function PasswordCard() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  return (
    <Card title={t('security.passwordTitle')} data-testid="security-password">
      <Typography.Paragraph type="secondary">{t('security.passwordHint')}</Typography.Paragraph>
      <PasswordChangeForm
        testIdPrefix="security-"
        changedMessage={t('security.passwordChanged')}
        style={{ maxWidth: 420 }}
        // The server revokes every session and answers with a new cookie pair; /me carries the new CSRF token.
        onChanged={() => queryClient.invalidateQueries({ queryKey: meQuery.queryKey })}
      />
    </Card>
  );
}

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
      const result = await confirmMfaEnrolment(normaliseTotpCode(values.code));
      setRecoveryCodes(result.recoveryCodes);
      setEnrolment(null);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  const regenerate = async (values: { code: string }) => {
    setBusy(true);
    setError(null);
    try {
      setRecoveryCodes((await regenerateRecoveryCodes(normaliseTotpCode(values.code))).recoveryCodes);
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
        <RecoveryCodesStep testIdPrefix="security-" codes={recoveryCodes} savedLabel={t('security.recoverySaved')} onSaved={() => void finish()} />
      ) : isEnabled ? (
        <>
          <Typography.Paragraph data-testid="security-mfa-enabled">
            {t('security.mfaEnabledHint')}
            {' '}
            {t('security.recoveryAdminOnly')}
          </Typography.Paragraph>
          <Typography.Paragraph type="secondary">{t('security.regenerateHint')}</Typography.Paragraph>
          <Form<{ code: string }> layout="inline" onFinish={(values) => void regenerate(values)} data-testid="security-recovery-regenerate-form">
            <Form.Item name="code" rules={[{ required: true, message: t('security.regenerateCode') }]}>
              <Input placeholder={t('security.regenerateCode')} inputMode="numeric" autoComplete="one-time-code" style={{ width: 180 }} data-testid="security-recovery-regenerate-code" />
            </Form.Item>
            <Button htmlType="submit" loading={isBusy} data-testid="security-recovery-regenerate">{t('security.regenerate')}</Button>
          </Form>
        </>
      ) : enrolment ? (
        <>
          <Typography.Paragraph>{t('security.enrolHint')}</Typography.Paragraph>
          <TotpSecretStep
            enrolment={enrolment}
            testIdPrefix="security-"
            submitTestId="security-mfa-confirm"
            isSubmitting={isBusy}
            onConfirm={(values) => void confirm(values)}
            formStyle={{ maxWidth: 320, margin: '0 auto' }}
            extraAction={<Button onClick={() => setEnrolment(null)}>{t('common.cancel')}</Button>}
          />
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
