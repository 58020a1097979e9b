/**
 * Background jobs on pg-boss 10: scheduled technical checks. On PostgreSQL pg-boss connects natively;
 * on PGlite it runs through a small adapter that hands pg-boss the embedded connection.
 */
import PgBoss from 'pg-boss';
import type { Runtime } from '../runtime.ts';

export interface Jobs {
  boss: PgBoss;
  stop(): Promise<void>;
}

export interface JobHandler {
  name: string;
  /** When set, pg-boss enqueues the job on this cron schedule (Asia/Taipei). */
  cron?: string;
  handler: (runtime: Runtime, data: unknown) => Promise<void>;
}

export const jobHandlers: JobHandler[] = [];

export async function startJobs(runtime: Runtime): Promise<Jobs> {
  const boss = runtime.config.databaseUrl
    ? new PgBoss({ connectionString: runtime.config.databaseUrl, schema: 'pgboss' })
    : new PgBoss({
        schema: 'pgboss',
        db: {
          async executeSql(text: string, values?: unknown[]) {
            // pg-boss sends its schema as one multi-statement script without parameters.
            return values && values.length > 0 ? runtime.db.query(text, values) : runtime.db.exec(text);
          },
        },
      });
  boss.on('error', (error) => console.error('job error:', error.message));
  await boss.start();
  for (const { name, cron, handler } of jobHandlers) {
    await boss.createQueue(name);
    if (cron) {
      await boss.schedule(name, cron, {}, { tz: 'Asia/Taipei' });
    }
    await boss.work(name, async (jobs) => {
      for (const job of jobs) await handler(runtime, job.data);
    });
  }
  return { boss, stop: () => boss.stop({ graceful: true, wait: true }) };
}
