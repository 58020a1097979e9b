/**
 * Deficiencies (缺失追蹤): the list with filters from the URL (state, severity, source, overdue, age — as
 * the dashboard links them), raising a deficiency by hand, and the follow-up report (CSIM 11.(2)) as JSON
 * or XLSX.
 */
import { useState } from 'react';
import { Alert, App as AntApp, Button, Card, Checkbox, Flex, Form, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import type { ButtonProps } from 'antd';
import { DownloadOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import {
  createDeficiency, deficiencyReportUrl, listDeficiencies, type DeficiencyFilters, type DeficiencySource, type DeficiencyState, type DeficiencyView, type Severity,
} from '../../api/client.ts';
import { useActiveFirm } from '../../auth/session.ts';
import { ItemLink } from '../../components/catalog-bits.tsx';
import { ErrorAlert, errorMessage } from '../../components/page-states.tsx';
import { DeficiencyStateTag, OwnerSelect, SeverityTag } from './deficiency-bits.tsx';

const DEFICIENCY_STATES: DeficiencyState[] = ['open', 'planned', 'in_remediation', 'pending_verification', 'closed'];
const SOURCES: DeficiencySource[] = ['self_inspection', 'internal_audit', 'external_audit', 'exchange_inspection', 'automated_check'];
const SEVERITIES: Severity[] = ['high', 'medium', 'low'];

interface CreateValues {
  title: string;
  description?: string;
  source: DeficiencySource;
  items?: string[];
  severity: Severity;
  ownerId?: string | null;
  dueDate?: string;
  plan?: string;
  recommendation?: string;
}

function CreateDeficiencyModal({ firmId, onClose }: { firmId: string; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const { message } = AntApp.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<CreateValues>();
  const create = useMutation({
    mutationFn: (values: CreateValues) => createDeficiency(firmId, {
      title: values.title, description: values.description || undefined, source: values.source, items: values.items ?? [], severity: values.severity,
      ownerId: values.ownerId || undefined, dueDate: values.dueDate || undefined, plan: values.plan || undefined, recommendation: values.recommendation || undefined,
    }),
    onSuccess: async (created) => {
      void message.success(t('deficiencies.created'));
      await queryClient.invalidateQueries({ queryKey: ['deficiencies', firmId] });
      onClose();
      void navigate({ to: '/deficiencies/$deficiencyId', params: { deficiencyId: created.id } });
    },
  });
  return (
    <Modal open width={680} title={t('deficiencies.create')} onCancel={onClose} onOk={() => form.submit()}
      okButtonProps={{ loading: create.isPending, 'data-testid': 'deficiency-create-submit' } as ButtonProps}>
      <Form<CreateValues> form={form} layout="vertical" initialValues={{ source: 'self_inspection', severity: 'medium' }} onFinish={(values) => create.mutate(values)}>
        {create.error ? <Alert type="error" showIcon style={{ marginBottom: 16 }} title={errorMessage(create.error, i18n.language)} data-testid="deficiency-create-error" /> : null}
        <Form.Item name="title" label={t('deficiencies.titleField')} rules={[{ required: true, whitespace: true, message: t('deficiencies.titleField') }]}>
          <Input maxLength={300} data-testid="deficiency-title" />
        </Form.Item>
        <Form.Item name="description" label={t('deficiencies.description')}>
          <Input.TextArea rows={2} maxLength={10000} />
        </Form.Item>
        <Flex gap="middle">
          <Form.Item name="source" label={t('deficiencies.source')} style={{ flex: 1 }}>
            <Select options={SOURCES.map((value) => ({ value, label: t(`source.${value}`) }))} />
          </Form.Item>
          <Form.Item name="severity" label={t('deficiencies.severity')} style={{ width: 140 }}>
            <Select data-testid="deficiency-severity" options={SEVERITIES.map((value) => ({ value, label: t(`severity.${value}`) }))} />
          </Form.Item>
        </Flex>
        <Form.Item name="items" label={t('deficiencies.items')} extra={t('deficiencies.itemsHint')}>
          <Select mode="tags" open={false} tokenSeparators={[',', ' ', '，']} />
        </Form.Item>
        <Flex gap="middle">
          <Form.Item name="ownerId" label={t('deficiencies.owner')} style={{ flex: 1 }}>
            <OwnerSelect testId="deficiency-owner" />
          </Form.Item>
          <Form.Item name="dueDate" label={t('deficiencies.dueDate')} style={{ width: 180 }}>
            <Input type="date" />
          </Form.Item>
        </Flex>
        <Form.Item name="plan" label={t('deficiencies.plan')}>
          <Input.TextArea rows={2} maxLength={10000} />
        </Form.Item>
        <Form.Item name="recommendation" label={t('deficiencies.recommendation')}>
          <Input.TextArea rows={2} maxLength={10000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

type DeficiencySearch = Omit<DeficiencyFilters, 'state'> & { state?: string | string[] };

export default function DeficienciesPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { firm, can } = useActiveFirm();
  const firmId = firm!.id;
  const search = useSearch({ strict: false }) as DeficiencySearch;
  const states = (Array.isArray(search.state) ? search.state : typeof search.state === 'string' ? search.state.split(',') : []).filter((state): state is DeficiencyState => DEFICIENCY_STATES.includes(state as DeficiencyState));
  const filters: DeficiencyFilters = {
    state: states.length > 0 ? states.join(',') : undefined,
    isOpen: search.isOpen === true ? true : undefined,
    severity: search.severity,
    source: search.source,
    overdue: search.overdue === true ? true : undefined,
    ageMinDays: typeof search.ageMinDays === 'number' ? search.ageMinDays : undefined,
    ageMaxDays: typeof search.ageMaxDays === 'number' ? search.ageMaxDays : undefined,
    campaignId: search.campaignId,
  };
  const deficiencies = useQuery({ queryKey: ['deficiencies', firmId, filters], queryFn: () => listDeficiencies(firmId, filters), placeholderData: (previous) => previous });
  const [isCreating, setCreating] = useState(false);
  const choose = (change: Partial<DeficiencyFilters>) => {
    const next = { ...filters, ...change };
    void navigate({ to: '/deficiencies', search: Object.fromEntries(Object.entries(next).filter(([, value]) => value !== undefined && value !== '' && value !== false)) });
  };
  const hasAge = filters.ageMinDays !== undefined || filters.ageMaxDays !== undefined;

  return (
    <Card data-testid="deficiencies-page">
      <Flex justify="space-between" align="center" wrap gap="middle" style={{ marginBottom: 16 }}>
        <Space wrap>
          <Typography.Title level={3} style={{ margin: 0 }}>{t('deficiencies.title')}</Typography.Title>
          <Select mode="multiple" allowClear placeholder={t('deficiencies.state')} style={{ minWidth: 180 }} value={states} data-testid="filter-state"
            onChange={(value: DeficiencyState[]) => choose({ state: value.length > 0 ? value.join(',') : undefined })}
            options={DEFICIENCY_STATES.map((value) => ({ value, label: t(`deficiencyState.${value}`) }))} />
          <Select allowClear placeholder={t('deficiencies.severity')} style={{ width: 110 }} value={filters.severity} onChange={(severity) => choose({ severity })} data-testid="filter-severity"
            options={SEVERITIES.map((value) => ({ value, label: t(`severity.${value}`) }))} />
          <Select allowClear placeholder={t('deficiencies.source')} style={{ width: 140 }} value={filters.source} onChange={(source) => choose({ source })}
            options={SOURCES.map((value) => ({ value, label: t(`source.${value}`) }))} />
          <Checkbox checked={filters.isOpen === true} onChange={(event) => choose({ isOpen: event.target.checked || undefined })} data-testid="filter-open">{t('deficiencies.onlyOpen')}</Checkbox>
          <Checkbox checked={filters.overdue === true} onChange={(event) => choose({ overdue: event.target.checked || undefined })} data-testid="filter-overdue">{t('deficiencies.onlyOverdue')}</Checkbox>
          {hasAge ? (
            <Tag closable onClose={() => choose({ ageMinDays: undefined, ageMaxDays: undefined })} data-testid="filter-age">
              {t('deficiencies.filterAge', { min: filters.ageMinDays ?? 0, max: filters.ageMaxDays ?? '∞' })}
            </Tag>
          ) : null}
        </Space>
        <Space wrap>
          {can('report:read') ? (
            <>
              <Button icon={<DownloadOutlined />} href={deficiencyReportUrl(firmId, 'json', { source: filters.source })} data-testid="report-json">{t('deficiencies.exportJson')}</Button>
              <Button icon={<DownloadOutlined />} href={deficiencyReportUrl(firmId, 'xlsx', { source: filters.source })} data-testid="report-xlsx">{t('deficiencies.exportXlsx')}</Button>
            </>
          ) : null}
          {can('deficiency:create') ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="deficiency-create">{t('deficiencies.create')}</Button>
          ) : null}
        </Space>
      </Flex>
      {deficiencies.error ? <ErrorAlert error={deficiencies.error} onRetry={() => void deficiencies.refetch()} /> : (
        <Table<DeficiencyView>
          data-testid="deficiencies-table"
          rowKey="id"
          loading={deficiencies.isPending}
          dataSource={deficiencies.data?.deficiencies ?? []}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          locale={{ emptyText: t('deficiencies.empty') }}
          columns={[
            { title: t('deficiencies.number'), dataIndex: 'number', width: 70, render: (number: number) => `#${number}` },
            {
              title: t('deficiencies.titleField'), dataIndex: 'title',
              render: (title: string, row) => <Link to="/deficiencies/$deficiencyId" params={{ deficiencyId: row.id }} data-testid="deficiency-link">{title}</Link>,
            },
            { title: t('deficiencies.items'), dataIndex: 'items', render: (items: string[]) => <Space wrap size={4}>{items.map((id) => <ItemLink key={id} id={id} />)}</Space> },
            { title: t('deficiencies.source'), dataIndex: 'source', width: 110, render: (source: DeficiencySource) => t(`source.${source}`) },
            { title: t('deficiencies.severity'), dataIndex: 'severity', width: 80, render: (severity: Severity) => <SeverityTag severity={severity} /> },
            { title: t('deficiencies.state'), dataIndex: 'state', width: 110, render: (state: DeficiencyState) => <DeficiencyStateTag state={state} /> },
            { title: t('deficiencies.owner'), dataIndex: 'owner', width: 200, render: (owner: string | null) => owner ?? '—' },
            {
              title: t('deficiencies.dueDate'), dataIndex: 'dueDate', width: 150,
              render: (due: string | null, row) => <Space>{due ?? '—'}{row.isOverdue ? <Tag color="red" data-testid="deficiency-overdue">{t('deficiencies.overdue')}</Tag> : null}</Space>,
            },
            { title: t('deficiencies.age'), dataIndex: 'ageDays', width: 80, render: (days: number) => t('deficiencies.ageDays', { days }) },
          ]}
        />
      )}
      {isCreating ? <CreateDeficiencyModal firmId={firmId} onClose={() => setCreating(false)} /> : null}
    </Card>
  );
}
