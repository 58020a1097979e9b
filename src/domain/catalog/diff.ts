/**
 * The comparison table between two versions of one document (修正條文 | 現行條文 | 說明), generated:
 * items matched by lineage, in the newer version's document order, with removed items at their old place
 * and the changed words marked. Pure.
 *
 * Two views: `detail` has one row per changed item; `grouped` (what the tables show) folds a sub-item
 * that only moved with its renumbered parent into the parent's row (listed in `movedWithParent`), as the
 * source comparison tables print it.
 */
import type { CatalogItem, CatalogVersion, ChangeKind } from './resolve.ts';

export interface TextSegment {
  text: string;
  /** 'same' in both, 'added' only in the newer text, 'removed' only in the older. */
  kind: 'same' | 'added' | 'removed';
}

export interface DiffRow {
  kind: ChangeKind;
  lineage: string;
  /** Path in the newer version (absent when removed). */
  path: string | null;
  /** Path in the older version (absent when added). */
  oldPath: string | null;
  /** 修正條文 */
  newText: string | null;
  /** 現行條文 */
  oldText: string | null;
  newNotInSource: boolean;
  oldNotInSource: boolean;
  /** 說明: the reasons recorded by every version between the two, oldest first. */
  reasons: string[];
  reasonRefs: string[];
  /** Rows of the source comparison table behind this row. */
  sourceRows: number[];
  /** Word-level marking of what changed (empty when either side has no text). */
  segments: TextSegment[];
  /** The text (or its not-in-source state) differs between the two versions. */
  isTextChanged: boolean;
  /**
   * Who the item binds changed (the scope's wording or condition); null when it did not. `isInherited`
   * when the item only follows its parent's scope, whose row states the change.
   */
  scopeChange: { from: string | null; to: string | null; isInherited: boolean } | null;
  /** Grouped view: sub-items that only moved with this item, folded into its row (its 說明 covers them). */
  movedWithParent: { path: string; oldPath: string }[];
}

export type DiffView = 'grouped' | 'detail';

export interface TitleChange {
  from: string;
  to: string;
  segments: TextSegment[];
}

export interface VersionDiff {
  document: string;
  from: string;
  to: string;
  /** The newer version's approval (核准文號) and date, for the table's heading. */
  approval: string | null;
  date: string;
  /** The document's title when the two versions name it differently (shown as the table's first row). */
  titleChange: TitleChange | null;
  view: DiffView;
  rows: DiffRow[];
  counts: Record<ChangeKind, number>;
}

/** Character-level LCS diff, merged into runs. Texts are short (a rule), so O(n·m) is fine. */
export function diffText(oldText: string, newText: string): TextSegment[] {
  const a = Array.from(oldText);
  const b = Array.from(newText);
  const n = a.length;
  const m = b.length;
  const table: Uint16Array[] = Array.from({ length: n + 1 }, () => new Uint16Array(m + 1));
  for (let i = n - 1; i >= 0; i -= 1) {
    for (let j = m - 1; j >= 0; j -= 1) {
      table[i][j] = a[i] === b[j] ? table[i + 1][j + 1] + 1 : Math.max(table[i + 1][j], table[i][j + 1]);
    }
  }
  const segments: TextSegment[] = [];
  const push = (kind: TextSegment['kind'], char: string) => {
    const last = segments[segments.length - 1];
    if (last && last.kind === kind) {
      last.text += char;
    } else {
      segments.push({ kind, text: char });
    }
  };
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      push('same', a[i]);
      i += 1;
      j += 1;
    } else if (table[i + 1][j] >= table[i][j + 1]) {
      push('removed', a[i]);
      i += 1;
    } else {
      push('added', b[j]);
      j += 1;
    }
  }
  for (; i < n; i += 1) push('removed', a[i]);
  for (; j < m; j += 1) push('added', b[j]);
  return segments;
}

/**
 * Diff `from` → `to` of one document. `chain` lists every resolved version of the document so that the
 * reasons of intermediate versions (e.g. 111 between 109 and 112) are collected.
 */
export function diffVersions(
  chain: CatalogVersion[],
  fromVersion: string,
  toVersion: string,
  options: { view?: DiffView } = {},
): VersionDiff {
  const view = options.view ?? 'detail';
  const byVersion = new Map(chain.map((version) => [version.version, version]));
  const from = byVersion.get(fromVersion);
  const to = byVersion.get(toVersion);
  if (!from || !to) {
    throw new Error(`unknown version ${!from ? fromVersion : toVersion}`);
  }
  // Versions strictly after `from` up to `to`, following base links back from `to`.
  const path: CatalogVersion[] = [];
  let cursor: CatalogVersion | undefined = to;
  while (cursor && cursor.version !== from.version) {
    path.unshift(cursor);
    cursor = cursor.base ? byVersion.get(cursor.base) : undefined;
  }
  const forward = cursor !== undefined;
  const steps = forward ? path : [];

  const reasonsByLineage = new Map<string, { reasons: string[]; refs: string[]; rows: number[] }>();
  const note = (lineage: string, reason: string | undefined, refs: string[], row: number | undefined) => {
    const entry = reasonsByLineage.get(lineage) ?? { reasons: [], refs: [], rows: [] };
    if (reason && !entry.reasons.includes(reason)) entry.reasons.push(reason);
    for (const ref of refs) if (!entry.refs.includes(ref)) entry.refs.push(ref);
    if (row !== undefined && !entry.rows.includes(row)) entry.rows.push(row);
    reasonsByLineage.set(lineage, entry);
  };
  for (const step of steps) {
    for (const item of step.items) {
      if (item.change) note(item.lineage, item.change.reason, item.change.reasonRefs, item.change.row);
    }
    for (const removed of step.removed) note(removed.lineage, removed.reason, removed.reasonRefs, removed.row);
  }

  const oldByLineage = new Map(from.items.map((item) => [item.lineage, item]));
  const newLineages = new Set(to.items.map((item) => item.lineage));
  const newByPath = new Map(to.items.map((item) => [item.path, item]));
  const rows: DiffRow[] = [];
  const rowFor = (kind: ChangeKind, oldItem: CatalogItem | undefined, newItem: CatalogItem | undefined): DiffRow => {
    const lineage = (newItem ?? oldItem)!.lineage;
    const recorded = reasonsByLineage.get(lineage);
    const oldText = oldItem?.text ?? null;
    const newText = newItem?.text ?? null;
    let scopeChange: DiffRow['scopeChange'] = null;
    if (oldItem && newItem && scopeKey(oldItem) !== scopeKey(newItem)) {
      const newParent = newItem.parentPath === null ? undefined : newByPath.get(newItem.parentPath);
      const oldParent = newParent ? oldByLineage.get(newParent.lineage) : undefined;
      const isInherited = newParent !== undefined && oldParent !== undefined
        && scopeKey(newParent) === scopeKey(newItem) && scopeKey(oldParent) === scopeKey(oldItem);
      scopeChange = { from: oldItem.scope?.text ?? null, to: newItem.scope?.text ?? null, isInherited };
    }
    return {
      kind,
      lineage,
      path: newItem?.path ?? null,
      oldPath: oldItem?.path ?? null,
      newText,
      oldText,
      newNotInSource: newItem?.notInSource ?? false,
      oldNotInSource: oldItem?.notInSource ?? false,
      reasons: recorded?.reasons ?? [],
      reasonRefs: recorded?.refs ?? [],
      sourceRows: (recorded?.rows ?? []).sort((x, y) => x - y),
      segments: oldText !== null && newText !== null ? diffText(oldText, newText) : [],
      isTextChanged: oldItem !== undefined && newItem !== undefined && isTextChanged(oldItem, newItem),
      scopeChange,
      movedWithParent: [],
    };
  };

  // Removed items are emitted right after the item that preceded them in the older version.
  const removedAfter = new Map<string | null, CatalogItem[]>();
  let previousSurvivor: string | null = null;
  for (const item of from.items) {
    if (newLineages.has(item.lineage)) {
      previousSurvivor = item.lineage;
    } else {
      removedAfter.set(previousSurvivor, [...(removedAfter.get(previousSurvivor) ?? []), item]);
    }
  }
  const emitRemoved = (after: string | null) => {
    for (const item of removedAfter.get(after) ?? []) rows.push(rowFor('removed', item, undefined));
  };
  emitRemoved(null);
  for (const item of to.items) {
    const old = oldByLineage.get(item.lineage);
    if (!old) {
      rows.push(rowFor('added', undefined, item));
    } else {
      const renumbered = old.path !== item.path;
      const recorded = reasonsByLineage.has(item.lineage);
      if (renumbered) {
        rows.push(rowFor('renumbered', old, item));
      } else if (isTextChanged(old, item) || recorded) {
        rows.push(rowFor('changed', old, item));
      }
    }
    emitRemoved(item.lineage);
  }
  const shown = view === 'grouped' ? groupMovedChildren(rows, reasonsByLineage) : rows;
  const counts: Record<ChangeKind, number> = { added: 0, changed: 0, renumbered: 0, removed: 0 };
  for (const row of shown) counts[row.kind] += 1;
  return {
    document: to.document,
    from: fromVersion,
    to: toVersion,
    approval: to.approval ?? null,
    date: to.date,
    titleChange: from.title !== to.title ? { from: from.title, to: to.title, segments: diffText(from.title, to.title) } : null,
    view,
    rows: shown,
    counts,
  };
}

function isTextChanged(older: CatalogItem, newer: CatalogItem): boolean {
  return (older.text ?? null) !== (newer.text ?? null) || older.notInSource !== newer.notInSource;
}

/** Who an item binds, without where the scope is stated (that path moves when items are renumbered). */
function scopeKey(item: CatalogItem): string {
  return item.scope ? JSON.stringify({ when: item.scope.when, text: item.scope.text }) : 'null';
}

/**
 * Folds each renumbered row that has no change of its own (same text, nothing recorded for it, a scope
 * that changed only as its parent's did) and that moved exactly as its nearest shown ancestor moved (7.1.e.a → 7.1.f.a under 7.1.e → 7.1.f)
 * into that ancestor's row.
 */
function groupMovedChildren(rows: DiffRow[], recorded: Map<string, unknown>): DiffRow[] {
  const kept: DiffRow[] = [];
  const byPath = new Map<string, DiffRow>();
  for (const row of rows) {
    const parent = row.kind === 'renumbered' && !row.isTextChanged && !recorded.has(row.lineage)
      ? nearestAncestorRow(row.path!, byPath)
      : undefined;
    const suffix = parent ? row.path!.slice(parent.path!.length) : '';
    // The sub-item's scope may change only as its parent's did (it inherits the parent's scope).
    const isScopeInherited = row.scopeChange === null || row.scopeChange.isInherited;
    if (parent && parent.kind === 'renumbered' && parent.oldPath !== null && row.oldPath === parent.oldPath + suffix && isScopeInherited) {
      const owner = parent;
      owner.movedWithParent.push({ path: row.path!, oldPath: row.oldPath });
      // A folded row's own sub-items fold into the same parent row.
      if (row.path) byPath.set(row.path, owner);
      continue;
    }
    kept.push(row);
    if (row.path) byPath.set(row.path, row);
  }
  return kept;
}

function nearestAncestorRow(path: string, byPath: Map<string, DiffRow>): DiffRow | undefined {
  for (let cut = path.lastIndexOf('.'); cut > 0; cut = path.lastIndexOf('.', cut - 1)) {
    const row = byPath.get(path.slice(0, cut));
    if (row) return row;
  }
  return undefined;
}
