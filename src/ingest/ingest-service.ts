/** gRPC IngestService: checks the envelope, publishes durably, answers the device. */
import type { handleUnaryCall, sendUnaryData, ServerUnaryCall } from '@grpc/grpc-js';
import {
  SubmitStatus,
  type IngestServiceServer,
  type SubmitSurveyRequest,
  type SubmitSurveyResponse,
} from '../gen/surveystream/v1/ingest.js';
import { Survey } from '../gen/surveystream/v1/survey.js';
import { PipelineError, toGrpcStatus } from '../errors.js';
import type { Logger } from '../telemetry/log.js';
import type { Metrics } from '../telemetry/metrics.js';
import type { SurveyPublisher } from './publisher.js';

const ID_RE = /^[\x21-\x7e]{1,128}$/;

/**
 * Envelope checks only: what the gateway needs to route and deduplicate. Content is validated by
 * the worker, so a bad survey still becomes a dead letter with its reason.
 */
export function checkEnvelope(survey: Survey | undefined): Survey {
  if (!survey) throw new PipelineError('INVALID_ARGUMENT', 'request has no survey', false, { details: { field: 'survey' } });
  if (!ID_RE.test(survey.submissionId)) {
    throw new PipelineError('INVALID_ARGUMENT', 'submission_id must be 1-128 printable ASCII characters without spaces', false, {
      details: { field: 'submission_id' },
    });
  }
  if (survey.deprecatedId !== undefined && !ID_RE.test(survey.deprecatedId)) {
    throw new PipelineError('INVALID_ARGUMENT', 'deprecated_id must be 1-128 printable ASCII characters without spaces', false, {
      details: { field: 'deprecated_id' },
    });
  }
  return survey;
}

export function createIngestService(publisher: SurveyPublisher, log: Logger, metrics: Metrics): IngestServiceServer {
  const submitSurvey: handleUnaryCall<SubmitSurveyRequest, SubmitSurveyResponse> = (
    call: ServerUnaryCall<SubmitSurveyRequest, SubmitSurveyResponse>,
    callback: sendUnaryData<SubmitSurveyResponse>,
  ) => {
    const run = async (): Promise<SubmitSurveyResponse> => {
      const survey = checkEnvelope(call.request.survey);
      const result = await publisher.publish({
        submissionId: survey.submissionId,
        district: survey.district,
        payload: Survey.encode(survey).finish(),
      });
      return {
        submissionId: survey.submissionId,
        status: result.duplicate ? SubmitStatus.SUBMIT_STATUS_DUPLICATE : SubmitStatus.SUBMIT_STATUS_ACCEPTED,
        streamSequence: result.seq,
      };
    };
    run().then(
      (res) => {
        metrics.grpcRequests.inc({ method: 'SubmitSurvey', code: 'OK' });
        callback(null, res);
      },
      (err: unknown) => {
        const status = toGrpcStatus(err);
        metrics.grpcRequests.inc({ method: 'SubmitSurvey', code: String(status.code) });
        if (!(err instanceof PipelineError) || err.code === 'INTERNAL') log.error({ err }, 'SubmitSurvey failed');
        callback(status, null);
      },
    );
  };
  return { submitSurvey };
}
