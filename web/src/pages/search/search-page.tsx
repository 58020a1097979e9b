/** Full-text search over every document and version: ranked hits, matched words marked, versions listed. */
import { useState } from 'react';
import { Card, Empty, Flex, Input, List, Select, Space, Tag, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { searchCatalog, type SearchHit } from '../../api/client.ts';
import { ChangeTag, CycleTag, ItemLink } from '../../components/catalog-bits.tsx';
import { ErrorAlert, PageLoading } from '../../components/page-states.tsx';
import { useCatalogVersions } from '../catalog/use-catalog-versions.ts';

interface SearchParams {
  q?: string;
  document?: string;
}

function Highlighted({ hit }: { hit: SearchHit }) {
  const { t } = useTranslation();
  if (hit.notInSource || hit.text === null) {
    return <span className="not-in-source">{t('catalog.notInSource')}</span>;
  }
  return (
    <span className="regulation-text" data-testid="search-text">
      {hit.highlighted.map((segment, index) => (segment.hit ? <mark className="hit" key={index}>{segment.text}</mark> : <span key={index}>{segment.text}</span>))}
    </span>
  );
}

export default function SearchPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const params = useSearch({ strict: false }) as SearchParams;
  const q = typeof params.q === 'string' ? params.q : '';
  const document = typeof params.document === 'string' ? params.document : undefined;
  const [draft, setDraft] = useState(q);
  const documents = useCatalogVersions();

  const results = useQuery({
    queryKey: ['catalog', 'search', q, document],
    queryFn: () => searchCatalog({ q, document, limit: 100 }),
    enabled: q.trim().length > 0,
    staleTime: 5 * 60_000,
  });

  const go = (next: SearchParams) => void navigate({ to: '/search', search: { q: next.q || undefined, document: next.document || undefined } });

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Card>
        <Typography.Title level={3} style={{ marginTop: 0 }}>{t('search.title')}</Typography.Title>
        <Flex gap="middle" wrap>
          <Input.Search
            data-testid="search-input"
            style={{ flex: 1, minWidth: 280 }}
            size="large"
            enterButton={t('common.search')}
            placeholder={t('search.placeholder')}
            value={draft}
            maxLength={200}
            onChange={(event) => setDraft(event.target.value)}
            onSearch={(value) => go({ q: value.trim(), document })}
          />
          <Select
            data-testid="search-document"
            size="large"
            style={{ minWidth: 220 }}
            value={document ?? ''}
            onChange={(value: string) => go({ q, document: value })}
            options={[
              { value: '', label: t('search.allDocuments') },
              ...(documents.data ?? []).map((entry) => ({ value: entry.document, label: `${entry.document}｜${entry.title}` })),
            ]}
          />
        </Flex>
        {!q ? <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>{t('search.hint')}</Typography.Paragraph> : null}
      </Card>
      {q ? (
        <Card title={results.data ? <span data-testid="search-total">{t('search.results', { count: results.data.total })}</span> : null}>
          {results.isPending ? <PageLoading /> : results.error ? <ErrorAlert error={results.error} onRetry={() => void results.refetch()} /> : results.data.results.length === 0 ? (
            <Empty description={t('search.noResults')} />
          ) : (
            <List
              data-testid="search-results"
              itemLayout="vertical"
              dataSource={results.data.results}
              renderItem={(hit) => (
                <List.Item key={hit.versionedId} data-testid="search-hit">
                  <Space wrap size={4} style={{ marginBottom: 6 }}>
                    <ItemLink id={hit.versionedId}>
                      <strong>{hit.document}@{hit.version}:{hit.path}</strong>
                    </ItemLink>
                    {hit.label ? <Tag>{hit.label}</Tag> : null}
                    {hit.title ? <Typography.Text strong>{hit.title}</Typography.Text> : null}
                    {hit.code ? <Tag>{hit.code}</Tag> : null}
                    <CycleTag cycle={hit.cycle} />
                    {hit.change ? <ChangeTag kind={hit.change.kind} /> : null}
                  </Space>
                  <div><Highlighted hit={hit} /></div>
                  <Space size={4} wrap style={{ marginTop: 6 }}>
                    <Typography.Text type="secondary">{t('search.versions')}：</Typography.Text>
                    {hit.versions.map((version) => (
                      <Tag key={version} color={version === hit.version ? 'blue' : undefined} data-testid="search-hit-version">{version}</Tag>
                    ))}
                    <Typography.Text type="secondary" style={{ marginInlineStart: 8 }}>{t('search.score')} {hit.score.toFixed(2)}</Typography.Text>
                  </Space>
                </List.Item>
              )}
            />
          )}
        </Card>
      ) : null}
    </Space>
  );
}
