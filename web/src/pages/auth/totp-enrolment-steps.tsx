/**
 * The TOTP enrolment steps shared by the forced first-login step and 帳號安全: the QR code and secret
 * with a code to confirm, then the 10 recovery codes to save.
 */
import type { CSSProperties, ReactNode } from 'react';
import { Alert, Button, Flex, Form, Input, List, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { startMfaEnrolment } from '../../api/client.ts';

export type Enrolment = Awaited<ReturnType<typeof startMfaEnrolment>>;

/** The code as typed, without the spaces an authenticator app shows inside it. */
export function normaliseTotpCode(code: string): string {
  return code.replace(/\s+/g, '');
}

interface TotpSecretStepProps {
  enrolment: Enrolment;
  /** Prefix of the QR, secret and code data-testids ('' on the first-login step, 'security-' on 帳號安全). */
  testIdPrefix?: string;
  submitTestId: string;
  isSubmitting: boolean;
  onConfirm: (values: { code: string }) => void;
  formStyle?: CSSProperties;
  /** Full-width submit button (the auth card). */
  block?: boolean;
  /** Shown beside the submit button (e.g. cancel). */
  extraAction?: ReactNode;
}

/** The QR code and secret to add to an authenticator app, and the code that confirms it. */
export function TotpSecretStep({ enrolment, testIdPrefix = '', submitTestId, isSubmitting, onConfirm, formStyle, block, extraAction }: TotpSecretStepProps) {
  const { t } = useTranslation();
  const submit = <Button type="primary" htmlType="submit" block={block} loading={isSubmitting} data-testid={submitTestId}>{t('enrol.submit')}</Button>;
  return (
    <>
      <Flex justify="center">
        <img src={enrolment.qrDataUrl} alt="TOTP QR code" width={200} height={200} data-testid={`${testIdPrefix}mfa-qr`} />
      </Flex>
      <Typography.Paragraph style={{ textAlign: 'center' }}>
        {t('enrol.secret')}：<Typography.Text code copyable data-testid={`${testIdPrefix}mfa-secret`}>{enrolment.secret}</Typography.Text>
      </Typography.Paragraph>
      <Form layout="vertical" onFinish={onConfirm} requiredMark={false} style={formStyle}>
        <Form.Item name="code" label={t('enrol.code')} rules={[{ required: true, message: t('mfa.codeRequired') }]}>
          <Input autoComplete="one-time-code" inputMode="numeric" maxLength={12} data-testid={`${testIdPrefix}mfa-code`} />
        </Form.Item>
        {extraAction ? <Space>{submit}{extraAction}</Space> : submit}
      </Form>
    </>
  );
}

function downloadRecoveryCodes(codes: string[]): void {
  const blob = new Blob([`${codes.join('\n')}\n`], { type: 'text/plain;charset=utf-8' });
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = 'anjian-recovery-codes.txt';
  link.click();
  URL.revokeObjectURL(link.href);
}

interface RecoveryCodesStepProps {
  codes: string[];
  /** Prefix of the list, code and button data-testids ('' on the first-login step, 'security-' on 帳號安全). */
  testIdPrefix?: string;
  savedLabel: string;
  onSaved: () => void;
  /** Full-width buttons stacked (the auth card) rather than side by side. */
  block?: boolean;
}

/** The recovery codes, shown once, with a download and the button that says they are kept. */
export function RecoveryCodesStep({ codes, testIdPrefix = '', savedLabel, onSaved, block }: RecoveryCodesStepProps) {
  const { t } = useTranslation();
  return (
    <>
      <Alert type="warning" showIcon title={t('enrol.recoveryHint')} style={{ marginBottom: 16 }} />
      <List
        data-testid={`${testIdPrefix}recovery-codes`}
        bordered
        grid={{ column: 2 }}
        dataSource={codes}
        renderItem={(code) => (
          <List.Item style={{ padding: '6px 12px' }}>
            <Typography.Text code copyable data-testid={`${testIdPrefix}recovery-code`}>{code}</Typography.Text>
          </List.Item>
        )}
      />
      <Space orientation={block ? 'vertical' : undefined} style={block ? { width: '100%', marginTop: 16 } : { marginTop: 16 }}>
        <Button block={block} onClick={() => downloadRecoveryCodes(codes)}>{t('enrol.download')}</Button>
        <Button type="primary" block={block} data-testid={`${testIdPrefix}recovery-saved`} onClick={onSaved}>{savedLabel}</Button>
      </Space>
    </>
  );
}
