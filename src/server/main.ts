/** `npm start`: opens the runtime, bootstraps an empty database, serves the API and the web app. */
import { buildApp } from './app.ts';
import { bootstrap } from './bootstrap.ts';
import { openRuntime } from './runtime.ts';
import { startJobs } from './jobs/jobs.ts';

async function main(): Promise<void> {
  const runtime = await openRuntime();
  const { config, db } = runtime;
  const first = await bootstrap(db, { seedDemo: config.seedDemo });
  const app = await buildApp(runtime);
  const jobs = await startJobs(runtime).catch((error: unknown) => {
    app.log.warn({ err: error }, 'background jobs did not start');
    return null;
  });
  await app.listen({ port: config.port, host: config.host });
  const lines = [
    '',
    `anjian 安檢 is running at ${config.publicUrl}  (database: ${db.describe()})`,
    `API documentation: ${config.publicUrl}/api/docs`,
  ];
  if (first.admin) {
    lines.push(
      '',
      'First platform administrator (one-time password, change it at first login):',
      `  email: ${first.admin.email} password: ${first.admin.initialPassword}`,
    );
    for (const user of first.demoUsers) {
      lines.push(`  demo ${user.role}: email: ${user.email} password: ${user.initialPassword}`);
    }
  }
  console.log(lines.join('\n'));
  const shutdown = async (signal: string) => {
    app.log.info(`received ${signal}, shutting down`);
    await app.close();
    await jobs?.stop();
    await runtime.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
