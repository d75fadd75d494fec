/** A small promise-based client for IngestService (used by the demo, the simulator and tests). */
import { Metadata, credentials, type ChannelCredentials, type ServiceError } from '@grpc/grpc-js';
import { IngestServiceClient, type SubmitSurveyResponse } from '../gen/surveystream/v1/ingest.js';
import type { Survey } from '../gen/surveystream/v1/survey.js';

export interface IngestClient extends Disposable {
  submit(survey: Survey, deadlineMs?: number): Promise<SubmitSurveyResponse>;
  readonly raw: IngestServiceClient;
}

export function createIngestClient(address: string, creds: ChannelCredentials = credentials.createInsecure()): IngestClient {
  const raw = new IngestServiceClient(address, creds);
  return {
    raw,
    submit(survey, deadlineMs = 10_000) {
      return new Promise((resolve, reject) => {
        raw.submitSurvey({ survey }, new Metadata(), { deadline: Date.now() + deadlineMs }, (err: ServiceError | null, res) =>
          err ? reject(err) : resolve(res),
        );
      });
    },
    [Symbol.dispose]() {
      raw.close();
    },
  };
}
