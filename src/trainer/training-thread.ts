/**
 * Runs a {@link TrainingJob} on a worker thread of its own: training 100k rows takes seconds of CPU,
 * and in `surveystream dev` (every role in one process) the event loop it would block is the one
 * that scores records, answers gRPC and heartbeats NATS. One thread per job (jobs are rare; a
 * thread starts in well under a second), terminated when the job ends or the trainer shuts down.
 */
import { Worker } from 'node:worker_threads';
import { ErrorCode, PipelineError } from '../errors.js';
import type { TrainingJob, TrainingJobResult } from './training-job.js';

interface ThreadError {
  readonly name: string;
  readonly message: string;
  readonly code?: unknown;
  readonly retryable: boolean;
  readonly stack?: string;
}

type ThreadReply = { readonly ok: true; readonly result: TrainingJobResult } | { readonly ok: false; readonly error: ThreadError };

const KNOWN_CODES = new Set<string>(Object.values(ErrorCode));

/** The thread's error as the caller would have seen it in-process (PipelineError codes survive). */
function rebuild(e: ThreadError): Error {
  if (typeof e.code === 'string' && KNOWN_CODES.has(e.code)) return new PipelineError(e.code as ErrorCode, e.message, e.retryable);
  const err = new PipelineError('INTERNAL', `training failed: ${e.name}: ${e.message}`, false);
  if (e.stack) err.stack = `${err.name}: ${err.message}\n--- in the training thread ---\n${e.stack}`;
  return err;
}

/** Runs `job` on a new thread; `signal` aborts it (the thread is terminated, the promise rejects UNAVAILABLE). */
export function runTrainingThread(job: TrainingJob, signal?: AbortSignal): Promise<TrainingJobResult> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new PipelineError('UNAVAILABLE', 'training aborted: the trainer is shutting down', true));
      return;
    }
    const worker = new Worker(new URL('./training-worker.mjs', import.meta.url), { workerData: job });
    let settled = false;
    const settle = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      fn();
    };
    const onAbort = (): void => settle(() => reject(new PipelineError('UNAVAILABLE', 'training aborted: the trainer is shutting down', true)));
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.once('message', (reply: ThreadReply) => settle(() => (reply.ok ? resolve(reply.result) : reject(rebuild(reply.error)))));
    worker.once('error', (err) => settle(() => reject(new PipelineError('INTERNAL', `training thread failed: ${err.message}`, false, { cause: err }))));
    worker.once('exit', (code) => settle(() => reject(new PipelineError('INTERNAL', `training thread exited (code ${code}) before it answered`, false))));
  });
}
