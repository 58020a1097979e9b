/**
 * The active firm's year: inspection periods with due dates and statutory obligations; .ics export.
 * Above it, counted from today: what falls due in the next 60 days and the overdue periods (DuePanels).
 */
import { Button, Card, Flex, InputNumber, Space, Table, Tag, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { calendarIcsUrl, getFirmCalendar, type CalendarPeriod, type ObligationOccurrence } from '../../api/client.ts';
import { useActiveFirm } from '../../auth/session.ts';
import { ItemLink } from '../../components/catalog-bits.tsx';
import { ErrorAlert, PageLoading } from '../../components/page-states.tsx';
import { DuePanels } from './due-panels.tsx';
import { todayInTaipei } from '../../components/taiwan-date.ts';

const CYCLE_COLORS: Record<string, string> = { monthly: 'purple', quarterly: 'cyan', semiannual: 'blue', annual: 'geekblue' };

function FrequencyTag({ frequency }: { frequency: string }) {
  const { t } = useTranslation();
  const label = frequency === 'quarterly' ? t('calendar.quarterly') : t(`cycle.${frequency}`, { defaultValue: frequency });
  return <Tag color={CYCLE_COLORS[frequency]}>{label}</Tag>;
}

export default function CalendarPage() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const { firm } = useActiveFirm();
  const firmId = firm!.id;
  const search = useSearch({ strict: false }) as { year?: number };
  const year = typeof search.year === 'number' ? search.year : new Date().getFullYear();
  const calendar = useQuery({ queryKey: ['calendar', firmId, year], queryFn: () => getFirmCalendar(firmId, year) });
  const isEnglish = i18n.language === 'en';
  const today = todayInTaipei();
  const dueStyle = (due: string) => (due < today ? { color: '#8c8c8c' } : undefined);

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Card>
        <Flex justify="space-between" align="center" wrap gap="middle">
          <Space size="middle">
            <Typography.Title level={3} style={{ margin: 0 }}>{t('calendar.title')}</Typography.Title>
            <Typography.Text>{t('calendar.year')}</Typography.Text>
            <InputNumber data-testid="calendar-year" min={2000} max={2100} value={year} onChange={(value) => value && void navigate({ to: '/calendar', search: { year: value } })} />
          </Space>
          <Button icon={<DownloadOutlined />} href={calendarIcsUrl(firmId, year)} download data-testid="calendar-ics">{t('calendar.exportIcs')}</Button>
        </Flex>
      </Card>
      <DuePanels today={todayInTaipei()} />
      {calendar.isPending ? <PageLoading /> : calendar.error ? <ErrorAlert error={calendar.error} onRetry={() => void calendar.refetch()} /> : (
        <>
          <Card title={t('calendar.obligations')}>
            <Table<ObligationOccurrence>
              data-testid="calendar-obligations"
              size="small"
              rowKey={(row) => `${row.obligationId}:${row.periodId}`}
              pagination={false}
              dataSource={[...calendar.data.obligations].sort((a, b) => a.due.localeCompare(b.due))}
              columns={[
                { title: t('calendar.due'), dataIndex: 'due', width: 110, render: (due: string) => <strong style={dueStyle(due)}>{due}</strong> },
                {
                  title: t('calendar.obligation'),
                  render: (_value, row) => (
                    <div>
                      <div>{isEnglish ? row.titleEn : row.title}</div>
                      {row.note ? <Typography.Text type="secondary">{isEnglish ? row.noteEn : row.note}</Typography.Text> : null}
                    </div>
                  ),
                },
                { title: t('calendar.frequency'), dataIndex: 'frequency', width: 100, render: (frequency: string) => <FrequencyTag frequency={frequency} /> },
                { title: t('calendar.period'), width: 200, render: (_value, row) => `${row.periodId}（${row.periodStart}～${row.periodEnd}）` },
                { title: t('calendar.reason'), render: (_value, row) => (isEnglish ? row.reasonEn : row.reason) },
                { title: t('calendar.items'), width: 160, render: (_value, row) => <Space size={4} wrap>{row.itemIds.map((id) => <ItemLink key={id} id={id} />)}</Space> },
              ]}
            />
          </Card>
          <Card title={t('calendar.periods')}>
            <Table<CalendarPeriod>
              data-testid="calendar-periods"
              size="small"
              rowKey={(row) => `${row.cycle}:${row.id}`}
              pagination={false}
              dataSource={[...calendar.data.periods].sort((a, b) => a.due.localeCompare(b.due))}
              columns={[
                { title: t('calendar.due'), dataIndex: 'due', width: 110, render: (due: string) => <strong style={dueStyle(due)}>{due}</strong> },
                { title: t('calendar.period'), render: (_value, row) => `${row.id}（${row.start}～${row.end}）` },
                { title: t('calendar.frequency'), dataIndex: 'cycle', width: 100, render: (cycle: string) => <FrequencyTag frequency={cycle} /> },
                { title: t('calendar.codes'), render: (_value, row) => (row.codes ?? []).map((code) => <Tag key={code}>{code}</Tag>) },
                { title: t('calendar.items'), width: 100, render: (_value, row) => t('calendar.itemCount', { count: row.itemIds?.length ?? 0 }) },
              ]}
            />
          </Card>
        </>
      )}
    </Space>
  );
}
