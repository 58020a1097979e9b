/**
 * Deficiency counts by section (缺失類別統計): the statistic the exchange's briefing reports
 * (存取控制 CC-18000 30.6%, 系統開發及維護 CC-19000 27.6%, 網路安全管理 CC-17010 20.4%), for one firm
 * or compared across firms. A deficiency counts once, in the section of its first cited item
 * (its category); one that cites no catalogued item is counted as unclassified.
 */

/** The key of deficiencies whose items name no catalogued section. */
export const UNCLASSIFIED = 'unclassified';

export interface SectionCount {
  section: string;
  count: number;
  /** count / all deficiencies counted, or null when there are none. */
  share: number | null;
}

/** The category of a deficiency: the section of its first item that has one. */
export function categorizeDeficiency(itemSections: readonly (string | null)[]): string {
  return itemSections.find((section): section is string => section !== null && section !== '') ?? UNCLASSIFIED;
}

/**
 * Counts deficiencies per section, in the order of `sections` (e.g. CC-11000 … CC-22010), then any
 * other section seen, then unclassified; sections with no deficiency are kept (count 0).
 */
export function countBySection(categories: readonly string[], sections: readonly string[]): SectionCount[] {
  const counts = new Map<string, number>(sections.map((section) => [section, 0]));
  for (const category of categories) counts.set(category, (counts.get(category) ?? 0) + 1);
  const total = categories.length;
  const order = [...sections, ...[...counts.keys()].filter((key) => !sections.includes(key) && key !== UNCLASSIFIED).sort()];
  if (counts.has(UNCLASSIFIED)) order.push(UNCLASSIFIED);
  return order.map((section) => {
    const count = counts.get(section) ?? 0;
    return { section, count, share: total > 0 ? count / total : null };
  });
}

/** The `limit` sections with most deficiencies (ties by section order), as the briefing's 前三大. */
export function rankSections(counts: readonly SectionCount[], limit = 3): SectionCount[] {
  return counts
    .map((entry, index) => ({ entry, index }))
    .filter(({ entry }) => entry.count > 0)
    .sort((a, b) => b.entry.count - a.entry.count || a.index - b.index)
    .slice(0, limit)
    .map(({ entry }) => entry);
}

export interface FirmSectionInput {
  firmId: string;
  name: string;
  /** Category of each deficiency of the firm (see categorizeDeficiency). */
  categories: readonly string[];
  /** Compliance rate per section in the firm's latest self-inspections (null: nothing countable). */
  complianceRates: Readonly<Record<string, number | null>>;
}

export interface SectionComparison {
  sections: string[];
  /** All firms together: the briefing's statistic. */
  overall: SectionCount[];
  top: SectionCount[];
  firms: {
    firmId: string;
    name: string;
    total: number;
    bySection: Record<string, number>;
    complianceRates: Record<string, number | null>;
  }[];
}

/** Compares firms section by section: deficiency counts and compliance rates. */
export function compareFirmsBySection(firms: readonly FirmSectionInput[], sections: readonly string[]): SectionComparison {
  const overall = countBySection(firms.flatMap((firm) => firm.categories), sections);
  const columns = overall.map((entry) => entry.section);
  return {
    sections: columns,
    overall,
    top: rankSections(overall),
    firms: firms.map((firm) => {
      const own = countBySection(firm.categories, columns);
      return {
        firmId: firm.firmId,
        name: firm.name,
        total: firm.categories.length,
        bySection: Object.fromEntries(own.map((entry) => [entry.section, entry.count])),
        complianceRates: Object.fromEntries(columns.map((section) => [section, firm.complianceRates[section] ?? null])),
      };
    }),
  };
}
