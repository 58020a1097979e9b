/**
 * Firm profiles (versioned), classification, applicability and the compliance calendar. Profiles are
 * never overwritten: each save is a new revision, so the classification of a past date uses the profile
 * as it was then.
 */
import type { Queryable } from '../db/client.ts';
import { AppError, validation } from '../errors.ts';
import { appendAuditEvent } from '../audit/audit-log.ts';
import type { RequestContext } from '../context.ts';
import { validateFirmProfile, type FirmProfile } from '../../domain/firms/profile.ts';
import { classifyFirm, type FirmClassification } from '../../domain/firms/classify.ts';
import { evaluateApplicability, compareApplicability, type ApplicabilityResult, type DatedVersion } from '../../domain/applicability/evaluate.ts';
import { selectVersionInForce } from '../../domain/applicability/versions-in-force.ts';
import { createApplicabilityTimeline, type CalendarSources } from '../../domain/calendar/applicability-timeline.ts';
import { listObligations, type ObligationOccurrence } from '../../domain/calendar/list-obligations.ts';
import { listInspectionPeriods } from '../../domain/calendar/list-inspection-periods.ts';
import { buildIcs, type CalendarPeriod } from '../../domain/calendar/build-ics.ts';
import type { CatalogItem } from '../../domain/catalog/resolve.ts';
import { getItems, listDocumentVersions, resolveVersionName } from '../catalog/catalog-service.ts';
import { todayInTaipei } from '../evidence/evidence-values.ts';

export interface StoredProfile {
  revision: number;
  profile: FirmProfile;
  validFrom: string;
}

/** Validates a profile; errors name each field (VALIDATION with issues). */
export function parseProfile(input: unknown): FirmProfile {
  const result = validateFirmProfile(input);
  if (!result.ok) {
    throw new AppError('VALIDATION', `公司基本資料有誤：${result.errors.map((error) => error.message).join('；')}`, {
      messageEn: `Invalid firm profile: ${result.errors.map((error) => error.messageEn).join('; ')}`,
      issues: result.errors.map((error) => ({ where: error.field, message: error.message })),
    });
  }
  return result.profile;
}

export async function getProfile(tx: Queryable, firmId: string, at?: string): Promise<StoredProfile | null> {
  const rows = await tx.query<{ revision: number; profile: FirmProfile; valid_from: Date }>(
    at
      ? 'SELECT revision, profile, valid_from FROM firm_profiles WHERE firm_id = $1 AND valid_from <= $2 ORDER BY revision DESC LIMIT 1'
      : 'SELECT revision, profile, valid_from FROM firm_profiles WHERE firm_id = $1 ORDER BY revision DESC LIMIT 1',
    at ? [firmId, endOfDay(at)] : [firmId],
  );
  const row = rows.rows[0];
  return row ? { revision: row.revision, profile: row.profile, validFrom: new Date(row.valid_from).toISOString() } : null;
}

function endOfDay(day: string): string {
  // Days are Taiwan days (UTC+8, no daylight saving), as everywhere in the calendar.
  return /^\d{4}-\d{2}-\d{2}$/.test(day) ? `${day}T23:59:59.999+08:00` : day;
}

export async function requireProfile(tx: Queryable, firmId: string, at?: string): Promise<StoredProfile> {
  const stored = await getProfile(tx, firmId, at);
  if (!stored) {
    throw new AppError('INVALID_STATE', at ? `${at} 時尚無公司基本資料` : '尚未填寫公司基本資料', {
      messageEn: at ? `No firm profile existed on ${at}` : 'The firm has no profile yet',
    });
  }
  return stored;
}

export async function listProfileRevisions(tx: Queryable, firmId: string): Promise<StoredProfile[]> {
  const rows = await tx.query<{ revision: number; profile: FirmProfile; valid_from: Date }>(
    'SELECT revision, profile, valid_from FROM firm_profiles WHERE firm_id = $1 ORDER BY revision DESC',
    [firmId],
  );
  return rows.rows.map((row) => ({ revision: row.revision, profile: row.profile, validFrom: new Date(row.valid_from).toISOString() }));
}

/**
 * When a new revision starts to hold: now, or the start (Taipei midnight) of `validFrom` — the day the
 * facts it records became true (a firm entering its profile for the first time says since when). Never
 * in the future, and never before the previous revision (the history stays in order); a revision dated
 * the same day as the previous one starts with it and, being later, wins.
 */
function revisionStart(validFrom: string | undefined, before: StoredProfile | null, now: Date): Date | null {
  if (validFrom === undefined) return null;
  const today = todayInTaipei(now);
  if (validFrom > today) {
    throw validation([{ where: 'validFrom', message: `不可晚於今日 ${today} / must not be after today` }], `生效日 ${validFrom} 不可晚於今日`);
  }
  const start = new Date(`${validFrom}T00:00:00+08:00`);
  if (before && start.getTime() < new Date(before.validFrom).getTime()) {
    const previousDay = todayInTaipei(new Date(before.validFrom));
    if (previousDay !== validFrom) {
      throw validation(
        [{ where: 'validFrom', message: `不可早於前一版本（第 ${before.revision} 版）的生效日 ${previousDay} / must not be before revision ${before.revision} (${previousDay})` }],
        `生效日 ${validFrom} 早於前一版本的生效日 ${previousDay}`,
      );
    }
    return new Date(before.validFrom);
  }
  return start;
}

export async function saveProfile(
  tx: Queryable, context: RequestContext, firmId: string, input: unknown, options: { validFrom?: string; now?: Date } = {},
): Promise<StoredProfile & { classification: FirmClassification }> {
  const profile = parseProfile(input);
  const before = await getProfile(tx, firmId);
  const revision = (before?.revision ?? 0) + 1;
  const start = revisionStart(options.validFrom, before, options.now ?? new Date());
  const inserted = await tx.query<{ valid_from: Date }>(
    'INSERT INTO firm_profiles (firm_id, revision, profile, created_by, valid_from) VALUES ($1, $2, $3, $4, coalesce($5::timestamptz, now())) RETURNING valid_from',
    [firmId, revision, JSON.stringify(profile), context.actor.userId, start?.toISOString() ?? null],
  );
  await tx.query('UPDATE firms SET name = $2 WHERE id = $1', [firmId, profile.name]);
  await appendAuditEvent(tx, context, {
    firmId, entity: 'firm_profile', entityId: `${firmId}#${revision}`, action: 'profile.saved',
    before: before?.profile, after: profile,
    detail: { ...(profile.tierOverride ? { tierOverride: profile.tierOverride } : {}), ...(start ? { validFrom: options.validFrom } : {}) },
  });
  return { revision, profile, validFrom: new Date(inserted.rows[0].valid_from).toISOString(), classification: classifyFirm(profile) };
}

export const DEFAULT_DOCUMENTS = ['CSIM', 'NET', 'ETECH', 'BRIEF'] as const;

function asVersionError(error: unknown): never {
  if (error instanceof AppError) {
    throw new AppError('VALIDATION', error.message, { ...error.details, issues: [{ where: 'version', message: error.message }] });
  }
  throw error;
}

/**
 * Items to evaluate: CSIM in the requested version, the other documents (or every document, without a
 * version) in the version in force on `date` (the latest dated on or before it; the earliest for a
 * date before all). Returns the chosen versions with their dates, so a date before an explicitly
 * chosen version marks what that version added or amended as not yet in force.
 */
export async function itemsForApplicability(
  tx: Queryable,
  options: { version?: string; document?: string; date?: string },
): Promise<{ items: CatalogItem[]; versions: Record<string, string>; datedVersions: DatedVersion[] }> {
  const documents = options.document ? [options.document] : [...DEFAULT_DOCUMENTS];
  const known = await listDocumentVersions(tx);
  const versions: Record<string, string> = {};
  const datedVersions: DatedVersion[] = [];
  const items: CatalogItem[] = [];
  for (const document of documents) {
    const requested = document === 'CSIM' || options.document === document ? options.version : undefined;
    const version = requested || !options.date
      ? await resolveVersionName(tx, document, requested).catch(asVersionError)
      : selectVersionInForce(known, document, options.date)?.version ?? (await resolveVersionName(tx, document, undefined).catch(asVersionError));
    const summary = known.find((entry) => entry.document === document && entry.version === version);
    if (summary) {
      datedVersions.push({ document, version, date: summary.date, base: summary.base });
    }
    versions[document] = version;
    items.push(...(await getItems(tx, document, version)).items);
  }
  return { items, versions, datedVersions };
}

export interface ApplicabilityReport {
  date: string;
  versions: Record<string, string>;
  profileRevision: number | null;
  /** True when the date is before the firm's first profile revision: nothing about the firm was known then. */
  isProfileMissing: boolean;
  notice: string | null;
  noticeEn: string | null;
  classification: FirmClassification;
  counts: Record<ApplicabilityResult['verdict'], number>;
  items: (ApplicabilityResult & { document: string; version: string; path: string; code: string | null; text: string | null; title: string | null; label: string | null; depth: number })[];
}

export function buildApplicabilityReport(
  items: CatalogItem[], profile: FirmProfile, date: string, versions: Record<string, string>, revision: number | null,
  options: { datedVersions?: DatedVersion[]; isProfileMissing?: boolean } = {},
): ApplicabilityReport {
  const classification = classifyFirm(profile);
  const results = evaluateApplicability(items, profile, { date, classification, versions: options.datedVersions });
  const counts = { applies: 0, not_applicable: 0, not_in_force: 0, needs_answer: 0 };
  const rows = results.map((result, index) => {
    counts[result.verdict] += 1;
    const item = items[index];
    return { ...result, document: item.document, version: item.version, path: item.path, code: item.code, text: item.text, title: item.title ?? null, label: item.label ?? null, depth: item.depth };
  });
  const isProfileMissing = options.isProfileMissing ?? false;
  return {
    date, versions, profileRevision: revision, isProfileMissing,
    notice: isProfileMissing ? `${date} 時尚無公司基本資料（首次填寫晚於此日），與公司情況有關之條文均待確認` : null,
    noticeEn: isProfileMissing ? `The firm had no profile on ${date} (its first profile is later); items that depend on the firm need an answer` : null,
    classification, counts, items: rows,
  };
}

/**
 * The profile to judge a date with: the revision in force then, or, before the first revision, only
 * the firm's name (so every firm-dependent item needs an answer instead of borrowing a later profile).
 */
export async function profileOnDate(tx: Queryable, firmId: string, date: string): Promise<{ profile: FirmProfile; revision: number | null; isProfileMissing: boolean }> {
  const stored = await getProfile(tx, firmId, date);
  if (stored) {
    return { profile: stored.profile, revision: stored.revision, isProfileMissing: false };
  }
  const current = await requireProfile(tx, firmId);
  return { profile: { name: current.profile.name }, revision: null, isProfileMissing: true };
}

export function whatIf(
  a: { items: CatalogItem[]; datedVersions: DatedVersion[] }, profileA: FirmProfile,
  b: { items: CatalogItem[]; datedVersions: DatedVersion[] }, profileB: FirmProfile, date: string,
) {
  return compareApplicability(a.items, profileA, b.items, profileB, { date, versionsA: a.datedVersions, versionsB: b.datedVersions });
}

/**
 * Everything the calendar judges a year with: every profile revision (each from its day) and every
 * version of the default documents, CSIM pinned to `version` when one is asked for.
 */
export async function loadCalendarSources(tx: Queryable, firmId: string, options: { version?: string }): Promise<CalendarSources> {
  const revisions = await listProfileRevisions(tx, firmId);
  if (revisions.length === 0) {
    await requireProfile(tx, firmId);
  }
  const known = (await listDocumentVersions(tx)).filter((entry) => (DEFAULT_DOCUMENTS as readonly string[]).includes(entry.document));
  const pinned = options.version ? { CSIM: await resolveVersionName(tx, 'CSIM', options.version).catch(asVersionError) } : undefined;
  const versions = await Promise.all(known.map(async (entry) => ({
    document: entry.document, version: entry.version, date: entry.date, base: entry.base,
    items: (await getItems(tx, entry.document, entry.version)).items,
  })));
  return {
    profiles: revisions.map((revision) => ({ validFrom: revision.validFrom.slice(0, 10), profile: revision.profile, revision: revision.revision })),
    versions,
    pinned,
  };
}

export interface FirmCalendar {
  year: number;
  /** The version of each document in force at the end of the year (or the pinned one). */
  versions: Record<string, string>;
  periods: CalendarPeriod[];
  obligations: ObligationOccurrence[];
}

export function buildCalendar(sources: CalendarSources, year: number): FirmCalendar {
  const timeline = createApplicabilityTimeline(sources);
  const versions: Record<string, string> = {};
  for (const document of new Set(sources.versions.map((version) => version.document))) {
    const chosen = sources.pinned?.[document] ?? selectVersionInForce(sources.versions, document, `${year}-12-31`)?.version;
    if (chosen) {
      versions[document] = chosen;
    }
  }
  return {
    year,
    versions,
    periods: listInspectionPeriods(sources, year, timeline),
    obligations: listObligations(sources, year, undefined, timeline),
  };
}

export function calendarIcs(calendar: FirmCalendar, firm: { id: string; name: string }): string {
  return buildIcs(calendar.obligations, calendar.periods, { firmName: firm.name, firmId: firm.id });
}
