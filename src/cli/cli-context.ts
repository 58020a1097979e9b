/**
 * What every command group gets: where to write, how to open the runtime (once, lazily, closed by
 * `runCli`), and the error vocabulary of the CLI. Commands never call process.exit or console.log, so
 * they run in-process in tests exactly as they run from the binary.
 */
import { InvalidArgumentError } from 'commander';
import { AppError } from '../server/errors.ts';
import type { Runtime } from '../server/runtime.ts';

export interface CliWriter {
  write(text: string): unknown;
  /** True when the writer is a terminal (colours are on by default then). */
  isTTY?: boolean;
  /** Terminal width in columns, when known. */
  columns?: number;
}

export interface CliIo {
  stdout: CliWriter;
  stderr: CliWriter;
  /** Opens the runtime; defaults to `openRuntime()` (the configured database). Tests pass their own. */
  openRuntime?: () => Promise<Runtime>;
  /** Whether `runCli` closes the runtime it opened; false when the caller owns it (tests). */
  closeRuntime?: boolean;
  /** Directory relative output paths are resolved against; defaults to process.cwd(). */
  cwd?: string;
}

export interface CliContext {
  io: CliIo;
  /** The runtime, opened on first use. */
  runtime(): Promise<Runtime>;
  /** Prints a line (or several) to stdout. */
  print(text: string): void;
  /** Prints a value as pretty JSON to stdout. */
  printJson(value: unknown): void;
  /** The exit code the command wants (0 unless it sets one, e.g. 1 for a broken audit chain). */
  exitCode: number;
}

/** Exit codes: 0 success, 1 the command ran and found a problem or failed, 2 bad arguments. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** A bad argument or option: printed with the argument's name, exit code 2. */
export class UsageError extends Error {
  constructor(
    readonly argument: string,
    readonly messageZh: string,
    readonly messageEn: string,
  ) {
    super(`${argument}: ${messageEn}`);
    this.name = 'UsageError';
  }
}

/** Error codes that mean the user named something wrong (an id, a version, an e-mail): exit code 2. */
const USAGE_CODES = new Set(['VALIDATION', 'NOT_FOUND']);

export function exitCodeOf(error: unknown): number {
  if (error instanceof UsageError) return EXIT_USAGE;
  if (error instanceof AppError && USAGE_CODES.has(error.code)) return EXIT_USAGE;
  return EXIT_FAILURE;
}

/** `錯誤：… / Error: …`, naming the argument or field where known. */
export function describeError(error: unknown): string {
  if (error instanceof UsageError) {
    return `錯誤：${error.argument}：${error.messageZh}\nError: ${error.argument}: ${error.messageEn}`;
  }
  if (error instanceof AppError) {
    const where = error.details.issues?.map((issue) => issue.where).join(', ');
    const english = error.details.messageEn ?? error.message;
    return `錯誤：${error.message}\nError: ${where ? `${where}: ` : ''}${english}`;
  }
  const message = error instanceof Error ? error.message : String(error);
  return `錯誤：${message}\nError: ${message}`;
}

/** A commander argument parser that accepts only `choices`, naming the argument in its error. */
export function oneOf<T extends string>(choices: readonly T[]): (value: string) => T {
  return (value: string) => {
    if (!(choices as readonly string[]).includes(value)) {
      throw new InvalidArgumentError(`必須是 ${choices.join('、')} 之一 / must be one of ${choices.join(', ')}`);
    }
    return value as T;
  };
}

export function createContext(io: CliIo): CliContext & { dispose(): Promise<void> } {
  let opened: Promise<Runtime> | null = null;
  const context = {
    io,
    exitCode: EXIT_OK,
    runtime() {
      opened ??= (io.openRuntime ?? defaultOpenRuntime)();
      return opened;
    },
    print(text: string) {
      io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
    },
    printJson(value: unknown) {
      io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    },
    async dispose() {
      if (opened && io.closeRuntime !== false) {
        const runtime = await opened.catch(() => null);
        await runtime?.close();
      }
    },
  };
  return context;
}

async function defaultOpenRuntime(): Promise<Runtime> {
  const { openRuntime } = await import('../server/runtime.ts');
  return openRuntime();
}
