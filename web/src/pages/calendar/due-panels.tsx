/**
 * The calendar's 即將到期 (next 60 days) and 逾期 (past periods without an approved self-inspection)
 * lists, counted from today whatever year the page shows, and the button that creates a period's
 * self-inspection (campaign) with its cycle and period filled in.
 */
import { useState, type HTMLAttributes } from 'react';
import { Alert, Button, Card, Form, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import type { ButtonProps } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { ApiError, createCampaign, getFirmCalendar, listCampaigns, type CalendarPeriod, type Cycle } from '../../api/client.ts';
import { useActiveFirm } from '../../auth/session.ts';
import { errorMessage, ErrorAlert } from '../../components/page-states.tsx';
import { listOverduePeriods, listUpcoming, type OverduePeriod, type UpcomingEntry } from './due-lists.ts';

const CAMPAIGN_DOCUMENTS = ['CSIM', 'NET', 'ETECH'];

function CreatePeriodCampaignModal({ firmId, period, onClose }: { firmId: string; period: CalendarPeriod; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ document: string; title?: string }>();
  const create = useMutation({
    mutationFn: (values: { document: string; title?: string }) =>
      createCampaign(firmId, { document: values.document, cycle: period.cycle as Cycle, period: period.id, title: values.title || undefined, carryForward: true }),
    onSuccess: async (result) => {
      await queryClient.invalidateQueries({ queryKey: ['campaigns', firmId] });
      onClose();
      void navigate({ to: '/campaigns/$campaignId', params: { campaignId: result.campaign.id } });
    },
  });
  const error = create.error instanceof ApiError ? create.error : null;
  const existingId = error?.code === 'CONFLICT' && typeof error.details.campaignId === 'string' ? error.details.campaignId : null;
  return (
    <Modal
      open
      title={`${t('calendarDue.createCampaign')}：${period.id}（${t(`cycle.${period.cycle}`)}）`}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('calendarDue.createCampaign')}
      okButtonProps={{ loading: create.isPending, 'data-testid': 'calendar-campaign-submit' } as ButtonProps}
    >
      {create.error ? (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          data-testid="calendar-campaign-error"
          title={errorMessage(create.error, i18n.language)}
          action={existingId ? <Link to="/campaigns/$campaignId" params={{ campaignId: existingId }}>{t('calendarDue.openCampaign')}</Link> : undefined}
        />
      ) : null}
      <Typography.Paragraph type="secondary">{`${period.start}～${period.end}・${t('calendar.due')} ${period.due}`}</Typography.Paragraph>
      <Form form={form} layout="vertical" initialValues={{ document: 'CSIM' }} onFinish={(values) => create.mutate(values)}>
        <Form.Item name="document" label={t('common.document')} rules={[{ required: true }]}>
          <Select options={CAMPAIGN_DOCUMENTS.map((document) => ({ value: document, label: document }))} data-testid="calendar-campaign-document" />
        </Form.Item>
        <Form.Item name="title" label={t('campaigns.titleField')}>
          <Input maxLength={200} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function DuePanels({ today }: { today: string }) {
  const { t, i18n } = useTranslation();
  const { firm, can } = useActiveFirm();
  const firmId = firm!.id;
  const year = Number(today.slice(0, 4));
  const canReadCampaigns = can('campaign:read');
  const canCreate = can('campaign:create');
  const [creating, setCreating] = useState<CalendarPeriod | null>(null);
  // Today's window spans at most last year, this year and next year.
  const calendars = useQueries({
    queries: [year - 1, year, year + 1].map((each) => ({ queryKey: ['calendar', firmId, each], queryFn: () => getFirmCalendar(firmId, each) })),
  });
  const campaigns = useQuery({ queryKey: ['campaigns', firmId, 'all'], queryFn: () => listCampaigns(firmId), enabled: canReadCampaigns });

  const failed = calendars.find((query) => query.error)?.error ?? campaigns.error;
  if (failed) {
    return <ErrorAlert error={failed} />;
  }
  const isLoaded = calendars.every((query) => query.data) && (!canReadCampaigns || campaigns.data);
  const periods = calendars.flatMap((query) => query.data?.periods ?? []);
  const obligations = calendars.flatMap((query) => query.data?.obligations ?? []);
  const upcoming = isLoaded ? listUpcoming(periods, obligations, today) : [];
  const overdue = isLoaded && canReadCampaigns ? listOverduePeriods(periods, campaigns.data?.campaigns ?? [], today) : [];
  const isEnglish = i18n.language === 'en';

  const campaignFor = (period: CalendarPeriod) =>
    campaigns.data?.campaigns.find((campaign) => campaign.cycle === period.cycle && campaign.period === period.id) ?? null;
  const createButton = (period: CalendarPeriod) => (canCreate ? (
    <Button size="small" icon={<PlusOutlined />} onClick={() => setCreating(period)} data-testid={`calendar-create-${period.cycle}-${period.id}`}>
      {t('calendarDue.createCampaign')}
    </Button>
  ) : null);

  return (
    <>
      <Card title={t('calendarDue.upcoming')} loading={!isLoaded}>
        <Table<UpcomingEntry>
          data-testid="calendar-upcoming"
          size="small"
          rowKey="key"
          pagination={false}
          locale={{ emptyText: t('calendarDue.noUpcoming') }}
          dataSource={upcoming}
          onRow={(row) => ({ 'data-entry': `${row.kind}|${row.due}|${row.period?.id ?? row.obligation?.periodId}` }) as HTMLAttributes<HTMLElement>}
          columns={[
            { title: t('calendar.due'), dataIndex: 'due', width: 110, render: (due: string) => <strong>{due}</strong> },
            { title: t('calendarDue.daysLeft'), dataIndex: 'daysLeft', width: 100, render: (days: number) => <Tag color={days <= 14 ? 'orange' : 'blue'}>{t('calendarDue.days', { count: days })}</Tag> },
            {
              title: t('calendarDue.kind'), width: 110,
              render: (_value, row) => (row.kind === 'period' ? t('calendarDue.periodKind') : t('calendarDue.obligationKind')),
            },
            {
              title: t('calendar.period'),
              render: (_value, row) => (row.period
                ? `${row.period.id}（${t(`cycle.${row.period.cycle}`, { defaultValue: t('calendar.quarterly') })}）`
                : <span>{isEnglish ? row.obligation!.titleEn : row.obligation!.title}<Typography.Text type="secondary">（{row.obligation!.periodId}）</Typography.Text></span>),
            },
            {
              title: t('common.actions'), width: 170,
              render: (_value, row) => {
                if (!row.period || row.period.cycle === 'quarterly') {
                  return null;
                }
                const existing = campaignFor(row.period);
                return existing
                  ? <Link to="/campaigns/$campaignId" params={{ campaignId: existing.id }}>{t('calendarDue.openCampaign')}（{t(`campaignStatus.${existing.status}`)}）</Link>
                  : createButton(row.period);
              },
            },
          ]}
        />
      </Card>
      {canReadCampaigns ? (
        <Card title={t('calendarDue.overdue')} loading={!isLoaded}>
          <Table<OverduePeriod>
            data-testid="calendar-overdue"
            size="small"
            rowKey={(row) => `${row.period.cycle}:${row.period.id}`}
            pagination={{ pageSize: 10, hideOnSinglePage: true }}
            locale={{ emptyText: t('calendarDue.noOverdue') }}
            dataSource={overdue}
            columns={[
              { title: t('calendar.due'), width: 110, render: (_value, row) => <strong>{row.period.due}</strong> },
              { title: t('calendarDue.daysOverdue'), width: 100, render: (_value, row) => <Tag color="red">{t('calendarDue.days', { count: row.daysOverdue })}</Tag> },
              { title: t('calendar.period'), render: (_value, row) => `${row.period.id}（${t(`cycle.${row.period.cycle}`)}）` },
              {
                title: t('calendarDue.campaign'),
                render: (_value, row) => (row.campaign ? (
                  <Space>
                    <Link to="/campaigns/$campaignId" params={{ campaignId: row.campaign.id }}>{row.campaign.title}</Link>
                    <Tag>{t(`campaignStatus.${row.campaign.status}`)}</Tag>
                  </Space>
                ) : <Typography.Text type="secondary">{t('calendarDue.noCampaign')}</Typography.Text>),
              },
              { title: t('common.actions'), width: 170, render: (_value, row) => (row.campaign ? null : createButton(row.period)) },
            ]}
          />
        </Card>
      ) : null}
      {creating ? <CreatePeriodCampaignModal firmId={firmId} period={creating} onClose={() => setCreating(null)} /> : null}
    </>
  );
}
