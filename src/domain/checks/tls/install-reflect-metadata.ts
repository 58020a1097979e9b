/**
 * @peculiar/x509 resolves its algorithms through tsyringe, which refuses to load without the
 * Reflect metadata API (normally the `reflect-metadata` package, which is not a dependency here).
 * tsyringe only needs define/get metadata, so this installs a minimal WeakMap-backed version when no
 * polyfill is present. Import it before '@peculiar/x509'. Replace with `import 'reflect-metadata'`
 * if that package is ever added.
 */

type MetadataMap = Map<unknown, unknown>;
const store = new WeakMap<object, Map<string | symbol | undefined, MetadataMap>>();

function metadataFor(target: object, property: string | symbol | undefined, create: boolean): MetadataMap | undefined {
  let byProperty = store.get(target);
  if (!byProperty) {
    if (!create) {
      return undefined;
    }
    byProperty = new Map();
    store.set(target, byProperty);
  }
  let metadata = byProperty.get(property);
  if (!metadata && create) {
    metadata = new Map();
    byProperty.set(property, metadata);
  }
  return metadata;
}

const reflect = Reflect as unknown as Record<string, unknown>;
if (typeof reflect.getMetadata !== 'function') {
  const getOwnMetadata = (key: unknown, target: object, property?: string | symbol) =>
    metadataFor(target, property, false)?.get(key);
  const getMetadata = (key: unknown, target: object, property?: string | symbol): unknown => {
    for (let current: object | null = target; current; current = Object.getPrototypeOf(current)) {
      const metadata = metadataFor(current, property, false);
      if (metadata?.has(key)) {
        return metadata.get(key);
      }
    }
    return undefined;
  };
  const defineMetadata = (key: unknown, value: unknown, target: object, property?: string | symbol) => {
    metadataFor(target, property, true)!.set(key, value);
  };
  Object.assign(reflect, {
    getOwnMetadata,
    getMetadata,
    defineMetadata,
    hasMetadata: (key: unknown, target: object, property?: string | symbol) => getMetadata(key, target, property) !== undefined,
    hasOwnMetadata: (key: unknown, target: object, property?: string | symbol) => metadataFor(target, property, false)?.has(key) ?? false,
    metadata: (key: unknown, value: unknown) => (target: object, property?: string | symbol) => defineMetadata(key, value, target, property),
  });
}

export {};
