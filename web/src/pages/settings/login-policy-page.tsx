/**
 * 登入政策 — the firm admin's login policy (`firm:update`): password expiry (1–90 days, or off with a
 * recorded reason) and second factor for everyone. Shows the stored values; each save is audited.
 */
import { useEffect } from 'react';
import { App as AntApp, Button, Card, Descriptions, Form, Input, InputNumber, Space, Switch, Typography } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError, getFirm, updateFirmSettings, type FirmSettingsRow } from '../../api/client.ts';
import { useActiveFirm } from '../../auth/session.ts';
import { ErrorAlert, PageLoading } from '../../components/page-states.tsx';

interface Values {
  passwordExpiryDays: number;
  passwordExpiryDisabled: boolean;
  passwordExpiryReason?: string;
  requireMfaForAll: boolean;
}

/** The defaults the server applies when the firm has no settings row yet. */
const DEFAULTS: Values = { passwordExpiryDays: 90, passwordExpiryDisabled: false, passwordExpiryReason: '', requireMfaForAll: false };

function toValues(settings: FirmSettingsRow | null): Values {
  if (!settings) {
    return DEFAULTS;
  }
  return {
    passwordExpiryDays: settings.password_expiry_days,
    passwordExpiryDisabled: settings.password_expiry_disabled,
    passwordExpiryReason: settings.password_expiry_reason ?? '',
    requireMfaForAll: settings.require_mfa_for_all,
  };
}

export default function LoginPolicyPage() {
  const { t, i18n } = useTranslation();
  const { message } = AntApp.useApp();
  const queryClient = useQueryClient();
  const { firm } = useActiveFirm();
  const firmId = firm!.id;
  const [form] = Form.useForm<Values>();
  const isDisabled = Form.useWatch('passwordExpiryDisabled', form);

  const current = useQuery({ queryKey: ['firm', firmId], queryFn: () => getFirm(firmId) });
  useEffect(() => {
    if (current.data) {
      form.setFieldsValue(toValues(current.data.settings));
    }
  }, [current.data, form]);

  const save = useMutation({
    mutationFn: (values: Values) => updateFirmSettings(firmId, {
      passwordExpiryDays: values.passwordExpiryDays,
      passwordExpiryDisabled: values.passwordExpiryDisabled,
      passwordExpiryReason: values.passwordExpiryDisabled ? values.passwordExpiryReason?.trim() : undefined,
      requireMfaForAll: values.requireMfaForAll,
    }),
    onSuccess: async () => {
      void message.success(t('loginPolicy.saved'));
      await queryClient.invalidateQueries({ queryKey: ['firm', firmId] });
    },
    onError: (error) => {
      // The server names the field (e.g. passwordExpiryReason): show its message on that field.
      if (error instanceof ApiError) {
        const fields = error.issues
          .map((issue) => ({ name: issue.where.replace(/^body\./, '') as keyof Values, errors: [issue.message] }))
          .filter((field) => field.name in DEFAULTS);
        form.setFields(fields);
      }
    },
  });

  if (current.isPending) {
    return <PageLoading />;
  }
  if (current.isError) {
    return <ErrorAlert error={current.error} />;
  }
  const stored = toValues(current.data.settings);
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={3} style={{ margin: 0 }}>{t('loginPolicy.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('loginPolicy.hint')}</Typography.Paragraph>
      <Descriptions bordered size="small" column={1} title={t('loginPolicy.current')} data-testid="login-policy-current">
        <Descriptions.Item label={t('loginPolicy.expiry')}>
          <span data-testid="login-policy-current-expiry">
            {stored.passwordExpiryDisabled
              ? t('loginPolicy.expiryOff', { reason: stored.passwordExpiryReason })
              : t('loginPolicy.expiryDays', { days: stored.passwordExpiryDays })}
          </span>
        </Descriptions.Item>
        <Descriptions.Item label={t('loginPolicy.mfaAll')}>
          <span data-testid="login-policy-current-mfa">{stored.requireMfaForAll ? t('common.yes') : t('common.no')}</span>
        </Descriptions.Item>
        {current.data.settings ? (
          <Descriptions.Item label={t('loginPolicy.updatedAt')}>{new Date(current.data.settings.updated_at).toLocaleString(i18n.language)}</Descriptions.Item>
        ) : null}
      </Descriptions>
      <Card title={t('loginPolicy.edit')}>
        {save.isError && !(save.error instanceof ApiError && save.error.issues.length > 0)
          ? <div style={{ marginBottom: 16 }}><ErrorAlert error={save.error} /></div>
          : null}
        <Form form={form} layout="vertical" initialValues={stored} onFinish={(values) => save.mutate(values)} style={{ maxWidth: 520 }}>
          <Form.Item name="passwordExpiryDays" label={t('loginPolicy.expiryDaysLabel')} rules={[{ required: true, type: 'number', min: 1, max: 90, message: t('loginPolicy.expiryDaysRange') }]}>
            <InputNumber min={1} max={90} disabled={isDisabled} data-testid="login-policy-days" />
          </Form.Item>
          <Form.Item name="passwordExpiryDisabled" label={t('loginPolicy.expiryDisabled')} valuePropName="checked">
            <Switch data-testid="login-policy-disable-expiry" />
          </Form.Item>
          {isDisabled ? (
            <Form.Item
              name="passwordExpiryReason"
              label={t('loginPolicy.reason')}
              rules={[{ required: true, whitespace: true, message: t('loginPolicy.reasonRequired') }]}
            >
              <Input.TextArea rows={3} maxLength={1000} data-testid="login-policy-reason" />
            </Form.Item>
          ) : null}
          <Form.Item name="requireMfaForAll" label={t('loginPolicy.mfaAll')} valuePropName="checked" extra={t('loginPolicy.mfaAllHint')}>
            <Switch data-testid="login-policy-mfa-all" />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="login-policy-save">{t('common.save')}</Button>
        </Form>
      </Card>
    </Space>
  );
}
