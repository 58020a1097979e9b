/**
 * Turns version files into resolved catalog versions: every item of the version with its own and
 * inherited attributes (code, cycle, scope, effective), its lineage and its change against the base.
 * Pure: no I/O.
 */
import type {
  ChangeInput,
  CatalogItemInput,
  Cycle,
  DocumentCode,
  Effective,
  Levels,
  Scope,
  VersionFile,
} from './schema.ts';

export type ChangeKind = 'added' | 'changed' | 'renumbered' | 'removed';

export interface CatalogItem {
  /** `DOC:path`, e.g. CSIM:7.1.a.h */
  id: string;
  /** `DOC@version:path` */
  versionedId: string;
  document: DocumentCode;
  version: string;
  path: string;
  parentPath: string | null;
  depth: number;
  /** Position in document order within its version. */
  order: number;
  label?: string;
  title?: string;
  text: string | null;
  notInSource: boolean;
  /** Own or inherited section code (CC-17010). */
  code: string | null;
  cycle: Cycle | null;
  /** Own or inherited scope; null means it binds every firm. */
  scope: (Scope & { statedAt: string }) | null;
  tierDependent: boolean;
  effective: (Effective & { statedAt: string }) | null;
  definition?: { term: string };
  levels?: Levels;
  requirementCode?: string;
  category?: string;
  sourceFile: string;
  sourceLine: number | null;
  note?: string;
  refs: string[];
  /** The same value for one item across versions: `DOC@firstVersion:firstPath`. */
  lineage: string;
  /** What this version did to the item relative to its base, when anything. */
  change?: ItemChange;
}

export interface ItemChange {
  kind: Exclude<ChangeKind, 'removed'>;
  fromPath?: string;
  was?: string;
  reason?: string;
  reasonAsPrinted?: string;
  reasonRefs: string[];
  row?: number;
}

export interface RemovedItem {
  lineage: string;
  path: string;
  text: string | null;
  reason?: string;
  reasonRefs: string[];
  row?: number;
}

export interface CatalogVersion {
  document: DocumentCode;
  version: string;
  title: string;
  date: string;
  approval?: string;
  base?: string;
  sourceFile: string;
  sourceColumn?: string;
  note?: string;
  items: CatalogItem[];
  removed: RemovedItem[];
}

export class CatalogResolveError extends Error {
  constructor(
    message: string,
    readonly file: string,
    readonly field: string,
  ) {
    super(`${file}: ${field}: ${message}`);
    this.name = 'CatalogResolveError';
  }
}

/** Own attributes of an item before inheritance. */
interface RawItem extends CatalogItemInput {
  lineage: string;
  sourceFile: string;
  change?: ItemChange;
}

export function parentOf(path: string): string | null {
  const cut = path.lastIndexOf('.');
  return cut < 0 ? null : path.slice(0, cut);
}

function isInSubtree(path: string, root: string): boolean {
  return path === root || path.startsWith(`${root}.`);
}

/**
 * Resolve every version of one document. `files` may come in any order; bases are resolved first.
 * `fileNames` gives the path of each file for error messages.
 */
export function resolveDocument(files: { file: VersionFile; fileName: string }[]): CatalogVersion[] {
  const byVersion = new Map(files.map((entry) => [entry.file.version, entry]));
  const raw = new Map<string, RawItem[]>();
  const removedByVersion = new Map<string, RemovedItem[]>();
  const resolving = new Set<string>();

  const rawItemsOf = (version: string): RawItem[] => {
    const cached = raw.get(version);
    if (cached) {
      return cached;
    }
    const entry = byVersion.get(version);
    if (!entry) {
      throw new Error(`unknown version ${version}`);
    }
    const { file, fileName } = entry;
    if (resolving.has(version)) {
      throw new CatalogResolveError(`version ${version} is its own base`, fileName, 'base');
    }
    resolving.add(version);
    let items: RawItem[];
    if (file.base === undefined) {
      items = (file.items ?? []).map((item) => ({
        ...item,
        lineage: `${file.document}@${file.version}:${item.path}`,
        sourceFile: file.source.file,
      }));
      checkUniquePaths(items, fileName);
    } else {
      if (!byVersion.has(file.base)) {
        throw new CatalogResolveError(`base version ${file.base} has no file`, fileName, 'base');
      }
      const { items: applied, removed } = applyChanges(rawItemsOf(file.base), file, fileName);
      items = applied;
      removedByVersion.set(version, removed);
    }
    resolving.delete(version);
    raw.set(version, items);
    return items;
  };

  return files.map(({ file }) => {
    const items = rawItemsOf(file.version);
    return {
      document: file.document,
      version: file.version,
      title: file.title,
      date: file.date,
      approval: file.approval,
      base: file.base,
      sourceFile: file.source.file,
      sourceColumn: file.source.column,
      note: file.note,
      items: inherit(file.document, file.version, items),
      removed: removedByVersion.get(file.version) ?? [],
    };
  });
}

function checkUniquePaths(items: { path: string }[], fileName: string): void {
  const seen = new Set<string>();
  items.forEach((item, index) => {
    if (seen.has(item.path)) {
      throw new CatalogResolveError(`duplicate path ${item.path}`, fileName, `items[${index}].path`);
    }
    seen.add(item.path);
    const parent = parentOf(item.path);
    if (parent !== null && !seen.has(parent)) {
      throw new CatalogResolveError(
        `parent ${parent} of ${item.path} must come before it`,
        fileName,
        `items[${index}].path`,
      );
    }
  });
}

function changeRecord(change: ChangeInput, kind: ItemChange['kind'], fromPath?: string): ItemChange {
  return {
    kind,
    fromPath,
    was: 'was' in change ? change.was : undefined,
    reason: change.reason,
    reasonAsPrinted: change.reasonAsPrinted,
    reasonRefs: change.reasonRefs ?? [],
    row: change.row,
  };
}

const CHANGE_META = new Set(['op', 'from', 'after', 'was', 'row', 'reason', 'reasonAsPrinted', 'reasonRefs']);

/** Item fields a change sets (everything but the change's own bookkeeping). */
function itemFieldsOf(change: ChangeInput): Partial<CatalogItemInput> {
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(change)) {
    if (!CHANGE_META.has(key) && key !== 'path' && value !== undefined) {
      fields[key] = value;
    }
  }
  return fields as Partial<CatalogItemInput>;
}

function applyChanges(
  baseItems: RawItem[],
  file: VersionFile,
  fileName: string,
): { items: RawItem[]; removed: RemovedItem[] } {
  const changes = file.changes ?? [];
  // Start from the base, without the base's own change markers.
  let items: RawItem[] = baseItems.map(({ change: _change, ...rest }) => ({ ...rest }));
  const removed: RemovedItem[] = [];
  const field = (index: number, name: string) => `changes[${index}].${name}`;
  const findIndex = (path: string) => items.findIndex((item) => item.path === path);

  // 1. Renumbers apply simultaneously on the base numbering, so i→j and h→i do not collide.
  const renames = new Map<string, string>();
  changes.forEach((change, index) => {
    if (change.op !== 'renumber') {
      return;
    }
    if (findIndex(change.from) < 0) {
      throw new CatalogResolveError(`renumbered item ${change.from} is not in base ${file.base}`, fileName, field(index, 'from'));
    }
    renames.set(change.from, change.path);
  });
  if (renames.size > 0) {
    items = items.map((item) => {
      // The deepest renamed ancestor decides the new prefix.
      let best: string | null = null;
      for (const from of renames.keys()) {
        if (isInSubtree(item.path, from) && (best === null || from.length > best.length)) {
          best = from;
        }
      }
      if (best === null) {
        return item;
      }
      return { ...item, path: renames.get(best) + item.path.slice(best.length) };
    });
    for (const change of changes) {
      if (change.op !== 'renumber') {
        continue;
      }
      const at = findIndex(change.path);
      const fields = itemFieldsOf(change);
      items[at] = {
        ...items[at],
        ...fields,
        // A change's source line is a line of this version's source file.
        ...(fields.source ? { sourceFile: file.source.file } : {}),
        change: changeRecord(change, 'renumbered', change.from),
      };
    }
  }

  // 2. Removals, changes and additions in file order, on the new numbering.
  changes.forEach((change, index) => {
    switch (change.op) {
      case 'renumber':
        return;
      case 'remove': {
        const at = findIndex(change.path);
        if (at < 0) {
          throw new CatalogResolveError(`removed item ${change.path} is not in base ${file.base}`, fileName, field(index, 'path'));
        }
        removed.push({
          lineage: items[at].lineage,
          path: change.path,
          text: items[at].text ?? null,
          reason: change.reason,
          reasonRefs: change.reasonRefs ?? [],
          row: change.row,
        });
        items = items.filter((item) => !isInSubtree(item.path, change.path));
        return;
      }
      case 'change': {
        const at = findIndex(change.path);
        if (at < 0) {
          throw new CatalogResolveError(`changed item ${change.path} is not in this version`, fileName, field(index, 'path'));
        }
        const previous = items[at].change;
        const fields = itemFieldsOf(change);
        const next: RawItem = { ...items[at], ...fields, ...(fields.source ? { sourceFile: file.source.file } : {}) };
        if (fields.text !== undefined) {
          next.notInSource = fields.notInSource ?? false;
        }
        next.change = previous?.kind === 'renumbered'
          ? { ...previous, reason: previous.reason ?? change.reason, reasonRefs: [...previous.reasonRefs, ...(change.reasonRefs ?? [])], was: previous.was ?? change.was }
          : changeRecord(change, 'changed');
        items[at] = next;
        return;
      }
      case 'add': {
        if (findIndex(change.path) >= 0) {
          throw new CatalogResolveError(`added item ${change.path} already exists`, fileName, field(index, 'path'));
        }
        const parent = parentOf(change.path);
        if (parent !== null && findIndex(parent) < 0) {
          throw new CatalogResolveError(`parent ${parent} of added item ${change.path} does not exist`, fileName, field(index, 'path'));
        }
        let insertAt: number;
        if (change.after === 'start') {
          insertAt = parent === null ? 0 : findIndex(parent) + 1;
        } else {
          const afterIndex = findIndex(change.after);
          if (afterIndex < 0) {
            throw new CatalogResolveError(`item ${change.after} to add after does not exist`, fileName, field(index, 'after'));
          }
          // Skip the whole subtree of the item we follow.
          insertAt = afterIndex + 1;
          while (insertAt < items.length && isInSubtree(items[insertAt].path, change.after)) {
            insertAt += 1;
          }
        }
        const { op: _op, after: _after, row: _row, reason: _reason, reasonAsPrinted: _rap, reasonRefs: _refs, ...itemInput } = change;
        items.splice(insertAt, 0, {
          ...itemInput,
          lineage: `${file.document}@${file.version}:${change.path}`,
          sourceFile: file.source.file,
          change: changeRecord(change, 'added'),
        });
        return;
      }
      default: {
        const exhaustive: never = change;
        throw new Error(`unknown change ${JSON.stringify(exhaustive)}`);
      }
    }
  });
  checkUniquePaths(items, fileName);
  return { items, removed };
}

/** Attach inherited attributes, ids and order. */
function inherit(document: DocumentCode, version: string, items: RawItem[]): CatalogItem[] {
  const resolved = new Map<string, CatalogItem>();
  return items.map((item, order) => {
    const parentPath = parentOf(item.path);
    const parent = parentPath === null ? undefined : resolved.get(parentPath);
    const result: CatalogItem = {
      id: `${document}:${item.path}`,
      versionedId: `${document}@${version}:${item.path}`,
      document,
      version,
      path: item.path,
      parentPath,
      depth: item.path.split('.').length,
      order,
      label: item.label,
      title: item.title,
      text: item.text ?? null,
      notInSource: item.notInSource === true,
      code: item.code ?? parent?.code ?? null,
      cycle: item.cycle ?? parent?.cycle ?? null,
      scope: item.scope ? { ...item.scope, statedAt: item.scope.statedAt ?? item.path } : (parent?.scope ?? null),
      tierDependent: item.tierDependent === true,
      effective: item.effective ? { ...item.effective, statedAt: item.path } : (parent?.effective ?? null),
      definition: item.definition,
      levels: item.levels,
      requirementCode: item.requirementCode,
      category: item.category,
      sourceFile: item.sourceFile,
      sourceLine: item.source?.line ?? null,
      note: item.note,
      refs: item.refs ?? [],
      lineage: item.lineage,
      change: item.change,
    };
    resolved.set(item.path, result);
    return result;
  });
}
