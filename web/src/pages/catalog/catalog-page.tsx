/** The catalog: pick a document and version, read its items as a tree; each item links to its page. */
import { useMemo, useState } from 'react';
import { Card, Descriptions, Empty, Flex, Input, Select, Space, Tag, Tree, Typography } from 'antd';
import type { DataNode } from 'antd/es/tree';
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { listCatalogItems, type CatalogItem } from '../../api/client.ts';
import { ChangeTag, CycleTag, ItemText } from '../../components/catalog-bits.tsx';
import { ErrorAlert, PageLoading } from '../../components/page-states.tsx';
import { useCatalogVersions } from './use-catalog-versions.ts';

interface CatalogSearch {
  document?: string;
  version?: string;
}

function ItemRow({ item }: { item: CatalogItem }) {
  return (
    <div className="catalog-tree-row" data-testid="catalog-item">
      <span className="label">{item.label ?? item.path}</span>
      <span style={{ flex: 1 }}>
        <Link to="/catalog/item/$itemId" params={{ itemId: item.versionedId }} style={{ color: 'inherit' }}>
          {item.title && !(item.text ?? '').startsWith(item.title) ? <strong>{item.title}：</strong> : null}
          <ItemText text={item.text} notInSource={item.notInSource} />
        </Link>
        {item.depth === 1 || (item.parentPath === null) ? (
          <span style={{ marginInlineStart: 8 }}>
            {item.code ? <Tag>{item.code}</Tag> : null}
            <CycleTag cycle={item.cycle} />
          </span>
        ) : null}
        {item.change ? <span style={{ marginInlineStart: 8 }}><ChangeTag kind={item.change.kind} /></span> : null}
      </span>
    </div>
  );
}

/** Items come in document order with parent paths: nest them into tree nodes. */
export function buildTree(items: CatalogItem[], matches: (item: CatalogItem) => boolean): DataNode[] {
  const nodes = new Map<string, DataNode & { children: DataNode[] }>();
  const roots: DataNode[] = [];
  const keep = new Set<string>();
  const byPath = new Map(items.map((item) => [item.path, item]));
  for (const item of items) {
    if (!matches(item)) {
      continue;
    }
    for (let path: string | null = item.path; path !== null; path = byPath.get(path)?.parentPath ?? null) {
      keep.add(path);
    }
  }
  for (const item of items) {
    if (!keep.has(item.path)) {
      continue;
    }
    const node = { key: item.path, title: <ItemRow item={item} />, children: [] as DataNode[] };
    nodes.set(item.path, node);
    const parent = item.parentPath ? nodes.get(item.parentPath) : undefined;
    (parent ? parent.children : roots).push(node);
  }
  for (const node of nodes.values()) {
    if (node.children.length === 0) {
      (node as DataNode).isLeaf = true;
    }
  }
  return roots;
}

export default function CatalogPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const search = useSearch({ strict: false }) as CatalogSearch;
  const [filter, setFilter] = useState('');
  const versions = useCatalogVersions();

  const documents = versions.data ?? [];
  const current = documents.find((entry) => entry.document === search.document) ?? documents[0];
  const version = current?.versions.find((entry) => entry.version === search.version) ?? current?.latest;

  const items = useQuery({
    queryKey: ['catalog', 'items', current?.document, version?.version],
    queryFn: () => listCatalogItems(current!.document, version!.version),
    enabled: Boolean(current && version),
    staleTime: 10 * 60_000,
  });

  const tree = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    const matches = (item: CatalogItem) => !needle
      || `${item.path} ${item.label ?? ''} ${item.title ?? ''} ${item.text ?? ''} ${item.code ?? ''}`.toLowerCase().includes(needle);
    return buildTree(items.data?.items ?? [], matches);
  }, [items.data, filter]);

  if (versions.isPending) {
    return <PageLoading />;
  }
  if (versions.error) {
    return <ErrorAlert error={versions.error} onRetry={() => void versions.refetch()} />;
  }

  const choose = (next: CatalogSearch) => void navigate({ to: '/catalog', search: next });
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Card>
        <Flex gap="middle" wrap align="center">
          <Typography.Title level={3} style={{ margin: 0 }}>{t('catalog.title')}</Typography.Title>
          <Select
            data-testid="catalog-document"
            aria-label={t('catalog.pickDocument')}
            style={{ minWidth: 320 }}
            value={current?.document}
            onChange={(document: string) => choose({ document })}
            options={documents.map((entry) => ({ value: entry.document, label: `${entry.document}｜${entry.title}` }))}
          />
          <Select
            data-testid="catalog-version"
            aria-label={t('catalog.pickVersion')}
            style={{ minWidth: 200 }}
            value={version?.version}
            onChange={(next: string) => choose({ document: current?.document, version: next })}
            options={(current?.versions ?? []).map((entry) => ({
              value: entry.version,
              label: `${entry.version}（${entry.date}）${entry.isLatest ? `・${t('common.latest')}` : ''}`,
            }))}
          />
          <Input.Search
            allowClear
            style={{ maxWidth: 320 }}
            placeholder={t('catalog.filter')}
            onChange={(event) => setFilter(event.target.value)}
            data-testid="catalog-filter"
          />
        </Flex>
        {version ? (
          <Descriptions size="small" column={{ xs: 1, md: 3 }} style={{ marginTop: 16 }} items={[
            { key: 'title', label: t('common.document'), children: version.title },
            { key: 'date', label: t('catalog.date'), children: version.date },
            { key: 'approval', label: t('catalog.approval'), children: version.approval ?? '—' },
            ...(version.base ? [{ key: 'base', label: t('catalog.base'), children: version.base }] : []),
            { key: 'count', label: t('catalog.items'), children: items.data ? t('catalog.itemCount', { count: items.data.items.length }) : '…' },
          ]} />
        ) : null}
      </Card>
      <Card>
        {items.isPending ? <PageLoading /> : items.error ? <ErrorAlert error={items.error} onRetry={() => void items.refetch()} /> : tree.length === 0 ? (
          <Empty description={t('catalog.noItems')} />
        ) : (
          <Tree
            key={`${current?.document}@${version?.version}:${filter}`}
            data-testid="catalog-tree"
            blockNode
            showLine
            selectable={false}
            defaultExpandAll
            treeData={tree}
          />
        )}
      </Card>
    </Space>
  );
}
