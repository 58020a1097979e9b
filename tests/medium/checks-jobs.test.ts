/**
 * The schedule job through pg-boss: importing the check routes registers the handler, the job runs
 * the due schedule and records a run with trigger 'schedule' and an audit event by the job.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildFirm, openTestRuntime, type TestRuntime } from '../support/harness.ts';
import '../../src/server/routes/check-routes.ts';
import { startJobs, type Jobs } from '../../src/server/jobs/jobs.ts';
import { SCHEDULE_JOB_NAME } from '../../src/server/checks/check-service.ts';
import { inTenantTransaction } from '../../src/server/context.ts';

let runtime: TestRuntime;
let jobs: Jobs | undefined;
beforeAll(async () => {
  runtime = await openTestRuntime();
});
afterAll(async () => {
  await jobs?.stop();
  await runtime?.close();
});

it('runs a due tls schedule from the pg-boss job and records it', async () => {
  const firmId = await buildFirm(runtime.db);
  const scheduleId = randomUUID();
  // Created an hour ago, every minute: due now. Nothing listens on 127.0.0.1:9, so the run is an error.
  await inTenantTransaction(runtime.db, '*', (tx) => tx.query(
    `INSERT INTO check_schedules (id, firm_id, check_id, target, cron, options, created_at)
     VALUES ($1, $2, 'tls', '127.0.0.1:9', '* * * * *', '{"timeoutMs": 1000, "probe": false}', now() - interval '1 hour')`,
    [scheduleId, firmId],
  ));
  jobs = await startJobs(runtime);
  await jobs.boss.send(SCHEDULE_JOB_NAME, {});
  let runs: { status: string; trigger: string; target: string }[] = [];
  for (let attempt = 0; attempt < 60 && runs.length === 0; attempt += 1) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    runs = (await inTenantTransaction(runtime.db, [firmId], (tx) =>
      tx.query<{ status: string; trigger: string; target: string }>('SELECT status, trigger, target FROM check_runs WHERE firm_id = $1', [firmId]))).rows;
  }
  expect(runs).toEqual([{ status: 'error', trigger: 'schedule', target: '127.0.0.1:9' }]);
  const events = await inTenantTransaction(runtime.db, [firmId], (tx) =>
    tx.query<{ via: string; detail: { scheduleId: string } }>(`SELECT via, detail FROM audit_events WHERE firm_id = $1 AND action = 'check.run'`, [firmId]));
  expect(events.rows).toEqual([expect.objectContaining({ via: 'job', detail: expect.objectContaining({ scheduleId }) })]);
}, 60_000);
