/**
 * A promise-based client for IngestService (used by the CLI, the demo, the simulator and tests):
 * SubmitSurvey, StreamSurveys (raw, or {@link sendBacklog} with resume), UploadFile
 * ({@link uploadFile}) and GetIngestionStatus.
 */
import { credentials, type ChannelCredentials, type ChannelOptions, type ServiceError } from '@grpc/grpc-js';
import {
  IngestServiceClient,
  type IngestionStatus,
  type SubmitSurveyResponse,
  type StreamSurveysRequest,
  type StreamSurveysResponse,
} from '../gen/surveystream/v1/ingest.js';
import type { Survey } from '../gen/surveystream/v1/survey.js';
import type { ClientDuplexStream } from '@grpc/grpc-js';
import { callMetadata, channelCredentials, channelOptions, type ClientOptions } from './connection.js';

/** IngestService calls as promises (and the raw generated client). */
export interface IngestClient extends Disposable {
  submit(survey: Survey, deadlineMs?: number): Promise<SubmitSurveyResponse>;
  /** Opens a StreamSurveys call (with the token); the caller writes requests and reads acks. */
  openStream(deadlineMs?: number): ClientDuplexStream<StreamSurveysRequest, StreamSurveysResponse>;
  status(ingestionId: string, deadlineMs?: number): Promise<IngestionStatus>;
  /** The token sent with every call ('' = none). */
  readonly token: string;
  readonly raw: IngestServiceClient;
}

/** Extra client settings. */
export interface IngestClientExtras {
  token?: string;
  channelOptions?: ChannelOptions;
}

/** A client on an address with explicit credentials (plaintext by default). */
export function createIngestClient(
  address: string,
  creds: ChannelCredentials = credentials.createInsecure(),
  extras: IngestClientExtras = {},
): IngestClient {
  const raw = new IngestServiceClient(address, creds, extras.channelOptions ?? {});
  const token = extras.token ?? '';
  const deadline = (ms: number): { deadline: number } => ({ deadline: Date.now() + ms });
  return {
    raw,
    token,
    submit(survey, deadlineMs = 10_000) {
      return new Promise((resolve, reject) => {
        raw.submitSurvey({ survey }, callMetadata(token), deadline(deadlineMs), (err: ServiceError | null, res) =>
          err ? reject(err) : resolve(res),
        );
      });
    },
    openStream(deadlineMs) {
      return raw.streamSurveys(callMetadata(token), deadlineMs ? deadline(deadlineMs) : {});
    },
    status(ingestionId, deadlineMs = 10_000) {
      return new Promise((resolve, reject) => {
        raw.getIngestionStatus({ ingestionId }, callMetadata(token), deadline(deadlineMs), (err: ServiceError | null, res) =>
          err ? reject(err) : resolve(res.status!),
        );
      });
    },
    [Symbol.dispose]() {
      raw.close();
    },
  };
}

/** A client from {@link ClientOptions} (TLS, mTLS, token). */
export function connectIngest(opts: ClientOptions): IngestClient {
  return createIngestClient(opts.target, channelCredentials(opts), {
    ...(opts.token ? { token: opts.token } : {}),
    channelOptions: channelOptions(opts),
  });
}
