/**
 * The exchange inspector's page (`GET /api/v1/inspections/firms`): every assigned firm side by side
 * (classification, latest self-inspections, compliance, open deficiencies by severity, overdue work,
 * audit-chain verification), sorted and filtered by the server; the comparison of firms by section
 * (deficiency counts by category, chart and table); and the form that records a finding on a firm.
 */
import { useMemo, useState } from 'react';
import { Alert, App as AntApp, Button, Card, Checkbox, Flex, Form, Input, Select, Space, Table, Tag, Typography } from 'antd';
import type { TableProps } from 'antd';
import { SafetyCertificateOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import {
  getInspectionOverview, recordInspectionFinding, verifyFirmAuditChain,
  type FirmOverviewRow, type InspectionOverview, type InspectionOverviewQuery, type Severity,
} from '../../api/client.ts';
import { Chart } from '../../components/chart.tsx';
import { ErrorAlert, PageLoading, errorMessage } from '../../components/page-states.tsx';

const SEVERITIES: Severity[] = ['high', 'medium', 'low'];
const SEVERITY_COLORS: Record<Severity, string> = { high: 'red', medium: 'orange', low: 'gold' };
const AUDIT_COLORS: Record<string, string> = { intact: 'green', broken: 'red', never_verified: 'default' };
const percent = (rate: number | null | undefined) => (rate === null || rate === undefined ? '—' : `${Math.round(rate * 1000) / 10}%`);
const SORT_KEYS: Record<string, string> = {
  name: 'name', tier: 'tier', complianceRate: 'complianceRate', openDeficiencies: 'openDeficiencies', overdue: 'overdue', audit: 'audit',
};

function FirmTable({ data, query, onSort, onVerified }: {
  data: InspectionOverview;
  query: InspectionOverviewQuery;
  onSort: (sort: string, order: 'asc' | 'desc') => void;
  onVerified: () => void;
}) {
  const { t, i18n } = useTranslation();
  const { message } = AntApp.useApp();
  const verify = useMutation({
    mutationFn: (firmId: string) => verifyFirmAuditChain(firmId),
    onSuccess: () => {
      void message.success(t('inspections.verified'));
      onVerified();
    },
    onError: (error) => void message.error(errorMessage(error, i18n.language)),
  });
  const sortOrder = (key: string) => (query.sort === key ? (query.order === 'desc' ? 'descend' : 'ascend') : null);
  const columns: TableProps<FirmOverviewRow>['columns'] = [
    { key: 'name', title: t('inspections.firm'), dataIndex: 'name', sorter: true, sortOrder: sortOrder('name'), fixed: 'left' },
    {
      key: 'tier', title: t('inspections.tier'), sorter: true, sortOrder: sortOrder('tier'),
      render: (_, row) => (row.classification.hasProfile
        ? <Space size={4} wrap>
            {row.classification.tier !== null && <Tag>{t('inspections.tierValue', { tier: row.classification.tier })}</Tag>}
            {row.classification.type !== null && <Tag>{t('inspections.typeValue', { type: row.classification.type })}</Tag>}
            {row.classification.cisoRequired && <Tag color="blue">{t('inspections.ciso')}</Tag>}
          </Space>
        : <Typography.Text type="secondary">{t('inspections.noProfile')}</Typography.Text>),
    },
    {
      key: 'campaigns', title: t('inspections.campaigns'),
      render: (_, row) => <Space direction="vertical" size={0}>{row.latestCampaigns.map((campaign) => (
        <span key={campaign.campaignId}>
          {campaign.document} {t(`cycle.${campaign.cycle}`)} {campaign.period}{' '}
          <Tag color={campaign.isOverdue ? 'red' : campaign.status === 'approved' ? 'green' : 'blue'}>{t(`campaignStatus.${campaign.status}`)}</Tag>
          {percent(campaign.complianceRate)}
        </span>
      ))}</Space>,
    },
    { key: 'complianceRate', title: t('inspections.compliance'), sorter: true, sortOrder: sortOrder('complianceRate'), align: 'right', render: (_, row) => percent(row.complianceRate) },
    {
      key: 'openDeficiencies', title: t('inspections.openDeficiencies'), sorter: true, sortOrder: sortOrder('openDeficiencies'),
      render: (_, row) => <Space size={4}>{SEVERITIES.map((severity) => (
        <Tag key={severity} color={row.openDeficiencies[severity] > 0 ? SEVERITY_COLORS[severity] : 'default'}>{t(`severity.${severity}`)} {row.openDeficiencies[severity]}</Tag>
      ))}</Space>,
    },
    {
      key: 'overdue', title: t('inspections.overdue'), sorter: true, sortOrder: sortOrder('overdue'), align: 'right',
      render: (_, row) => <span data-testid={`overdue-${row.firmId}`}>{row.overdue.deficiencies} / {row.overdue.campaigns}</span>,
    },
    { key: 'findings', title: t('inspections.findings'), dataIndex: 'inspectionFindings', align: 'right' },
    {
      key: 'audit', title: t('inspections.audit'), sorter: true, sortOrder: sortOrder('audit'),
      render: (_, row) => (
        <Space direction="vertical" size={2}>
          <Tag color={AUDIT_COLORS[row.auditVerification.state]}>{t(`inspections.auditState.${row.auditVerification.state}`)}</Tag>
          {row.auditVerification.verifiedAt && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{row.auditVerification.verifiedAt.slice(0, 16).replace('T', ' ')}</Typography.Text>}
          <Button size="small" icon={<SafetyCertificateOutlined />} loading={verify.isPending && verify.variables === row.firmId} onClick={() => verify.mutate(row.firmId)}>
            {t('inspections.verify')}
          </Button>
        </Space>
      ),
    },
  ];
  return (
    <Table<FirmOverviewRow>
      rowKey="firmId" size="small" columns={columns} dataSource={data.firms} pagination={false} scroll={{ x: 1100 }} data-testid="inspection-firms"
      onChange={(_pagination, _filters, sorter) => {
        const single = Array.isArray(sorter) ? sorter[0] : sorter;
        const key = typeof single?.columnKey === 'string' ? SORT_KEYS[single.columnKey] : undefined;
        if (key && single?.order) onSort(key, single.order === 'descend' ? 'desc' : 'asc');
        else onSort('name', 'asc');
      }}
    />
  );
}

function SectionComparison({ data }: { data: InspectionOverview }) {
  const { t } = useTranslation();
  const { comparison } = data;
  const label = (section: string) => (section === 'unclassified' ? t('inspections.unclassified') : section);
  const option = useMemo(() => ({
    tooltip: { trigger: 'axis' },
    legend: { top: 0, type: 'scroll' },
    grid: { left: 40, right: 16, top: 36, bottom: 56 },
    xAxis: { type: 'category', data: comparison.sections.map(label), axisLabel: { rotate: 40 } },
    yAxis: { type: 'value', minInterval: 1 },
    series: comparison.firms.map((firm) => ({
      name: firm.name, type: 'bar', stack: 'firms', data: comparison.sections.map((section) => firm.bySection[section] ?? 0),
    })),
  }), [comparison, t]);
  const columns: TableProps<InspectionOverview['comparison']['firms'][number]>['columns'] = [
    { key: 'name', title: t('inspections.firm'), dataIndex: 'name', fixed: 'left' },
    ...comparison.sections.map((section) => ({
      key: section, title: label(section), align: 'right' as const,
      render: (_: unknown, firm: InspectionOverview['comparison']['firms'][number]) => (
        <span title={`${t('inspections.compliance')} ${percent(firm.complianceRates[section])}`}>{firm.bySection[section] ?? 0}</span>
      ),
    })),
    { key: 'total', title: t('inspections.total'), dataIndex: 'total', align: 'right' },
  ];
  return (
    <Card title={t('inspections.comparison')} data-testid="section-comparison">
      <Typography.Paragraph type="secondary">{t('inspections.comparisonHint')}</Typography.Paragraph>
      {comparison.top.length > 0 && (
        <Typography.Paragraph data-testid="top-sections">
          {t('inspections.top')}：{comparison.top.map((entry) => `${label(entry.section)} ${percent(entry.share)}`).join('、')}
        </Typography.Paragraph>
      )}
      <Chart option={option} height={300} testId="section-chart" />
      <Table rowKey="firmId" size="small" columns={columns} dataSource={comparison.firms} pagination={false} scroll={{ x: 1200 }}
        summary={() => (
          <Table.Summary.Row>
            <Table.Summary.Cell index={0}>{t('inspections.total')}</Table.Summary.Cell>
            {comparison.overall.map((entry, index) => (
              <Table.Summary.Cell key={entry.section} index={index + 1} align="right">{entry.count}{entry.share !== null && entry.count > 0 ? ` (${percent(entry.share)})` : ''}</Table.Summary.Cell>
            ))}
            <Table.Summary.Cell index={comparison.overall.length + 1} align="right">{comparison.firms.reduce((sum, firm) => sum + firm.total, 0)}</Table.Summary.Cell>
          </Table.Summary.Row>
        )} />
    </Card>
  );
}

interface FindingValues {
  firmId: string;
  itemId: string;
  text: string;
  severity: Severity;
  raiseDeficiency?: boolean;
  dueDate?: string;
  recommendation?: string;
}

function FindingForm({ data, onRecorded }: { data: InspectionOverview; onRecorded: () => void }) {
  const { t, i18n } = useTranslation();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<FindingValues>();
  const raise = Form.useWatch('raiseDeficiency', form);
  const record = useMutation({
    mutationFn: ({ firmId, ...values }: FindingValues) => recordInspectionFinding(firmId, {
      itemId: values.itemId.trim(), text: values.text, severity: values.severity, raiseDeficiency: values.raiseDeficiency ?? false,
      dueDate: values.dueDate || undefined, recommendation: values.recommendation || undefined,
    }),
    onSuccess: (finding) => {
      void message.success(finding.deficiencyNumber !== null ? t('inspections.recordedWithDeficiency', { number: finding.deficiencyNumber }) : t('inspections.recorded'));
      form.resetFields(['itemId', 'text', 'dueDate', 'recommendation']);
      onRecorded();
    },
  });
  return (
    <Card title={t('inspections.findingTitle')}>
      {record.error && <Alert type="error" showIcon style={{ marginBottom: 12 }} message={errorMessage(record.error, i18n.language)} />}
      <Form<FindingValues> form={form} layout="vertical" initialValues={{ severity: 'medium', raiseDeficiency: true }} onFinish={(values) => record.mutate(values)} data-testid="finding-form">
        <Flex gap={12} wrap>
          <Form.Item name="firmId" label={t('inspections.findingFirm')} style={{ minWidth: 240, flex: 1 }} rules={[{ required: true, message: t('inspections.required') }]}>
            <Select options={data.firms.map((firm) => ({ value: firm.firmId, label: firm.name }))} data-testid="finding-firm" />
          </Form.Item>
          <Form.Item name="itemId" label={t('inspections.itemId')} style={{ width: 240 }} rules={[{ required: true, whitespace: true, message: t('inspections.required') }]}>
            <Input data-testid="finding-item" />
          </Form.Item>
          <Form.Item name="severity" label={t('inspections.severity')} style={{ width: 120 }}>
            <Select options={SEVERITIES.map((severity) => ({ value: severity, label: t(`severity.${severity}`) }))} />
          </Form.Item>
        </Flex>
        <Form.Item name="text" label={t('inspections.text')} rules={[{ required: true, whitespace: true, message: t('inspections.required') }]}>
          <Input.TextArea rows={3} data-testid="finding-text" />
        </Form.Item>
        <Form.Item name="raiseDeficiency" valuePropName="checked">
          <Checkbox>{t('inspections.raiseDeficiency')}</Checkbox>
        </Form.Item>
        {raise && (
          <Flex gap={12} wrap>
            <Form.Item name="dueDate" label={t('inspections.dueDate')} style={{ width: 180 }}>
              <Input type="date" />
            </Form.Item>
            <Form.Item name="recommendation" label={t('inspections.recommendation')} style={{ flex: 1, minWidth: 280 }}>
              <Input.TextArea rows={2} />
            </Form.Item>
          </Flex>
        )}
        <Button type="primary" htmlType="submit" loading={record.isPending} data-testid="finding-submit">{t('inspections.record')}</Button>
      </Form>
    </Card>
  );
}

export default function InspectionsPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [query, setQuery] = useState<InspectionOverviewQuery>({ sort: 'name', order: 'asc' });
  const overview = useQuery({ queryKey: ['inspections', query], queryFn: () => getInspectionOverview(query), placeholderData: (previous) => previous });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['inspections'] });
  const update = (change: Partial<InspectionOverviewQuery>) => setQuery((current) => ({ ...current, ...change }));
  if (overview.isPending) return <PageLoading />;
  if (overview.error && !overview.data) return <ErrorAlert error={overview.error} onRetry={() => void overview.refetch()} />;
  const data = overview.data as InspectionOverview;
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <div>
        <Typography.Title level={3}>{t('inspections.title')}</Typography.Title>
        <Typography.Paragraph type="secondary">{t('inspections.hint')}</Typography.Paragraph>
      </div>
      <Card>
        <Flex gap={12} wrap align="center" style={{ marginBottom: 12 }}>
          <Input.Search allowClear placeholder={t('inspections.name')} style={{ width: 220 }} onSearch={(name) => update({ name: name || undefined })} data-testid="inspection-name" />
          <Select allowClear placeholder={t('inspections.anyTier')} style={{ width: 140 }} value={query.tier}
            options={[1, 2, 3, 4].map((tier) => ({ value: tier, label: t('inspections.tierValue', { tier }) }))} onChange={(tier?: number) => update({ tier })} />
          <Checkbox checked={query.hasOverdue === true} onChange={(event) => update({ hasOverdue: event.target.checked || undefined })} data-testid="inspection-overdue">{t('inspections.hasOverdue')}</Checkbox>
          <Checkbox checked={query.auditAttention === true} onChange={(event) => update({ auditAttention: event.target.checked || undefined })}>{t('inspections.auditAttention')}</Checkbox>
          <Space size={4}>
            <Input type="date" aria-label={t('inspections.from')} title={t('inspections.from')} style={{ width: 150 }} onChange={(event) => update({ from: event.target.value || undefined })} />
            ~
            <Input type="date" aria-label={t('inspections.to')} title={t('inspections.to')} style={{ width: 150 }} onChange={(event) => update({ to: event.target.value || undefined })} />
          </Space>
        </Flex>
        <FirmTable data={data} query={query} onSort={(sort, order) => update({ sort, order })} onVerified={refresh} />
      </Card>
      <SectionComparison data={data} />
      <FindingForm data={data} onRecorded={refresh} />
    </Space>
  );
}
