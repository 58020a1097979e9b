/**
 * One catalog item at a shareable address (`/catalog/item/CSIM@112:7.1.d`): text verbatim, code, cycle,
 * scope, effective dates, MAS levels, history across versions, sub-items and cross-references.
 */
import { App as AntApp, Breadcrumb, Button, Card, Collapse, Descriptions, Empty, List, Space, Table, Tag, Typography } from 'antd';
import { LinkOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { getCatalogItem, type ItemDetail } from '../../api/client.ts';
import { ChangeTag, ConditionText, CycleTag, ItemLink, ItemText } from '../../components/catalog-bits.tsx';
import { ErrorAlert, PageLoading } from '../../components/page-states.tsx';

function LevelTags({ levels }: { levels: NonNullable<ItemDetail['levels']> }) {
  return (
    <Space size={4}>
      {(['L1', 'L2', 'L3', 'F'] as const).map((level) => (
        <Tag key={level} color={levels[level] ? 'blue' : undefined} style={levels[level] ? undefined : { opacity: 0.45, textDecoration: 'line-through' }}>
          {level}
        </Tag>
      ))}
    </Space>
  );
}

function ItemFacts({ item }: { item: ItemDetail }) {
  const { t } = useTranslation();
  const rows = [
    { key: 'code', label: t('catalog.code'), children: item.code ? <Tag data-testid="item-code">{item.code}</Tag> : '—' },
    { key: 'cycle', label: t('catalog.cycle'), children: item.cycle ? <span data-testid="item-cycle"><CycleTag cycle={item.cycle} /></span> : '—' },
    {
      key: 'scope', label: t('catalog.scope'), span: 2,
      children: item.scope ? (
        <div data-testid="item-scope">
          <div className="regulation-text">{item.scope.text}</div>
          <Typography.Text type="secondary">
            {t('catalog.condition')}：<ConditionText condition={item.scope.when} />
            {item.scope.statedAt && item.scope.statedAt !== item.path ? (
              <>　{t('catalog.scopeStatedAt')}：<ItemLink id={`${item.document}@${item.version}:${item.scope.statedAt}`}>{item.scope.statedAt}</ItemLink></>
            ) : null}
          </Typography.Text>
        </div>
      ) : <span data-testid="item-scope">{t('catalog.scopeAll')}</span>,
    },
    { key: 'tier', label: t('catalog.tierDependent'), children: item.tierDependent ? <Tag color="orange" data-testid="item-tier">{t('common.yes')}</Tag> : t('common.no') },
    {
      key: 'effective', label: t('catalog.effective'),
      children: item.effective ? (
        <div data-testid="item-effective">
          <div><strong>{item.effective.from}</strong>　<span className="regulation-text">{item.effective.text}</span></div>
          {(item.effective.milestones ?? []).map((milestone) => (
            <div key={`${milestone.label}-${milestone.from}`}>{t('catalog.milestones')}：{milestone.label} {milestone.from}</div>
          ))}
        </div>
      ) : '—',
    },
  ];
  if (item.levels) {
    rows.push({ key: 'levels', label: t('catalog.levels'), children: <LevelTags levels={item.levels} /> });
  }
  if (item.requirementCode) {
    rows.push({ key: 'requirement', label: t('catalog.requirementCode'), children: item.requirementCode });
  }
  if (item.category) {
    rows.push({ key: 'category', label: t('catalog.category'), children: item.category });
  }
  if (item.definition) {
    rows.push({ key: 'definition', label: t('catalog.definition'), children: item.definition.term });
  }
  rows.push({
    key: 'source', label: t('catalog.source'),
    children: <Typography.Text type="secondary">{item.source.file}{item.source.line !== null ? `，${t('catalog.line', { line: item.source.line })}` : ''}</Typography.Text>,
  });
  return <Descriptions bordered size="small" column={{ xs: 1, lg: 2 }} items={rows} />;
}

function ItemHistory({ item }: { item: ItemDetail }) {
  const { t } = useTranslation();
  return (
    <Table
      data-testid="item-history"
      size="small"
      pagination={false}
      rowKey={(entry) => `${entry.version}:${entry.path}`}
      dataSource={item.history}
      rowClassName={(entry) => (entry.version === item.version ? 'history-current' : '')}
      columns={[
        {
          title: t('common.version'), dataIndex: 'version', width: 110,
          render: (_value, entry) => <ItemLink id={`${item.document}@${entry.version}:${entry.path}`}>{`${entry.version}・${entry.path}`}</ItemLink>,
        },
        { title: t('diff.kind'), width: 110, render: (_value, entry) => (entry.change ? <ChangeTag kind={entry.change.kind} /> : '—') },
        { title: t('catalog.items'), render: (_value, entry) => <ItemText text={entry.text} notInSource={entry.notInSource} /> },
        {
          title: t('catalog.reason'), width: 260,
          render: (_value, entry) => (entry.change ? (
            <div>
              {entry.change.reason ? <div className="regulation-text">{entry.change.reason}</div> : null}
              {entry.change.fromPath ? <Typography.Text type="secondary">{t('catalog.fromPath')}：{entry.change.fromPath}</Typography.Text> : null}
            </div>
          ) : '—'),
        },
      ]}
    />
  );
}

export default function ItemPage() {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const { itemId } = useParams({ strict: false }) as { itemId: string };
  const query = useQuery({ queryKey: ['catalog', 'item', itemId], queryFn: () => getCatalogItem(itemId), staleTime: 10 * 60_000 });

  if (query.isPending) {
    return <PageLoading />;
  }
  if (query.error) {
    return <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />;
  }
  const item = query.data;
  const copyLink = async () => {
    await navigator.clipboard?.writeText(`${window.location.origin}/catalog/item/${item.versionedId}`);
    void message.success(t('common.copied'));
  };
  const refersTo = item.references.filter((reference) => reference.direction === 'refers_to');
  const referredBy = item.references.filter((reference) => reference.direction === 'referred_by');

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }} data-testid="item-page">
      <Breadcrumb items={[
        { title: <Link to="/catalog">{t('catalog.title')}</Link> },
        { title: <Link to="/catalog" search={{ document: item.document, version: item.version }}>{`${item.document} ${item.version}`}</Link> },
        ...(item.parentPath ? [{ title: <ItemLink id={`${item.document}@${item.version}:${item.parentPath}`}>{item.parentPath}</ItemLink> }] : []),
        { title: item.path },
      ]} />
      <Card
        title={
          <Space wrap>
            <span data-testid="item-heading">{item.document}@{item.version}:{item.path}</span>
            {item.label ? <Tag>{item.label}</Tag> : null}
            {item.title ? <span>{item.title}</span> : null}
            {item.change ? <ChangeTag kind={item.change.kind} /> : null}
          </Space>
        }
        extra={<Button icon={<LinkOutlined />} onClick={() => void copyLink()}>{t('catalog.shareLink')}</Button>}
      >
        <Typography.Paragraph style={{ fontSize: 16 }}>
          <ItemText text={item.text} notInSource={item.notInSource} testId="item-text" />
        </Typography.Paragraph>
        {item.change ? (
          <Card size="small" type="inner" title={t('catalog.change')} style={{ marginBottom: 16 }} data-testid="item-change">
            <Space orientation="vertical">
              <span><ChangeTag kind={item.change.kind} />{item.change.fromPath ? `${t('catalog.fromPath')}：${item.change.fromPath}` : null}</span>
              {item.change.was ? <span>{t('catalog.wasText')}：<span className="regulation-text">{item.change.was}</span></span> : null}
              {item.change.reason ? <span>{t('catalog.reason')}：<span className="regulation-text">{item.change.reason}</span></span> : null}
            </Space>
          </Card>
        ) : null}
        <ItemFacts item={item} />
      </Card>

      {item.children.length > 0 ? (
        <Card title={t('catalog.children')} size="small">
          <List
            data-testid="item-children"
            dataSource={item.children}
            renderItem={(child) => (
              <List.Item>
                <div className="catalog-tree-row">
                  <span className="label">{child.label ?? child.path}</span>
                  <ItemLink id={`${item.document}@${item.version}:${child.path}`}>
                    <span style={{ color: 'inherit' }}><ItemText text={child.text} notInSource={child.text === null} /></span>
                  </ItemLink>
                </div>
              </List.Item>
            )}
          />
        </Card>
      ) : null}

      <Card title={t('catalog.references')} size="small" data-testid="item-references">
        {item.references.length === 0 ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('common.none')} /> : (
          <List
            dataSource={[...refersTo, ...referredBy]}
            renderItem={(reference) => (
              <List.Item>
                <Space align="start">
                  <Tag color={reference.direction === 'refers_to' ? 'geekblue' : 'cyan'}>
                    {reference.direction === 'refers_to' ? t('catalog.refersTo') : t('catalog.referredBy')}
                  </Tag>
                  <ItemLink id={reference.id} />
                  <ItemText text={reference.text} notInSource={reference.text === null} />
                </Space>
              </List.Item>
            )}
          />
        )}
      </Card>

      <Card title={t('catalog.history')} size="small">
        <ItemHistory item={item} />
      </Card>

      {item.note ? (
        <Collapse size="small" items={[{ key: 'note', label: t('catalog.note'), children: <Typography.Paragraph type="secondary">{item.note}</Typography.Paragraph> }]} />
      ) : null}
    </Space>
  );
}
