/**
 * PDF reports of the active firm: the annual 資訊安全整體執行情形 report for the board (CSIM 2.(6)),
 * the deficiency follow-up report (CSIM 11.(2)) and a self-inspection campaign report. Each button is
 * a plain link to `GET /api/v1/firms/:firmId/reports/<kind>.pdf` (the server prints and audits it).
 */
import { useState } from 'react';
import { Button, Card, Flex, Input, InputNumber, Select, Space, Typography } from 'antd';
import { FilePdfOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { listCampaigns, reportPdfUrl, type DeficiencySource } from '../../api/client.ts';
import { useActiveFirm } from '../../auth/session.ts';
import { ErrorAlert } from '../../components/page-states.tsx';

const SOURCES: DeficiencySource[] = ['self_inspection', 'internal_audit', 'external_audit', 'exchange_inspection', 'automated_check'];

function DownloadButton({ href, disabled, testId }: { href: string; disabled?: boolean; testId: string }) {
  const { t } = useTranslation();
  return (
    <Button type="primary" icon={<FilePdfOutlined />} href={disabled ? undefined : href} disabled={disabled} data-testid={testId}>
      {t('reports.download')}
    </Button>
  );
}

export default function ReportsPage() {
  const { t } = useTranslation();
  const { firm } = useActiveFirm();
  const firmId = firm?.id ?? '';
  const [year, setYear] = useState<number | null>(new Date().getFullYear() - 1);
  const [source, setSource] = useState<DeficiencySource | undefined>();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [campaignId, setCampaignId] = useState<string | undefined>();
  const campaigns = useQuery({ queryKey: ['campaigns', firmId, 'reports'], queryFn: () => listCampaigns(firmId), enabled: firmId !== '' });

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <div>
        <Typography.Title level={3}>{t('reports.title')}</Typography.Title>
        <Typography.Paragraph type="secondary">{t('reports.hint')}</Typography.Paragraph>
      </div>
      <Card title={t('reports.board')}>
        <Typography.Paragraph type="secondary">{t('reports.boardHint')}</Typography.Paragraph>
        <Flex gap={12} align="center" wrap>
          <span>{t('reports.year')}</span>
          <InputNumber min={2000} max={2100} value={year} onChange={(value) => setYear(value)} data-testid="report-year" />
          <DownloadButton href={reportPdfUrl(firmId, 'board', { year: year ?? undefined })} testId="report-board" />
        </Flex>
      </Card>
      <Card title={t('reports.followup')}>
        <Typography.Paragraph type="secondary">{t('reports.followupHint')}</Typography.Paragraph>
        <Flex gap={12} align="center" wrap>
          <Select allowClear placeholder={t('reports.source')} style={{ width: 180 }} value={source} onChange={setSource}
            options={SOURCES.map((value) => ({ value, label: t(`source.${value}`) }))} />
          <Input type="date" aria-label={t('reports.from')} title={t('reports.from')} style={{ width: 160 }} value={from} onChange={(event) => setFrom(event.target.value)} />
          ~
          <Input type="date" aria-label={t('reports.to')} title={t('reports.to')} style={{ width: 160 }} value={to} onChange={(event) => setTo(event.target.value)} />
          <DownloadButton href={reportPdfUrl(firmId, 'followup', { source, from, to })} testId="report-followup" />
        </Flex>
      </Card>
      <Card title={t('reports.campaign')}>
        <Typography.Paragraph type="secondary">{t('reports.campaignHint')}</Typography.Paragraph>
        {campaigns.error && <ErrorAlert error={campaigns.error} onRetry={() => void campaigns.refetch()} />}
        <Flex gap={12} align="center" wrap>
          <Select style={{ minWidth: 360 }} placeholder={t('reports.campaignSelect')} value={campaignId} onChange={setCampaignId} loading={campaigns.isPending}
            notFoundContent={t('reports.noCampaigns')} data-testid="report-campaign-select"
            options={(campaigns.data?.campaigns ?? []).map((campaign) => ({
              value: campaign.id, label: `${campaign.title}（${t(`campaignStatus.${campaign.status}`)}）`,
            }))} />
          <DownloadButton href={reportPdfUrl(firmId, 'campaign', { campaignId })} disabled={!campaignId} testId="report-campaign" />
        </Flex>
      </Card>
    </Space>
  );
}
