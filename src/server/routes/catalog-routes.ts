/** /api/v1/catalog: documents, versions, items, search and diffs. Read-only; any signed-in user. */
import { z } from 'zod';
import type { App, AppDeps } from '../app.ts';
import {
  diffCatalog, getItemDetail, getItems, listDocumentVersions, listGlossary, searchCatalogPage, type SearchResult,
} from '../catalog/catalog-service.ts';
import { highlight, queryPhrases } from '../../domain/search/grams.ts';
import { DOCUMENT_CODES } from '../../domain/catalog/schema.ts';
import type { CatalogItem } from '../../domain/catalog/resolve.ts';

export function presentItem(item: CatalogItem) {
  return {
    id: item.id,
    versionedId: item.versionedId,
    document: item.document,
    version: item.version,
    path: item.path,
    parentPath: item.parentPath,
    depth: item.depth,
    label: item.label ?? null,
    title: item.title ?? null,
    text: item.text,
    notInSource: item.notInSource,
    code: item.code,
    cycle: item.cycle,
    scope: item.scope,
    tierDependent: item.tierDependent,
    effective: item.effective,
    lineage: item.lineage,
    levels: item.levels ?? null,
    requirementCode: item.requirementCode ?? null,
    category: item.category ?? null,
    definition: item.definition ?? null,
    source: { file: item.sourceFile, line: item.sourceLine },
    note: item.note ?? null,
    refs: item.refs,
    change: item.change ?? null,
  };
}

/** The search answer, as the API and `anjian catalog search --json` give it. */
export function presentSearch(query: string, page: { total: number; results: SearchResult[] }) {
  const phrases = queryPhrases(query);
  return {
    query,
    /** Every matching item, before the limit. */
    total: page.total,
    results: page.results.map((result) => ({
      ...presentItem(result.item),
      score: result.score,
      versions: result.versions,
      highlighted: highlight(result.item.text ?? '', phrases),
    })),
  };
}

/** Most search results one request returns (API and CLI). */
export const SEARCH_LIMIT_MAX = 500;

const documentParam = z.enum(DOCUMENT_CODES);

export async function registerCatalogRoutes(app: App, deps: AppDeps): Promise<void> {
  void deps;
  app.get('/api/v1/catalog/versions', { schema: { tags: ['catalog'], summary: '所有文件與版本' } }, async () => ({
    versions: await listDocumentVersions(deps.db),
  }));

  app.get('/api/v1/catalog/documents/:document/items', {
    schema: {
      tags: ['catalog'],
      summary: '某文件某版本的全部條文（文件順序）',
      params: z.object({ document: documentParam }),
      querystring: z.object({ version: z.string().max(20).optional() }),
    },
  }, async (request) => {
    const { version, items } = await getItems(deps.db, request.params.document, request.query.version);
    return { document: request.params.document, version, items: items.map(presentItem) };
  });

  app.get('/api/v1/catalog/items/:id', {
    schema: { tags: ['catalog'], summary: '單一條文：內容、週期、適用範圍、生效日、沿革、交互參照', params: z.object({ id: z.string().max(100) }) },
  }, async (request) => {
    const detail = await getItemDetail(deps.db, request.params.id);
    return { ...presentItem(detail.item), history: detail.history, children: detail.children, references: detail.references };
  });

  app.get('/api/v1/catalog/glossary', {
    schema: {
      tags: ['catalog'],
      summary: '名詞定義：各文件定義之名詞、定義原文與出處條文',
      querystring: z.object({ document: documentParam.optional(), version: z.string().max(20).optional() }),
    },
  }, async (request) => ({ entries: await listGlossary(deps.db, request.query) }));

  app.get('/api/v1/catalog/search', {
    schema: {
      tags: ['catalog'],
      summary: '全文檢索（中文二字詞索引）',
      querystring: z.object({
        q: z.string().min(1).max(200),
        document: documentParam.optional(),
        version: z.string().max(20).optional(),
        limit: z.coerce.number().int().min(1).max(SEARCH_LIMIT_MAX).default(50),
      }),
    },
  }, async (request) => {
    const { q, document, version, limit } = request.query;
    return presentSearch(q, await searchCatalogPage(deps.db, q, { document, version, limit }));
  });

  app.get('/api/v1/catalog/diff', {
    schema: {
      tags: ['catalog'],
      summary: '版本對照表（修正條文 | 現行條文 | 說明）',
      querystring: z.object({
        document: documentParam,
        from: z.string().max(20),
        to: z.string().max(20),
        /** true: one row per changed item; default: sub-items that only moved with their parent fold into its row. */
        detail: z.enum(['true', 'false']).optional(),
      }),
    },
  }, async (request) => diffCatalog(deps.db, request.query.document, request.query.from, request.query.to, { detail: request.query.detail === 'true' }));
}
