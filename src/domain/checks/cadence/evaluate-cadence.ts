/**
 * Cadence rules: for each required activity (and system, when records name one), the gaps longer than
 * its cadence within the period, the last date and the next due date. Pure.
 */
import { CheckInputError, type Finding } from '../types.ts';
import { addMonths, daysBetween, parseDate } from '../eol/dates.ts';
import type { TableRow } from '../eol/read-table.ts';
import { ACTIVITIES, matchActivity, type ActivityDefinition } from './activities.ts';

export interface ActivityRecord {
  activity: ActivityDefinition;
  date: string;
  system?: string;
  file: string;
  line?: number;
}

export interface Gap {
  /** Start of the gap: the previous occurrence, or the period start when there is none. */
  from: string;
  /** The occurrence that closed the gap, or the evaluation date for an open (overdue) gap. */
  to: string;
  /** The date by which the next occurrence was due. */
  dueBy: string;
  days: number;
}

export interface ActivitySchedule {
  activityId: string;
  system?: string;
  months: number;
  count: number;
  last?: string;
  nextDue?: string;
  gaps: Gap[];
  isOverdue: boolean;
}

/** Reads (activity, date, system) rows; unknown activities are returned separately. */
export function readActivityRecords(
  file: string,
  rows: TableRow[],
  activities: ActivityDefinition[],
): { records: ActivityRecord[]; unrecognized: TableRow[] } {
  const records: ActivityRecord[] = [];
  const unrecognized: TableRow[] = [];
  for (const row of rows) {
    const { activity: activityText, date: dateText, system } = row.values;
    if (activityText === undefined) {
      throw new CheckInputError('缺少活動名稱 / missing activity', file, row.line);
    }
    const date = dateText === undefined ? null : parseDate(dateText);
    if (date === null) {
      throw new CheckInputError(`日期無法辨識 / cannot read date: ${dateText ?? '(empty)'}`, file, row.line);
    }
    const activity = matchActivity(activityText, activities);
    if (activity === undefined) {
      unrecognized.push(row);
      continue;
    }
    records.push({ activity, date, system, file, line: row.line });
  }
  return { records, unrecognized };
}

/** Gaps, last date and next due date of one activity's dates within [from, at]. */
export function scheduleActivity(dates: string[], months: number, from: string, at: string): Omit<ActivitySchedule, 'activityId' | 'system'> {
  const sorted = [...new Set(dates.filter((date) => date <= at))].sort();
  const before = sorted.filter((date) => date < from);
  const within = sorted.filter((date) => date >= from);
  let previous: string | undefined = before[before.length - 1];
  const gaps: Gap[] = [];
  for (const date of within) {
    const start = previous ?? from;
    const dueBy = addMonths(start, months);
    if (date > dueBy) {
      gaps.push({ from: start, to: date, dueBy, days: daysBetween(start, date) });
    }
    previous = date;
  }
  const last = previous;
  const nextDue = addMonths(last ?? from, months);
  const isOverdue = nextDue < at;
  if (isOverdue) {
    gaps.push({ from: last ?? from, to: at, dueBy: nextDue, days: daysBetween(last ?? from, at) });
  }
  return { months, count: within.length, last, nextDue: last === undefined ? undefined : nextDue, gaps, isOverdue };
}

export interface CadenceOptions {
  at: string;
  /** Period start (default: 12 months before `at`). */
  from: string;
  /** Activity ids that must occur (default: every activity marked required by default). */
  required: string[];
  /** Cadence overrides in months by activity id. */
  cadences?: Record<string, number>;
  /** Days ahead in which an upcoming due date is reported as info (default 30). */
  dueSoonDays?: number;
}

export function evaluateCadence(
  records: ActivityRecord[],
  options: CadenceOptions,
  activities: ActivityDefinition[] = ACTIVITIES,
): { findings: Finding[]; schedules: ActivitySchedule[] } {
  const findings: Finding[] = [];
  const schedules: ActivitySchedule[] = [];
  const dueSoonDays = options.dueSoonDays ?? 30;
  const evaluated = activities.filter(
    (activity) => options.required.includes(activity.id) || records.some((record) => record.activity.id === activity.id),
  );

  for (const activity of evaluated) {
    const months = options.cadences?.[activity.id] ?? activity.months;
    const own = records.filter((record) => record.activity.id === activity.id);
    const failStatus: Finding['status'] = activity.isAdvisory ? 'warning' : 'fail';
    const cadenceZh = months === 6 ? '每半年' : months === 12 ? '每年' : `每 ${months} 個月`;
    const cadenceEn = months === 6 ? 'half-yearly' : months === 12 ? 'yearly' : `every ${months} months`;
    const tierNote = activity.isTierDependent && options.cadences?.[activity.id] === undefined ? '（依資安分級，預設每年）' : '';

    if (own.length === 0 || own.every((record) => record.date > options.at)) {
      findings.push({
        rule: 'cadence.missing',
        severity: activity.isAdvisory ? 'medium' : 'high',
        status: failStatus,
        message: `沒有任何「${activity.nameZh}」紀錄（應${cadenceZh}辦理${tierNote}）。${activity.ruleText}`,
        messageEn: `No ${activity.nameEn} on record (required ${cadenceEn}).`,
        location: { subject: activity.id },
        items: activity.items,
        detail: { activity: activity.id, months },
      });
      schedules.push({ activityId: activity.id, months, count: 0, gaps: [], isOverdue: true });
      continue;
    }

    const systems = [...new Set(own.map((record) => record.system))];
    for (const system of systems) {
      const group = own.filter((record) => record.system === system);
      const schedule = scheduleActivity(
        group.map((record) => record.date),
        months,
        options.from,
        options.at,
      );
      schedules.push({ activityId: activity.id, system, ...schedule });
      const lastRecord = group.filter((record) => record.date === schedule.last)[0] ?? group[0];
      const subject = system === undefined ? activity.id : `${activity.id} / ${system}`;
      const label = system === undefined ? activity.nameZh : `${activity.nameZh}（${system}）`;
      const labelEn = system === undefined ? activity.nameEn : `${activity.nameEn} (${system})`;
      const location = { file: lastRecord.file, line: lastRecord.line, subject };
      const detail = { activity: activity.id, system, months, last: schedule.last, nextDue: schedule.nextDue, count: schedule.count, gaps: schedule.gaps };

      for (const gap of schedule.gaps) {
        const isOpen = gap.to === options.at && schedule.isOverdue && gap === schedule.gaps[schedule.gaps.length - 1];
        if (isOpen) {
          findings.push({
            rule: 'cadence.overdue',
            severity: activity.isAdvisory ? 'medium' : 'high',
            status: failStatus,
            message: `${label}最近一次為 ${schedule.last ?? '（期間內無）'}，應於 ${gap.dueBy} 前再辦理，至 ${options.at} 已逾期 ${daysBetween(gap.dueBy, options.at)} 天（${cadenceZh}${tierNote}）。${activity.ruleText}`,
            messageEn: `${labelEn}: last on ${schedule.last ?? '(none in the period)'}, due by ${gap.dueBy}, overdue by ${daysBetween(gap.dueBy, options.at)} days on ${options.at} (${cadenceEn}).`,
            location,
            items: activity.items,
            detail: { ...detail, gap },
          });
        } else {
          findings.push({
            rule: 'cadence.gap',
            severity: 'medium',
            status: failStatus,
            message: `${label}於 ${gap.from} 至 ${gap.to} 間隔 ${gap.days} 天，超過${cadenceZh}（應於 ${gap.dueBy} 前辦理${tierNote}）。${activity.ruleText}`,
            messageEn: `${labelEn}: ${gap.days} days between ${gap.from} and ${gap.to}, longer than ${cadenceEn} (was due by ${gap.dueBy}).`,
            location,
            items: activity.items,
            detail: { ...detail, gap },
          });
        }
      }
      if (!schedule.isOverdue && schedule.nextDue !== undefined) {
        const daysLeft = daysBetween(options.at, schedule.nextDue);
        const isDueSoon = daysLeft <= dueSoonDays;
        findings.push({
          rule: isDueSoon ? 'cadence.due-soon' : 'cadence.schedule',
          severity: 'info',
          status: 'info',
          message: `${label}最近一次 ${schedule.last}，下次應於 ${schedule.nextDue} 前辦理${isDueSoon ? `（剩 ${daysLeft} 天）` : ''}。`,
          messageEn: `${labelEn}: last on ${schedule.last}, next due by ${schedule.nextDue}${isDueSoon ? ` (${daysLeft} days left)` : ''}.`,
          location,
          items: activity.items,
          detail,
        });
      }
    }
  }
  return { findings, schedules };
}
