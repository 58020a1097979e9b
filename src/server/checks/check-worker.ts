/**
 * Worker-thread entry of an isolated check run (see check-runner.ts): loads the check, runs it on the
 * inputs it was handed, posts the result or a serialisable error, and ends. The parent terminates this
 * thread at the time limit, so a check stuck in synchronous parsing cannot hold the server.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadCheck } from '../../domain/checks/registry.ts';
import { CheckInputError, type CheckResult } from '../../domain/checks/types.ts';
import type { CheckJob, WorkerReply } from './check-runner.ts';

async function run(job: CheckJob): Promise<CheckResult> {
  const definition = await loadCheck(job.check, { masItems: job.masItems });
  return definition.run(job.inputs, job.options);
}

function describeError(error: unknown): WorkerReply {
  if (error instanceof CheckInputError) {
    return { type: 'error', kind: 'input', message: error.message, file: error.file, line: error.line };
  }
  const name = error instanceof Error ? error.name : 'Error';
  return { type: 'error', kind: name === 'CheckUnavailableError' ? 'unavailable' : 'other', message: error instanceof Error ? error.message : String(error) };
}

if (parentPort) {
  const port = parentPort;
  port.postMessage({ type: 'ready' } satisfies WorkerReply);
  run(workerData as CheckJob).then(
    (result) => port.postMessage({ type: 'result', result } satisfies WorkerReply),
    (error: unknown) => port.postMessage(describeError(error)),
  );
}
