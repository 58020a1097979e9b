/**
 * One self-inspection campaign: items grouped by section with progress bars, the assessment and review
 * of each item, bulk actions on selected items, the lock once approved and reopening with a reason,
 * the checklist workbook out (XLSX link) and back in (errors listed by row and column), and carrying
 * last period's evidence forward. Filters come from the URL (`?section=CC-17010&result=compliant`), as
 * the dashboard links them.
 */
import { useMemo, useState } from 'react';
import {
  Alert, App as AntApp, Button, Card, Checkbox, Collapse, Descriptions, Empty, Flex, Input, Modal, Select, Space, Typography, Upload,
} from 'antd';
import type { ButtonProps } from 'antd';
import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams, useSearch } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import {
  ApiError, bulkAssessCampaignItems, campaignChecklistUrl, carryForwardCampaignEvidence, getCampaign, importCampaignChecklist, listCampaignItems,
  listEvidence, reopenCampaign, reviewCampaignItems, submitCampaignItems, type AssessmentResult, type CampaignItemFilters, type CampaignItemView,
} from '../../api/client.ts';
import { useActiveFirm } from '../../auth/session.ts';
import { CycleTag } from '../../components/catalog-bits.tsx';
import { ErrorAlert, errorMessage, PageLoading } from '../../components/page-states.tsx';
import { CampaignStatusTag, percent, ProgressBars, RESULT_OPTIONS } from './campaign-bits.tsx';
import { ItemCard } from './item-card.tsx';

interface ImportIssue {
  where: string;
  message: string;
  row?: number;
  column?: string;
}

function ImportErrors({ error }: { error: unknown }) {
  const { t, i18n } = useTranslation();
  const issues = (error instanceof ApiError ? error.issues : []) as ImportIssue[];
  return (
    <Alert
      type="error"
      showIcon
      data-testid="import-errors"
      title={issues.length > 0 ? t('campaigns.importErrors') : errorMessage(error, i18n.language)}
      description={issues.length > 0 ? (
        <ul style={{ margin: 0, paddingInlineStart: 20 }}>
          {issues.map((issue, index) => (
            <li key={index} data-testid="import-error">
              {issue.row !== undefined ? `${t('campaigns.row', { row: issue.row })}` : issue.where}
              {issue.column ? `・${t('campaigns.column', { column: issue.column })}` : ''}：{issue.message.replace(/^第 \d+ 列( [A-Z]+ 欄)?：/, '')}
            </li>
          ))}
        </ul>
      ) : undefined}
    />
  );
}

export default function CampaignPage() {
  const { t, i18n } = useTranslation();
  const { message } = AntApp.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { me, firm, can } = useActiveFirm();
  const firmId = firm!.id;
  const { campaignId } = useParams({ strict: false }) as { campaignId: string };
  const search = useSearch({ strict: false }) as CampaignItemFilters;
  const filters: CampaignItemFilters = {
    section: search.section ? String(search.section) : undefined, result: search.result, reviewState: search.reviewState,
    evidenceExpiring: search.evidenceExpiring === true ? true : undefined,
  };
  const campaign = useQuery({ queryKey: ['campaign', firmId, campaignId, 'summary'], queryFn: () => getCampaign(firmId, campaignId) });
  const items = useQuery({
    queryKey: ['campaign', firmId, campaignId, 'items', filters], queryFn: () => listCampaignItems(firmId, campaignId, filters), placeholderData: (previous) => previous,
  });
  const vault = useQuery({ queryKey: ['evidence', firmId, {}], queryFn: () => listEvidence(firmId), enabled: can('evidence:read') });
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [bulkResult, setBulkResult] = useState<AssessmentResult | undefined>();
  const [bulkJustification, setBulkJustification] = useState('');
  const [isReopening, setReopening] = useState(false);
  const [reopenReason, setReopenReason] = useState('');
  const [actionError, setActionError] = useState<unknown>(null);
  const [importError, setImportError] = useState<unknown>(null);

  const refresh = () => queryClient.invalidateQueries({ queryKey: ['campaign', firmId, campaignId] });
  const fail = (error: unknown) => {
    setActionError(error);
    void message.error(errorMessage(error, i18n.language));
  };
  const done = async (text: string) => {
    setActionError(null);
    setSelected(new Set());
    void message.success(text);
    await refresh();
  };

  const rows = useMemo(() => items.data?.items ?? [], [items.data]);
  const sections = useMemo(() => {
    const groups = new Map<string, CampaignItemView[]>();
    for (const item of rows) {
      const key = item.section ?? '';
      groups.set(key, [...(groups.get(key) ?? []), item]);
    }
    return [...groups.entries()];
  }, [rows]);
  // A reviewer never approves their own assessment (CSIM 7.(2) d.(b)): "approve all" leaves those out
  // instead of sending them and having the whole batch refused.
  const isReviewable = (item: CampaignItemView) => item.reviewState === 'submitted' && item.assessorId !== me.user.id;
  const pick = (predicate: (item: CampaignItemView) => boolean) => rows.filter((item) => (selected.size === 0 || selected.has(item.id)) && predicate(item));

  const bulk = useMutation({
    mutationFn: () => bulkAssessCampaignItems(firmId, campaignId, {
      items: rows.filter((item) => selected.has(item.id)).map((item) => ({ itemId: item.id, revision: item.revision })),
      result: bulkResult!, justification: bulkJustification.trim() === '' ? undefined : bulkJustification,
    }),
    onSuccess: (outcome) => done(t('campaigns.bulkDone', { count: outcome.updated })),
    onError: fail,
  });
  const submit = useMutation({
    mutationFn: () => submitCampaignItems(firmId, campaignId, selected.size === 0 ? undefined : [...selected]),
    onSuccess: (outcome) => done(t('campaigns.submitted', { count: outcome.submitted })),
    onError: fail,
  });
  const approve = useMutation({
    mutationFn: () => reviewCampaignItems(firmId, campaignId, pick(isReviewable).map((item) => ({
      itemId: item.id, revision: item.revision, decision: 'approve' as const,
    }))),
    onSuccess: (outcome) => done(t('campaigns.reviewed', outcome)),
    onError: fail,
  });
  const reopen = useMutation({
    mutationFn: () => reopenCampaign(firmId, campaignId, { reason: reopenReason, itemIds: selected.size === 0 ? undefined : [...selected] }),
    onSuccess: async () => {
      setReopening(false);
      setReopenReason('');
      await done(t('campaigns.reopened'));
    },
    onError: fail,
  });
  const carry = useMutation({
    mutationFn: () => carryForwardCampaignEvidence(firmId, campaignId),
    onSuccess: (outcome) => done(t('campaigns.carried', { count: outcome.carriedForward })),
    onError: fail,
  });
  const importSheet = useMutation({
    mutationFn: (file: File) => importCampaignChecklist(firmId, campaignId, file, file.name),
    onSuccess: async (outcome) => {
      setImportError(null);
      await done(t('campaigns.imported', outcome));
    },
    onError: (error) => setImportError(error),
  });

  if (campaign.isPending) {
    return <PageLoading />;
  }
  if (campaign.error) {
    return <ErrorAlert error={campaign.error} onRetry={() => void campaign.refetch()} />;
  }
  const view = campaign.data;
  const canAssess = can('campaign:assess');
  const canReview = can('campaign:review');
  const submittedCount = pick(isReviewable).length;
  const choose = (change: Partial<CampaignItemFilters>) => {
    const next = { ...filters, ...change };
    void navigate({
      to: '/campaigns/$campaignId', params: { campaignId },
      search: Object.fromEntries(Object.entries(next).filter(([, value]) => value !== undefined && value !== '' && value !== false)),
    });
  };
  const toggle = (id: string, isOn: boolean) => {
    const next = new Set(selected);
    if (isOn) {
      next.add(id);
    } else {
      next.delete(id);
    }
    setSelected(next);
  };

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }} data-testid="campaign-page">
      <Card>
        <Flex justify="space-between" align="flex-start" wrap gap="middle">
          <Space orientation="vertical" size={4}>
            <Space wrap>
              <Typography.Title level={3} style={{ margin: 0 }} data-testid="campaign-title">{view.title}</Typography.Title>
              <CampaignStatusTag status={view.status} />
            </Space>
            <Descriptions size="small" column={{ xs: 1, md: 4 }} items={[
              { key: 'version', label: t('campaigns.version'), children: `${view.document} ${view.version}` },
              { key: 'cycle', label: t('campaigns.cycle'), children: <CycleTag cycle={view.cycle} /> },
              { key: 'period', label: t('campaigns.period'), children: `${view.period}（${view.periodStart ?? ''}～${view.periodEnd ?? ''}）` },
              { key: 'due', label: t('campaigns.due'), children: <Typography.Text type={view.isOverdue ? 'danger' : undefined}>{view.dueDate ?? '—'}</Typography.Text> },
              { key: 'rate', label: t('campaigns.compliance'), children: <span data-testid="campaign-compliance">{percent(view.progress.complianceRate)}</span> },
            ]} />
          </Space>
          <div style={{ width: 260 }} data-testid="campaign-progress"><ProgressBars progress={view.progress} /></div>
        </Flex>
        {view.isLocked ? (
          <Alert type="success" showIcon style={{ marginTop: 12 }} data-testid="campaign-locked" title={t('campaigns.locked')} description={t('campaigns.lockedHint')} />
        ) : null}
        {view.reopenReason ? (
          <Typography.Text type="secondary" style={{ display: 'block', marginTop: 8 }}>
            {t('campaigns.lastReopen', { reason: view.reopenReason, at: view.reopenedAt?.slice(0, 16).replace('T', ' ') ?? '' })}
          </Typography.Text>
        ) : null}
        <Flex gap="small" wrap style={{ marginTop: 12 }}>
          {can('campaign:export') ? (
            <Button icon={<DownloadOutlined />} href={campaignChecklistUrl(firmId, campaignId)} data-testid="campaign-export">{t('campaigns.exportXlsx')}</Button>
          ) : null}
          {can('campaign:import') && canAssess && !view.isLocked ? (
            <Upload
              accept=".xlsx"
              showUploadList={false}
              customRequest={(options) => importSheet.mutate(options.file as File, { onSettled: () => options.onSuccess?.({}) })}
            >
              <Button icon={<UploadOutlined />} loading={importSheet.isPending} data-testid="campaign-import">{t('campaigns.importXlsx')}</Button>
            </Upload>
          ) : null}
          {canAssess && !view.isLocked ? (
            <>
              <Button loading={carry.isPending} onClick={() => carry.mutate()} data-testid="campaign-carry-forward">{t('campaigns.carryForwardButton')}</Button>
              <Button type="primary" loading={submit.isPending} onClick={() => submit.mutate()} data-testid="campaign-submit">
                {selected.size === 0 ? t('campaigns.submitAll') : t('campaigns.submit')}
              </Button>
            </>
          ) : null}
          {canReview && !view.isLocked ? (
            <Button type="primary" disabled={submittedCount === 0} loading={approve.isPending} onClick={() => approve.mutate()} data-testid="campaign-approve">
              {selected.size === 0 ? t('campaigns.approveAllSubmitted') : t('campaigns.approveSelected')}（{submittedCount}）
            </Button>
          ) : null}
          {can('campaign:reopen') && view.status !== 'open' ? (
            <Button danger onClick={() => setReopening(true)} data-testid="campaign-reopen">{t('campaigns.reopen')}</Button>
          ) : null}
        </Flex>
        {actionError ? <div style={{ marginTop: 12 }}><ErrorAlert error={actionError} /></div> : null}
        {importError ? <div style={{ marginTop: 12 }}><ImportErrors error={importError} /></div> : null}
      </Card>

      <Card size="small">
        <Flex gap="middle" wrap align="center">
          <Select allowClear placeholder={t('campaigns.filterResult')} style={{ width: 150 }} value={filters.result} onChange={(result) => choose({ result })} data-testid="filter-result"
            options={[...RESULT_OPTIONS, 'unassessed' as const].map((value) => ({ value, label: t(`result.${value}`) }))} />
          <Select allowClear placeholder={t('campaigns.filterReview')} style={{ width: 150 }} value={filters.reviewState} onChange={(reviewState) => choose({ reviewState })}
            options={(['pending', 'submitted', 'approved', 'returned'] as const).map((value) => ({ value, label: t(`reviewState.${value}`) }))} />
          <Select allowClear placeholder={t('campaigns.section')} style={{ width: 150 }} value={filters.section} onChange={(section) => choose({ section })}
            options={view.sections.map((section) => ({ value: section.section, label: section.section }))} />
          <Checkbox checked={filters.evidenceExpiring === true} onChange={(event) => choose({ evidenceExpiring: event.target.checked || undefined })}>{t('campaigns.onlyExpiring')}</Checkbox>
          {Object.values(filters).some((value) => value !== undefined) ? (
            <Button size="small" onClick={() => void navigate({ to: '/campaigns/$campaignId', params: { campaignId }, search: {} })}>{t('campaigns.clearFilters')}</Button>
          ) : null}
          <Checkbox
            style={{ marginLeft: 'auto' }}
            checked={rows.length > 0 && selected.size === rows.length}
            indeterminate={selected.size > 0 && selected.size < rows.length}
            onChange={(event) => setSelected(event.target.checked ? new Set(rows.map((item) => item.id)) : new Set())}
            data-testid="select-all"
          >
            {t('campaigns.selected', { count: selected.size })}
          </Checkbox>
        </Flex>
        {selected.size > 0 && canAssess && !view.isLocked ? (
          <Flex gap="small" wrap align="center" style={{ marginTop: 12 }} data-testid="bulk-bar">
            <Typography.Text>{t('campaigns.bulk')}</Typography.Text>
            <Select placeholder={t('campaigns.result')} style={{ width: 140 }} value={bulkResult} onChange={setBulkResult} data-testid="bulk-result"
              options={RESULT_OPTIONS.map((value) => ({ value, label: t(`result.${value}`) }))} />
            <Input style={{ width: 280 }} placeholder={t('campaigns.justification')} value={bulkJustification} onChange={(event) => setBulkJustification(event.target.value)}
              status={bulkResult === 'not_applicable' && bulkJustification.trim() === '' ? 'error' : undefined} />
            <Button disabled={!bulkResult || (bulkResult === 'not_applicable' && bulkJustification.trim() === '')} loading={bulk.isPending} onClick={() => bulk.mutate()} data-testid="bulk-apply">
              {t('campaigns.bulkApply')}
            </Button>
          </Flex>
        ) : null}
      </Card>

      {items.error ? <ErrorAlert error={items.error} onRetry={() => void items.refetch()} /> : null}
      {items.isPending ? <PageLoading /> : sections.length === 0 ? <Empty /> : (
        <Collapse
          defaultActiveKey={sections.length <= 12 ? sections.map(([key]) => key) : [sections[0][0]]}
          items={sections.map(([key, sectionItems]) => {
            const summary = view.sections.find((section) => section.section === key);
            return {
              key,
              label: (
                <Flex gap="large" align="center" wrap data-testid="campaign-section" data-section={key}>
                  <Typography.Text strong style={{ minWidth: 100 }}>{key || t('campaigns.noSection')}</Typography.Text>
                  <Typography.Text type="secondary">{t('campaigns.items', { count: sectionItems.length })}</Typography.Text>
                  {summary ? <div style={{ width: 240 }}><ProgressBars progress={summary} /></div> : null}
                  {summary ? <Typography.Text>{t('campaigns.compliance')} {percent(summary.complianceRate)}</Typography.Text> : null}
                </Flex>
              ),
              children: (
                <Space orientation="vertical" style={{ width: '100%' }}>
                  {sectionItems.map((item) => (
                    <ItemCard
                      key={`${item.id}:${item.revision}`}
                      firmId={firmId}
                      campaign={view}
                      item={item}
                      vault={vault.data?.evidence ?? []}
                      userId={me.user.id}
                      canAssess={canAssess}
                      canReview={canReview}
                      canRaiseDeficiency={can('deficiency:create')}
                      canUpload={can('evidence:upload')}
                      isSelected={selected.has(item.id)}
                      onSelect={(isOn) => toggle(item.id, isOn)}
                    />
                  ))}
                </Space>
              ),
            };
          })}
        />
      )}

      <Modal
        open={isReopening}
        title={t('campaigns.reopen')}
        onCancel={() => setReopening(false)}
        okButtonProps={{ disabled: reopenReason.trim() === '', loading: reopen.isPending, 'data-testid': 'reopen-submit' } as ButtonProps}
        onOk={() => reopen.mutate()}
      >
        <Input.TextArea rows={3} maxLength={2000} placeholder={t('campaigns.reopenReason')} value={reopenReason} onChange={(event) => setReopenReason(event.target.value)} data-testid="reopen-reason" />
      </Modal>
    </Space>
  );
}
