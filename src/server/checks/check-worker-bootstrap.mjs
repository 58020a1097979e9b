// Entry of a check's worker thread (see check-runner.ts): Node 20 does not apply the parent's
// `--import tsx` hooks to a worker, and under vitest there are none, so register tsx here first.
import { register } from 'tsx/esm/api';

register();
await import('./check-worker.ts');
