/**
 * Checks what the schema cannot: that every link in the catalog points at an item that exists (`refs`,
 * `reasonRefs`, `scope.statedAt`) and that a change's `was` quotes its base item's text word for word
 * (white space aside: the comparison tables print "以OWASP" where the full text has "以 OWASP").
 * Runs on load, after resolution, so a broken catalog stops start-up with `file:line: field: reason`.
 */
import { CatalogFileError, formatFieldPath, type ParsedVersionFile } from './parse.ts';
import type { CatalogItem, CatalogVersion } from './resolve.ts';
import { DOCUMENT_CODES } from './schema.ts';

const ID_PATTERN = /^([A-Z]+)(?:@([0-9A-Za-z.-]+))?:([0-9a-z.]+)$/;

export function checkCatalogLinks(versions: CatalogVersion[], files: ParsedVersionFile[]): void {
  const byKey = new Map(versions.map((version) => [`${version.document}@${version.version}`, version]));
  const pathsOf = new Map([...byKey].map(([key, version]) => [key, new Set(version.items.map((item) => item.path))]));

  /** Why `ref`, cited from `citing`, points nowhere; null when it resolves. */
  const brokenRef = (ref: string, citing: CatalogVersion): string | null => {
    const match = ID_PATTERN.exec(ref);
    if (!match) return `malformed item id ${ref} (expected DOC:path or DOC@version:path)`;
    const [, document, version, path] = match;
    if (version !== undefined) {
      const paths = pathsOf.get(`${document}@${version}`);
      if (!paths) return `${ref}: ${document} has no version ${version}`;
      return paths.has(path) ? null : `${ref}: no item ${path} in ${document}@${version}`;
    }
    // Without a version: the citing version itself for its own document, else any version of the document.
    const candidates = document === citing.document
      ? [`${citing.document}@${citing.version}`]
      : versions.filter((entry) => entry.document === document).map((entry) => `${entry.document}@${entry.version}`);
    if (!(DOCUMENT_CODES as readonly string[]).includes(document)) return `${ref}: no document ${document} (known: ${DOCUMENT_CODES.join(', ')})`;
    // A document not loaded with this one (a folder loaded on its own) cannot be checked here.
    if (candidates.length === 0) return null;
    return candidates.some((key) => pathsOf.get(key)?.has(path)) ? null : `${ref}: no item ${path} in ${candidates.join(', ')}`;
  };

  for (const parsed of files) {
    const { file } = parsed;
    const version = byKey.get(`${file.document}@${file.version}`);
    if (!version) continue;
    const fail = (path: PropertyKey[], reason: string): never => {
      throw new CatalogFileError(parsed.fileName, parsed.lineAt(path), formatFieldPath(path), reason);
    };
    const checkItemLinks = (prefix: PropertyKey[], entry: { refs?: string[]; reasonRefs?: string[]; scope?: { statedAt?: string } }) => {
      for (const [field, refs] of [['refs', entry.refs], ['reasonRefs', entry.reasonRefs]] as const) {
        (refs ?? []).forEach((ref, index) => {
          const reason = brokenRef(ref, version);
          if (reason) fail([...prefix, field, index], reason);
        });
      }
      const statedAt = entry.scope?.statedAt;
      if (statedAt !== undefined && !pathsOf.get(`${version.document}@${version.version}`)?.has(statedAt)) {
        fail([...prefix, 'scope', 'statedAt'], `no item ${statedAt} in ${version.document}@${version.version} states this scope`);
      }
    };
    (file.items ?? []).forEach((item, index) => checkItemLinks(['items', index], item));

    const base = file.base === undefined ? undefined : byKey.get(`${file.document}@${file.base}`);
    const baseByLineage = new Map((base?.items ?? []).map((item) => [item.lineage, item]));
    const here = new Map(version.items.map((item) => [item.path, item]));
    (file.changes ?? []).forEach((change, index) => {
      checkItemLinks(['changes', index], change);
      if (!('was' in change) || change.was === undefined || !base) return;
      let baseItem: CatalogItem | undefined;
      if (change.op === 'renumber') {
        baseItem = base.items.find((item) => item.path === change.from);
      } else if (change.op === 'remove') {
        const removed = version.removed.find((entry) => entry.path === change.path);
        baseItem = removed ? baseByLineage.get(removed.lineage) : undefined;
      } else {
        const current = here.get(change.path);
        baseItem = current ? baseByLineage.get(current.lineage) : undefined;
      }
      if (!baseItem || baseItem.notInSource || baseItem.text === null) return;
      if (withoutSpaces(change.was) !== withoutSpaces(baseItem.text)) {
        fail(['changes', index, 'was'], `differs from the text of ${baseItem.versionedId}: ${firstDifference(withoutSpaces(change.was), withoutSpaces(baseItem.text))} (white space ignored)`);
      }
    });
  }
}

function withoutSpaces(text: string): string {
  return text.normalize('NFKC').replace(/\s+/g, '');
}

/** Where two texts part: a few characters of context from each. */
function firstDifference(was: string, text: string): string {
  const a = Array.from(was);
  const b = Array.from(text);
  let at = 0;
  while (at < a.length && at < b.length && a[at] === b[at]) at += 1;
  const excerpt = (chars: string[]) => chars.slice(Math.max(0, at - 4), at + 8).join('') || '(end)';
  return `was has "${excerpt(a)}" where the base text has "${excerpt(b)}" (character ${at + 1})`;
}
