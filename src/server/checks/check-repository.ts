/** The only code that reads and writes check_runs and check_schedules (and deficiencies raised from runs). */
import type { Queryable } from '../db/client.ts';
import type { CheckResult } from '../../domain/checks/types.ts';

export interface CheckRunRow {
  id: string;
  firm_id: string;
  check_id: string;
  status: string;
  started_at: Date | string;
  finished_at: Date | string | null;
  trigger: 'upload' | 'schedule' | 'cli';
  target: string | null;
  result: CheckResult | null;
  evidence_id: string | null;
  created_by: string | null;
}

export interface CheckScheduleRow {
  id: string;
  firm_id: string;
  check_id: string;
  target: string;
  cron: string;
  options: Record<string, unknown>;
  enabled: boolean;
  created_by: string | null;
  created_at: Date | string;
}

export interface NewCheckRun {
  id: string;
  firmId: string;
  checkId: string;
  status: string;
  startedAt: Date;
  finishedAt: Date;
  trigger: CheckRunRow['trigger'];
  target: string | null;
  result: unknown;
  createdBy: string | null;
}

export async function insertCheckRun(tx: Queryable, run: NewCheckRun): Promise<CheckRunRow> {
  const inserted = await tx.query<CheckRunRow>(
    `INSERT INTO check_runs (id, firm_id, check_id, status, started_at, finished_at, trigger, target, result, created_by)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) RETURNING *`,
    [run.id, run.firmId, run.checkId, run.status, run.startedAt.toISOString(), run.finishedAt.toISOString(), run.trigger,
      run.target, JSON.stringify(run.result), run.createdBy],
  );
  return inserted.rows[0];
}

export interface RunListQuery {
  checkId?: string;
  trigger?: string;
  limit: number;
  offset: number;
}

/** Runs newest first, without the result body (the list stays small). */
export async function listCheckRuns(tx: Queryable, firmId: string, query: RunListQuery): Promise<{ runs: CheckRunRow[]; total: number }> {
  const params: unknown[] = [firmId];
  const where = ['firm_id = $1'];
  if (query.checkId) {
    params.push(query.checkId);
    where.push(`check_id = $${params.length}`);
  }
  if (query.trigger) {
    params.push(query.trigger);
    where.push(`trigger = $${params.length}`);
  }
  const clause = where.join(' AND ');
  const total = await tx.query<{ count: string }>(`SELECT count(*)::text AS count FROM check_runs WHERE ${clause}`, params);
  const runs = await tx.query<CheckRunRow>(
    `SELECT id, firm_id, check_id, status, started_at, finished_at, trigger, target, evidence_id, created_by,
            jsonb_build_object('summary', result->'summary', 'summaryEn', result->'summaryEn', 'evaluatedAt', result->'evaluatedAt',
              'checkVersion', result->'checkVersion', 'findingCount', jsonb_array_length(coalesce(result->'findings', '[]'::jsonb)),
              'error', result->'error') AS result
       FROM check_runs WHERE ${clause}
      ORDER BY started_at DESC, id DESC LIMIT ${Math.min(Math.max(1, query.limit), 500)} OFFSET ${Math.max(0, query.offset)}`,
    params,
  );
  return { runs: runs.rows, total: Number(total.rows[0].count) };
}

export async function findCheckRun(tx: Queryable, firmId: string, runId: string): Promise<CheckRunRow | undefined> {
  const found = await tx.query<CheckRunRow>('SELECT * FROM check_runs WHERE firm_id = $1 AND id = $2', [firmId, runId]);
  return found.rows[0];
}

/** Locks the run so two requests do not attach it twice. */
export async function lockCheckRun(tx: Queryable, firmId: string, runId: string): Promise<CheckRunRow | undefined> {
  const found = await tx.query<CheckRunRow>('SELECT * FROM check_runs WHERE firm_id = $1 AND id = $2 FOR UPDATE', [firmId, runId]);
  return found.rows[0];
}

export async function setCheckRunEvidence(tx: Queryable, firmId: string, runId: string, evidenceId: string): Promise<void> {
  await tx.query('UPDATE check_runs SET evidence_id = $3 WHERE firm_id = $1 AND id = $2', [firmId, runId, evidenceId]);
}

/** Deficiencies already raised from this run, with the finding each came from (recorded in its history). */
export async function listRunDeficiencies(
  tx: Queryable,
  firmId: string,
  runId: string,
): Promise<{ id: string; number: number; title: string; finding_index: number | null }[]> {
  const rows = await tx.query<{ id: string; number: number; title: string; finding_index: string | null }>(
    `SELECT d.id, d.number, d.title,
            (SELECT h.changes->>'findingIndex' FROM deficiency_history h
              WHERE h.deficiency_id = d.id AND h.from_state IS NULL ORDER BY h.id LIMIT 1) AS finding_index
       FROM deficiencies d WHERE d.firm_id = $1 AND d.check_run_id = $2 ORDER BY d.number`,
    [firmId, runId],
  );
  return rows.rows.map((row) => ({ ...row, number: Number(row.number), finding_index: row.finding_index === null ? null : Number(row.finding_index) }));
}

export interface NewCheckSchedule {
  id: string;
  firmId: string;
  checkId: string;
  target: string;
  cron: string;
  options: Record<string, unknown>;
  createdBy: string | null;
}

export async function insertCheckSchedule(tx: Queryable, schedule: NewCheckSchedule): Promise<CheckScheduleRow> {
  const inserted = await tx.query<CheckScheduleRow>(
    `INSERT INTO check_schedules (id, firm_id, check_id, target, cron, options, enabled, created_by)
     VALUES ($1,$2,$3,$4,$5,$6,true,$7) RETURNING *`,
    [schedule.id, schedule.firmId, schedule.checkId, schedule.target, schedule.cron, JSON.stringify(schedule.options), schedule.createdBy],
  );
  return inserted.rows[0];
}

export async function listCheckSchedules(tx: Queryable, firmId: string): Promise<CheckScheduleRow[]> {
  return (await tx.query<CheckScheduleRow>('SELECT * FROM check_schedules WHERE firm_id = $1 ORDER BY created_at, id', [firmId])).rows;
}

export async function findCheckSchedule(tx: Queryable, firmId: string, scheduleId: string): Promise<CheckScheduleRow | undefined> {
  return (await tx.query<CheckScheduleRow>('SELECT * FROM check_schedules WHERE firm_id = $1 AND id = $2', [firmId, scheduleId])).rows[0];
}

export async function updateCheckScheduleEnabled(tx: Queryable, firmId: string, scheduleId: string, enabled: boolean): Promise<CheckScheduleRow> {
  return (await tx.query<CheckScheduleRow>('UPDATE check_schedules SET enabled = $3 WHERE firm_id = $1 AND id = $2 RETURNING *', [firmId, scheduleId, enabled])).rows[0];
}

export async function deleteCheckSchedule(tx: Queryable, firmId: string, scheduleId: string): Promise<void> {
  await tx.query('DELETE FROM check_schedules WHERE firm_id = $1 AND id = $2', [firmId, scheduleId]);
}

/** Enabled schedules of every firm with the time of their last scheduled run (for the job). */
export async function listEnabledSchedulesWithLastRun(tx: Queryable): Promise<(CheckScheduleRow & { last_run_at: Date | string | null })[]> {
  const rows = await tx.query<CheckScheduleRow & { last_run_at: Date | string | null }>(
    `SELECT s.*, (SELECT max(r.started_at) FROM check_runs r
                   WHERE r.firm_id = s.firm_id AND r.trigger = 'schedule' AND r.check_id = s.check_id AND r.target = s.target) AS last_run_at
       FROM check_schedules s WHERE s.enabled ORDER BY s.created_at, s.id`,
  );
  return rows.rows;
}
