/** Envelope checks: what the gateway needs to route and deduplicate a survey. */
import type { Survey } from '../gen/surveystream/v1/survey.js';
import { PipelineError } from '../errors.js';

/** A submission id (and deprecated id): 1-128 printable ASCII characters without spaces. */
export const SUBMISSION_ID_RE = /^[\x21-\x7e]{1,128}$/;

/**
 * Envelope checks only. Content is validated by the worker, so a bad survey still becomes a dead
 * letter with its reason. Throws INVALID_ARGUMENT with `details.field`.
 */
export function checkEnvelope<S extends Pick<Survey, 'submissionId' | 'deprecatedId'>>(survey: S | undefined): S {
  if (!survey) throw new PipelineError('INVALID_ARGUMENT', 'request has no survey', false, { details: { field: 'survey' } });
  if (!SUBMISSION_ID_RE.test(survey.submissionId)) {
    throw new PipelineError('INVALID_ARGUMENT', 'submission_id must be 1-128 printable ASCII characters without spaces', false, {
      details: { field: 'submission_id' },
    });
  }
  if (survey.deprecatedId !== undefined && !SUBMISSION_ID_RE.test(survey.deprecatedId)) {
    throw new PipelineError('INVALID_ARGUMENT', 'deprecated_id must be 1-128 printable ASCII characters without spaces', false, {
      details: { field: 'deprecated_id' },
    });
  }
  return survey;
}
