/**
 * Opens everything a process needs: the database (migrated), the catalog (loaded and synced), the
 * secret box and the blob store. Used by the server, the CLI and the medium tests alike.
 */
import { join } from 'node:path';
import { readConfig, type Config } from './config.ts';
import { openDatabase, type Database } from './db/client.ts';
import { migrate } from './db/migrate.ts';
import { loadCatalog } from '../catalog-files/load-catalog.ts';
import { syncCatalog } from './catalog/catalog-repository.ts';
import { SecretBox } from './auth/secret-box.ts';
import { LocalBlobStore, type BlobStore } from './evidence/blob-store.ts';
import type { CatalogVersion } from '../domain/catalog/resolve.ts';

export interface Runtime {
  config: Config;
  db: Database;
  catalog: CatalogVersion[];
  secrets: SecretBox;
  blobs: BlobStore;
  close(): Promise<void>;
}

export async function openRuntime(overrides: Partial<Config> = {}, options: { catalogDir?: string } = {}): Promise<Runtime> {
  const config = readConfig(overrides);
  // Load the catalog first: a broken catalog file stops start-up before anything is opened.
  const catalog = loadCatalog(options.catalogDir);
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrate(db);
    await syncCatalog(db, catalog);
  } catch (error) {
    await db.close();
    throw error;
  }
  const secrets = SecretBox.fromConfig(config.secretKey, join(config.dataDir, 'secret.key'));
  const blobs = new LocalBlobStore(config.blobDir);
  return { config, db, catalog, secrets, blobs, close: () => db.close() };
}
