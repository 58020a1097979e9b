/**
 * Which catalog items bind a firm on a given date, and why.
 *
 * For each item: its scope condition is evaluated over the firm's facts in three-valued logic
 * (true / false / unknown); an item under a parent that does not apply does not apply either, unless
 * the parent itself states the exception (CSIM 7.(1): 另 a、b、e 項並適用於所有證券商); an item whose
 * `effective.from` is after the date is not yet in force, and so is (given the versions' dates) an item
 * its version added or amended when the date is before that version's date. MAS items are judged by the
 * firm's apps and their test levels (`app-levels.ts`) instead of a scope. Verdict precedence:
 * not_applicable, then not_in_force, then needs_answer, then applies.
 */
import type { Condition, Cycle, Fact } from '../catalog/schema.ts';
import type { CatalogItem } from '../catalog/resolve.ts';
import { classifyFirm, type FirmClassification, type Tier } from '../firms/classify.ts';
import type { FirmProfile } from '../firms/profile.ts';
import { evaluateAppLevels } from './app-levels.ts';
import { deriveFacts, describeFact, type FirmFacts, type Tri } from './facts.ts';

export type Verdict = 'applies' | 'not_applicable' | 'not_in_force' | 'needs_answer';

export interface ApplicabilityResult {
  id: string;
  versionedId: string;
  lineage: string;
  verdict: Verdict;
  /** Plain zh-TW, citing the scope or effective-date text of the rule. */
  reason: string;
  reasonEn: string;
  cycle: Cycle | null;
  /** The firm's security tier, for items whose duty depends on it (依其所屬資安分級). */
  tier?: Tier | null;
  /** Profile fields to fill in, when the verdict is needs_answer. */
  missingFields: string[];
}

export interface EvaluateOptions {
  /** The day to evaluate on, YYYY-MM-DD or a Date (its UTC day). */
  date: string | Date;
  /** Reuse a classification already computed for the profile. */
  classification?: FirmClassification;
  /**
   * The dates of the catalog versions the items come from. With them, a date before a version's own
   * date is judged as the rules then stood: items that version added or amended (and every item of a
   * document's first version) are not yet in force. Without them, versions are taken as always in force.
   */
  versions?: readonly DatedVersion[];
}

/** A catalog version's name and date (and its base; a version without one is the document's first). */
export interface DatedVersion {
  document: string;
  version: string;
  date: string;
  base?: string | null;
}

/** Item subset the engine reads; a resolved `CatalogItem` satisfies it. */
export type ApplicabilityItem = Pick<
  CatalogItem,
  'id' | 'versionedId' | 'lineage' | 'document' | 'version' | 'path' | 'parentPath' | 'cycle' | 'scope' | 'tierDependent' | 'effective'
> & Partial<Pick<CatalogItem, 'change' | 'levels' | 'code'>>;

const NOUN_EN: Record<Fact, string> = {
  onlineOrdering: 'internet-ordering firms',
  brokerage: 'brokerage firms',
  publicCompany: 'public companies',
  foreign: 'foreign firms',
  type1: 'Type 1 firms',
  cisoRequired: 'firms that must appoint a CISO',
  cloudUser: 'cloud-service users',
  cloudProvider: 'cloud-service providers',
  cloudCritical: 'firms using cloud services for critical systems',
  socialMedia: 'firms running official social media',
  mobileApps: 'firms offering investor mobile apps',
  mobileDevices: 'firms issuing official mobile devices',
  byod: 'firms allowing staff’s own devices',
  iot: 'firms using IoT devices',
  videoIdentityVerification: 'firms verifying identity by video',
  internationalTransfer: 'firms transferring personal data abroad',
  apiServices: 'firms offering API services',
  website: 'firms with an official website',
  electronicTrading: 'firms offering electronic trading',
};

/** English name of the firms a condition covers ("internet-ordering firms"). */
export function describeConditionEn(condition: Condition): string {
  if ('always' in condition) {
    return 'all firms';
  }
  if ('fact' in condition) {
    return NOUN_EN[condition.fact];
  }
  if ('not' in condition) {
    return `firms other than ${describeConditionEn(condition.not)}`;
  }
  if ('all' in condition) {
    return condition.all.map(describeConditionEn).join(' that are also ');
  }
  return condition.any.map(describeConditionEn).join(' or ');
}

interface ConditionOutcome {
  value: Tri;
  /** The facts that decide the value (for the reason). */
  facts: Fact[];
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

/** Kleene three-valued evaluation, keeping the facts that decide the result. */
export function evaluateCondition(condition: Condition, facts: FirmFacts): ConditionOutcome {
  if ('always' in condition) {
    return { value: true, facts: [] };
  }
  if ('fact' in condition) {
    return { value: facts[condition.fact].value, facts: [condition.fact] };
  }
  if ('not' in condition) {
    const inner = evaluateCondition(condition.not, facts);
    return { value: inner.value === null ? null : !inner.value, facts: inner.facts };
  }
  const isAll = 'all' in condition;
  const parts = (isAll ? condition.all : condition.any).map((part) => evaluateCondition(part, facts));
  const decisive = isAll ? false : true;
  const deciding = parts.filter((part) => part.value === decisive);
  if (deciding.length > 0) {
    return { value: decisive, facts: unique(deciding.flatMap((part) => part.facts)) };
  }
  const unknown = parts.filter((part) => part.value === null);
  if (unknown.length > 0) {
    return { value: null, facts: unique(unknown.flatMap((part) => part.facts)) };
  }
  return { value: !decisive, facts: unique(parts.flatMap((part) => part.facts)) };
}

type ScopeVerdict = 'applies' | 'not_applicable' | 'needs_answer';

interface ScopeOutcome {
  verdict: ScopeVerdict;
  reason: string;
  reasonEn: string;
  missingFields: string[];
}

function toIsoDay(date: string | Date): string {
  const day = typeof date === 'string' ? date.slice(0, 10) : date.toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) {
    throw new RangeError(`date must be YYYY-MM-DD, got ${String(date)}`);
  }
  return day;
}

function scopeKey(scope: NonNullable<ApplicabilityItem['scope']>): string {
  return `${scope.statedAt}\u0000${scope.text}`;
}

function parentKey(item: ApplicabilityItem, path: string | null): string | null {
  return path === null ? null : `${item.document}@${item.version}:${path}`;
}

function parentPathOf(path: string): string | null {
  const cut = path.lastIndexOf('.');
  return cut < 0 ? null : path.slice(0, cut);
}

const ALL_FIRMS: ScopeOutcome = {
  verdict: 'applies',
  reason: '適用所有證券商',
  reasonEn: 'Applies to all firms',
  missingFields: [],
};

/** Evaluate one scope statement over the firm's facts. */
function evaluateScope(scope: NonNullable<ApplicabilityItem['scope']>, facts: FirmFacts): ScopeOutcome {
  const outcome = evaluateCondition(scope.when, facts);
  const verdict: ScopeVerdict = outcome.value === true ? 'applies' : outcome.value === false ? 'not_applicable' : 'needs_answer';
  if (outcome.facts.length === 0) {
    return {
      verdict,
      reason: scope.text,
      reasonEn: `Applies to all firms (the rule says: ${scope.text})`,
      missingFields: [],
    };
  }
  const described = outcome.facts.map((fact) => describeFact(facts[fact]));
  return {
    verdict,
    reason: `${scope.text} — ${described.map((entry) => entry.text).join('；')}`,
    reasonEn: `Applies to ${describeConditionEn(scope.when)} — ${described.map((entry) => entry.textEn).join('; ')}`,
    missingFields: verdict === 'needs_answer' ? unique(outcome.facts).flatMap((fact) => facts[fact].fields) : [],
  };
}

interface VersionGate {
  verdict: 'not_in_force';
  reason: string;
  reasonEn: string;
}

/** Not in force because the version that brought the item's text is younger than the date. */
function gateByVersion(item: ApplicabilityItem, version: DatedVersion | undefined, date: string): VersionGate | null {
  if (!version || date >= version.date) {
    return null;
  }
  const name = `${item.document} ${item.version}`;
  if (!version.base) {
    return {
      verdict: 'not_in_force',
      reason: `尚未生效：${name} 於 ${version.date} 訂定，評估日 ${date} 尚未發布`,
      reasonEn: `Not yet in force on ${date}: ${name} dates from ${version.date}`,
    };
  }
  const kind = item.change?.kind;
  if (kind === 'added') {
    return {
      verdict: 'not_in_force',
      reason: `尚未生效：本條文為 ${name}（${version.date}）新增，評估日 ${date} 尚無此規定`,
      reasonEn: `Not yet in force on ${date}: added by ${name} (${version.date})`,
    };
  }
  if (kind === 'changed' || (kind === 'renumbered' && item.change?.was !== undefined)) {
    return {
      verdict: 'not_in_force',
      reason: `尚未生效：本條文經 ${name}（${version.date}）修正，評估日 ${date} 適用修正前條文（${item.document} ${version.base} 或更早版本）`,
      reasonEn: `Not yet in force on ${date}: amended by ${name} (${version.date}); the text before the amendment (${item.document} ${version.base} or earlier) applied then`,
    };
  }
  return null;
}

/**
 * Evaluate every item for one firm on one date. Items may come from several documents and versions;
 * within a version a parent must come before its children (document order, as the resolver gives).
 */
export function evaluateApplicability(
  items: readonly ApplicabilityItem[],
  profile: FirmProfile,
  options: EvaluateOptions,
): ApplicabilityResult[] {
  const date = toIsoDay(options.date);
  const classification = options.classification ?? classifyFirm(profile);
  const facts = deriveFacts(profile, classification);
  const tier = classification.tier;
  const versionsByName = new Map((options.versions ?? []).map((version) => [`${version.document}@${version.version}`, version]));
  const ownScopeCache = new Map<object, ScopeOutcome>();
  const finalScope = new Map<string, ScopeOutcome>();

  const ownScopeOf = (scope: NonNullable<ApplicabilityItem['scope']>): ScopeOutcome => {
    let cached = ownScopeCache.get(scope);
    if (!cached) {
      cached = evaluateScope(scope, facts);
      ownScopeCache.set(scope, cached);
    }
    return cached;
  };
  // Scope statements of the items seen so far, to tell an item's own scope from an inherited one.
  const scopeKeys = new Map<string, string | null>();

  return items.map((item) => {
    const key = `${item.document}@${item.version}:${item.path}`;
    const parentId = parentKey(item, item.parentPath);
    const own = item.levels ? evaluateAppLevels(item.levels, profile) : item.scope ? ownScopeOf(item.scope) : ALL_FIRMS;
    const itemScopeKey = item.scope ? scopeKey(item.scope) : null;
    scopeKeys.set(key, itemScopeKey);

    // Which ancestor's verdict constrains this item: normally the parent; when the item's scope is an
    // exception stated higher up (7.1.a's 另 a、b、e 項並適用於所有證券商, stated at 7.1), the item
    // escapes the ancestor that states it and is constrained by that ancestor's parent instead.
    let constrainingPath = item.parentPath;
    const inheritsFromParent = parentId !== null && scopeKeys.get(parentId) === itemScopeKey;
    if (item.scope && !inheritsFromParent && item.scope.statedAt !== item.path) {
      const statedAt = item.scope.statedAt;
      if (item.path.startsWith(`${statedAt}.`)) {
        constrainingPath = parentPathOf(statedAt);
      }
    }
    const constraint = constrainingPath === null ? undefined : finalScope.get(parentKey(item, constrainingPath)!);

    let scope = own;
    if (constraint && constraint.verdict !== 'applies' && !(own.verdict === 'not_applicable')) {
      const constrainingId = `${item.document}:${constrainingPath}`;
      scope = {
        verdict: constraint.verdict,
        reason: `上層項目 ${constrainingId} ${constraint.verdict === 'not_applicable' ? '不適用' : '待確認'}：${constraint.reason}`,
        reasonEn: `Parent item ${constrainingId} ${constraint.verdict === 'not_applicable' ? 'does not apply' : 'needs an answer'}: ${constraint.reasonEn}`,
        missingFields: unique([...constraint.missingFields, ...own.missingFields]),
      };
    }
    finalScope.set(key, scope);

    let verdict: Verdict = scope.verdict;
    let reason = scope.reason;
    let reasonEn = scope.reasonEn;
    const effective = item.effective;
    const gate = verdict === 'not_applicable' ? null : gateByVersion(item, versionsByName.get(`${item.document}@${item.version}`), date);
    if (gate) {
      verdict = gate.verdict;
      reason = gate.reason;
      reasonEn = gate.reasonEn;
    } else if (verdict !== 'not_applicable' && effective && date < effective.from) {
      verdict = 'not_in_force';
      reason = `尚未生效：${effective.text}（${effective.from} 起適用，評估日 ${date}）`;
      reasonEn = `Not yet in force on ${date}: in force from ${effective.from} (${effective.text})`;
    } else if (verdict !== 'not_applicable' && effective) {
      const pending = (effective.milestones ?? []).filter((milestone) => date < milestone.from);
      if (pending.length > 0) {
        const next = pending.map((milestone) => `${milestone.label}自 ${milestone.from} 起`).join('、');
        const nextEn = pending.map((milestone) => `${milestone.label} from ${milestone.from}`).join(', ');
        reason = `${reason}；${effective.text}（尚待：${next}）`;
        reasonEn = `${reasonEn}; ${effective.text} (still to come: ${nextEn})`;
      }
    }
    const result: ApplicabilityResult = {
      id: item.id,
      versionedId: item.versionedId,
      lineage: item.lineage,
      verdict,
      reason,
      reasonEn,
      cycle: item.cycle,
      missingFields: verdict === 'needs_answer' ? scope.missingFields : [],
    };
    if (item.tierDependent) {
      result.tier = tier;
      if (verdict === 'applies' || verdict === 'needs_answer') {
        result.reason += tier === null ? '；依所屬資安分級辦理（本公司分級待確認）' : `；依所屬資安分級辦理（本公司第 ${tier} 級）`;
        result.reasonEn += tier === null ? '; scaled to the firm’s security tier (tier not yet known)' : `; scaled to the firm’s security tier (tier ${tier})`;
      }
    }
    return result;
  });
}

export interface ApplicabilityChange {
  lineage: string;
  before: ApplicabilityResult | null;
  after: ApplicabilityResult | null;
}

export interface ApplicabilityComparison {
  /** Applies in B but not in A (including items only in B). */
  newlyApplies: ApplicabilityChange[];
  /** Applied in A but not in B (including items only in A). */
  noLongerApplies: ApplicabilityChange[];
  /** Any other change of verdict (e.g. needs_answer → not_applicable), or an item only on one side. */
  changed: ApplicabilityChange[];
  unchangedCount: number;
}

/**
 * What-if: compare two firms' profiles or two catalog versions (or both), matching items by lineage.
 */
export function compareApplicability(
  itemsA: readonly ApplicabilityItem[],
  profileA: FirmProfile,
  itemsB: readonly ApplicabilityItem[],
  profileB: FirmProfile,
  options: { date: string | Date; dateB?: string | Date; versionsA?: readonly DatedVersion[]; versionsB?: readonly DatedVersion[] },
): ApplicabilityComparison {
  const before = evaluateApplicability(itemsA, profileA, { date: options.date, versions: options.versionsA });
  const after = evaluateApplicability(itemsB, profileB, { date: options.dateB ?? options.date, versions: options.versionsB });
  const beforeByLineage = new Map(before.map((result) => [result.lineage, result]));
  const afterByLineage = new Map(after.map((result) => [result.lineage, result]));
  const lineages = [...beforeByLineage.keys(), ...after.map((result) => result.lineage).filter((lineage) => !beforeByLineage.has(lineage))];
  const comparison: ApplicabilityComparison = { newlyApplies: [], noLongerApplies: [], changed: [], unchangedCount: 0 };
  for (const lineage of lineages) {
    const a = beforeByLineage.get(lineage) ?? null;
    const b = afterByLineage.get(lineage) ?? null;
    const change = { lineage, before: a, after: b };
    const appliedBefore = a?.verdict === 'applies';
    const appliesAfter = b?.verdict === 'applies';
    if (appliesAfter && !appliedBefore) {
      comparison.newlyApplies.push(change);
    } else if (appliedBefore && !appliesAfter) {
      comparison.noLongerApplies.push(change);
    } else if (a?.verdict !== b?.verdict) {
      comparison.changed.push(change);
    } else {
      comparison.unchangedCount += 1;
    }
  }
  return comparison;
}
