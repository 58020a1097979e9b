/** Tags and small pieces shared by the campaign pages: result, review state, status, evidence validity. */
import { Progress, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { AssessmentResult, CampaignStatus, CampaignView, ReviewState } from '../../api/client.ts';

export const RESULT_OPTIONS: AssessmentResult[] = ['compliant', 'partial', 'non_compliant', 'not_applicable'];
const RESULT_COLORS: Record<AssessmentResult, string> = { compliant: 'green', partial: 'gold', non_compliant: 'red', not_applicable: 'default' };
const REVIEW_COLORS: Record<ReviewState, string> = { pending: 'default', submitted: 'blue', approved: 'green', returned: 'volcano' };
const STATUS_COLORS: Record<CampaignStatus, string> = { open: 'processing', in_review: 'blue', approved: 'green' };

export function ResultTag({ result }: { result: AssessmentResult | null }) {
  const { t } = useTranslation();
  return result === null
    ? <Tag data-testid="result-unassessed">{t('result.unassessed')}</Tag>
    : <Tag color={RESULT_COLORS[result]} data-testid={`result-${result}`}>{t(`result.${result}`)}</Tag>;
}

export function ReviewStateTag({ state }: { state: ReviewState }) {
  const { t } = useTranslation();
  return <Tag color={REVIEW_COLORS[state]} data-testid={`review-${state}`}>{t(`reviewState.${state}`)}</Tag>;
}

export function CampaignStatusTag({ status }: { status: CampaignStatus }) {
  const { t } = useTranslation();
  return <Tag color={STATUS_COLORS[status]} data-testid={`campaign-status-${status}`}>{t(`campaignStatus.${status}`)}</Tag>;
}

export function ValidityTag({ validity, isDeleted }: { validity: 'valid' | 'expiring' | 'expired'; isDeleted?: boolean }) {
  const { t } = useTranslation();
  if (isDeleted) {
    return <Tag data-testid="evidence-deleted">{t('campaigns.deleted')}</Tag>;
  }
  if (validity === 'expired') {
    return <Tag color="red" data-testid="evidence-expired">{t('campaigns.expired')}</Tag>;
  }
  return validity === 'expiring' ? <Tag color="orange" data-testid="evidence-expiring">{t('campaigns.expiring')}</Tag> : null;
}

export const percent = (rate: number | null) => (rate === null ? '—' : `${Math.round(rate * 1000) / 10}%`);

/** Assessed and approved shares of a campaign (or a section) as two bars. */
export function ProgressBars({ progress }: { progress: Pick<CampaignView['progress'], 'total' | 'assessed' | 'approved'> }) {
  const { t } = useTranslation();
  const share = (count: number) => (progress.total === 0 ? 0 : Math.round((count / progress.total) * 100));
  return (
    <Space orientation="vertical" size={0} style={{ width: '100%', minWidth: 160 }}>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('campaigns.assessed', { assessed: progress.assessed, total: progress.total })}</Typography.Text>
      <Progress percent={share(progress.assessed)} size="small" />
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('campaigns.approvedCount', { approved: progress.approved })}</Typography.Text>
      <Progress percent={share(progress.approved)} size="small" strokeColor="#389e0d" />
    </Space>
  );
}
