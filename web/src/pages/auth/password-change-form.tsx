/**
 * The password-change form shared by the forced first-login step and 帳號安全: current, new and
 * confirmation; policy problems come from the server's `issues`.
 */
import { useState, type CSSProperties } from 'react';
import { Alert, Button, Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError, changePassword } from '../../api/client.ts';
import { errorMessage } from '../../components/page-states.tsx';

type ChangeResult = Awaited<ReturnType<typeof changePassword>>;

interface PasswordChangeValues {
  currentPassword: string;
  newPassword: string;
  confirmPassword: string;
}

interface PasswordChangeFormProps {
  /** Prefix of every data-testid ('' on the first-login step, 'security-' on 帳號安全). */
  testIdPrefix?: string;
  /** Runs after the server accepted the new password. */
  onChanged: (result: ChangeResult) => Promise<void>;
  /** When set, the form stays: it empties itself and shows this message after a change. */
  changedMessage?: string;
  autoFocus?: boolean;
  /** Full-width submit button (the auth card). */
  block?: boolean;
  style?: CSSProperties;
}

export function PasswordChangeForm({ testIdPrefix = '', onChanged, changedMessage, autoFocus, block, style }: PasswordChangeFormProps) {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm<PasswordChangeValues>();
  const [error, setError] = useState<unknown>(null);
  const [isDone, setDone] = useState(false);
  const [isSubmitting, setSubmitting] = useState(false);

  const onFinish = async (values: PasswordChangeValues) => {
    setSubmitting(true);
    setError(null);
    setDone(false);
    try {
      const result = await changePassword(values.currentPassword, values.newPassword);
      if (changedMessage !== undefined) {
        form.resetFields();
        setDone(true);
      }
      await onChanged(result);
    } catch (caught) {
      setError(caught);
    } finally {
      setSubmitting(false);
    }
  };

  const issues = error instanceof ApiError ? error.issues : [];
  return (
    <>
      {isDone ? <Alert type="success" showIcon title={changedMessage} style={{ marginBottom: 16 }} data-testid={`${testIdPrefix}password-done`} /> : null}
      {error ? (
        <Alert
          style={{ marginBottom: 16 }}
          type="error"
          showIcon
          data-testid={`${testIdPrefix}password-error`}
          title={issues.length > 0 ? t('passwordChange.policy') : errorMessage(error, i18n.language)}
          description={issues.length > 0 ? (
            <ul style={{ margin: 0, paddingInlineStart: 20 }} data-testid={`${testIdPrefix}password-issues`}>
              {issues.map((issue, index) => <li key={index}>{issue.message}</li>)}
            </ul>
          ) : undefined}
        />
      ) : null}
      <Form form={form} layout="vertical" onFinish={(values) => void onFinish(values)} requiredMark={false} style={style}>
        <Form.Item name="currentPassword" label={t('passwordChange.current')} rules={[{ required: true, message: t('passwordChange.required') }]}>
          <Input.Password autoComplete="current-password" data-testid={`${testIdPrefix}current-password`} autoFocus={autoFocus} />
        </Form.Item>
        <Form.Item name="newPassword" label={t('passwordChange.next')} rules={[{ required: true, message: t('passwordChange.required') }]}>
          <Input.Password autoComplete="new-password" data-testid={`${testIdPrefix}new-password`} />
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
          <Input.Password autoComplete="new-password" data-testid={`${testIdPrefix}confirm-password`} />
        </Form.Item>
        <Button type="primary" htmlType="submit" block={block} loading={isSubmitting} data-testid={`${testIdPrefix}password-submit`}>{t('passwordChange.submit')}</Button>
      </Form>
    </>
  );
}
