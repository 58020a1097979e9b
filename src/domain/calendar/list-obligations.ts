/**
 * A firm's recurring obligations due in one calendar year: every occurrence of an obligation in
 * `OBLIGATIONS` whose due date falls in the year and one of whose items applies to the firm on that
 * date. Pass one version per document (e.g. CSIM 112, NET, ETECH 111.09).
 */
import type { CatalogItem } from '../catalog/resolve.ts';
import { deriveFacts } from '../applicability/facts.ts';
import { evaluateApplicability, type ApplicabilityItem, type ApplicabilityResult } from '../applicability/evaluate.ts';
import { classifyFirm } from '../firms/classify.ts';
import type { FirmProfile } from '../firms/profile.ts';
import { OBLIGATIONS, type ObligationDefinition, type ObligationFrequency } from './obligations.ts';
import { buildInspectionPeriods, endOfMonthAfter } from './periods.ts';

/** Fiscal year end used when the profile gives none (the calendar year). */
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
  /** Ids of the items it comes from that apply to the firm (current numbering, e.g. CSIM:7.1.f.h). */
  itemIds: string[];
  /** Why it applies: the first applying item's reason. */
  reason: string;
  reasonEn: string;
  note?: string;
  noteEn?: string;
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

export function listObligations(
  profile: FirmProfile,
  items: readonly ApplicabilityItem[],
  year: number,
  obligations: readonly ObligationDefinition[] = OBLIGATIONS,
): ObligationOccurrence[] {
  const fiscalYearEnd = profile.fiscalYearEnd ?? DEFAULT_FISCAL_YEAR_END;
  const classification = classifyFirm(profile);
  const facts = deriveFacts(profile, classification);
  const verdictsByDate = new Map<string, Map<string, ApplicabilityResult>>();
  const verdictsOn = (date: string) => {
    let verdicts = verdictsByDate.get(date);
    if (!verdicts) {
      const results = evaluateApplicability(items, profile, { date, classification });
      verdicts = new Map(results.map((result) => [result.versionedId, result]));
      verdictsByDate.set(date, verdicts);
    }
    return verdicts;
  };

  const occurrences: (ObligationOccurrence & { order: number })[] = [];
  obligations.forEach((definition, order) => {
    if (definition.requiresFact && facts[definition.requiresFact].value !== true) {
      return;
    }
    const sources = items.filter((item) => definition.items.some((reference) => matchesReference(item, reference)));
    if (sources.length === 0) {
      return;
    }
    for (const occurrence of listOccurrences(definition, year, fiscalYearEnd)) {
      const verdicts = verdictsOn(occurrence.due);
      const applying = sources
        .map((item) => verdicts.get(item.versionedId)!)
        .filter((result) => result.verdict === 'applies');
      if (applying.length === 0) {
        continue;
      }
      occurrences.push({
        order,
        obligationId: definition.id,
        title: definition.title,
        titleEn: definition.titleEn,
        frequency: definition.frequency,
        ...occurrence,
        itemIds: [...new Set(applying.map((result) => result.id))],
        reason: applying[0].reason,
        reasonEn: applying[0].reasonEn,
        ...(definition.note ? { note: definition.note, noteEn: definition.noteEn } : {}),
      });
    }
  });
  return occurrences
    .sort((a, b) => (a.due === b.due ? a.order - b.order : a.due < b.due ? -1 : 1))
    .map(({ order: _order, ...occurrence }) => occurrence);
}
