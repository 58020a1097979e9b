/**
 * One campaign item: the catalog text (linked to the item page), why it applies, the assessment form
 * (result, justification, notes, evidence upload and links) saved with the item's revision, submission,
 * the reviewer's approve/return, and raising a deficiency from a partial or non-compliant result.
 * The card is keyed by the item's revision, so a saved or reloaded item starts from the server's values.
 */
import { useState } from 'react';
import {
  Alert, App as AntApp, Button, Card, Checkbox, Flex, Form, Input, Popover, Radio, Select, Space, Tag, Typography, Upload,
} from 'antd';
import { InboxOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import {
  ApiError, assessCampaignItem, createDeficiencyFromItem, evidenceDownloadUrl, reviewCampaignItems, submitCampaignItems, uploadEvidence,
  type AssessmentResult, type CampaignItemView, type CampaignView, type EvidenceView, type Severity,
} from '../../api/client.ts';
import { ItemLink, ItemText } from '../../components/catalog-bits.tsx';
import { errorMessage } from '../../components/page-states.tsx';
import { OwnerSelect } from '../deficiencies/deficiency-bits.tsx';
import { RESULT_OPTIONS, ResultTag, ReviewStateTag, ValidityTag } from './campaign-bits.tsx';
import { todayInTaipei } from '../../components/taiwan-date.ts';

export interface ItemCardProps {
  firmId: string;
  campaign: CampaignView;
  item: CampaignItemView;
  /** Evidence of the firm that may be linked. */
  vault: EvidenceView[];
  userId: string;
  canAssess: boolean;
  canReview: boolean;
  canRaiseDeficiency: boolean;
  canUpload: boolean;
  isSelected: boolean;
  onSelect: (selected: boolean) => void;
}

const todayIso = todayInTaipei;

function RaiseDeficiency({ firmId, campaignId, item }: { firmId: string; campaignId: string; item: CampaignItemView }) {
  const { t, i18n } = useTranslation();
  const { message } = AntApp.useApp();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [raised, setRaised] = useState<{ id: string; number: number } | null>(null);
  const [form] = Form.useForm<{ severity: Severity; ownerId?: string | null; dueDate?: string; plan?: string }>();
  const raise = useMutation({
    mutationFn: (values: { severity: Severity; ownerId?: string | null; dueDate?: string; plan?: string }) =>
      createDeficiencyFromItem(firmId, campaignId, item.id, { severity: values.severity, ownerId: values.ownerId || undefined, dueDate: values.dueDate || undefined, plan: values.plan || undefined }),
    onSuccess: async (created) => {
      setOpen(false);
      setRaised(created);
      void message.success(t('campaigns.deficiencyRaised', { number: created.number }));
      await queryClient.invalidateQueries({ queryKey: ['deficiencies', firmId] });
    },
  });
  if (raised) {
    return (
      <Link to="/deficiencies/$deficiencyId" params={{ deficiencyId: raised.id }} data-testid="item-deficiency-link">
        {t('campaigns.deficiencyRaised', { number: raised.number })}
      </Link>
    );
  }
  return (
    <Popover
      open={open}
      onOpenChange={setOpen}
      trigger="click"
      content={(
        <Form form={form} layout="vertical" style={{ width: 320 }} initialValues={{ severity: 'medium' }} onFinish={(values) => raise.mutate(values)}>
          {raise.error ? <Alert type="error" showIcon title={errorMessage(raise.error, i18n.language)} style={{ marginBottom: 8 }} /> : null}
          <Form.Item name="severity" label={t('deficiencies.severity')}>
            <Radio.Group data-testid="item-deficiency-severity" options={(['high', 'medium', 'low'] as const).map((value) => ({ value, label: t(`severity.${value}`) }))} />
          </Form.Item>
          <Form.Item name="ownerId" label={t('deficiencies.owner')}>
            <OwnerSelect testId="item-deficiency-owner" />
          </Form.Item>
          <Form.Item name="dueDate" label={t('deficiencies.dueDate')}>
            <Input type="date" data-testid="item-deficiency-due" />
          </Form.Item>
          <Form.Item name="plan" label={t('deficiencies.plan')}>
            <Input.TextArea rows={2} />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={raise.isPending} data-testid="item-deficiency-submit">{t('campaigns.raiseDeficiency')}</Button>
        </Form>
      )}
    >
      <Button size="small" danger data-testid="item-raise-deficiency">{t('campaigns.raiseDeficiency')}</Button>
    </Popover>
  );
}

export function ItemCard({ firmId, campaign, item, vault, userId, canAssess, canReview, canRaiseDeficiency, canUpload, isSelected, onSelect }: ItemCardProps) {
  const { t, i18n } = useTranslation();
  const { message } = AntApp.useApp();
  const queryClient = useQueryClient();
  const [result, setResult] = useState<AssessmentResult | null>(item.result);
  const [justification, setJustification] = useState(item.justification ?? '');
  const [notes, setNotes] = useState(item.notes ?? '');
  const [linkedIds, setLinkedIds] = useState<string[] | null>(null);
  const [returnComment, setReturnComment] = useState('');
  const [error, setError] = useState<unknown>(null);
  const isEnglish = i18n.language === 'en';
  const isLocked = campaign.isLocked;
  const isEditable = canAssess && !isLocked && (item.reviewState === 'pending' || item.reviewState === 'returned');
  const isDirty = result !== item.result || justification !== (item.justification ?? '') || notes !== (item.notes ?? '') || linkedIds !== null;
  const needsJustification = result === 'not_applicable' && justification.trim() === '';
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['campaign', firmId, campaign.id] });
  const fail = (failure: unknown) => {
    setError(failure);
    void message.error(errorMessage(failure, i18n.language));
  };

  const save = useMutation({
    mutationFn: () => assessCampaignItem(firmId, campaign.id, item.id, {
      revision: item.revision, result: result!, justification: justification.trim() === '' ? null : justification, notes: notes.trim() === '' ? null : notes,
      evidenceIds: linkedIds ?? undefined,
    }),
    onSuccess: async () => {
      setError(null);
      void message.success(t('campaigns.saved'));
      await refresh();
    },
    onError: fail,
  });
  const submit = useMutation({
    mutationFn: () => submitCampaignItems(firmId, campaign.id, [item.id]),
    onSuccess: async (outcome) => {
      setError(null);
      void message.success(t('campaigns.submitted', { count: outcome.submitted }));
      await refresh();
    },
    onError: fail,
  });
  const review = useMutation({
    mutationFn: (decision: 'approve' | 'return') => reviewCampaignItems(firmId, campaign.id, [{
      itemId: item.id, revision: item.revision, decision, comment: decision === 'return' ? returnComment : undefined,
    }]),
    onSuccess: async (outcome) => {
      setError(null);
      void message.success(t('campaigns.reviewed', outcome));
      await refresh();
    },
    onError: fail,
  });
  const upload = useMutation({
    mutationFn: (file: File) => uploadEvidence(firmId, {
      title: file.name, collectedOn: todayIso(), itemIds: [item.itemId], campaignItemIds: [item.id],
    }, file, file.name),
    onSuccess: async (created) => {
      setError(null);
      if (linkedIds !== null) {
        setLinkedIds([...linkedIds, created.id]);
      }
      await Promise.all([refresh(), queryClient.invalidateQueries({ queryKey: ['evidence', firmId] })]);
    },
    onError: fail,
  });

  const serverLinked = item.evidence.filter((entry) => !entry.isDeleted).map((entry) => entry.id);
  const shownIds = linkedIds ?? serverLinked;
  const isConflict = error instanceof ApiError && error.status === 409;
  const catalogId = `${campaign.document}@${campaign.version}:${item.path}`;

  return (
    <Card
      size="small"
      data-testid="campaign-item"
      data-item-id={item.itemId}
      title={(
        <Space wrap>
          <Checkbox checked={isSelected} onChange={(event) => onSelect(event.target.checked)} data-testid="item-select" />
          <ItemLink id={catalogId}>{item.itemId}</ItemLink>
          {item.label ? <Typography.Text type="secondary">{item.label}</Typography.Text> : null}
        </Space>
      )}
      extra={(
        <Space>
          {item.hasExpiredEvidence ? <Tag color="red">{t('campaigns.expired')}</Tag> : null}
          {item.hasExpiringEvidence ? <Tag color="orange">{t('campaigns.expiring')}</Tag> : null}
          <ResultTag result={item.result} />
          <ReviewStateTag state={item.reviewState} />
        </Space>
      )}
    >
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Typography.Paragraph ellipsis={{ rows: 3, expandable: true }} style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}>
          <ItemText text={item.text} notInSource={item.notInSource} />
        </Typography.Paragraph>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('campaigns.reason')}：{item.applicabilityReason}</Typography.Text>
        {item.reviewComment ? (
          <Alert type={item.reviewState === 'returned' ? 'warning' : 'info'} showIcon data-testid="item-review-comment"
            title={`${t('campaigns.reviewComment')}：${item.reviewComment}`} description={item.reviewer ? `${t('campaigns.reviewer')}：${item.reviewer}` : undefined} />
        ) : null}
        {error ? (
          <Alert type="error" showIcon data-testid="item-error" title={errorMessage(error, isEnglish ? 'en' : 'zh-TW')}
            action={isConflict ? <Button size="small" onClick={() => void refresh()} data-testid="item-reload">{t('campaigns.reload')}</Button> : undefined} />
        ) : null}

        {isEditable ? (
          <>
            <Radio.Group
              data-testid="item-result"
              value={result}
              onChange={(event) => setResult(event.target.value as AssessmentResult)}
              optionType="button"
              options={RESULT_OPTIONS.map((value) => ({ value, label: t(`result.${value}`) }))}
            />
            <Input.TextArea
              data-testid="item-justification"
              autoSize={{ minRows: 1, maxRows: 6 }}
              maxLength={5000}
              placeholder={t('campaigns.justification')}
              status={needsJustification ? 'error' : undefined}
              value={justification}
              onChange={(event) => setJustification(event.target.value)}
            />
            {needsJustification ? <Typography.Text type="danger" data-testid="item-justification-required">{t('campaigns.justificationRequired')}</Typography.Text> : null}
            <Input.TextArea data-testid="item-notes" autoSize={{ minRows: 1, maxRows: 6 }} maxLength={10000} placeholder={t('campaigns.notes')} value={notes} onChange={(event) => setNotes(event.target.value)} />
          </>
        ) : (
          <>
            {item.justification ? <Typography.Text>{t('campaigns.justification')}：{item.justification}</Typography.Text> : null}
            {item.notes ? <Typography.Text>{t('campaigns.notes')}：{item.notes}</Typography.Text> : null}
          </>
        )}

        <div>
          <Typography.Text strong>{t('campaigns.evidence')}</Typography.Text>
          <ul style={{ margin: '4px 0', paddingInlineStart: 20 }} data-testid="item-evidence">
            {item.evidence.map((entry) => (
              <li key={entry.id} data-testid="item-evidence-entry">
                {entry.isDeleted ? entry.title : <a href={evidenceDownloadUrl(firmId, entry.id)}>{entry.title}</a>}
                {entry.validUntil ? <Typography.Text type="secondary">（{t('campaigns.validUntil')} {entry.validUntil}）</Typography.Text> : null}
                {' '}<ValidityTag validity={entry.validity} isDeleted={entry.isDeleted} />
              </li>
            ))}
          </ul>
          {isEditable ? (
            <Flex gap="small" align="stretch" wrap>
              <Select
                mode="multiple"
                data-testid="item-link-evidence"
                placeholder={t('campaigns.linkExisting')}
                style={{ flex: '1 1 320px' }}
                value={shownIds}
                onChange={(ids: string[]) => setLinkedIds(ids)}
                optionFilterProp="label"
                options={vault.filter((entry) => !entry.isDeleted).map((entry) => ({ value: entry.id, label: entry.title }))}
              />
              {canUpload ? (
                <Upload.Dragger
                  data-testid="item-evidence-upload"
                  style={{ flex: '0 1 360px' }}
                  multiple={false}
                  showUploadList={false}
                  disabled={upload.isPending}
                  customRequest={(options) => {
                    upload.mutate(options.file as File, {
                      onSuccess: () => options.onSuccess?.({}),
                      onError: (failure) => options.onError?.(failure as Error),
                    });
                  }}
                >
                  <Typography.Text title={t('campaigns.uploadHint')} style={{ padding: '0 16px' }}>
                    <InboxOutlined style={{ color: '#1d4e89', marginInlineEnd: 8 }} />{upload.isPending ? t('common.loading') : t('campaigns.upload')}
                  </Typography.Text>
                </Upload.Dragger>
              ) : null}
            </Flex>
          ) : null}
        </div>

        <Flex gap="small" wrap justify="flex-end">
          {item.assessor ? <Typography.Text type="secondary" style={{ marginRight: 'auto', fontSize: 12 }}>{t('campaigns.assessor')}：{item.assessor}</Typography.Text> : null}
          {canRaiseDeficiency && (item.result === 'partial' || item.result === 'non_compliant') ? (
            <RaiseDeficiency firmId={firmId} campaignId={campaign.id} item={item} />
          ) : null}
          {isEditable ? (
            <>
              <Button type="primary" disabled={result === null || !isDirty || needsJustification} loading={save.isPending} onClick={() => save.mutate()} data-testid="item-save">
                {t('campaigns.save')}
              </Button>
              <Button disabled={item.result === null || isDirty} loading={submit.isPending} onClick={() => submit.mutate()} data-testid="item-submit">
                {t('campaigns.submit')}
              </Button>
            </>
          ) : null}
          {canReview && !isLocked && item.reviewState === 'submitted' ? (
            <>
              {item.assessorId === userId ? <Typography.Text type="warning" style={{ fontSize: 12 }}>{t('campaigns.selfReviewHint')}</Typography.Text> : null}
              <Input
                size="small"
                style={{ width: 240 }}
                placeholder={t('campaigns.returnComment')}
                value={returnComment}
                onChange={(event) => setReturnComment(event.target.value)}
                data-testid="item-return-comment"
              />
              <Button size="small" danger disabled={returnComment.trim() === ''} loading={review.isPending && review.variables === 'return'} onClick={() => review.mutate('return')} data-testid="item-return">
                {t('campaigns.return')}
              </Button>
              <Button size="small" type="primary" loading={review.isPending && review.variables === 'approve'} onClick={() => review.mutate('approve')} data-testid="item-approve">
                {t('campaigns.approve')}
              </Button>
            </>
          ) : null}
        </Flex>
      </Space>
    </Card>
  );
}
