/**
 * The comparison table between two versions of a document, as the regulator prints it:
 * 修正條文 | 現行條文 | 說明, with the changed words marked (added underlined green, removed struck red).
 */
import { useMemo, useState } from 'react';
import { Alert, Card, Flex, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { diffCatalog, type DiffRow, type TextSegment } from '../../api/client.ts';
import { ChangeTag, ItemLink, ItemText } from '../../components/catalog-bits.tsx';
import { ErrorAlert, PageLoading } from '../../components/page-states.tsx';
import { useCatalogVersions } from '../catalog/use-catalog-versions.ts';

interface DiffSearch {
  document?: string;
  from?: string;
  to?: string;
}

/** One side of the table: the shared words plus that side's own (added on the new side, removed on the old). */
function SideText({ row, side }: { row: DiffRow; side: 'new' | 'old' }) {
  const text = side === 'new' ? row.newText : row.oldText;
  const notInSource = side === 'new' ? row.newNotInSource : row.oldNotInSource;
  if (text === null && !notInSource) {
    return null;
  }
  if (notInSource || row.segments.length === 0) {
    return <ItemText text={text} notInSource={notInSource} />;
  }
  const own: TextSegment['kind'] = side === 'new' ? 'added' : 'removed';
  return (
    <span className="regulation-text">
      {row.segments.filter((segment) => segment.kind === 'same' || segment.kind === own).map((segment, index) => (
        segment.kind === 'same'
          ? <span key={index}>{segment.text}</span>
          : <span key={index} className={`diff-${segment.kind}`} data-testid={`diff-${segment.kind}`}>{segment.text}</span>
      ))}
    </span>
  );
}

export default function DiffPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const search = useSearch({ strict: false }) as DiffSearch;
  const [isOnlyChangedText, setOnlyChangedText] = useState(false);
  const versions = useCatalogVersions();

  const documents = (versions.data ?? []).filter((entry) => entry.versions.length > 1);
  const current = documents.find((entry) => entry.document === search.document) ?? documents.find((entry) => entry.document === 'CSIM') ?? documents[0];
  const list = current?.versions ?? [];
  const to = list.find((entry) => entry.version === search.to)?.version ?? list[list.length - 1]?.version;
  const from = list.find((entry) => entry.version === search.from)?.version ?? list[list.length - 2]?.version;

  const diff = useQuery({
    queryKey: ['catalog', 'diff', current?.document, from, to],
    queryFn: () => diffCatalog({ document: current!.document, from: from!, to: to! }),
    enabled: Boolean(current && from && to && from !== to),
    staleTime: 10 * 60_000,
  });

  const rows = useMemo(
    () => (diff.data?.rows ?? []).filter((row) => !isOnlyChangedText || row.kind === 'added' || row.kind === 'removed' || row.segments.some((segment) => segment.kind !== 'same')),
    [diff.data, isOnlyChangedText],
  );

  if (versions.isPending) {
    return <PageLoading />;
  }
  if (versions.error) {
    return <ErrorAlert error={versions.error} onRetry={() => void versions.refetch()} />;
  }
  const choose = (next: DiffSearch) => void navigate({ to: '/diff', search: next });
  const versionOptions = list.map((entry) => ({ value: entry.version, label: `${entry.version}（${entry.date}）` }));

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Card>
        <Flex gap="middle" wrap align="center">
          <Typography.Title level={3} style={{ margin: 0 }}>{t('diff.title')}</Typography.Title>
          <Select
            data-testid="diff-document"
            aria-label={t('diff.document')}
            style={{ minWidth: 300 }}
            value={current?.document}
            onChange={(document: string) => choose({ document })}
            options={documents.map((entry) => ({ value: entry.document, label: `${entry.document}｜${entry.title}` }))}
          />
          <Space>
            <Typography.Text>{t('diff.from')}</Typography.Text>
            <Select data-testid="diff-from" style={{ minWidth: 160 }} value={from} options={versionOptions} onChange={(value: string) => choose({ document: current?.document, from: value, to })} />
            <Typography.Text>→ {t('diff.to')}</Typography.Text>
            <Select data-testid="diff-to" style={{ minWidth: 160 }} value={to} options={versionOptions} onChange={(value: string) => choose({ document: current?.document, from, to: value })} />
          </Space>
          <Space>
            <Switch checked={isOnlyChangedText} onChange={setOnlyChangedText} data-testid="diff-only-changed" />
            <Typography.Text>{t('diff.onlyChanged')}</Typography.Text>
          </Space>
        </Flex>
        <Space style={{ marginTop: 12 }} wrap>
          <span className="diff-added">{t('diff.legendAdded')}</span>
          <span className="diff-removed">{t('diff.legendRemoved')}</span>
          {diff.data ? <Typography.Text data-testid="diff-counts">{t('diff.counts', diff.data.counts)}</Typography.Text> : null}
          {diff.data?.approval ? <Typography.Text type="secondary">{diff.data.approval}（{diff.data.date}）</Typography.Text> : null}
        </Space>
        {diff.data?.titleChange ? (
          <Alert
            style={{ marginTop: 12 }}
            type="info"
            data-testid="diff-title-change"
            title={(
              <span>
                {t('diff.titleChanged')}：
                {(['removed', 'added'] as const).map((own) => (
                  <span key={own} data-testid={`diff-title-${own === 'added' ? 'new' : 'old'}`}>
                    {own === 'added' ? ' → ' : null}
                    {diff.data.titleChange!.segments.filter((segment) => segment.kind === 'same' || segment.kind === own).map((segment, index) => (
                      segment.kind === 'same' ? <span key={index}>{segment.text}</span> : <span key={index} className={`diff-${segment.kind}`}>{segment.text}</span>
                    ))}
                  </span>
                ))}
              </span>
            )}
          />
        ) : null}
      </Card>
      <Card>
        {documents.length === 0 ? <Alert type="info" title={t('diff.needTwoVersions')} /> : from === to ? <Alert type="warning" title={t('diff.sameVersion')} /> : diff.isPending ? <PageLoading /> : diff.error ? (
          <ErrorAlert error={diff.error} onRetry={() => void diff.refetch()} />
        ) : (
          <Table<DiffRow>
            className="diff-table"
            data-testid="diff-table"
            size="small"
            bordered
            rowKey={(row) => row.lineage}
            dataSource={rows}
            pagination={{ pageSize: 50, showSizeChanger: true, pageSizeOptions: [20, 50, 100, 500] }}
            columns={[
              {
                title: t('diff.path'), width: 110,
                render: (_value, row) => (
                  <Space orientation="vertical" size={2}>
                    {row.path ? <ItemLink id={`${diff.data.document}@${diff.data.to}:${row.path}`}>{row.path}</ItemLink> : null}
                    {row.oldPath && row.oldPath !== row.path ? (
                      <Typography.Text type="secondary" delete={row.kind === 'removed'}>
                        <ItemLink id={`${diff.data.document}@${diff.data.from}:${row.oldPath}`}>{row.oldPath}</ItemLink>
                      </Typography.Text>
                    ) : null}
                    <ChangeTag kind={row.kind} />
                  </Space>
                ),
              },
              { title: t('diff.newText'), width: '34%', render: (_value, row) => <div data-testid="diff-new"><SideText row={row} side="new" /></div> },
              { title: t('diff.oldText'), width: '34%', render: (_value, row) => <div data-testid="diff-old"><SideText row={row} side="old" /></div> },
              {
                title: t('diff.reason'),
                render: (_value, row) => (
                  <Space orientation="vertical" size={2}>
                    {row.reasons.map((reason, index) => <span key={index} className="regulation-text">{reason}</span>)}
                    {row.reasonRefs.map((ref) => <ItemLink key={ref} id={ref} />)}
                    {row.scopeChange && !row.scopeChange.isInherited ? (
                      <span data-testid="diff-scope-change">
                        <Tag color="orange">{t(row.isTextChanged || row.kind !== 'changed' ? 'diff.scopeChanged' : 'diff.scopeOnly')}</Tag>
                        <span className="diff-removed">{row.scopeChange.from ?? t('catalog.scopeAll')}</span> → <span className="diff-added">{row.scopeChange.to ?? t('catalog.scopeAll')}</span>
                      </span>
                    ) : null}
                    {row.movedWithParent.length > 0 ? (
                      <Typography.Text type="secondary" data-testid="diff-moved-children">
                        {t('diff.movedWithParent')}：{row.movedWithParent.map((child) => `${child.path}（${child.oldPath}）`).join('、')}
                      </Typography.Text>
                    ) : null}
                  </Space>
                ),
              },
              {
                title: t('diff.rows'), width: 70, align: 'center',
                render: (_value, row) => row.sourceRows.map((number) => <Tag key={number}>{number}</Tag>),
              },
            ]}
          />
        )}
      </Card>
    </Space>
  );
}
