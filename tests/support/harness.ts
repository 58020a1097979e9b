/**
 * Medium-test harness: a fresh database per test file (in-memory PGlite, or a new PostgreSQL database
 * when ANJIAN_TEST_DB=pg), migrated and with the catalog loaded, plus the app and small factories.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { buildApp, type App } from '../../src/server/app.ts';
import { readConfig, type Config } from '../../src/server/config.ts';
import { dumpPglite, openDatabase, type Database } from '../../src/server/db/client.ts';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { MIGRATIONS_DIR } from '../../src/server/db/migrate.ts';
import { catalogDigest } from '../../src/server/catalog/catalog-repository.ts';
import { migrate } from '../../src/server/db/migrate.ts';
import { syncCatalog } from '../../src/server/catalog/catalog-repository.ts';
import { loadCatalog } from '../../src/catalog-files/load-catalog.ts';
import { SecretBox } from '../../src/server/auth/secret-box.ts';
import { LocalBlobStore } from '../../src/server/evidence/blob-store.ts';
import { hashPassword } from '../../src/server/auth/passwords.ts';
import { inTenantTransaction, type Role } from '../../src/server/context.ts';
import type { Runtime } from '../../src/server/runtime.ts';
import type { CatalogVersion } from '../../src/domain/catalog/resolve.ts';

export const TEST_DB = (process.env.ANJIAN_TEST_DB ?? 'pglite') as 'pglite' | 'pg';
export const PG_ADMIN_URL = process.env.ANJIAN_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

let cachedCatalog: CatalogVersion[] | null = null;
export function testCatalog(): CatalogVersion[] {
  cachedCatalog ??= loadCatalog();
  return cachedCatalog;
}

export interface TestRuntime extends Runtime {
  /** The database URL for PostgreSQL runs (so a second connection can be opened). */
  databaseUrl?: string;
}

/** A fresh, migrated database with the catalog loaded. Close it in afterAll. */
export async function openTestRuntime(overrides: Partial<Config> = {}): Promise<TestRuntime> {
  const dataDir = mkdtempSync(join(tmpdir(), 'anjian-test-'));
  let databaseUrl: string | undefined;
  let dropDatabase = async () => undefined as void;
  if (TEST_DB === 'pg') {
    const name = `anjian_t_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(PG_ADMIN_URL);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
    dropDatabase = async () => {
      const again = new pg.Client({ connectionString: PG_ADMIN_URL });
      await again.connect();
      await again.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await again.end();
    };
  }
  const config = readConfig({
    databaseUrl,
    dataDir,
    blobDir: join(dataDir, 'blobs'),
    logLevel: 'silent',
    loginRateLimitPerMinute: 10_000,
    ...overrides,
  });
  const catalog = testCatalog();
  let db: Database;
  if (databaseUrl) {
    db = await openDatabase({ databaseUrl });
    await migrate(db);
    await syncCatalog(db, catalog);
  } else {
    db = await openPgliteFromTemplate(catalog);
  }
  return {
    config,
    db,
    catalog,
    secrets: SecretBox.forTests(),
    blobs: new LocalBlobStore(config.blobDir),
    databaseUrl,
    async close() {
      await db.close();
      await dropDatabase();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Creating a PGlite cluster, migrating it and loading the catalog takes seconds; the first test file
 * does it once and dumps the result, later files start from the dump (keyed by migrations + catalog).
 */
export async function openPgliteFromTemplate(catalog: CatalogVersion[]): Promise<Database> {
  const key = createHash('sha256');
  for (const name of readdirSync(MIGRATIONS_DIR).sort()) key.update(name).update(readFileSync(join(MIGRATIONS_DIR, name)));
  key.update(catalogDigest(catalog));
  const templatePath = join(tmpdir(), `anjian-pglite-template-${key.digest('hex').slice(0, 16)}.tar`);
  if (existsSync(templatePath)) {
    try {
      const db = await openDatabase({ dataDir: 'memory://', loadDataDir: new Blob([readFileSync(templatePath)]) });
      await migrate(db);
      return db;
    } catch {
      rmSync(templatePath, { force: true });
    }
  }
  const db = await openDatabase({ dataDir: 'memory://' });
  await migrate(db);
  await syncCatalog(db, catalog);
  const dump = await dumpPglite(db);
  const temp = `${templatePath}.${process.pid}`;
  writeFileSync(temp, Buffer.from(await dump.arrayBuffer()));
  const { renameSync } = await import('node:fs');
  renameSync(temp, templatePath);
  return db;
}

/** Runs the `anjian` CLI in-process against a test runtime (it does not close it). */
export async function runCliIn(runtime: Runtime, cwd: string, argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const { runCli } = await import('../../src/cli/main.ts');
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    openRuntime: async () => runtime,
    closeRuntime: false,
    cwd,
  });
  return { code, stdout, stderr };
}

export async function buildTestApp(runtime: Runtime): Promise<App> {
  const app = await buildApp(runtime);
  await app.ready();
  return app;
}

export const TEST_PASSWORD = 'Correct-Horse-42-battery';

/**
 * A complete profile of a small internet-ordering broker (NT$2 bn, tier 4, Type 2, no CISO duty),
 * with `overrides` on top.
 */
export function buildProfile(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    paidInCapitalNtd: 2_000_000_000, fiscalYearEnd: '12-31',
    businessLines: { brokerage: true, proprietary: false, underwriting: false },
    channels: { internet: true, voice: false, traditional: true, dma: false, colocation: false },
    publicCompany: true, foreign: false,
    shares: { internetDmaTurnoverPct: 50, brokerageMarketSharePct: 1, naturalPersonClientPct: 90 },
    website: true, apiServices: false, cloud: { user: false, provider: false, critical: false }, socialMedia: false,
    mobileApps: [], mobileDevices: false, byod: false, iot: false, videoIdentityVerification: false, internationalTransfer: false,
    ...overrides,
  };
}

export async function buildFirm(db: Database, name = `測試證券 ${randomUUID().slice(0, 6)}`, profile?: Record<string, unknown>): Promise<string> {
  const id = randomUUID();
  await inTenantTransaction(db, '*', async (tx) => {
    await tx.query('INSERT INTO firms (id, name) VALUES ($1, $2)', [id, name]);
    await tx.query('INSERT INTO firm_settings (firm_id) VALUES ($1)', [id]);
    if (profile) await tx.query('INSERT INTO firm_profiles (firm_id, revision, profile) VALUES ($1, 1, $2)', [id, JSON.stringify({ name, ...profile })]);
  });
  return id;
}

export interface TestUser {
  id: string;
  email: string;
  password: string;
}

/** A user with a known password that needs no password change and no MFA (roles that require MFA get mfa off here). */
export async function buildUser(
  db: Database,
  options: { memberships?: { firmId: string; role: Role }[]; isPlatformAdmin?: boolean; mustChangePassword?: boolean; email?: string } = {},
): Promise<TestUser> {
  const id = randomUUID();
  const email = options.email ?? `user-${id.slice(0, 8)}@test.anjian.local`;
  await inTenantTransaction(db, '*', async (tx) => {
    await tx.query(
      'INSERT INTO users (id, email, display_name, password_hash, must_change_password, is_platform_admin) VALUES ($1, $2, $3, $4, $5, $6)',
      [id, email, email.split('@')[0], await hashPassword(TEST_PASSWORD), options.mustChangePassword ?? false, options.isPlatformAdmin ?? false],
    );
    for (const membership of options.memberships ?? []) {
      await tx.query('INSERT INTO memberships (user_id, firm_id, role) VALUES ($1, $2, $3)', [id, membership.firmId, membership.role]);
    }
  });
  return { id, email, password: TEST_PASSWORD };
}

export interface Session {
  cookie: string;
  csrf: string;
  step: string;
  /** Headers for app.inject: the session cookie and the CSRF header. */
  headers: Record<string, string>;
}

/** Signs in through the API and returns the cookies and CSRF header for later requests. */
export async function signIn(app: App, user: { email: string; password: string }): Promise<Session> {
  const response = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: user.email, password: user.password } });
  if (response.statusCode !== 200) throw new Error(`sign-in failed: ${response.statusCode} ${response.body}`);
  return sessionFrom(response);
}

export function sessionFrom(response: { cookies: { name: string; value: string }[]; json(): unknown }): Session {
  const session = response.cookies.find((entry) => entry.name === 'anjian_session')?.value ?? '';
  const csrf = response.cookies.find((entry) => entry.name === 'anjian_csrf')?.value ?? '';
  const body = response.json() as { step: string };
  return { cookie: session, csrf, step: body.step, headers: { cookie: `anjian_session=${session}`, 'x-csrf-token': csrf } };
}

/** Signs in a user whose role needs MFA by enrolling a TOTP factor first; returns a full session. */
export async function signInWithMfa(app: App, user: { email: string; password: string }): Promise<Session & { secret: string }> {
  const { generate } = await import('otplib');
  let session = await signIn(app, user);
  const started = await app.inject({ method: 'POST', url: '/api/v1/auth/mfa/enrol', headers: session.headers });
  const { secret } = started.json() as { secret: string };
  const confirmed = await app.inject({
    method: 'POST', url: '/api/v1/auth/mfa/enrol/confirm', headers: session.headers, payload: { code: await generate({ secret }) },
  });
  if (confirmed.statusCode !== 200) throw new Error(`enrolment failed: ${confirmed.body}`);
  session = { ...session, step: (confirmed.json() as { step: string }).step };
  return { ...session, secret };
}
