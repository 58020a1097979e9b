/**
 * Which version of a document was in force on a date: the latest version dated on or before it; for a
 * date before every version, the earliest (whose items the engine then marks not yet in force).
 */
import type { DatedVersion } from './evaluate.ts';

export function selectVersionInForce<T extends DatedVersion>(versions: readonly T[], document: string, date: string): T | undefined {
  const ofDocument = versions.filter((version) => version.document === document).sort((a, b) => a.date.localeCompare(b.date));
  const inForce = ofDocument.filter((version) => version.date <= date);
  return inForce.at(-1) ?? ofDocument[0];
}
