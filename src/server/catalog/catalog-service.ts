/** Catalog queries: documents, versions, items, history, search and diffs, read from the database. */
import type { Queryable } from '../db/client.ts';
import { AppError, notFound } from '../errors.ts';
import { diffVersions, type VersionDiff } from '../../domain/catalog/diff.ts';
import type { CatalogItem, CatalogVersion } from '../../domain/catalog/resolve.ts';
import { DOCUMENT_CODES } from '../../domain/catalog/schema.ts';
import { findItem, findItemVersions, listItems, listVersions, searchItems, type VersionRow } from './catalog-repository.ts';

export interface ParsedId {
  document: string;
  version: string | null;
  path: string;
}

/** `CSIM@109:7.1.d` → {document CSIM, version 109, path 7.1.d}; without @ the latest version is meant. */
export function parseItemId(id: string): ParsedId {
  const match = /^([A-Z]+)(?:@([0-9A-Za-z.-]+))?:([0-9a-z.]+)$/.exec(id.trim());
  if (!match || !(DOCUMENT_CODES as readonly string[]).includes(match[1])) {
    throw new AppError('VALIDATION', `項目編號格式錯誤：${id}（例如 CSIM:7.1.a.h 或 CSIM@109:7.1.d）`, {
      messageEn: `malformed item id ${id} (expected e.g. CSIM:7.1.a.h or CSIM@109:7.1.d)`,
      issues: [{ where: 'id', message: 'expected DOC[@version]:path' }],
    });
  }
  return { document: match[1], version: match[2] ?? null, path: match[3] };
}

function dateString(value: string | Date): string {
  return value instanceof Date ? value.toISOString().slice(0, 10) : String(value).slice(0, 10);
}

export interface VersionSummary {
  document: string;
  version: string;
  title: string;
  date: string;
  approval: string | null;
  base: string | null;
  sourceFile: string;
  sourceColumn: string | null;
  note: string | null;
  isLatest: boolean;
}

export async function listDocumentVersions(tx: Queryable): Promise<VersionSummary[]> {
  const rows = await listVersions(tx);
  const latest = new Map<string, VersionRow>();
  for (const row of rows) {
    const current = latest.get(row.document);
    if (!current || dateString(row.date) >= dateString(current.date)) latest.set(row.document, row);
  }
  return rows.map((row) => ({
    document: row.document,
    version: row.version,
    title: row.title,
    date: dateString(row.date),
    approval: row.approval,
    base: row.base,
    sourceFile: row.source_file,
    sourceColumn: row.source_column,
    note: row.note,
    isLatest: latest.get(row.document)?.version === row.version,
  }));
}

export async function latestVersionOf(tx: Queryable, document: string): Promise<string> {
  const versions = (await listDocumentVersions(tx)).filter((version) => version.document === document);
  const latest = versions.find((version) => version.isLatest);
  if (!latest) throw notFound('文件', document);
  return latest.version;
}

export async function resolveVersionName(tx: Queryable, document: string, version: string | null | undefined): Promise<string> {
  if (!version) return latestVersionOf(tx, document);
  const versions = (await listDocumentVersions(tx)).filter((entry) => entry.document === document);
  if (!versions.some((entry) => entry.version === version)) {
    throw new AppError('NOT_FOUND', `${document} 沒有版本 ${version}（現有：${versions.map((entry) => entry.version).join('、')}）`, {
      messageEn: `${document} has no version ${version} (known: ${versions.map((entry) => entry.version).join(', ')})`,
      issues: [{ where: 'version', message: `unknown version ${version}` }],
    });
  }
  return version;
}

export async function getItems(tx: Queryable, document: string, version?: string | null): Promise<{ version: string; items: CatalogItem[] }> {
  const resolved = await resolveVersionName(tx, document, version);
  return { version: resolved, items: await listItems(tx, document, resolved) };
}

export interface ItemDetail {
  item: CatalogItem;
  /** The same item (by lineage) in every version that has it, oldest first. */
  history: { version: string; path: string; text: string | null; notInSource: boolean; change?: CatalogItem['change'] }[];
  children: { id: string; path: string; label?: string; title?: string; text: string | null }[];
  /** Items elsewhere in the catalog that this item refers to, or that refer to it. */
  references: { id: string; text: string | null; direction: 'refers_to' | 'referred_by' }[];
}

export async function getItemDetail(tx: Queryable, id: string): Promise<ItemDetail> {
  const parsed = parseItemId(id);
  const version = await resolveVersionName(tx, parsed.document, parsed.version);
  const item = await findItem(tx, parsed.document, version, parsed.path);
  if (!item) throw notFound('條文', `${parsed.document}@${version}:${parsed.path}`);
  const history = (await findItemVersions(tx, item.lineage)).map((entry) => ({
    version: entry.version, path: entry.path, text: entry.text, notInSource: entry.notInSource, change: entry.change,
  }));
  const siblings = await listItems(tx, parsed.document, version);
  const children = siblings
    .filter((entry) => entry.parentPath === item.path)
    .map((entry) => ({ id: entry.id, path: entry.path, label: entry.label, title: entry.title, text: entry.text }));
  const references: ItemDetail['references'] = [];
  const reasonRefs = item.change?.reasonRefs ?? [];
  for (const ref of [...item.refs, ...reasonRefs]) {
    try {
      const target = parseItemId(ref);
      const targetVersion = await resolveVersionName(tx, target.document, target.version);
      const found = await findItem(tx, target.document, targetVersion, target.path);
      references.push({ id: ref, text: found?.text ?? null, direction: 'refers_to' });
    } catch {
      references.push({ id: ref, text: null, direction: 'refers_to' });
    }
  }
  const referring = await tx.query<{ item_id: string; text: string | null; version: string; document: string }>(
    `SELECT item_id, text, version, document FROM catalog_items
     WHERE details->'refs' ? $1 OR change->'reasonRefs' ? $1`,
    [item.id],
  );
  for (const row of referring.rows) {
    if (!references.some((reference) => reference.id === row.item_id)) {
      references.push({ id: `${row.document}@${row.version}:${row.item_id.split(':')[1]}`, text: row.text, direction: 'referred_by' });
    }
  }
  return { item, history, children, references };
}

export interface SearchResult {
  item: CatalogItem;
  score: number;
  /** Every version in which this item (by lineage) matches. */
  versions: string[];
}

/** Search all documents and versions; one result per item lineage, shown in its latest matching version. */
export async function searchCatalog(
  tx: Queryable,
  query: string,
  options: { document?: string; version?: string; limit?: number } = {},
): Promise<SearchResult[]> {
  return (await searchCatalogPage(tx, query, options)).results;
}

/** As `searchCatalog`, with `total`: how many items match before `limit` cuts the list. */
export async function searchCatalogPage(
  tx: Queryable,
  query: string,
  options: { document?: string; version?: string; limit?: number } = {},
): Promise<{ total: number; results: SearchResult[] }> {
  if (query.trim().length === 0) {
    throw new AppError('VALIDATION', '請輸入搜尋字詞', { messageEn: 'Enter a search term', issues: [{ where: 'q', message: 'empty' }] });
  }
  const hits = await searchItems(tx, query, { document: options.document, version: options.version, limit: 5000 });
  const versions = await listDocumentVersions(tx);
  const versionDate = new Map(versions.map((version) => [`${version.document}@${version.version}`, version.date]));
  const byLineage = new Map<string, SearchResult>();
  for (const hit of hits) {
    const existing = byLineage.get(hit.item.lineage);
    if (!existing) {
      byLineage.set(hit.item.lineage, { item: hit.item, score: hit.score, versions: [hit.item.version] });
      continue;
    }
    existing.versions.push(hit.item.version);
    const newer = (versionDate.get(`${hit.item.document}@${hit.item.version}`) ?? '') > (versionDate.get(`${existing.item.document}@${existing.item.version}`) ?? '');
    if (newer) {
      existing.item = hit.item;
      existing.score = Math.max(existing.score, hit.score);
    }
  }
  const results = [...byLineage.values()];
  for (const result of results) {
    result.versions.sort((a, b) => (versionDate.get(`${result.item.document}@${a}`) ?? '').localeCompare(versionDate.get(`${result.item.document}@${b}`) ?? ''));
  }
  results.sort((a, b) => b.score - a.score || a.item.document.localeCompare(b.item.document) || a.item.order - b.item.order);
  return { total: results.length, results: results.slice(0, options.limit ?? 50) };
}

export interface GlossaryEntry {
  term: string;
  /** The defining item's text, verbatim. */
  definition: string | null;
  notInSource: boolean;
  /** The defining item: `DOC:path` and `DOC@version:path`. */
  itemId: string;
  versionedId: string;
  document: string;
  version: string;
  path: string;
}

/**
 * The terms the documents define (NET 第二條, ETECH 第二條 …) as glossary entries, in document order.
 * Without a document, every document's latest version; `version` needs `document`.
 */
export async function listGlossary(tx: Queryable, options: { document?: string; version?: string } = {}): Promise<GlossaryEntry[]> {
  if (options.version && !options.document) {
    throw new AppError('VALIDATION', '指定版本時也要指定文件', {
      messageEn: 'version needs document', issues: [{ where: 'version', message: 'version needs document' }],
    });
  }
  const summaries = await listDocumentVersions(tx);
  const targets = options.document
    ? [{ document: options.document, version: await resolveVersionName(tx, options.document, options.version) }]
    : summaries.filter((summary) => summary.isLatest).map((summary) => ({ document: summary.document, version: summary.version }));
  const entries: GlossaryEntry[] = [];
  for (const target of targets.sort((a, b) => DOCUMENT_CODES.indexOf(a.document as never) - DOCUMENT_CODES.indexOf(b.document as never))) {
    for (const item of await listItems(tx, target.document, target.version)) {
      if (!item.definition) continue;
      entries.push({
        term: item.definition.term,
        definition: item.text,
        notInSource: item.notInSource,
        itemId: item.id,
        versionedId: item.versionedId,
        document: item.document,
        version: item.version,
        path: item.path,
      });
    }
  }
  return entries;
}

export async function loadVersionChain(tx: Queryable, document: string): Promise<CatalogVersion[]> {
  const versions = (await listVersions(tx)).filter((row) => row.document === document);
  if (versions.length === 0) throw notFound('文件', document);
  return Promise.all(
    versions.map(async (row) => ({
      document: row.document as CatalogVersion['document'],
      version: row.version,
      title: row.title,
      date: dateString(row.date),
      approval: row.approval ?? undefined,
      base: row.base ?? undefined,
      sourceFile: row.source_file,
      sourceColumn: row.source_column ?? undefined,
      note: row.note ?? undefined,
      items: await listItems(tx, row.document, row.version),
      removed: row.removed ?? [],
    })),
  );
}

/**
 * The comparison table of two versions. Grouped by default (sub-items that only moved with their parent
 * fold into its row, as the tables print it); `detail` gives one row per changed item.
 */
export async function diffCatalog(
  tx: Queryable,
  document: string,
  from: string,
  to: string,
  options: { detail?: boolean } = {},
): Promise<VersionDiff> {
  const chain = await loadVersionChain(tx, document);
  for (const version of [from, to]) {
    if (!chain.some((entry) => entry.version === version)) {
      await resolveVersionName(tx, document, version);
    }
  }
  return diffVersions(chain, from, to, { view: options.detail ? 'detail' : 'grouped' });
}
