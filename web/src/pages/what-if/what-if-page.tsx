/**
 * 情境分析: what would change if the firm's profile changed (saved profile vs an edited copy), or if the
 * regulation moved from one version to another (e.g. CSIM 111 → 112) for the saved profile. Lists the
 * items that newly apply, no longer apply, or whose verdict changed, with both reasons and item links.
 * Nothing is saved.
 */
import { useEffect, useMemo, useState } from 'react';
import { Alert, Button, Card, Col, Empty, Flex, Form, Input, Row, Segmented, Select, Space, Table, Tag, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import {
  compareWhatIf, getFirmProfile, listCatalogItems, type CatalogItem, type DocumentCode, type FirmProfile, type WhatIfChange,
} from '../../api/client.ts';
import { useActiveFirm } from '../../auth/session.ts';
import { ItemLink, ItemText } from '../../components/catalog-bits.tsx';
import { ErrorAlert, PageLoading } from '../../components/page-states.tsx';
import { VerdictTag } from '../applicability/verdict-tag.tsx';
import { useCatalogVersions } from '../catalog/use-catalog-versions.ts';
import { ProfileFields, listProfileChanges, fieldLabelKey, toFormValues, toProfile, useDebouncedValue, type ProfileFormValues } from '../profile/profile-form.tsx';

type Mode = 'profile' | 'version';
interface WhatIfSearch {
  mode?: Mode;
  document?: DocumentCode;
  from?: string;
  to?: string;
  date?: string;
}

/** `CSIM:7.1.d` in version 112 → `CSIM@112:7.1.d`, so the link opens the version compared. */
function versionedItemId(id: string, versions: Record<string, string>): string {
  const match = /^([A-Z]+):(.+)$/.exec(id);
  return match && versions[match[1]] ? `${match[1]}@${versions[match[1]]}:${match[2]}` : id;
}

function ChangeTable({ changes, textById, testId, versionsA, versionsB }: {
  changes: WhatIfChange[]; textById: Map<string, CatalogItem>; testId: string; versionsA: Record<string, string>; versionsB: Record<string, string>;
}) {
  const { t } = useTranslation();
  if (changes.length === 0) {
    return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('whatIf.none')} />;
  }
  return (
    <Table<WhatIfChange>
      data-testid={testId}
      size="small"
      rowKey="lineage"
      pagination={{ pageSize: 50, hideOnSinglePage: true }}
      dataSource={changes}
      columns={[
        {
          title: t('applicability.item'),
          render: (_value, change) => {
            const side = change.after ?? change.before!;
            const id = change.after ? versionedItemId(change.after.id, versionsB) : versionedItemId(change.before!.id, versionsA);
            const item = textById.get(id);
            return (
              <div>
                <ItemLink id={id}>{side.id}</ItemLink>{item?.title ? <strong> {item.title}</strong> : null}
                {item ? (
                  <div style={{ display: '-webkit-box', WebkitLineClamp: 3, WebkitBoxOrient: 'vertical', overflow: 'hidden' }}>
                    <ItemText text={item.text} notInSource={item.notInSource} />
                  </div>
                ) : null}
              </div>
            );
          },
        },
        {
          title: t('whatIf.verdicts'), width: 190,
          render: (_value, change) => (
            <Space size={4}>
              {change.before ? <VerdictTag verdict={change.before.verdict} /> : <Tag>{t('whatIf.absent')}</Tag>}
              →
              {change.after ? <VerdictTag verdict={change.after.verdict} /> : <Tag>{t('whatIf.absent')}</Tag>}
            </Space>
          ),
        },
        {
          title: t('applicability.reason'), width: '42%',
          render: (_value, change) => (
            <div>
              {change.before ? <div><Typography.Text type="secondary">{t('whatIf.before')}：</Typography.Text>{change.before.reason}</div> : null}
              {change.after ? <div><Typography.Text type="secondary">{t('whatIf.after')}：</Typography.Text>{change.after.reason}</div> : null}
            </div>
          ),
        },
      ]}
    />
  );
}

export default function WhatIfPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { firm } = useActiveFirm();
  const firmId = firm!.id;
  const search = useSearch({ strict: false }) as WhatIfSearch;
  const mode: Mode = search.mode === 'version' ? 'version' : 'profile';
  const document: DocumentCode = search.document ?? 'CSIM';
  const documents = useCatalogVersions();
  const versions = documents.data?.find((entry) => entry.document === document)?.versions ?? [];
  // The router parses `from=111` as a number; versions are names.
  const from = search.from !== undefined ? String(search.from) : versions[versions.length - 2]?.version ?? versions[0]?.version;
  const to = search.to !== undefined ? String(search.to) : versions[versions.length - 1]?.version;
  const choose = (change: Partial<WhatIfSearch>) => {
    const next = { mode, document, from: search.from, to: search.to, date: search.date, ...change };
    void navigate({ to: '/what-if', search: Object.fromEntries(Object.entries(next).filter(([, value]) => value)) });
  };

  const stored = useQuery({ queryKey: ['profile', firmId], queryFn: () => getFirmProfile(firmId) });
  const savedProfile = useMemo<FirmProfile>(() => stored.data?.profile ?? { name: firm!.name }, [stored.data, firm]);
  const [form] = Form.useForm<ProfileFormValues>();
  const [edited, setEdited] = useState<FirmProfile>(savedProfile);
  useEffect(() => {
    form.resetFields();
    form.setFieldsValue(toFormValues(savedProfile));
    setEdited(toProfile(form.getFieldsValue(true)));
  }, [savedProfile, form]);

  const body = mode === 'profile'
    ? { profileA: savedProfile, profileB: edited.name ? edited : { ...edited, name: savedProfile.name }, document, date: search.date }
    : { profileA: savedProfile, versionA: from, versionB: to, document, date: search.date };
  // Debounce the JSON text: a new object each render must not restart the timer.
  const requestJson = useDebouncedValue(JSON.stringify(body), 350);
  const comparison = useQuery({
    queryKey: ['what-if', firmId, requestJson],
    queryFn: () => compareWhatIf(JSON.parse(requestJson) as typeof body),
    enabled: Boolean(stored.data) && (mode === 'profile' || Boolean(from && to)),
    placeholderData: (previous) => previous,
    retry: false,
  });

  // Item text for the compared versions of the document.
  const versionA = comparison.data?.versionsA[document];
  const versionB = comparison.data?.versionsB[document];
  const itemsA = useQuery({ queryKey: ['catalog', 'items', document, versionA], queryFn: () => listCatalogItems(document, versionA), enabled: Boolean(versionA), staleTime: Infinity });
  const itemsB = useQuery({ queryKey: ['catalog', 'items', document, versionB], queryFn: () => listCatalogItems(document, versionB), enabled: Boolean(versionB), staleTime: Infinity });
  const textById = useMemo(() => new Map([...(itemsA.data?.items ?? []), ...(itemsB.data?.items ?? [])].map((item) => [item.versionedId, item])), [itemsA.data, itemsB.data]);
  // Compared with the saved profile as the form reads it (brokerage kept in the business lines).
  const profileChanges = mode === 'profile' ? listProfileChanges(toProfile(toFormValues(savedProfile)), edited) : [];

  if (stored.isPending) {
    return <PageLoading />;
  }
  if (stored.error) {
    return <ErrorAlert error={stored.error} onRetry={() => void stored.refetch()} />;
  }

  const results = comparison.data ? (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle" data-testid="what-if-results">
      <Space wrap data-testid="what-if-counts">
        <Tag color="green">{t('whatIf.newlyApplies')} {comparison.data.newlyApplies.length}</Tag>
        <Tag color="red">{t('whatIf.noLongerApplies')} {comparison.data.noLongerApplies.length}</Tag>
        <Tag color="gold">{t('whatIf.changed')} {comparison.data.changed.length}</Tag>
        <Tag>{t('whatIf.unchanged')} {comparison.data.unchangedCount}</Tag>
        <Typography.Text type="secondary">
          {Object.entries(comparison.data.versionsA).map(([doc, version]) => `${doc} ${version}${comparison.data.versionsB[doc] !== version ? ` → ${comparison.data.versionsB[doc]}` : ''}`).join('、')}
        </Typography.Text>
      </Space>
      {([
        ['newlyApplies', 'what-if-newly'],
        ['noLongerApplies', 'what-if-no-longer'],
        ['changed', 'what-if-changed'],
      ] as const).map(([key, testId]) => (
        <Card key={key} size="small" title={`${t(`whatIf.${key}`)}（${comparison.data[key].length}）`}>
          <ChangeTable changes={comparison.data[key]} textById={textById} testId={testId} versionsA={comparison.data.versionsA} versionsB={comparison.data.versionsB} />
        </Card>
      ))}
    </Space>
  ) : null;

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Card>
        <Flex gap="middle" wrap align="center">
          <Typography.Title level={3} style={{ margin: 0 }}>{t('whatIf.title')}</Typography.Title>
          <Segmented<Mode>
            data-testid="what-if-mode"
            value={mode}
            onChange={(value) => choose({ mode: value })}
            options={[{ value: 'profile', label: t('whatIf.modeProfile') }, { value: 'version', label: t('whatIf.modeVersion') }]}
          />
          <Select
            data-testid="what-if-document"
            style={{ minWidth: 240 }}
            value={document}
            onChange={(value: DocumentCode) => choose({ document: value, from: undefined, to: undefined })}
            options={(documents.data ?? []).map((entry) => ({ value: entry.document, label: `${entry.document}｜${entry.title}` }))}
          />
          {mode === 'version' ? (
            <Space>
              <Select data-testid="what-if-from" style={{ width: 110 }} value={from} onChange={(value: string) => choose({ from: value })} options={versions.map((entry) => ({ value: entry.version, label: entry.version }))} />
              →
              <Select data-testid="what-if-to" style={{ width: 110 }} value={to} onChange={(value: string) => choose({ to: value })} options={versions.map((entry) => ({ value: entry.version, label: entry.version }))} />
            </Space>
          ) : null}
          <Space>
            <Typography.Text>{t('applicability.date')}</Typography.Text>
            <Input type="date" style={{ width: 160 }} value={search.date ?? ''} onChange={(event) => choose({ date: event.target.value || undefined })} />
          </Space>
        </Flex>
        <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0' }}>
          {mode === 'profile' ? t('whatIf.hintProfile') : t('whatIf.hintVersion')}
        </Typography.Paragraph>
        {stored.data.revision === null ? <Alert type="warning" showIcon title={t('profile.noProfileYet')} /> : null}
        {mode === 'version' && versions.length < 2 ? <Alert type="info" showIcon title={t('diff.needTwoVersions')} /> : null}
      </Card>
      {comparison.error ? <ErrorAlert error={comparison.error} /> : null}
      {mode === 'profile' ? (
        <Row gutter={16}>
          <Col xs={24} xl={10}>
            <Card
              size="small"
              title={t('whatIf.editedCopy')}
              extra={<Button size="small" onClick={() => { form.resetFields(); form.setFieldsValue(toFormValues(savedProfile)); setEdited(savedProfile); }}>{t('whatIf.reset')}</Button>}
            >
              <Space wrap style={{ marginBottom: 8 }} data-testid="what-if-profile-changes">
                {profileChanges.length === 0 ? <Typography.Text type="secondary">{t('whatIf.sameAsSaved')}</Typography.Text> : profileChanges.map((change) => (
                  <Tag key={change.field} color="blue">{t(fieldLabelKey(change.field), { defaultValue: change.field })}</Tag>
                ))}
              </Space>
              <Form<ProfileFormValues> form={form} layout="vertical" onValuesChange={() => setEdited(toProfile(form.getFieldsValue(true)))}>
                <ProfileFields form={form} />
              </Form>
            </Card>
          </Col>
          <Col xs={24} xl={14}>
            <div style={{ position: 'sticky', top: 16 }}>{comparison.isPending && !comparison.data ? <PageLoading /> : results}</div>
          </Col>
        </Row>
      ) : comparison.isPending && !comparison.data ? <PageLoading /> : results}
    </Space>
  );
}
