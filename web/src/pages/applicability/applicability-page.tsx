/**
 * Which catalog items bind the active firm, and why: its classification (CISO, security tier, type,
 * domestic or foreign) and a verdict with the reason for every item, filterable by document (MAS items
 * are judged by the firm's mobile apps), version (by default the one in force on the date), verdict,
 * cycle, section and date. A date before the firm's first profile revision shows the server's notice;
 * items a chosen later version added or amended show as not yet in force with the reason.
 */
import { useMemo } from 'react';
import { Alert, Card, Flex, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { getApplicability, listCatalogItems, type ApplicabilityQuery, type ApplicabilityRow, type CatalogItem, type Cycle, type Verdict } from '../../api/client.ts';
import type { Condition, Fact } from '../../../../src/domain/catalog/schema.ts';
import { useActiveFirm } from '../../auth/session.ts';
import { CycleTag, ItemLink, ItemText } from '../../components/catalog-bits.tsx';
import { ErrorAlert, PageLoading } from '../../components/page-states.tsx';
import { useCatalogVersions } from '../catalog/use-catalog-versions.ts';
import { VERDICT_COLORS, VerdictTag } from './verdict-tag.tsx';
import { ClassificationPanel } from './classification-panel.tsx';

const VERDICTS: Verdict[] = ['applies', 'not_applicable', 'not_in_force', 'needs_answer'];
const CYCLES: Cycle[] = ['monthly', 'semiannual', 'annual'];

/** The facts a scope condition tests (「適用網際網路下單證券商」 tests onlineOrdering). */
function listConditionFacts(condition: Condition): Fact[] {
  if ('fact' in condition) {
    return [condition.fact];
  }
  if ('not' in condition) {
    return listConditionFacts(condition.not);
  }
  if ('all' in condition) {
    return condition.all.flatMap(listConditionFacts);
  }
  if ('any' in condition) {
    return condition.any.flatMap(listConditionFacts);
  }
  return [];
}

/** Facts each item's scope (its own or inherited) depends on, by versioned id. */
function mapScopeFacts(items: CatalogItem[]): Map<string, Set<Fact>> {
  return new Map(items.map((item) => [item.versionedId, new Set(item.scope ? listConditionFacts(item.scope.when) : [])]));
}

type ApplicabilitySearch = ApplicabilityQuery & { scope?: Fact };

export default function ApplicabilityPage() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const { firm } = useActiveFirm();
  const firmId = firm!.id;
  const search = useSearch({ strict: false }) as ApplicabilitySearch;
  const documents = useCatalogVersions();
  // Search values are JSON-parsed, so a version such as 112 arrives as a number.
  const query: ApplicabilityQuery = { document: search.document ?? 'CSIM', version: search.version !== undefined ? String(search.version) : undefined, verdict: search.verdict, cycle: search.cycle, section: search.section !== undefined ? String(search.section) : undefined, date: search.date };
  const report = useQuery({ queryKey: ['applicability', firmId, query], queryFn: () => getApplicability(firmId, query), placeholderData: (previous) => previous });

  // The scope filter (e.g. only items for internet-ordering firms) reads the items' scope from the catalog.
  const catalogVersion = report.data?.versions[query.document ?? 'CSIM'];
  const catalogItems = useQuery({
    queryKey: ['catalog', 'items', query.document, catalogVersion],
    queryFn: () => listCatalogItems(query.document ?? 'CSIM', catalogVersion),
    enabled: Boolean(catalogVersion),
    staleTime: Infinity,
  });
  const scopeFacts = useMemo(() => (catalogItems.data ? mapScopeFacts(catalogItems.data.items) : null), [catalogItems.data]);
  const factOptions = useMemo(() => [...new Set([...(scopeFacts?.values() ?? [])].flatMap((facts) => [...facts]))].sort(), [scopeFacts]);
  const rows = useMemo(() => {
    const items = report.data?.items ?? [];
    return search.scope && scopeFacts ? items.filter((row) => scopeFacts.get(row.versionedId)?.has(search.scope!)) : items;
  }, [report.data, scopeFacts, search.scope]);

  const choose = (change: Partial<ApplicabilitySearch>) => {
    const next = { ...query, scope: search.scope, ...change };
    void navigate({ to: '/applicability', search: Object.fromEntries(Object.entries(next).filter(([, value]) => value)) });
  };
  const isEnglish = i18n.language === 'en';
  const documentVersions = documents.data?.find((entry) => entry.document === query.document)?.versions ?? [];
  const chosenVersion = documentVersions.find((entry) => entry.version === query.version);
  const reportDate = report.data?.date ?? query.date;

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Card>
        <Flex gap="middle" wrap align="center">
          <Typography.Title level={3} style={{ margin: 0 }}>{t('applicability.title')}</Typography.Title>
          <Select
            data-testid="applicability-document"
            style={{ minWidth: 260 }}
            value={query.document}
            onChange={(document: string) => choose({ document, version: undefined, section: undefined, scope: undefined })}
            options={(documents.data ?? []).map((entry) => ({ value: entry.document, label: `${entry.document}｜${entry.title}` }))}
          />
          <Select
            data-testid="applicability-version"
            aria-label={t('applicability.version')}
            style={{ minWidth: 210 }}
            value={query.version ?? ''}
            onChange={(version: string) => choose({ version: version || undefined })}
            options={[
              { value: '', label: t('applicability.versionInForce') },
              ...documentVersions.map((entry) => ({ value: entry.version, label: `${entry.document} ${entry.version}（${entry.date}）` })),
            ]}
          />
          <Select
            data-testid="applicability-verdict"
            style={{ minWidth: 150 }}
            value={query.verdict ?? ''}
            onChange={(verdict: string) => choose({ verdict: (verdict || undefined) as Verdict | undefined })}
            options={[{ value: '', label: t('applicability.allVerdicts') }, ...VERDICTS.map((verdict) => ({ value: verdict, label: t(`verdict.${verdict}`) }))]}
          />
          <Select
            data-testid="applicability-cycle"
            style={{ minWidth: 130 }}
            value={query.cycle ?? ''}
            onChange={(cycle: string) => choose({ cycle: (cycle || undefined) as Cycle | undefined })}
            options={[{ value: '', label: t('applicability.allCycles') }, ...CYCLES.map((cycle) => ({ value: cycle, label: t(`cycle.${cycle}`) }))]}
          />
          <Select
            data-testid="applicability-scope"
            style={{ minWidth: 220 }}
            value={search.scope ?? ''}
            onChange={(scope: string) => choose({ scope: (scope || undefined) as Fact | undefined })}
            options={[{ value: '', label: t('applicability.allScopes') }, ...factOptions.map((fact) => ({ value: fact, label: t(`fact.${fact}`, { defaultValue: fact }) }))]}
          />
          <Input.Search
            data-testid="applicability-section"
            allowClear
            style={{ width: 200 }}
            placeholder={t('applicability.section')}
            defaultValue={query.section}
            onSearch={(section) => choose({ section: section.trim() || undefined })}
          />
          <Space>
            <Typography.Text>{t('applicability.date')}</Typography.Text>
            <Input type="date" style={{ width: 160 }} value={query.date ?? report.data?.date ?? ''} onChange={(event) => choose({ date: event.target.value || undefined })} />
          </Space>
        </Flex>
      </Card>
      {report.isPending ? <PageLoading /> : report.error ? <ErrorAlert error={report.error} onRetry={() => void report.refetch()} /> : (
        <>
          {report.data.isProfileMissing ? (
            <Alert type="warning" showIcon data-testid="applicability-profile-missing" title={t('applicability.profileMissing')} description={isEnglish ? report.data.noticeEn : report.data.notice} />
          ) : null}
          {chosenVersion && reportDate && chosenVersion.date > reportDate ? (
            <Alert type="info" showIcon data-testid="applicability-later-version"
              title={t('applicability.laterVersion', { name: `${chosenVersion.document} ${chosenVersion.version}`, date: chosenVersion.date, day: reportDate })} />
          ) : null}
          {query.document === 'MAS' ? <Alert type="info" showIcon data-testid="applicability-mas-hint" title={t('applicability.masHint')} /> : null}
          <Card title={t('applicability.classification')} size="small"
            extra={<Typography.Text type="secondary">{t('applicability.profileRevision')} {report.data.profileRevision ?? '—'}・{t('applicability.versions')} {Object.entries(report.data.versions).map(([document, version]) => `${document} ${version}`).join('、')}</Typography.Text>}
          >
            <ClassificationPanel classification={report.data.classification} column={2} />
          </Card>
          <Card
            title={(
              <Space wrap data-testid="applicability-counts">
                {VERDICTS.map((verdict) => (
                  <Tag key={verdict} color={VERDICT_COLORS[verdict]} style={{ cursor: 'pointer', fontSize: 14, padding: '2px 8px' }} onClick={() => choose({ verdict: query.verdict === verdict ? undefined : verdict })}>
                    {t(`verdict.${verdict}`)} {report.data.counts[verdict]}
                  </Tag>
                ))}
                <Typography.Text type="secondary" data-testid="applicability-shown">{t('applicability.shown', { count: rows.length })}</Typography.Text>
              </Space>
            )}
          >
            <Table<ApplicabilityRow>
              data-testid="applicability-table"
              size="small"
              rowKey="versionedId"
              loading={report.isFetching}
              dataSource={rows}
              pagination={{ pageSize: 100, showSizeChanger: true }}
              columns={[
                {
                  title: t('applicability.item'),
                  render: (_value, row) => (
                    <div style={{ paddingInlineStart: (row.depth - 1) * 16 }}>
                      <ItemLink id={row.versionedId}>{row.label ?? row.path}</ItemLink>{' '}
                      {row.title ? <strong>{row.title} </strong> : null}
                      <Typography.Paragraph ellipsis={{ rows: 2, expandable: true }} style={{ margin: 0 }}>
                        <ItemText text={row.text} notInSource={row.text === null} />
                      </Typography.Paragraph>
                    </div>
                  ),
                },
                { title: t('applicability.verdict'), dataIndex: 'verdict', width: 110, render: (verdict: Verdict) => <VerdictTag verdict={verdict} /> },
                { title: t('applicability.cycle'), dataIndex: 'cycle', width: 90, render: (cycle: Cycle | null) => <CycleTag cycle={cycle} /> },
                {
                  title: t('applicability.reason'), width: '38%',
                  render: (_value, row) => (
                    <div data-testid="applicability-reason">
                      {row.verdict === 'not_in_force'
                        ? <Typography.Text type="warning">{isEnglish ? row.reasonEn : row.reason}</Typography.Text>
                        : <div>{isEnglish ? row.reasonEn : row.reason}</div>}
                      {row.missingFields.length > 0 ? (
                        <Typography.Text type="danger">{t('applicability.missing')}：{row.missingFields.join('、')}</Typography.Text>
                      ) : null}
                    </div>
                  ),
                },
              ]}
            />
          </Card>
        </>
      )}
    </Space>
  );
}
