/**
 * An iCalendar (.ics) file of a firm's obligations and inspection due dates, for Outlook and Google
 * Calendar: one all-day VEVENT per due date, with a stable UID (re-importing updates, not duplicates),
 * DTSTAMP, SUMMARY in zh-TW and DESCRIPTION listing the catalog items.
 */
import { createHash } from 'node:crypto';
import ical from 'ical-generator';
import type { ObligationOccurrence } from './list-obligations.ts';
import type { InspectionPeriod } from './periods.ts';

export interface CalendarPeriod extends InspectionPeriod {
  /** Section codes inspected in this period (e.g. CC-17010, CC-18000). */
  codes?: string[];
  /** Catalog item ids the period covers. */
  itemIds?: string[];
  /** Items that may belong to the period once the profile answers `missingFields`. */
  pendingItemIds?: string[];
  /** Section codes only pending items carry. */
  pendingCodes?: string[];
  /** True when the period depends on an answer the profile does not give yet. */
  needsAnswer?: boolean;
  missingFields?: string[];
  /** The profile revision the period was judged with. */
  profileRevision?: number | null;
}

/** Marks an event that depends on an unanswered profile question. */
export const NEEDS_ANSWER_MARK = '（待確認）';

export interface BuildIcsOptions {
  firmName: string;
  /** Stable firm key for UIDs; defaults to a digest of the firm name. */
  firmId?: string;
  /** DTSTAMP; defaults to now. Pass a fixed time for reproducible files. */
  stamp?: Date;
}

const CYCLE_LABELS: Record<InspectionPeriod['cycle'], string> = {
  monthly: '每月查核',
  quarterly: '每季查核',
  semiannual: '半年查核',
  annual: '年度查核',
};

function dayAfter(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
}

function uidSafe(value: string): string {
  return value.replace(/[^A-Za-z0-9._-]/g, '-');
}

export function buildIcs(
  obligations: readonly ObligationOccurrence[],
  periods: readonly CalendarPeriod[],
  options: BuildIcsOptions,
): string {
  const firmKey = uidSafe(options.firmId ?? createHash('sha256').update(options.firmName).digest('hex').slice(0, 16));
  const stamp = options.stamp ?? new Date();
  const calendar = ical({
    name: `${options.firmName} 資安法遵行事曆`,
    prodId: { company: 'anjian', product: 'anjian', language: 'ZH-TW' },
  });
  for (const occurrence of obligations) {
    const lines = [
      `${occurrence.titleEn}`,
      `期間 Period: ${occurrence.periodId}（${occurrence.periodStart} ~ ${occurrence.periodEnd}）`,
      `依據 Items: ${occurrence.itemIds.join(', ')}`,
      `適用理由: ${occurrence.reason}`,
      ...(occurrence.note ? [`備註: ${occurrence.note}`] : []),
      ...(occurrence.needsAnswer ? [`待確認 Needs an answer: ${occurrence.missingFields.join(', ')}`] : []),
    ];
    calendar.createEvent({
      id: `${uidSafe(occurrence.obligationId)}-${occurrence.periodId}-${occurrence.due}-${firmKey}@anjian`,
      start: occurrence.due,
      end: dayAfter(occurrence.due),
      allDay: true,
      stamp,
      summary: `【${options.firmName}】${occurrence.title}（截止）${occurrence.needsAnswer ? NEEDS_ANSWER_MARK : ''}`,
      description: lines.join('\n'),
    });
  }
  for (const period of periods) {
    const allCodes = [...(period.codes ?? []), ...(period.pendingCodes ?? [])];
    const subject = allCodes.length > 0 ? ` ${allCodes.join('、')}` : '';
    const lines = [
      `Inspection (${period.cycle}) for ${period.id}: ${period.start} ~ ${period.end}`,
      ...(period.itemIds && period.itemIds.length > 0 ? [`依據 Items: ${period.itemIds.join(', ')}`] : []),
      ...(period.pendingItemIds && period.pendingItemIds.length > 0 ? [`待確認條文 Items needing an answer: ${period.pendingItemIds.join(', ')}`] : []),
      ...(period.needsAnswer ? [`待確認 Needs an answer: ${(period.missingFields ?? []).join(', ')}`] : []),
    ];
    calendar.createEvent({
      id: `inspection-${period.cycle}-${period.id}${uidSafe(subject)}-${firmKey}@anjian`,
      start: period.due,
      end: dayAfter(period.due),
      allDay: true,
      stamp,
      summary: `【${options.firmName}】${CYCLE_LABELS[period.cycle]}${subject} ${period.id} 自評截止${period.needsAnswer ? NEEDS_ANSWER_MARK : ''}`,
      description: lines.join('\n'),
    });
  }
  return calendar.toString();
}
