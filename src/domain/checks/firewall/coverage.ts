/**
 * Exact rule coverage: is a rule's match space covered by the union of earlier rules? Each rule is a
 * union of boxes over five dimensions (protocol, source address, destination address, source port,
 * destination port). Addresses are coordinate-compressed over the chain's own range endpoints, so
 * every dimension is a small integer interval and IPv4/IPv6 live in disjoint index ranges.
 *
 * For each rule we find the earlier rules whose boxes can intersect it through an interval index on the
 * most selective of source, destination and destination port (overlap counts come from two binary
 * searches), then subtract their boxes in order (first-match semantics) until nothing remains. That
 * tells both whether the rule can ever match and which actions decide the traffic it names. Work is
 * bounded: a rule that needs more than the per-rule budget gets status "unknown".
 */
import type { FirewallRule, RuleAction, RuleChain } from './model.ts';

export type CoverageStatus = 'reachable' | 'redundant' | 'shadowed' | 'unknown' | 'skipped';

export interface RuleCoverage {
  status: CoverageStatus;
  /** Indexes (0-based, in chain order) of the rules that take the traffic first; at most 10. */
  coveredBy: number[];
  /** Why the status is unknown. */
  reason?: string;
}

export interface CoverageReport {
  results: RuleCoverage[];
  /** Box operations performed (a measure of the work). */
  work: number;
  /** Index of the first rule left unanalysed because the chain budget ran out. */
  stoppedAt?: number;
}

export interface CoverageLimits {
  /** Most boxes a single rule may expand to (product of its ranges). */
  maxBoxesPerRule: number;
  /** Most box operations for one rule before it is reported unknown. */
  maxWorkPerRule: number;
  /** Most pieces the uncovered remainder of a rule may split into. */
  maxRemainderPieces: number;
  /** Most operations for a whole chain; the rules after that point are not analysed. */
  maxWorkPerChain: number;
}

export const DEFAULT_COVERAGE_LIMITS: CoverageLimits = {
  maxBoxesPerRule: 4096,
  maxWorkPerRule: 400_000,
  maxRemainderPieces: 20_000,
  maxWorkPerChain: 15_000_000,
};

const DIMENSIONS = 5;
const WIDTH = DIMENSIONS * 2;
// Box layout: [protoLo, protoHi, srcLo, srcHi, dstLo, dstHi, sportLo, sportHi, dportLo, dportHi), half-open.
const INDEXED_DIMENSIONS = [1, 2, 4] as const;

const ACTION_BITS: Record<RuleAction, number> = { permit: 1, deny: 2, return: 4, other: 8 };

function isTerminal(action: RuleAction): boolean {
  return action === 'permit' || action === 'deny' || action === 'return';
}

function lowerBound(values: ArrayLike<number>, target: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (values[middle] < target) {
      low = middle + 1;
    } else {
      high = middle;
    }
  }
  return low;
}

function upperBound(values: ArrayLike<number>, target: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (values[middle] <= target) {
      low = middle + 1;
    } else {
      high = middle;
    }
  }
  return low;
}

function lowerBoundBig(values: bigint[], target: bigint): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (values[middle] < target) {
      low = middle + 1;
    } else {
      high = middle;
    }
  }
  return low;
}

interface AddressDimension {
  v4: Array<[number, number]>;
  v6: Array<[bigint, bigint]>;
}

interface PreparedRule {
  boxes: Int32Array | undefined;
  boxCount: number;
  qualifiers: string[];
  signature: string;
  bounds: Int32Array;
  unknownReason?: string;
}

/** Address set of a rule as ranges for the box product; tags make it "anything" plus a qualifier. */
function addressDimension(rule: FirewallRule, side: 'source' | 'destination', qualifiers: string[]): AddressDimension {
  const set = rule[side];
  if (set.tags.length > 0) {
    qualifiers.push(
      `${side}:${set.tags.join(',')}|${set.v4.map((range) => `${range.start}-${range.end}`).join(',')}|${set.v6.length}`,
    );
    return { v4: [[0, 0xffffffff]], v6: [[0n, (1n << 128n) - 1n]] };
  }
  return {
    v4: set.v4.map((range) => [range.start, range.end]),
    v6: set.v6.map((range) => [range.start, range.end]),
  };
}

function sortUniqueNumbers(values: number[]): Float64Array {
  const sorted = Float64Array.from(values).sort();
  let length = 0;
  for (let index = 0; index < sorted.length; index += 1) {
    if (index === 0 || sorted[index] !== sorted[length - 1]) {
      sorted[length] = sorted[index];
      length += 1;
    }
  }
  return sorted.subarray(0, length);
}

function sortUniqueBig(values: bigint[]): bigint[] {
  const sorted = [...values].sort((left, right) => (left < right ? -1 : left > right ? 1 : 0));
  const unique: bigint[] = [];
  for (const value of sorted) {
    if (unique.length === 0 || unique[unique.length - 1] !== value) {
      unique.push(value);
    }
  }
  return unique;
}

const NO_QUALIFIERS: string[] = [];
const QUALIFIER_SEPARATOR = '\u0001';
/** Rules with more qualifiers than this only meet coverers with no qualifiers or the same ones. */
const QUALIFIER_SUBSET_LIMIT = 4;
/** Above this many overlapping rules the corner test runs before box subtraction. */
const WITNESS_THRESHOLD = 16;

/** FNV-1a over the box coordinates; equal signatures are confirmed with isSameRegion. */
function hashBoxes(boxes: Int32Array): string {
  let first = 0x811c9dc5;
  let second = 0x01000193;
  for (let index = 0; index < boxes.length; index += 1) {
    first = Math.imul(first ^ boxes[index], 0x01000193) >>> 0;
    second = Math.imul(second ^ (boxes[index] + index), 0x5bd1e995) >>> 0;
  }
  return `${first.toString(36)}.${second.toString(36)}`;
}

function isSameRegion(left: PreparedRule, right: PreparedRule): boolean {
  if (!left.boxes || !right.boxes || left.boxes.length !== right.boxes.length || left.qualifiers.length !== right.qualifiers.length) {
    return false;
  }
  for (let index = 0; index < left.boxes.length; index += 1) {
    if (left.boxes[index] !== right.boxes[index]) {
      return false;
    }
  }
  return left.qualifiers.every((qualifier, index) => qualifier === right.qualifiers[index]);
}

function qualifierSubsetKeys(qualifiers: string[]): string[] {
  if (qualifiers.length === 0) {
    return [''];
  }
  if (qualifiers.length > QUALIFIER_SUBSET_LIMIT) {
    return ['', qualifiers.join(QUALIFIER_SEPARATOR)];
  }
  const keys: string[] = [];
  for (let mask = 0; mask < 1 << qualifiers.length; mask += 1) {
    keys.push(qualifiers.filter((_, index) => (mask & (1 << index)) !== 0).join(QUALIFIER_SEPARATOR));
  }
  return keys;
}

/** Corners tried by the witness test: all low, all high, and two alternating mixes. */
const WITNESS_CORNERS = [0, (1 << DIMENSIONS) - 1, 0b10101, 0b01010];

/**
 * Is some corner of the rule's first boxes outside every coverer box? A cheap test that settles most
 * rules that are not covered; a "no" proves nothing, so only a few corners are tried.
 */
function hasUncoveredCorner(boxes: Int32Array, coverers: number[], prepared: PreparedRule[]): { isFound: boolean; work: number } {
  let work = 0;
  const point = new Int32Array(DIMENSIONS);
  for (let offset = 0; offset < boxes.length && offset < WIDTH * 2; offset += WIDTH) {
    for (const corner of WITNESS_CORNERS) {
      for (let dimension = 0; dimension < DIMENSIONS; dimension += 1) {
        point[dimension] = (corner & (1 << dimension)) !== 0 ? boxes[offset + dimension * 2 + 1] - 1 : boxes[offset + dimension * 2];
      }
      let isCovered = false;
      for (const other of coverers) {
        const otherBoxes = prepared[other].boxes!;
        for (let at = 0; at < otherBoxes.length && !isCovered; at += WIDTH) {
          work += 1;
          let isInside = true;
          for (let dimension = 0; dimension < DIMENSIONS; dimension += 1) {
            const value = point[dimension];
            if (value < otherBoxes[at + dimension * 2] || value >= otherBoxes[at + dimension * 2 + 1]) {
              isInside = false;
              break;
            }
          }
          isCovered = isInside;
        }
        if (isCovered) {
          break;
        }
      }
      if (!isCovered) {
        return { isFound: true, work };
      }
    }
  }
  return { isFound: false, work };
}

function prepareRules(rules: FirewallRule[], limits: CoverageLimits): PreparedRule[] {
  const addresses = rules.map((rule) => {
    const qualifiers = [...rule.qualifiers];
    for (const service of rule.services) {
      if (service.detail) {
        qualifiers.push(`service-detail:${service.detail}`);
      }
    }
    const source = addressDimension(rule, 'source', qualifiers);
    const destination = addressDimension(rule, 'destination', qualifiers);
    return { source, destination, qualifiers: qualifiers.length === 0 ? NO_QUALIFIERS : [...new Set(qualifiers)].sort() };
  });
  const v4Points: number[] = [];
  const v6Points: bigint[] = [];
  for (const { source, destination } of addresses) {
    for (const side of [source, destination]) {
      for (const [start, end] of side.v4) {
        v4Points.push(start, end + 1);
      }
      for (const [start, end] of side.v6) {
        v6Points.push(start, end + 1n);
      }
    }
  }
  const v4Axis = sortUniqueNumbers(v4Points);
  const v6Axis = sortUniqueBig(v6Points);
  const v6Offset = v4Axis.length;
  const compressInto = (side: AddressDimension, v4: number[], v6: number[]): void => {
    for (const [start, end] of side.v4) {
      v4.push(lowerBound(v4Axis, start), lowerBound(v4Axis, end + 1));
    }
    for (const [start, end] of side.v6) {
      v6.push(v6Offset + lowerBoundBig(v6Axis, start), v6Offset + lowerBoundBig(v6Axis, end + 1n));
    }
  };
  const flatten = (ranges: { start: number; end: number }[]): number[] => {
    const flat: number[] = [];
    for (const range of ranges) {
      flat.push(range.start, range.end + 1);
    }
    return flat;
  };

  return rules.map((rule, index) => {
    const { source, destination, qualifiers } = addresses[index];
    const sources: [number[], number[]] = [[], []];
    const destinations: [number[], number[]] = [[], []];
    compressInto(source, sources[0], sources[1]);
    compressInto(destination, destinations[0], destinations[1]);
    const services = rule.services.map((service) => [
      flatten(service.protocols),
      flatten(service.sourcePorts),
      flatten(service.destinationPorts),
    ]);
    const bounds = new Int32Array(WIDTH);
    for (let dimension = 0; dimension < DIMENSIONS; dimension += 1) {
      bounds[dimension * 2] = 2 ** 31 - 1;
      bounds[dimension * 2 + 1] = -1;
    }
    let count = 0;
    for (let family = 0; family < 2; family += 1) {
      for (const [protocols, sourcePorts, destinationPorts] of services) {
        count +=
          (sources[family].length / 2) *
          (destinations[family].length / 2) *
          (protocols.length / 2) *
          (sourcePorts.length / 2) *
          (destinationPorts.length / 2);
      }
    }
    const prepared: PreparedRule = { boxes: undefined, boxCount: count, qualifiers, signature: '', bounds };
    if (count > limits.maxBoxesPerRule) {
      prepared.unknownReason = `rule expands to ${count} boxes (limit ${limits.maxBoxesPerRule})`;
      return prepared;
    }
    const boxes = new Int32Array(count * WIDTH);
    let offset = 0;
    const write = (dimension: number, low: number, high: number) => {
      boxes[offset + dimension * 2] = low;
      boxes[offset + dimension * 2 + 1] = high;
      if (low < bounds[dimension * 2]) {
        bounds[dimension * 2] = low;
      }
      if (high > bounds[dimension * 2 + 1]) {
        bounds[dimension * 2 + 1] = high;
      }
    };
    for (let family = 0; family < 2; family += 1) {
      const familySources = sources[family];
      const familyDestinations = destinations[family];
      for (const [protocols, sourcePorts, destinationPorts] of services) {
        for (let p = 0; p < protocols.length; p += 2) {
          for (let s = 0; s < familySources.length; s += 2) {
            for (let d = 0; d < familyDestinations.length; d += 2) {
              for (let sp = 0; sp < sourcePorts.length; sp += 2) {
                for (let dp = 0; dp < destinationPorts.length; dp += 2) {
                  write(0, protocols[p], protocols[p + 1]);
                  write(1, familySources[s], familySources[s + 1]);
                  write(2, familyDestinations[d], familyDestinations[d + 1]);
                  write(3, sourcePorts[sp], sourcePorts[sp + 1]);
                  write(4, destinationPorts[dp], destinationPorts[dp + 1]);
                  offset += WIDTH;
                }
              }
            }
          }
        }
      }
    }
    prepared.boxes = boxes;
    prepared.signature = `${qualifiers.join(QUALIFIER_SEPARATOR)}\u0002${boxes.length}:${hashBoxes(boxes)}`;
    return prepared;
  });
}

const ID_SPACE = 2 ** 24;

/** Static interval index over one dimension of the coverer rules. */
class IntervalIndex {
  private readonly order: Int32Array;
  private readonly starts: Float64Array;
  private readonly endsSorted: Float64Array;
  private readonly maxEnd: Float64Array;
  /** Smallest rule id under each node, to skip subtrees of later rules. */
  private readonly minId: Float64Array;
  private readonly size: number;

  constructor(
    ruleIds: number[],
    private readonly lows: Int32Array,
    private readonly highs: Int32Array,
  ) {
    // Sort ids by low end without a comparator: pack (low, id) into one exact float.
    const order =
      ruleIds.length < ID_SPACE
        ? Int32Array.from(Float64Array.from(ruleIds, (id) => lows[id] * ID_SPACE + id).sort(), (key) => key % ID_SPACE)
        : Int32Array.from(ruleIds).sort((left, right) => lows[left] - lows[right]);
    this.order = order;
    this.starts = Float64Array.from(order, (id) => lows[id]);
    this.endsSorted = Float64Array.from(order, (id) => highs[id]).sort();
    let size = 1;
    while (size < Math.max(1, order.length)) {
      size *= 2;
    }
    this.size = size;
    this.maxEnd = new Float64Array(size * 2).fill(-1);
    this.minId = new Float64Array(size * 2).fill(Number.POSITIVE_INFINITY);
    for (let position = 0; position < order.length; position += 1) {
      this.maxEnd[size + position] = highs[order[position]];
      this.minId[size + position] = order[position];
    }
    for (let node = size - 1; node >= 1; node -= 1) {
      this.maxEnd[node] = Math.max(this.maxEnd[node * 2], this.maxEnd[node * 2 + 1]);
      this.minId[node] = Math.min(this.minId[node * 2], this.minId[node * 2 + 1]);
    }
  }

  /** How many indexed intervals overlap [low, high). */
  countOverlaps(low: number, high: number): number {
    return lowerBound(this.starts, high) - upperBound(this.endsSorted, low);
  }

  /** Rule ids up to maxId whose interval overlaps [low, high). */
  collectOverlaps(low: number, high: number, maxId: number, into: number[]): void {
    const limit = lowerBound(this.starts, high);
    if (limit === 0) {
      return;
    }
    const stack: number[] = [1, 0, this.size];
    while (stack.length > 0) {
      const nodeHigh = stack.pop()!;
      const nodeLow = stack.pop()!;
      const node = stack.pop()!;
      if (nodeLow >= limit || this.maxEnd[node] <= low || this.minId[node] > maxId) {
        continue;
      }
      if (nodeHigh - nodeLow === 1) {
        into.push(this.order[nodeLow]);
        continue;
      }
      const middle = (nodeLow + nodeHigh) >>> 1;
      stack.push(node * 2, nodeLow, middle, node * 2 + 1, middle, nodeHigh);
    }
  }
}

function boundsIntersect(left: Int32Array, right: Int32Array): boolean {
  for (let dimension = 0; dimension < WIDTH; dimension += 2) {
    if (left[dimension] >= right[dimension + 1] || right[dimension] >= left[dimension + 1]) {
      return false;
    }
  }
  return true;
}

function hasQualifiersOf(coverer: string[], covered: string[]): boolean {
  if (coverer.length === 0) {
    return true;
  }
  return coverer.every((qualifier) => covered.includes(qualifier));
}

/**
 * Subtracts box `cut` (at cutOffset in cutBoxes) from every box in `remaining`; returns the new
 * remainder and whether anything intersected.
 */
function subtractBox(remaining: number[][], cutBoxes: Int32Array, cutOffset: number): { next: number[][]; hit: boolean } {
  const next: number[][] = [];
  let hit = false;
  for (const box of remaining) {
    let intersects = true;
    for (let dimension = 0; dimension < WIDTH; dimension += 2) {
      if (box[dimension] >= cutBoxes[cutOffset + dimension + 1] || cutBoxes[cutOffset + dimension] >= box[dimension + 1]) {
        intersects = false;
        break;
      }
    }
    if (!intersects) {
      next.push(box);
      continue;
    }
    hit = true;
    const core = box.slice();
    for (let dimension = 0; dimension < WIDTH; dimension += 2) {
      const cutLow = cutBoxes[cutOffset + dimension];
      const cutHigh = cutBoxes[cutOffset + dimension + 1];
      if (core[dimension] < cutLow) {
        const piece = core.slice();
        piece[dimension + 1] = cutLow;
        next.push(piece);
        core[dimension] = cutLow;
      }
      if (core[dimension + 1] > cutHigh) {
        const piece = core.slice();
        piece[dimension] = cutHigh;
        next.push(piece);
        core[dimension + 1] = cutHigh;
      }
    }
  }
  return { next, hit };
}

/** Coverage of every rule in the chain. Disabled rules are "skipped" and never cover others. */
export function analyseCoverage(chain: RuleChain, limits: CoverageLimits = DEFAULT_COVERAGE_LIMITS): CoverageReport {
  const rules = chain.rules;
  const prepared = prepareRules(rules, limits);
  const isCoverer = rules.map(
    (rule, index) => rule.isEnabled && isTerminal(rule.action) && prepared[index].boxes !== undefined && prepared[index].boxCount > 0,
  );
  const covererIds: number[] = [];
  isCoverer.forEach((flag, index) => {
    if (flag) {
      covererIds.push(index);
    }
  });
  // One interval index per distinct qualifier set: a coverer's qualifiers must be a subset of the
  // covered rule's, so a rule only queries the indexes of its qualifier subsets.
  const lowsByDimension = new Map<number, Int32Array>();
  const highsByDimension = new Map<number, Int32Array>();
  for (const dimension of INDEXED_DIMENSIONS) {
    const lows = new Int32Array(rules.length);
    const highs = new Int32Array(rules.length);
    prepared.forEach((rule, index) => {
      lows[index] = rule.bounds[dimension * 2];
      highs[index] = rule.bounds[dimension * 2 + 1];
    });
    lowsByDimension.set(dimension, lows);
    highsByDimension.set(dimension, highs);
  }
  const idsByQualifierKey = new Map<string, number[]>();
  for (const id of covererIds) {
    const key = prepared[id].qualifiers.join(QUALIFIER_SEPARATOR);
    const ids = idsByQualifierKey.get(key) ?? [];
    ids.push(id);
    idsByQualifierKey.set(key, ids);
  }
  const indexesByQualifierKey = new Map<string, Array<{ dimension: number; index: IntervalIndex }>>();
  for (const [key, ids] of idsByQualifierKey) {
    indexesByQualifierKey.set(
      key,
      INDEXED_DIMENSIONS.map((dimension) => ({
        dimension,
        index: new IntervalIndex(ids, lowsByDimension.get(dimension)!, highsByDimension.get(dimension)!),
      })),
    );
  }

  const results: RuleCoverage[] = [];
  const earlierActions = new Int32Array(rules.length);
  const firstBySignature = new Map<string, number>();
  let work = 0;

  for (let ruleIndex = 0; ruleIndex < rules.length; ruleIndex += 1) {
    if (work > limits.maxWorkPerChain) {
      for (let rest = ruleIndex; rest < rules.length; rest += 1) {
        results.push({ status: rules[rest].isEnabled ? 'unknown' : 'skipped', coveredBy: [], reason: 'chain budget exhausted' });
      }
      return { results, work, stoppedAt: ruleIndex };
    }
    const rule = rules[ruleIndex];
    const current = prepared[ruleIndex];
    if (!rule.isEnabled) {
      results.push({ status: 'skipped', coveredBy: [] });
      continue;
    }
    if (!current.boxes) {
      results.push({ status: 'unknown', coveredBy: [], reason: current.unknownReason });
      continue;
    }
    if (current.boxCount === 0) {
      // Matches nothing (an empty object group or service list): it can never match.
      results.push({ status: 'unknown', coveredBy: [], reason: 'the rule matches nothing (empty address object, group or service)' });
      continue;
    }
    const ownBit = ACTION_BITS[rule.action];
    const twin = firstBySignature.get(current.signature);
    if (twin !== undefined && isSameRegion(prepared[twin], current)) {
      earlierActions[ruleIndex] = earlierActions[twin] | ACTION_BITS[rules[twin].action];
      const coveredBy = [...(results[twin].coveredBy ?? []), twin].slice(-10);
      const isShadowed = (earlierActions[ruleIndex] & ~ownBit) !== 0 || !isTerminal(rule.action);
      results.push({ status: isShadowed ? 'shadowed' : 'redundant', coveredBy });
      work += 1;
      continue;
    }

    const candidates: number[] = [];
    for (const key of qualifierSubsetKeys(current.qualifiers)) {
      const indexes = indexesByQualifierKey.get(key);
      if (!indexes) {
        continue;
      }
      // The indexed dimension with the fewest overlapping coverers.
      let best = indexes[0];
      let bestCount = Number.POSITIVE_INFINITY;
      for (const candidate of indexes) {
        const count = candidate.index.countOverlaps(current.bounds[candidate.dimension * 2], current.bounds[candidate.dimension * 2 + 1]);
        if (count < bestCount) {
          bestCount = count;
          best = candidate;
        }
      }
      best.index.collectOverlaps(
        current.bounds[best.dimension * 2],
        current.bounds[best.dimension * 2 + 1],
        chain.isOrdered ? ruleIndex - 1 : Number.POSITIVE_INFINITY,
        candidates,
      );
    }
    let ruleWork = candidates.length;
    const coverers: number[] = [];
    for (const other of candidates) {
      if (other === ruleIndex) {
        continue;
      }
      if (chain.isOrdered ? other > ruleIndex : other > ruleIndex && prepared[other].signature === current.signature && isSameRegion(prepared[other], current)) {
        continue;
      }
      if (!boundsIntersect(prepared[other].bounds, current.bounds)) {
        continue;
      }
      if (!hasQualifiersOf(prepared[other].qualifiers, current.qualifiers)) {
        continue;
      }
      coverers.push(other);
    }
    coverers.sort((left, right) => left - right);
    if (coverers.length > WITNESS_THRESHOLD) {
      // Many overlapping rules: first look for a corner of the rule that none of them covers. Wide
      // rules (a final catch-all) are usually decided here without splitting boxes.
      const witness = hasUncoveredCorner(current.boxes, coverers, prepared);
      ruleWork += witness.work;
      if (witness.isFound) {
        work += ruleWork;
        earlierActions[ruleIndex] = 0;
        if (isCoverer[ruleIndex] && !firstBySignature.has(current.signature)) {
          firstBySignature.set(current.signature, ruleIndex);
        }
        results.push({ status: 'reachable', coveredBy: [] });
        continue;
      }
    }

    let remaining: number[][] = [];
    for (let offset = 0; offset < current.boxes.length; offset += WIDTH) {
      remaining.push(Array.from(current.boxes.subarray(offset, offset + WIDTH)));
    }
    const hits: number[] = [];
    let actions = 0;
    let reason: string | undefined;
    for (const other of coverers) {
      if (remaining.length === 0) {
        break;
      }
      const otherBoxes = prepared[other].boxes!;
      let isHit = false;
      for (let offset = 0; offset < otherBoxes.length && remaining.length > 0; offset += WIDTH) {
        ruleWork += remaining.length;
        const { next, hit } = subtractBox(remaining, otherBoxes, offset);
        remaining = next;
        isHit ||= hit;
      }
      if (isHit) {
        hits.push(other);
        actions |= ACTION_BITS[rules[other].action];
      }
      if (ruleWork > limits.maxWorkPerRule || remaining.length > limits.maxRemainderPieces) {
        reason = `coverage analysis stopped after ${ruleWork} operations (limit ${limits.maxWorkPerRule})`;
        break;
      }
    }
    work += ruleWork;
    earlierActions[ruleIndex] = actions;
    if (isCoverer[ruleIndex] && chain.isOrdered) {
      firstBySignature.set(current.signature, ruleIndex);
    } else if (isCoverer[ruleIndex] && !firstBySignature.has(current.signature)) {
      firstBySignature.set(current.signature, ruleIndex);
    }
    if (reason) {
      results.push({ status: 'unknown', coveredBy: hits.slice(0, 10), reason });
    } else if (remaining.length === 0) {
      const isShadowed = (actions & ~ownBit) !== 0 || !isTerminal(rule.action);
      results.push({ status: isShadowed ? 'shadowed' : 'redundant', coveredBy: hits.slice(0, 10) });
    } else {
      results.push({ status: 'reachable', coveredBy: hits.slice(0, 10) });
    }
  }
  return { results, work };
}
