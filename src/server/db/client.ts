/**
 * Opens the database: embedded PGlite (default, data directory with a lock file) or PostgreSQL
 * (DATABASE_URL). Both are driven through one interface, `Database`, so services and repositories never
 * know which one they run on.
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';

export interface QueryResult<Row> {
  rows: Row[];
}

export interface QueryOptions {
  rowMode?: 'array' | 'object';
}

/** A connection-like thing that runs SQL: the database itself or an open transaction. */
export interface Queryable {
  /** With `{ rowMode: 'array' }` each row is an array of column values in select order (for Drizzle). */
  query<Row = Record<string, unknown>>(text: string, params?: unknown[], options?: QueryOptions): Promise<QueryResult<Row>>;
  /** Runs a script of several statements without parameters; returns the last statement's rows. */
  exec(sql: string): Promise<QueryResult<Record<string, unknown>>>;
}

export interface Database extends Queryable {
  kind: 'pglite' | 'pg';
  /** Runs `fn` in one transaction; commits when it resolves, rolls back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /** A short description for logs (never includes a password). */
  describe(): string;
}

export class DataDirectoryLockedError extends Error {
  constructor(dir: string, pid: number) {
    super(`data directory ${dir} is in use by process ${pid}; stop it first (lock file ${join(dir, '.anjian.lock')})`);
    this.name = 'DataDirectoryLockedError';
  }
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes `<dir>/.anjian.lock` so two processes never open one PGlite data directory. */
function lockDataDirectory(dir: string): () => void {
  mkdirSync(dir, { recursive: true });
  const lockPath = join(dir, '.anjian.lock');
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw error;
      }
      const pid = Number.parseInt(readFileSync(lockPath, 'utf8'), 10);
      if (Number.isInteger(pid) && pid !== process.pid && isProcessAlive(pid)) {
        throw new DataDirectoryLockedError(dir, pid);
      }
      // A stale lock from a process that died: take it over.
      rmSync(lockPath, { force: true });
    }
  }
  throw new Error(`could not lock data directory ${dir}`);
}

export interface OpenOptions {
  /** postgres://… for PostgreSQL; otherwise PGlite. */
  databaseUrl?: string;
  /** PGlite data directory; 'memory://' for an in-memory database (tests). */
  dataDir?: string;
  /** PGlite only: start from a dump made by `dumpPglite` instead of an empty cluster (tests). */
  loadDataDir?: Blob;
}

export async function openDatabase(options: OpenOptions): Promise<Database> {
  if (options.databaseUrl) {
    return openPostgres(options.databaseUrl);
  }
  return openPglite(options.dataDir ?? './data', options.loadDataDir);
}

/** A tarball of an in-memory PGlite database, to start later databases from (tests). */
export async function dumpPglite(db: Database): Promise<Blob> {
  const client = (db as Database & { pglite?: { dumpDataDir(compression: 'none'): Promise<Blob> } }).pglite;
  if (!client) throw new Error('dumpPglite needs a PGlite database');
  return client.dumpDataDir('none');
}

async function openPglite(dataDir: string, loadDataDir?: Blob): Promise<Database> {
  const { PGlite } = await import('@electric-sql/pglite');
  const inMemory = dataDir.startsWith('memory://');
  const unlock = inMemory ? () => undefined : lockDataDirectory(dataDir);
  let client: InstanceType<typeof PGlite>;
  try {
    client = inMemory ? new PGlite(loadDataDir ? { loadDataDir } : {}) : new PGlite(join(dataDir, 'pg'));
    await client.waitReady;
  } catch (error) {
    unlock();
    throw error;
  }
  // PGlite is one connection: queries outside a transaction wait while one is open.
  const database: Database & { pglite: typeof client } = {
    kind: 'pglite',
    pglite: client,
    async query(text, params, options) {
      const result = await client.query(text, params as unknown[] | undefined, { rowMode: options?.rowMode ?? 'object' });
      return { rows: result.rows as never[] };
    },
    async exec(sql) {
      const results = await client.exec(sql);
      return { rows: (results.at(-1)?.rows ?? []) as Record<string, unknown>[] };
    },
    async transaction(fn) {
      return client.transaction(async (tx) =>
        fn({
          async query(text, params, options) {
            const result = await tx.query(text, params as unknown[] | undefined, { rowMode: options?.rowMode ?? 'object' });
            return { rows: result.rows as never[] };
          },
          async exec(sql) {
            const results = await tx.exec(sql);
            return { rows: (results.at(-1)?.rows ?? []) as Record<string, unknown>[] };
          },
        }),
      );
    },
    async close() {
      await client.close();
      unlock();
    },
    describe: () => (inMemory ? 'PGlite (in memory)' : `PGlite (${dataDir})`),
  };
  return database;
}

async function openPostgres(url: string): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: Number(process.env.ANJIAN_PG_POOL ?? 10) });
  // An idle connection the server ends (restart, failover, DROP DATABASE … FORCE) emits 'error' on the
  // pool; without a listener that would crash the process. The pool replaces the connection.
  pool.on('error', (error) => {
    console.error(`PostgreSQL connection lost (${(error as { code?: string }).code ?? 'error'}): ${error.message}`);
  });
  // Fail loudly at start when the server cannot be reached.
  const probe = await pool.connect();
  probe.release();
  const safeUrl = (() => {
    try {
      const parsed = new URL(url);
      parsed.password = parsed.password ? '***' : '';
      return parsed.toString();
    } catch {
      return 'PostgreSQL';
    }
  })();
  return {
    kind: 'pg',
    async query(text, params, options) {
      const result = options?.rowMode === 'array'
        ? await pool.query({ text, values: params as unknown[] | undefined, rowMode: 'array' })
        : await pool.query(text, params as unknown[] | undefined);
      return { rows: result.rows };
    },
    async exec(sql) {
      const result = await pool.query(sql);
      const last = Array.isArray(result) ? result.at(-1) : result;
      return { rows: last?.rows ?? [] };
    },
    async transaction(fn) {
      const connection = await pool.connect();
      try {
        await connection.query('BEGIN');
        const value = await fn({
          async query(text, params, options) {
            const result = options?.rowMode === 'array'
              ? await connection.query({ text, values: params as unknown[] | undefined, rowMode: 'array' })
              : await connection.query(text, params as unknown[] | undefined);
            return { rows: result.rows };
          },
          async exec(sql) {
            const result = await connection.query(sql);
            const last = Array.isArray(result) ? result.at(-1) : result;
            return { rows: last?.rows ?? [] };
          },
        });
        await connection.query('COMMIT');
        return value;
      } catch (error) {
        await connection.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        connection.release();
      }
    },
    async close() {
      await pool.end();
    },
    describe: () => `PostgreSQL (${safeUrl})`,
  };
}

export function dataDirectoryExists(dir: string): boolean {
  return existsSync(join(dir, 'pg'));
}
