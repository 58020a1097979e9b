/**
 * Parses one catalog YAML file and validates it against the schema. Errors name the file, the line
 * and the field, so a broken catalog file stops start-up with a message a reviewer can act on.
 */
import { isMap, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { versionFileSchema, type VersionFile } from './schema.ts';

export class CatalogFileError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | null,
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${file}${line === null ? '' : `:${line}`}: ${field ? `${field}: ` : ''}${reason}`);
    this.name = 'CatalogFileError';
  }
}

/** Line (1-based) of the YAML node at `path`, or of its nearest existing ancestor. */
function lineOf(root: Node | null, path: PropertyKey[], counter: LineCounter): number | null {
  let node: unknown = root;
  let line: number | null = root?.range ? counter.linePos(root.range[0]).line : null;
  for (const key of path) {
    let next: unknown;
    if (isMap(node)) {
      const pair = node.items.find((item) => (item.key as { value?: unknown } | null)?.value === key);
      if (pair && (pair.key as Node | null)?.range) {
        line = counter.linePos((pair.key as Node).range![0]).line;
      }
      next = pair?.value;
    } else if (isSeq(node) && typeof key === 'number') {
      next = node.items[key];
    } else {
      break;
    }
    const range = (next as Node | undefined)?.range;
    if (range && !isMap(next)) {
      line = counter.linePos(range[0]).line;
    } else if (range && isMap(next)) {
      line = counter.linePos(range[0]).line;
    }
    node = next;
  }
  return line;
}

function formatPath(path: PropertyKey[]): string {
  return path.reduce<string>((out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)), '');
}

export function parseVersionFile(text: string, fileName: string): VersionFile {
  return parseVersionFileWithLines(text, fileName).file;
}

/** A parsed version file and the line (1-based) of any field in it, for errors found after parsing. */
export interface ParsedVersionFile {
  file: VersionFile;
  fileName: string;
  lineAt: (path: PropertyKey[]) => number | null;
}

export function parseVersionFileWithLines(text: string, fileName: string): ParsedVersionFile {
  const counter = new LineCounter();
  const document = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  if (document.errors.length > 0) {
    const error = document.errors[0];
    const line = error.pos ? counter.linePos(error.pos[0]).line : null;
    throw new CatalogFileError(fileName, line, '', `YAML syntax: ${error.message.split('\n')[0]}`);
  }
  const data: unknown = document.toJS();
  const result = versionFileSchema.safeParse(data);
  if (!result.success) {
    // Report the first issue: the one a reviewer must fix first.
    const issue = result.error.issues[0];
    const line = lineOf(document.contents as Node | null, issue.path, counter);
    throw new CatalogFileError(fileName, line, formatPath(issue.path), issue.message);
  }
  return { file: result.data, fileName, lineAt: (path) => lineOf(document.contents as Node | null, path, counter) };
}

export { formatPath as formatFieldPath };
