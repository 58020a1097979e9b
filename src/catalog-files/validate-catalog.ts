/** Developer tool: `node --import tsx src/catalog-files/validate-catalog.ts` loads and summarises the catalog. */
import { loadCatalog } from './load-catalog.ts';

try {
  const versions = loadCatalog(process.argv[2]);
  for (const version of versions) {
    const missing = version.items.filter((item) => item.notInSource).length;
    const changed = version.items.filter((item) => item.change).length;
    console.log(
      `${version.document}@${version.version}: ${version.items.length} items` +
        (missing ? `, ${missing} not in source` : '') +
        (version.base ? `, base ${version.base}, ${changed} changed/added/renumbered, ${version.removed.length} removed` : ''),
    );
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
