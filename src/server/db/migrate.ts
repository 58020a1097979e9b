/** Applies migrations/NNNN_*.sql in order, each in its own transaction; fails loudly on error. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from './client.ts';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../../migrations', import.meta.url));

export class MigrationError extends Error {
  constructor(file: string, cause: unknown) {
    super(`migration ${file} failed: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'MigrationError';
  }
}

export async function migrate(db: Database, dir: string = MIGRATIONS_DIR): Promise<string[]> {
  await db.query(
    'CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
  );
  const applied = new Set(
    (await db.query<{ name: string }>('SELECT name FROM schema_migrations')).rows.map((row) => row.name),
  );
  const files = readdirSync(dir).filter((name) => /^\d{4}_.+\.sql$/.test(name)).sort();
  const done: string[] = [];
  for (const file of files) {
    if (applied.has(file)) {
      continue;
    }
    const sql = readFileSync(join(dir, file), 'utf8');
    try {
      await db.transaction(async (tx) => {
        // PostgreSQL serialises concurrent migrators on this lock (PGlite has one connection anyway).
        await tx.query('SELECT pg_advisory_xact_lock(727274)');
        const again = await tx.query('SELECT 1 FROM schema_migrations WHERE name = $1', [file]);
        if (again.rows.length > 0) {
          return;
        }
        await tx.exec(sql);
        await tx.query('INSERT INTO schema_migrations (name) VALUES ($1)', [file]);
      });
    } catch (error) {
      throw new MigrationError(file, error);
    }
    done.push(file);
  }
  return done;
}

