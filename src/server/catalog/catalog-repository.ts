/** The only code that reads and writes the catalog tables. */
import { createHash } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Database, Queryable } from '../db/client.ts';
import { drizzleOn } from '../db/drizzle.ts';
import { catalogItems, catalogVersions } from '../db/schema.ts';
import type { CatalogItem, CatalogVersion } from '../../domain/catalog/resolve.ts';
import { extractTerms, foldForSearch, queryPhrases, queryTerms, SEARCH_INDEX_VERSION } from '../../domain/search/grams.ts';

export function catalogDigest(versions: CatalogVersion[]): string {
  return createHash('sha256').update(`search-index-${SEARCH_INDEX_VERSION}\n`).update(JSON.stringify(versions)).digest('hex');
}

/** Replaces the stored catalog when the files changed. Returns true when it loaded anything. */
export async function syncCatalog(db: Database, versions: CatalogVersion[], force = false): Promise<boolean> {
  const digestValue = catalogDigest(versions);
  const current = await db.query<{ digest: string }>('SELECT digest FROM catalog_state WHERE id = 1');
  if (!force && current.rows[0]?.digest === digestValue) {
    return false;
  }
  await db.transaction(async (tx) => {
    await tx.query('DELETE FROM catalog_search_grams');
    await tx.query('DELETE FROM catalog_items');
    await tx.query('DELETE FROM catalog_versions');
    for (const version of versions) {
      await tx.query(
        `INSERT INTO catalog_versions (document, version, title, date, approval, base, source_file, source_column, note, removed)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)`,
        [version.document, version.version, version.title, version.date, version.approval ?? null, version.base ?? null,
          version.sourceFile, version.sourceColumn ?? null, version.note ?? null, JSON.stringify(version.removed)],
      );
      await insertItems(tx, version.items);
    }
    await tx.query(
      `INSERT INTO catalog_state (id, digest, loaded_at) VALUES (1, $1, now())
       ON CONFLICT (id) DO UPDATE SET digest = EXCLUDED.digest, loaded_at = now()`,
      [digestValue],
    );
  });
  return true;
}

async function insertItems(tx: Queryable, items: CatalogItem[]): Promise<void> {
  const batch = 500;
  for (let start = 0; start < items.length; start += batch) {
    const slice = items.slice(start, start + batch);
    const columns = {
      document: [] as string[], version: [] as string[], path: [] as string[], itemId: [] as string[], lineage: [] as string[],
      parent: [] as (string | null)[], depth: [] as number[], ord: [] as number[], label: [] as (string | null)[],
      title: [] as (string | null)[], text: [] as (string | null)[], notInSource: [] as boolean[], code: [] as (string | null)[],
      cycle: [] as (string | null)[], scope: [] as (string | null)[], tier: [] as boolean[], effective: [] as (string | null)[],
      levels: [] as (string | null)[], details: [] as string[], change: [] as (string | null)[],
    };
    const grams = { document: [] as string[], version: [] as string[], path: [] as string[], gram: [] as string[], hits: [] as number[] };
    for (const item of slice) {
      columns.document.push(item.document);
      columns.version.push(item.version);
      columns.path.push(item.path);
      columns.itemId.push(item.id);
      columns.lineage.push(item.lineage);
      columns.parent.push(item.parentPath);
      columns.depth.push(item.depth);
      columns.ord.push(item.order);
      columns.label.push(item.label ?? null);
      columns.title.push(item.title ?? null);
      columns.text.push(item.text);
      columns.notInSource.push(item.notInSource);
      columns.code.push(item.code);
      columns.cycle.push(item.cycle);
      columns.scope.push(item.scope ? JSON.stringify(item.scope) : null);
      columns.tier.push(item.tierDependent);
      columns.effective.push(item.effective ? JSON.stringify(item.effective) : null);
      columns.levels.push(item.levels ? JSON.stringify(item.levels) : null);
      columns.details.push(JSON.stringify({
        definition: item.definition, requirementCode: item.requirementCode, category: item.category,
        note: item.note, refs: item.refs, sourceFile: item.sourceFile, sourceLine: item.sourceLine,
      }));
      columns.change.push(item.change ? JSON.stringify(item.change) : null);
      const searchable = [item.title, item.text, item.definition?.term, item.requirementCode, item.category, item.code]
        .filter(Boolean)
        .join(' ');
      for (const [gram, hits] of extractTerms(searchable)) {
        grams.document.push(item.document);
        grams.version.push(item.version);
        grams.path.push(item.path);
        grams.gram.push(gram);
        grams.hits.push(hits);
      }
    }
    await tx.query(
      `INSERT INTO catalog_items (document, version, path, item_id, lineage, parent_path, depth, ord, label, title, text,
         not_in_source, code, cycle, scope, tier_dependent, effective, levels, details, change)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[], $8::int[],
         $9::text[], $10::text[], $11::text[], $12::bool[], $13::text[], $14::text[], $15::jsonb[], $16::bool[], $17::jsonb[],
         $18::jsonb[], $19::jsonb[], $20::jsonb[])`,
      [columns.document, columns.version, columns.path, columns.itemId, columns.lineage, columns.parent, columns.depth, columns.ord,
        columns.label, columns.title, columns.text, columns.notInSource, columns.code, columns.cycle, columns.scope, columns.tier,
        columns.effective, columns.levels, columns.details, columns.change],
    );
    await tx.query(
      `INSERT INTO catalog_search_grams (document, version, path, gram, hits)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[])`,
      [grams.document, grams.version, grams.path, grams.gram, grams.hits],
    );
  }
}

interface ItemRow {
  document: string; version: string; path: string; item_id: string; lineage: string; parent_path: string | null;
  depth: number; ord: number; label: string | null; title: string | null; text: string | null; not_in_source: boolean;
  code: string | null; cycle: string | null; scope: CatalogItem['scope']; tier_dependent: boolean;
  effective: CatalogItem['effective']; levels: CatalogItem['levels'] | null; details: Record<string, unknown>;
  change: CatalogItem['change'] | null;
}

export function rowToItem(row: ItemRow): CatalogItem {
  const details = row.details as { definition?: { term: string }; requirementCode?: string; category?: string; note?: string; refs?: string[]; sourceFile: string; sourceLine: number | null };
  return {
    id: row.item_id,
    versionedId: `${row.document}@${row.version}:${row.path}`,
    document: row.document as CatalogItem['document'],
    version: row.version,
    path: row.path,
    parentPath: row.parent_path,
    depth: row.depth,
    order: row.ord,
    label: row.label ?? undefined,
    title: row.title ?? undefined,
    text: row.text,
    notInSource: row.not_in_source,
    code: row.code,
    cycle: row.cycle as CatalogItem['cycle'],
    scope: row.scope,
    tierDependent: row.tier_dependent,
    effective: row.effective,
    definition: details.definition,
    levels: row.levels ?? undefined,
    requirementCode: details.requirementCode,
    category: details.category,
    sourceFile: details.sourceFile,
    sourceLine: details.sourceLine,
    note: details.note,
    refs: details.refs ?? [],
    lineage: row.lineage,
    change: row.change ?? undefined,
  };
}

export interface VersionRow {
  document: string; version: string; title: string; date: string | Date; approval: string | null; base: string | null;
  source_file: string; source_column: string | null; note: string | null; removed: CatalogVersion['removed'];
}

/** The columns of a catalog_versions row, keyed as `VersionRow`. */
const versionColumns = {
  document: catalogVersions.document,
  version: catalogVersions.version,
  title: catalogVersions.title,
  date: catalogVersions.date,
  approval: catalogVersions.approval,
  base: catalogVersions.base,
  source_file: catalogVersions.sourceFile,
  source_column: catalogVersions.sourceColumn,
  note: catalogVersions.note,
  removed: catalogVersions.removed,
};

/** The columns of a catalog_items row, keyed as `ItemRow` (the shape `rowToItem` and `searchItems` share). */
const itemColumns = {
  document: catalogItems.document,
  version: catalogItems.version,
  path: catalogItems.path,
  item_id: catalogItems.itemId,
  lineage: catalogItems.lineage,
  parent_path: catalogItems.parentPath,
  depth: catalogItems.depth,
  ord: catalogItems.ord,
  label: catalogItems.label,
  title: catalogItems.title,
  text: catalogItems.text,
  not_in_source: catalogItems.notInSource,
  code: catalogItems.code,
  cycle: catalogItems.cycle,
  scope: catalogItems.scope,
  tier_dependent: catalogItems.tierDependent,
  effective: catalogItems.effective,
  levels: catalogItems.levels,
  details: catalogItems.details,
  change: catalogItems.change,
};

// The jsonb columns come back as `unknown`; they hold what syncCatalog wrote from the typed catalog.
const toItems = (rows: unknown[]): CatalogItem[] => (rows as ItemRow[]).map(rowToItem);

export async function listVersions(db: Queryable): Promise<VersionRow[]> {
  const rows = await drizzleOn(db)
    .select(versionColumns)
    .from(catalogVersions)
    .orderBy(catalogVersions.document, catalogVersions.date, catalogVersions.version);
  return rows as VersionRow[];
}

export async function listItems(db: Queryable, document: string, version: string): Promise<CatalogItem[]> {
  const rows = await drizzleOn(db)
    .select(itemColumns)
    .from(catalogItems)
    .where(and(eq(catalogItems.document, document), eq(catalogItems.version, version)))
    .orderBy(catalogItems.ord);
  return toItems(rows);
}

export async function findItemVersions(db: Queryable, lineage: string): Promise<CatalogItem[]> {
  const rows = await drizzleOn(db)
    .select(itemColumns)
    .from(catalogItems)
    .innerJoin(
      catalogVersions,
      and(eq(catalogVersions.document, catalogItems.document), eq(catalogVersions.version, catalogItems.version)),
    )
    .where(eq(catalogItems.lineage, lineage))
    .orderBy(catalogVersions.date, catalogItems.version);
  return toItems(rows);
}

export async function findItem(db: Queryable, document: string, version: string, path: string): Promise<CatalogItem | null> {
  const rows = await drizzleOn(db)
    .select(itemColumns)
    .from(catalogItems)
    .where(and(eq(catalogItems.document, document), eq(catalogItems.version, version), eq(catalogItems.path, path)));
  return rows[0] ? toItems(rows)[0] : null;
}

export interface SearchHit {
  item: CatalogItem;
  score: number;
}

/**
 * Items whose text holds every term of the query, confirmed on the text itself (each phrase occurs),
 * ranked by occurrences (title and definitions weigh more), shorter texts first on ties.
 */
export async function searchItems(
  db: Queryable,
  query: string,
  options: { document?: string; version?: string; latestOnly?: boolean; limit: number },
): Promise<SearchHit[]> {
  const terms = queryTerms(query);
  if (terms.length === 0) return [];
  const params: unknown[] = [terms, terms.length];
  let filter = '';
  if (options.document) {
    params.push(options.document);
    filter += ` AND g.document = $${params.length}`;
  }
  if (options.version) {
    params.push(options.version);
    filter += ` AND g.version = $${params.length}`;
  }
  const rows = await db.query<ItemRow & { gram_hits: number }>(
    `WITH matched AS (
       SELECT g.document, g.version, g.path, sum(g.hits)::int AS gram_hits
       FROM catalog_search_grams g
       WHERE g.gram = ANY($1::text[]) ${filter}
       GROUP BY g.document, g.version, g.path
       HAVING count(*) = $2
     )
     SELECT i.*, m.gram_hits FROM matched m JOIN catalog_items i USING (document, version, path)`,
    params,
  );
  const phrases = queryPhrases(query);
  const hits: SearchHit[] = [];
  for (const row of rows.rows) {
    const haystack = [row.title, row.text, (row.details as { definition?: { term: string } }).definition?.term, (row.details as { requirementCode?: string }).requirementCode]
      .filter(Boolean).join('\n');
    const folded = foldForSearch(haystack);
    let score = 0;
    let allFound = true;
    for (const phrase of phrases) {
      const occurrences = folded.split(phrase).length - 1;
      if (occurrences === 0) { allFound = false; break; }
      score += occurrences;
      if (foldForSearch(row.title ?? '').includes(phrase)) score += 2;
    }
    if (!allFound) continue;
    score += 1 / (1 + (row.text?.length ?? 0) / 200);
    hits.push({ item: rowToItem(row), score });
  }
  hits.sort((a, b) => b.score - a.score || a.item.document.localeCompare(b.item.document) || a.item.order - b.item.order);
  return hits.slice(0, options.limit);
}
