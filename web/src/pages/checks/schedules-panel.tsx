/**
 * 檢查排程 (users with `check:schedule`): the firm's scheduled live checks (tls host:port, cron in
 * Taiwan time) — list, add, turn on or off, delete — through the check schedules API.
 */
import type { HTMLAttributes } from 'react';
import { App as AntApp, Button, Card, Form, Input, Popconfirm, Select, Space, Switch, Table, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import {
  ApiError, createCheckSchedule, deleteCheckSchedule, listCheckSchedules, setCheckScheduleEnabled, type CheckSchedule, type CheckSummary,
} from '../../api/client.ts';
import { ErrorAlert, errorMessage } from '../../components/page-states.tsx';

interface NewSchedule {
  check: string;
  target: string;
  cron: string;
}

export function SchedulesPanel({ firmId, checks }: { firmId: string; checks: CheckSummary[] }) {
  const { t, i18n } = useTranslation();
  const { message } = AntApp.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<NewSchedule>();
  const liveChecks = checks.filter((check) => check.available && check.isLiveTarget);
  const key = ['checks', firmId, 'schedules'];
  const schedules = useQuery({ queryKey: key, queryFn: () => listCheckSchedules(firmId) });
  const refresh = () => queryClient.invalidateQueries({ queryKey: key });
  const fail = (error: unknown) => void message.error(errorMessage(error, i18n.language));

  const create = useMutation({
    mutationFn: (values: NewSchedule) => createCheckSchedule(firmId, { check: values.check, target: values.target.trim(), cron: values.cron.trim() }),
    onSuccess: async () => {
      void message.success(t('schedules.added'));
      form.resetFields(['target', 'cron']);
      await refresh();
    },
    onError: (error) => {
      // The server names the field (target, cron, check): put its message there.
      if (error instanceof ApiError && error.issues.length > 0) {
        form.setFields(error.issues
          .map((issue) => ({ name: issue.where.replace(/^body\./, '') as keyof NewSchedule, errors: [issue.message] }))
          .filter((field) => ['check', 'target', 'cron'].includes(field.name)));
      }
    },
  });
  const toggle = useMutation({
    mutationFn: ({ id, enabled }: { id: string; enabled: boolean }) => setCheckScheduleEnabled(firmId, id, enabled),
    onSuccess: refresh,
    onError: fail,
  });
  const remove = useMutation({
    mutationFn: (id: string) => deleteCheckSchedule(firmId, id),
    onSuccess: async () => {
      void message.success(t('schedules.removed'));
      await refresh();
    },
    onError: fail,
  });

  return (
    <Card size="small" title={t('schedules.title')} data-testid="check-schedules">
      <Typography.Paragraph type="secondary">{t('schedules.hint')}</Typography.Paragraph>
      {schedules.error ? <ErrorAlert error={schedules.error} /> : (
        <Table<CheckSchedule>
          size="small"
          rowKey="id"
          loading={schedules.isFetching}
          dataSource={schedules.data?.schedules ?? []}
          pagination={{ pageSize: 10, hideOnSinglePage: true }}
          locale={{ emptyText: t('schedules.none') }}
          onRow={(row) => ({ 'data-target': row.target }) as HTMLAttributes<HTMLElement>}
          columns={[
            { title: t('schedules.check'), dataIndex: 'checkId', width: 90 },
            { title: t('schedules.target'), dataIndex: 'target' },
            { title: t('schedules.cron'), dataIndex: 'cron', render: (cron: string) => <Typography.Text code>{cron}</Typography.Text> },
            {
              title: t('schedules.enabled'), dataIndex: 'enabled', width: 80,
              render: (enabled: boolean, row) => (
                <Switch size="small" checked={enabled} loading={toggle.isPending && toggle.variables?.id === row.id} onChange={(checked) => toggle.mutate({ id: row.id, enabled: checked })} data-testid="schedule-enabled" />
              ),
            },
            { title: t('schedules.created'), dataIndex: 'createdAt', width: 170, render: (at: string | null) => (at ? new Date(at).toLocaleString(i18n.language) : '—') },
            {
              title: t('common.actions'), width: 90,
              render: (_value, row) => (
                <Popconfirm title={t('schedules.removeConfirm')} onConfirm={() => remove.mutate(row.id)}>
                  <Button size="small" danger icon={<DeleteOutlined />} data-testid="schedule-delete">{t('schedules.remove')}</Button>
                </Popconfirm>
              ),
            },
          ]}
        />
      )}
      <Form<NewSchedule>
        form={form}
        layout="inline"
        style={{ marginTop: 12, rowGap: 8 }}
        initialValues={{ check: liveChecks[0]?.name ?? 'tls' }}
        onFinish={(values) => create.mutate(values)}
      >
        <Form.Item name="check" label={t('schedules.check')} rules={[{ required: true }]}>
          <Select style={{ width: 100 }} options={liveChecks.map((check) => ({ value: check.name, label: check.name }))} data-testid="schedule-check" />
        </Form.Item>
        <Form.Item name="target" label={t('schedules.target')} rules={[{ required: true, whitespace: true, message: t('schedules.targetRequired') }]}>
          <Input style={{ width: 220 }} placeholder="www.example.com:443" data-testid="schedule-target" />
        </Form.Item>
        <Form.Item name="cron" label={t('schedules.cron')} extra={t('schedules.cronHint')} rules={[{ required: true, whitespace: true, message: t('schedules.cronRequired') }]}>
          <Input style={{ width: 150 }} placeholder="0 6 * * *" data-testid="schedule-cron" />
        </Form.Item>
        <Form.Item>
          <Space>
            <Button type="primary" htmlType="submit" icon={<PlusOutlined />} loading={create.isPending} data-testid="schedule-add">{t('schedules.add')}</Button>
          </Space>
        </Form.Item>
      </Form>
      {create.error && !(create.error instanceof ApiError && create.error.issues.length > 0) ? <div style={{ marginTop: 8 }}><ErrorAlert error={create.error} /></div> : null}
    </Card>
  );
}
