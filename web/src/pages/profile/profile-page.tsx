/**
 * 公司基本資料: every profile field (three-valued where the answer may be unknown), with the
 * classification recomputed as the fields change (POST /classify, debounced, nothing saved). Saving
 * creates a new revision; server validation messages appear on the fields they name; the revision
 * history lists what each revision changed.
 */
import { useEffect, useMemo, useState } from 'react';
import { Alert, App as AntApp, Button, Card, Col, Empty, Flex, Form, Input, List, Row, Space, Spin, Table, Tag, Tooltip, Typography } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import {
  getFirmProfile, listProfileHistory, previewClassification, saveFirmProfile, type FirmProfile, type ProfileRevision,
} from '../../api/client.ts';
import { useActiveFirm } from '../../auth/session.ts';
import { ErrorAlert, PageLoading, errorMessage } from '../../components/page-states.tsx';
import { ClassificationPanel } from '../applicability/classification-panel.tsx';
import {
  ProfileFields, fieldLabelKey, listProfileChanges, showServerIssues, toFormValues, toProfile, useDebouncedValue, type ProfileFormValues,
} from './profile-form.tsx';

/** Key-order-independent JSON, to tell whether the form differs from the saved profile. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map(stableJson).join(',')}]`;
  }
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record).filter((key) => record[key] !== undefined).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${stableJson(record[key])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function LivePreview({ draft, fallbackName }: { draft: FirmProfile; fallbackName: string }) {
  const { t } = useTranslation();
  // The preview needs a name, and ignores a tier override until it has both tier and reason; both are
  // reported on save, not while typing.
  const { tierOverride, ...rest } = draft;
  const isOverrideComplete = Boolean(tierOverride?.tier && tierOverride.reason?.trim());
  const previewed: FirmProfile = { ...rest, name: draft.name || fallbackName, ...(isOverrideComplete ? { tierOverride } : {}) };
  const debounced = useDebouncedValue(stableJson(previewed), 350);
  const preview = useQuery({
    queryKey: ['classify', debounced],
    queryFn: () => previewClassification(JSON.parse(debounced) as FirmProfile),
    placeholderData: (previous) => previous,
    retry: false,
    staleTime: Infinity,
  });
  return (
    <Card
      size="small"
      title={t('profile.liveClassification')}
      extra={preview.isFetching ? <Spin size="small" data-testid="classification-updating" /> : <Tag color="green">{t('profile.upToDate')}</Tag>}
      data-testid="profile-classification"
    >
      {preview.error ? <ErrorAlert error={preview.error} /> : null}
      {preview.data ? <ClassificationPanel classification={preview.data} /> : preview.isPending ? <PageLoading /> : null}
    </Card>
  );
}

function RevisionHistory({ revisions }: { revisions: ProfileRevision[] }) {
  const { t } = useTranslation();
  const shown = (value: string | undefined) => (value === undefined ? <Typography.Text type="secondary">{t('profile.unset')}</Typography.Text> : value === 'true' ? t('profile.yes') : value === 'false' ? t('profile.no') : value);
  return (
    <Table<ProfileRevision>
      data-testid="profile-history"
      size="small"
      rowKey="revision"
      pagination={{ pageSize: 10 }}
      dataSource={revisions}
      expandable={{
        rowExpandable: () => true,
        expandedRowRender: (row) => {
          const previous = revisions.find((entry) => entry.revision === row.revision - 1);
          const changes = listProfileChanges(previous?.profile, row.profile);
          return changes.length === 0 ? <Typography.Text type="secondary">{t('profile.noChanges')}</Typography.Text> : (
            <List size="small" dataSource={changes} renderItem={(change) => (
              <List.Item>
                <span><strong>{t(fieldLabelKey(change.field), { defaultValue: change.field })}</strong>（{change.field}）：{shown(change.before)} → {shown(change.after)}</span>
              </List.Item>
            )} />
          );
        },
      }}
      columns={[
        { title: t('profile.revision'), dataIndex: 'revision', width: 80, render: (revision: number) => `#${revision}` },
        { title: t('profile.validFrom'), dataIndex: 'validFrom', width: 200, render: (at: string) => new Date(at).toLocaleString() },
        { title: t('profile.fields.name'), render: (_value, row) => row.profile.name },
        {
          title: t('profile.changedFields'),
          render: (_value, row) => {
            const previous = revisions.find((entry) => entry.revision === row.revision - 1);
            return previous ? t('profile.changeCount', { count: listProfileChanges(previous.profile, row.profile).length }) : t('profile.firstRevision');
          },
        },
      ]}
    />
  );
}

export default function ProfilePage() {
  const { t, i18n } = useTranslation();
  const { message } = AntApp.useApp();
  const queryClient = useQueryClient();
  const { firm, can } = useActiveFirm();
  const firmId = firm!.id;
  const canEdit = can('profile:update');
  const [form] = Form.useForm<ProfileFormValues>();
  const stored = useQuery({ queryKey: ['profile', firmId], queryFn: () => getFirmProfile(firmId) });
  const history = useQuery({ queryKey: ['profile', firmId, 'history'], queryFn: () => listProfileHistory(firmId) });
  const savedProfile = useMemo<FirmProfile>(() => stored.data?.profile ?? { name: firm!.name }, [stored.data, firm]);
  const [draft, setDraft] = useState<FirmProfile>(savedProfile);
  const [saveError, setSaveError] = useState<unknown>(null);
  // Since when the saved facts hold (YYYY-MM-DD); empty means from now.
  const [validFrom, setValidFrom] = useState('');

  // Load the saved profile into the form (again after a save or a firm switch).
  useEffect(() => {
    if (stored.data) {
      form.resetFields();
      form.setFieldsValue(toFormValues(savedProfile));
      setDraft(toProfile(form.getFieldsValue(true)));
    }
  }, [stored.data, savedProfile, form]);

  const isDirty = stableJson(draft) !== stableJson(toProfile(toFormValues(savedProfile)));

  const save = useMutation({
    mutationFn: () => saveFirmProfile(firmId, toProfile(form.getFieldsValue(true)), validFrom || undefined),
    onMutate: () => setSaveError(null),
    onSuccess: async (saved) => {
      setValidFrom('');
      void message.success(t('profile.saved', { revision: saved.revision }));
      await Promise.all(['profile', 'applicability', 'calendar', 'dashboard'].map((area) => queryClient.invalidateQueries({ queryKey: [area, firmId] })));
    },
    onError: (error) => {
      setSaveError(error);
      showServerIssues(form, error);
    },
  });

  if (stored.isPending) {
    return <PageLoading />;
  }
  if (stored.error) {
    return <ErrorAlert error={stored.error} onRetry={() => void stored.refetch()} />;
  }

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Card>
        <Flex justify="space-between" align="center" wrap gap="middle">
          <Space size="middle" wrap>
            <Typography.Title level={3} style={{ margin: 0 }}>{t('profile.title')}</Typography.Title>
            <Tag data-testid="profile-revision">{stored.data.revision === null ? t('profile.noRevision') : t('profile.currentRevision', { revision: stored.data.revision })}</Tag>
            {isDirty ? <Tag color="orange" data-testid="profile-dirty">{t('profile.unsaved')}</Tag> : null}
          </Space>
          <Space wrap>
            <Link to="/what-if">{t('profile.openWhatIf')}</Link>
            <Link to="/applicability">{t('menu.applicability')}</Link>
            {canEdit ? (
              <>
                <Button disabled={!isDirty || save.isPending} onClick={() => { form.resetFields(); form.setFieldsValue(toFormValues(savedProfile)); setDraft(toProfile(form.getFieldsValue(true))); setSaveError(null); }}>
                  {t('profile.discard')}
                </Button>
                <Tooltip title={t('profile.holdsFromHint')}>
                  <Input type="date" style={{ width: 170 }} value={validFrom} onChange={(event) => setValidFrom(event.target.value)}
                    aria-label={t('profile.holdsFrom')} prefix={t('profile.holdsFrom')} data-testid="profile-valid-from" />
                </Tooltip>
                <Button type="primary" loading={save.isPending} disabled={!isDirty} onClick={() => save.mutate()} data-testid="profile-save">{t('common.save')}</Button>
              </>
            ) : null}
          </Space>
        </Flex>
        {!canEdit ? <Alert style={{ marginTop: 12 }} type="info" showIcon title={t('profile.readOnly')} /> : null}
        {stored.data.revision === null ? <Alert style={{ marginTop: 12 }} type="warning" showIcon title={t('profile.noProfileYet')} /> : null}
        {saveError ? (
          <Alert style={{ marginTop: 12 }} type="error" showIcon data-testid="profile-save-error" title={errorMessage(saveError, i18n.language)} closable onClose={() => setSaveError(null)} />
        ) : null}
      </Card>
      <Row gutter={16}>
        <Col xs={24} xl={15}>
          <Form<ProfileFormValues>
            form={form}
            layout="vertical"
            disabled={!canEdit}
            data-testid="profile-form"
            onValuesChange={(_changed, all) => setDraft(toProfile({ ...form.getFieldsValue(true), ...all }))}
          >
            <ProfileFields form={form} disabled={!canEdit} />
          </Form>
        </Col>
        <Col xs={24} xl={9}>
          <div style={{ position: 'sticky', top: 16 }}>
            <LivePreview draft={draft} fallbackName={firm!.name} />
          </div>
        </Col>
      </Row>
      <Card title={t('profile.history')}>
        {history.error ? <ErrorAlert error={history.error} /> : history.data && history.data.revisions.length === 0 ? <Empty description={t('profile.noRevision')} /> : (
          <RevisionHistory revisions={history.data?.revisions ?? []} />
        )}
      </Card>
    </Space>
  );
}
