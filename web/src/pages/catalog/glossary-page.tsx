/** 名詞定義 / Glossary: the terms the documents define, each with its verbatim definition and its source item. */
import { Card, Flex, Select, Space, Table, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { listCatalogGlossary, type GlossaryEntry } from '../../api/client.ts';
import { ItemLink, ItemText } from '../../components/catalog-bits.tsx';
import { ErrorAlert, PageLoading } from '../../components/page-states.tsx';
import { useCatalogVersions } from './use-catalog-versions.ts';

interface GlossarySearch {
  document?: string;
}

export default function GlossaryPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const params = useSearch({ strict: false }) as GlossarySearch;
  const document = typeof params.document === 'string' && params.document ? params.document : undefined;
  const documents = useCatalogVersions();

  const glossary = useQuery({
    queryKey: ['catalog', 'glossary', document],
    queryFn: () => listCatalogGlossary({ document }),
    staleTime: 10 * 60_000,
  });

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Card>
        <Flex gap="middle" wrap align="center">
          <Typography.Title level={3} style={{ margin: 0 }}>{t('glossary.title')}</Typography.Title>
          <Select
            data-testid="glossary-document"
            aria-label={t('glossary.document')}
            style={{ minWidth: 280 }}
            value={document ?? ''}
            onChange={(value: string) => void navigate({ to: '/catalog/glossary', search: { document: value || undefined } })}
            options={[
              { value: '', label: t('glossary.allDocuments') },
              ...(documents.data ?? []).map((entry) => ({ value: entry.document, label: `${entry.document}｜${entry.title}` })),
            ]}
          />
        </Flex>
        <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>{t('glossary.hint')}</Typography.Paragraph>
      </Card>
      <Card title={glossary.data ? <span data-testid="glossary-count">{t('glossary.count', { count: glossary.data.entries.length })}</span> : null}>
        {glossary.isPending ? <PageLoading /> : glossary.error ? <ErrorAlert error={glossary.error} onRetry={() => void glossary.refetch()} /> : (
          <Table<GlossaryEntry>
            data-testid="glossary-table"
            rowKey="versionedId"
            pagination={false}
            dataSource={glossary.data.entries}
            columns={[
              { key: 'term', title: t('glossary.term'), width: 200, render: (_, entry) => <ItemLink id={entry.versionedId}><strong>{entry.term}</strong></ItemLink> },
              { key: 'definition', title: t('glossary.definition'), render: (_, entry) => <ItemText text={entry.definition} notInSource={entry.notInSource} /> },
              { key: 'source', title: t('glossary.source'), width: 180, render: (_, entry) => <ItemLink id={entry.versionedId}>{entry.versionedId}</ItemLink> },
            ]}
          />
        )}
      </Card>
    </Space>
  );
}
