/**
 * gRPC PredictionService.
 *
 * WatchPredictions runs one JetStream ordered consumer per call on PREDICTIONS, filtered by
 * subject (`predictions.v1.<district>.<risk>`, `*` for "any"), delivering new messages only or
 * from `since_ms`. Writes follow the caller's pace: the consumer is not read while the call's
 * write buffer is full. GetPrediction hashes the household id with the PII key and reads the
 * latest prediction by `household_key`.
 */
import { once } from 'node:events';
import type { ServerWritableStream, UntypedServiceImplementation } from '@grpc/grpc-js';
import { DeliverPolicy, type ConsumerMessages, type JetStreamClient, type OrderedConsumerOptions } from '@nats-io/jetstream';
import { subjectToken } from '../bus/subjects.js';
import {
  PredictionServiceService,
  type GetPredictionRequest,
  type GetPredictionResponse,
  type WatchPredictionsRequest,
  type WatchPredictionsResponse,
} from '../gen/surveystream/v1/prediction_service.js';
import type { RiskCategory } from '../gen/surveystream/v1/prediction.js';
import { PipelineError, toGrpcStatus } from '../errors.js';
import { decodePrediction, riskToken } from './prediction-codec.js';
import type { LatestPrediction } from './prediction-store.js';
import { logFailure, unary, type CallContext } from './unary.js';

/** The generated PredictionService definition (nothing to override). */
export const PREDICTION_SERVICE_DEFINITION = PredictionServiceService;
const STREAM = 'PREDICTIONS';

/** What PredictionService needs. */
export interface PredictionServiceDeps extends CallContext {
  readonly js: JetStreamClient;
  /** Keyed hash of a household id (the PII protector's). */
  readonly hashHousehold: (householdId: string) => string;
  readonly latest: LatestPrediction;
}

type WatchCall = ServerWritableStream<WatchPredictionsRequest, WatchPredictionsResponse>;

function invalid(message: string, field: string): PipelineError {
  return new PipelineError('INVALID_ARGUMENT', message, false, { details: { field } });
}

/** Consumer options for a request; throws INVALID_ARGUMENT on bad filters. */
export function watchOptions(req: WatchPredictionsRequest): Partial<OrderedConsumerOptions> {
  if (req.district.length > 64) throw invalid('district is longer than 64 characters', 'district');
  const tokens = req.risks.map((r) => {
    const token = riskToken(r);
    if (!token) throw invalid(`unknown risk category ${r}`, 'risks');
    return token;
  });
  const district = req.district.trim() ? subjectToken(req.district) : '*';
  const risk = tokens.length === 1 ? tokens[0]! : '*';
  const opts: Partial<OrderedConsumerOptions> = { filter_subjects: `predictions.v1.${district}.${risk}` };
  if (req.sinceMs === undefined) return { ...opts, deliver_policy: DeliverPolicy.New };
  if (!Number.isFinite(req.sinceMs) || req.sinceMs < 0) throw invalid('since_ms must be a Unix time in ms', 'since_ms');
  return { ...opts, deliver_policy: DeliverPolicy.StartTime, opt_start_time: new Date(req.sinceMs).toISOString() };
}

async function pump(call: WatchCall, messages: ConsumerMessages, risks: ReadonlySet<RiskCategory>, deps: PredictionServiceDeps): Promise<void> {
  for await (const msg of messages) {
    if (call.cancelled) break;
    let prediction;
    try {
      prediction = decodePrediction(msg);
    } catch (err) {
      deps.log.warn({ err, seq: msg.seq, subject: msg.subject }, 'undecodable prediction skipped');
      continue;
    }
    if (risks.size > 0 && !risks.has(prediction.risk)) continue;
    const ok = call.write({ prediction, streamSequence: msg.seq, publishedAtMs: Math.floor(msg.info.timestampNanos / 1e6) });
    if (!ok) await Promise.race([once(call, 'drain'), once(call, 'cancelled')]);
  }
}

function watch(deps: PredictionServiceDeps): (call: WatchCall) => void {
  return (call) => {
    let messages: ConsumerMessages | undefined;
    call.once('cancelled', () => void messages?.close());
    const run = async (): Promise<void> => {
      await deps.auth.authenticate(call.metadata);
      const opts = watchOptions(call.request);
      try {
        const consumer = await deps.js.consumers.get(STREAM, opts);
        messages = await consumer.consume();
      } catch (err) {
        throw new PipelineError('UNAVAILABLE', `cannot watch ${STREAM}: ${(err as Error).message}`, true, {
          cause: err,
          details: { 'retry-after-ms': '1000' },
        });
      }
      if (call.cancelled) return void messages.close();
      await pump(call, messages, new Set(call.request.risks), deps);
    };
    run().then(
      () => {
        if (!call.cancelled) call.end();
      },
      (err: unknown) => {
        void messages?.close();
        const st = toGrpcStatus(err);
        deps.metrics.grpcRequests.inc({ method: 'WatchPredictions', code: String(st.code) });
        logFailure(deps.log, 'WatchPredictions', err);
        if (!call.cancelled) call.emit('error', st);
      },
    );
  };
}

async function get(deps: PredictionServiceDeps, req: GetPredictionRequest): Promise<GetPredictionResponse> {
  const id = req.householdId.trim();
  if (!id || id.length > 128) throw invalid('household_id must be 1-128 characters', 'household_id');
  const prediction = await deps.latest(deps.hashHousehold(id));
  if (!prediction) {
    throw new PipelineError('NOT_FOUND', 'no prediction for this household', false, { details: { field: 'household_id' } });
  }
  return { prediction };
}

/** The PredictionService implementation. */
export function createPredictionService(deps: PredictionServiceDeps): UntypedServiceImplementation {
  return {
    watchPredictions: watch(deps),
    getPrediction: unary<GetPredictionRequest, GetPredictionResponse>('GetPrediction', deps, (req) => get(deps, req)),
  };
}
