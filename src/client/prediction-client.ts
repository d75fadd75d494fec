/** A client for PredictionService: WatchPredictions (server stream) and GetPrediction. */
import type { ClientReadableStream, ServiceError } from '@grpc/grpc-js';
import type { Prediction } from '../gen/surveystream/v1/prediction.js';
import {
  PredictionServiceClient,
  type WatchPredictionsRequest,
  type WatchPredictionsResponse,
} from '../gen/surveystream/v1/prediction_service.js';
import { callMetadata, channelCredentials, channelOptions, type ClientOptions } from './connection.js';

/** PredictionService calls. */
export interface PredictionClient extends Disposable {
  /** Opens a watch; cancel the returned stream to stop it. */
  watch(req: Partial<WatchPredictionsRequest>): ClientReadableStream<WatchPredictionsResponse>;
  /** The latest prediction of a household; rejects NOT_FOUND when there is none. */
  get(householdId: string, deadlineMs?: number): Promise<Prediction>;
  readonly raw: PredictionServiceClient;
}

export function connectPredictions(opts: ClientOptions): PredictionClient {
  const raw = new PredictionServiceClient(opts.target, channelCredentials(opts), channelOptions(opts));
  return {
    raw,
    watch(req) {
      return raw.watchPredictions({ district: '', risks: [], ...req }, callMetadata(opts.token));
    },
    get(householdId, deadlineMs = 10_000) {
      return new Promise((resolve, reject) => {
        raw.getPrediction({ householdId }, callMetadata(opts.token), { deadline: Date.now() + deadlineMs }, (err: ServiceError | null, res) =>
          err ? reject(err) : resolve(res.prediction!),
        );
      });
    },
    [Symbol.dispose]() {
      raw.close();
    },
  };
}
