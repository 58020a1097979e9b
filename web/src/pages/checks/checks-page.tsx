/**
 * 自動化檢查: pick a check, drop its input files (with the firewall format or the evaluation date when
 * needed), run it, read the findings (severity, status, file:line, subject, message, cited items),
 * keep the run as evidence of the current self-inspection, and raise a deficiency from a failed finding.
 * The selected check and run are in the address (`/checks?check=firewall&run=…`), so a run can be shared.
 */
import { useState } from 'react';
import {
  Alert, App as AntApp, Badge, Button, Card, Checkbox, Col, Collapse, Descriptions, Empty, Flex, Form, Input, List, Modal, Row, Select, Space, Table, Tag, Typography,
  Upload, type ButtonProps,
} from 'antd';
import { InboxOutlined, PaperClipOutlined, PlayCircleOutlined, WarningOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import {
  attachCheckRunAsEvidence, getCheckRun, listCheckRuns, listChecks, raiseDeficiencyFromFinding, runCheckOnFiles,
  type CheckRunDetail, type CheckRunView, type CheckStatus, type CheckSummary, type Finding, type FindingSeverity,
} from '../../api/client.ts';
import { useActiveFirm } from '../../auth/session.ts';
import { ItemLink } from '../../components/catalog-bits.tsx';
import { ErrorAlert, PageLoading, errorMessage } from '../../components/page-states.tsx';
import { buildRunOptions, parseExtraOptions } from './check-options.ts';
import { SchedulesPanel } from './schedules-panel.tsx';

const STATUS_COLORS: Record<CheckStatus, string> = { pass: 'green', fail: 'red', warning: 'gold', error: 'default' };
const FINDING_STATUS_COLORS: Record<Finding['status'], string> = { fail: 'red', warning: 'gold', unknown: 'default', info: 'blue' };
const SEVERITY_COLORS: Record<FindingSeverity, string> = { high: 'red', medium: 'orange', low: 'blue', info: 'default' };
/** Checks whose input format may be named when it is not detected from the content. */
const FORMAT_CHECKS = new Set(['firewall']);

interface ChecksSearch {
  check?: string;
  run?: string;
}

function StatusTag({ status }: { status: CheckStatus }) {
  const { t } = useTranslation();
  return <Tag color={STATUS_COLORS[status]} data-testid={`run-status-${status}`}>{t(`checks.status.${status}`)}</Tag>;
}

/** `file:line` and the subject of a finding. */
function formatLocation(finding: Finding): string {
  const { file, line } = finding.location;
  return file ? `${file}${line !== undefined ? `:${line}` : ''}` : '';
}

function RaiseDeficiencyModal({ firmId, runId, finding, findingIndex, onClose }: { firmId: string; runId: string; finding: Finding; findingIndex: number; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const { message } = AntApp.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ title?: string; severity: 'high' | 'medium' | 'low'; dueDate?: string; plan?: string }>();
  const raise = useMutation({
    mutationFn: () => {
      const values = form.getFieldsValue(true);
      return raiseDeficiencyFromFinding(firmId, runId, {
        findingIndex,
        title: values.title?.trim() || undefined,
        severity: values.severity,
        dueDate: values.dueDate || undefined,
        plan: values.plan?.trim() || undefined,
      });
    },
    onSuccess: async (created) => {
      void message.success(t('checks.deficiencyRaised', { number: created.number }));
      await queryClient.invalidateQueries({ queryKey: ['checks', firmId] });
      await queryClient.invalidateQueries({ queryKey: ['deficiencies', firmId] });
      onClose();
    },
  });
  return (
    <Modal
      open
      title={t('checks.raiseDeficiency')}
      okText={t('checks.raise')}
      okButtonProps={{ 'data-testid': 'deficiency-submit', loading: raise.isPending } as ButtonProps}
      onOk={() => raise.mutate()}
      onCancel={onClose}
    >
      <Typography.Paragraph>{i18n.language === 'en' ? finding.messageEn : finding.message}</Typography.Paragraph>
      {raise.error ? <Alert type="error" showIcon title={errorMessage(raise.error, i18n.language)} style={{ marginBottom: 12 }} /> : null}
      <Form form={form} layout="vertical" initialValues={{ severity: finding.severity === 'info' ? 'low' : finding.severity }}>
        <Form.Item name="title" label={t('checks.deficiencyTitle')}>
          <Input placeholder={`[${finding.rule.split('.')[0]}] ${finding.message}`.slice(0, 120)} maxLength={300} data-testid="deficiency-title" />
        </Form.Item>
        <Form.Item name="severity" label={t('checks.severityLabel')}>
          <Select options={(['high', 'medium', 'low'] as const).map((severity) => ({ value: severity, label: t(`checks.severity.${severity}`) }))} />
        </Form.Item>
        <Form.Item name="dueDate" label={t('checks.dueDate')}>
          <Input type="date" style={{ width: 180 }} />
        </Form.Item>
        <Form.Item name="plan" label={t('checks.plan')}>
          <Input.TextArea rows={3} maxLength={5000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function RunResult({ firmId, run, canRaise, canAttach }: { firmId: string; run: CheckRunDetail; canRaise: boolean; canAttach: boolean }) {
  const { t, i18n } = useTranslation();
  const { message } = AntApp.useApp();
  const queryClient = useQueryClient();
  const isEnglish = i18n.language === 'en';
  const [raising, setRaising] = useState<number | null>(null);
  const [onlyProblems, setOnlyProblems] = useState(true);
  const attach = useMutation({
    mutationFn: () => attachCheckRunAsEvidence(firmId, run.id),
    onSuccess: async (attached) => {
      if (attached.alreadyAttached) {
        void message.info(t('checks.alreadyAttached'));
      } else if (attached.campaignItemIds.length === 0) {
        void message.warning(t('checks.attachedNoCampaign'));
      } else {
        void message.success(t('checks.attached', { count: attached.campaignItemIds.length }));
      }
      await queryClient.invalidateQueries({ queryKey: ['checks', firmId] });
    },
    onError: (error) => void message.error(errorMessage(error, i18n.language)),
  });
  const findings = (run.result?.findings ?? []).map((finding, index) => ({ finding, index }));
  const shown = onlyProblems ? findings.filter(({ finding }) => finding.status === 'fail' || finding.status === 'warning') : findings;
  const raisedByIndex = new Map(run.deficiencies.filter((entry) => entry.findingIndex !== null).map((entry) => [entry.findingIndex!, entry]));
  const counts = findings.reduce<Record<string, number>>((total, { finding }) => ({ ...total, [finding.status]: (total[finding.status] ?? 0) + 1 }), {});

  return (
    <Card
      data-testid="check-run"
      title={(
        <Space wrap>
          <span>{t('checks.runOf', { check: run.checkId })}</span>
          <StatusTag status={run.status as CheckStatus} />
          <Typography.Text type="secondary" style={{ fontWeight: 'normal' }}>{run.startedAt ? new Date(run.startedAt).toLocaleString() : ''}</Typography.Text>
        </Space>
      )}
      extra={canAttach ? (
        run.evidenceId ? <Tag icon={<PaperClipOutlined />} color="green" data-testid="run-evidence">{t('checks.evidenceKept')}</Tag> : (
          <Button icon={<PaperClipOutlined />} loading={attach.isPending} disabled={run.status === 'error'} onClick={() => attach.mutate()} data-testid="run-attach">{t('checks.attach')}</Button>
        )
      ) : null}
    >
      <Typography.Paragraph data-testid="run-summary">{isEnglish ? run.summaryEn : run.summary}</Typography.Paragraph>
      {run.result ? (
        <Descriptions size="small" column={{ xs: 1, md: 2 }} style={{ marginBottom: 12 }} items={[
          { key: 'version', label: t('checks.version'), children: run.result.checkVersion },
          { key: 'target', label: t('checks.inputs'), children: run.target ?? '—' },
          { key: 'items', label: t('checks.evidences'), span: 2, children: <Space size={4} wrap>{run.result.items.map((id) => <ItemLink key={id} id={id} />)}</Space> },
          {
            key: 'stats', label: t('checks.stats'), span: 2,
            children: <Space size="middle" wrap>{Object.entries(run.result.stats).map(([key, value]) => <span key={key}>{key}：{String(value)}</span>)}</Space>,
          },
        ]} />
      ) : null}
      <Flex justify="space-between" align="center" style={{ marginBottom: 8 }} wrap>
        <Space wrap>
          {(['fail', 'warning', 'unknown', 'info'] as const).map((status) => (
            <Tag key={status} color={FINDING_STATUS_COLORS[status]}>{t(`checks.findingStatus.${status}`)} {counts[status] ?? 0}</Tag>
          ))}
        </Space>
        <Select
          size="small"
          style={{ width: 200 }}
          value={onlyProblems ? 'problems' : 'all'}
          onChange={(value) => setOnlyProblems(value === 'problems')}
          options={[{ value: 'problems', label: t('checks.onlyProblems') }, { value: 'all', label: t('checks.allFindings') }]}
          data-testid="findings-filter"
        />
      </Flex>
      <Table<{ finding: Finding; index: number }>
        data-testid="findings-table"
        size="small"
        rowKey="index"
        dataSource={shown}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('checks.noFindings')} /> }}
        columns={[
          {
            title: t('checks.findingStatusLabel'), width: 90,
            render: (_value, { finding }) => (
              <Space orientation="vertical" size={2}>
                <Tag color={FINDING_STATUS_COLORS[finding.status]} data-testid={`finding-${finding.status}`}>{t(`checks.findingStatus.${finding.status}`)}</Tag>
                <Tag color={SEVERITY_COLORS[finding.severity]}>{t('checks.severityLabel')}：{t(`checks.severity.${finding.severity}`)}</Tag>
              </Space>
            ),
          },
          {
            title: t('checks.location'), width: 180,
            render: (_value, { finding }) => (
              <div>
                <Typography.Text code data-testid="finding-location">{formatLocation(finding) || '—'}</Typography.Text>
                {finding.location.subject ? <div style={{ wordBreak: 'break-all' }}>{finding.location.subject}</div> : null}
              </div>
            ),
          },
          {
            title: t('checks.message'),
            render: (_value, { finding }) => (
              <div>
                <div data-testid="finding-message" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>{isEnglish ? finding.messageEn : finding.message}</div>
                <Space size={4} wrap style={{ marginTop: 4 }}>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>{finding.rule}</Typography.Text>
                  {finding.items.map((id) => <ItemLink key={id} id={id} />)}
                </Space>
              </div>
            ),
          },
          {
            title: t('common.actions'), width: 120,
            render: (_value, { finding, index }) => {
              const raised = raisedByIndex.get(index);
              if (raised) {
                return <Link to="/deficiencies/$deficiencyId" params={{ deficiencyId: raised.id }} data-testid="finding-deficiency"><Tag color="purple">{t('checks.raised', { number: raised.number })}</Tag></Link>;
              }
              return finding.status === 'fail' && canRaise ? (
                <Button size="small" danger icon={<WarningOutlined />} onClick={() => setRaising(index)} data-testid="finding-raise">{t('checks.raiseDeficiency')}</Button>
              ) : null;
            },
          },
        ]}
      />
      {raising !== null && run.result ? (
        <RaiseDeficiencyModal firmId={firmId} runId={run.id} finding={run.result.findings[raising]} findingIndex={raising} onClose={() => setRaising(null)} />
      ) : null}
    </Card>
  );
}

function RunForm({ firmId, check, onRun }: { firmId: string; check: CheckSummary; onRun: (runId: string) => void }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const [files, setFiles] = useState<File[]>([]);
  const [format, setFormat] = useState<string | undefined>();
  const [at, setAt] = useState('');
  const [hostname, setHostname] = useState('');
  const [level, setLevel] = useState<'L1' | 'L2' | 'L3' | undefined>();
  const [withF, setWithF] = useState(false);
  const [reviewedAt, setReviewedAt] = useState('');
  const [extraText, setExtraText] = useState('');
  const [liveTarget, setLiveTarget] = useState('');
  const extra = parseExtraOptions(extraText);
  const run = useMutation({
    mutationFn: () => runCheckOnFiles(
      firmId, check.name, files, buildRunOptions(check.name, { format, at, hostname, level, withF, reviewedAt }, extra.options),
      check.isLiveTarget && files.length === 0 && liveTarget.trim() ? liveTarget.trim() : undefined,
    ),
    onSuccess: async (result) => {
      setFiles([]);
      await queryClient.invalidateQueries({ queryKey: ['checks', firmId, 'runs'] });
      onRun(result.run.id);
    },
  });
  return (
    <Card
      size="small"
      title={<Space><span>{i18n.language === 'en' ? check.titleEn : check.title}</span><Tag>{check.version}</Tag></Space>}
      data-testid="check-form"
    >
      <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
        {t('checks.inputKinds')}：{(check.inputKinds ?? []).join('、')}
      </Typography.Paragraph>
      <Typography.Paragraph style={{ marginBottom: 12 }}>
        {t('checks.evidences')}：<Space size={4} wrap>{(check.items ?? []).map((id) => <ItemLink key={id} id={id} />)}</Space>
      </Typography.Paragraph>
      <Upload.Dragger
        multiple
        data-testid="check-upload"
        fileList={files.map((file, index) => ({ uid: `${index}-${file.name}`, name: file.name, size: file.size, status: 'done' as const }))}
        beforeUpload={(file) => {
          setFiles((current) => [...current, file]);
          return false;
        }}
        onRemove={(removed) => setFiles((current) => current.filter((file, index) => `${index}-${file.name}` !== removed.uid))}
      >
        <p className="ant-upload-drag-icon"><InboxOutlined /></p>
        <p className="ant-upload-text">{t('checks.drop')}</p>
        <p className="ant-upload-hint">{check.isLiveTarget ? t('checks.dropHintTls') : t('checks.dropHint')}</p>
      </Upload.Dragger>
      <Flex gap="middle" wrap align="center" style={{ marginTop: 12 }}>
        {FORMAT_CHECKS.has(check.name) ? (
          <Space>
            <Typography.Text>{t('checks.format')}</Typography.Text>
            <Select
              data-testid="check-format"
              style={{ width: 170 }}
              allowClear
              placeholder={t('checks.autoDetect')}
              value={format}
              onChange={setFormat}
              options={(check.inputKinds ?? []).map((kind) => ({ value: kind, label: kind }))}
            />
          </Space>
        ) : null}
        <Space>
          <Typography.Text>{t('checks.at')}</Typography.Text>
          <Input type="date" style={{ width: 160 }} value={at} onChange={(event) => setAt(event.target.value)} data-testid="check-at" />
        </Space>
        {check.isLiveTarget ? (
          <Space>
            <Typography.Text>{t('checkOptions.liveTarget')}</Typography.Text>
            <Input
              style={{ width: 220 }}
              value={liveTarget}
              disabled={files.length > 0}
              onChange={(event) => setLiveTarget(event.target.value)}
              placeholder="www.example.com:443"
              data-testid="check-live-target"
            />
          </Space>
        ) : null}
        {check.name === 'tls' ? (
          <Space>
            <Typography.Text>{t('checkOptions.hostname')}</Typography.Text>
            <Input style={{ width: 220 }} value={hostname} onChange={(event) => setHostname(event.target.value)} placeholder="www.example.com" data-testid="check-hostname" />
          </Space>
        ) : null}
        {check.name === 'app-report' ? (
          <Space>
            <Typography.Text>{t('checkOptions.level')}</Typography.Text>
            <Select
              style={{ width: 170 }}
              allowClear
              placeholder={t('checkOptions.levelFromProfile')}
              value={level}
              onChange={setLevel}
              options={(['L1', 'L2', 'L3'] as const).map((each) => ({ value: each, label: each }))}
              data-testid="check-level"
            />
            <Checkbox checked={withF} onChange={(event) => setWithF(event.target.checked)} data-testid="check-with-f">{t('checkOptions.fTested')}</Checkbox>
          </Space>
        ) : null}
        {check.name === 'firewall' ? (
          <Space>
            <Typography.Text>{t('checkOptions.reviewDate')}</Typography.Text>
            <Input type="date" style={{ width: 160 }} value={reviewedAt} onChange={(event) => setReviewedAt(event.target.value)} data-testid="check-reviewed-at" />
          </Space>
        ) : null}
      </Flex>
      <Collapse
        ghost
        size="small"
        style={{ marginTop: 8 }}
        items={[{
          key: 'extra',
          label: t('checkOptions.extra'),
          children: (
            <>
              <Input.TextArea
                rows={3}
                value={extraText}
                onChange={(event) => setExtraText(event.target.value)}
                placeholder={'warningDays=90\nactivities=vulnerability-scan,penetration-test'}
                data-testid="check-extra-options"
                status={extra.badLines.length > 0 ? 'error' : undefined}
              />
              <Typography.Text type={extra.badLines.length > 0 ? 'danger' : 'secondary'} data-testid="check-extra-hint">
                {extra.badLines.length > 0 ? extra.badLines.map((line) => t('checkOptions.extraLine', { line })).join('；') : t('checkOptions.extraHint')}
              </Typography.Text>
            </>
          ),
        }]}
      />
      <Flex justify="end" style={{ marginTop: 8 }}>
        <Button
          type="primary"
          icon={<PlayCircleOutlined />}
          disabled={(files.length === 0 && !(check.isLiveTarget && liveTarget.trim())) || extra.badLines.length > 0}
          loading={run.isPending}
          onClick={() => run.mutate()}
          data-testid="check-run-submit"
        >
          {t('checks.run')}
        </Button>
      </Flex>
      {run.error ? <div style={{ marginTop: 12 }}><ErrorAlert error={run.error} /></div> : null}
    </Card>
  );
}

export default function ChecksPage() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const { firm, can } = useActiveFirm();
  const firmId = firm!.id;
  const search = useSearch({ strict: false }) as ChecksSearch;
  const choose = (change: Partial<ChecksSearch>) => {
    const next = { check: search.check, run: search.run, ...change };
    void navigate({ to: '/checks', search: Object.fromEntries(Object.entries(next).filter(([, value]) => value)) });
  };
  const checks = useQuery({ queryKey: ['checks', firmId, 'list'], queryFn: () => listChecks(firmId), staleTime: 10 * 60_000 });
  const runs = useQuery({ queryKey: ['checks', firmId, 'runs', search.check ?? ''], queryFn: () => listCheckRuns(firmId, { check: search.check, limit: 50 }) });
  const runDetail = useQuery({ queryKey: ['checks', firmId, 'run', search.run], queryFn: () => getCheckRun(firmId, search.run!), enabled: Boolean(search.run) });
  const selected = checks.data?.checks.find((check) => check.name === search.check);
  const isEnglish = i18n.language === 'en';

  if (checks.isPending) {
    return <PageLoading />;
  }
  if (checks.error) {
    return <ErrorAlert error={checks.error} onRetry={() => void checks.refetch()} />;
  }

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Card>
        <Typography.Title level={3} style={{ margin: 0 }}>{t('checks.title')}</Typography.Title>
        <Typography.Text type="secondary">{t('checks.hint')}</Typography.Text>
      </Card>
      <Row gutter={16}>
        <Col xs={24} lg={8}>
          <Card size="small" title={t('checks.list')}>
            <List<CheckSummary>
              data-testid="checks-list"
              size="small"
              dataSource={checks.data.checks}
              renderItem={(check) => (
                <List.Item
                  data-testid={`check-${check.name}`}
                  onClick={check.available ? () => choose({ check: check.name, run: undefined }) : undefined}
                  style={{ cursor: check.available ? 'pointer' : 'not-allowed', background: check.name === search.check ? '#e6f4ff' : undefined, paddingInline: 8 }}
                >
                  <List.Item.Meta
                    title={<Space>{check.available ? (isEnglish ? check.titleEn : check.title) : check.name}<Typography.Text type="secondary" code>{check.name}</Typography.Text></Space>}
                    description={check.available ? t('checks.itemCount', { count: check.items?.length ?? 0 }) : <Typography.Text type="secondary">{check.reason}</Typography.Text>}
                  />
                  {check.isLiveTarget ? <Badge color="blue" text={t('checks.liveTarget')} /> : null}
                </List.Item>
              )}
            />
          </Card>
        </Col>
        <Col xs={24} lg={16}>
          <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
            {selected ? (
              can('check:run') ? <RunForm key={selected.name} firmId={firmId} check={selected} onRun={(runId) => choose({ run: runId })} /> : <Alert type="info" showIcon title={t('checks.cannotRun')} />
            ) : <Alert type="info" showIcon title={t('checks.pickCheck')} />}
            {search.run ? (
              runDetail.isPending ? <PageLoading /> : runDetail.error ? <ErrorAlert error={runDetail.error} /> : (
                <RunResult firmId={firmId} run={runDetail.data} canRaise={can('deficiency:create')} canAttach={can('check:run') && can('evidence:upload')} />
              )
            ) : null}
            <Card size="small" title={selected ? t('checks.historyOf', { check: selected.name }) : t('checks.history')}>
              {runs.error ? <ErrorAlert error={runs.error} /> : (
                <Table<CheckRunView>
                  data-testid="check-runs"
                  size="small"
                  rowKey="id"
                  loading={runs.isFetching}
                  dataSource={runs.data?.runs ?? []}
                  pagination={{ pageSize: 10, hideOnSinglePage: true }}
                  onRow={(row) => ({ onClick: () => choose({ run: row.id }), style: { cursor: 'pointer', background: row.id === search.run ? '#e6f4ff' : undefined } })}
                  columns={[
                    { title: t('checks.startedAt'), dataIndex: 'startedAt', width: 170, render: (at: string | null) => (at ? new Date(at).toLocaleString() : '—') },
                    { title: t('checks.check'), dataIndex: 'checkId', width: 110 },
                    { title: t('checks.statusLabel'), dataIndex: 'status', width: 90, render: (status: CheckStatus) => <StatusTag status={status} /> },
                    { title: t('checks.trigger'), dataIndex: 'trigger', width: 90, render: (trigger: string) => t(`checks.triggers.${trigger}`, { defaultValue: trigger }) },
                    { title: t('checks.summary'), render: (_value, row) => <Typography.Text ellipsis style={{ maxWidth: 360 }}>{isEnglish ? row.summaryEn : row.summary}</Typography.Text> },
                    { title: t('checks.findings'), dataIndex: 'findingCount', width: 70 },
                    { title: t('checks.evidence'), width: 70, render: (_value, row) => (row.evidenceId ? <PaperClipOutlined /> : null) },
                  ]}
                />
              )}
            </Card>
          </Space>
        </Col>
      </Row>
      {can('check:schedule') ? <SchedulesPanel firmId={firmId} checks={checks.data.checks} /> : null}
    </Space>
  );
}
