/**
 * Every exported OSCAL catalog validates against the official OSCAL 1.1.3 catalog JSON schema, when
 * ../shared/refdata/oscal/ holds it (a file whose name contains "catalog" and ends in "schema.json").
 * The files are written by `anjian catalog export --format oscal` (in-process, embedded database).
 * Skips, saying why, when the schema is not on this machine.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type AnySchema, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.ts';
import { loadCatalog } from '../../src/catalog-files/load-catalog.ts';
import { openDatabase, type Database } from '../../src/server/db/client.ts';
import { migrate } from '../../src/server/db/migrate.ts';
import { syncCatalog } from '../../src/server/catalog/catalog-repository.ts';
import type { Runtime } from '../../src/server/runtime.ts';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const OSCAL_DIR = process.env.ANJIAN_OSCAL_SCHEMA_DIR ?? resolve(REPO, '..', 'shared', 'refdata', 'oscal');

function findFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? findFiles(path) : [path];
  });
}

function findCatalogSchema(): { path: string | null; reason: string } {
  if (!existsSync(OSCAL_DIR)) return { path: null, reason: `${OSCAL_DIR} does not exist` };
  const candidates = findFiles(OSCAL_DIR).filter((path) => /catalog[^/]*schema\.json$/i.test(path));
  const preferred = candidates.find((path) => readFileSync(path, 'utf8').includes('1.1.3')) ?? candidates[0];
  if (!preferred) return { path: null, reason: `no *catalog*schema.json under ${OSCAL_DIR}` };
  return { path: preferred, reason: '' };
}

/** Formats the schema names that ajv-formats does not know are accepted without checking. */
function collectFormats(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) {
    for (const entry of value) collectFormats(entry, into);
  } else if (value && typeof value === 'object') {
    for (const [key, entry] of Object.entries(value)) {
      if (key === 'format' && typeof entry === 'string') into.add(entry);
      else collectFormats(entry, into);
    }
  }
  return into;
}

const schemaFile = findCatalogSchema();
if (!schemaFile.path) {
  console.log(`OSCAL conformance skipped: ${schemaFile.reason}; the structural checks in src/domain/catalog/oscal.test.ts still run.`);
}

describe.skipIf(!schemaFile.path)('OSCAL export against the official catalog schema', () => {
  let db: Database;
  const catalog = loadCatalog();
  let validate: ValidateFunction;
  const outputDir = mkdtempSync(join(tmpdir(), 'anjian-oscal-'));
  const exported: string[] = [];

  beforeAll(async () => {
    const schema = JSON.parse(readFileSync(schemaFile.path!, 'utf8')) as AnySchema & Record<string, unknown>;
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: true });
    const addFormats = addFormatsModule as unknown as (instance: Ajv) => Ajv;
    addFormats(ajv);
    for (const format of collectFormats(schema)) {
      if (!ajv.formats[format]) ajv.addFormat(format, true);
    }
    validate = ajv.compile(schema);
    // Only the database and the catalog: the export needs nothing else of the runtime.
    db = await openDatabase({ dataDir: 'memory://' });
    await migrate(db);
    await syncCatalog(db, catalog);
    const runtime = { db, catalog } as unknown as Runtime;
    let stderr = '';
    const code = await runCli(['catalog', 'export', '--format', 'oscal', '--output', outputDir], {
      stdout: { write: () => true },
      stderr: { write: (text: string) => (stderr += text) },
      openRuntime: async () => runtime,
      closeRuntime: false,
    });
    expect(code, stderr).toBe(0);
    exported.push(...readdirSync(outputDir).filter((name) => name.endsWith('.oscal.json')).sort());
  });
  afterAll(async () => {
    await db?.close();
    rmSync(outputDir, { recursive: true, force: true });
  });

  it('exports one file per document version', () => {
    expect(exported).toEqual(catalog.map((version) => `${version.document.toLowerCase()}-${version.version}.oscal.json`).sort());
  });

  it('every exported file validates', () => {
    for (const name of exported) {
      const document = JSON.parse(readFileSync(join(outputDir, name), 'utf8'));
      const isValid = validate(document);
      const problems = (validate.errors ?? []).slice(0, 20).map((error: ErrorObject) => `${name}${error.instancePath} ${error.message}`);
      expect(problems).toEqual([]);
      expect(isValid, name).toBe(true);
    }
  });
});
