/**
 * Maps an inventory row (vendor, product, version) to a product and a release cycle of the lifecycle
 * data. The rules are documented in README.md ("Product-name mapping").
 */

/** Lower-case ASCII slug: `Windows Server 2012 R2` → `windows-server-2012-r2`. */
export function slugify(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/&/g, '-and-')
    .replace(/[^a-z0-9\u4e00-\u9fff]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * Built-in aliases: inventory spellings (slugs) → endoflife.date product ids. An alias applies to the
 * whole slug or to its start (`microsoft-windows-server-2019` → `windows-server-2019`). Aliases only
 * help when the target product is in the imported lifecycle data.
 */
export const PRODUCT_ALIASES: Record<string, string> = {
  'microsoft-windows-server': 'windows-server',
  'ms-windows-server': 'windows-server',
  'win-server': 'windows-server',
  'windows-srv': 'windows-server',
  'microsoft-windows': 'windows',
  'ms-windows': 'windows',
  'red-hat-enterprise-linux': 'rhel',
  'redhat-enterprise-linux': 'rhel',
  'red-hat-linux': 'rhel',
  'redhat-linux': 'rhel',
  'microsoft-sql-server': 'mssqlserver',
  'ms-sql-server': 'mssqlserver',
  'sql-server': 'mssqlserver',
  mssql: 'mssqlserver',
  'pan-os': 'panos',
  'palo-alto-pan-os': 'panos',
  'palo-alto-networks-pan-os': 'panos',
  'fortinet-fortios': 'fortios',
  'forti-os': 'fortios',
  'ios-xe': 'cisco-ios-xe',
  'node-js': 'nodejs',
  node: 'nodejs',
  postgres: 'postgresql',
  'oracle-db': 'oracle-database',
  'vmware-esxi': 'esxi',
  'ubuntu-linux': 'ubuntu',
  'ubuntu-server': 'ubuntu',
  'debian-gnu-linux': 'debian',
  'centos-linux': 'centos',
  'suse-linux-enterprise-server': 'sles',
  'apache-tomcat': 'tomcat',
  'apache-httpd': 'apache-http-server',
  httpd: 'apache-http-server',
  'microsoft-exchange-server': 'msexchange',
  'exchange-server': 'msexchange',
};

export interface ProductMatch {
  /** Product key in the lifecycle data. */
  product: string;
  /** Version text left over from the product name (`Windows Server 2012 R2` → `2012-r2`), if any. */
  versionFromName?: string;
  /** How the match was made, for the finding detail. */
  via: 'explicit' | 'name' | 'vendor-and-name' | 'alias';
}

function applyAliases(slug: string, aliases: Record<string, string>): string | undefined {
  let best: string | undefined;
  for (const [from, to] of Object.entries(aliases)) {
    if ((slug === from || slug.startsWith(`${from}-`)) && (best === undefined || from.length > best.length)) {
      best = from;
    }
  }
  return best === undefined ? undefined : aliases[best] + slug.slice(best.length);
}

function matchSlug(slug: string, products: string[]): { product: string; rest?: string } | undefined {
  let best: string | undefined;
  for (const product of products) {
    if ((slug === product || slug.startsWith(`${product}-`)) && (best === undefined || product.length > best.length)) {
      best = product;
    }
  }
  if (best === undefined) {
    return undefined;
  }
  const rest = slug.slice(best.length + 1);
  return rest === '' ? { product: best } : { product: best, rest };
}

/**
 * Finds the lifecycle product for an inventory row. Order: an explicit `lifecycle_product`; the
 * product name; vendor + product name; the same two through the aliases (user aliases first, then
 * {@link PRODUCT_ALIASES}). Case and punctuation are ignored throughout.
 */
export function matchProduct(
  row: { vendor?: string; product?: string; lifecycleProduct?: string },
  products: string[],
  userAliases: Record<string, string> = {},
): ProductMatch | undefined {
  if (row.lifecycleProduct !== undefined) {
    const slug = slugify(row.lifecycleProduct);
    return products.includes(slug) ? { product: slug, via: 'explicit' } : undefined;
  }
  if (row.product === undefined) {
    return undefined;
  }
  const productSlug = slugify(row.product);
  const vendorSlug = row.vendor === undefined ? '' : slugify(row.vendor);
  const direct: { slug: string; via: ProductMatch['via'] }[] = [{ slug: productSlug, via: 'name' }];
  if (vendorSlug !== '' && !productSlug.startsWith(`${vendorSlug}-`)) {
    direct.push({ slug: `${vendorSlug}-${productSlug}`, via: 'vendor-and-name' });
  }
  const normalizedUserAliases = Object.fromEntries(
    Object.entries(userAliases).map(([from, to]) => [slugify(from), slugify(to)]),
  );
  const aliased = (aliases: Record<string, string>): { slug: string; via: ProductMatch['via'] }[] =>
    direct.flatMap((candidate) => {
      const slug = applyAliases(candidate.slug, aliases);
      return slug === undefined ? [] : [{ slug, via: 'alias' as const }];
    });
  // User aliases first, so a user can redirect a name that happens to exist; built-in aliases last.
  const preferred = [...aliased(normalizedUserAliases), ...direct, ...aliased(PRODUCT_ALIASES)];
  for (const candidate of preferred) {
    const found = matchSlug(candidate.slug, products);
    if (found) {
      return { product: found.product, versionFromName: found.rest, via: candidate.via };
    }
  }
  return undefined;
}

/** Version text normalized like cycles: lower case, no leading `v`, separators as `-` except dots. */
export function normalizeVersion(text: string): string {
  return text
    .normalize('NFKC')
    .trim()
    .toLowerCase()
    .replace(/^(?:version|ver\.?|v)\s*(?=\d)/, '')
    .replace(/[\s_]+/g, '-')
    .replace(/-+/g, '-');
}

/**
 * The cycle a version belongs to: the cycle equal to the version, else the longest cycle the version
 * starts with followed by `.`, `-`, `(` or `+` (7.4.3 → 7.4; `2012 R2` → `2012-R2`; `15.2(7)E3` → 15.2).
 */
export function matchCycle<T extends { cycle: string }>(version: string, cycles: T[]): T | undefined {
  const normalized = normalizeVersion(version);
  if (normalized === '') {
    return undefined;
  }
  let best: T | undefined;
  let bestLength = -1;
  for (const cycle of cycles) {
    const cycleText = normalizeVersion(cycle.cycle);
    if (cycleText === '') {
      continue;
    }
    if (cycleText === normalized) {
      return cycle;
    }
    if (normalized.startsWith(cycleText) && /^[.\-(+]/.test(normalized.slice(cycleText.length)) && cycleText.length > bestLength) {
      best = cycle;
      bestLength = cycleText.length;
    }
  }
  return best;
}

/** Compares dotted versions numerically (7.4.10 > 7.4.9); undefined when either is not dotted numbers. */
export function compareVersions(left: string, right: string): number | undefined {
  const pattern = /^\d+(?:\.\d+)*$/;
  const a = normalizeVersion(left);
  const b = normalizeVersion(right);
  if (!pattern.test(a) || !pattern.test(b)) {
    return undefined;
  }
  const partsA = a.split('.').map(Number);
  const partsB = b.split('.').map(Number);
  for (let index = 0; index < Math.max(partsA.length, partsB.length); index += 1) {
    const difference = (partsA[index] ?? 0) - (partsB[index] ?? 0);
    if (difference !== 0) {
      return Math.sign(difference);
    }
  }
  return 0;
}
