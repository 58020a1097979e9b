/**
 * The Drizzle schema (src/server/db/schema.ts) must describe the tables the SQL migrations create:
 * after migrating, every table, column, data type, nullability, default and primary key is compared
 * with the database's information_schema, on the embedded database and on PostgreSQL. Also: Drizzle
 * queries run inside the caller's row-level-security scoped transaction.
 */
import { is } from 'drizzle-orm';
import { getTableConfig, integer, PgTable, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Queryable } from '../../src/server/db/client.ts';
import { drizzleOn } from '../../src/server/db/drizzle.ts';
import * as schema from '../../src/server/db/schema.ts';
import { inTenantTransaction } from '../../src/server/context.ts';
import { buildFirm, openTestRuntime, type TestRuntime } from '../support/harness.ts';

interface ColumnShape {
  table: string;
  column: string;
  dataType: string;
  isNullable: boolean;
  hasDefault: boolean;
}

interface SchemaShape {
  columns: ColumnShape[];
  /** Primary-key columns per table, in key order. */
  primaryKeys: Map<string, string[]>;
}

/** Drizzle's SQL type spelled as information_schema.columns.data_type spells it. */
function normaliseType(sqlType: string): string {
  const base = sqlType.replace(/\(.*?\)/g, '').trim();
  if (base.endsWith('[]')) return 'ARRAY';
  const aliases: Record<string, string> = {
    bigserial: 'bigint',
    serial: 'integer',
    smallserial: 'smallint',
    timestamp: 'timestamp without time zone',
    time: 'time without time zone',
    varchar: 'character varying',
    char: 'character',
    'double precision': 'double precision',
  };
  return aliases[base] ?? base;
}

function describeDrizzleSchema(tables: PgTable[]): SchemaShape {
  const columns: ColumnShape[] = [];
  const primaryKeys = new Map<string, string[]>();
  for (const table of tables) {
    const config = getTableConfig(table);
    for (const column of config.columns) {
      columns.push({
        table: config.name,
        column: column.name,
        dataType: normaliseType(column.getSQLType()),
        isNullable: !column.notNull,
        hasDefault: column.hasDefault,
      });
    }
    const single = config.columns.filter((column) => column.primary).map((column) => column.name);
    const composite = config.primaryKeys.flatMap((key) => key.columns.map((column) => column.name));
    primaryKeys.set(config.name, [...single, ...composite]);
  }
  return { columns, primaryKeys };
}

async function describeDatabase(db: Queryable): Promise<SchemaShape> {
  const columns = await db.query<{ table_name: string; column_name: string; data_type: string; is_nullable: string; column_default: string | null }>(
    `SELECT c.table_name, c.column_name, c.data_type, c.is_nullable, c.column_default
     FROM information_schema.columns c
     JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
     WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
     ORDER BY c.table_name, c.ordinal_position`,
  );
  const keys = await db.query<{ table_name: string; column_name: string }>(
    `SELECT tc.table_name, kcu.column_name
     FROM information_schema.table_constraints tc
     JOIN information_schema.key_column_usage kcu
       ON kcu.constraint_schema = tc.constraint_schema AND kcu.constraint_name = tc.constraint_name AND kcu.table_name = tc.table_name
     WHERE tc.constraint_type = 'PRIMARY KEY' AND tc.table_schema = current_schema()
     ORDER BY tc.table_name, kcu.ordinal_position`,
  );
  const primaryKeys = new Map<string, string[]>();
  for (const row of columns.rows) primaryKeys.set(row.table_name, []);
  for (const row of keys.rows) primaryKeys.get(row.table_name)?.push(row.column_name);
  return {
    columns: columns.rows.map((row) => ({
      table: row.table_name,
      column: row.column_name,
      dataType: row.data_type,
      isNullable: row.is_nullable === 'YES',
      hasDefault: row.column_default !== null,
    })),
    primaryKeys,
  };
}

/** Every difference between the Drizzle schema and the database, one readable line each. */
function compareSchemas(drizzle: SchemaShape, database: SchemaShape): string[] {
  const differences: string[] = [];
  const drizzleTables = new Set(drizzle.columns.map((column) => column.table));
  const databaseTables = new Set(database.columns.map((column) => column.table));
  for (const table of databaseTables) {
    if (!drizzleTables.has(table)) differences.push(`table ${table}: in the database but not in schema.ts`);
  }
  for (const table of drizzleTables) {
    if (!databaseTables.has(table)) differences.push(`table ${table}: in schema.ts but not in the database`);
  }
  const key = (column: ColumnShape) => `${column.table}.${column.column}`;
  const inDatabase = new Map(database.columns.map((column) => [key(column), column]));
  const inDrizzle = new Map(drizzle.columns.map((column) => [key(column), column]));
  for (const [name, column] of inDatabase) {
    if (drizzleTables.has(column.table) && !inDrizzle.has(name)) differences.push(`column ${name}: in the database but not in schema.ts`);
  }
  for (const [name, expected] of inDrizzle) {
    const actual = inDatabase.get(name);
    if (!actual) {
      if (databaseTables.has(expected.table)) differences.push(`column ${name}: in schema.ts but not in the database`);
      continue;
    }
    if (expected.dataType !== actual.dataType) {
      differences.push(`column ${name}: type ${expected.dataType} in schema.ts, ${actual.dataType} in the database`);
    }
    if (expected.isNullable !== actual.isNullable) {
      const spell = (nullable: boolean) => (nullable ? 'nullable' : 'NOT NULL');
      differences.push(`column ${name}: ${spell(expected.isNullable)} in schema.ts, ${spell(actual.isNullable)} in the database`);
    }
    if (expected.hasDefault !== actual.hasDefault) {
      const spell = (hasDefault: boolean) => (hasDefault ? 'a default' : 'no default');
      differences.push(`column ${name}: ${spell(expected.hasDefault)} in schema.ts, ${spell(actual.hasDefault)} in the database`);
    }
  }
  for (const [table, expected] of drizzle.primaryKeys) {
    const actual = database.primaryKeys.get(table);
    if (actual && expected.join(',') !== actual.join(',')) {
      differences.push(`table ${table}: primary key (${expected.join(', ')}) in schema.ts, (${actual.join(', ')}) in the database`);
    }
  }
  return differences;
}

const schemaTables: PgTable[] = Object.values(schema as Record<string, unknown>).filter((value): value is PgTable => is(value, PgTable));

let runtime: TestRuntime;
let database: SchemaShape;

beforeAll(async () => {
  runtime = await openTestRuntime();
  database = await describeDatabase(runtime.db);
});
afterAll(async () => {
  await runtime?.close();
});

describe('Drizzle schema against the migrated database', () => {
  it('has every table and column, with the same types, nullability, defaults and primary keys', () => {
    expect(database.columns.length).toBeGreaterThan(100);
    expect(compareSchemas(describeDrizzleSchema(schemaTables), database)).toEqual([]);
  });

  it('reports an altered table definition, naming each difference', () => {
    // catalog_state as it is not: digest an integer, loaded_at nullable without default, an extra column.
    const altered = pgTable('catalog_state', {
      id: integer('id').primaryKey(),
      digest: integer('digest').notNull(),
      loadedAt: timestamp('loaded_at', { withTimezone: true }),
      extra: text('extra'),
    });
    const tables = schemaTables.filter((table) => getTableConfig(table).name !== 'catalog_state').concat(altered);
    expect(compareSchemas(describeDrizzleSchema(tables), database).sort()).toEqual([
      'column catalog_state.digest: type integer in schema.ts, text in the database',
      'column catalog_state.extra: in schema.ts but not in the database',
      'column catalog_state.loaded_at: no default in schema.ts, a default in the database',
      'column catalog_state.loaded_at: nullable in schema.ts, NOT NULL in the database',
    ]);
  });

  it('reports a table or column the schema leaves out, and a wrong primary key', () => {
    const withoutFirms = schemaTables.filter((table) => getTableConfig(table).name !== 'firms');
    const blobsWithoutMime = pgTable('blobs', { sha256: text('sha256').notNull(), size: integer('size').notNull() });
    const tables = withoutFirms.filter((table) => getTableConfig(table).name !== 'blobs').concat(blobsWithoutMime);
    expect(compareSchemas(describeDrizzleSchema(tables), database).sort()).toEqual([
      'column blobs.created_at: in the database but not in schema.ts',
      'column blobs.mime: in the database but not in schema.ts',
      'column blobs.size: type integer in schema.ts, bigint in the database',
      'table blobs: primary key () in schema.ts, (sha256) in the database',
      'table firms: in the database but not in schema.ts',
    ]);
  });
});

describe('drizzleOn', () => {
  it('runs inside a row-level-security scoped transaction and sees only that firm', async () => {
    const firmA = await buildFirm(runtime.db);
    const firmB = await buildFirm(runtime.db);
    const visibleToA = await inTenantTransaction(runtime.db, [firmA], (tx) =>
      drizzleOn(tx).select({ id: schema.firms.id, name: schema.firms.name }).from(schema.firms),
    );
    expect(visibleToA.map((firm) => firm.id)).toEqual([firmA]);
    const visibleToAll = await inTenantTransaction(runtime.db, '*', (tx) =>
      drizzleOn(tx).select({ id: schema.firms.id }).from(schema.firms),
    );
    expect(visibleToAll.map((firm) => firm.id)).toEqual(expect.arrayContaining([firmA, firmB]));
  });

  it('refuses a Queryable that ignores rowMode "array" instead of mapping columns wrongly', async () => {
    const objectsOnly: Queryable = {
      query: async <Row,>() => ({ rows: [{ id: 1, digest: 'x' }] as Row[] }),
      exec: async () => ({ rows: [] }),
    };
    const error = await drizzleOn(objectsOnly).select().from(schema.catalogState).then(() => null, (caught: unknown) => caught);
    // Drizzle wraps the driver's error in its own "Failed query" error.
    expect((error as Error | null)?.cause).toBeInstanceOf(Error);
    expect(((error as Error).cause as Error).message).toMatch(/rowMode "array"/);
  });
});
