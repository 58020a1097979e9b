/**
 * Drizzle's query builder over any `Queryable`: the database itself or an open transaction (including
 * the row-level-security scoped ones from `inTenantTransaction`). Drizzle only builds the SQL; it runs
 * through the same `Queryable` as every hand-written query, so it takes part in the caller's
 * transaction, role and `anjian.firm_ids` setting. Transactions are opened with `Database.transaction`,
 * never through Drizzle.
 */
import { drizzle, type PgRemoteDatabase } from 'drizzle-orm/pg-proxy';
import type { Queryable } from './client.ts';

export type DrizzleDatabase = PgRemoteDatabase;

const instances = new WeakMap<Queryable, DrizzleDatabase>();

export function drizzleOn(queryable: Queryable): DrizzleDatabase {
  const existing = instances.get(queryable);
  if (existing) return existing;
  const database = drizzle(async (text, params, method) => {
    if (method === 'execute') {
      return queryable.query(text, params);
    }
    // 'all': Drizzle maps each row by column position, so rows must be arrays.
    const result = await queryable.query<unknown[]>(text, params, { rowMode: 'array' });
    if (result.rows.length > 0 && !Array.isArray(result.rows[0])) {
      throw new Error('drizzleOn: this Queryable ignored rowMode "array" and returned rows as objects');
    }
    return result;
  });
  instances.set(queryable, database);
  return database;
}
