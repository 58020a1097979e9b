/**
 * Training hours per person per calendar year (CSIM 3.(3); 5.(3)): security staff at least 15 hours
 * of professional training with a passed assessment, everyone else at least 3 hours of awareness
 * training. Pure.
 */
import { CheckInputError, type Finding } from '../types.ts';
import { parseDate, yearOf } from '../eol/dates.ts';
import { durationToMinutes, parseDuration } from '../eol/check-support.ts';
import { parseNumber, parseYesNo, type TableRow } from '../eol/read-table.ts';

export const SECURITY_HOURS = 15;
export const STAFF_HOURS = 3;
export const TRAINING_ITEMS = ['CSIM:3.3', 'CSIM:5.3'];

const TEXT_3_3 =
  'CSIM 3.(3)：「資訊安全專責人員及專責主管每年應定期參加十五小時以上資訊安全專業課程訓練或職能訓練並通過評量。其他使用資訊系統之從業人員，每年應至少接受三小時以上資訊安全宣導課程。」';
const TEXT_5_3 = 'CSIM 5.(3)：「應定期（每年至少一次）對全公司員工辦理資訊安全宣導講習…並留存紀錄。」';

export type RoleKind = 'security' | 'other' | 'unspecified';

/** Security staff: 資安/資訊安全/security/CISO/專責 in the role text. */
export function classifyRole(text: string | undefined): RoleKind {
  if (text === undefined) {
    return 'unspecified';
  }
  return /資安|資訊安全|資通安全|security|ciso|infosec|專責/i.test(text) ? 'security' : 'other';
}

export interface TrainingRecord {
  key: string;
  person: string;
  role?: string;
  course?: string;
  hours: number;
  date: string;
  passed?: boolean;
  file: string;
  line?: number;
}

export interface RosterEntry {
  key: string;
  person: string;
  role?: string;
  file: string;
  line?: number;
}

/** Identity of a person: the employee id when given, else the name (NFKC, trimmed, case-insensitive). */
export function personKey(values: Record<string, string>): string | undefined {
  const id = values.employee_id ?? values.person;
  return id === undefined ? undefined : id.normalize('NFKC').trim().toLowerCase().replace(/\s+/g, ' ');
}

function readHours(text: string | undefined, file: string, line: number | undefined): number {
  const number = parseNumber(text);
  if (number !== undefined) {
    return number;
  }
  const duration = parseDuration(text, { defaultUnit: 'hour', mMeans: 'minute' });
  if (duration === undefined || duration.isUnlimited) {
    throw new CheckInputError(`時數無法辨識 / cannot read hours: ${text ?? '(empty)'}`, file, line);
  }
  return durationToMinutes(duration) / 60;
}

function readPassed(text: string | undefined, file: string, line: number | undefined): boolean | undefined {
  if (text === undefined || /^(?:n\/?a|-+|不適用|無評量|免)$/i.test(text.trim())) {
    return undefined;
  }
  const value = parseYesNo(text);
  if (value === undefined) {
    throw new CheckInputError(`評量結果無法辨識（yes/no、通過/未通過）/ cannot read "passed": ${text}`, file, line);
  }
  return value;
}

export function readTrainingRecords(file: string, rows: TableRow[]): TrainingRecord[] {
  return rows.map((row) => {
    const key = personKey(row.values);
    if (key === undefined) {
      throw new CheckInputError('缺少人員 / missing person', file, row.line);
    }
    const dateText = row.values.date;
    const date = dateText === undefined ? null : parseDate(dateText);
    if (date === null) {
      throw new CheckInputError(`日期無法辨識 / cannot read date: ${dateText ?? '(empty)'}`, file, row.line);
    }
    return {
      key,
      person: row.values.person ?? row.values.employee_id ?? key,
      role: row.values.role,
      course: row.values.course,
      hours: readHours(row.values.hours, file, row.line),
      date,
      passed: readPassed(row.values.passed, file, row.line),
      file,
      line: row.line,
    };
  });
}

export function readRoster(file: string, rows: TableRow[]): RosterEntry[] {
  return rows.map((row) => {
    const key = personKey(row.values);
    if (key === undefined) {
      throw new CheckInputError('缺少人員 / missing person', file, row.line);
    }
    return { key, person: row.values.person ?? row.values.employee_id ?? key, role: row.values.role, file, line: row.line };
  });
}

export interface TrainingOptions {
  at: string;
  /** Evaluate only this calendar year. */
  year?: number;
}

export interface TrainingStats {
  people: number;
  years: string;
  personYears: number;
  failing: number;
  unknown: number;
}

export function evaluateTraining(
  records: TrainingRecord[],
  roster: RosterEntry[] | undefined,
  options: TrainingOptions,
): { findings: Finding[]; stats: TrainingStats } {
  const counted = records.filter((record) => record.date <= options.at);
  const years =
    options.year !== undefined
      ? [options.year]
      : [...new Set(counted.map((record) => yearOf(record.date)))].sort((a, b) => a - b);
  if (years.length === 0) {
    years.push(yearOf(options.at));
  }
  const rosterByKey = new Map(roster?.map((entry) => [entry.key, entry]));
  const firstRecordByKey = new Map<string, TrainingRecord>();
  for (const record of records) {
    if (!firstRecordByKey.has(record.key)) {
      firstRecordByKey.set(record.key, record);
    }
  }
  const countedByPersonYear = new Map<string, TrainingRecord[]>();
  for (const record of counted) {
    const groupKey = `${yearOf(record.date)}\u0000${record.key}`;
    const group = countedByPersonYear.get(groupKey);
    if (group) {
      group.push(record);
    } else {
      countedByPersonYear.set(groupKey, [record]);
    }
  }
  const people = roster !== undefined ? [...rosterByKey.keys()] : [...new Set(records.map((record) => record.key))];
  const findings: Finding[] = [];
  const stats: TrainingStats = { people: people.length, years: years.join(','), personYears: 0, failing: 0, unknown: 0 };

  for (const year of years) {
    const isYearOver = `${year}-12-31` < options.at;
    const missStatus: Finding['status'] = isYearOver ? 'fail' : 'warning';
    const progressZh = isYearOver ? '' : `（${year} 年尚未結束）`;
    const progressEn = isYearOver ? '' : ` (${year} is not over yet)`;
    for (const key of people) {
      stats.personYears += 1;
      const own = countedByPersonYear.get(`${year}\u0000${key}`) ?? [];
      const entry = rosterByKey.get(key) ?? firstRecordByKey.get(key);
      const person = entry?.person ?? key;
      const latestRole = [...own].sort((a, b) => (a.date < b.date ? 1 : -1)).find((record) => record.role !== undefined)?.role;
      const role = classifyRole(rosterByKey.get(key)?.role ?? latestRole ?? entry?.role);
      const location = { file: entry?.file, line: entry?.line, subject: `${person} (${year})` };
      const totalHours = own.reduce((sum, record) => sum + record.hours, 0);
      const passedHours = own.filter((record) => record.passed === true).reduce((sum, record) => sum + record.hours, 0);
      const unassessedHours = own.filter((record) => record.passed === undefined).reduce((sum, record) => sum + record.hours, 0);
      const detail = { year, role, totalHours, passedHours, unassessedHours, records: own.length };
      const push = (finding: Omit<Finding, 'location'>): void => {
        findings.push({ ...finding, location });
        if (finding.status === 'fail') {
          stats.failing += 1;
        } else if (finding.status === 'unknown') {
          stats.unknown += 1;
        }
      };

      if (own.length === 0) {
        push({
          rule: 'training.no-records',
          severity: role === 'security' ? 'high' : 'medium',
          status: missStatus,
          message: `${person} 於 ${year} 年沒有任何資訊安全訓練紀錄${progressZh}。${TEXT_3_3}`,
          messageEn: `${person} has no security training record in ${year}${progressEn}.`,
          items: role === 'security' ? ['CSIM:3.3'] : TRAINING_ITEMS,
          detail,
        });
        continue;
      }
      if (role === 'security' || (role === 'unspecified' && totalHours >= SECURITY_HOURS)) {
        if (passedHours >= SECURITY_HOURS) {
          continue;
        }
        if (role === 'unspecified') {
          // 15 hours or more but not all assessed: enough for anyone who is not security staff.
          if (totalHours >= STAFF_HOURS) {
            push({
              rule: 'training.role-unknown',
              severity: 'low',
              status: 'unknown',
              message: `${person} ${year} 年訓練 ${totalHours} 小時，未註明是否為資安專責人員，無法判定門檻（15 或 3 小時）。`,
              messageEn: `${person} trained ${totalHours} hours in ${year}; the role is not given, so the threshold (15 or 3 hours) is unknown.`,
              items: TRAINING_ITEMS,
              detail,
            });
          }
          continue;
        }
        if (passedHours + unassessedHours >= SECURITY_HOURS) {
          push({
            rule: 'training.security-assessment-unknown',
            severity: 'medium',
            status: 'unknown',
            message: `${person}（資安專責）${year} 年訓練 ${totalHours} 小時，其中 ${unassessedHours} 小時未記錄評量結果，無法確認「通過評量」。`,
            messageEn: `${person} (security staff) trained ${totalHours} hours in ${year}; ${unassessedHours} hours have no assessment result, so "passed the assessment" cannot be confirmed.`,
            items: ['CSIM:3.3'],
            detail,
          });
          continue;
        }
        push({
          rule: 'training.security-hours-short',
          severity: 'high',
          status: missStatus,
          message: `${person}（資安專責）${year} 年通過評量之訓練僅 ${passedHours} 小時（共 ${totalHours} 小時），未達 15 小時${progressZh}。${TEXT_3_3}`,
          messageEn: `${person} (security staff) has ${passedHours} hours of passed training in ${year} (${totalHours} in total), under 15 hours${progressEn}.`,
          items: ['CSIM:3.3'],
          detail,
        });
        continue;
      }
      if (totalHours >= STAFF_HOURS) {
        if (role === 'unspecified' && totalHours < SECURITY_HOURS) {
          push({
            rule: 'training.role-unknown',
            severity: 'low',
            status: 'unknown',
            message: `${person} ${year} 年訓練 ${totalHours} 小時，未註明是否為資安專責人員，無法判定門檻（15 或 3 小時）。`,
            messageEn: `${person} trained ${totalHours} hours in ${year}; the role is not given, so the threshold (15 or 3 hours) is unknown.`,
            items: TRAINING_ITEMS,
            detail,
          });
        }
        continue;
      }
      push({
        rule: 'training.staff-hours-short',
        severity: 'medium',
        status: missStatus,
        message: `${person} ${year} 年資訊安全宣導訓練僅 ${totalHours} 小時，未達 3 小時${progressZh}。${TEXT_3_3} ${TEXT_5_3}`,
        messageEn: `${person} has ${totalHours} hours of security awareness training in ${year}, under 3 hours${progressEn}.`,
        items: TRAINING_ITEMS,
        detail,
      });
    }
  }

  if (roster !== undefined) {
    const unlisted = new Map<string, TrainingRecord>();
    for (const record of counted) {
      if (!rosterByKey.has(record.key) && !unlisted.has(record.key)) {
        unlisted.set(record.key, record);
      }
    }
    for (const record of unlisted.values()) {
      findings.push({
        rule: 'training.not-in-roster',
        severity: 'info',
        status: 'info',
        message: `${record.person} 有訓練紀錄但不在人員名冊中。`,
        messageEn: `${record.person} has training records but is not in the roster.`,
        location: { file: record.file, line: record.line, subject: record.person },
        items: TRAINING_ITEMS,
      });
    }
  }
  return { findings, stats };
}
