/**
 * gRPC IngestService: SubmitSurvey (unary), StreamSurveys (bidi, per-record acks), UploadFile
 * (client stream, see src/upload) and GetIngestionStatus. Every method authenticates first.
 */
import type { handleClientStreamingCall, ServiceDefinition, UntypedServiceImplementation } from '@grpc/grpc-js';
import {
  IngestServiceService,
  SubmitStatus,
  type GetIngestionStatusRequest,
  type GetIngestionStatusResponse,
  type IngestionStatus,
  type SubmitSurveyRequest,
  type SubmitSurveyResponse,
  type UploadFileRequest,
  type UploadFileResponse,
} from '../gen/surveystream/v1/ingest.js';
import { Survey } from '../gen/surveystream/v1/survey.js';
import { PipelineError } from '../errors.js';
import { checkEnvelope } from './envelope.js';
import type { JetStreamPublisher } from '../bus/publisher.js';
import { decodeStreamRequest } from './stream-codec.js';
import { streamSurveysHandler } from './stream-surveys.js';
import { unary, type CallContext } from './unary.js';

export { checkEnvelope } from './envelope.js';

/** What IngestService needs. */
export interface IngestServiceDeps extends CallContext {
  readonly publisher: JetStreamPublisher;
  /** Records of one StreamSurveys call waiting for their PubAck. */
  readonly streamWindow: number;
  /** The UploadFile handler (src/upload). */
  readonly uploadFile: handleClientStreamingCall<UploadFileRequest, UploadFileResponse>;
  /** Status of one ingestion; NOT_FOUND when unknown. */
  readonly ingestionStatus: (ingestionId: string) => Promise<IngestionStatus>;
}

const INGESTION_ID_RE = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * The generated service definition, except that StreamSurveys requests are decoded by
 * {@link decodeStreamRequest}: an undecodable record is acked REJECTED instead of failing the call.
 */
export const INGEST_SERVICE_DEFINITION: ServiceDefinition = {
  ...IngestServiceService,
  streamSurveys: { ...IngestServiceService.streamSurveys, requestDeserialize: decodeStreamRequest },
};

async function submit(deps: IngestServiceDeps, req: SubmitSurveyRequest, signal: AbortSignal): Promise<SubmitSurveyResponse> {
  const survey = checkEnvelope(req.survey);
  if (signal.aborted) throw signal.reason as Error; // the client gave up: do not store
  const result = await deps.publisher.publishAsync({
    submissionId: survey.submissionId,
    district: survey.district,
    payload: Survey.encode(survey).finish(),
  });
  return {
    submissionId: survey.submissionId,
    status: result.duplicate ? SubmitStatus.SUBMIT_STATUS_DUPLICATE : SubmitStatus.SUBMIT_STATUS_ACCEPTED,
    streamSequence: result.seq,
  };
}

async function status(deps: IngestServiceDeps, req: GetIngestionStatusRequest): Promise<GetIngestionStatusResponse> {
  if (!INGESTION_ID_RE.test(req.ingestionId)) {
    throw new PipelineError('INVALID_ARGUMENT', 'ingestion_id must be 1-64 characters of [A-Za-z0-9_-]', false, {
      details: { field: 'ingestion_id' },
    });
  }
  return { status: await deps.ingestionStatus(req.ingestionId) };
}

/** The IngestService implementation for {@link INGEST_SERVICE_DEFINITION}. */
export function createIngestService(deps: IngestServiceDeps): UntypedServiceImplementation {
  return {
    submitSurvey: unary<SubmitSurveyRequest, SubmitSurveyResponse>('SubmitSurvey', deps, (req, _p, signal) =>
      submit(deps, req, signal),
    ),
    streamSurveys: streamSurveysHandler({ ...deps, window: deps.streamWindow }),
    uploadFile: deps.uploadFile,
    getIngestionStatus: unary<GetIngestionStatusRequest, GetIngestionStatusResponse>('GetIngestionStatus', deps, (req) =>
      status(deps, req),
    ),
  };
}
