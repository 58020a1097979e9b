/**
 * Check `training`: security training hours per person per year. Inputs: training records (CSV, XLSX
 * or JSON: person, role, course, hours, date, passed) and optionally a roster (person, role; no hours
 * column) so that people without any record fail.
 */
import { CheckInputError, type CheckDefinition } from '../types.ts';
import { buildResult, resolveEvaluationDate } from '../eol/check-support.ts';
import { readTable, type ColumnSpec } from '../eol/read-table.ts';
import { TRAINING_ITEMS, evaluateTraining, readRoster, readTrainingRecords, type RosterEntry, type TrainingRecord } from './evaluate-training.ts';

export const TRAINING_COLUMNS: ColumnSpec = {
  aliases: {
    person: ['name', 'employee', 'employee_name', 'staff', '姓名', '人員', '員工', '員工姓名'],
    employee_id: ['id', 'staff_id', 'employee_no', '員工編號', '工號', '員編'],
    role: ['title', 'position', 'job_title', 'category', '職稱', '職務', '角色', '身分', '人員類別'],
    course: ['course_name', 'training', 'class', '課程', '課程名稱', '訓練課程'],
    hours: ['hour', 'duration', 'training_hours', '時數', '訓練時數', '小時'],
    date: ['training_date', 'completed', 'completion_date', '日期', '訓練日期', '上課日期', '完成日期'],
    passed: ['pass', 'result', 'assessment', 'assessment_passed', '通過', '評量', '評量結果', '是否通過'],
  },
  required: ['person'],
  jsonKeys: ['records', 'training', 'roster', 'people', 'items'],
};

export const trainingCheck: CheckDefinition = {
  id: 'training',
  title: '資訊安全教育訓練時數檢查',
  titleEn: 'Security training hours check',
  version: '1.0.0',
  inputKinds: ['training-records', 'roster'],
  items: TRAINING_ITEMS,
  async run(inputs, options) {
    const at = resolveEvaluationDate(options.at);
    const format = typeof options.format === 'string' ? options.format : undefined;
    const year = options.year === undefined ? undefined : Number(options.year);
    if (year !== undefined && !(Number.isInteger(year) && year > 1900 && year < 10_000)) {
      throw new CheckInputError(`年度無法辨識 / cannot read year: ${String(options.year)}`, 'options.year');
    }
    const records: TrainingRecord[] = [];
    let roster: RosterEntry[] | undefined;
    let recordFiles = 0;
    for (const input of inputs) {
      const table = await readTable(input, TRAINING_COLUMNS, format);
      if (table.columns.has('hours')) {
        recordFiles += 1;
        if (!table.columns.has('date')) {
          throw new CheckInputError('訓練紀錄缺少欄位「date」/ training records need a "date" column', input.name, table.format === 'json' ? undefined : 1);
        }
        records.push(...readTrainingRecords(table.file, table.rows));
      } else {
        roster = [...(roster ?? []), ...readRoster(table.file, table.rows)];
      }
    }
    if (recordFiles === 0) {
      throw new CheckInputError('需要訓練紀錄（含 hours 欄位）/ training records with an "hours" column are required');
    }
    const { findings, stats } = evaluateTraining(records, roster, { at, year });
    return buildResult({
      check: 'training',
      checkVersion: '1.0.0',
      items: TRAINING_ITEMS,
      findings,
      stats: { ...stats, records: records.length, at },
      summary: () => ({
        zh: `${stats.people} 人、${stats.years} 年度：${stats.failing} 人次未達時數或無紀錄、${stats.unknown} 人次無法判定。`,
        en: `${stats.people} people, year(s) ${stats.years}: ${stats.failing} person-years short or without records, ${stats.unknown} undetermined.`,
      }),
    });
  },
};
