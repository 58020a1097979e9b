/**
 * A firm's recurring obligations due in one calendar year: every occurrence of an obligation in
 * `OBLIGATIONS` whose due date falls in the year and one of whose items applies to the firm on that
 * date — judged with the profile revision and the catalog versions in force on that date.
 *
 * Never a guess: an occurrence whose items need an answer (or whose required fact is unanswered) is
 * listed with `needsAnswer` and the profile fields to fill in; when the profile gives no fiscal year end,
 * the calendar year is assumed for the dates and every occurrence is flagged with `fiscalYearEnd`.
 */
import type { CatalogItem } from '../catalog/resolve.ts';
import { deriveFacts, type FirmFacts } from '../applicability/facts.ts';
import type { ApplicabilityItem, ApplicabilityResult } from '../applicability/evaluate.ts';
import { classifyFirm } from '../firms/classify.ts';
import type { FirmProfile } from '../firms/profile.ts';
import {
  createApplicabilityTimeline, selectProfileInForce, toSources, type ApplicabilityOnDate, type ApplicabilityTimeline, type CalendarSources,
} from './applicability-timeline.ts';
import { OBLIGATIONS, type ObligationDefinition, type ObligationFrequency } from './obligations.ts';
import { buildInspectionPeriods, endOfMonthAfter } from './periods.ts';

/** Fiscal year end assumed for the dates when the profile gives none (the calendar year); flagged. */
export const DEFAULT_FISCAL_YEAR_END = '12-31';

export interface ObligationOccurrence {
  obligationId: string;
  title: string;
  titleEn: string;
  frequency: ObligationFrequency;
  /** Fiscal period the occurrence covers (`2024`, `2024-H2`, `2024-Q1`). */
  periodId: string;
  periodStart: string;
  periodEnd: string;
  /** YYYY-MM-DD. */
  due: string;
  /** Ids of the items it comes from that apply to the firm (or, when none does yet, that need an answer). */
  itemIds: string[];
  /** Why it applies: the first applying (or needing-an-answer) item's reason. */
  reason: string;
  reasonEn: string;
  /** True when the occurrence depends on an answer the profile does not give yet. */
  needsAnswer: boolean;
  /** Profile fields to fill in (empty unless needsAnswer). */
  missingFields: string[];
  /** The profile revision the occurrence was judged with (null: before the first revision, or none given). */
  profileRevision: number | null;
  note?: string;
  noteEn?: string;
}

export interface FiscalYearEndChoice {
  fiscalYearEnd: string;
  /** False when the profile does not give one and the calendar year is assumed. */
  isKnown: boolean;
}

/**
 * The fiscal year end for the calendar of `year`: the profile revision in force at the end of that
 * calendar year (or the first revision, for a year before it).
 */
export function chooseFiscalYearEnd(sources: CalendarSources, year: number): FiscalYearEndChoice {
  const revision = selectProfileInForce(sources.profiles, `${year}-12-31`) ?? [...sources.profiles].sort((a, b) => a.validFrom.localeCompare(b.validFrom))[0];
  const given = revision?.profile.fiscalYearEnd;
  return given ? { fiscalYearEnd: given, isKnown: true } : { fiscalYearEnd: DEFAULT_FISCAL_YEAR_END, isKnown: false };
}

function matchesReference(item: Pick<CatalogItem, 'id' | 'lineage'>, reference: string): boolean {
  return reference.includes('@') ? item.lineage === reference : item.id === reference;
}

interface Occurrence {
  periodId: string;
  periodStart: string;
  periodEnd: string;
  due: string;
}

function listOccurrences(definition: ObligationDefinition, year: number, fiscalYearEnd: string): Occurrence[] {
  const occurrences: Occurrence[] = [];
  for (const fiscalYear of [year - 1, year, year + 1]) {
    for (const period of buildInspectionPeriods(fiscalYear, definition.frequency, fiscalYearEnd)) {
      const due =
        definition.due.kind === 'periodEnd' ? period.end : endOfMonthAfter(period.end, definition.due.months);
      if (due.startsWith(`${year}-`)) {
        occurrences.push({ periodId: period.id, periodStart: period.start, periodEnd: period.end, due });
      }
    }
  }
  return occurrences;
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

/**
 * `listObligations(profile, items, year)` judges every date with that one profile and item list;
 * `listObligations(sources, year)` uses the profile history and catalog versions in force on each date.
 */
export function listObligations(profile: FirmProfile, items: readonly ApplicabilityItem[], year: number, obligations?: readonly ObligationDefinition[]): ObligationOccurrence[];
export function listObligations(sources: CalendarSources, year: number, obligations?: readonly ObligationDefinition[], timeline?: ApplicabilityTimeline): ObligationOccurrence[];
export function listObligations(
  first: FirmProfile | CalendarSources,
  second: readonly ApplicabilityItem[] | number,
  third?: number | readonly ObligationDefinition[],
  fourth?: readonly ObligationDefinition[] | ApplicabilityTimeline,
): ObligationOccurrence[] {
  const isProfileForm = typeof second !== 'number';
  const sources = isProfileForm ? toSources(first, second) : toSources(first);
  const year = isProfileForm ? (third as number) : second;
  const obligations = (isProfileForm ? (fourth as readonly ObligationDefinition[] | undefined) : (third as readonly ObligationDefinition[] | undefined)) ?? OBLIGATIONS;
  const timeline = (!isProfileForm ? (fourth as ApplicabilityTimeline | undefined) : undefined) ?? createApplicabilityTimeline(sources);
  const fiscalYear = chooseFiscalYearEnd(sources, year);

  const factsCache = new WeakMap<ApplicabilityOnDate, FirmFacts>();
  const factsOf = (at: ApplicabilityOnDate): FirmFacts => {
    let facts = factsCache.get(at);
    if (!facts) {
      facts = deriveFacts(at.profile, classifyFirm(at.profile));
      factsCache.set(at, facts);
    }
    return facts;
  };
  const sourcesCache = new WeakMap<readonly ApplicabilityItem[], Map<string, ApplicabilityItem[]>>();
  const sourcesOf = (at: ApplicabilityOnDate, definition: ObligationDefinition): ApplicabilityItem[] => {
    let byDefinition = sourcesCache.get(at.items);
    if (!byDefinition) {
      byDefinition = new Map();
      sourcesCache.set(at.items, byDefinition);
    }
    let found = byDefinition.get(definition.id);
    if (!found) {
      found = at.items.filter((item) => definition.items.some((reference) => matchesReference(item, reference)));
      byDefinition.set(definition.id, found);
    }
    return found;
  };

  const occurrences: (ObligationOccurrence & { order: number })[] = [];
  obligations.forEach((definition, order) => {
    for (const occurrence of listOccurrences(definition, year, fiscalYear.fiscalYearEnd)) {
      const at = timeline.on(occurrence.due);
      const missing: string[] = [];
      if (definition.requiresFact) {
        const fact = factsOf(at)[definition.requiresFact];
        if (fact.value === false) {
          continue;
        }
        if (fact.value === null) {
          missing.push(...fact.fields);
        }
      }
      const verdicts = sourcesOf(at, definition).map((item) => at.byVersionedId.get(item.versionedId)!);
      const applying = verdicts.filter((result) => result.verdict === 'applies');
      const pending = verdicts.filter((result) => result.verdict === 'needs_answer');
      const shown: ApplicabilityResult[] = applying.length > 0 ? applying : pending;
      if (shown.length === 0) {
        continue;
      }
      if (applying.length === 0) {
        missing.push(...pending.flatMap((result) => result.missingFields));
      }
      if (!fiscalYear.isKnown) {
        missing.push('fiscalYearEnd');
      }
      const needsAnswer = applying.length === 0 || missing.length > 0;
      occurrences.push({
        order,
        obligationId: definition.id,
        title: definition.title,
        titleEn: definition.titleEn,
        frequency: definition.frequency,
        ...occurrence,
        itemIds: unique(shown.map((result) => result.id)),
        reason: shown[0].reason,
        reasonEn: shown[0].reasonEn,
        needsAnswer,
        missingFields: unique(missing),
        profileRevision: at.revision,
        ...(definition.note ? { note: definition.note, noteEn: definition.noteEn } : {}),
      });
    }
  });
  return occurrences
    .sort((a, b) => (a.due === b.due ? a.order - b.order : a.due < b.due ? -1 : 1))
    .map(({ order: _order, ...occurrence }) => occurrence);
}
