/**
 * The firm's self-inspection campaigns (自行查核): period, cycle, version, status and progress, filterable
 * from the URL (`?overdue=true`, `?cycle=monthly&period=2026-03`, as the dashboard links them), and the
 * form that creates one. The form offers the next period due from the firm's calendar and lists the
 * items left out because they need profile answers.
 */
import { useMemo, useState } from 'react';
import { Alert, Button, Card, Checkbox, Flex, Form, Input, List, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import type { ButtonProps } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import {
  ApiError, createCampaign, getFirmCalendar, listCampaigns, type CampaignFilters, type CampaignView, type CreatedCampaign, type Cycle,
} from '../../api/client.ts';
import { useActiveFirm } from '../../auth/session.ts';
import { CycleTag, ItemLink } from '../../components/catalog-bits.tsx';
import { ErrorAlert, errorMessage } from '../../components/page-states.tsx';
import { useCatalogVersions } from '../catalog/use-catalog-versions.ts';
import { CampaignStatusTag, ProgressBars } from './campaign-bits.tsx';
import { todayInTaipei } from '../../components/taiwan-date.ts';

const CYCLES: Cycle[] = ['monthly', 'semiannual', 'annual'];

interface CreateValues {
  document: string;
  version?: string;
  cycle: Cycle;
  period: string;
  title?: string;
  carryForward: boolean;
}

type NeedsAnswer = CreatedCampaign['needsAnswer'];

function NeedsAnswerList({ items }: { items: NeedsAnswer }) {
  const { t, i18n } = useTranslation();
  return (
    <Alert
      type="warning"
      showIcon
      data-testid="needs-answer"
      title={t('campaigns.needsAnswer')}
      description={(
        <List
          size="small"
          dataSource={items}
          renderItem={(item) => (
            <List.Item>
              <Space wrap>
                <ItemLink id={item.id} />
                <Typography.Text type="secondary">{i18n.language === 'en' ? item.reasonEn : item.reason}</Typography.Text>
                {item.missingFields.map((field) => <Tag key={field}>{t(`fact.${field}`, { defaultValue: field })}</Tag>)}
              </Space>
            </List.Item>
          )}
        />
      )}
    />
  );
}

function CreateCampaignModal({ firmId, campaigns, onClose }: { firmId: string; campaigns: CampaignView[]; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<CreateValues>();
  const documents = useCatalogVersions();
  const document = Form.useWatch('document', form) ?? 'CSIM';
  const cycle = Form.useWatch('cycle', form) ?? 'monthly';
  const year = new Date().getFullYear();
  const today = todayInTaipei();
  const thisYear = useQuery({ queryKey: ['calendar', firmId, year], queryFn: () => getFirmCalendar(firmId, year) });
  const nextYear = useQuery({ queryKey: ['calendar', firmId, year + 1], queryFn: () => getFirmCalendar(firmId, year + 1) });
  const [created, setCreated] = useState<CreatedCampaign | null>(null);

  const periods = useMemo(() => {
    const all = [...(thisYear.data?.periods ?? []), ...(nextYear.data?.periods ?? [])].filter((period) => period.cycle === cycle);
    const unique = [...new Map(all.map((period) => [period.id, period])).values()].sort((a, b) => a.due.localeCompare(b.due));
    const taken = new Set(campaigns.filter((campaign) => campaign.cycle === cycle && campaign.document === document).map((campaign) => campaign.period));
    const next = unique.find((period) => period.due >= today && !taken.has(period.id)) ?? null;
    return { options: unique, next };
  }, [thisYear.data, nextYear.data, cycle, document, campaigns, today]);

  const versions = documents.data?.find((entry) => entry.document === document)?.versions ?? [];
  const create = useMutation({
    mutationFn: (values: CreateValues) => createCampaign(firmId, { ...values, title: values.title || undefined, version: values.version || undefined }),
    onSuccess: async (result) => {
      await queryClient.invalidateQueries({ queryKey: ['campaigns', firmId] });
      if (result.needsAnswer.length === 0) {
        onClose();
        void navigate({ to: '/campaigns/$campaignId', params: { campaignId: result.campaign.id } });
      } else {
        setCreated(result);
      }
    },
  });
  const error = create.error instanceof ApiError ? create.error : null;
  const existingId = error?.code === 'CONFLICT' && typeof error.details.campaignId === 'string' ? error.details.campaignId : null;
  const refusedNeedsAnswer = Array.isArray(error?.details.needsAnswer) ? (error.details.needsAnswer as NeedsAnswer) : [];

  return (
    <Modal
      open
      width={720}
      title={t('campaigns.create')}
      onCancel={onClose}
      okText={created ? t('campaigns.openCampaign') : t('campaigns.create')}
      okButtonProps={{ 'data-testid': 'campaign-create-submit', loading: create.isPending } as ButtonProps}
      onOk={() => {
        if (created) {
          onClose();
          void navigate({ to: '/campaigns/$campaignId', params: { campaignId: created.campaign.id } });
        } else {
          form.submit();
        }
      }}
    >
      {created ? (
        <Space orientation="vertical" style={{ width: '100%' }} data-testid="campaign-created">
          <Alert type="success" showIcon title={`${t('campaigns.created')}：${created.campaign.title}（${t('campaigns.items', { count: created.campaign.progress.total })}）`} />
          <NeedsAnswerList items={created.needsAnswer} />
        </Space>
      ) : (
        <Form<CreateValues>
          form={form}
          layout="vertical"
          initialValues={{ document: 'CSIM', cycle: 'monthly', carryForward: true }}
          onValuesChange={(changed) => {
            if ('cycle' in changed || 'document' in changed) {
              form.setFieldValue('period', undefined);
            }
          }}
          onFinish={(values) => create.mutate(values)}
        >
          {create.error ? (
            <Space orientation="vertical" style={{ width: '100%', marginBottom: 16 }}>
              <Alert type="error" showIcon data-testid="campaign-create-error" title={errorMessage(create.error, i18n.language)}
                action={existingId ? (
                  <Link to="/campaigns/$campaignId" params={{ campaignId: existingId }} onClick={onClose}>{t('campaigns.openExisting')}</Link>
                ) : undefined}
              />
              {refusedNeedsAnswer.length > 0 ? <NeedsAnswerList items={refusedNeedsAnswer} /> : null}
            </Space>
          ) : null}
          <Flex gap="middle">
            <Form.Item name="document" label={t('campaigns.document')} style={{ flex: 1 }}>
              <Select data-testid="campaign-document" options={(documents.data ?? []).map((entry) => ({ value: entry.document, label: `${entry.document}　${entry.title}` }))} />
            </Form.Item>
            <Form.Item name="version" label={t('campaigns.version')} style={{ width: 160 }}>
              <Select allowClear placeholder={t('common.latest')} data-testid="campaign-version"
                options={versions.map((version) => ({ value: version.version, label: version.isLatest ? `${version.version}（${t('common.latest')}）` : version.version }))} />
            </Form.Item>
          </Flex>
          <Flex gap="middle">
            <Form.Item name="cycle" label={t('campaigns.cycle')} style={{ width: 160 }}>
              <Select data-testid="campaign-cycle" options={CYCLES.map((value) => ({ value, label: t(`cycle.${value}`) }))} />
            </Form.Item>
            <Form.Item
              name="period"
              label={t('campaigns.period')}
              style={{ flex: 1 }}
              rules={[{ required: true, message: t('campaigns.period') }]}
              extra={periods.next ? (
                <Button type="link" size="small" style={{ padding: 0 }} data-testid="campaign-period-next" onClick={() => form.setFieldValue('period', periods.next!.id)}>
                  {t('campaigns.periodHint')}：{periods.next.id}（{t('campaigns.due')} {periods.next.due}）
                </Button>
              ) : undefined}
            >
              <Select
                showSearch
                data-testid="campaign-period"
                options={periods.options.map((period) => ({ value: period.id, label: `${period.id}（${period.start}～${period.end}，${t('campaigns.due')} ${period.due}）` }))}
              />
            </Form.Item>
          </Flex>
          <Form.Item name="title" label={t('campaigns.titleField')}>
            <Input maxLength={200} data-testid="campaign-title" />
          </Form.Item>
          <Form.Item name="carryForward" valuePropName="checked">
            <Checkbox>{t('campaigns.carryForward')}</Checkbox>
          </Form.Item>
        </Form>
      )}
    </Modal>
  );
}

export default function CampaignsPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { firm, can } = useActiveFirm();
  const firmId = firm!.id;
  const search = useSearch({ strict: false }) as CampaignFilters;
  const filters: CampaignFilters = { cycle: search.cycle, period: search.period ? String(search.period) : undefined, status: search.status, overdue: search.overdue === true ? true : undefined };
  const campaigns = useQuery({ queryKey: ['campaigns', firmId, filters], queryFn: () => listCampaigns(firmId, filters), placeholderData: (previous) => previous });
  const allCampaigns = useQuery({ queryKey: ['campaigns', firmId, {}], queryFn: () => listCampaigns(firmId), enabled: can('campaign:create') });
  const [isCreating, setCreating] = useState(false);
  const choose = (change: Partial<CampaignFilters>) => {
    const next = { ...filters, ...change };
    void navigate({ to: '/campaigns', search: Object.fromEntries(Object.entries(next).filter(([, value]) => value !== undefined && value !== '' && value !== false)) });
  };

  return (
    <Card data-testid="campaigns-page">
      <Flex justify="space-between" align="center" wrap gap="middle" style={{ marginBottom: 16 }}>
        <Space wrap>
          <Typography.Title level={3} style={{ margin: 0 }}>{t('campaigns.title')}</Typography.Title>
          <Select allowClear placeholder={t('campaigns.cycle')} style={{ width: 120 }} value={filters.cycle} onChange={(cycle) => choose({ cycle })}
            options={CYCLES.map((value) => ({ value, label: t(`cycle.${value}`) }))} />
          <Select allowClear placeholder={t('campaigns.status')} style={{ width: 120 }} value={filters.status} onChange={(status) => choose({ status })}
            options={(['open', 'in_review', 'approved'] as const).map((value) => ({ value, label: t(`campaignStatus.${value}`) }))} />
          <Input allowClear placeholder={t('campaigns.period')} style={{ width: 120 }} value={filters.period} onChange={(event) => choose({ period: event.target.value || undefined })} />
          <Checkbox checked={filters.overdue === true} onChange={(event) => choose({ overdue: event.target.checked || undefined })} data-testid="campaigns-overdue">{t('campaigns.overdue')}</Checkbox>
        </Space>
        {can('campaign:create') ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="campaign-create">{t('campaigns.create')}</Button>
        ) : null}
      </Flex>
      {campaigns.error ? <ErrorAlert error={campaigns.error} onRetry={() => void campaigns.refetch()} /> : (
        <Table<CampaignView>
          data-testid="campaigns-table"
          rowKey="id"
          loading={campaigns.isPending}
          dataSource={campaigns.data?.campaigns ?? []}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          locale={{ emptyText: t('campaigns.empty') }}
          columns={[
            {
              title: t('campaigns.title'), dataIndex: 'title',
              render: (title: string, row) => <Link to="/campaigns/$campaignId" params={{ campaignId: row.id }} data-testid="campaign-link">{title}</Link>,
            },
            { title: t('campaigns.period'), dataIndex: 'period', width: 100 },
            { title: t('campaigns.cycle'), dataIndex: 'cycle', width: 90, render: (cycle: Cycle) => <CycleTag cycle={cycle} /> },
            { title: t('campaigns.version'), width: 110, render: (_value, row) => `${row.document} ${row.version}` },
            {
              title: t('campaigns.due'), dataIndex: 'dueDate', width: 150,
              render: (due: string | null, row) => <Space>{due ?? '—'}{row.isOverdue ? <Tag color="red">{t('campaigns.overdue')}</Tag> : null}</Space>,
            },
            { title: t('campaigns.status'), dataIndex: 'status', width: 100, render: (status) => <CampaignStatusTag status={status} /> },
            { title: t('campaigns.progress'), width: 220, render: (_value, row) => <ProgressBars progress={row.progress} /> },
          ]}
        />
      )}
      {isCreating ? <CreateCampaignModal firmId={firmId} campaigns={allCampaigns.data?.campaigns ?? []} onClose={() => setCreating(false)} /> : null}
    </Card>
  );
}
