/**
 * Applicability over time, for the calendar: on each date, the firm's profile revision in force then
 * and each document's version in force then (or a pinned version), evaluated once per stretch of days
 * in which nothing can change the verdicts. The boundaries of such stretches are the profile
 * revisions' dates, the versions' dates and every effective date and milestone of the items; between
 * two boundaries every verdict is the same, so one evaluation serves all the dates in between.
 */
import { evaluateApplicability, type ApplicabilityItem, type ApplicabilityResult, type DatedVersion } from '../applicability/evaluate.ts';
import { selectVersionInForce } from '../applicability/versions-in-force.ts';
import type { FirmProfile } from '../firms/profile.ts';

export interface ProfileRevision {
  /** The day (YYYY-MM-DD) from which the revision holds. */
  validFrom: string;
  profile: FirmProfile;
  revision?: number | null;
}

export interface VersionItems extends DatedVersion {
  items: readonly ApplicabilityItem[];
}

export interface CalendarSources {
  /** The firm's profile revisions, in any order. Before the first, the firm had no profile. */
  profiles: readonly ProfileRevision[];
  /** Catalog versions to choose from. */
  versions: readonly VersionItems[];
  /** One version per document to use on every date (`{ CSIM: '112' }`); other documents: the version in force. */
  pinned?: Readonly<Record<string, string>>;
  /** Whether version dates gate items (false for an item list given without its versions' dates). */
  isVersionDated?: boolean;
}

export interface ApplicabilityOnDate {
  /** The profile evaluated (the revision in force, or only the firm's name before the first revision). */
  profile: FirmProfile;
  revision: number | null;
  /** True before the first profile revision: the profile did not exist yet. */
  isProfileMissing: boolean;
  items: readonly ApplicabilityItem[];
  results: readonly ApplicabilityResult[];
  byVersionedId: ReadonlyMap<string, ApplicabilityResult>;
}

/** Sources from one profile and one item list (every version in it taken as always in force). */
export function sourcesFromProfile(profile: FirmProfile, items: readonly ApplicabilityItem[]): CalendarSources {
  const byVersion = new Map<string, VersionItems>();
  for (const item of items) {
    const key = `${item.document}@${item.version}`;
    let entry = byVersion.get(key);
    if (!entry) {
      entry = { document: item.document, version: item.version, date: '0000-01-01', items: [] };
      byVersion.set(key, entry);
    }
    (entry.items as ApplicabilityItem[]).push(item);
  }
  return { profiles: [{ validFrom: '0000-01-01', profile }], versions: [...byVersion.values()], isVersionDated: false };
}

function isSources(value: FirmProfile | CalendarSources): value is CalendarSources {
  return 'profiles' in value && 'versions' in value;
}

/** Accept either a profile with its items (one version per document) or full sources. */
export function toSources(profileOrSources: FirmProfile | CalendarSources, items?: readonly ApplicabilityItem[]): CalendarSources {
  return isSources(profileOrSources) ? profileOrSources : sourcesFromProfile(profileOrSources, items ?? []);
}

/** The profile revision in force on a day (the latest whose validFrom ≤ day), or undefined before the first. */
export function selectProfileInForce(profiles: readonly ProfileRevision[], day: string): ProfileRevision | undefined {
  let found: ProfileRevision | undefined;
  for (const revision of profiles) {
    if (revision.validFrom.slice(0, 10) <= day && (!found || revision.validFrom >= found.validFrom)) {
      found = revision;
    }
  }
  return found;
}

export interface ApplicabilityTimeline {
  on(date: string): ApplicabilityOnDate;
  /** Number of evaluations run so far (for tests and benchmarks). */
  evaluations(): number;
}

export function createApplicabilityTimeline(sources: CalendarSources): ApplicabilityTimeline {
  const profiles = [...sources.profiles].sort((a, b) => a.validFrom.localeCompare(b.validFrom));
  const documents = [...new Set(sources.versions.map((version) => version.document))];
  const isDated = sources.isVersionDated ?? true;
  const boundarySet = new Set<string>();
  for (const revision of profiles) {
    boundarySet.add(revision.validFrom.slice(0, 10));
  }
  for (const version of sources.versions) {
    boundarySet.add(version.date);
    for (const item of version.items) {
      if (item.effective) {
        boundarySet.add(item.effective.from);
        for (const milestone of item.effective.milestones ?? []) {
          boundarySet.add(milestone.from);
        }
      }
    }
  }
  const boundaries = [...boundarySet].sort();
  /** Number of boundaries on or before the day: equal for days whose verdicts cannot differ. */
  const segmentOf = (day: string): number => {
    let low = 0;
    let high = boundaries.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (boundaries[middle] <= day) {
        low = middle + 1;
      } else {
        high = middle;
      }
    }
    return low;
  };
  const cache = new Map<number, ApplicabilityOnDate>();
  let evaluations = 0;
  const firstName = profiles[0]?.profile.name ?? '';

  return {
    evaluations: () => evaluations,
    on(date: string): ApplicabilityOnDate {
      const day = date.slice(0, 10);
      const segment = segmentOf(day);
      const cached = cache.get(segment);
      if (cached) {
        return cached;
      }
      const revision = selectProfileInForce(profiles, day);
      const profile: FirmProfile = revision?.profile ?? { name: firstName };
      const chosen = documents
        .map((document) => {
          const pinned = sources.pinned?.[document];
          return pinned
            ? sources.versions.find((version) => version.document === document && version.version === pinned)
            : selectVersionInForce(sources.versions, document, day);
        })
        .filter((version): version is VersionItems => version !== undefined);
      const items = chosen.flatMap((version) => version.items);
      const results = evaluateApplicability(items, profile, { date: day, versions: isDated ? chosen : undefined });
      evaluations += 1;
      const entry: ApplicabilityOnDate = {
        profile,
        revision: revision?.revision ?? null,
        isProfileMissing: revision === undefined,
        items,
        results,
        byVersionedId: new Map(results.map((result) => [result.versionedId, result])),
      };
      cache.set(segment, entry);
      return entry;
    },
  };
}
