/**
 * Runs a server check in a worker thread with a memory cap, and terminates the thread at the time
 * limit. A check's parsing and analysis are synchronous: on the request thread a large or pathological
 * upload would block every HTTP request and a timer could never fire. The worker loads TypeScript the
 * way the server does (`--import tsx`). If the worker cannot start at all, the check runs in-process
 * (logged) with the older promise race as its only limit.
 */
import { Worker } from 'node:worker_threads';
import {
  CheckTimeoutError,
  CheckUnavailableError,
  assertHasInputs,
  loadCheck,
  runCheckWithTimeout,
  type CheckName,
  type MasCheckItem,
} from '../../domain/checks/registry.ts';
import { CheckInputError, type CheckInput, type CheckOptions, type CheckResult } from '../../domain/checks/types.ts';

/** A check on the server is stopped after this long (ANJIAN_CHECK_TIMEOUT_SECONDS overrides). */
export const DEFAULT_CHECK_TIMEOUT_MS = 120_000;
/** Heap of a check's worker thread (ANJIAN_CHECK_MEMORY_MB overrides). */
export const DEFAULT_CHECK_MEMORY_MB = 512;

export interface CheckJob {
  check: CheckName;
  inputs: CheckInput[];
  options: CheckOptions;
  masItems?: MasCheckItem[];
}

export interface CheckLimits {
  timeoutMs: number;
  memoryMb: number;
}

/** What the worker posts back. */
export type WorkerReply =
  | { type: 'ready' }
  | { type: 'result'; result: CheckResult }
  | { type: 'error'; kind: 'input' | 'unavailable' | 'other'; message: string; file?: string; line?: number };

/** The check's worker ran out of its memory cap. */
export class CheckMemoryLimitError extends Error {
  constructor(
    readonly checkName: string,
    readonly memoryMb: number,
  ) {
    super(`檢查「${checkName}」超過記憶體上限 ${memoryMb} MB，已中止 / check "${checkName}" exceeded its ${memoryMb} MB memory limit and was stopped`);
    this.name = 'CheckMemoryLimitError';
  }
}

function positiveFromEnv(name: string): number | undefined {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

/** The limits in force now: explicit values, else the environment, else the defaults. */
export function readCheckLimits(overrides: Partial<CheckLimits> = {}): CheckLimits {
  const seconds = positiveFromEnv('ANJIAN_CHECK_TIMEOUT_SECONDS');
  return {
    timeoutMs: overrides.timeoutMs ?? (seconds !== undefined ? seconds * 1000 : DEFAULT_CHECK_TIMEOUT_MS),
    memoryMb: overrides.memoryMb ?? positiveFromEnv('ANJIAN_CHECK_MEMORY_MB') ?? DEFAULT_CHECK_MEMORY_MB,
  };
}

/** A plain-JS entry that registers tsx in the thread, then imports check-worker.ts. */
const WORKER_ENTRY = new URL('./check-worker-bootstrap.mjs', import.meta.url);

function rebuildError(reply: Extract<WorkerReply, { type: 'error' }>, check: string): Error {
  if (reply.kind === 'input') {
    const error = new CheckInputError('', reply.file, reply.line);
    error.message = reply.message;
    return error;
  }
  if (reply.kind === 'unavailable') {
    const error = new CheckUnavailableError(check, reply.message);
    error.message = reply.message;
    return error;
  }
  return new Error(reply.message);
}

class WorkerStartError extends Error {}

function runInWorker(job: CheckJob, limits: CheckLimits): Promise<CheckResult> {
  return new Promise<CheckResult>((resolve, reject) => {
    let worker: Worker;
    try {
      worker = new Worker(WORKER_ENTRY, {
        workerData: job,
        resourceLimits: { maxOldGenerationSizeMb: limits.memoryMb },
        stdout: false,
        stderr: false,
      });
    } catch (error) {
      reject(new WorkerStartError(error instanceof Error ? error.message : String(error)));
      return;
    }
    let isReady = false;
    let isSettled = false;
    const settle = (action: () => void) => {
      if (isSettled) return;
      isSettled = true;
      clearTimeout(timer);
      action();
      void worker.terminate();
    };
    const timer = setTimeout(() => settle(() => reject(new CheckTimeoutError(job.check, limits.timeoutMs))), limits.timeoutMs);
    worker.on('message', (reply: WorkerReply) => {
      if (reply.type === 'ready') {
        isReady = true;
      } else if (reply.type === 'result') {
        settle(() => resolve(reply.result));
      } else {
        settle(() => reject(rebuildError(reply, job.check)));
      }
    });
    worker.on('error', (error: Error & { code?: string }) => {
      if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') {
        settle(() => reject(new CheckMemoryLimitError(job.check, limits.memoryMb)));
      } else if (!isReady) {
        settle(() => reject(new WorkerStartError(error.message)));
      } else {
        settle(() => reject(error));
      }
    });
    worker.on('exit', (code) => {
      settle(() => reject(isReady ? new Error(`check worker exited (code ${code}) without a result`) : new WorkerStartError(`worker exited with code ${code} before starting`)));
    });
  });
}

/**
 * Runs one check isolated in a worker thread: stopped at `limits.timeoutMs` ({@link CheckTimeoutError})
 * or when its heap passes `limits.memoryMb` ({@link CheckMemoryLimitError}). Input errors come back as
 * {@link CheckInputError} with their file and line.
 */
export async function runCheckIsolated(job: CheckJob, overrides: Partial<CheckLimits> = {}): Promise<CheckResult> {
  const limits = readCheckLimits(overrides);
  const definition = await loadCheck(job.check, { masItems: job.masItems });
  assertHasInputs(definition, job.inputs);
  let result: CheckResult;
  try {
    result = await runInWorker(job, limits);
  } catch (error) {
    if (!(error instanceof WorkerStartError)) {
      throw error;
    }
    console.error(`check ${job.check}: worker thread could not start (${error.message}); running in-process without a hard time limit`);
    return runCheckWithTimeout(definition, job.inputs, job.options, limits.timeoutMs);
  }
  if (!result || typeof result !== 'object' || !Array.isArray(result.findings)) {
    throw new CheckInputError(`檢查「${job.check}」未回傳結果 / check returned no result`);
  }
  return result;
}
