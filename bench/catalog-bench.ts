/**
 * Catalog benchmarks on both databases: loading every document into a fresh database (migrate + sync),
 * search latency (p50/p95 over a fixed set of queries), and generating comparison tables.
 * Figures, not pass/fail: `npm run bench` prints them with the PostgreSQL/PGlite ratios.
 */
import { loadCatalog } from '../src/catalog-files/load-catalog.ts';
import { openDatabase, type Database } from '../src/server/db/client.ts';
import { migrate } from '../src/server/db/migrate.ts';
import { syncCatalog } from '../src/server/catalog/catalog-repository.ts';
import { diffCatalog, searchCatalog } from '../src/server/catalog/catalog-service.ts';
import { diffVersions } from '../src/domain/catalog/diff.ts';
import type { CatalogVersion } from '../src/domain/catalog/resolve.ts';
import { createScratchPostgres, readPgAdminUrl } from './bench-database.ts';

export const SEARCH_QUERIES = [
  '防火牆', '多因子', '密碼', '備份', '弱點掃描', '社交工程', '日誌', '雲端', '行動應用程式', 'API',
  '委外', '資安長', '營運持續', '個人資料', '憑證', '三次', '網路 設備', '資通安全', '稽核 紀錄', '每年',
] as const;

export const DIFFS = [
  { document: 'CSIM', from: '111', to: '112' },
  { document: 'CSIM', from: '109', to: '112' },
  { document: 'ETECH', from: '111.07', to: '111.09' },
] as const;

export interface DatabaseFigures {
  database: 'pglite' | 'pg';
  openAndMigrateMs: number;
  loadCatalogMs: number;
  items: number;
  itemsPerSecond: number;
  search: { queries: number; rounds: number; p50Ms: number; p95Ms: number; maxMs: number; results: number };
  diffs: { name: string; rows: number; medianMs: number }[];
}

export interface CatalogBenchResult {
  parseFilesMs: number;
  versions: number;
  items: number;
  pureDiffs: { name: string; rows: number; medianMs: number }[];
  databases: DatabaseFigures[];
  skipped: string[];
}

export function percentile(values: number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[index];
}

async function time<T>(fn: () => Promise<T> | T): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await fn();
  return { ms: performance.now() - started, value };
}

async function measureDatabase(kind: 'pglite' | 'pg', db: Database, catalog: CatalogVersion[], openMs: number, rounds: number): Promise<DatabaseFigures> {
  const migrated = await time(() => migrate(db));
  const loaded = await time(() => syncCatalog(db, catalog, true));
  const items = catalog.reduce((sum, version) => sum + version.items.length, 0);

  // One warm-up pass, then `rounds` timed passes over every query.
  for (const query of SEARCH_QUERIES) await searchCatalog(db, query, { limit: 50 });
  const latencies: number[] = [];
  let results = 0;
  for (let round = 0; round < rounds; round += 1) {
    for (const query of SEARCH_QUERIES) {
      const { ms, value } = await time(() => searchCatalog(db, query, { limit: 50 }));
      latencies.push(ms);
      if (round === 0) results += value.length;
    }
  }

  const diffs: DatabaseFigures['diffs'] = [];
  for (const diff of DIFFS) {
    await diffCatalog(db, diff.document, diff.from, diff.to); // warm-up
    const runs: number[] = [];
    let rows = 0;
    for (let run = 0; run < Math.max(3, Math.ceil(rounds / 2)); run += 1) {
      const { ms, value } = await time(() => diffCatalog(db, diff.document, diff.from, diff.to));
      runs.push(ms);
      rows = value.rows.length;
    }
    diffs.push({ name: `${diff.document} ${diff.from}→${diff.to}`, rows, medianMs: percentile(runs, 0.5) });
  }

  return {
    database: kind,
    openAndMigrateMs: openMs + migrated.ms,
    loadCatalogMs: loaded.ms,
    items,
    itemsPerSecond: items / (loaded.ms / 1000),
    search: {
      queries: SEARCH_QUERIES.length,
      rounds,
      p50Ms: percentile(latencies, 0.5),
      p95Ms: percentile(latencies, 0.95),
      maxMs: Math.max(...latencies),
      results,
    },
    diffs,
  };
}

export async function runCatalogBench(options: { rounds?: number; pgAdminUrl?: string } = {}): Promise<CatalogBenchResult> {
  const rounds = options.rounds ?? 20;
  const parsed = await time(() => loadCatalog());
  const catalog = parsed.value;

  const pureDiffs: CatalogBenchResult['pureDiffs'] = [];
  for (const diff of DIFFS) {
    const chain = catalog.filter((version) => version.document === diff.document);
    diffVersions(chain, diff.from, diff.to); // warm-up
    const runs: number[] = [];
    let rows = 0;
    for (let run = 0; run < rounds; run += 1) {
      const { ms, value } = await time(() => diffVersions(chain, diff.from, diff.to));
      runs.push(ms);
      rows = value.rows.length;
    }
    pureDiffs.push({ name: `${diff.document} ${diff.from}→${diff.to}`, rows, medianMs: percentile(runs, 0.5) });
  }

  const databases: DatabaseFigures[] = [];
  const skipped: string[] = [];

  const pgliteOpen = await time(() => openDatabase({ dataDir: 'memory://' }));
  try {
    databases.push(await measureDatabase('pglite', pgliteOpen.value, catalog, pgliteOpen.ms, rounds));
  } finally {
    await pgliteOpen.value.close();
  }

  const adminUrl = options.pgAdminUrl ?? readPgAdminUrl();
  let scratch: Awaited<ReturnType<typeof createScratchPostgres>> | null = null;
  try {
    scratch = await createScratchPostgres(adminUrl);
  } catch (error) {
    skipped.push(`PostgreSQL (${new URL(adminUrl).host}): ${(error as Error).message}`);
  }
  if (scratch) {
    try {
      const opened = await time(() => openDatabase({ databaseUrl: scratch!.url }));
      try {
        databases.push(await measureDatabase('pg', opened.value, catalog, opened.ms, rounds));
      } finally {
        await opened.value.close();
      }
    } finally {
      await scratch.drop();
    }
  }

  return {
    parseFilesMs: parsed.ms,
    versions: catalog.length,
    items: catalog.reduce((sum, version) => sum + version.items.length, 0),
    pureDiffs,
    databases,
    skipped,
  };
}
