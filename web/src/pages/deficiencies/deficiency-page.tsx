/**
 * One deficiency: its details (editable with its revision), the state changes the rules allow from its
 * current state as buttons (closing is verification and must be done by someone other than the owner —
 * the server's refusal is shown as it words it), and its history.
 */
import { useState } from 'react';
import { Alert, App as AntApp, Button, Card, Descriptions, Flex, Form, Input, Select, Space, Table, Typography } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import {
  getDeficiency, transitionDeficiency, updateDeficiency, type DeficiencyState, type DeficiencyView, type HistoryEntry, type Severity,
} from '../../api/client.ts';
import { listAllowedTransitions } from '../../../../src/domain/findings/deficiency-rules.ts';
import { useActiveFirm } from '../../auth/session.ts';
import { ItemLink } from '../../components/catalog-bits.tsx';
import { ErrorAlert, errorMessage, PageLoading } from '../../components/page-states.tsx';
import { DeficiencyStateTag, OwnerSelect, SeverityTag } from './deficiency-bits.tsx';

interface EditValues {
  title: string;
  severity: Severity;
  ownerId: string | null;
  dueDate: string;
  plan: string;
  recommendation: string;
}

/** Moves that need a comment: a failed verification and reopening a closed deficiency. */
function needsComment(from: DeficiencyState, to: DeficiencyState): boolean {
  return from === 'closed' || (from === 'pending_verification' && to === 'in_remediation');
}

function EditForm({ firmId, deficiency, onDone }: { firmId: string; deficiency: DeficiencyView; onDone: () => void }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<EditValues>();
  const save = useMutation({
    mutationFn: (values: EditValues) => updateDeficiency(firmId, deficiency.id, {
      revision: deficiency.revision, title: values.title, severity: values.severity, ownerId: values.ownerId ?? null,
      dueDate: values.dueDate || null, plan: values.plan || null, recommendation: values.recommendation || null,
    }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['deficiencies', firmId] });
      onDone();
    },
  });
  return (
    <Form<EditValues>
      form={form}
      layout="vertical"
      initialValues={{
        title: deficiency.title, severity: deficiency.severity, ownerId: deficiency.ownerId, dueDate: deficiency.dueDate ?? '',
        plan: deficiency.plan ?? '', recommendation: deficiency.recommendation ?? '',
      }}
      onFinish={(values) => save.mutate(values)}
    >
      {save.error ? <Alert type="error" showIcon style={{ marginBottom: 12 }} title={errorMessage(save.error, i18n.language)} data-testid="deficiency-edit-error" /> : null}
      <Form.Item name="title" label={t('deficiencies.titleField')} rules={[{ required: true, whitespace: true }]}><Input maxLength={300} /></Form.Item>
      <Flex gap="middle">
        <Form.Item name="severity" label={t('deficiencies.severity')} style={{ width: 140 }}>
          <Select options={(['high', 'medium', 'low'] as const).map((value) => ({ value, label: t(`severity.${value}`) }))} />
        </Form.Item>
        <Form.Item name="ownerId" label={t('deficiencies.owner')} style={{ flex: 1 }}><OwnerSelect testId="deficiency-edit-owner" /></Form.Item>
        <Form.Item name="dueDate" label={t('deficiencies.dueDate')} style={{ width: 180 }}><Input type="date" data-testid="deficiency-edit-due" /></Form.Item>
      </Flex>
      <Form.Item name="plan" label={t('deficiencies.plan')}><Input.TextArea rows={3} maxLength={10000} data-testid="deficiency-edit-plan" /></Form.Item>
      <Form.Item name="recommendation" label={t('deficiencies.recommendation')}><Input.TextArea rows={2} maxLength={10000} /></Form.Item>
      <Space>
        <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="deficiency-edit-save">{t('common.save')}</Button>
        <Button onClick={onDone}>{t('common.cancel')}</Button>
      </Space>
    </Form>
  );
}

export default function DeficiencyPage() {
  const { t, i18n } = useTranslation();
  const { message } = AntApp.useApp();
  const queryClient = useQueryClient();
  const { me, firm, can } = useActiveFirm();
  const firmId = firm!.id;
  const { deficiencyId } = useParams({ strict: false }) as { deficiencyId: string };
  const deficiency = useQuery({ queryKey: ['deficiencies', firmId, 'detail', deficiencyId], queryFn: () => getDeficiency(firmId, deficiencyId) });
  const [comment, setComment] = useState('');
  const [isEditing, setEditing] = useState(false);
  const move = useMutation({
    mutationFn: (to: DeficiencyState) => transitionDeficiency(firmId, deficiencyId, { revision: deficiency.data!.revision, to, comment: comment.trim() === '' ? undefined : comment }),
    onSuccess: async (updated) => {
      setComment('');
      void message.success(t('deficiencies.moved', { state: t(`deficiencyState.${updated.state}`) }));
      await queryClient.invalidateQueries({ queryKey: ['deficiencies', firmId] });
      await queryClient.invalidateQueries({ queryKey: ['dashboard', firmId] });
    },
  });

  if (deficiency.isPending) {
    return <PageLoading />;
  }
  if (deficiency.error) {
    return <ErrorAlert error={deficiency.error} onRetry={() => void deficiency.refetch()} />;
  }
  const view = deficiency.data;
  const canUpdate = can('deficiency:update');
  const canVerify = can('deficiency:verify');
  const moves = listAllowedTransitions(view.state).filter((to) => (to === 'closed' ? canVerify : canUpdate));

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }} data-testid="deficiency-page">
      <Card>
        <Flex justify="space-between" align="center" wrap gap="middle">
          <Space wrap>
            <Typography.Title level={3} style={{ margin: 0 }}>#{view.number} {view.title}</Typography.Title>
            <SeverityTag severity={view.severity} />
            <span data-testid="deficiency-state"><DeficiencyStateTag state={view.state} /></span>
          </Space>
          <Space>
            <Link to="/deficiencies">{t('deficiencies.backToList')}</Link>
            {canUpdate && !isEditing ? <Button onClick={() => setEditing(true)} data-testid="deficiency-edit">{t('deficiencies.edit')}</Button> : null}
          </Space>
        </Flex>
        {isEditing ? (
          <div style={{ marginTop: 16 }}>
            <EditForm firmId={firmId} deficiency={view} onDone={() => { setEditing(false); void deficiency.refetch(); }} />
          </div>
        ) : (
          <Descriptions style={{ marginTop: 16 }} bordered size="small" column={{ xs: 1, md: 2 }} items={[
            { key: 'source', label: t('deficiencies.source'), children: t(`source.${view.source}`) },
            { key: 'items', label: t('deficiencies.items'), children: <Space wrap size={4}>{view.items.map((id) => <ItemLink key={id} id={id} />)}</Space> },
            { key: 'owner', label: t('deficiencies.owner'), children: <span data-testid="deficiency-owner-value">{view.owner ?? '—'}</span> },
            { key: 'due', label: t('deficiencies.dueDate'), children: <Typography.Text type={view.isOverdue ? 'danger' : undefined}>{view.dueDate ?? '—'}{view.isOverdue ? `（${t('deficiencies.overdue')}）` : ''}</Typography.Text> },
            { key: 'description', label: t('deficiencies.description'), span: 2, children: <span style={{ whiteSpace: 'pre-wrap' }}>{view.description ?? '—'}</span> },
            { key: 'plan', label: t('deficiencies.plan'), span: 2, children: <span style={{ whiteSpace: 'pre-wrap' }}>{view.plan ?? '—'}</span> },
            { key: 'recommendation', label: t('deficiencies.recommendation'), span: 2, children: <span style={{ whiteSpace: 'pre-wrap' }}>{view.recommendation ?? '—'}</span> },
            { key: 'age', label: t('deficiencies.age'), children: t('deficiencies.ageDays', { days: view.ageDays }) },
            { key: 'closed', label: t('deficiencies.closedAt'), children: view.closedAt?.slice(0, 16).replace('T', ' ') ?? '—' },
          ]} />
        )}
      </Card>

      {moves.length > 0 ? (
        <Card title={t('deficiencies.state')}>
          <Space orientation="vertical" style={{ width: '100%' }}>
            {move.error ? <Alert type="error" showIcon data-testid="transition-error" title={errorMessage(move.error, i18n.language)} /> : null}
            {view.state === 'pending_verification' ? (
              <Typography.Text type={view.ownerId === me.user.id ? 'warning' : 'secondary'}>{t('deficiencies.verifyHint')}</Typography.Text>
            ) : null}
            <Input.TextArea rows={2} maxLength={5000} placeholder={t('deficiencies.comment')} value={comment} onChange={(event) => setComment(event.target.value)} data-testid="transition-comment" />
            <Flex gap="small" wrap>
              {moves.map((to) => (
                <Button
                  key={to}
                  type={to === 'closed' || listAllowedTransitions(view.state)[0] === to ? 'primary' : 'default'}
                  disabled={needsComment(view.state, to) && comment.trim() === ''}
                  loading={move.isPending && move.variables === to}
                  onClick={() => move.mutate(to)}
                  data-testid={`transition-${to}`}
                >
                  {t('deficiencies.moveTo', { state: t(`deficiencyState.${to}`) })}
                </Button>
              ))}
            </Flex>
            {moves.some((to) => needsComment(view.state, to)) ? <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('deficiencies.commentRequired')}</Typography.Text> : null}
          </Space>
        </Card>
      ) : null}

      <Card title={t('deficiencies.history')}>
        <Table<HistoryEntry>
          data-testid="deficiency-history"
          size="small"
          rowKey={(row) => `${row.at}:${row.toState}`}
          pagination={false}
          dataSource={view.history}
          columns={[
            { title: t('deficiencies.at'), dataIndex: 'at', width: 170, render: (at: string | null) => at?.slice(0, 19).replace('T', ' ') ?? '—' },
            { title: t('deficiencies.actor'), dataIndex: 'actor', width: 220, render: (actor: string | null) => actor ?? '—' },
            { title: t('deficiencies.from'), dataIndex: 'fromState', width: 120, render: (state: DeficiencyState | null) => (state ? <DeficiencyStateTag state={state} /> : '—') },
            { title: t('deficiencies.to'), dataIndex: 'toState', width: 120, render: (state: DeficiencyState) => <DeficiencyStateTag state={state} /> },
            { title: t('deficiencies.comment'), dataIndex: 'comment', render: (text: string | null) => text ?? '' },
          ]}
        />
      </Card>
    </Space>
  );
}
