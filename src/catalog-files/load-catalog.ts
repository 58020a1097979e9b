/**
 * Reads catalog/ (one YAML file per document version), parses and resolves every document.
 * The only code that touches the catalog files on disk.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseVersionFileWithLines } from '../domain/catalog/parse.ts';
import { checkCatalogLinks } from '../domain/catalog/check-links.ts';
import { resolveDocument, CatalogResolveError, type CatalogVersion } from '../domain/catalog/resolve.ts';
import type { VersionFile } from '../domain/catalog/schema.ts';

export const DEFAULT_CATALOG_DIR = fileURLToPath(new URL('../../catalog', import.meta.url));

function listYamlFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) {
        return listYamlFiles(full);
      }
      return /\.ya?ml$/.test(name) ? [full] : [];
    });
}

export function loadCatalog(dir: string = DEFAULT_CATALOG_DIR): CatalogVersion[] {
  const parsed = listYamlFiles(dir).map((full) => parseVersionFileWithLines(readFileSync(full, 'utf8'), relative(process.cwd(), full) || full));
  const files = parsed.map(({ file, fileName }) => ({ file, fileName }));
  const byDocument = new Map<string, { file: VersionFile; fileName: string }[]>();
  for (const entry of files) {
    const key = entry.file.document;
    byDocument.set(key, [...(byDocument.get(key) ?? []), entry]);
    const duplicates = (byDocument.get(key) ?? []).filter((other) => other.file.version === entry.file.version);
    if (duplicates.length > 1) {
      throw new CatalogResolveError(
        `version ${entry.file.version} of ${key} is also defined in ${duplicates[0].fileName}`,
        entry.fileName,
        'version',
      );
    }
  }
  const versions = [...byDocument.values()].flatMap((entries) => resolveDocument(entries));
  checkCatalogLinks(versions, parsed);
  return versions;
}
