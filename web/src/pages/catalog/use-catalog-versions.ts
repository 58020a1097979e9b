/** All documents and versions (`GET /api/v1/catalog/versions`), grouped by document. */
import { useQuery } from '@tanstack/react-query';
import { listCatalogVersions, type VersionSummary } from '../../api/client.ts';

export interface DocumentVersions {
  document: string;
  title: string;
  versions: VersionSummary[];
  latest: VersionSummary;
}

/** Documents in a fixed reading order, versions oldest first. */
const DOCUMENT_ORDER = ['CSIM', 'NET', 'ETECH', 'MAS', 'BRIEF'];

export function groupVersions(versions: VersionSummary[]): DocumentVersions[] {
  const byDocument = new Map<string, VersionSummary[]>();
  for (const version of versions) {
    byDocument.set(version.document, [...(byDocument.get(version.document) ?? []), version]);
  }
  return [...byDocument.entries()]
    .sort(([a], [b]) => (DOCUMENT_ORDER.indexOf(a) + 99 * Number(!DOCUMENT_ORDER.includes(a))) - (DOCUMENT_ORDER.indexOf(b) + 99 * Number(!DOCUMENT_ORDER.includes(b))))
    .map(([document, list]) => {
      const sorted = [...list].sort((a, b) => a.date.localeCompare(b.date));
      const latest = sorted.find((version) => version.isLatest) ?? sorted[sorted.length - 1];
      return { document, title: latest.title, versions: sorted, latest };
    });
}

export function useCatalogVersions() {
  return useQuery({ queryKey: ['catalog', 'versions'], queryFn: listCatalogVersions, staleTime: 10 * 60_000, select: (data) => groupVersions(data.versions) });
}
