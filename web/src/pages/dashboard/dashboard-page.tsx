/**
 * The compliance dashboard of the active firm: compliance by document and section, the trend across
 * periods, open deficiencies by severity and age, overdue work, upcoming self-inspections and evidence
 * validity (`GET /api/v1/firms/:firmId/dashboard`). Every figure clicks through to the list behind it
 * (the server names that list; `figure-links.ts` maps it to the app page).
 */
import { useMemo, useRef, type ReactNode } from 'react';
import { Card, Col, Empty, Row, Space, Statistic, Table, Tag, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { getDashboard, type Dashboard } from '../../api/client.ts';
import { useActiveFirm } from '../../auth/session.ts';
import { Chart } from '../../components/chart.tsx';
import { CycleTag } from '../../components/catalog-bits.tsx';
import { ErrorAlert, PageLoading } from '../../components/page-states.tsx';
import { toPageHref, toPageTarget, useChartClick, type RowsLink } from './figure-links.ts';

/** A figure as a link to the list behind it (plain text when the app has no page for that list). */
function FigureLink({ rows, children, testId }: { rows: RowsLink; children: ReactNode; testId?: string }) {
  const target = toPageTarget(rows);
  return target ? <Link to={target.to} search={target.search} data-testid={testId} data-href={toPageHref(target)} className="figure-link">{children}</Link> : <>{children}</>;
}

const percent = (rate: number | null) => (rate === null ? '—' : `${Math.round(rate * 1000) / 10}%`);
const SEVERITY_COLORS: Record<string, string> = { high: '#cf1322', medium: '#fa8c16', low: '#fadb14' };

function useCharts(data: Dashboard | undefined) {
  const { t } = useTranslation();
  return useMemo(() => {
    if (!data) {
      return null;
    }
    const byDocument = {
      tooltip: { trigger: 'axis', valueFormatter: (value: number) => `${value}%` },
      grid: { left: 48, right: 16, top: 16, bottom: 32 },
      xAxis: { type: 'category', data: data.byDocument.map((entry) => entry.document) },
      yAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
      series: [{ type: 'bar', barMaxWidth: 48, itemStyle: { color: '#1d4e89' }, data: data.byDocument.map((entry) => (entry.complianceRate === null ? null : Math.round(entry.complianceRate * 1000) / 10)) }],
    };
    const documents = [...new Set(data.trend.map((entry) => entry.document))];
    const periods = [...new Set(data.trend.map((entry) => entry.period))].sort();
    const trend = {
      tooltip: { trigger: 'axis', valueFormatter: (value: number) => `${value}%` },
      legend: { top: 0 },
      grid: { left: 48, right: 16, top: 32, bottom: 32 },
      xAxis: { type: 'category', data: periods },
      yAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
      series: documents.map((document) => ({
        name: document,
        type: 'line',
        connectNulls: true,
        data: periods.map((period) => {
          const point = data.trend.find((entry) => entry.document === document && entry.period === period);
          return point && point.complianceRate !== null ? Math.round(point.complianceRate * 1000) / 10 : null;
        }),
      })),
    };
    const buckets = [...new Set(data.openDeficiencies.map((entry) => entry.ageBucket))];
    const severities = [...new Set(data.openDeficiencies.map((entry) => entry.severity))];
    const deficiencies = {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 40, right: 16, top: 32, bottom: 32 },
      xAxis: { type: 'category', data: buckets.map((bucket) => t('dashboard.days', { bucket })) },
      yAxis: { type: 'value', minInterval: 1 },
      series: severities.map((severity) => ({
        name: t(`severity.${severity}`, { defaultValue: severity }),
        type: 'bar',
        stack: 'open',
        itemStyle: { color: SEVERITY_COLORS[severity] },
        data: buckets.map((bucket) => data.openDeficiencies.find((entry) => entry.severity === severity && entry.ageBucket === bucket)?.count ?? 0),
      })),
    };
    return { byDocument, trend, deficiencies };
  }, [data, t]);
}

/** Compliance by section of one campaign as bars; a bar opens that section's items on the campaign page. */
function SectionChart({ campaign }: { campaign: Dashboard['compliance'][number] }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const container = useRef<HTMLDivElement>(null);
  const option = useMemo(() => ({
    tooltip: { trigger: 'axis', valueFormatter: (value: number | null) => (value === null ? '—' : `${value}%`) },
    grid: { left: 48, right: 16, top: 16, bottom: 56 },
    xAxis: { type: 'category', data: campaign.sections.map((section) => section.section || t('campaigns.noSection')), axisLabel: { rotate: 30, interval: 0 } },
    yAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
    series: [{
      name: t('dashboardExtra.chart'),
      type: 'bar',
      barMaxWidth: 40,
      itemStyle: { color: '#1d4e89' },
      data: campaign.sections.map((section) => (section.complianceRate === null ? null : Math.round(section.complianceRate * 1000) / 10)),
    }],
  }), [campaign, t]);
  useChartClick(container, ({ dataIndex }) => {
    const section = campaign.sections[dataIndex]?.section;
    if (section !== undefined) {
      void navigate({ to: '/campaigns/$campaignId', params: { campaignId: campaign.campaignId }, search: { section } });
    }
  });
  return (
    <div ref={container} data-testid="dashboard-section-chart" data-sections={campaign.sections.map((section) => section.section).join(',')}>
      <Chart option={option} height={240} />
    </div>
  );
}

export default function DashboardPage() {
  const { t } = useTranslation();
  const { firm } = useActiveFirm();
  const firmId = firm!.id;
  const dashboard = useQuery({ queryKey: ['dashboard', firmId], queryFn: () => getDashboard(firmId) });
  const charts = useCharts(dashboard.data);
  const navigate = useNavigate();
  const go = (rows: RowsLink | undefined) => {
    const target = rows ? toPageTarget(rows) : null;
    if (target) {
      void navigate({ to: target.to, search: target.search });
    }
  };
  const byDocumentChart = useRef<HTMLDivElement>(null);
  const trendChart = useRef<HTMLDivElement>(null);
  const deficiencyChart = useRef<HTMLDivElement>(null);
  const data0 = dashboard.data;
  useChartClick(byDocumentChart, ({ dataIndex }) => {
    const document = data0?.byDocument[dataIndex]?.document;
    const campaign = data0?.compliance.find((entry) => entry.document === document);
    if (campaign) {
      void navigate({ to: '/campaigns/$campaignId', params: { campaignId: campaign.campaignId } });
    }
  });
  useChartClick(trendChart, ({ seriesIndex, dataIndex }) => {
    const documents = [...new Set(data0?.trend.map((entry) => entry.document) ?? [])];
    const periods = [...new Set(data0?.trend.map((entry) => entry.period) ?? [])].sort();
    go(data0?.trend.find((entry) => entry.document === documents[seriesIndex] && entry.period === periods[dataIndex])?.rows);
  });
  useChartClick(deficiencyChart, ({ seriesIndex, dataIndex }) => {
    const severities = [...new Set(data0?.openDeficiencies.map((entry) => entry.severity) ?? [])];
    const buckets = [...new Set(data0?.openDeficiencies.map((entry) => entry.ageBucket) ?? [])];
    go(data0?.openDeficiencies.find((entry) => entry.severity === severities[seriesIndex] && entry.ageBucket === buckets[dataIndex])?.rows);
  });

  if (dashboard.isPending) {
    return <PageLoading />;
  }
  if (dashboard.error) {
    return <ErrorAlert error={dashboard.error} onRetry={() => void dashboard.refetch()} />;
  }
  const data = dashboard.data;
  const openCount = data.openDeficiencies.reduce((sum, entry) => sum + entry.count, 0);

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }} data-testid="dashboard">
      <Space align="baseline">
        <Typography.Title level={3} style={{ margin: 0 }}>{t('dashboard.title')}</Typography.Title>
        <Typography.Text type="secondary">{t('dashboard.asOf', { today: data.today })}</Typography.Text>
      </Space>
      <Row gutter={[16, 16]}>
        <Col xs={12} md={6}>
          <Card hoverable onClick={() => void navigate({ to: '/deficiencies', search: { isOpen: true } })} data-testid="figure-open-deficiencies">
            <Statistic title={t('dashboard.openDeficiencies')} value={openCount} />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card hoverable onClick={() => go(data.overdue.deficiencies.rows)} data-testid="figure-overdue-deficiencies">
            <Statistic title={t('dashboard.overdueDeficiencies')} value={data.overdue.deficiencies.count} valueStyle={data.overdue.deficiencies.count > 0 ? { color: '#cf1322' } : undefined} />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card hoverable onClick={() => go(data.overdue.campaigns.rows)} data-testid="figure-overdue-campaigns">
            <Statistic title={t('dashboard.overdueCampaigns')} value={data.overdue.campaigns.count} valueStyle={data.overdue.campaigns.count > 0 ? { color: '#cf1322' } : undefined} />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card>
            <Statistic
              title={<span title={t('dashboardExtra.expiringHint')}>{`${t('dashboard.expired')}／${t('dashboardExtra.expiringWithin')}`}</span>}
              valueRender={() => (
                <span>
                  <FigureLink rows={data.evidence.expired.rows} testId="figure-evidence-expired">{data.evidence.expired.count}</FigureLink>
                  ／
                  <FigureLink rows={data.evidence.expiring.rows} testId="figure-evidence-expiring">{data.evidence.expiring.count}</FigureLink>
                </span>
              )}
            />
            {data.evidence.itemsWithExpiringEvidence.some((entry) => entry.count > 0) ? (
              <div data-testid="figure-items-expiring">
                <Typography.Text type="secondary">{t('dashboardExtra.itemsWithExpiringEvidence')}：</Typography.Text>
                <Space size={[8, 0]} wrap>
                  {data.evidence.itemsWithExpiringEvidence.filter((entry) => entry.count > 0).map((entry) => {
                    const campaign = data.trend.find((each) => each.campaignId === entry.campaignId);
                    return (
                      <FigureLink key={entry.campaignId} rows={entry.rows}>
                        {`${campaign ? `${campaign.document} ${campaign.period}` : entry.campaignId.slice(0, 8)}：${entry.count}`}
                      </FigureLink>
                    );
                  })}
                </Space>
              </div>
            ) : null}
          </Card>
        </Col>
      </Row>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <Card title={t('dashboard.byDocument')}>
            {data.byDocument.length === 0 ? <Empty description={t('dashboard.noData')} /> : charts ? <div ref={byDocumentChart}><Chart option={charts.byDocument} testId="chart-by-document" /></div> : null}
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={t('dashboard.trend')}>
            {data.trend.length === 0 ? <Empty description={t('dashboard.noData')} /> : charts ? <div ref={trendChart}><Chart option={charts.trend} testId="chart-trend" /></div> : null}
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={t('dashboard.deficiencies')}>
            {charts ? <div ref={deficiencyChart}><Chart option={charts.deficiencies} testId="chart-deficiencies" /></div> : null}
            <Space wrap size={[12, 4]} data-testid="deficiency-figures">
              {data.openDeficiencies.filter((entry) => entry.count > 0).map((entry) => (
                <FigureLink key={`${entry.severity}:${entry.ageBucket}`} rows={entry.rows} testId={`figure-deficiencies-${entry.severity}-${entry.ageBucket}`}>
                  {t(`severity.${entry.severity}`)}・{t('dashboard.days', { bucket: entry.ageBucket })}：{entry.count}
                </FigureLink>
              ))}
            </Space>
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={t('dashboard.upcoming')}>
            <Table
              size="small"
              pagination={false}
              rowKey={(row) => `${row.cycle}:${row.period}`}
              dataSource={data.upcomingCampaigns}
              columns={[
                { title: t('dashboard.due'), dataIndex: 'due', width: 110 },
                {
                  title: t('dashboard.period'),
                  render: (_value, row) => (row.campaignId
                    ? <Link to="/campaigns/$campaignId" params={{ campaignId: row.campaignId }}>{`${row.period}（${row.start}～${row.end}）`}</Link>
                    : <FigureLink rows={row.rows}>{`${row.period}（${row.start}～${row.end}）`}</FigureLink>),
                },
                { title: t('catalog.cycle'), dataIndex: 'cycle', width: 90, render: (cycle) => <CycleTag cycle={cycle} /> },
                { title: t('dashboard.status'), dataIndex: 'status', width: 110, render: (status: string | null) => <Tag>{status ? t(`campaignStatus.${status}`, { defaultValue: status }) : t('dashboard.notStarted')}</Tag> },
              ]}
            />
          </Card>
        </Col>
      </Row>
      {data.compliance.map((campaign) => (
        <Card
          key={campaign.campaignId}
          data-testid="dashboard-campaign"
          title={(
            <Link to="/campaigns/$campaignId" params={{ campaignId: campaign.campaignId }} data-testid="dashboard-campaign-link">
              {`${campaign.document} ${campaign.version}・${campaign.period}・${t('dashboard.compliance')} `}<span data-testid="dashboard-campaign-rate">{percent(campaign.complianceRate)}</span>
            </Link>
          )}
        >
          {campaign.sections.length > 0 ? <SectionChart campaign={campaign} /> : null}
          <Table
            size="small"
            pagination={false}
            rowKey="section"
            dataSource={campaign.sections}
            columns={[
              {
                title: t('dashboard.section'), dataIndex: 'section',
                render: (section: string) => <Link to="/campaigns/$campaignId" params={{ campaignId: campaign.campaignId }} search={{ section }} data-testid="section-link">{section}</Link>,
              },
              { title: t('dashboard.rate'), dataIndex: 'complianceRate', render: (rate: number | null) => percent(rate) },
              { title: t('dashboard.compliant'), render: (_value, row) => <FigureLink rows={row.compliant.rows} testId="section-compliant">{row.compliant.count}</FigureLink> },
              { title: t('dashboard.partial'), render: (_value, row) => <FigureLink rows={row.partial.rows}>{row.partial.count}</FigureLink> },
              { title: t('dashboard.nonCompliant'), render: (_value, row) => <FigureLink rows={row.nonCompliant.rows} testId="section-non-compliant">{row.nonCompliant.count}</FigureLink> },
              { title: t('dashboard.notApplicable'), render: (_value, row) => <FigureLink rows={row.notApplicable.rows}>{row.notApplicable.count}</FigureLink> },
              { title: t('dashboard.unassessed'), render: (_value, row) => <FigureLink rows={row.unassessed.rows}>{row.unassessed.count}</FigureLink> },
            ]}
          />
        </Card>
      ))}
    </Space>
  );
}
