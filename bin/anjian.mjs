#!/usr/bin/env node
// The `anjian` command: runs the TypeScript sources through tsx (no build step), see src/cli/main.ts.
import { register } from 'tsx/esm/api';

register();
// `anjian … | head` closes the pipe early: stop quietly instead of crashing.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
const { runCli } = await import('../src/cli/main.ts');
const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
});
// A command that sets process.exitCode itself (check-commands.ts) keeps its code.
process.exitCode = Math.max(code, Number(process.exitCode ?? 0));
