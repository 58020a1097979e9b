/**
 * Databases for benchmarks: a scratch PostgreSQL database created and dropped per run, and an
 * in-memory PGlite started from a cached dump (migrations + catalog loaded once, then reused while
 * neither changes), so a benchmark that needs a ready database does not pay for the catalog load.
 */
import { openPgliteFromTemplate } from '../tests/support/harness.ts';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openDatabase, type Database } from '../src/server/db/client.ts';
import { migrate } from '../src/server/db/migrate.ts';
import { syncCatalog } from '../src/server/catalog/catalog-repository.ts';
import { readConfig, type Config } from '../src/server/config.ts';
import { SecretBox } from '../src/server/auth/secret-box.ts';
import { LocalBlobStore } from '../src/server/evidence/blob-store.ts';
import type { Runtime } from '../src/server/runtime.ts';
import type { CatalogVersion } from '../src/domain/catalog/resolve.ts';

export type DatabaseKind = 'pglite' | 'pg';

export const DATABASE_LABEL: Record<DatabaseKind, string> = { pglite: 'PGlite', pg: 'PostgreSQL' };

/** The admin URL on which scratch databases are created (ANJIAN_BENCH_PG_URL, then ANJIAN_TEST_PG_URL). */
export function readPgAdminUrl(): string {
  return process.env.ANJIAN_BENCH_PG_URL ?? process.env.ANJIAN_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
}

/** A fresh PostgreSQL database on the server of `adminUrl`, dropped by the returned function. */
export async function createScratchPostgres(adminUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `anjian_bench_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const admin = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3000 });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const again = new pg.Client({ connectionString: adminUrl });
      await again.connect();
      try {
        await again.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await again.end();
      }
    },
  };
}

/** In-memory PGlite, migrated, with the catalog loaded (from the test harness's cached dump). */
function openPgliteWithCatalog(catalog: CatalogVersion[]): Promise<Database> {
  return openPgliteFromTemplate(catalog);
}

/**
 * A runtime (database, blob store in a temp folder, test secret box) on a fresh database of `kind`.
 * `close()` closes the database, drops the scratch PostgreSQL database and removes the temp folder.
 */
export async function openBenchRuntime(kind: DatabaseKind, catalog: CatalogVersion[], overrides: Partial<Config> = {}): Promise<Runtime> {
  const dataDir = mkdtempSync(join(tmpdir(), 'anjian-bench-'));
  let drop = async (): Promise<void> => undefined;
  let db: Database;
  let databaseUrl: string | undefined;
  try {
    if (kind === 'pg') {
      const scratch = await createScratchPostgres(readPgAdminUrl());
      drop = scratch.drop;
      databaseUrl = scratch.url;
      db = await openDatabase({ databaseUrl });
      await migrate(db);
      await syncCatalog(db, catalog);
    } else {
      db = await openPgliteWithCatalog(catalog);
    }
  } catch (error) {
    await drop().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  const config = readConfig({ databaseUrl, dataDir, blobDir: join(dataDir, 'blobs'), logLevel: 'silent', loginRateLimitPerMinute: 10_000, ...overrides });
  return {
    config,
    db,
    catalog,
    secrets: SecretBox.forTests(),
    blobs: new LocalBlobStore(config.blobDir),
    async close() {
      await db.close();
      await drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
