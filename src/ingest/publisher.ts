/**
 * Publishes surveys to `surveys.v1.raw.<district>` with Nats-Msg-Id = submission_id and returns
 * only once JetStream acknowledged them (accepted = durable). JetStream failures are translated
 * into PipelineErrors the gRPC edge understands (UNAVAILABLE / RESOURCE_EXHAUSTED with retry info).
 */
import { headers as natsHeaders } from '@nats-io/transport-node';
import type { JetStreamClient } from '@nats-io/jetstream';
import { Headers, SURVEY_CONTENT_TYPE, subjects } from '../bus/subjects.js';
import { PipelineError } from '../errors.js';
import type { Metrics } from '../telemetry/metrics.js';

export interface PublishResult {
  seq: number;
  duplicate: boolean;
}

export interface PublishOptions {
  submissionId: string;
  district: string | null | undefined;
  payload: Uint8Array;
  contentType?: string;
  ingestionId?: string;
}

function translate(err: Error): PipelineError {
  const text = `${err.name} ${err.message}`.toLowerCase();
  if (text.includes('no responders') || text.includes('503')) {
    return new PipelineError('UNAVAILABLE', 'JetStream is not available; retry later', true, {
      cause: err,
      details: { 'retry-after-ms': '1000' },
    });
  }
  if (text.includes('timeout')) {
    return new PipelineError('UNAVAILABLE', 'JetStream did not acknowledge in time; retry later', true, {
      cause: err,
      details: { 'retry-after-ms': '2000' },
    });
  }
  if (text.includes('maximum') || text.includes('resource') || text.includes('insufficient') || text.includes('storage')) {
    return new PipelineError('RESOURCE_EXHAUSTED', `JetStream refused the survey: ${err.message}`, true, {
      cause: err,
      details: { 'retry-after-ms': '5000' },
    });
  }
  if (text.includes('payload')) {
    return new PipelineError('INVALID_ARGUMENT', `survey too large: ${err.message}`, false, { cause: err });
  }
  return new PipelineError('UNAVAILABLE', `publish failed: ${err.message}`, true, { cause: err });
}

export class SurveyPublisher {
  readonly #js: JetStreamClient;
  readonly #timeoutMs: number;
  readonly #metrics: Metrics | undefined;

  constructor(js: JetStreamClient, timeoutMs: number, metrics?: Metrics) {
    this.#js = js;
    this.#timeoutMs = timeoutMs;
    this.#metrics = metrics;
  }

  async publish(opts: PublishOptions): Promise<PublishResult> {
    const h = natsHeaders();
    h.set(Headers.contentType, opts.contentType ?? SURVEY_CONTENT_TYPE);
    if (opts.ingestionId) h.set(Headers.ingestionId, opts.ingestionId);
    const end = this.#metrics?.publishSeconds.startTimer({ stream: 'SURVEYS' });
    try {
      const ack = await this.#js.publish(subjects.raw(opts.district), opts.payload, {
        msgID: opts.submissionId,
        headers: h,
        timeout: this.#timeoutMs,
      });
      return { seq: ack.seq, duplicate: ack.duplicate };
    } catch (err) {
      throw translate(err as Error);
    } finally {
      end?.();
    }
  }
}
