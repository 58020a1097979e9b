/** Loading, error and not-found states shared by every page. */
import { Alert, Button, Result, Spin } from 'antd';
import { Link, type ErrorComponentProps } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client.ts';

export function PageLoading() {
  const { t } = useTranslation();
  return (
    <div style={{ padding: 48, textAlign: 'center' }} data-testid="page-loading">
      <Spin description={t('common.loading')} />
    </div>
  );
}

/** The message of any error in the user's language (the server sends zh-TW and English). */
export function errorMessage(error: unknown, language: string): string {
  if (error instanceof ApiError) {
    return error.messageIn(language);
  }
  return error instanceof Error ? error.message : String(error);
}

export function ErrorAlert({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t, i18n } = useTranslation();
  const issues = error instanceof ApiError ? error.issues : [];
  return (
    <Alert
      type="error"
      showIcon
      data-testid="error-alert"
      title={errorMessage(error, i18n.language)}
      description={issues.length > 1 ? (
        <ul style={{ margin: 0, paddingInlineStart: 20 }}>
          {issues.map((issue, index) => <li key={index}>{issue.where}：{issue.message}</li>)}
        </ul>
      ) : undefined}
      action={onRetry ? <Button size="small" onClick={onRetry}>{t('common.retry')}</Button> : undefined}
    />
  );
}

export function PageError({ error, reset }: ErrorComponentProps) {
  return (
    <div style={{ padding: 24 }}>
      <ErrorAlert error={error} onRetry={reset} />
    </div>
  );
}

export function NotFound() {
  const { t } = useTranslation();
  return (
    <Result
      status="404"
      title="404"
      subTitle={t('common.notFound')}
      extra={<Link to="/catalog"><Button type="primary">{t('menu.catalog')}</Button></Link>}
    />
  );
}

export function Forbidden({ reason }: { reason?: string }) {
  const { t } = useTranslation();
  return <Result status="403" title="403" subTitle={reason ?? t('errors.forbidden')} data-testid="forbidden" />;
}
