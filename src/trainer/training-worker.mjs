// Entry of the training thread (see training-thread.ts). A worker thread does not inherit its
// parent's module hooks, so this plain-JS entry registers tsx's loader itself, as
// bin/surveystream.mjs does, then runs one job and answers once.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
try {
  const { runTrainingJob } = await import('./training-job.ts');
  parentPort.postMessage({ ok: true, result: await runTrainingJob(workerData) });
} catch (err) {
  const e = err instanceof Error ? err : new Error(String(err));
  parentPort.postMessage({ ok: false, error: { name: e.name, message: e.message, code: e.code, retryable: e.retryable === true, stack: e.stack } });
}
