/**
 * `IngestService.StreamSurveys`: a device's backlog over one bidi call.
 *
 * Each record is acked once it is durable (PubAck) — ACCEPTED or DUPLICATE with its stream
 * sequence — or REJECTED with a reason when the gateway cannot take it (bad envelope,
 * undecodable, too large); a rejection does not end the call. At most `window` records wait for
 * their PubAck: then the gateway stops reading the call, and HTTP/2 flow control pushes back on
 * the device (the same happens when the device does not read its acks). When JetStream is
 * unavailable or saturated the gateway stops reading, acks what did get stored, and ends the call
 * with UNAVAILABLE / RESOURCE_EXHAUSTED and `x-detail-retry-after-ms`. The device then resends
 * every record it has no ack for (msg id = submission_id makes that safe).
 */
import type { ServerDuplexStream } from '@grpc/grpc-js';
import { SubmitStatus, type StreamSurveysResponse } from '../gen/surveystream/v1/ingest.js';
import { PipelineError, toGrpcStatus } from '../errors.js';
import type { Logger } from '../telemetry/log.js';
import type { Metrics } from '../telemetry/metrics.js';
import type { Authenticator } from './auth.js';
import { checkEnvelope } from './envelope.js';
import { isRecordError, type PublishResult } from '../bus/pub-ack.js';
import type { JetStreamPublisher } from '../bus/publisher.js';
import type { StreamRecord } from './stream-codec.js';
import { logFailure } from './unary.js';

/** What a StreamSurveys call needs. */
export interface StreamSurveysDeps {
  readonly publisher: JetStreamPublisher;
  readonly auth: Authenticator;
  readonly log: Logger;
  readonly metrics: Metrics;
  /** Records waiting for their PubAck before the gateway stops reading the call. */
  readonly window: number;
}

type Call = ServerDuplexStream<StreamRecord, StreamSurveysResponse>;

const METHOD = 'StreamSurveys';

function rejected(index: number, submissionId: string, reason: string, field = ''): StreamSurveysResponse {
  return {
    submissionId,
    status: SubmitStatus.SUBMIT_STATUS_REJECTED,
    reason,
    streamSequence: 0,
    requestIndex: index,
    field,
  };
}

function acked(index: number, submissionId: string, result: PublishResult): StreamSurveysResponse {
  return {
    submissionId,
    status: result.duplicate ? SubmitStatus.SUBMIT_STATUS_DUPLICATE : SubmitStatus.SUBMIT_STATUS_ACCEPTED,
    reason: '',
    streamSequence: result.seq,
    requestIndex: index,
    field: '',
  };
}

/** One call: reads records, publishes them in a bounded window, writes acks. */
class StreamSession {
  readonly #call: Call;
  readonly #deps: StreamSurveysDeps;
  readonly #count: Record<'accepted' | 'duplicate' | 'rejected', () => void>;
  #inFlight = 0;
  #index = 0;
  #ended = false;
  #done = false;
  #paused = false;
  #writeBlocked = false;
  #fatal: PipelineError | undefined;

  constructor(call: Call, deps: StreamSurveysDeps) {
    this.#call = call;
    this.#deps = deps;
    const c = (outcome: string): (() => void) => {
      const child = deps.metrics.records.labels({ stage: 'ingest_stream', outcome });
      return () => child.inc();
    };
    this.#count = { accepted: c('ok'), duplicate: c('duplicate'), rejected: c('rejected') };
  }

  start(): void {
    this.#call.on('data', (rec: StreamRecord) => this.#onRecord(rec));
    this.#call.on('end', () => {
      this.#ended = true;
      this.#maybeFinish();
    });
    this.#call.on('cancelled', () => {
      this.#done = true;
    });
  }

  #onRecord(rec: StreamRecord): void {
    if (this.#done || this.#fatal) return;
    const index = this.#index++;
    if (!rec.ok) {
      this.#send(rejected(index, '', rec.reason, rec.field));
      return;
    }
    try {
      checkEnvelope(rec.survey);
    } catch (err) {
      const e = err as PipelineError;
      this.#send(rejected(index, rec.survey.submissionId, e.message, e.details['field'] ?? ''));
      return;
    }
    const id = rec.survey.submissionId;
    this.#inFlight++;
    this.#deps.publisher.publish({ submissionId: id, district: rec.survey.district, payload: rec.raw }, (outcome) =>
      this.#onOutcome(index, id, outcome),
    );
    this.#flow();
  }

  #onOutcome(index: number, id: string, outcome: PublishResult | PipelineError): void {
    this.#inFlight--;
    if (!(outcome instanceof PipelineError)) this.#send(acked(index, id, outcome));
    else if (isRecordError(outcome)) this.#send(rejected(index, id, outcome.message, 'survey'));
    else this.#fatal ??= outcome;
    this.#flow();
    this.#maybeFinish();
  }

  #send(res: StreamSurveysResponse): void {
    if (this.#done) return;
    if (res.status === SubmitStatus.SUBMIT_STATUS_REJECTED) this.#count.rejected();
    else if (res.status === SubmitStatus.SUBMIT_STATUS_DUPLICATE) this.#count.duplicate();
    else this.#count.accepted();
    // An object-mode stream reports backpressure at 16 queued acks; acks are bounded anyway by
    // the records read, so only a backlog of a whole window of unsent acks stops reading.
    if (!this.#call.write(res) && this.#call.writableLength >= this.#deps.window && !this.#writeBlocked) {
      this.#writeBlocked = true;
      this.#call.once('drain', () => {
        this.#writeBlocked = false;
        this.#flow();
      });
    }
  }

  /** Reads while the window has room and acks can be written; stops for good after a fatal error. */
  #flow(): void {
    const stop = this.#fatal !== undefined || this.#inFlight >= this.#deps.window || this.#writeBlocked;
    if (stop && !this.#paused) {
      this.#paused = true;
      this.#call.pause();
    } else if (!stop && this.#paused) {
      this.#paused = false;
      this.#call.resume();
    }
  }

  #maybeFinish(): void {
    if (this.#done || this.#inFlight > 0) return;
    if (this.#fatal) {
      this.#done = true;
      const st = toGrpcStatus(this.#fatal);
      this.#deps.metrics.grpcRequests.inc({ method: METHOD, code: String(st.code) });
      logFailure(this.#deps.log, METHOD, this.#fatal);
      this.#call.emit('error', st);
    } else if (this.#ended) {
      this.#done = true;
      this.#deps.metrics.grpcRequests.inc({ method: METHOD, code: 'OK' });
      this.#call.end();
    }
  }
}

/** The StreamSurveys handler: authenticates, then runs a {@link StreamSession}. */
export function streamSurveysHandler(deps: StreamSurveysDeps): (call: Call) => void {
  return (call) => {
    deps.auth.authenticate(call.metadata).then(
      () => new StreamSession(call, deps).start(),
      (err: unknown) => {
        const st = toGrpcStatus(err);
        deps.metrics.grpcRequests.inc({ method: METHOD, code: String(st.code) });
        logFailure(deps.log, METHOD, err);
        call.emit('error', st);
      },
    );
  };
}
