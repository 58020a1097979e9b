/**
 * The firm's audit trail: filters, the hash-chain verification (green when intact, otherwise each broken
 * event or chain head named), and CSV/JSON exports. Each event shows the role its actor acted in, and
 * the members' platform sign-in, lockout and MFA events are tagged 平台事件 (they live in the platform chain).
 */
import { useState } from 'react';
import { Alert, Button, Card, Descriptions, Flex, Form, Input, Space, Table, Tag, Typography } from 'antd';
import { DownloadOutlined, ReloadOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { auditExportUrl, listAuditEvents, verifyAuditLog, type AuditEvent, type AuditFilters } from '../../api/client.ts';
import { useActiveFirm } from '../../auth/session.ts';
import { ErrorAlert } from '../../components/page-states.tsx';

interface FilterValues {
  from?: string;
  to?: string;
  actor?: string;
  entity?: string;
  action?: string;
}

/** The role labels of an event's actor role: "assessor,reviewer" → 查核人員、覆核人員; platform_admin and system too. */
export function splitActorRole(actorRole: string | null): string[] {
  return (actorRole ?? '').split(',').map((role) => role.trim()).filter(Boolean);
}

/** Dates are whole days: `to` includes its day, so the API gets the next day as the exclusive bound. */
export function toAuditFilters(values: FilterValues): AuditFilters {
  const nextDay = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  return {
    from: values.from || undefined,
    to: values.to ? nextDay(values.to) : undefined,
    actor: values.actor?.trim() || undefined,
    entity: values.entity?.trim() || undefined,
    action: values.action?.trim() || undefined,
  };
}

function Verification({ firmId }: { firmId: string }) {
  const { t, i18n } = useTranslation();
  const query = useQuery({ queryKey: ['audit', firmId, 'verify'], queryFn: () => verifyAuditLog(firmId) });
  const reverify = <Button size="small" icon={<ReloadOutlined />} loading={query.isFetching} onClick={() => void query.refetch()}>{t('audit.verify')}</Button>;
  if (query.isPending) {
    return <Alert type="info" title={t('common.loading')} />;
  }
  if (query.error) {
    return <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />;
  }
  const report = query.data;
  const at = new Date(report.verifiedAt).toLocaleString(i18n.language);
  if (report.ok) {
    return (
      <Alert
        type="success"
        showIcon
        icon={<SafetyCertificateOutlined />}
        data-testid="audit-verify-ok"
        title={t('audit.verifyOk')}
        description={t('audit.verifyOkDetail', { chains: report.chains, events: report.events, at })}
        action={reverify}
      />
    );
  }
  return (
    <Alert
      type="error"
      showIcon
      data-testid="audit-verify-problems"
      title={t('audit.verifyBad')}
      action={reverify}
      description={(
        <ul style={{ margin: 0, paddingInlineStart: 20 }}>
          {report.problems.map((problem, index) => (
            <li key={index} data-testid="audit-problem">
              <strong>{t('audit.event', { id: problem.eventId ?? '—', seq: problem.seq })}</strong>　
              <Tag color="red" data-testid={`audit-problem-${problem.kind}`}>{t(`audit.problemKind.${problem.kind}`, { defaultValue: problem.kind })}</Tag>
              {i18n.language === 'en' ? problem.messageEn : problem.message}
              <Typography.Text type="secondary">（{problem.chain}）</Typography.Text>
            </li>
          ))}
        </ul>
      )}
    />
  );
}

export default function AuditPage() {
  const { t, i18n } = useTranslation();
  const { firm, can } = useActiveFirm();
  const firmId = firm!.id;
  const [form] = Form.useForm<FilterValues>();
  const [filters, setFilters] = useState<AuditFilters>({});
  const [page, setPage] = useState({ current: 1, pageSize: 50 });

  const events = useQuery({
    queryKey: ['audit', firmId, 'events', filters, page],
    queryFn: () => listAuditEvents(firmId, { ...filters, limit: page.pageSize, offset: (page.current - 1) * page.pageSize }),
    placeholderData: (previous) => previous,
  });

  const apply = (values: FilterValues) => {
    setFilters(toAuditFilters(values));
    setPage((current) => ({ ...current, current: 1 }));
  };

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Card>
        <Flex justify="space-between" align="center" wrap gap="middle">
          <Typography.Title level={3} style={{ margin: 0 }}>{t('audit.title')}</Typography.Title>
          {can('audit:export') ? (
            <Space>
              <Button icon={<DownloadOutlined />} href={auditExportUrl(firmId, 'csv', filters)} download data-testid="audit-export-csv">{t('audit.exportCsv')}</Button>
              <Button icon={<DownloadOutlined />} href={auditExportUrl(firmId, 'json', filters)} download data-testid="audit-export-json">{t('audit.exportJson')}</Button>
            </Space>
          ) : null}
        </Flex>
        {can('audit:verify') ? <div style={{ marginTop: 16 }}><Verification firmId={firmId} /></div> : null}
        <Form form={form} layout="inline" style={{ marginTop: 16, rowGap: 8 }} onFinish={apply} data-testid="audit-filters">
          <Form.Item name="from" label={t('audit.from')}><Input type="date" /></Form.Item>
          <Form.Item name="to" label={t('audit.to')}><Input type="date" /></Form.Item>
          <Form.Item name="actor" label={t('audit.actor')}><Input allowClear style={{ width: 200 }} /></Form.Item>
          <Form.Item name="entity" label={t('audit.entity')}><Input allowClear style={{ width: 140 }} /></Form.Item>
          <Form.Item name="action" label={t('audit.action')}><Input allowClear style={{ width: 180 }} /></Form.Item>
          <Space>
            <Button type="primary" htmlType="submit">{t('audit.apply')}</Button>
            <Button onClick={() => { form.resetFields(); apply({}); }}>{t('audit.reset')}</Button>
          </Space>
        </Form>
      </Card>
      <Card>
        {events.error ? <ErrorAlert error={events.error} onRetry={() => void events.refetch()} /> : (
          <Table<AuditEvent>
            data-testid="audit-table"
            size="small"
            rowKey="id"
            loading={events.isFetching}
            dataSource={events.data?.events ?? []}
            pagination={{
              current: page.current,
              pageSize: page.pageSize,
              total: events.data?.total ?? 0,
              showSizeChanger: true,
              showTotal: (total) => t('audit.total', { count: total }),
              onChange: (current, pageSize) => setPage({ current, pageSize }),
            }}
            expandable={{
              expandedRowRender: (event) => (
                <Descriptions size="small" column={1} bordered items={[
                  { key: 'entityId', label: t('audit.entityId'), children: event.entityId ?? '—' },
                  { key: 'detail', label: t('audit.detail'), children: <pre style={{ margin: 0, whiteSpace: 'pre-wrap' }}>{JSON.stringify(event.detail, null, 2)}</pre> },
                  { key: 'before', label: 'before digest', children: <Typography.Text code>{event.beforeDigest ?? '—'}</Typography.Text> },
                  { key: 'after', label: 'after digest', children: <Typography.Text code>{event.afterDigest ?? '—'}</Typography.Text> },
                  { key: 'prev', label: 'prev hash', children: <Typography.Text code>{event.prevHash}</Typography.Text> },
                  { key: 'hash', label: t('audit.hash'), children: <Typography.Text code>{event.hash}</Typography.Text> },
                ]} />
              ),
            }}
            columns={[
              { title: t('audit.at'), dataIndex: 'at', width: 190, render: (at: string) => new Date(at).toLocaleString(i18n.language) },
              {
                title: t('audit.actor'), render: (_value, event) => <span>{event.actorEmail ?? '—'}</span>,
              },
              {
                title: t('audit.role'), key: 'role', width: 150, render: (_value, event) => (
                  <span data-testid="audit-role">
                    {splitActorRole(event.actorRole).map((role) => <Tag key={role}>{t(`role.${role}`, { defaultValue: role })}</Tag>)}
                  </span>
                ),
              },
              {
                title: t('audit.action'), dataIndex: 'action', render: (action: string, event) => (
                  <span>
                    <Typography.Text code style={{ whiteSpace: 'nowrap' }}>{action}</Typography.Text>
                    {event.chain === 'platform' ? <Tag color="geekblue" title={t('audit.platformEventHint')} style={{ marginInlineStart: 6 }} data-testid="audit-platform-event">{t('audit.platformEvent')}</Tag> : null}
                  </span>
                ),
              },
              { title: t('audit.entity'), dataIndex: 'entity' },
              { title: t('audit.ip'), dataIndex: 'ip', width: 130 },
              { title: t('audit.via'), dataIndex: 'via', width: 70 },
              { title: t('audit.seq'), width: 80, render: (_value, event) => <span title={event.chain}>#{event.seq}</span> },
              { title: t('audit.hash'), dataIndex: 'hash', width: 110, render: (hash: string) => <Typography.Text code title={hash}>{hash.slice(0, 10)}</Typography.Text> },
            ]}
          />
        )}
      </Card>
    </Space>
  );
}
