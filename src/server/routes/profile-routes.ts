/** Firm profile, classification, applicability (with what-if) and the compliance calendar. */
import { z } from 'zod';
import type { App, AppDeps } from '../app.ts';
import { requestContext } from '../app.ts';
import { inTenantTransaction } from '../context.ts';
import { firmScope } from './index.ts';
import {
  buildApplicabilityReport, buildCalendar, calendarIcs, getProfile, itemsForApplicability, listProfileRevisions, loadCalendarSources,
  parseProfile, profileOnDate, requireProfile, saveProfile, whatIf,
} from '../firms/firm-profile-service.ts';
import { classifyFirm } from '../../domain/firms/classify.ts';
import { DOCUMENT_CODES } from '../../domain/catalog/schema.ts';
import { appendAuditEvent } from '../audit/audit-log.ts';
import { todayInTaipei } from '../evidence/evidence-values.ts';

const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式須為 YYYY-MM-DD');
const params = z.object({ firmId: z.uuid() });
// Dates are Taiwan days: at 01:00 in Taipei it is already tomorrow there.
const today = () => todayInTaipei();

export async function registerProfileRoutes(app: App, deps: AppDeps): Promise<void> {
  app.get('/api/v1/firms/:firmId/profile', {
    schema: { tags: ['profile'], summary: '公司基本資料（可指定日期）', params, querystring: z.object({ at: isoDay.optional() }) },
  }, async (request) => {
    const firmId = firmScope(request, 'profile:read');
    return inTenantTransaction(deps.db, [firmId], async (tx) => {
      const stored = await getProfile(tx, firmId, request.query.at);
      return stored ? { ...stored, classification: classifyFirm(stored.profile) } : { revision: null, profile: null, validFrom: null, classification: null };
    });
  });

  app.put('/api/v1/firms/:firmId/profile', {
    schema: {
      tags: ['profile'], summary: '儲存公司基本資料（新版本；validFrom 為其內容開始成立之日，預設為現在）', params,
      querystring: z.object({ validFrom: isoDay.optional() }),
      body: z.record(z.string(), z.unknown()),
    },
  }, async (request) => {
    const firmId = firmScope(request, 'profile:update');
    return inTenantTransaction(deps.db, [firmId], (tx) =>
      saveProfile(tx, requestContext(request), firmId, request.body, { validFrom: request.query.validFrom, now: deps.now?.() }));
  });

  app.get('/api/v1/firms/:firmId/profile/history', { schema: { tags: ['profile'], summary: '基本資料歷次版本', params } }, async (request) => {
    const firmId = firmScope(request, 'profile:read');
    return { revisions: await inTenantTransaction(deps.db, [firmId], (tx) => listProfileRevisions(tx, firmId)) };
  });

  app.get('/api/v1/firms/:firmId/classification', {
    schema: { tags: ['profile'], summary: '分類：資安長、資安分級、第一/二類、外國證券商', params, querystring: z.object({ at: isoDay.optional() }) },
  }, async (request) => {
    const firmId = firmScope(request, 'profile:read');
    const stored = await inTenantTransaction(deps.db, [firmId], (tx) => requireProfile(tx, firmId, request.query.at));
    return { profileRevision: stored.revision, ...classifyFirm(stored.profile) };
  });

  app.post('/api/v1/classify', {
    schema: { tags: ['profile'], summary: '以表單內容即時試算分類（不儲存）', body: z.record(z.string(), z.unknown()) },
  }, async (request) => classifyFirm(parseProfile(request.body)));

  app.get('/api/v1/firms/:firmId/applicability', {
    schema: {
      tags: ['profile'],
      summary: '適用性：每一條文適用 / 不適用 / 尚未生效 / 待回答，附理由',
      params,
      querystring: z.object({
        version: z.string().max(20).optional(),
        document: z.enum(DOCUMENT_CODES).optional(),
        date: isoDay.optional(),
        verdict: z.enum(['applies', 'not_applicable', 'not_in_force', 'needs_answer']).optional(),
        cycle: z.enum(['monthly', 'semiannual', 'annual']).optional(),
        section: z.string().max(20).optional(),
      }),
    },
  }, async (request) => {
    const firmId = firmScope(request, 'profile:read');
    const date = request.query.date ?? today();
    return inTenantTransaction(deps.db, [firmId], async (tx) => {
      // The profile as it was on that date; before the first revision the firm's profile did not exist.
      const onDate = await profileOnDate(tx, firmId, date);
      const { items, versions, datedVersions } = await itemsForApplicability(tx, { ...request.query, date });
      const report = buildApplicabilityReport(items, onDate.profile, date, versions, onDate.revision, { datedVersions, isProfileMissing: onDate.isProfileMissing });
      const { verdict, cycle, section } = request.query;
      report.items = report.items.filter((item) =>
        (!verdict || item.verdict === verdict) && (!cycle || item.cycle === cycle) &&
        (!section || item.path === section || item.path.startsWith(`${section}.`)));
      return report;
    });
  });

  app.post('/api/v1/applicability/what-if', {
    schema: {
      tags: ['profile'],
      summary: '假設分析：比較兩份基本資料或兩個版本，列出新增適用的條文',
      body: z.object({
        profileA: z.record(z.string(), z.unknown()),
        profileB: z.record(z.string(), z.unknown()).optional(),
        versionA: z.string().max(20).optional(),
        versionB: z.string().max(20).optional(),
        document: z.enum(DOCUMENT_CODES).optional(),
        date: isoDay.optional(),
      }),
    },
  }, async (request) => {
    const body = request.body;
    const profileA = parseProfile(body.profileA);
    const profileB = body.profileB ? parseProfile(body.profileB) : profileA;
    const date = body.date ?? today();
    const a = await itemsForApplicability(deps.db, { version: body.versionA, document: body.document, date });
    const b = await itemsForApplicability(deps.db, { version: body.versionB ?? body.versionA, document: body.document, date });
    const comparison = whatIf(a, profileA, b, profileB, date);
    const present = (change: { lineage: string; before: { id: string; verdict: string; reason: string } | null; after: { id: string; verdict: string; reason: string } | null }) => ({
      lineage: change.lineage,
      before: change.before && { id: change.before.id, verdict: change.before.verdict, reason: change.before.reason },
      after: change.after && { id: change.after.id, verdict: change.after.verdict, reason: change.after.reason },
    });
    return {
      versionsA: a.versions,
      versionsB: b.versions,
      newlyApplies: comparison.newlyApplies.map(present),
      noLongerApplies: comparison.noLongerApplies.map(present),
      changed: comparison.changed.map(present),
      unchangedCount: comparison.unchangedCount,
    };
  });

  const calendarQuery = z.object({ year: z.coerce.number().int().min(2000).max(2100).default(new Date().getUTCFullYear()), version: z.string().max(20).optional() });

  app.get('/api/v1/firms/:firmId/calendar', {
    schema: { tags: ['calendar'], summary: '年度行事曆：查核期間與法定義務', params, querystring: calendarQuery },
  }, async (request) => {
    const firmId = firmScope(request, 'profile:read');
    return inTenantTransaction(deps.db, [firmId], async (tx) => {
      return buildCalendar(await loadCalendarSources(tx, firmId, request.query), request.query.year);
    });
  });

  app.get('/api/v1/firms/:firmId/obligations', {
    schema: { tags: ['calendar'], summary: '年度法定義務與到期日', params, querystring: calendarQuery },
  }, async (request) => {
    const firmId = firmScope(request, 'profile:read');
    return inTenantTransaction(deps.db, [firmId], async (tx) => {
      const sources = await loadCalendarSources(tx, firmId, request.query);
      return { year: request.query.year, obligations: buildCalendar(sources, request.query.year).obligations };
    });
  });

  app.get('/api/v1/firms/:firmId/calendar.ics', {
    schema: { tags: ['calendar'], summary: '匯出 .ics（Outlook、Google 日曆）', params, querystring: calendarQuery },
  }, async (request, reply) => {
    const firmId = firmScope(request, 'profile:read');
    const context = requestContext(request);
    const ics = await inTenantTransaction(deps.db, [firmId], async (tx) => {
      const sources = await loadCalendarSources(tx, firmId, request.query);
      const firm = (await tx.query<{ id: string; name: string }>('SELECT id, name FROM firms WHERE id = $1', [firmId])).rows[0];
      await appendAuditEvent(tx, context, { firmId, entity: 'calendar', action: 'calendar.exported', detail: { year: request.query.year } });
      return calendarIcs(buildCalendar(sources, request.query.year), firm);
    });
    reply.header('content-type', 'text/calendar; charset=utf-8');
    reply.header('content-disposition', `attachment; filename="anjian-${request.query.year}.ics"`);
    return ics;
  });
}
