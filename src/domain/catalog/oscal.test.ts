import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../catalog-files/load-catalog.ts';
import {
  ANJIAN_OSCAL_NS, buildOscalCatalog, controlIdOf, OSCAL_STRING_PATTERN, OSCAL_TOKEN_PATTERN,
  type OscalCatalog, type OscalControl, type OscalPart, type OscalProp,
} from './oscal.ts';
import type { CatalogVersion } from './resolve.ts';

// The rules of the OSCAL 1.1.3 catalog schema that our output exercises, checked here because the
// official schema (tests/conformance/oscal.test.ts) is not always at hand.
const UUID_V4_V5 = /^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[45][0-9A-Fa-f]{3}-[89ABab][0-9A-Fa-f]{3}-[0-9A-Fa-f]{12}$/;
const DATE_TIME_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const ALLOWED = {
  catalog: ['uuid', 'metadata', 'params', 'controls', 'groups', 'back-matter'],
  metadata: ['title', 'published', 'last-modified', 'version', 'oscal-version', 'revisions', 'document-ids', 'props', 'links', 'roles', 'locations', 'parties', 'responsible-parties', 'actions', 'remarks'],
  group: ['id', 'class', 'title', 'params', 'props', 'links', 'parts', 'groups', 'controls'],
  control: ['id', 'class', 'title', 'params', 'props', 'links', 'parts', 'controls'],
  part: ['id', 'name', 'ns', 'class', 'title', 'props', 'prose', 'parts', 'links'],
  prop: ['name', 'uuid', 'ns', 'value', 'class', 'group', 'remarks'],
};

function checkOscalCatalog(document: OscalCatalog): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  const keysWithin = (where: string, value: object, allowed: string[]) => {
    for (const key of Object.keys(value)) if (!allowed.includes(key)) problems.push(`${where}: unexpected ${key}`);
  };
  const token = (where: string, value: unknown) => {
    if (typeof value !== 'string' || !OSCAL_TOKEN_PATTERN.test(value)) problems.push(`${where}: not a token: ${String(value)}`);
  };
  const uniqueId = (where: string, id: string) => {
    token(where, id);
    if (ids.has(id)) problems.push(`${where}: duplicate id ${id}`);
    ids.add(id);
  };
  const checkProps = (where: string, props: OscalProp[] | undefined) => {
    if (props === undefined) return;
    if (props.length === 0) problems.push(`${where}: empty props array`);
    props.forEach((prop, index) => {
      keysWithin(`${where}.props[${index}]`, prop, ALLOWED.prop);
      token(`${where}.props[${index}].name`, prop.name);
      if (prop.class !== undefined) token(`${where}.props[${index}].class`, prop.class);
      if (typeof prop.value !== 'string' || !OSCAL_STRING_PATTERN.test(prop.value)) problems.push(`${where}.props[${index}].value: not a one-line string`);
      if (prop.ns !== undefined && !/^[a-zA-Z][a-zA-Z0-9+.-]*:\S+$/.test(prop.ns)) problems.push(`${where}.props[${index}].ns: not a URI`);
    });
  };
  const checkParts = (where: string, parts: OscalPart[] | undefined) => {
    if (parts === undefined) return;
    if (parts.length === 0) problems.push(`${where}: empty parts array`);
    parts.forEach((part, index) => {
      keysWithin(`${where}.parts[${index}]`, part, ALLOWED.part);
      token(`${where}.parts[${index}].name`, part.name);
      if (part.id !== undefined) uniqueId(`${where}.parts[${index}].id`, part.id);
    });
  };
  const checkControl = (where: string, control: OscalControl) => {
    keysWithin(where, control, ALLOWED.control);
    uniqueId(`${where}.id`, control.id);
    if (typeof control.title !== 'string' || control.title.length === 0) problems.push(`${where}: no title`);
    checkProps(where, control.props);
    checkParts(where, control.parts);
    if (control.controls !== undefined && control.controls.length === 0) problems.push(`${where}: empty controls array`);
    control.controls?.forEach((child, index) => checkControl(`${where}.controls[${index}]`, child));
  };
  keysWithin('$', document, ['catalog']);
  const { catalog } = document;
  keysWithin('catalog', catalog, ALLOWED.catalog);
  if (!UUID_V4_V5.test(catalog.uuid)) problems.push(`catalog.uuid: not a UUID: ${catalog.uuid}`);
  const { metadata } = catalog;
  keysWithin('metadata', metadata, ALLOWED.metadata);
  for (const field of ['title', 'last-modified', 'version', 'oscal-version'] as const) {
    if (typeof metadata[field] !== 'string' || metadata[field].length === 0) problems.push(`metadata.${field}: missing`);
  }
  if (!DATE_TIME_WITH_ZONE.test(metadata['last-modified'])) problems.push('metadata.last-modified: not a date-time with zone');
  checkProps('metadata', metadata.props);
  catalog.groups.forEach((group, index) => {
    keysWithin(`groups[${index}]`, group, ALLOWED.group);
    uniqueId(`groups[${index}].id`, group.id);
    if (group.class !== undefined) token(`groups[${index}].class`, group.class);
    if (!group.title) problems.push(`groups[${index}]: no title`);
    checkProps(`groups[${index}]`, group.props);
    group.controls.forEach((control, controlIndex) => checkControl(`groups[${index}].controls[${controlIndex}]`, control));
  });
  return problems;
}

function flatten(controls: OscalControl[]): OscalControl[] {
  return controls.flatMap((control) => [control, ...flatten(control.controls ?? [])]);
}

const catalog = loadCatalog();
const byName = (document: string, version: string): CatalogVersion => catalog.find((entry) => entry.document === document && entry.version === version)!;
const propValues = (control: OscalControl, name: string) => (control.props ?? []).filter((prop) => prop.name === name).map((prop) => prop.value);

describe('OSCAL catalog export', () => {
  it.each(catalog.map((version) => [`${version.document} ${version.version}`, version] as const))('%s passes the structural checks of the OSCAL 1.1.3 catalog schema', (_name, version) => {
    const exported = buildOscalCatalog(version);
    expect(checkOscalCatalog(exported)).toEqual([]);
    expect(exported.catalog.metadata['oscal-version']).toBe('1.1.3');
    expect(exported.catalog.metadata.version).toBe(version.version);
  });

  it.each(catalog.map((version) => [`${version.document} ${version.version}`, version] as const))('%s has one control per item, nested like the items, with the statement verbatim', (_name, version) => {
    const controls = flatten(buildOscalCatalog(version).catalog.groups.flatMap((group) => group.controls));
    expect(controls.map((control) => control.id).sort()).toEqual(version.items.map((item) => controlIdOf(item)).sort());
    const byId = new Map(controls.map((control) => [control.id, control]));
    for (const item of version.items) {
      const control = byId.get(controlIdOf(item))!;
      const statement = control.parts?.find((part) => part.name === 'statement');
      expect(statement?.prose ?? null).toBe(item.text);
      expect(propValues(control, 'not-in-source')).toEqual(item.notInSource ? ['true'] : []);
      expect(propValues(control, 'lineage')).toEqual([item.lineage]);
      const childIds = (control.controls ?? []).map((child) => child.id);
      expect(childIds).toEqual(version.items.filter((entry) => entry.parentPath === item.path).map((entry) => controlIdOf(entry)));
    }
  });

  it('carries code, cycle, scope and effective dates as namespaced props', () => {
    const controls = flatten(buildOscalCatalog(byName('CSIM', '112')).catalog.groups.flatMap((group) => group.controls));
    const control = controls.find((entry) => entry.id === 'csim-7.1.d')!;
    expect(propValues(control, 'code')).toEqual(['CC-17010']);
    expect(propValues(control, 'cycle')).toEqual(['monthly']);
    expect(propValues(control, 'scope')).toEqual(['適用網際網路下單證券商']);
    expect(propValues(control, 'change')).toEqual(['added']);
    expect(control.props!.find((prop) => prop.name === 'code')!.ns).toBe(ANJIAN_OSCAL_NS);
    const effective = controls.find((entry) => entry.id === 'csim-2.8')!;
    expect(propValues(effective, 'effective-from')).toEqual(['2022-01-31']);
  });

  it('groups MAS by category and marks its levels', () => {
    const exported = buildOscalCatalog(byName('MAS', '3.2'));
    const mas = byName('MAS', '3.2');
    expect(exported.catalog.groups.map((group) => group.title)).toEqual([...new Set(mas.items.map((item) => item.category))]);
    const control = flatten(exported.catalog.groups.flatMap((group) => group.controls)).find((entry) => entry.id === 'mas-6')!;
    const item = mas.items.find((entry) => entry.path === '6')!;
    for (const level of ['L1', 'L2', 'L3', 'F'] as const) {
      expect(propValues(control, `mas-level-${level.toLowerCase()}`)).toEqual([item.levels![level] ? 'required' : 'not-required']);
    }
  });

  it('gives the same uuid for the same content and a different one for another version', () => {
    const first = buildOscalCatalog(byName('CSIM', '112')).catalog.uuid;
    expect(buildOscalCatalog(byName('CSIM', '112')).catalog.uuid).toBe(first);
    expect(buildOscalCatalog(byName('CSIM', '111')).catalog.uuid).not.toBe(first);
  });

  it('the structural check rejects a broken catalog', () => {
    const broken = buildOscalCatalog(byName('NET', '1'));
    broken.catalog.uuid = 'not-a-uuid';
    broken.catalog.groups[0].controls[0].id = '1.bad';
    broken.catalog.groups[0].controls[0].props = [{ name: 'code', value: ' padded ' }];
    expect(checkOscalCatalog(broken)).toEqual(expect.arrayContaining([
      expect.stringContaining('catalog.uuid'),
      expect.stringContaining('not a token: 1.bad'),
      expect.stringContaining('not a one-line string'),
    ]));
  });
});
