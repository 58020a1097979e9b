/**
 * IPv4/IPv6 addresses as inclusive integer ranges, and the set operations the parsers need:
 * CIDR, netmask, Cisco wildcard masks, explicit ranges, union and complement. No regex backtracking:
 * every pattern here is anchored and linear.
 */
import type { AddressSet, BigRange, NumberRange } from './model.ts';

export const IPV4_MAX = 0xffffffff;
export const IPV6_MAX = (1n << 128n) - 1n;

const IPV4_PATTERN = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;

export function parseIpv4(text: string): number | undefined {
  const match = IPV4_PATTERN.exec(text);
  if (!match) {
    return undefined;
  }
  let value = 0;
  for (let index = 1; index <= 4; index += 1) {
    const octet = Number(match[index]);
    if (octet > 255) {
      return undefined;
    }
    value = value * 256 + octet;
  }
  return value;
}

export function parseIpv6(text: string): bigint | undefined {
  if (text.length > 45 || text.length < 2 || !text.includes(':')) {
    return undefined;
  }
  const halves = text.split('::');
  if (halves.length > 2) {
    return undefined;
  }
  const parseGroups = (part: string): number[] | undefined => {
    if (part === '') {
      return [];
    }
    const groups: number[] = [];
    const pieces = part.split(':');
    for (let index = 0; index < pieces.length; index += 1) {
      const piece = pieces[index];
      if (index === pieces.length - 1 && piece.includes('.')) {
        const v4 = parseIpv4(piece);
        if (v4 === undefined) {
          return undefined;
        }
        groups.push(Math.floor(v4 / 65536), v4 % 65536);
      } else if (HEX_GROUP.test(piece)) {
        groups.push(parseInt(piece, 16));
      } else {
        return undefined;
      }
    }
    return groups;
  };
  const head = parseGroups(halves[0]);
  const tail = halves.length === 2 ? parseGroups(halves[1]) : [];
  if (!head || !tail) {
    return undefined;
  }
  const missing = 8 - head.length - tail.length;
  if ((halves.length === 1 && missing !== 0) || (halves.length === 2 && missing < 1)) {
    return undefined;
  }
  const groups = [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  let value = 0n;
  for (const group of groups) {
    value = (value << 16n) | BigInt(group);
  }
  return value;
}

export function formatIpv4(value: number): string {
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
}

export function emptyAddressSet(): AddressSet {
  return { v4: [], v6: [], tags: [] };
}

/** Any IPv4 and any IPv6 address. */
export function anyAddress(): AddressSet {
  return { v4: [{ start: 0, end: IPV4_MAX }], v6: [{ start: 0n, end: IPV6_MAX }], tags: [] };
}

export function anyIpv4(): AddressSet {
  return { v4: [{ start: 0, end: IPV4_MAX }], v6: [], tags: [] };
}

export function anyIpv6(): AddressSet {
  return { v4: [], v6: [{ start: 0n, end: IPV6_MAX }], tags: [] };
}

export function taggedAddress(tag: string): AddressSet {
  return { v4: [], v6: [], tags: [tag] };
}

function ipv4Prefix(address: number, length: number): NumberRange {
  const size = 2 ** (32 - length);
  const start = Math.floor(address / size) * size;
  return { start, end: start + size - 1 };
}

function ipv6Prefix(address: bigint, length: number): BigRange {
  const hostBits = BigInt(128 - length);
  const start = (address >> hostBits) << hostBits;
  return { start, end: start + (1n << hostBits) - 1n };
}

/** Netmask (255.255.255.0) to prefix length, or undefined when not contiguous. */
export function prefixLengthOfNetmask(mask: number): number | undefined {
  for (let length = 0; length <= 32; length += 1) {
    const value = length === 0 ? 0 : IPV4_MAX - (2 ** (32 - length) - 1);
    if (value === mask) {
      return length;
    }
  }
  return undefined;
}

/**
 * "a.b.c.d", "a.b.c.d/len", "a.b.c.d/255.255.255.0", "a-b" ranges and the IPv6 forms. Undefined when
 * the text is not an address.
 */
export function parseAddressText(text: string): AddressSet | undefined {
  const dash = text.indexOf('-');
  if (dash > 0) {
    const first = text.slice(0, dash);
    const last = text.slice(dash + 1);
    const start4 = parseIpv4(first);
    const end4 = parseIpv4(last);
    if (start4 !== undefined && end4 !== undefined && start4 <= end4) {
      return { v4: [{ start: start4, end: end4 }], v6: [], tags: [] };
    }
    const start6 = parseIpv6(first);
    const end6 = parseIpv6(last);
    if (start6 !== undefined && end6 !== undefined && start6 <= end6) {
      return { v4: [], v6: [{ start: start6, end: end6 }], tags: [] };
    }
    return undefined;
  }
  const slash = text.indexOf('/');
  const host = slash >= 0 ? text.slice(0, slash) : text;
  const suffix = slash >= 0 ? text.slice(slash + 1) : undefined;
  const v4 = parseIpv4(host);
  if (v4 !== undefined) {
    let length = 32;
    if (suffix !== undefined) {
      if (/^\d{1,2}$/.test(suffix)) {
        length = Number(suffix);
      } else {
        const mask = parseIpv4(suffix);
        const fromMask = mask === undefined ? undefined : prefixLengthOfNetmask(mask);
        if (fromMask === undefined) {
          return undefined;
        }
        length = fromMask;
      }
      if (length > 32) {
        return undefined;
      }
    }
    return { v4: [ipv4Prefix(v4, length)], v6: [], tags: [] };
  }
  const v6 = parseIpv6(host);
  if (v6 !== undefined) {
    let length = 128;
    if (suffix !== undefined) {
      if (!/^\d{1,3}$/.test(suffix) || Number(suffix) > 128) {
        return undefined;
      }
      length = Number(suffix);
    }
    return { v4: [], v6: [ipv6Prefix(v6, length)], tags: [] };
  }
  return undefined;
}

/** Address and netmask (ASA, FortiOS): contiguous masks only. */
export function parseAddressWithNetmask(address: string, mask: string): AddressSet | undefined {
  const value = parseIpv4(address);
  const maskValue = parseIpv4(mask);
  if (value === undefined || maskValue === undefined) {
    return undefined;
  }
  const length = prefixLengthOfNetmask(maskValue);
  if (length === undefined) {
    return undefined;
  }
  return { v4: [ipv4Prefix(value, length)], v6: [], tags: [] };
}

/** Most ranges a non-contiguous wildcard mask may expand to before it is approximated. */
export const MAX_WILDCARD_RANGES = 256;

/**
 * Cisco wildcard mask (0.0.0.255): the set bits may be anywhere. Contiguous low bits make one range;
 * other set bits multiply it. Returns undefined when the address is not IPv4, or "too-many" when more
 * than MAX_WILDCARD_RANGES ranges would be needed.
 */
export function parseAddressWithWildcard(address: string, wildcard: string): NumberRange[] | 'too-many' | undefined {
  const value = parseIpv4(address);
  const mask = parseIpv4(wildcard);
  if (value === undefined || mask === undefined) {
    return undefined;
  }
  let lowBits = 0;
  while (lowBits < 32 && Math.floor(mask / 2 ** lowBits) % 2 === 1) {
    lowBits += 1;
  }
  const highBitPositions: number[] = [];
  for (let bit = lowBits; bit < 32; bit += 1) {
    if (Math.floor(mask / 2 ** bit) % 2 === 1) {
      highBitPositions.push(bit);
    }
  }
  if (2 ** highBitPositions.length > MAX_WILDCARD_RANGES) {
    return 'too-many';
  }
  const blockSize = 2 ** lowBits;
  // Clear every wildcard bit of the base address.
  let base = value;
  for (let bit = 0; bit < 32; bit += 1) {
    if (Math.floor(mask / 2 ** bit) % 2 === 1 && Math.floor(base / 2 ** bit) % 2 === 1) {
      base -= 2 ** bit;
    }
  }
  const ranges: NumberRange[] = [];
  for (let combination = 0; combination < 2 ** highBitPositions.length; combination += 1) {
    let start = base;
    highBitPositions.forEach((bit, index) => {
      if (Math.floor(combination / 2 ** index) % 2 === 1) {
        start += 2 ** bit;
      }
    });
    ranges.push({ start, end: start + blockSize - 1 });
  }
  return normalizeRanges(ranges);
}

/** Sorts and merges overlapping or adjacent ranges. */
export function normalizeRanges(ranges: NumberRange[]): NumberRange[] {
  if (ranges.length <= 1) {
    return ranges.map((range) => ({ ...range }));
  }
  const sorted = [...ranges].sort((left, right) => left.start - right.start);
  const merged: NumberRange[] = [{ ...sorted[0] }];
  for (let index = 1; index < sorted.length; index += 1) {
    const last = merged[merged.length - 1];
    const range = sorted[index];
    if (range.start <= last.end + 1) {
      last.end = Math.max(last.end, range.end);
    } else {
      merged.push({ ...range });
    }
  }
  return merged;
}

export function normalizeBigRanges(ranges: BigRange[]): BigRange[] {
  if (ranges.length <= 1) {
    return ranges.map((range) => ({ ...range }));
  }
  const sorted = [...ranges].sort((left, right) => (left.start < right.start ? -1 : left.start > right.start ? 1 : 0));
  const merged: BigRange[] = [{ ...sorted[0] }];
  for (let index = 1; index < sorted.length; index += 1) {
    const last = merged[merged.length - 1];
    const range = sorted[index];
    if (range.start <= last.end + 1n) {
      last.end = range.end > last.end ? range.end : last.end;
    } else {
      merged.push({ ...range });
    }
  }
  return merged;
}

export function unionAddressSets(sets: AddressSet[]): AddressSet {
  return {
    v4: normalizeRanges(sets.flatMap((set) => set.v4)),
    v6: normalizeBigRanges(sets.flatMap((set) => set.v6)),
    tags: [...new Set(sets.flatMap((set) => set.tags))].sort(),
  };
}

export function complementRanges(ranges: NumberRange[], max: number): NumberRange[] {
  const result: NumberRange[] = [];
  let next = 0;
  for (const range of normalizeRanges(ranges)) {
    if (range.start > next) {
      result.push({ start: next, end: range.start - 1 });
    }
    next = range.end + 1;
  }
  if (next <= max) {
    result.push({ start: next, end: max });
  }
  return result;
}

function complementBigRanges(ranges: BigRange[]): BigRange[] {
  const result: BigRange[] = [];
  let next = 0n;
  for (const range of normalizeBigRanges(ranges)) {
    if (range.start > next) {
      result.push({ start: next, end: range.start - 1n });
    }
    next = range.end + 1n;
  }
  if (next <= IPV6_MAX) {
    result.push({ start: next, end: IPV6_MAX });
  }
  return result;
}

/**
 * Every address not in the set, within the families given (a negated IPv4 match in an IPv4-only
 * list stays IPv4). A set with tags cannot be complemented exactly: the tags are kept, prefixed "not ".
 */
export function complementAddressSet(set: AddressSet, families: { v4: boolean; v6: boolean }): AddressSet {
  return {
    v4: families.v4 ? complementRanges(set.v4, IPV4_MAX) : [],
    v6: families.v6 ? complementBigRanges(set.v6) : [],
    tags: set.tags.map((tag) => `not ${tag}`),
  };
}

/** True when the set holds every IPv4 or every IPv6 address and no unresolved names. */
export function isAnyAddress(set: AddressSet): boolean {
  if (set.tags.length > 0) {
    return false;
  }
  const allV4 = set.v4.length === 1 && set.v4[0].start === 0 && set.v4[0].end === IPV4_MAX;
  const allV6 = set.v6.length === 1 && set.v6[0].start === 0n && set.v6[0].end === IPV6_MAX;
  return allV4 || allV6;
}

export function isEmptyAddressSet(set: AddressSet): boolean {
  return set.v4.length === 0 && set.v6.length === 0 && set.tags.length === 0;
}

/** Short human form for messages: "any", "10.0.0.0-10.0.0.255", "VirtualNetwork". */
export function describeAddressSet(set: AddressSet): string {
  if (isAnyAddress(set) && set.v4.length + set.v6.length === 2) {
    return 'any';
  }
  const parts: string[] = set.v4.slice(0, 3).map((range) =>
    range.start === range.end ? formatIpv4(range.start) : `${formatIpv4(range.start)}-${formatIpv4(range.end)}`,
  );
  if (set.v4.length > 3) {
    parts.push(`…(+${set.v4.length - 3})`);
  }
  if (set.v6.length > 0) {
    parts.push(`${set.v6.length} IPv6 range(s)`);
  }
  parts.push(...set.tags);
  return parts.join(', ') || 'none';
}
