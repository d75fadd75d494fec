/**
 * Sends a device's backlog over StreamSurveys and resumes after failures, the way a device app
 * should: every record stays pending until its ack arrives (ACCEPTED, DUPLICATE or REJECTED);
 * when the call fails (UNAVAILABLE, RESOURCE_EXHAUSTED, a dropped connection...) a new call
 * resends everything still pending, after the server's `x-detail-retry-after-ms` hint or a
 * backoff. Resending is safe: the submission id is the JetStream message id.
 */
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { status, type ServiceError } from '@grpc/grpc-js';
import { SubmitStatus, type StreamSurveysResponse } from '../gen/surveystream/v1/ingest.js';
import type { Survey } from '../gen/surveystream/v1/survey.js';
import { retryAfterMs } from './connection.js';
import type { IngestClient } from './ingest-client.js';

/** Caller input for {@link sendBacklog}. */
export interface BacklogOptions {
  /** Calls before giving up. @default 10 */
  maxAttempts?: number;
  /** Deadline of each call, ms. @default none */
  deadlineMs?: number;
  /** Sees every ack. */
  onAck?: (ack: StreamSurveysResponse) => void;
}

/** Outcome of a backlog. */
export interface BacklogResult {
  accepted: number;
  duplicate: number;
  rejected: StreamSurveysResponse[];
  /** Calls made (1 = no resume was needed). */
  attempts: number;
}

/** Requests queued on the call before the sender waits for it to drain. */
const WRITE_QUEUE = 256;

const RETRYABLE = new Set<number>([
  status.UNAVAILABLE,
  status.RESOURCE_EXHAUSTED,
  status.DEADLINE_EXCEEDED,
  status.INTERNAL,
  status.UNKNOWN,
  status.ABORTED,
  status.CANCELLED,
]);

/** One StreamSurveys call over the pending records; resolves when the call ends OK. */
async function sendOnce(client: IngestClient, pending: Map<string, Survey>, result: BacklogResult, opts: BacklogOptions): Promise<void> {
  const call = client.openStream(opts.deadlineMs);
  const order: string[] = [];
  const ended = new Promise<void>((resolve, reject) => {
    call.on('status', (s: { code: status }) => (s.code === status.OK ? resolve() : undefined));
    call.on('error', reject);
  });
  ended.catch(() => undefined);
  call.on('data', (ack: StreamSurveysResponse) => {
    const key = order[ack.requestIndex];
    if (key === undefined || !pending.delete(key)) return;
    if (ack.status === SubmitStatus.SUBMIT_STATUS_ACCEPTED) result.accepted += 1;
    else if (ack.status === SubmitStatus.SUBMIT_STATUS_DUPLICATE) result.duplicate += 1;
    else result.rejected.push(ack);
    opts.onAck?.(ack);
  });
  for (const [key, survey] of [...pending]) {
    order.push(key);
    // Object-mode streams report "full" at 16 queued messages; let a few hundred queue up.
    if (!call.write({ survey }) && call.writableLength >= WRITE_QUEUE) await Promise.race([once(call, 'drain'), ended]);
  }
  call.end();
  await ended;
}

/** Sends every survey until each one is acked; throws the last error when attempts run out. */
export async function sendBacklog(client: IngestClient, surveys: Iterable<Survey>, opts: BacklogOptions = {}): Promise<BacklogResult> {
  const pending = new Map<string, Survey>();
  let i = 0;
  for (const s of surveys) pending.set(s.submissionId || `#${i++}`, s);
  const result: BacklogResult = { accepted: 0, duplicate: 0, rejected: [], attempts: 0 };
  const maxAttempts = opts.maxAttempts ?? 10;
  for (;;) {
    result.attempts += 1;
    try {
      await sendOnce(client, pending, result, opts);
      if (pending.size === 0) return result;
    } catch (err) {
      const e = err as ServiceError;
      if (!RETRYABLE.has(e.code) || result.attempts >= maxAttempts) throw err;
      await sleep(retryAfterMs(e) ?? Math.min(10_000, 200 * 2 ** result.attempts));
      continue;
    }
    if (result.attempts >= maxAttempts) throw new Error(`${pending.size} surveys still unacknowledged after ${maxAttempts} calls`);
  }
}
