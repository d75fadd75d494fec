/**
 * The per-record stages of the worker chain, each an OperatorFunction. A bad record is a value
 * (`RejectedItem`) that flows on to the dead-letter sink; only fatal errors become Observable errors.
 */
import { map, type OperatorFunction } from 'rxjs';
import { Survey } from '../gen/surveystream/v1/survey.js';
import { surveyFromProto } from '../domain/survey-codec.js';
import { recordFromJson } from '../domain/survey-json.js';
import { deriveLabel } from '../domain/labels.js';
import { DISTRICTS, type SurveyValues } from '../domain/fields.js';
import type { ValidationResult } from '../validate/index.js';
import type { Metrics } from '../telemetry/metrics.js';
import { acceptedItem, type DecodedItem, type Envelope, type Item, type RejectedItem } from './types.js';

const textDecoder = new TextDecoder('utf-8', { fatal: true });

function reject(env: Envelope, stage: RejectedItem['stage'], ruleIds: string[], messages: string[], submissionId = '', district = ''): RejectedItem {
  return { kind: 'rejected', env, stage, submissionId, district, ruleIds, messages };
}

/** Payload → record. Protobuf by default; JSON when the Content-Type says so. */
export function decodeEnvelope(env: Envelope): DecodedItem | RejectedItem {
  const contentType = env.msg.headers?.get('Content-Type') ?? '';
  try {
    if (contentType.startsWith('application/json')) {
      const { record } = recordFromJson(JSON.parse(textDecoder.decode(env.msg.data)));
      if (!record.meta.submissionId) {
        return reject(env, 'decode', ['decode.submission_id'], ['submission_id is missing']);
      }
      return { kind: 'decoded', env, record };
    }
    const record = surveyFromProto(Survey.decode(env.msg.data));
    if (!record.meta.submissionId) {
      return reject(env, 'decode', ['decode.submission_id'], ['submission_id is missing']);
    }
    return { kind: 'decoded', env, record };
  } catch (err) {
    return reject(env, 'decode', ['decode.payload'], [`undecodable payload: ${(err as Error).message}`]);
  }
}

export function decode(): OperatorFunction<Envelope, DecodedItem | RejectedItem> {
  return map(decodeEnvelope);
}

/** Validates decoded records: error hits reject, warnings keep the record with a lower score. */
export function validate(
  validator: (values: SurveyValues) => ValidationResult,
  metrics?: Metrics,
): OperatorFunction<DecodedItem | RejectedItem, Item> {
  return map((item) => {
    if (item.kind === 'rejected') return item;
    const { record, env } = item;
    const result = validator(record.values);
    const district = typeof record.values['District'] === 'string' ? record.values['District'] : '';
    // Label values must stay bounded: a misspelt district counts as "other".
    const districtLabel = (DISTRICTS as readonly string[]).includes(district) ? district : 'other';
    for (const hit of result.hits) metrics?.ruleHits.inc({ rule: hit.ruleId, severity: hit.severity, district: districtLabel });
    if (!result.valid) {
      const errors = result.hits.filter((h) => h.severity === 'error');
      return reject(
        env,
        'validate',
        errors.map((h) => h.ruleId),
        errors.map((h) => h.message),
        record.meta.submissionId,
        district,
      );
    }
    return acceptedItem(env, record, result, deriveLabel(record.values));
  });
}
