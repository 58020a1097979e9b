/**
 * One catalog version as an OSCAL 1.1.3 catalog (JSON): a group per section (top-level item, or per
 * category for MAS), a control per item with its sub-items as nested controls, the text as the
 * `statement` part, and the catalog's own attributes (code, cycle, scope, effective dates, lineage, MAS
 * levels, …) as props in the anjian namespace. Pure; the identifiers are derived from the content, so
 * exporting the same catalog twice gives the same file.
 */
import { createHash } from 'node:crypto';
import type { CatalogItem, CatalogVersion } from './resolve.ts';

export const OSCAL_VERSION = '1.1.3';
/** Namespace of the props and parts that OSCAL does not define. */
export const ANJIAN_OSCAL_NS = 'urn:anjian:catalog';
/** OSCAL token: a letter or underscore, then letters, digits, `.`, `-`, `_`. */
export const OSCAL_TOKEN_PATTERN = /^(\p{L}|_)(\p{L}|\p{N}|[.\-_])*$/u;
/** OSCAL string: no leading or trailing white space, at least one character, one line. */
export const OSCAL_STRING_PATTERN = /^\S(.*\S)?$/u;

export interface OscalProp {
  name: string;
  value: string;
  ns?: string;
  class?: string;
}

export interface OscalPart {
  id?: string;
  name: string;
  ns?: string;
  title?: string;
  prose?: string;
  props?: OscalProp[];
}

export interface OscalControl {
  id: string;
  class?: string;
  title: string;
  props?: OscalProp[];
  parts?: OscalPart[];
  controls?: OscalControl[];
}

export interface OscalGroup {
  id: string;
  class?: string;
  title: string;
  props?: OscalProp[];
  controls: OscalControl[];
}

export interface OscalCatalog {
  catalog: {
    uuid: string;
    metadata: {
      title: string;
      published?: string;
      'last-modified': string;
      version: string;
      'oscal-version': string;
      props?: OscalProp[];
      remarks?: string;
    };
    groups: OscalGroup[];
  };
}

/** A name-based (version 5) UUID, so the same input always gives the same identifier. */
export function nameBasedUuid(name: string): string {
  const namespace = Buffer.from('6f1b2a8e5c3d4e7f9a0b1c2d3e4f5a6b', 'hex'); // anjian's own namespace
  const bytes = createHash('sha1').update(namespace).update(name, 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Collapses white space so a value fits OSCAL's one-line string type. */
function oneLine(value: string): string {
  return value.replace(/\s+/gu, ' ').trim();
}

function prop(name: string, value: string | null | undefined, options: { core?: boolean; class?: string } = {}): OscalProp[] {
  if (value === null || value === undefined) return [];
  const text = oneLine(value);
  if (text.length === 0) return [];
  return [{ name, value: text, ...(options.core ? {} : { ns: ANJIAN_OSCAL_NS }), ...(options.class ? { class: options.class } : {}) }];
}

/** `CSIM` + `7.1.a.h` → `csim-7.1.a.h` (an OSCAL token, unique within one document version). */
export function controlIdOf(item: Pick<CatalogItem, 'document' | 'path'>): string {
  return `${item.document.toLowerCase()}-${item.path}`;
}

function titleOf(item: CatalogItem): string {
  const label = item.label ?? item.path;
  if (item.title) return oneLine(`${label} ${item.title}`);
  if (item.definition) return oneLine(`${label} ${item.definition.term}`);
  return oneLine(label);
}

function propsOf(item: CatalogItem): OscalProp[] {
  const props: OscalProp[] = [
    ...prop('label', item.label, { core: true }),
    ...prop('sort-id', `${item.document.toLowerCase()}-${String(item.order).padStart(4, '0')}`, { core: true }),
    ...prop('item-id', item.id),
    ...prop('versioned-id', item.versionedId),
    ...prop('lineage', item.lineage),
    ...prop('code', item.code),
    ...prop('cycle', item.cycle),
  ];
  if (item.scope) {
    props.push(...prop('scope', item.scope.text));
    props.push(...prop('scope-condition', JSON.stringify(item.scope.when)));
    props.push(...prop('scope-stated-at', item.scope.statedAt));
  }
  if (item.effective) {
    props.push(...prop('effective-from', item.effective.from));
    props.push(...prop('effective-text', item.effective.text));
    for (const milestone of item.effective.milestones ?? []) {
      props.push(...prop('effective-milestone', milestone.from, { class: milestone.label }));
    }
  }
  if (item.tierDependent) props.push(...prop('tier-dependent', 'true'));
  if (item.levels) {
    for (const level of ['L1', 'L2', 'L3', 'F'] as const) {
      props.push(...prop(`mas-level-${level.toLowerCase()}`, item.levels[level] ? 'required' : 'not-required'));
    }
  }
  props.push(...prop('requirement-code', item.requirementCode));
  props.push(...prop('category', item.category));
  props.push(...prop('defines-term', item.definition?.term));
  if (item.notInSource) props.push(...prop('not-in-source', 'true'));
  if (item.change) {
    props.push(...prop('change', item.change.kind));
    props.push(...prop('changed-from-path', item.change.fromPath));
    props.push(...prop('source-table-row', item.change.row === undefined ? undefined : String(item.change.row)));
  }
  for (const ref of item.refs) props.push(...prop('refers-to', ref));
  props.push(...prop('source-file', item.sourceFile));
  props.push(...prop('source-line', item.sourceLine === null ? undefined : String(item.sourceLine)));
  return props;
}

function partsOf(item: CatalogItem, controlId: string): OscalPart[] {
  const parts: OscalPart[] = [];
  if (item.text !== null) parts.push({ id: `${controlId}_smt`, name: 'statement', prose: item.text });
  if (item.change?.reason) {
    parts.push({ id: `${controlId}_reason`, name: 'amendment-reason', ns: ANJIAN_OSCAL_NS, title: '說明', prose: item.change.reason });
  }
  if (item.note) parts.push({ id: `${controlId}_note`, name: 'editorial-note', ns: ANJIAN_OSCAL_NS, prose: item.note });
  return parts;
}

function controlOf(item: CatalogItem, childrenOf: Map<string, CatalogItem[]>): OscalControl {
  const id = controlIdOf(item);
  const props = propsOf(item);
  const parts = partsOf(item, id);
  const children = (childrenOf.get(item.path) ?? []).map((child) => controlOf(child, childrenOf));
  return {
    id,
    title: titleOf(item),
    ...(props.length ? { props } : {}),
    ...(parts.length ? { parts } : {}),
    ...(children.length ? { controls: children } : {}),
  };
}

/** Sections: one group per top-level item, or per category when the items carry one (MAS). */
function groupsOf(version: CatalogVersion): OscalGroup[] {
  const childrenOf = new Map<string, CatalogItem[]>();
  const roots: CatalogItem[] = [];
  for (const item of version.items) {
    if (item.parentPath === null) {
      roots.push(item);
    } else {
      childrenOf.set(item.parentPath, [...(childrenOf.get(item.parentPath) ?? []), item]);
    }
  }
  const prefix = version.document.toLowerCase();
  const isByCategory = roots.length > 0 && roots.every((item) => item.category !== undefined && !childrenOf.has(item.path));
  if (isByCategory) {
    const groups = new Map<string, OscalGroup>();
    for (const item of roots) {
      const category = item.category!;
      let group = groups.get(category);
      if (!group) {
        group = { id: `${prefix}-group-${groups.size + 1}`, class: 'category', title: category, controls: [] };
        groups.set(category, group);
      }
      group.controls.push(controlOf(item, childrenOf));
    }
    return [...groups.values()];
  }
  return roots.map((item) => ({
    id: `${prefix}-section-${item.path}`,
    class: 'section',
    title: titleOf(item),
    ...(item.code ? { props: prop('code', item.code) } : {}),
    controls: [controlOf(item, childrenOf)],
  }));
}

/** The OSCAL catalog of one document version. */
export function buildOscalCatalog(version: CatalogVersion): OscalCatalog {
  const groups = groupsOf(version);
  const content = JSON.stringify(groups);
  const uuid = nameBasedUuid(`${version.document}@${version.version}\n${createHash('sha256').update(content).digest('hex')}`);
  // The version's date is the day the text took effect or was approved; Taiwan time.
  const stamp = `${version.date}T00:00:00+08:00`;
  const metadataProps: OscalProp[] = [
    ...prop('document', version.document),
    ...prop('approval', version.approval),
    ...prop('base-version', version.base),
    ...prop('source-file', version.sourceFile),
    ...prop('source-column', version.sourceColumn),
    ...prop('item-count', String(version.items.length)),
  ];
  return {
    catalog: {
      uuid,
      metadata: {
        title: `${version.title}（${version.document} ${version.version}）`,
        published: stamp,
        'last-modified': stamp,
        version: version.version,
        'oscal-version': OSCAL_VERSION,
        props: metadataProps,
        ...(version.note ? { remarks: version.note } : {}),
      },
      groups,
    },
  };
}
