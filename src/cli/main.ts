/**
 * The `anjian` command line. This file is only a registry: each command group lives in its own file
 * and exports `register<Group>Commands(program, context)`.
 *
 * To add a group (firm, applicability, obligations, check, campaign, evidence, …):
 *   1. create `src/cli/<group>-commands.ts` exporting
 *        `export function registerXCommands(program: Command, context: CliContext): void`
 *      that adds `program.command('<group>')` and its subcommands;
 *   2. add it to COMMAND_GROUPS below.
 * Inside a command: open the database with `await context.runtime()` (opened once, closed by runCli),
 * write with `context.print` / `context.printJson` (never console.log), offer `--json`, throw
 * `UsageError(argument, 中文, English)` for a bad argument (exit 2) or an AppError from a service
 * (VALIDATION and NOT_FOUND exit 2, others 1), and set `context.exitCode = 1` when the command ran but
 * found a problem. Writes go through the same service functions as the API, inside
 * `inTenantTransaction(db, '*', …)` with `systemContext('cli')`, so every write is audited.
 */
import { Command, CommanderError } from 'commander';
import { createContext, describeError, exitCodeOf, EXIT_USAGE, type CliContext, type CliIo } from './cli-context.ts';
import { registerCatalogCommands } from './catalog-commands.ts';
import { registerUserCommands } from './user-commands.ts';
import { registerAuditCommands } from './audit-commands.ts';
import { registerCheckCommands } from './check-commands.ts';
import { registerFirmCommands } from './firm-commands.ts';
import { registerCampaignCommands } from './campaign-commands.ts';
import { registerReportCommands } from './report-commands.ts';

export type RegisterCommands = (program: Command, context: CliContext) => void;

const COMMAND_GROUPS: RegisterCommands[] = [registerCatalogCommands, registerUserCommands, registerAuditCommands, registerCheckCommands, registerFirmCommands, registerReportCommands, registerCampaignCommands];

export function buildProgram(context: CliContext): Command {
  const program = new Command('anjian')
    .description('安檢 anjian — 證券商資安法遵平台 / cybersecurity compliance for Taiwanese securities firms')
    .version('0.1.0')
    // Program options only before the group, so a subcommand's own --version (a catalog version) is its own.
    .enablePositionalOptions()
    .showHelpAfterError('（加上 --help 看用法 / add --help for usage）')
    .configureOutput({
      writeOut: (text) => context.io.stdout.write(text),
      writeErr: (text) => context.io.stderr.write(text),
    });
  for (const register of COMMAND_GROUPS) register(program, context);
  // Every command (not only the root) reports errors through us instead of exiting the process.
  const applyOverride = (command: Command) => {
    command.exitOverride();
    command.configureOutput({
      writeOut: (text) => context.io.stdout.write(text),
      writeErr: (text) => context.io.stderr.write(text),
    });
    for (const sub of command.commands) applyOverride(sub);
  };
  applyOverride(program);
  return program;
}

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const context = createContext(io);
  const program = buildProgram(context);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return context.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version exit 0; commander has already printed its message for usage errors.
      if (error.exitCode === 0) return 0;
      if (error.code === 'commander.executeSubCommandAsync') return 1;
      return EXIT_USAGE;
    }
    io.stderr.write(`${describeError(error)}\n`);
    return exitCodeOf(error);
  } finally {
    await context.dispose();
  }
}
